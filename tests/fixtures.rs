//! The fixtures in tests/data check as their README says.

use ediguard::{Limits, Options, Report, check, edifact};

fn report(name: &str) -> (Vec<u8>, Report) {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let input = std::fs::read(path).unwrap();
    let report = check(&input, &Options::default()).unwrap();
    (input, report)
}

fn rules(report: &Report) -> Vec<&str> {
    report.findings().iter().map(|f| f.rule).collect()
}

#[test]
fn ta1_only_interchange_is_an_acknowledgment_not_an_error() {
    let (_, r) = report("ta1-accepted.x12");
    assert_eq!(rules(&r), ["interchange_acknowledgment"]);
    assert_eq!(r.counts.interchanges, 1);
    assert_eq!(r.counts.groups, 0);
}

#[test]
fn syntax4_repetitions_and_releases_check_clean_and_read_back() {
    let (input, r) = report("iftsta-syntax4-repetition.edi");
    assert!(r.findings().is_empty(), "{:?}", r.findings());
    let parsed = edifact::parse(&input, &Limits::default()).unwrap();
    let ftx = parsed.interchanges()[0]
        .messages()
        .next()
        .unwrap()
        .segments()
        .find(|s| s.is(b"FTX"))
        .unwrap();
    let text = ftx.element(4).unwrap();
    let reps: Vec<_> = text.repetitions().map(|r| r.value().into_owned()).collect();
    assert_eq!(reps, [b"DOCK 4".to_vec(), b"DOCK 5".to_vec()]);
    assert_eq!(&*ftx.element(5).unwrap().value(), b"O'HARA + SONS");
}

#[test]
fn bare_message_is_reported() {
    let (_, r) = report("bare-message.edi");
    assert_eq!(rules(&r), ["bare_message"]);
    assert_eq!(r.counts.messages, 1);
}
