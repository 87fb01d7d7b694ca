//! Every EDIFACT corpus file goes through parse + check without a panic, and
//! the envelope facts that `SOURCES.md` states are asserted for named files.
//! Skips (with a message) when the corpus folder or a file is absent.

use std::path::{Path, PathBuf};

use ediguard::{Limits, Options, Report, edifact, integrity};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/edifact");

fn read(name: &str) -> Option<Vec<u8>> {
    let path = Path::new(DIR).join(name);
    match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!("skipping: {} is absent", path.display());
            None
        }
    }
}

fn check(bytes: &[u8]) -> Report {
    integrity::edifact::check(bytes, &Options::default()).expect("corpus files are within limits")
}

fn rules(report: &Report) -> Vec<&'static str> {
    report.findings().iter().map(|f| f.rule).collect()
}

#[test]
fn every_file_parses_and_checks() {
    let Ok(entries) = std::fs::read_dir(DIR) else {
        eprintln!("skipping: {DIR} is absent");
        return;
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    assert!(!files.is_empty());
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let parsed = edifact::parse(&bytes, &Limits::default()).unwrap();
        let report = check(&bytes);
        assert!(
            report.counts.segments > 0,
            "{}: no segments found",
            path.display()
        );
        assert_eq!(
            report.counts.segments,
            parsed
                .interchanges()
                .iter()
                .map(|i| i.segments().len())
                .sum::<usize>()
        );
        eprintln!("{}: {} findings", path.display(), report.findings().len());
    }
}

fn count(report: &Report, rule: &str) -> usize {
    report.findings().iter().filter(|f| f.rule == rule).count()
}

/// True when a finding of `rule` has exactly these expected/found values.
fn has(report: &Report, rule: &str, expected: &str, found: &str) -> bool {
    report.findings().iter().any(|f| {
        f.rule == rule
            && f.expected.as_deref() == Some(expected)
            && f.found.as_deref() == Some(found)
    })
}

#[test]
fn invoic_d97b_una_custom_delimiters() {
    let Some(b) = read("staedi__EDIFACT__invoic_d97b_una.edi") else {
        return;
    };
    let parsed = edifact::parse(&b, &Limits::default()).unwrap();
    let ic = &parsed.interchanges()[0];
    let una = ic.service_string_advice().unwrap();
    assert_eq!(&una.to_bytes(), b"UNA=*.? ~");
    assert_eq!(ic.syntax_identifier(), Some(&b"UNOA"[..]));
    assert_eq!(ic.syntax_version(), Some(3));
    assert_eq!((ic.group_count(), ic.message_count()), (0, 1));
    let report = check(&b);
    assert!(report.is_ok(), "{:?}", report.findings());
}

#[test]
fn invoic_d97b_non_unoa_character() {
    let Some(b) = read("staedi__EDIFACT__invoic_d97b.edi") else {
        return;
    };
    let parsed = edifact::parse(&b, &Limits::default()).unwrap();
    assert!(parsed.interchanges()[0].service_string_advice().is_none());
    let report = check(&b);
    // The U-umlaut (UTF-8 0xC3 0x9C) is outside UNOA; the first byte is named.
    let f = report
        .findings()
        .iter()
        .find(|f| f.rule == "invalid_character")
        .unwrap();
    assert_eq!(b[f.location.offset], 0xC3);
    assert_eq!(f.found.as_deref(), Some("0xc3"));
    assert_eq!(rules(&report), ["line_breaks", "invalid_character"]);
}

#[test]
fn cuscar_segment_count_53_vs_52() {
    let Some(b) = read("edinet__indice.Edi.Tests__edifact.D95B.CUSCAR.EDI") else {
        return;
    };
    let report = check(&b);
    assert!(has(&report, "segment_count_mismatch", "52", "53"));
    let parsed = edifact::parse(&b, &Limits::default()).unwrap();
    assert_eq!(
        parsed.interchanges()[0].syntax_identifier(),
        Some(&b"UNOA"[..])
    );
    assert_eq!((report.counts.interchanges, report.counts.messages), (1, 1));
}

#[test]
fn iftsta_unz_reference_mismatch() {
    let Some(b) = read("edifacttypes__test-data__d00b_iftsta.edi") else {
        return;
    };
    let report = check(&b);
    assert!(has(
        &report,
        "control_number_mismatch",
        "2803570",
        "2805570"
    ));
    let parsed = edifact::parse(&b, &Limits::default()).unwrap();
    assert_eq!(
        parsed.interchanges()[0].syntax_identifier(),
        Some(&b"UNOC"[..])
    );
    assert_eq!(report.counts.messages, 1);
}

#[test]
fn issue188_bom_and_reference_mismatches() {
    let Some(b) = read("edinet__indice.Edi.Tests__edifact.Issue188.edi") else {
        return;
    };
    let report = check(&b);
    assert_eq!(report.findings()[0].rule, "byte_order_mark");
    assert_eq!(report.findings()[0].location.offset, 0);
    let parsed = edifact::parse(&b, &Limits::default()).unwrap();
    let ic = &parsed.interchanges()[0];
    assert_eq!(ic.una_offset(), Some(3));
    assert_eq!(ic.decimal_mark(), b',');
    assert_eq!(ic.syntax_identifier(), Some(&b"UNOC"[..]));
    assert_eq!(ic.message_count(), 4);
    assert_eq!(count(&report, "segment_count_mismatch"), 4);
    assert_eq!(count(&report, "control_number_mismatch"), 2);
    assert!(has(&report, "message_count_mismatch", "4", "1"));
    assert_eq!(count(&report, "duplicate_control_number"), 1);
}

#[test]
fn orders_with_group_unt_21_vs_18() {
    let Some(b) = read("staedi__EDIFACT__orders-with-group.edi") else {
        return;
    };
    let report = check(&b);
    assert_eq!((report.counts.groups, report.counts.messages), (1, 1));
    assert!(has(&report, "segment_count_mismatch", "18", "21"));
    assert_eq!(count(&report, "group_count_mismatch"), 0);
    assert_eq!(count(&report, "message_count_mismatch"), 0);
}

#[test]
fn aperak_syntax_4_unt_8_vs_7() {
    let Some(b) = read("pydifact__messages__v4__aperak.edi") else {
        return;
    };
    let parsed = edifact::parse(&b, &Limits::default()).unwrap();
    let ic = &parsed.interchanges()[0];
    assert_eq!(ic.syntax_version(), Some(4));
    assert_eq!(ic.delimiters().repetition, None, "UNA5 is a space");
    let report = check(&b);
    assert!(has(&report, "segment_count_mismatch", "7", "8"));
    // Syntax 4 wants CCYYMMDD; the file has 250322.
    assert!(has(&report, "invalid_date", "CCYYMMDD", "250322"));
}

#[test]
fn sage_coala_junk_before_una() {
    let Some(b) = read("pydifact__sage_coala.ped") else {
        return;
    };
    let report = check(&b);
    let junk = &report.findings()[0];
    assert_eq!(junk.rule, "leading_junk");
    assert_eq!(junk.location.offset, 0);
    let parsed = edifact::parse(&b, &Limits::default()).unwrap();
    let ic = &parsed.interchanges()[0];
    let una_at = ic.una_offset().unwrap();
    assert_eq!(&b[una_at..una_at + 3], b"UNA");
    assert!(junk.message.starts_with(&format!("{una_at} bytes")));
    assert_eq!(ic.syntax_identifier(), Some(&b"UNOL"[..]));
    assert_eq!((ic.group_count(), ic.message_count()), (1, 1));
    assert!(has(&report, "segment_count_mismatch", "97", "542"));
}

#[test]
fn patient2_unz_reference_and_ansi() {
    let Some(b) = read("pydifact__patient2.edi") else {
        return;
    };
    let report = check(&b);
    let ansi = report
        .findings()
        .iter()
        .find(|f| f.rule == "header_malformed" && f.found.as_deref() == Some("ANSI"))
        .unwrap();
    assert_eq!(ansi.severity, ediguard::Severity::Warning);
    assert_eq!(count(&report, "control_number_mismatch"), 1);
    // CR/LF inside FTX free text.
    assert!(count(&report, "line_break_in_segment") > 0);
}

#[test]
fn other_dialect_trailers_do_not_end_message() {
    let Some(b) = read("staedi__EDIFACT__issue174__other_dialect_term_segments.edi") else {
        return;
    };
    let parsed = edifact::parse(&b, &Limits::default()).unwrap();
    let ic = &parsed.interchanges()[0];
    let msg = ic.messages().next().unwrap();
    let tags: Vec<&[u8]> = msg.segments().map(|s| s.tag()).collect();
    assert_eq!(tags, [&b"UNH"[..], b"IEA", b"END", b"UNT"]);
    assert!(check(&b).is_ok());
}

#[test]
fn bare_messages_are_reported() {
    for (name, unt_found, present) in [
        ("edifacttypes__test-data__d95b_coprar.edi", "56", "29"),
        (
            "edinet__indice.Edi.Tests__edifact.D95B.Issue137.EDI",
            "53",
            "52",
        ),
        ("edifactrs__d96a_orders_malformed.edi", "5", "4"),
    ] {
        let Some(b) = read(name) else { continue };
        let report = check(&b);
        assert_eq!(count(&report, "bare_message"), 1, "{name}");
        assert_eq!(report.counts.interchanges, 0, "{name}");
        assert_eq!(report.counts.messages, 1, "{name}");
        assert!(
            has(&report, "segment_count_mismatch", present, unt_found),
            "{name}"
        );
    }
}

#[test]
fn huge_file_counts() {
    let Some(b) = read("pydifact__huge_file2.edi") else {
        return;
    };
    let report = check(&b);
    assert!(has(&report, "segment_count_mismatch", "109619", "16"));
    assert_eq!(count(&report, "missing_trailer"), 1, "the file ends at UNT");
}
