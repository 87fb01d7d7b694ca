//! EDIFACT integrated security (edi-security.md §1.3–§1.8): generate then
//! verify, one test per rule that triggers it, scope 1 vs 3 vs 6, and
//! property tests.

use ediguard::integrity::edifact_security::{
    Filter, SecureParams, Secured, secure_interchange, verify, whole_range,
};
use ediguard::integrity::edisig::{Key, KeyRing};
use ediguard::syntax::Segment;
use ediguard::{Limits, Options, Report, Severity, edifact};
use proptest::prelude::*;
use sha2::{Digest, Sha256};

const PLAIN: &str = "UNB+UNOC:4+SENDER:14+RECEIVER:14+20240101:1200+IC1'\
UNH+M1+IFTSTA:D:01B:UN'BGM+23+X1+9'FTX+AAI+++O?'Hara?+Sons'LOC+5+NLRTM'UNT+5+M1'UNZ+1+IC1'";

fn key() -> Key {
    Key::new((0u8..32).collect::<Vec<u8>>()).unwrap()
}

fn ring() -> KeyRing {
    let mut r = KeyRing::new();
    r.insert("k1", key()).unwrap();
    r
}

fn hmac_secured() -> Vec<u8> {
    let k = key();
    let p = SecureParams::hmac_sha256("1", "k1", &k)
        .with_sequence("7")
        .with_timestamp("20240101", "120000")
        .with_parties("SENDER", "RECEIVER");
    secure_interchange(PLAIN.as_bytes(), &p).unwrap()
}

fn sha_secured() -> Vec<u8> {
    secure_interchange(PLAIN.as_bytes(), &SecureParams::sha256("1")).unwrap()
}

fn check(input: &[u8]) -> Report {
    verify(input, Some(&ring()), &Options::default()).unwrap()
}

fn rules_of(r: &Report) -> Vec<&'static str> {
    r.findings().iter().map(|f| f.rule).collect()
}

/// Replaces the first occurrence of `from` by `to` (panics when absent, so
/// a test never silently edits nothing).
fn edit(input: &[u8], from: &str, to: &str) -> Vec<u8> {
    let s = String::from_utf8(input.to_vec()).unwrap();
    assert!(s.contains(from), "{from:?} not in {s}");
    s.replacen(from, to, 1).into_bytes()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn hmac_round_trip_verifies_and_has_the_profile_layout() {
    let secured = hmac_secured();
    let s = text(&secured);
    assert!(
        s.contains("USH+2+1+1+1+2+7++1:k1:SENDER*2::RECEIVER+7+1:20240101:120000'USA+2:::48+9:k1'"),
        "{s}"
    );
    assert!(s.contains("UST+1+4'USR+1:"), "{s}");
    // UNT counts the four added segments; the body is kept byte for byte.
    assert!(s.contains("UNT+9+M1'"), "{s}");
    assert!(s.contains("FTX+AAI+++O?'Hara?+Sons'"), "{s}");
    let r = check(&secured);
    assert!(r.findings().is_empty(), "{:?}", r.findings());
    // The envelope rules also accept the secured interchange.
    let full = ediguard::check(&secured, &Options::default()).unwrap();
    assert!(full.is_ok(), "{:?}", full.findings());
}

#[test]
fn sha256_round_trip_verifies() {
    let r = check(&sha_secured());
    assert!(r.findings().is_empty(), "{:?}", r.findings());
    assert!(text(&sha_secured()).contains("USH+3+1+1+1+2+7'USA+1:::48'"));
}

#[test]
fn usr_value_is_64_uppercase_hex() {
    let s = text(&hmac_secured());
    let at = s.find("USR+1:").unwrap() + 6;
    let value = &s[at..at + 65];
    assert!(value.ends_with('\''));
    assert!(
        value[..64]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
    );
}

#[test]
fn base64_values_are_released_and_verify() {
    // Find a reference whose Base64 MAC holds a '+', which must be written
    // as "?+" and unescaped before decoding (§1.5, "Implementation trap").
    let k = key();
    let mut seen_release = false;
    for n in 0..64 {
        let reference = format!("R{n}");
        let p = SecureParams::hmac_sha256(reference.as_str(), "k1", &k).with_filter(Filter::Base64);
        let secured = secure_interchange(PLAIN.as_bytes(), &p).unwrap();
        let s = text(&secured);
        let usr = &s[s.find("USR+1:").unwrap()..];
        let usr = &usr[..usr.find("'UNT").unwrap()];
        seen_release |= usr.contains("?+");
        let r = check(&secured);
        assert!(r.findings().is_empty(), "{usr}: {:?}", r.findings());
    }
    assert!(seen_release, "no Base64 value with '+' in 64 tries");
}

#[test]
fn hex_in_lowercase_is_accepted() {
    let secured = sha_secured();
    let s = text(&secured);
    let at = s.find("USR+1:").unwrap() + 6;
    let mut lower = s.clone();
    lower.replace_range(at..at + 64, &s[at..at + 64].to_ascii_lowercase());
    let r = check(lower.as_bytes());
    assert!(r.findings().is_empty(), "{:?}", r.findings());
}

#[test]
fn one_byte_change_in_the_body_fails_the_mac() {
    let changed = edit(&hmac_secured(), "NLRTM", "NLRTX");
    assert_eq!(rules_of(&check(&changed)), ["security_mac_failed"]);
}

#[test]
fn one_byte_change_in_the_header_group_fails_the_mac() {
    // 0520 sequence number 7 -> 8: inside the header group, so in scope 1.
    let changed = edit(&hmac_secured(), "RECEIVER+7+", "RECEIVER+8+");
    assert_eq!(rules_of(&check(&changed)), ["security_mac_failed"]);
}

#[test]
fn the_mac_failure_never_shows_the_expected_value_or_the_key() {
    let changed = edit(&hmac_secured(), "NLRTM", "NLRTX");
    let r = check(&changed);
    let f = &r.findings()[0];
    assert!(f.expected.is_none() && f.found.is_none());
    let json = r.to_json();
    assert!(!json.contains("000102030405"), "{json}");
    let s = text(&hmac_secured());
    let at = s.find("USR+1:").unwrap() + 6;
    assert!(!json.contains(&s[at..at + 64]));
}

#[test]
fn sha256_change_fails_the_digest() {
    let changed = edit(&sha_secured(), "X1", "X2");
    let r = check(&changed);
    assert_eq!(rules_of(&r), ["security_digest_failed"]);
    // A keyless digest may show what was expected.
    assert_eq!(r.findings()[0].expected.as_ref().unwrap().len(), 64);
}

#[test]
fn scope_1_leaves_unh_unt_and_the_envelope_unprotected() {
    // §1.4: scope 1 excludes UNH/UNT (and UNB/UNZ); changing them leaves the
    // MAC valid, which is why §5 asks for C5/C8 on top.
    for (from, to) in [
        ("IFTSTA:D:01B", "IFTSTA:D:01C"),
        ("RECEIVER:14+2024", "RECEIVEX:14+2024"),
        ("UNZ+1+IC1", "UNZ+1+IC2"),
    ] {
        let changed = edit(&hmac_secured(), from, to);
        let r = check(&changed);
        assert!(r.findings().is_empty(), "{from}: {:?}", r.findings());
    }
}

fn segments_of<'a>(parsed: &edifact::Parsed<'a>) -> Vec<Segment<'a>> {
    parsed.interchanges()[0]
        .messages()
        .next()
        .unwrap()
        .segments()
        .collect()
}

#[test]
fn scope_1_vs_3_vs_6_cover_what_section_1_4_says() {
    let mut secured = b"UNA:+.?*'".to_vec();
    secured.extend_from_slice(&sha_secured());
    let parsed = edifact::parse(&secured, &Limits::default()).unwrap();
    let ic = &parsed.interchanges()[0];
    let segs = segments_of(&parsed);
    let sec = Secured::read(&secured, &segs, true);
    assert_eq!(sec.headers().len(), 1);
    assert_eq!(sec.trailers().len(), 1);
    let [group, body] = sec.scope1_ranges(&secured, 0).unwrap();
    let scope1 = [&secured[group.clone()], &secured[body.clone()]].concat();
    let scope1 = text(&scope1);
    // Scope 1: header group, then the body; no UNH, UST, USR or UNT.
    assert!(scope1.starts_with("USH+3+1"), "{scope1}");
    assert!(scope1.ends_with("LOC+5+NLRTM'"), "{scope1}");
    for tag in ["UNH", "UST", "USR", "UNT", "UNB", "UNZ"] {
        assert!(!scope1.contains(tag), "{tag} in scope 1: {scope1}");
    }
    // Scope 6: UNH through the UNT terminator.
    let m = ic.messages().next().unwrap();
    let r6 = whole_range(&secured, &m.header().unwrap(), &m.trailer().unwrap());
    let scope6 = text(&secured[r6]);
    assert!(
        scope6.starts_with("UNH+M1") && scope6.ends_with("UNT+9+M1'"),
        "{scope6}"
    );
    assert!(scope6.contains("UST+1+4'USR+1:"));
    // Scope 3 of the interchange: UNB through the UNZ terminator, UNA
    // excluded.
    let r3 = whole_range(&secured, &ic.header().unwrap(), &ic.trailer().unwrap());
    let scope3 = text(&secured[r3]);
    assert!(
        scope3.starts_with("UNB+") && scope3.ends_with("UNZ+1+IC1'"),
        "{scope3}"
    );
    assert!(!scope3.contains("UNA"));
    // The three digests differ, and scope 1's is the one in USR.
    let d1 = hex(&Sha256::digest(scope1.as_bytes()));
    let d3 = hex(&Sha256::digest(scope3.as_bytes()));
    let d6 = hex(&Sha256::digest(scope6.as_bytes()));
    assert!(d1 != d3 && d3 != d6 && d1 != d6);
    assert!(text(&secured).contains(&format!("USR+1:{d1}'")));
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

#[test]
fn interchange_level_group_verifies_over_header_group_and_body() {
    // A hand-built interchange-level SHA-256 group (§1.2: header groups
    // after UNB, trailer groups before UNZ).
    let header = "USH+3+9+1+1+2+7'USA+1:::48'";
    let body = "UNH+M1+IFTSTA:D:01B:UN'BGM+23+X1+9'UNT+3+M1'";
    let digest = hex(&Sha256::digest(format!("{header}{body}").as_bytes()));
    let input = format!(
        "UNB+UNOC:4+SENDER+RECEIVER+20240101:1200+IC1'{header}{body}UST+9+4'USR+1:{digest}'UNZ+1+IC1'"
    );
    let r = check(input.as_bytes());
    assert!(r.findings().is_empty(), "{:?}", r.findings());
    let changed = edit(input.as_bytes(), "X1", "X2");
    assert_eq!(rules_of(&check(&changed)), ["security_digest_failed"]);
}

#[test]
fn missing_trailer() {
    let s = text(&hmac_secured());
    let ust = s.find("UST+").unwrap();
    let unt = s.find("UNT+").unwrap();
    let mut cut = s.clone();
    cut.replace_range(ust..unt, "");
    let r = check(cut.as_bytes());
    assert_eq!(rules_of(&r), ["security_missing_trailer"]);
    assert_eq!(r.findings()[0].location.offset, s.find("USH+").unwrap());
}

#[test]
fn unpaired_trailer() {
    let changed = edit(&hmac_secured(), "UST+1+4", "UST+2+4");
    assert_eq!(
        rules_of(&check(&changed)),
        ["security_missing_trailer", "security_unpaired_trailer"]
    );
}

#[test]
fn wrong_count() {
    let changed = edit(&hmac_secured(), "UST+1+4", "UST+1+5");
    let r = check(&changed);
    assert_eq!(rules_of(&r), ["security_count_mismatch"]);
    let f = &r.findings()[0];
    assert_eq!(
        (f.expected.as_deref(), f.found.as_deref()),
        (Some("4"), Some("5"))
    );
    assert_eq!(f.location.element, Some(2));
}

#[test]
fn duplicate_reference() {
    // A second header group with the same 0534 directly after the first.
    let s = text(&sha_secured());
    let changed = edit(
        s.as_bytes(),
        "USA+1:::48'",
        "USA+1:::48'USH+3+1+1+1+2+7'USA+1:::48'",
    );
    let rules = rules_of(&check(&changed));
    assert!(rules.contains(&"security_duplicate_reference"), "{rules:?}");
}

#[test]
fn unsupported_algorithm() {
    for (from, to) in [("USA+2:::48", "USA+2:::99"), ("USA+2:::48", "USA+6:::48")] {
        let changed = edit(&hmac_secured(), from, to);
        assert_eq!(
            rules_of(&check(&changed)),
            ["security_unsupported_algorithm"],
            "{to}"
        );
    }
    let s = text(&hmac_secured());
    let at = s.find("USA+").unwrap();
    let end = at + s[at..].find('\'').unwrap() + 1;
    let mut no_usa = s.clone();
    no_usa.replace_range(at..end, "");
    let no_usa = edit(no_usa.as_bytes(), "UST+1+4", "UST+1+3");
    assert_eq!(
        rules_of(&check(&no_usa)),
        ["security_unsupported_algorithm"]
    );
}

#[test]
fn unsupported_filter() {
    let changed = edit(&hmac_secured(), "USH+2+1+1+1+2+7", "USH+2+1+1+1+5+7");
    assert_eq!(rules_of(&check(&changed)), ["security_unsupported_filter"]);
}

#[test]
fn scopes_other_than_1_fail_closed_in_integrated_use() {
    for scope in ["2", "3", "6", "ZZZ"] {
        let changed = edit(&hmac_secured(), "USH+2+1+1+", &format!("USH+2+1+{scope}+"));
        let r = check(&changed);
        assert_eq!(rules_of(&r), ["security_scope_unsupported"], "{scope}");
        assert!(!r.is_ok());
    }
    // An empty 0541 is the default scope 1.
    let k = key();
    let p = SecureParams::hmac_sha256("1", "k1", &k);
    let secured = secure_interchange(PLAIN.as_bytes(), &p).unwrap();
    let empty = edit(&secured, "USH+2+1+1+", "USH+2+1++");
    // The USH bytes changed, so the MAC fails; but no scope finding.
    assert_eq!(rules_of(&check(&empty)), ["security_mac_failed"]);
}

#[test]
fn unknown_or_revoked_key() {
    let secured = hmac_secured();
    let mut other = KeyRing::new();
    other.insert("k2", key()).unwrap();
    let r = verify(&secured, Some(&other), &Options::default()).unwrap();
    assert_eq!(rules_of(&r), ["security_unknown_key"]);
    assert!(r.findings()[0].message.contains("k1"));
    let mut revoked = KeyRing::new();
    revoked.insert("k1", key().revoke()).unwrap();
    let r = verify(&secured, Some(&revoked), &Options::default()).unwrap();
    assert_eq!(rules_of(&r), ["security_unknown_key"]);
    // The right name with the wrong secret is a failed MAC.
    let mut wrong = KeyRing::new();
    wrong
        .insert("k1", Key::new(vec![9u8; 32]).unwrap())
        .unwrap();
    let r = verify(&secured, Some(&wrong), &Options::default()).unwrap();
    assert_eq!(rules_of(&r), ["security_mac_failed"]);
}

#[test]
fn key_name_mismatch() {
    let changed = edit(&hmac_secured(), "++1:k1:SENDER", "++1:k9:SENDER");
    assert_eq!(rules_of(&check(&changed)), ["security_key_name_mismatch"]);
}

#[test]
fn no_key_ring_is_reported_as_unverified_info() {
    let r = verify(&hmac_secured(), None, &Options::default()).unwrap();
    assert_eq!(rules_of(&r), ["security_unverified"]);
    assert_eq!(r.findings()[0].severity, Severity::Info);
    // A keyless digest needs no ring.
    let r = verify(&sha_secured(), None, &Options::default()).unwrap();
    assert!(r.findings().is_empty());
}

#[test]
fn malformed_values_and_segments() {
    let s = text(&sha_secured());
    let at = s.find("USR+1:").unwrap() + 6;
    // Odd hex length.
    let mut odd = s.clone();
    odd.replace_range(at..at + 1, "");
    assert_eq!(rules_of(&check(odd.as_bytes())), ["security_malformed"]);
    // Not hex at all.
    let mut bad = s.clone();
    bad.replace_range(at..at + 1, "G");
    assert_eq!(rules_of(&check(bad.as_bytes())), ["security_malformed"]);
    // UST without USR.
    let end = at + s[at..].find('\'').unwrap() + 1;
    let mut no_usr = s.clone();
    no_usr.replace_range(at - 6..end, "");
    let no_usr = edit(no_usr.as_bytes(), "UST+1+4", "UST+1+3");
    assert_eq!(rules_of(&check(&no_usr)), ["security_malformed"]);
    // USH without 0534.
    let changed = edit(s.as_bytes(), "USH+3+1+", "USH+3++");
    let rules = rules_of(&check(&changed));
    assert!(rules.contains(&"security_malformed"), "{rules:?}");
    // A USA before any USH.
    let changed = edit(s.as_bytes(), "USH+3+1+1+1+2+7'", "");
    let rules = rules_of(&check(&changed));
    assert!(rules.contains(&"security_malformed"), "{rules:?}");
}

#[test]
fn security_below_syntax_4_is_reported_and_not_generated() {
    let changed = edit(&sha_secured(), "UNOC:4", "UNOC:3");
    let r = check(&changed);
    assert_eq!(rules_of(&r), ["security_syntax_version"]);
    assert_eq!(r.findings()[0].severity, Severity::Warning);
    let v3 = PLAIN.replace("UNOC:4", "UNOC:3");
    let err = secure_interchange(v3.as_bytes(), &SecureParams::sha256("1")).unwrap_err();
    assert_eq!(err.kind(), ediguard::ErrorKind::Malformed);
    assert!(
        ediguard::check(&sha_secured(), &Options::default())
            .unwrap()
            .is_ok()
    );
}

#[test]
fn securing_twice_is_refused() {
    let err = secure_interchange(&sha_secured(), &SecureParams::sha256("2")).unwrap_err();
    assert_eq!(err.kind(), ediguard::ErrorKind::Malformed);
}

#[test]
fn rules_can_be_switched_off_and_reseverified() {
    let changed = edit(&hmac_secured(), "UST+1+4", "UST+1+5");
    let options = Options::default().without_rule("security_count_mismatch");
    let r = verify(&changed, Some(&ring()), &options).unwrap();
    assert!(r.findings().is_empty());
    let options = Options::default().with_severity("security_count_mismatch", Severity::Info);
    let r = verify(&changed, Some(&ring()), &options).unwrap();
    assert!(r.is_ok() && r.findings().len() == 1);
}

#[test]
fn security_check_entry_point_covers_edifact() {
    let changed = edit(&hmac_secured(), "NLRTM", "NLRTX");
    let mut report = Report::new(None);
    ediguard::integrity::security::check(
        &changed,
        ediguard::Format::Edifact,
        Some(&ring()),
        &Options::default(),
        &mut report,
    )
    .unwrap();
    assert_eq!(rules_of(&report), ["security_mac_failed"]);
}

#[test]
fn messages_without_security_give_no_findings() {
    let r = check(PLAIN.as_bytes());
    assert!(r.findings().is_empty());
}

fn body_segment() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["BGM", "FTX", "LOC", "DTM", "NAD", "RFF"]),
        prop::collection::vec("[A-Z0-9 .]{0,12}|[A-Z]{1,4}\\?[+:'?*][A-Z]{0,4}", 1..4),
    )
        .prop_map(|(tag, values)| format!("{tag}+{}'", values.join("+")))
}

fn interchange(body: &[String]) -> String {
    format!(
        "UNB+UNOC:4+SENDER+RECEIVER+20240101:1200+IC1'UNH+M1+IFTSTA:D:01B:UN'{}UNT+{}+M1'UNZ+1+IC1'",
        body.concat(),
        body.len() + 2
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn secure_then_verify_passes(body in prop::collection::vec(body_segment(), 1..8), base64 in any::<bool>()) {
        let input = interchange(&body);
        let k = key();
        let filter = if base64 { Filter::Base64 } else { Filter::Hex };
        for p in [SecureParams::hmac_sha256("1", "k1", &k).with_filter(filter), SecureParams::sha256("1").with_filter(filter)] {
            let secured = secure_interchange(input.as_bytes(), &p).unwrap();
            let r = check(&secured);
            prop_assert!(r.findings().is_empty(), "{:?}\n{}", r.findings(), text(&secured));
        }
    }

    #[test]
    fn any_one_byte_change_inside_the_scope_fails(
        body in prop::collection::vec(body_segment(), 1..6),
        pick in any::<prop::sample::Index>(),
        delta in 1u8..=255,
    ) {
        let input = interchange(&body);
        let k = key();
        let secured = secure_interchange(input.as_bytes(), &SecureParams::hmac_sha256("1", "k1", &k)).unwrap();
        let parsed = edifact::parse(&secured, &Limits::default()).unwrap();
        let segs = segments_of(&parsed);
        let sec = Secured::read(&secured, &segs, true);
        let [group, body_range] = sec.scope1_ranges(&secured, 0).unwrap();
        let positions: Vec<usize> = group.chain(body_range).collect();
        let at = positions[pick.index(positions.len())];
        let mut changed = secured.clone();
        changed[at] = changed[at].wrapping_add(delta);
        let r = check(&changed);
        prop_assert!(!r.is_ok(), "byte {} ({:?} -> {:?}) changed and still ok: {:?}",
            at, secured[at] as char, changed[at] as char, r.findings());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any bytes, and any mutations of secured input, give findings, never
    /// a panic, through every security entry point.
    #[test]
    fn never_panics(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        noise in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut input = hmac_secured();
        for (i, b) in &edits {
            let at = i.index(input.len());
            input[at] = *b;
        }
        input.extend_from_slice(&noise);
        let _ = verify(&input, Some(&ring()), &Options::default());
        let _ = verify(&noise, None, &Options::default());
        let _ = ediguard::integrity::autack::verify(&input, &[&input[..], &noise[..]], Some(&ring()), &Options::default());
        let mut report = Report::new(None);
        let _ = ediguard::integrity::security::check(&input, ediguard::Format::Edifact, Some(&ring()), &Options::default(), &mut report);
        let _ = ediguard::integrity::security::check(&input, ediguard::Format::X12, None, &Options::default(), &mut report);
        let _ = secure_interchange(&input, &SecureParams::sha256("1"));
    }
}
