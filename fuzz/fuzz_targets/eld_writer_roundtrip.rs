//! Structure-aware ELD writer round trip: an arbitrary owned
//! `eld::write::OutputFile` (bounded sizes, values from safe alphabets that
//! include the `,` the writer must replace) is written with `to_bytes`,
//! parsed and checked. Invariants: the checker finds no line, event or file
//! data check value mismatch (§4.4.5) and no line-ending or title problem
//! the writer could have caused; every section holds as many rows as the
//! model (seven header lines, one End of File line).
#![no_main]

use arbitrary::Unstructured;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use ediguard::eld::write::{
    Annotation, Certification, Cmv, EnginePower, Event, Header, Login, Malfunction, OutputFile,
    User,
};
use ediguard::eld::{Coordinate, EldFile, EngineHours, SectionKind};
use ediguard::{Limits, Options, integrity, rules};
use libfuzzer_sys::fuzz_target;

const TEXT: &[u8] = b"ABCXYZabcxyz0123456789 .-/,'&#";
const MAX_ROWS: usize = 12;

fn text(u: &mut Unstructured<'_>, max: usize) -> arbitrary::Result<String> {
    let n = u.int_in_range(0..=max)?;
    (0..n).map(|_| Ok(char::from(*u.choose(TEXT)?))).collect()
}

fn date(u: &mut Unstructured<'_>) -> arbitrary::Result<NaiveDate> {
    let y = u.int_in_range(2000..=2099)?;
    let m = u.int_in_range(1..=12)?;
    let d = u.int_in_range(1..=28)?;
    Ok(NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
}

fn at(u: &mut Unstructured<'_>) -> arbitrary::Result<NaiveDateTime> {
    let t = NaiveTime::from_hms_opt(
        u.int_in_range(0..=23)?,
        u.int_in_range(0..=59)?,
        u.int_in_range(0..=59)?,
    )
    .unwrap_or_default();
    Ok(date(u)?.and_time(t))
}

fn coordinate(u: &mut Unstructured<'_>, longitude: bool) -> arbitrary::Result<Coordinate> {
    let max = if longitude { 18_000 } else { 9_000 };
    Ok(match u.int_in_range(0..=5)? {
        0 => Coordinate::NoFix,
        1 => Coordinate::Manual,
        2 => Coordinate::Malfunction,
        3 => Coordinate::Degrees {
            scaled: u.int_in_range(-max / 10..=max / 10)?,
            decimals: 1,
        },
        _ => Coordinate::Degrees {
            scaled: u.int_in_range(-max..=max)?,
            decimals: 2,
        },
    })
}

fn hours(u: &mut Unstructured<'_>) -> arbitrary::Result<EngineHours> {
    Ok(EngineHours::from_tenths(u.int_in_range(0..=999_999)?))
}

fn opt<T>(
    u: &mut Unstructured<'_>,
    f: impl FnOnce(&mut Unstructured<'_>) -> arbitrary::Result<T>,
) -> arbitrary::Result<Option<T>> {
    Ok(if u.arbitrary()? { Some(f(u)?) } else { None })
}

fn rows<T>(
    u: &mut Unstructured<'_>,
    mut f: impl FnMut(&mut Unstructured<'_>) -> arbitrary::Result<T>,
) -> arbitrary::Result<Vec<T>> {
    let n = u.int_in_range(0..=MAX_ROWS)?;
    (0..n).map(|_| f(u)).collect()
}

fn event(u: &mut Unstructured<'_>) -> arbitrary::Result<Event> {
    Ok(Event {
        sequence_id: u.arbitrary()?,
        status: u.int_in_range(1..=4)?,
        origin: u.int_in_range(1..=4)?,
        event_type: u.int_in_range(1..=3)?,
        event_code: u.int_in_range(0..=9)?,
        at: at(u)?,
        miles: opt(u, |u| u.int_in_range(0..=9_999_999))?,
        engine_hours: opt(u, hours)?,
        latitude: coordinate(u, false)?,
        longitude: coordinate(u, true)?,
        distance_since_last_valid: u.int_in_range(0..=6)?,
        cmv_order: u.int_in_range(1..=MAX_ROWS as u8 + 1)?,
        user_order: u.int_in_range(1..=MAX_ROWS as u8 + 1)?,
        malfunction: u.arbitrary()?,
        diagnostic: u.arbitrary()?,
        username: String::new(),
    })
}

fn model(u: &mut Unstructured<'_>) -> arbitrary::Result<OutputFile> {
    let header = Header {
        driver_last_name: text(u, 16)?,
        driver_first_name: text(u, 16)?,
        driver_username: text(u, 12)?,
        licence_state: text(u, 2)?,
        licence_number: text(u, 12)?,
        co_driver_last_name: text(u, 8)?,
        co_driver_first_name: text(u, 8)?,
        co_driver_username: text(u, 8)?,
        power_unit: text(u, 8)?,
        vin: text(u, 17)?,
        trailers: text(u, 12)?,
        usdot_number: text(u, 9)?,
        carrier_name: text(u, 20)?,
        multiday_basis: *u.choose(&[7, 8])?,
        period_start: at(u)?.time(),
        time_zone_offset: u.int_in_range(4..=11)?,
        shipping_document: text(u, 12)?,
        exempt: u.arbitrary()?,
        current: at(u)?,
        latitude: coordinate(u, false)?,
        longitude: coordinate(u, true)?,
        total_miles: opt(u, |u| u.int_in_range(0..=9_999_999))?,
        total_engine_hours: opt(u, hours)?,
        registration_id: text(u, 4)?,
        eld_identifier: text(u, 6)?,
        authentication_value: text(u, 16)?,
        output_file_comment: text(u, 20)?,
    };
    Ok(OutputFile {
        header,
        users: rows(u, |u| {
            Ok(User {
                order: 0,
                account_type: *u.choose(b"DS")?,
                last_name: text(u, 12)?,
                first_name: text(u, 12)?,
            })
        })?,
        cmvs: rows(u, |u| {
            Ok(Cmv {
                order: 0,
                power_unit: text(u, 8)?,
                vin: text(u, 17)?,
            })
        })?,
        events: rows(u, event)?,
        annotations: rows(u, |u| {
            Ok(Annotation {
                sequence_id: u.arbitrary()?,
                username: text(u, 12)?,
                comment: text(u, 30)?,
                at: at(u)?,
                location_description: text(u, 20)?,
            })
        })?,
        certifications: rows(u, |u| {
            Ok(Certification {
                sequence_id: u.arbitrary()?,
                event_code: u.int_in_range(1..=9)?,
                at: at(u)?,
                certified_date: date(u)?,
                cmv_order: opt(u, |u| u.int_in_range(1..=99))?,
            })
        })?,
        malfunctions: rows(u, |u| {
            Ok(Malfunction {
                sequence_id: u.arbitrary()?,
                event_code: u.int_in_range(1..=4)?,
                code: *u.choose(b"PETRSLO123456")?,
                at: at(u)?,
                total_miles: opt(u, |u| u.int_in_range(0..=9_999_999))?,
                total_engine_hours: opt(u, hours)?,
                cmv_order: opt(u, |u| u.int_in_range(1..=99))?,
            })
        })?,
        logins: rows(u, |u| {
            Ok(Login {
                sequence_id: u.arbitrary()?,
                event_code: u.int_in_range(1..=2)?,
                username: text(u, 12)?,
                at: at(u)?,
                total_miles: opt(u, |u| u.int_in_range(0..=9_999_999))?,
                total_engine_hours: opt(u, hours)?,
            })
        })?,
        engine_power: rows(u, |u| {
            Ok(EnginePower {
                sequence_id: u.arbitrary()?,
                event_code: u.int_in_range(1..=4)?,
                at: at(u)?,
                total_miles: u.int_in_range(0..=9_999_999)?,
                total_engine_hours: hours(u)?,
                latitude: coordinate(u, false)?,
                longitude: coordinate(u, true)?,
                power_unit: text(u, 8)?,
                vin: text(u, 17)?,
                trailers: text(u, 12)?,
                shipping_document: text(u, 12)?,
            })
        })?,
        unidentified: rows(u, event)?,
    })
}

/// Gives users and CMVs distinct order numbers (1, 2, ...) and every event
/// the username of its originator as the file identifies it (§4.4.5.1): the
/// driver's or (when line 2 names one) the co-driver's username when the
/// User List row of its user order carries their name, else the driver's; `unidentified` for the
/// unidentified profile.
fn originators(file: &mut OutputFile) {
    for (i, user) in file.users.iter_mut().enumerate() {
        user.order = u8::try_from(i + 1).unwrap_or(99);
    }
    for (i, cmv) in file.cmvs.iter_mut().enumerate() {
        cmv.order = u8::try_from(i + 1).unwrap_or(99);
    }
    let fold = |s: &str| s.replace(',', ";").to_ascii_lowercase();
    let h = &file.header;
    let driver = (
        fold(&h.driver_last_name),
        fold(&h.driver_first_name),
        h.driver_username.clone(),
    );
    let co = (
        fold(&h.co_driver_last_name),
        fold(&h.co_driver_first_name),
        h.co_driver_username.clone(),
    );
    let has_co = !co.2.trim().is_empty();
    for e in &mut file.events {
        let row = file.users.iter().find(|u| u.order == e.user_order);
        let names = row.map(|u| (fold(&u.last_name), fold(&u.first_name)));
        e.username = match names {
            Some((l, f)) if (l.as_str(), f.as_str()) == (driver.0.as_str(), driver.1.as_str()) => {
                driver.2.clone()
            }
            // Line 2 names a co-driver only when it holds a username
            // (§4.8.2.1.1: the line is blank when there is none).
            Some((l, f))
                if has_co && (l.as_str(), f.as_str()) == (co.0.as_str(), co.1.as_str()) =>
            {
                co.2.clone()
            }
            _ => driver.2.clone(),
        };
    }
    for e in &mut file.unidentified {
        e.username = "unidentified".to_owned();
    }
}

/// Rules only a broken writer could trigger on its own output.
const WRITER_RULES: &[&str] = &[
    rules::LINE_CHECK_VALUE_MISMATCH.code,
    rules::EVENT_CHECK_VALUE_MISMATCH.code,
    rules::FILE_CHECK_VALUE_MISMATCH.code,
];

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(mut file) = model(&mut u) else { return };
    originators(&mut file);
    if u.arbitrary().unwrap_or(false) {
        file.sort_newest_first();
    }
    let bytes = file.to_bytes();
    let report = integrity::eld::check(&bytes, &Options::default()).expect("readable");
    for f in report.findings() {
        assert!(
            !WRITER_RULES.contains(&f.rule),
            "{f:?}\n{}",
            String::from_utf8_lossy(&bytes)
        );
    }
    let parsed = EldFile::parse(&bytes, &Limits::default()).expect("parses");
    let count = |kind| parsed.section(kind).map(|s| s.len());
    assert_eq!(count(SectionKind::Header), Some(7));
    assert_eq!(count(SectionKind::UserList), Some(file.users.len()));
    assert_eq!(count(SectionKind::CmvList), Some(file.cmvs.len()));
    assert_eq!(count(SectionKind::EventList), Some(file.events.len()));
    assert_eq!(
        count(SectionKind::Annotations),
        Some(file.annotations.len())
    );
    assert_eq!(
        count(SectionKind::Certifications),
        Some(file.certifications.len())
    );
    assert_eq!(
        count(SectionKind::Malfunctions),
        Some(file.malfunctions.len())
    );
    assert_eq!(count(SectionKind::LoginLogout), Some(file.logins.len()));
    assert_eq!(
        count(SectionKind::EnginePower),
        Some(file.engine_power.len())
    );
    assert_eq!(
        count(SectionKind::Unidentified),
        Some(file.unidentified.len())
    );
    assert_eq!(count(SectionKind::EndOfFile), Some(1));
    assert_eq!(parsed.sections().count(), 11, "no stray section");
});
