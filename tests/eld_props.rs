//! Property tests: writer output always parses and checks clean; any one
//! character replaced by one with a different Table 3 value is caught by
//! the line check value, and a change that keeps the value is not (the
//! documented limit of §4.4.5.2).

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use ediguard::eld::check_value::char_value;
use ediguard::eld::write::{Cmv, EnginePower, Event, Header, Login, OutputFile, User};
use ediguard::eld::{Coordinate, EngineHours, SectionKind};
use ediguard::{Options, check};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Params {
    last: String,
    first: String,
    username: String,
    seq_start: u16,
    odometer: u32,
    hours: u32,
    start_minute: u32,
    legs: Vec<(u32, u32)>, // (driving minutes, stop minutes)
    lat: f64,
    lon: f64,
}

fn params() -> impl Strategy<Value = Params> {
    (
        "[A-Z][a-z]{1,20}",
        "[A-Z][a-z]{1,20}",
        "[a-z][a-z0-9.]{3,20}",
        any::<u16>(),
        0u32..9_000_000,
        0u32..900_000,
        0u32..600,
        prop::collection::vec((5u32..240, 5u32..60), 1..5),
        -89.0f64..89.0,
        -179.0f64..179.0,
    )
        .prop_map(
            |(last, first, username, seq_start, odometer, hours, start_minute, legs, lat, lon)| {
                Params {
                    last,
                    first,
                    username,
                    seq_start,
                    odometer,
                    hours,
                    start_minute,
                    legs,
                    lat,
                    lon,
                }
            },
        )
}

fn build(p: &Params) -> OutputFile {
    let day = NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
    let t0: NaiveDateTime =
        day.and_hms_opt(0, 0, 0).unwrap() + TimeDelta::minutes(p.start_minute.into());
    let mut seq = p.seq_start;
    let mut next = || {
        let s = seq;
        seq = seq.wrapping_add(1);
        s
    };
    let (lat, lon) = (Coordinate::degrees(p.lat), Coordinate::degrees(p.lon));
    let mut f = OutputFile {
        header: Header {
            driver_last_name: p.last.clone(),
            driver_first_name: p.first.clone(),
            driver_username: p.username.clone(),
            licence_state: "OH".into(),
            licence_number: "WH123456".into(),
            power_unit: "T1042".into(),
            vin: "3AKJHHDRXNSNA4512".into(),
            usdot_number: "3141592".into(),
            carrier_name: "Northline Freight LLC".into(),
            latitude: lat,
            longitude: lon,
            registration_id: "NLF1".into(),
            eld_identifier: "ELD001".into(),
            authentication_value: "ABCDEFGHIJKLMNOPQRSTUVWXYZ".into(),
            ..Header::default()
        },
        users: vec![User {
            order: 1,
            account_type: b'D',
            last_name: p.last.clone(),
            first_name: p.first.clone(),
        }],
        cmvs: vec![Cmv {
            order: 1,
            power_unit: "T1042".into(),
            vin: "3AKJHHDRXNSNA4512".into(),
        }],
        ..OutputFile::default()
    };
    let login = |id, code, at, miles, hours| Login {
        sequence_id: id,
        event_code: code,
        username: p.username.clone(),
        at,
        total_miles: Some(miles),
        total_engine_hours: Some(EngineHours::from_tenths(hours)),
    };
    let engine = |id, code, at, miles, hours| EnginePower {
        sequence_id: id,
        event_code: code,
        at,
        total_miles: miles,
        total_engine_hours: EngineHours::from_tenths(hours),
        latitude: lat,
        longitude: lon,
        power_unit: "T1042".into(),
        vin: "3AKJHHDRXNSNA4512".into(),
        trailers: String::new(),
        shipping_document: String::new(),
    };
    let event = |id, at, etype, code, origin, miles: u32, tenths: u32| Event {
        sequence_id: id,
        status: 1,
        origin,
        event_type: etype,
        event_code: code,
        at,
        miles: Some(miles),
        engine_hours: Some(EngineHours::from_tenths(tenths)),
        latitude: lat,
        longitude: lon,
        distance_since_last_valid: 0,
        cmv_order: 1,
        user_order: 1,
        malfunction: false,
        diagnostic: false,
        username: p.username.clone(),
    };
    f.logins.push(login(next(), 1, t0, p.odometer, p.hours));
    f.engine_power
        .push(engine(next(), 1, t0, p.odometer, p.hours));
    f.events.push(event(next(), t0, 1, 4, 2, 0, 0));
    let mut t = t0;
    let mut acc = 0u32;
    for &(drive, stop) in &p.legs {
        t += TimeDelta::minutes(5);
        let tenths = |at: NaiveDateTime| ((at - t0).num_minutes() / 6) as u32;
        f.events.push(event(next(), t, 1, 3, 1, acc, tenths(t)));
        let end = t + TimeDelta::minutes(drive.into());
        let mut i = t + TimeDelta::hours(1);
        while i < end {
            acc += 50;
            f.events.push(event(next(), i, 2, 1, 1, acc, tenths(i)));
            i += TimeDelta::hours(1);
        }
        acc += drive % 60;
        t = end;
        f.events.push(event(next(), t, 1, 4, 2, acc, tenths(t)));
        t += TimeDelta::minutes(stop.into());
    }
    let hours = p.hours + ((t - t0).num_minutes() / 6) as u32;
    f.engine_power
        .push(engine(next(), 3, t, p.odometer + acc, hours));
    f.logins.push(login(
        next(),
        2,
        t + TimeDelta::minutes(1),
        p.odometer + acc,
        hours,
    ));
    f.header.current = t + TimeDelta::minutes(2);
    f.header.total_miles = Some(p.odometer + acc);
    f.header.total_engine_hours = Some(EngineHours::from_tenths(hours));
    f.sort_newest_first();
    f
}

fn sample() -> Vec<u8> {
    build(&Params {
        last: "Whitaker".into(),
        first: "Dale".into(),
        username: "dwhitaker".into(),
        seq_start: 0x1A40,
        odometer: 413_000,
        hours: 15_200,
        start_minute: 420,
        legs: vec![(200, 45), (130, 15)],
        lat: 41.6528,
        lon: -83.5379,
    })
    .to_bytes()
}

/// Byte ranges of the data lines, each without its last field (the line
/// check value itself).
fn data_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            let line = &bytes[start..i - 1];
            if SectionKind::from_title(line).is_none() {
                if let Some(c) = line.iter().rposition(|&x| x == b',') {
                    if c > 0 {
                        spans.push((start, start + c));
                    }
                }
            }
            start = i + 1;
        }
    }
    spans
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn writer_output_checks_clean(p in params()) {
        let bytes = build(&p).to_bytes();
        let report = check(&bytes, &Options::default()).unwrap();
        prop_assert!(report.findings().is_empty(), "{:#?}", report.findings());
    }

    #[test]
    fn one_changed_character_is_caught(line in any::<prop::sample::Index>(), pos in any::<prop::sample::Index>(), by in 0x20u8..0x7F) {
        let bytes = sample();
        let spans = data_spans(&bytes);
        let (start, end) = spans[line.index(spans.len())];
        let at = start + pos.index(end - start);
        prop_assume!(char_value(bytes[at]) != char_value(by));
        let mut changed = bytes.clone();
        changed[at] = by;
        let report = check(&changed, &Options::default()).unwrap();
        prop_assert!(
            report.findings().iter().any(|f| f.rule == "line_check_value_mismatch"),
            "{:?} -> {:?} at {at}", bytes[at] as char, by as char
        );
    }
}

#[test]
fn a_change_that_keeps_the_value_is_not_caught() {
    let bytes = sample();
    let spans = data_spans(&bytes);
    let mut tried = 0;
    for (start, end) in spans {
        for at in start..end {
            if bytes[at] != b'0' {
                continue;
            }
            let mut changed = bytes.clone();
            changed[at] = b'.';
            let report = check(&changed, &Options::default()).unwrap();
            assert!(
                report
                    .findings()
                    .iter()
                    .all(|f| f.rule != "line_check_value_mismatch"),
                "0 -> . at {at} was caught"
            );
            tried += 1;
        }
    }
    assert!(tried > 50, "only {tried} zeros tried");
}
