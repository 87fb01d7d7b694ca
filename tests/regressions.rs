//! Inputs the fuzzers found, each a named test with the minimised bytes
//! inline and the assertion the fuzz target makes (see `fuzz/README.md`).

use ediguard::edifact;
use ediguard::{Limits, Options, integrity};

/// Each message's segments, as offsets (through one adapter, so a change of
/// `Message::segments()` from a slice to an iterator is a one-line change).
fn message_offsets(input: &[u8]) -> Vec<Vec<usize>> {
    let parsed = edifact::parse(input, &Limits::default()).expect("parses");
    parsed
        .interchanges()
        .iter()
        .flat_map(|ic| {
            ic.messages()
                .map(|m| m.segments().map(|s| s.offset()).collect())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `parse_edifact`: a message without UNT, ended by the next UNH, took that
/// UNH as its own last segment, so two messages shared a segment and the
/// first one's segment count was one too many.
#[test]
fn edifact_message_without_unt_ended_by_next_unh() {
    let input = b"2'\nUNH+61b\0\0\0\0\0\0\0\xfa+NLF000'\nUNH+1+C\n";
    assert_eq!(message_offsets(input), vec![vec![3], vec![27]]);
    let report = integrity::edifact::check(input, &Options::default()).expect("readable");
    assert!(
        report
            .findings()
            .iter()
            .all(|f| f.location.offset <= input.len())
    );
}

/// The same recovery at UNZ, UNE and UNG: the segment that ends an
/// unclosed message belongs to no message.
#[test]
fn edifact_message_without_unt_ended_by_unz_une_ung() {
    let unz = b"UNB+UNOA:3+A+B+261117:1600+7'UNH+1+X'FTX+AAI'UNZ+1+7'";
    assert_eq!(message_offsets(unz), vec![vec![29, 37]]);
    let une = b"UNB+UNOA:3+A+B+261117:1600+7'UNG+X+A+B+261117:1600+3'UNH+1+X'UNE+1+3'UNZ+1+7'";
    assert_eq!(message_offsets(une), vec![vec![53]]);
    let ung = b"UNB+UNOA:3+A+B+261117:1600+7'UNG+X+A+B+261117:1600+3'UNH+1+X'UNG+X+A+B+261117:1600+4'UNE+0+4'UNZ+2+7'";
    assert_eq!(message_offsets(ung), vec![vec![53]]);
    // A closed message keeps its UNT.
    let closed = b"UNB+UNOA:3+A+B+261117:1600+7'UNH+1+X'UNT+2+1'UNZ+1+7'";
    assert_eq!(message_offsets(closed), vec![vec![29, 37]]);
}

/// `eld_writer_roundtrip`: an event whose User List row has blank names, in
/// a file without a co-driver (header line 2 blank). The blank row is not
/// the co-driver, so the checker computes the event check value with the
/// driver's username, as an assumption: a value computed with another
/// username is a warning, never an error, and the driver's username checks
/// clean.
#[test]
fn eld_event_of_blank_user_row_without_co_driver() {
    use chrono::NaiveDate;
    use ediguard::eld::write::{Cmv, Event, OutputFile, User};
    use ediguard::eld::{Coordinate, EngineHours};
    use ediguard::{Severity, rules};

    let at = NaiveDate::from_ymd_opt(2026, 7, 27)
        .and_then(|d| d.and_hms_opt(6, 54, 54))
        .expect("valid date");
    let event = |username: &str| Event {
        sequence_id: 0x3636,
        status: 1,
        origin: 2,
        event_type: 1,
        event_code: 4,
        at,
        miles: Some(1200),
        engine_hours: Some(EngineHours::from_tenths(34)),
        latitude: Coordinate::NoFix,
        longitude: Coordinate::NoFix,
        distance_since_last_valid: 5,
        cmv_order: 1,
        user_order: 1,
        malfunction: false,
        diagnostic: false,
        username: username.to_owned(),
    };
    let mut file = OutputFile::default();
    file.header.driver_last_name = "Whitaker".into();
    file.header.driver_first_name = "Dale".into();
    file.header.driver_username = "dwhitaker".into();
    file.users = vec![User {
        order: 1,
        account_type: b'D',
        last_name: String::new(),
        first_name: String::new(),
    }];
    file.cmvs = vec![Cmv {
        order: 1,
        power_unit: "PU7".into(),
        vin: String::new(),
    }];
    let mismatches = |file: &OutputFile| {
        let bytes = file.to_bytes();
        let report = integrity::eld::check(&bytes, &Options::default()).expect("readable");
        report
            .findings()
            .iter()
            .filter(|f| f.rule == rules::EVENT_CHECK_VALUE_MISMATCH.code)
            .map(|f| f.severity)
            .collect::<Vec<_>>()
    };
    // The fuzzer's model gave the event the (empty) co-driver's username.
    file.events = vec![event("")];
    assert_eq!(mismatches(&file), vec![Severity::Warning]);
    file.events = vec![event("dwhitaker")];
    assert_eq!(mismatches(&file), Vec::<Severity>::new());
}
