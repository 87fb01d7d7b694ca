//! One test per EDIFACT envelope rule: a file that triggers it, and the
//! correct file that does not.

use ediguard::{Options, Report, Severity, integrity};

/// A correct interchange with one group of two messages.
const GOOD: &str = "UNB+UNOC:3+NLFX:ZZZ+GLPAPER:ZZZ+261117:1600+42'\
UNG+IFTSTA+NLFX+GLPAPER+261117:1600+7+UN+D:01B'\
UNH+1+IFTSTA:D:01B:UN'BGM+23+SH240611+9'UNT+3+1'\
UNH+2+IFTSTA:D:01B:UN'BGM+23+SH240612+9'UNT+3+2'\
UNE+2+7'UNZ+1+42'";

/// A correct interchange without groups.
const FLAT: &str = "UNB+UNOC:3+NLFX:ZZZ+GLPAPER:ZZZ+261117:1600+42'\
UNH+1+IFTSTA:D:01B:UN'BGM+23+SH240611+9'UNT+3+1'UNZ+1+42'";

fn report(input: &str) -> Report {
    integrity::edifact::check(input.as_bytes(), &Options::default()).unwrap()
}

/// (rule, expected, found) of every finding.
fn found(r: &Report) -> Vec<(&'static str, String, String)> {
    r.findings()
        .iter()
        .map(|f| {
            (
                f.rule,
                f.expected.clone().unwrap_or_default(),
                f.found.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn only(r: &Report, rule: &str) -> Vec<usize> {
    r.findings()
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.location.offset)
        .collect()
}

fn edit(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "{from}");
    GOOD.replacen(from, to, 1)
}

#[test]
fn correct_files_have_no_findings() {
    for input in [GOOD, FLAT] {
        let r = report(input);
        assert!(r.findings().is_empty(), "{:?}", r.findings());
    }
    let r = report(GOOD);
    assert_eq!(
        (
            r.counts.interchanges,
            r.counts.groups,
            r.counts.messages,
            r.counts.segments
        ),
        (1, 1, 2, 10)
    );
}

#[test]
fn control_number_mismatch() {
    let r = report(&edit("UNZ+1+42'", "UNZ+1+43'"));
    assert_eq!(
        found(&r),
        [("control_number_mismatch", "42".into(), "43".into())]
    );
    assert_eq!(r.findings()[0].location.element, Some(2));
    let r = report(&edit("UNE+2+7'", "UNE+2+8'"));
    assert_eq!(
        found(&r),
        [("control_number_mismatch", "7".into(), "8".into())]
    );
    let r = report(&edit("UNT+3+2'", "UNT+3+9'"));
    assert_eq!(
        found(&r),
        [("control_number_mismatch", "2".into(), "9".into())]
    );
    // Release characters are removed before comparing.
    let r = report(&edit("UNZ+1+42'", "UNZ+1+4?2'"));
    assert!(r.findings().is_empty(), "{:?}", r.findings());
}

#[test]
fn segment_count_mismatch() {
    let input = edit("UNT+3+1'", "UNT+4+1'");
    let r = report(&input);
    assert_eq!(
        found(&r),
        [("segment_count_mismatch", "3".into(), "4".into())]
    );
    let unt_count_at = input.find("UNT+4").unwrap() + 4;
    assert_eq!(only(&r, "segment_count_mismatch"), [unt_count_at]);
    let r = report(&edit("UNT+3+1'", "UNT+X+1'"));
    assert_eq!(
        found(&r),
        [("segment_count_mismatch", "3".into(), "X".into())]
    );
}

#[test]
fn message_count_mismatch() {
    let r = report(&edit("UNE+2+7'", "UNE+3+7'"));
    assert_eq!(
        found(&r),
        [("message_count_mismatch", "2".into(), "3".into())]
    );
    let r = report(&FLAT.replace("UNZ+1+42'", "UNZ+2+42'"));
    assert_eq!(
        found(&r),
        [("message_count_mismatch", "1".into(), "2".into())]
    );
}

#[test]
fn group_count_mismatch() {
    let r = report(&edit("UNZ+1+42'", "UNZ+2+42'"));
    assert_eq!(
        found(&r),
        [("group_count_mismatch", "1".into(), "2".into())]
    );
}

#[test]
fn duplicate_control_number() {
    // Interchange reference repeated by the same sender.
    let twice = format!("{FLAT}{FLAT}");
    let r = report(&twice);
    assert_eq!(
        only(&r, "duplicate_control_number"),
        [FLAT.len() + FLAT.find("+42'").unwrap() + 1]
    );
    // A different sender may reuse the reference.
    let other = FLAT.replace("NLFX:ZZZ", "OTHER:ZZZ");
    assert!(report(&format!("{FLAT}{other}")).findings().is_empty());
    // Message reference repeated within the interchange.
    let r = report(&edit("UNH+2+", "UNH+1+").replace("UNT+3+2'", "UNT+3+1'"));
    assert_eq!(found(&r).len(), 1);
    assert_eq!(r.findings()[0].rule, "duplicate_control_number");
    // Group reference repeated within the interchange.
    let groups = GOOD.replace(
        "UNE+2+7'UNZ+1+42'",
        "UNE+2+7'UNG+IFTSTA+NLFX+GLPAPER+261117:1600+7+UN+D:01B'UNH+3+IFTSTA:D:01B:UN'UNT+2+3'UNE+1+7'UNZ+2+42'",
    );
    let r = report(&groups);
    assert_eq!(found(&r).len(), 1, "{:?}", r.findings());
    assert_eq!(r.findings()[0].rule, "duplicate_control_number");
}

#[test]
fn missing_trailer() {
    // UNT missing: recovery at the next UNH, which is still checked.
    let input = edit("BGM+23+SH240611+9'UNT+3+1'", "BGM+23+SH240611+9'");
    let r = report(&input);
    assert_eq!(only(&r, "missing_trailer"), [input.find("UNH+1").unwrap()]);
    assert_eq!(r.counts.messages, 2);
    assert_eq!(r.findings().len(), 1, "{:?}", r.findings());
    // UNE missing.
    let input = edit("UNE+2+7'", "");
    let r = report(&input);
    assert_eq!(only(&r, "missing_trailer"), [input.find("UNG").unwrap()]);
    // UNZ missing, next interchange recovers.
    let cut = FLAT.replace("UNZ+1+42'", "");
    let next = FLAT.replace("+42'", "+43'");
    let r = report(&format!("{cut}{next}"));
    assert_eq!(only(&r, "missing_trailer"), [0]);
    assert_eq!(r.counts.interchanges, 2);
    assert_eq!(r.findings().len(), 1, "{:?}", r.findings());
}

#[test]
fn invalid_character() {
    let r = report(&FLAT.replace("UNOC", "UNOA").replace("SH240611", "sh240611"));
    let at = FLAT.find("SH240611").unwrap();
    assert_eq!(only(&r, "invalid_character"), [at]);
    assert!(r.findings()[0].message.contains("0x73"));
    // A control byte in data under any repertoire.
    let r = report(&FLAT.replace("SH240611", "SH24\u{7}0611"));
    assert_eq!(only(&r, "invalid_character"), [at + 4]);
    let r = report(
        &FLAT
            .replace("UNOC", "IATB")
            .replace("SH240611", "SH24\u{0}0611"),
    );
    assert_eq!(only(&r, "invalid_character"), [at + 4]);
}

#[test]
fn header_malformed() {
    // UNA not nine bytes.
    let r = report(&format!("UNA:+.?'{FLAT}"));
    assert_eq!(only(&r, "header_malformed"), [0]);
    // UNB without its control reference.
    let r = report(&FLAT.replace("+261117:1600+42'", "+261117:1600'"));
    let rules: Vec<_> = r.findings().iter().map(|f| f.rule).collect();
    assert!(rules.contains(&"header_malformed"), "{rules:?}");
    // Unknown syntax identifier: warning when shaped like one, error if not.
    let r = report(&FLAT.replace("UNOC", "IATB"));
    assert_eq!(
        found(&r),
        [("header_malformed", "UNOA..UNOY".into(), "IATB".into())]
    );
    assert_eq!(r.findings()[0].severity, Severity::Warning);
    let r = report(&FLAT.replace("UNOC", "X1"));
    assert_eq!(r.findings()[0].severity, Severity::Error);
    // Syntax version outside 1..4.
    let r = report(&FLAT.replace("UNOC:3", "UNOC:7"));
    assert_eq!(found(&r), [("header_malformed", "1..4".into(), "7".into())]);
}

#[test]
fn invalid_date_and_time() {
    let r = report(&FLAT.replace("261117:1600", "261317:1600"));
    assert_eq!(
        found(&r),
        [("invalid_date", "YYMMDD".into(), "261317".into())]
    );
    let r = report(&FLAT.replace("261117:1600", "261117:2460"));
    assert_eq!(found(&r), [("invalid_time", "HHMM".into(), "2460".into())]);
    // Syntax 4 wants CCYYMMDD.
    let v4 = FLAT.replace("UNOC:3", "UNOC:4");
    assert_eq!(found(&report(&v4))[0].0, "invalid_date");
    let v4_ok = v4.replace("261117:1600", "20261117:1600");
    assert!(report(&v4_ok).findings().is_empty());
    let leap = FLAT.replace("261117", "280229");
    assert!(report(&leap).findings().is_empty());
    let not_leap = FLAT.replace("261117", "270229");
    assert_eq!(found(&report(&not_leap))[0].0, "invalid_date");
}

#[test]
fn unexpected_segment() {
    // A data segment between messages.
    let input = edit("UNT+3+1'", "UNT+3+1'FTX+AAI'");
    let r = report(&input);
    assert_eq!(only(&r, "unexpected_segment"), [input.find("FTX").unwrap()]);
    assert_eq!(r.findings()[0].location.segment, Some(5));
    // UNT without UNH.
    let r = report(&FLAT.replace("UNZ+1+42'", "UNT+1+1'UNZ+1+42'"));
    assert_eq!(only(&r, "unexpected_segment").len(), 1);
    // A message outside a group in an interchange with groups.
    let mixed = edit("UNZ+1+42'", "UNH+3+X'UNT+2+3'UNZ+1+42'");
    let r = report(&mixed);
    assert_eq!(
        only(&r, "unexpected_segment"),
        [mixed.find("UNH+3").unwrap()]
    );
}

#[test]
fn bare_message() {
    let r = report("UNH+1+IFTSTA:D:01B:UN'BGM+23+SH240611+9'UNT+3+1'");
    assert_eq!(found(&r), [("bare_message", String::new(), String::new())]);
    assert_eq!(r.findings()[0].severity, Severity::Warning);
}

#[test]
fn options_change_severity_and_switch_rules_off() {
    let bad = edit("UNT+3+1'", "UNT+4+1'");
    let options = Options::default().with_severity("segment_count_mismatch", Severity::Warning);
    let r = integrity::edifact::check(bad.as_bytes(), &options).unwrap();
    assert_eq!(r.findings()[0].severity, Severity::Warning);
    assert!(r.is_ok());
    let options = Options::default().without_rule("segment_count_mismatch");
    let r = integrity::edifact::check(bad.as_bytes(), &options).unwrap();
    assert!(r.findings().is_empty());
}
