//! The example ELD files in `examples/data/`: the clean one checks clean,
//! the tampered one is flagged for exactly what was done to it.

use ediguard::{Format, Options, Severity, check};

fn read(name: &str) -> Vec<u8> {
    let path = format!("{}/examples/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn clean_sample_checks_clean() {
    let input = read("eld-T1042.csv");
    let report = check(&input, &Options::default()).unwrap();
    assert_eq!(report.format, Some(Format::Eld));
    assert!(report.findings().is_empty(), "{:#?}", report.findings());
    assert_eq!(report.counts.interchanges, 1);
    assert_eq!(
        report.counts.segments,
        input.split(|&b| b == b'\n').count() - 1
    );
}

#[test]
fn tampered_sample_is_flagged() {
    let input = read("eld-T1042-tampered.csv");
    let report = check(&input, &Options::default()).unwrap();
    let rules: Vec<&str> = report.findings().iter().map(|f| f.rule).collect();
    assert!(rules.contains(&"eld_driving_edited"), "{rules:?}");
    assert!(rules.contains(&"line_check_value_mismatch"), "{rules:?}");
    assert!(rules.contains(&"event_check_value_mismatch"), "{rules:?}");
    assert!(!report.is_ok());
    // The broken line is the 08:50 driving record, and the finding points
    // at its last field (the line check value).
    let lcv = report
        .findings()
        .iter()
        .find(|f| f.rule == "line_check_value_mismatch")
        .unwrap();
    let line_start = input[..lcv.location.offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    assert!(input[line_start..].starts_with(b"1A95,1,1,1,3,111726,085000,9,"));
    assert_eq!(lcv.location.field, Some(18));
    assert_eq!(lcv.severity, Severity::Error);
    // The event check value mismatch is certain: the username is the
    // header driver's.
    let ecv = report
        .findings()
        .iter()
        .find(|f| f.rule == "event_check_value_mismatch")
        .unwrap();
    assert_eq!(ecv.severity, Severity::Error);
    assert_eq!(ecv.location.field, Some(17));
}
