//! X12.58 recognition (edi-security.md §2): pairing, placement, layout,
//! and the info that the MAC cannot be verified without a partner profile.

use ediguard::integrity::x12_security::check;
use ediguard::{Options, Report, Severity};

const ISA: &str = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~";

/// An interchange with one group; `group` is the segments after GS
/// (without terminators, joined by `~`).
fn interchange(group: &[&str]) -> String {
    let mut s = String::from(ISA);
    s.push_str("GS*QM*SENDER*RECEIVER*20240101*1200*1*X*004010~");
    for seg in group {
        s.push_str(seg);
        s.push('~');
    }
    s.push_str("GE*1*1~IEA*1*000000001~");
    s
}

fn run(input: &str) -> Report {
    check(input.as_bytes(), &Options::default()).unwrap()
}

fn rules_of(r: &Report) -> Vec<&'static str> {
    r.findings().iter().map(|f| f.rule).collect()
}

const MAC: &str = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";

fn secured() -> String {
    interchange(&[
        "S3S*00401*AA*ORIG*RECP*GKEY*6",
        "ST*214*0001",
        "S4S*00401*AA*ORIG*RECP*SKEY*6",
        "B10*1*2*SCAC",
        &format!("S4E*{MAC}"),
        "SE*5*0001",
        &format!("S3E*{MAC}"),
    ])
}

#[test]
fn paired_areas_are_recognised_and_reported_as_unverifiable() {
    let r = run(&secured());
    assert_eq!(
        rules_of(&r),
        ["x12_security_unverified", "x12_security_unverified"]
    );
    assert!(r.findings().iter().all(|f| f.severity == Severity::Info));
    assert!(r.is_ok());
    let m = &r.findings()[1].message;
    assert!(
        m.contains("\"AA\"") && m.contains("\"SKEY\"") && m.contains("\"6\""),
        "{m}"
    );
    // The finding points at the S4S.
    let at = secured().find("S4S").unwrap();
    assert_eq!(r.findings()[1].location.offset, at);
}

#[test]
fn interchanges_without_security_give_no_findings() {
    let r = run(&interchange(&["ST*214*0001", "B10*1*2*SCAC", "SE*3*0001"]));
    assert!(r.findings().is_empty());
}

#[test]
fn missing_trailers() {
    let no_s4e = secured().replace(&format!("S4E*{MAC}~"), "");
    assert_eq!(
        rules_of(&run(&no_s4e)),
        [
            "x12_security_unverified",
            "x12_security_unverified",
            "x12_security_missing_trailer"
        ]
    );
    let no_s3e = secured().replace(&format!("S3E*{MAC}~"), "");
    let r = run(&no_s3e);
    assert_eq!(
        r.findings().last().unwrap().rule,
        "x12_security_missing_trailer"
    );
    assert!(r.findings().last().unwrap().message.contains("GE"));
}

#[test]
fn unpaired_trailers() {
    let no_s4s = secured().replace("S4S*00401*AA*ORIG*RECP*SKEY*6~", "");
    assert_eq!(
        rules_of(&run(&no_s4s)),
        ["x12_security_unverified", "x12_security_unpaired_trailer"]
    );
    let no_s3s = secured().replace("S3S*00401*AA*ORIG*RECP*GKEY*6~", "");
    assert_eq!(
        rules_of(&run(&no_s3s)),
        ["x12_security_unverified", "x12_security_unpaired_trailer"]
    );
}

#[test]
fn malformed_placement_length_and_key_name() {
    // S4S outside a transaction set.
    let outside = interchange(&["S4S*00401*AA*ORIG*RECP*SKEY*6", "ST*214*0001", "SE*2*0001"]);
    assert_eq!(rules_of(&run(&outside)), ["x12_security_malformed"]);
    // A 65-character code.
    let long = secured().replace(&format!("S4E*{MAC}"), &format!("S4E*{MAC}0"));
    assert!(rules_of(&run(&long)).contains(&"x12_security_malformed"));
    // AA without a key name.
    let no_key = secured().replace("RECP*SKEY*6", "RECP**6");
    assert!(rules_of(&run(&no_key)).contains(&"x12_security_malformed"));
    // EE (encryption only) needs no authentication key name.
    let ee = secured()
        .replace("RECP*SKEY*6", "RECP**6")
        .replace("*AA*ORIG*RECP**6", "*EE*ORIG*RECP**6");
    assert!(!rules_of(&run(&ee)).contains(&"x12_security_malformed"));
}

#[test]
fn assurances_and_sva_are_recognised() {
    let input = interchange(&[
        "ST*214*0001",
        "S4A*00401*1*RSA:SHA*A*ORIG*RECP",
        "B10*1*2*SCAC",
        "SVA*HDC*1*1:ABCDEF",
        "SE*5*0001",
    ]);
    let r = run(&input);
    assert_eq!(rules_of(&r), ["x12_security_unverified"]);
    assert!(r.findings()[0].message.contains("\"A\""));
    // SVA outside any group.
    let stray = format!("{ISA}SVA*HDC*1*1:AB~IEA*0*000000001~");
    assert_eq!(rules_of(&run(&stray)), ["x12_security_malformed"]);
}

#[test]
fn version_1_segments_pair_too() {
    let input = interchange(&[
        "ST*214*0001",
        "S2S*AA*ORIG*RECP*SKEY*2",
        "B10*1*2*SCAC",
        "S2E*ABCD EF01",
        "SE*5*0001",
    ]);
    let r = run(&input);
    assert_eq!(rules_of(&r), ["x12_security_unverified"]);
    assert!(r.findings()[0].message.contains("\"SKEY\""));
}

#[test]
fn security_check_entry_point_covers_x12() {
    let mut report = Report::new(None);
    ediguard::integrity::security::check(
        secured().as_bytes(),
        ediguard::Format::X12,
        None,
        &Options::default(),
        &mut report,
    )
    .unwrap();
    assert_eq!(report.findings().len(), 2);
}

#[test]
fn default_check_runs_x12_58_and_accepts_group_level_segments() {
    // The whole check: envelope rules plus X12.58, with the S3S/S3E
    // between GS and ST (and after SE) accepted by the envelope rules.
    let r = ediguard::check(secured().as_bytes(), &Options::default()).unwrap();
    assert_eq!(
        rules_of(&r),
        ["x12_security_unverified", "x12_security_unverified"]
    );
    assert_eq!(r.findings()[1].location.line, Some(1));
    // An S4E left without its S4S is found by the default check too.
    let broken = secured().replace("S4S*00401*AA*ORIG*RECP*SKEY*6~", "");
    let broken = broken.replace("SE*5*", "SE*4*");
    let r = ediguard::check(broken.as_bytes(), &Options::default()).unwrap();
    assert_eq!(
        rules_of(&r),
        ["x12_security_unverified", "x12_security_unpaired_trailer"]
    );
    assert!(!r.is_ok());
}

#[test]
fn security_segments_outside_their_level_stay_envelope_strays() {
    // A set-level S4S between GS and ST is out of place for both the
    // envelope (a data segment outside ST..SE) and X12.58.
    let input = interchange(&[
        "S4S*00401*AA*ORIG*RECP*SKEY*6",
        "ST*214*0001",
        "B10*1*2*SCAC",
        "SE*3*0001",
    ]);
    let r = ediguard::check(input.as_bytes(), &Options::default()).unwrap();
    assert_eq!(
        rules_of(&r),
        ["unexpected_segment", "x12_security_malformed"]
    );
    // Interchanges without X12.58 segments are not flagged.
    let plain = interchange(&["ST*214*0001", "S5*1*LD", "SE*3*0001"]);
    let parsed = ediguard::x12::parse(plain.as_bytes(), &Default::default()).unwrap();
    assert!(!parsed[0].has_security_segments());
    let parsed = ediguard::x12::parse(input.as_bytes(), &Default::default()).unwrap();
    assert!(parsed[0].has_security_segments());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Mutated X12.58 interchanges give findings, never a panic.
    #[test]
    fn never_panics(edits in proptest::collection::vec((proptest::prelude::any::<proptest::sample::Index>(), proptest::prelude::any::<u8>()), 0..6)) {
        let mut input = secured().into_bytes();
        for (i, b) in &edits {
            let at = i.index(input.len());
            input[at] = *b;
        }
        let _ = check(&input, &Options::default());
    }
}
