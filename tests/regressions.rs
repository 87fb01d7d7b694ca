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

/// `edisig_verify`: an EDIFACT payload whose UNB sender id is thousands of
/// bytes long (the fuzzer's was NUL and 0xFA runs, each percent-encoded to
/// three bytes in `ctl`). `sign` wrote a line that `verify` then rejected at
/// step 1 (line over 4096 bytes); now `sign` refuses with the same limit,
/// and a payload with an ordinary sender still signs and verifies.
#[test]
fn edisig_edifact_sender_id_too_long_for_a_signature_line() {
    use ediguard::integrity::edisig::{
        DEFAULT_MAX_LINE_LEN, Key, KeyRing, MemoryReplayCache, Nonce, PayloadType, SignParams,
        VerifyOptions, sign, verify,
    };
    let payload = |sender: &[u8]| {
        let mut p = b"UNB+UNOC:3+".to_vec();
        p.extend_from_slice(sender);
        p.extend_from_slice(b":ZZZ+GLPAPER:ZZZ+261117:0855+42'UNH+1+X'UNT+2+1'UNZ+1+42'");
        p
    };
    let long = payload(&[0xFA; 1500]);
    let key = Key::new(vec![7u8; 32]).expect("secret");
    let params = SignParams::new(
        PayloadType::Edifact,
        1_704_110_400,
        Nonce::from_bytes([1; 16]),
    );
    let err = sign("acme-1", &key, &params, &long).expect_err("line would be too long");
    assert_eq!(err.code(), "limit");
    assert!(
        err.to_string().contains(&DEFAULT_MAX_LINE_LEN.to_string()),
        "{err}"
    );

    let short = payload(b"NLFX");
    let key = key.with_senders(["NLFX"]);
    let line = sign("acme-1", &key, &params, &short)
        .expect("signs")
        .to_string();
    let mut ring = KeyRing::new();
    ring.insert("acme-1", key).expect("kid");
    let cache = MemoryReplayCache::new(8);
    let verified = verify(
        &line,
        &short,
        &ring,
        &cache,
        &VerifyOptions::at(1_704_110_430),
    );
    assert!(verified.is_ok(), "{verified:?}");
}
