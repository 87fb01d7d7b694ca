//! The hand-written EDIFACT samples in `examples/data/` check clean: no
//! finding but the `line_breaks` info (one segment per line, for people).

use ediguard::{Format, Limits, Options, Severity, check, edifact};

fn sample(name: &str) -> Vec<u8> {
    let path = format!("{}/examples/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn assert_clean(name: &str, message_type: &[u8], segments: usize) {
    let bytes = sample(name);
    let report = check(&bytes, &Options::default()).unwrap();
    assert_eq!(report.format, Some(Format::Edifact));
    let rules: Vec<_> = report
        .findings()
        .iter()
        .map(|f| (f.rule, f.severity))
        .collect();
    assert_eq!(rules, [("line_breaks", Severity::Info)], "{name}");
    assert_eq!(
        (
            report.counts.interchanges,
            report.counts.groups,
            report.counts.messages
        ),
        (1, 0, 1)
    );
    assert_eq!(report.counts.segments, segments);
    let parsed = edifact::parse(&bytes, &Limits::default()).unwrap();
    let msg = parsed.interchanges()[0].messages().next().unwrap();
    assert_eq!(msg.message_type(), Some(message_type));
}

#[test]
fn iftsta_status_checks_clean() {
    assert_clean("iftsta-status.edi", b"IFTSTA", 29);
    let bytes = sample("iftsta-status.edi");
    let parsed = edifact::parse(&bytes, &Limits::default()).unwrap();
    let ic = &parsed.interchanges()[0];
    let statuses: Vec<Vec<u8>> = ic
        .segments()
        .filter(|s| s.is(b"STS"))
        .map(|s| {
            s.element(2)
                .unwrap()
                .component(1)
                .unwrap()
                .value()
                .into_owned()
        })
        .collect();
    assert_eq!(statuses, [&b"X3"[..], b"AF", b"X6", b"X1", b"D1"]);
    let ftx = ic.segments().find(|s| s.is(b"FTX")).unwrap();
    assert_eq!(
        &*ftx.element(4).unwrap().component(1).unwrap().value(),
        b"Delivered at the consignee's dock: 22 pallets"
    );
}

#[test]
fn cuscar_manifest_checks_clean() {
    assert_clean("cuscar-manifest.edi", b"CUSCAR", 22);
    let bytes = sample("cuscar-manifest.edi");
    let parsed = edifact::parse(&bytes, &Limits::default()).unwrap();
    let ic = &parsed.interchanges()[0];
    let ftx = ic.segments().find(|s| s.is(b"FTX")).unwrap();
    assert_eq!(
        &*ftx.element(4).unwrap().value(),
        b"Paper towels: 22 pallets, 18,400 lb"
    );
}
