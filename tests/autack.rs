//! AUTACK (edi-security.md §1.7): generate over two interchanges, verify,
//! and one test per `autack_*` rule.

use ediguard::integrity::autack::{AutackParams, generate, verify};
use ediguard::integrity::edifact_security::Filter;
use ediguard::integrity::edisig::{Key, KeyRing};
use ediguard::{Options, Report, Severity};
use sha2::{Digest, Sha256};

const IC1: &str = "UNB+UNOC:3+SENDER:14+RECEIVER:14+240101:1200+INT1'\
UNH+1+INVOIC:D:01B:UN'BGM+380+INV1+9'MOA+77:100.00'UNT+4+1'\
UNH+2+INVOIC:D:01B:UN'BGM+380+INV2+9'UNT+3+2'UNZ+2+INT1'";
const IC2: &str = "UNA:+.? 'UNB+UNOC:3+SENDER:14+RECEIVER:14+240101:1300+INT2'\
UNH+1+IFTSTA:D:01B:UN'BGM+23+ST1+9'FTX+AAI+++O?'Hara'UNT+4+1'UNZ+1+INT2'";

fn key() -> Key {
    Key::new(vec![0x5a; 32]).unwrap()
}

fn ring() -> KeyRing {
    let mut r = KeyRing::new();
    r.insert("ak1", key()).unwrap();
    r
}

fn sha_autack() -> Vec<u8> {
    generate(
        &[IC1.as_bytes(), IC2.as_bytes()],
        &AutackParams::sha256("AUT1", "20240101", "1400"),
    )
    .unwrap()
}

fn hmac_autack() -> Vec<u8> {
    let k = key();
    generate(
        &[IC1.as_bytes(), IC2.as_bytes()],
        &AutackParams::hmac_sha256("AUT1", "20240101", "1400", "ak1", &k),
    )
    .unwrap()
}

fn run(autack: &[u8], refs: &[&[u8]]) -> Report {
    verify(autack, refs, Some(&ring()), &Options::default()).unwrap()
}

fn both() -> [&'static [u8]; 2] {
    [IC1.as_bytes(), IC2.as_bytes()]
}

fn rules_of(r: &Report) -> Vec<&'static str> {
    r.findings().iter().map(|f| f.rule).collect()
}

fn edit(input: &[u8], from: &str, to: &str) -> Vec<u8> {
    let s = String::from_utf8(input.to_vec()).unwrap();
    assert!(s.contains(from), "{from:?} not in {s}");
    s.replacen(from, to, 1).into_bytes()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

#[test]
fn sha256_autack_over_two_interchanges_verifies() {
    let autack = sha_autack();
    let s = String::from_utf8(autack.clone()).unwrap();
    assert!(s.starts_with("UNB+UNOC:4+SENDER:14+RECEIVER:14+20240101:1400+AUT1'UNH+1+AUTACK:4:1:UN'USH+9+1+3+1+2+7'USA+1:::48'USB+1++SENDER:14+RECEIVER:14'USX+INT1+SENDER:14+RECEIVER:14'USY+1+1:"), "{s}");
    assert!(s.ends_with("UST+1+3'UNT+10+1'UNZ+1+AUT1'"), "{s}");
    // The USY value is the SHA-256 of UNB..UNZ (scope 3), UNA excluded.
    let unb = IC2.find("UNB").unwrap();
    let d2 = hex(&Sha256::digest(&IC2.as_bytes()[unb..]));
    assert!(
        s.contains(&format!("USX+INT2+SENDER:14+RECEIVER:14'USY+1+1:{d2}'")),
        "{s}"
    );
    let r = run(&autack, &both());
    assert!(r.findings().is_empty(), "{:?}", r.findings());
    // The AUTACK interchange itself passes the envelope rules.
    let env = ediguard::check(&autack, &Options::default()).unwrap();
    assert!(env.is_ok(), "{:?}", env.findings());
    // Order of the supplied interchanges does not matter.
    let r = run(&autack, &[IC2.as_bytes(), IC1.as_bytes()]);
    assert!(r.findings().is_empty());
}

#[test]
fn hmac_autack_verifies_with_the_key() {
    let autack = hmac_autack();
    let s = String::from_utf8(autack.clone()).unwrap();
    assert!(
        s.contains("USH+8+1+3+1+2+7++1:ak1'USA+2:::48+9:ak1'"),
        "{s}"
    );
    let r = run(&autack, &both());
    assert!(r.findings().is_empty(), "{:?}", r.findings());
}

#[test]
fn base64_autack_verifies() {
    let k = key();
    let p = AutackParams::hmac_sha256("AUT9", "20240101", "1400", "ak1", &k)
        .with_filter(Filter::Base64);
    let autack = generate(&both(), &p).unwrap();
    let r = run(&autack, &both());
    assert!(r.findings().is_empty(), "{:?}", r.findings());
}

#[test]
fn a_one_byte_change_in_a_referenced_interchange_fails_its_usy_only() {
    for autack in [sha_autack(), hmac_autack()] {
        let changed = IC2.replace("ST1", "ST2");
        let r = run(&autack, &[IC1.as_bytes(), changed.as_bytes()]);
        assert_eq!(rules_of(&r), ["autack_value_mismatch"]);
        let s = String::from_utf8(autack.clone()).unwrap();
        // The location is USY S508 (element 2), component 2 (0560).
        let second_usy = s.rfind("USY+1+1:").unwrap();
        let loc = r.findings()[0].location;
        assert_eq!(loc.offset, second_usy + 6);
        assert_eq!((loc.element, loc.component), (Some(2), Some(2)));
    }
}

#[test]
fn a_change_in_the_una_is_outside_scope_3() {
    let changed = IC2.replace("UNA:+.? '", "UNA:+,? '");
    let r = run(&sha_autack(), &[IC1.as_bytes(), changed.as_bytes()]);
    assert!(r.findings().is_empty(), "{:?}", r.findings());
}

#[test]
fn hmac_without_ring_or_with_the_wrong_key() {
    let r = verify(&hmac_autack(), &both(), None, &Options::default()).unwrap();
    assert_eq!(rules_of(&r), ["autack_unverified", "autack_unverified"]);
    assert!(r.findings().iter().all(|f| f.severity == Severity::Info));
    let mut other = KeyRing::new();
    other.insert("zz", key()).unwrap();
    let r = verify(&hmac_autack(), &both(), Some(&other), &Options::default()).unwrap();
    assert_eq!(rules_of(&r), ["autack_unknown_key", "autack_unknown_key"]);
    let mut wrong = KeyRing::new();
    wrong.insert("ak1", Key::new(vec![1; 32]).unwrap()).unwrap();
    let r = verify(&hmac_autack(), &both(), Some(&wrong), &Options::default()).unwrap();
    assert_eq!(
        rules_of(&r),
        ["autack_value_mismatch", "autack_value_mismatch"]
    );
    assert!(r.findings().iter().all(|f| f.expected.is_none()));
}

#[test]
fn reference_not_found() {
    let r = run(&sha_autack(), &[IC1.as_bytes()]);
    assert_eq!(rules_of(&r), ["autack_reference_not_found"]);
    // Same control reference, other recipient: not the referenced one.
    let other = IC2.replace("RECEIVER:14", "OTHER:14");
    let r = run(&sha_autack(), &[IC1.as_bytes(), other.as_bytes()]);
    assert_eq!(rules_of(&r), ["autack_reference_not_found"]);
}

#[test]
fn identity_mismatch() {
    let changed = edit(&sha_autack(), "USB+1++SENDER", "USB+1++SENDEX");
    let r = run(&changed, &both());
    assert_eq!(
        rules_of(&r),
        ["autack_identity_mismatch", "autack_identity_mismatch"]
    );
    assert_eq!(r.findings()[0].found.as_deref(), Some("SENDEX"));
}

#[test]
fn unknown_security_reference() {
    let changed = edit(&sha_autack(), "USY+1+1:", "USY+2+1:");
    let r = run(&changed, &both());
    assert_eq!(rules_of(&r), ["autack_unknown_security_reference"]);
}

#[test]
fn unsupported_algorithm_filter_or_scope() {
    for (from, to) in [
        ("USA+1:::48", "USA+1:::6"),
        ("USH+9+1+3+1+2+", "USH+9+1+3+1+5+"),
        ("USH+9+1+3+", "USH+9+1+1+"),
        ("USH+9+1+3+", "USH+9+1+6+"),
    ] {
        let changed = edit(&sha_autack(), from, to);
        let r = run(&changed, &both());
        assert_eq!(
            rules_of(&r),
            ["autack_unsupported", "autack_unsupported"],
            "{to}"
        );
    }
}

#[test]
fn scope_6_secures_one_message_named_by_0062() {
    // USX 0062 (element 7) names message 2 of INT1; the USH says scope 6.
    let unh = IC1.find("UNH+2").unwrap();
    let unz = IC1.find("UNZ").unwrap();
    let digest = hex(&Sha256::digest(&IC1.as_bytes()[unh..unz]));
    let autack = format!(
        "UNB+UNOC:4+SENDER:14+RECEIVER:14+20240101:1400+AUT2'UNH+1+AUTACK:4:1:UN'\
USH+9+1+6+1+2+7'USA+1:::48'USB+1++SENDER:14+RECEIVER:14'\
USX+INT1+SENDER:14+RECEIVER:14++++2'USY+1+1:{digest}'UST+1+3'UNT+8+1'UNZ+1+AUT2'"
    );
    let r = run(autack.as_bytes(), &[IC1.as_bytes()]);
    assert!(r.findings().is_empty(), "{:?}", r.findings());
    // Message 1 has other bytes.
    let wrong = autack.replace("++++2'", "++++1'");
    assert_eq!(
        rules_of(&run(wrong.as_bytes(), &[IC1.as_bytes()])),
        ["autack_value_mismatch"]
    );
    // A message that does not exist.
    let missing = autack.replace("++++2'", "++++9'");
    assert_eq!(
        rules_of(&run(missing.as_bytes(), &[IC1.as_bytes()])),
        ["autack_reference_not_found"]
    );
}

#[test]
fn refusal_is_reported() {
    let s = String::from_utf8(sha_autack()).unwrap();
    let at = s.find("USY+1+1:").unwrap();
    let end = at + s[at..].find('\'').unwrap();
    let mut refused = s.clone();
    refused.replace_range(at..end, "USY+1++1");
    let r = run(refused.as_bytes(), &both());
    assert_eq!(rules_of(&r), ["autack_refusal"]);
    assert_eq!(r.findings()[0].severity, Severity::Warning);
}

#[test]
fn malformed_autacks() {
    let s = String::from_utf8(sha_autack()).unwrap();
    // No USB.
    let no_usb = s.replacen("USB+1++SENDER:14+RECEIVER:14'", "", 1);
    assert_eq!(
        rules_of(&run(no_usb.as_bytes(), &both())),
        ["autack_malformed"]
    );
    // USY with neither S508 nor 0571.
    let at = s.find("USY+1+1:").unwrap();
    let end = at + s[at..].find('\'').unwrap();
    let mut empty = s.clone();
    empty.replace_range(at..end, "USY+1");
    assert_eq!(
        rules_of(&run(empty.as_bytes(), &both())),
        ["autack_malformed"]
    );
    // UST naming no USH.
    let bad_ust = s.replacen("UST+1+3", "UST+7+3", 1);
    assert_eq!(
        rules_of(&run(bad_ust.as_bytes(), &both())),
        ["autack_malformed"]
    );
    // Not an AUTACK at all.
    assert_eq!(
        rules_of(&run(IC1.as_bytes(), &both())),
        ["autack_malformed"]
    );
}

#[test]
fn security_check_recognises_an_autack_without_judging_its_groups() {
    let mut report = Report::new(None);
    ediguard::integrity::security::check(
        &sha_autack(),
        ediguard::Format::Edifact,
        None,
        &Options::default(),
        &mut report,
    )
    .unwrap();
    assert_eq!(rules_of(&report), ["autack_unverified"]);
}

#[test]
fn generate_refuses_what_it_cannot_reference() {
    let no_unz = IC1.replace("UNZ+2+INT1'", "");
    assert!(
        generate(
            &[no_unz.as_bytes()],
            &AutackParams::sha256("A", "20240101", "1400")
        )
        .is_err()
    );
    assert!(generate(&[], &AutackParams::sha256("A", "20240101", "1400")).is_err());
}

#[test]
fn generate_refuses_bad_dates_times_and_references() {
    let refs = both();
    for (reference, date, time) in [
        ("A", "240101", "1400"),
        ("A", "20240230", "1400"),
        ("A", "2024-01-01", "1400"),
        ("A", "20240101", "2400"),
        ("A", "20240101", "14:00"),
        ("", "20240101", "1400"),
        ("ABCDEFGHIJKLMNO", "20240101", "1400"),
    ] {
        let err = generate(&refs, &AutackParams::sha256(reference, date, time)).unwrap_err();
        assert_eq!(err.kind(), ediguard::ErrorKind::Malformed, "{err}");
        assert_eq!(err.input(), None, "{err}");
    }
    assert!(
        generate(
            &refs,
            &AutackParams::sha256("ABCDEFGHIJKLMN", "20241231", "2359")
        )
        .is_ok()
    );
}

#[test]
fn errors_name_the_referenced_input_they_are_in() {
    let no_unz = IC1.replace("UNZ+2+INT1'", "");
    let err = generate(
        &[IC2.as_bytes(), no_unz.as_bytes()],
        &AutackParams::sha256("A", "20240101", "1400"),
    )
    .unwrap_err();
    assert_eq!(err.input(), Some(1));
    assert_eq!(err.location().offset, 0);
    // An input without any interchange is refused, not silently skipped.
    let err = generate(
        &[IC1.as_bytes(), b"%PDF-1.7"],
        &AutackParams::sha256("A", "20240101", "1400"),
    )
    .unwrap_err();
    assert_eq!(err.input(), Some(1));
    assert!(err.to_string().contains("(input 1, at byte 0)"), "{err}");
    // Over a limit: the referenced input, or the AUTACK itself.
    let autack = sha_autack();
    let mut limits = ediguard::Limits::default();
    limits.max_input_len = autack.len();
    let options = Options::default().with_limits(limits);
    let big = vec![b' '; autack.len() + 1];
    let err = verify(&autack, &[IC1.as_bytes(), &big], None, &options).unwrap_err();
    assert_eq!(err.kind(), ediguard::ErrorKind::Limit);
    assert_eq!(err.input(), Some(1), "{err}");
    let err = verify(&big, &both(), None, &options).unwrap_err();
    assert_eq!(err.input(), None, "{err}");
}

#[test]
fn verify_counts_the_autack_and_resolves_lines() {
    let autack = sha_autack();
    let r = run(
        &autack,
        &[IC1.as_bytes(), IC2.replace("ST1", "ST2").as_bytes()],
    );
    assert_eq!(r.counts.interchanges, 1);
    assert_eq!(r.counts.messages, 1);
    let segments = autack.iter().filter(|&&b| b == b'\'').count();
    assert_eq!(r.counts.segments, segments);
    let loc = r.findings()[0].location;
    assert_eq!(loc.line, Some(1));
    assert_eq!(loc.column, Some(loc.offset as u32 + 1));
}
