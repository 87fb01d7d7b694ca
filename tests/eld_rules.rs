//! Every ELD rule: one test that triggers it and a correct file that does
//! not. Fixtures are built with the writer; byte-level edits are resealed
//! (line and file check values recomputed) so that only the rule under test
//! fires.

use chrono::{NaiveDate, NaiveDateTime};
use ediguard::eld::check_value::{file_check_value, hex2, hex4, line_check_value, parse_hex2};
use ediguard::eld::write::{
    Annotation, Certification, Cmv, EnginePower, Event, Header, Login, Malfunction, OutputFile,
    User,
};
use ediguard::eld::{Coordinate, EngineHours, LineEnding, SectionKind};
use ediguard::{ErrorKind, Limits, Options, Report, Severity, check};

fn at(h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 17)
        .unwrap()
        .and_hms_opt(h, m, 0)
        .unwrap()
}

fn event(
    seq: u16,
    t: NaiveDateTime,
    etype: u8,
    code: u8,
    origin: u8,
    miles: u32,
    tenths: u32,
) -> Event {
    Event {
        sequence_id: seq,
        status: 1,
        origin,
        event_type: etype,
        event_code: code,
        at: t,
        miles: Some(miles),
        engine_hours: Some(EngineHours::from_tenths(tenths)),
        latitude: Coordinate::degrees(41.65),
        longitude: Coordinate::degrees(-83.54),
        distance_since_last_valid: 0,
        cmv_order: 1,
        user_order: 1,
        malfunction: false,
        diagnostic: false,
        username: "dwhitaker".into(),
    }
}

fn engine(seq: u16, t: NaiveDateTime, code: u8, miles: u32, tenths: u32) -> EnginePower {
    EnginePower {
        sequence_id: seq,
        event_code: code,
        at: t,
        total_miles: miles,
        total_engine_hours: EngineHours::from_tenths(tenths),
        latitude: Coordinate::degrees(41.65),
        longitude: Coordinate::degrees(-83.54),
        power_unit: "T1042".into(),
        vin: "3AKJHHDRXNSNA4512".into(),
        trailers: "TR5530".into(),
        shipping_document: "BOL778812".into(),
    }
}

/// A small correct file: one morning of one driver in one truck.
fn base() -> OutputFile {
    let mut f = OutputFile {
        header: Header {
            driver_last_name: "Whitaker".into(),
            driver_first_name: "Dale".into(),
            driver_username: "dwhitaker".into(),
            licence_state: "OH".into(),
            licence_number: "WH123456".into(),
            power_unit: "T1042".into(),
            vin: "3AKJHHDRXNSNA4512".into(),
            trailers: "TR5530".into(),
            usdot_number: "3141592".into(),
            carrier_name: "Northline Freight LLC".into(),
            shipping_document: "BOL778812".into(),
            current: at(9, 30),
            latitude: Coordinate::degrees(41.65),
            longitude: Coordinate::degrees(-83.54),
            total_miles: Some(1100),
            total_engine_hours: Some(EngineHours::from_tenths(5021)),
            registration_id: "NLF1".into(),
            eld_identifier: "ELD001".into(),
            authentication_value: "ABCDEFGHIJKLMNOPQRSTUVWXYZ".into(),
            ..Header::default()
        },
        users: vec![User {
            order: 1,
            account_type: b'D',
            last_name: "Whitaker".into(),
            first_name: "Dale".into(),
        }],
        cmvs: vec![Cmv {
            order: 1,
            power_unit: "T1042".into(),
            vin: "3AKJHHDRXNSNA4512".into(),
        }],
        events: vec![
            event(0x12, at(7, 5), 1, 4, 2, 0, 0),
            event(0x13, at(7, 20), 1, 3, 1, 0, 2),
            event(0x14, at(8, 20), 2, 1, 1, 55, 12),
            event(0x15, at(9, 0), 1, 4, 2, 100, 19),
            Event {
                miles: None,
                engine_hours: None,
                ..event(0x17, at(9, 15), 1, 1, 2, 0, 0)
            },
        ],
        certifications: vec![Certification {
            sequence_id: 0x18,
            event_code: 1,
            at: at(9, 16),
            certified_date: at(0, 0).date(),
            cmv_order: Some(1),
        }],
        logins: vec![
            Login {
                sequence_id: 0x10,
                event_code: 1,
                username: "dwhitaker".into(),
                at: at(7, 0),
                total_miles: Some(1000),
                total_engine_hours: Some(EngineHours::from_tenths(5000)),
            },
            Login {
                sequence_id: 0x19,
                event_code: 2,
                username: "dwhitaker".into(),
                at: at(9, 20),
                total_miles: Some(1100),
                total_engine_hours: Some(EngineHours::from_tenths(5021)),
            },
        ],
        engine_power: vec![
            engine(0x11, at(7, 5), 1, 1000, 5000),
            engine(0x16, at(9, 10), 3, 1100, 5021),
        ],
        ..OutputFile::default()
    };
    f.sort_newest_first();
    f
}

fn report(bytes: &[u8]) -> Report {
    check(bytes, &Options::default()).unwrap()
}

fn rules(bytes: &[u8]) -> Vec<&'static str> {
    report(bytes).findings().iter().map(|f| f.rule).collect()
}

#[track_caller]
fn assert_only(bytes: &[u8], rule: &str) -> Report {
    let r = report(bytes);
    let got: Vec<_> = r.findings().iter().map(|f| f.rule).collect();
    assert!(got.contains(&rule), "{rule} not in {got:?}");
    assert!(got.iter().all(|g| *g == rule), "other rules fired: {got:?}");
    r
}

#[track_caller]
fn assert_fires(bytes: &[u8], rule: &str) -> Report {
    let r = report(bytes);
    let got: Vec<_> = r.findings().iter().map(|f| f.rule).collect();
    assert!(got.contains(&rule), "{rule} not in {got:?}");
    r
}

fn write(f: &OutputFile) -> Vec<u8> {
    f.to_bytes()
}

/// Recomputes every line check value and the file check value.
fn reseal(bytes: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).unwrap();
    let mut out = Vec::new();
    let mut cvs = Vec::new();
    let lines: Vec<&str> = text.split("\r\n").collect();
    let mut after_eof = false;
    for (i, line) in lines.iter().enumerate() {
        if i + 1 == lines.len() && line.is_empty() {
            break;
        }
        if after_eof {
            out.extend_from_slice(&hex4(file_check_value(cvs.iter().copied())));
            out.extend_from_slice(b"\r\n");
            after_eof = false;
            continue;
        }
        if *line == "End of File:" {
            after_eof = true;
        }
        match line.rfind(',') {
            Some(c) if SectionKind::from_title(line.as_bytes()).is_none() => {
                let cv = line_check_value(&line.as_bytes()[..c]);
                cvs.push(cv);
                out.extend_from_slice(&line.as_bytes()[..=c]);
                out.extend_from_slice(&hex2(cv));
            }
            _ => out.extend_from_slice(line.as_bytes()),
        }
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Replaces field `n` (1-based) of the first line starting with `prefix`,
/// then reseals.
fn set_field(bytes: &[u8], prefix: &str, n: usize, value: &str) -> Vec<u8> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut done = false;
    let lines: Vec<String> = text
        .split("\r\n")
        .map(|l| {
            if !done && l.starts_with(prefix) {
                done = true;
                let mut fields: Vec<&str> = l.split(',').collect();
                fields[n - 1] = value;
                fields.join(",")
            } else {
                l.to_owned()
            }
        })
        .collect();
    assert!(done, "no line starts with {prefix}");
    reseal(lines.join("\r\n").as_bytes())
}

fn replace(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(text.contains(from), "{from} not found");
    text.replacen(from, to, 1).into_bytes()
}

// ---------------------------------------------------------------------
// The correct file.

#[test]
fn base_fixture_is_clean() {
    let bytes = write(&base());
    let r = report(&bytes);
    assert!(r.findings().is_empty(), "{:#?}", r.findings());
    assert_eq!(r.counts.interchanges, 1);
    assert_eq!(r.counts.segments, bytes.split(|&b| b == b'\n').count() - 1);
    // reseal is the identity on a correct file.
    assert_eq!(reseal(&bytes), bytes);
}

// ---------------------------------------------------------------------
// Check values.

#[test]
fn line_check_value_mismatch() {
    let bytes = replace(&write(&base()), "Northline", "Northlime");
    let r = assert_only(&bytes, "line_check_value_mismatch");
    let f = &r.findings()[0];
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.location.field, Some(6));
    assert_eq!(f.location.line, Some(5));
}

#[test]
fn file_check_value_mismatch() {
    let bytes = write(&base());
    let text = String::from_utf8(bytes).unwrap();
    let cut = text.trim_end().rfind("\r\n").unwrap() + 2;
    let good = &text[cut..cut + 4];
    let bad = if good == "0000" { "0001" } else { "0000" };
    let broken = format!("{}{bad}\r\n", &text[..cut]);
    let r = assert_only(broken.as_bytes(), "file_check_value_mismatch");
    assert_eq!(r.findings()[0].expected.as_deref(), Some(good));
}

#[test]
fn event_check_value_mismatch_known_user_is_error() {
    let bytes = write(&base());
    let line = "13,1,1,1,3,";
    let text = String::from_utf8(bytes.clone()).unwrap();
    let l = text.lines().find(|l| l.starts_with(line)).unwrap();
    let ecv = parse_hex2(l.split(',').nth(16).unwrap().as_bytes()).unwrap();
    let wrong = String::from_utf8(hex2(ecv ^ 1).to_vec()).unwrap();
    let bytes = set_field(&bytes, line, 17, &wrong);
    let r = assert_only(&bytes, "event_check_value_mismatch");
    assert_eq!(r.findings()[0].severity, Severity::Error);
    assert_eq!(r.findings()[0].location.field, Some(17));
}

#[test]
fn event_check_value_mismatch_assumed_user_is_warning() {
    let mut f = base();
    f.unidentified.push(Event {
        sequence_id: 0x9,
        username: "someoneelse".into(),
        ..event(0x9, at(6, 0), 1, 4, 1, 0, 0)
    });
    let r = assert_only(&write(&f), "event_check_value_mismatch");
    assert_eq!(r.findings()[0].severity, Severity::Warning);
    // With the username the checker assumes, it is clean.
    f.unidentified[0].username = "unidentified".into();
    assert!(rules(&write(&f)).is_empty());
}

// ---------------------------------------------------------------------
// Structure.

#[test]
fn field_count() {
    let bytes = reseal(&replace(&write(&base()), "NLF1,ELD001,", "NLF1,ELD001,X,"));
    let r = assert_only(&bytes, "eld_field_count");
    assert_eq!(r.findings()[0].expected.as_deref(), Some("5"));
    assert_eq!(r.findings()[0].found.as_deref(), Some("6"));
    // A row of the User List with a wrong count is not read, so the
    // records that name its order number are reported too.
    let users = reseal(&replace(
        &write(&base()),
        "1,D,Whitaker,Dale,",
        "1,D,Whitaker,Dale,X,",
    ));
    let got = rules(&users);
    assert!(got.contains(&"eld_field_count") && got.contains(&"eld_unknown_user_order"));
}

#[test]
fn missing_section() {
    let bytes = replace(
        &write(&base()),
        "ELD Event Annotations or Comments:\r\n",
        "",
    );
    assert_only(&bytes, "eld_missing_section");
}

#[test]
fn duplicate_section() {
    let t = "ELD Event Annotations or Comments:\r\n";
    let bytes = replace(&write(&base()), t, &format!("{t}{t}"));
    assert_only(&bytes, "eld_duplicate_section");
}

#[test]
fn section_order() {
    let m = "Malfunctions and Data Diagnostic Events:\r\n";
    let a = "ELD Event Annotations or Comments:\r\n";
    let bytes = replace(&replace(&write(&base()), m, ""), a, &format!("{m}{a}"));
    assert_only(&bytes, "eld_section_order");
}

#[test]
fn title_mismatch() {
    let bytes = replace(&write(&base()), "CMV List:", "CMV list:");
    let r = assert_only(&bytes, "eld_title_mismatch");
    assert_eq!(r.findings()[0].severity, Severity::Warning);
    let typographic = replace(&write(&base()), "Driver's", "Driver\u{2019}s");
    let got = rules(&typographic);
    assert!(got.contains(&"eld_title_mismatch"), "{got:?}");
}

#[test]
fn unexpected_line() {
    let good = write(&base());
    let mut junk = b"Exported by FleetTool\r\n".to_vec();
    junk.extend_from_slice(&good);
    assert_only(&junk, "eld_unexpected_line");
    let mut extra = good.clone();
    extra.extend_from_slice(b"trailing\r\n");
    assert_only(&extra, "eld_unexpected_line");
    let unknown = replace(&good, "End of File:", "Extra Section:\r\nEnd of File:");
    assert_only(&unknown, "eld_unexpected_line");
}

#[test]
fn line_count() {
    let bytes = write(&base());
    let text = String::from_utf8(bytes).unwrap();
    let h5 = text.lines().nth(5).unwrap().to_owned();
    let no_h5 = text.replacen(&format!("{h5}\r\n"), "", 1);
    let r = report(reseal(no_h5.as_bytes()).as_slice());
    assert!(r.findings().iter().any(|f| f.rule == "eld_line_count"));
    let cut = text.trim_end().rfind("\r\n").unwrap() + 2;
    let no_cv = &text[..cut];
    assert_only(no_cv.as_bytes(), "eld_line_count");
}

#[test]
fn line_ending_mixed_or_unterminated() {
    let good = write(&base());
    let mixed = replace(&good, "User List:\r\n", "User List:\n");
    assert_only(&mixed, "eld_line_ending");
    let unterminated = &good[..good.len() - 2];
    let r = assert_only(unterminated, "eld_line_ending");
    assert_eq!(r.findings()[0].severity, Severity::Warning);
    assert_eq!(r.findings()[0].location.offset, unterminated.len());
}

#[test]
fn lf_line_endings_are_info() {
    let bytes = base().to_bytes_with(LineEnding::Lf);
    let r = assert_only(&bytes, "eld_lf_line_endings");
    assert!(r.is_ok());
    assert_eq!(r.findings()[0].severity, Severity::Info);
    assert!(rules(&base().to_bytes_with(LineEnding::Cr)).is_empty());
}

#[test]
fn non_ascii() {
    let mut f = base();
    f.header.carrier_name = "Northline Fracht GmbH \u{e4}".into();
    let r = assert_only(&write(&f), "eld_non_ascii");
    assert_eq!(r.findings()[0].found.as_deref(), Some("0xC3"));
    assert_eq!(r.findings()[0].location.line, Some(5));
}

#[test]
fn byte_order_mark_is_reported() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(&write(&base()));
    let r = assert_only(&bytes, "byte_order_mark");
    assert!(r.is_ok());
}

// ---------------------------------------------------------------------
// Data dictionary.

#[test]
fn invalid_date() {
    let bytes = set_field(&write(&base()), "13,1,1,1,3,", 6, "023026");
    let r = assert_fires(&bytes, "eld_invalid_date");
    let f = r
        .findings()
        .iter()
        .find(|f| f.rule == "eld_invalid_date")
        .unwrap();
    assert_eq!(f.location.field, Some(6));
}

#[test]
fn invalid_time() {
    let bytes = set_field(&write(&base()), "3141592,", 4, "240000");
    assert_only(&bytes, "eld_invalid_time");
}

#[test]
fn invalid_code() {
    let good = write(&base());
    assert_only(&set_field(&good, "3141592,", 3, "6"), "eld_invalid_code");
    assert_only(&set_field(&good, "BOL778812,", 2, "N"), "eld_invalid_code");
    assert_only(&set_field(&good, "1,D,", 2, "X"), "eld_invalid_code");
    // Event type 1 has no code 5 (Table 6); the event check value then
    // also differs, so only check the code finding is there.
    assert_fires(&set_field(&good, "13,1,1,1,3,", 5, "5"), "eld_invalid_code");
    let mut f = base();
    f.malfunctions.push(Malfunction {
        sequence_id: 0x1A,
        event_code: 1,
        code: b'3',
        at: at(9, 25),
        total_miles: Some(1100),
        total_engine_hours: Some(EngineHours::from_tenths(5021)),
        cmv_order: Some(1),
    });
    let r = assert_only(&write(&f), "eld_invalid_code");
    assert_eq!(r.findings()[0].location.field, Some(3));
    f.malfunctions[0].event_code = 3;
    assert!(rules(&write(&f)).is_empty());
}

#[test]
fn invalid_field() {
    let good = write(&base());
    for (prefix, n, value) in [
        ("NLF1,", 1, "NLF"),      // registration ID length
        ("NLF1,", 3, "SHORT"),    // authentication value
        ("T1042,", 3, "A B C D"), // more than 3 trailers
        ("3141592,", 5, "13"),    // time zone offset
        ("Whitaker,", 4, "Ohio"), // licence state
    ] {
        assert_only(&set_field(&good, prefix, n, value), "eld_invalid_field");
    }
    assert_fires(
        &set_field(&good, "1,T1042,", 2, "T1042T1042T"),
        "eld_invalid_field",
    );
    assert_fires(
        &set_field(&good, "13,1,1,1,3,", 10, "91.00"),
        "eld_invalid_field",
    );
    assert_fires(
        &set_field(&good, "13,1,1,1,3,", 1, "12345"),
        "eld_invalid_field",
    );
    // Miles may not be blank on an automatic record...
    assert_fires(&set_field(&good, "13,1,1,1,3,", 8, ""), "eld_invalid_field");
    // ...but may on a driver-entered one (the event check value changes).
    let got = rules(&set_field(&good, "12,1,2,1,4,", 8, ""));
    assert!(!got.contains(&"eld_invalid_field"), "{got:?}");
    // A special location value must be on both coordinates.
    let one_x = set_field(&good, "13,1,1,1,3,", 10, "X");
    let r = report(&one_x);
    assert!(
        r.findings()
            .iter()
            .any(|f| f.rule == "eld_invalid_field" && f.location.field == Some(11))
    );
}

#[test]
fn vin_check_digit() {
    let mut f = base();
    f.cmvs[0].vin = "3AKJHHDR1NSNA4512".into();
    f.header.vin = f.cmvs[0].vin.clone();
    for e in &mut f.engine_power {
        e.vin = f.cmvs[0].vin.clone();
    }
    let r = report(&write(&f));
    assert!(r.findings().iter().all(|x| x.rule == "eld_vin_check_digit"));
    assert_eq!(r.findings().len(), 4);
    assert_eq!(r.findings()[0].expected.as_deref(), Some("X"));
    // Not from the ECM: a leading '-' and no check digit test.
    f.cmvs[0].vin = "-3AKJHHDR1NSNA4512".into();
    f.header.vin = f.cmvs[0].vin.clone();
    for e in &mut f.engine_power {
        e.vin = f.cmvs[0].vin.clone();
    }
    assert!(rules(&write(&f)).is_empty());
}

// ---------------------------------------------------------------------
// Consistency.

#[test]
fn unknown_cmv_order() {
    let mut f = base();
    f.certifications[0].cmv_order = Some(2);
    let r = assert_only(&write(&f), "eld_unknown_cmv_order");
    assert_eq!(r.findings()[0].location.field, Some(6));
}

#[test]
fn unknown_user_order() {
    let mut f = base();
    f.events[0].user_order = 3;
    // The originator is then unknown, so the event check value can only be
    // assumed: no certain mismatch.
    let got = rules(&write(&f));
    assert_eq!(got, ["eld_unknown_user_order"]);
}

#[test]
fn orphan_annotation() {
    let mut f = base();
    f.annotations.push(Annotation {
        sequence_id: 0x99,
        username: "dwhitaker".into(),
        comment: "late entry".into(),
        at: at(9, 20),
        location_description: String::new(),
    });
    assert_only(&write(&f), "eld_orphan_annotation");
    f.annotations[0].sequence_id = 0x15;
    assert!(rules(&write(&f)).is_empty());
}

#[test]
fn duplicate_sequence_id() {
    let mut f = base();
    f.logins[1].sequence_id = 0x16; // the shut-down's ID
    assert_only(&write(&f), "eld_duplicate_sequence_id");
}

#[test]
fn sequence_ids_may_wrap() {
    let mut f = base();
    // 0xFFFE, 0xFFFF, 0, 1, ... in time order: a wrap, not a duplicate.
    let mut all: Vec<(NaiveDateTime, usize, usize)> = Vec::new();
    for (i, e) in f.events.iter().enumerate() {
        all.push((e.at, 0, i));
    }
    for (i, e) in f.engine_power.iter().enumerate() {
        all.push((e.at, 1, i));
    }
    for (i, e) in f.logins.iter().enumerate() {
        all.push((e.at, 2, i));
    }
    all.sort();
    for (n, (_, kind, i)) in all.into_iter().enumerate() {
        let id = 0xFFFEu16.wrapping_add(n as u16);
        match kind {
            0 => f.events[i].sequence_id = id,
            1 => f.engine_power[i].sequence_id = id,
            _ => f.logins[i].sequence_id = id,
        }
    }
    f.certifications[0].sequence_id = 0x0100;
    f.sort_newest_first();
    let got = rules(&write(&f));
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn total_decrease() {
    let mut f = base();
    f.engine_power[0].total_miles = 990; // the shut-down, below the power-up
    f.header.total_miles = Some(990);
    f.logins[0].total_miles = Some(990);
    let r = assert_only(&write(&f), "eld_total_decrease");
    assert_eq!(r.findings()[0].found.as_deref(), Some("990"));
}

#[test]
fn accumulated_decrease() {
    let mut f = base();
    let i = f.events.iter().position(|e| e.sequence_id == 0x14).unwrap();
    f.events[i].engine_hours = Some(EngineHours::from_tenths(1));
    let r = assert_only(&write(&f), "eld_accumulated_decrease");
    assert_eq!(r.findings()[0].severity, Severity::Warning);
    // After a new power-up the count starts again.
    let mut f = base();
    f.engine_power.push(engine(0x1B, at(9, 40), 1, 1100, 5021));
    f.engine_power.push(engine(0x1D, at(9, 55), 3, 1101, 5023));
    f.events.push(event(0x1C, at(9, 45), 1, 3, 1, 0, 0));
    f.events.push(event(0x1E, at(9, 56), 1, 4, 2, 1, 2));
    f.header.current = at(10, 0);
    f.header.total_miles = Some(1101);
    f.header.total_engine_hours = Some(EngineHours::from_tenths(5023));
    f.sort_newest_first();
    let got = rules(&write(&f));
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn status_origin() {
    let mut f = base();
    let i = f.events.iter().position(|e| e.sequence_id == 0x14).unwrap();
    f.events[i].status = 3;
    let r = assert_only(&write(&f), "eld_status_origin");
    assert_eq!(r.findings()[0].found.as_deref(), Some("status 3, origin 1"));
    let mut f = base();
    f.events[i].origin = 2; // an intermediate log entered by hand
    assert_only(&write(&f), "eld_status_origin");
}

/// An edit: the 07:05 on-duty record is replaced by a corrected one.
fn edited() -> OutputFile {
    let mut f = base();
    let i = f.events.iter().position(|e| e.sequence_id == 0x12).unwrap();
    f.events[i].status = 2;
    let mut new = f.events[i].clone();
    new.status = 1;
    new.sequence_id = 0x20;
    new.latitude = Coordinate::degrees(41.62);
    f.events.push(new);
    f.sort_newest_first();
    f
}

#[test]
fn edit_without_annotation() {
    let mut f = edited();
    let r = assert_only(&write(&f), "eld_edit_without_annotation");
    assert!(r.findings()[0].message.contains("20"));
    f.annotations.push(Annotation {
        sequence_id: 0x20,
        username: "dwhitaker".into(),
        comment: "corrected location".into(),
        at: at(9, 25),
        location_description: String::new(),
    });
    let got = rules(&write(&f));
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn driving_edited() {
    let mut f = base();
    let i = f.events.iter().position(|e| e.sequence_id == 0x13).unwrap();
    f.events[i].status = 2;
    let mut off = f.events[i].clone();
    off.status = 1;
    off.origin = 2;
    off.event_code = 4;
    off.sequence_id = 0x20;
    f.events.push(off);
    f.annotations.push(Annotation {
        sequence_id: 0x20,
        username: "dwhitaker".into(),
        comment: "was loading".into(),
        at: at(9, 25),
        location_description: String::new(),
    });
    f.sort_newest_first();
    let r = assert_only(&write(&f), "eld_driving_edited");
    assert_eq!(r.findings()[0].severity, Severity::Error);
    // The same edit keeping the driving status is no tampering signal.
    let j = f.events.iter().position(|e| e.sequence_id == 0x20).unwrap();
    f.events[j].event_code = 3;
    let got = rules(&write(&f));
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn record_order() {
    let mut f = base();
    f.logins.reverse();
    let r = assert_only(&write(&f), "eld_record_order");
    assert_eq!(r.findings().len(), 1);
}

#[test]
fn header_cmv_mismatch() {
    let mut f = base();
    f.header.power_unit = "T0999".into();
    let r = assert_only(&write(&f), "eld_header_cmv_mismatch");
    assert_eq!(r.findings()[0].expected.as_deref(), Some("T1042"));
}

fn unidentified_drive(minutes: i64) -> OutputFile {
    let mut f = base();
    let start = at(5, 0);
    let end = start + chrono::TimeDelta::minutes(minutes);
    f.engine_power.push(engine(0x2, at(4, 59), 1, 990, 4990));
    f.engine_power.push(engine(
        0x5,
        end + chrono::TimeDelta::minutes(1),
        3,
        1000,
        5000,
    ));
    for (seq, t, code) in [(0x3, start, 3u8), (0x4, end, 4)] {
        f.unidentified.push(Event {
            username: "unidentified".into(),
            ..event(
                seq,
                t,
                1,
                code,
                1,
                if code == 3 { 0 } else { 10 },
                if code == 3 { 0 } else { 10 },
            )
        });
    }
    f.sort_newest_first();
    f
}

#[test]
fn unidentified_without_diagnostic() {
    let r = assert_only(
        &write(&unidentified_drive(45)),
        "eld_unidentified_without_diagnostic",
    );
    assert!(r.findings()[0].message.contains("45 minutes"));
    assert!(rules(&write(&unidentified_drive(25))).is_empty());
    let mut f = unidentified_drive(45);
    f.malfunctions.push(Malfunction {
        sequence_id: 0x6,
        event_code: 3,
        code: b'5',
        at: at(5, 46),
        total_miles: Some(1000),
        total_engine_hours: Some(EngineHours::from_tenths(5000)),
        cmv_order: Some(1),
    });
    assert!(rules(&write(&f)).is_empty());
}

// ---------------------------------------------------------------------
// Limits and options.

#[test]
fn million_fields_is_a_limit_error() {
    let good = write(&base());
    let text = String::from_utf8(good).unwrap();
    let huge = ",".repeat(1_000_000);
    let bad = text.replacen(
        "1,D,Whitaker,Dale,",
        &format!("1,D,Whitaker,Dale{huge},"),
        1,
    );
    let err = check(bad.as_bytes(), &Options::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);
    // With a higher bound it is a field count finding, not a hang.
    let mut limits = Limits::default();
    limits.max_fields = 2_000_000;
    let r = check(bad.as_bytes(), &Options::default().with_limits(limits)).unwrap();
    assert!(r.findings().iter().any(|f| f.rule == "eld_field_count"));
}

#[test]
fn rules_can_be_switched_off_and_downgraded() {
    let bytes = replace(&write(&base()), "Northline", "Northlime");
    let off = check(
        &bytes,
        &Options::default().without_rule("line_check_value_mismatch"),
    )
    .unwrap();
    assert!(off.findings().is_empty());
    let warn = check(
        &bytes,
        &Options::default().with_severity("line_check_value_mismatch", Severity::Warning),
    )
    .unwrap();
    assert!(warn.is_ok());
    assert_eq!(warn.findings().len(), 1);
}

#[test]
fn every_eld_rule_is_in_the_table() {
    for code in [
        "line_check_value_mismatch",
        "file_check_value_mismatch",
        "event_check_value_mismatch",
        "eld_field_count",
        "eld_missing_section",
        "eld_duplicate_section",
        "eld_section_order",
        "eld_title_mismatch",
        "eld_unexpected_line",
        "eld_line_count",
        "eld_line_ending",
        "eld_lf_line_endings",
        "eld_non_ascii",
        "eld_invalid_date",
        "eld_invalid_time",
        "eld_invalid_code",
        "eld_invalid_field",
        "eld_vin_check_digit",
        "eld_unknown_cmv_order",
        "eld_unknown_user_order",
        "eld_orphan_annotation",
        "eld_duplicate_sequence_id",
        "eld_total_decrease",
        "eld_accumulated_decrease",
        "eld_status_origin",
        "eld_edit_without_annotation",
        "eld_driving_edited",
        "eld_record_order",
        "eld_header_cmv_mismatch",
        "eld_unidentified_without_diagnostic",
    ] {
        assert!(ediguard::rules::lookup(code).is_some(), "{code}");
    }
}
