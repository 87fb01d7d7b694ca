//! The top-level `check` verifies EDIFACT integrated security when a
//! security header is present.

use ediguard::integrity::edifact_security::{SecureParams, secure_interchange};
use ediguard::{Options, check};

const PLAIN: &[u8] = b"UNA:+.? 'UNB+UNOC:4+NLFX:ZZZ+GLPAPER:ZZZ+20261117:1600+77'\
UNH+1+IFTSTA:D:01B:UN'BGM+77+SH24061101+9'CNI+1+BOL778812'STS+1+X3'UNT+5+1'UNZ+1+77'";

#[test]
fn secured_interchange_checks_clean_and_a_tampered_byte_is_caught() {
    let secured = secure_interchange(PLAIN, &SecureParams::sha256("1")).unwrap();
    assert!(secured.windows(3).any(|w| w == b"USH"));
    let report = check(&secured, &Options::default()).unwrap();
    assert!(report.is_ok(), "{:?}", report.findings());

    // X3 (arrived) -> X1 inside the secured body.
    let pos = secured.windows(6).position(|w| w == b"STS+1+").unwrap() + 7;
    let mut tampered = secured.clone();
    tampered[pos] = b'1';
    let report = check(&tampered, &Options::default()).unwrap();
    let digest = report
        .findings()
        .iter()
        .find(|f| f.rule == "security_digest_failed")
        .unwrap_or_else(|| panic!("no digest finding in {:?}", report.findings()));
    assert!(digest.location.offset < tampered.len());
}

#[test]
fn the_security_rules_can_be_switched_off() {
    let secured = secure_interchange(PLAIN, &SecureParams::sha256("1")).unwrap();
    let pos = secured.windows(6).position(|w| w == b"STS+1+").unwrap() + 7;
    let mut tampered = secured;
    tampered[pos] = b'1';
    let options = Options::default().without_rule("security_digest_failed");
    assert!(check(&tampered, &options).unwrap().is_ok());
}

#[test]
fn a_trailer_without_its_header_is_caught_and_plain_interchanges_stay_clean() {
    // A UST with no USH before it (a header stripped from a secured
    // message) in the second interchange; the first has no security
    // segments and gets no security findings.
    let plain = PLAIN;
    let stripped: &[u8] = b"UNB+UNOC:4+NLFX:ZZZ+GLPAPER:ZZZ+20261117:1600+78'\
UNH+1+IFTSTA:D:01B:UN'BGM+78+SH24061102+9'UST+1+1'UNT+4+1'UNZ+1+78'";
    let input = [plain, stripped].concat();
    let report = check(&input, &Options::default()).unwrap();
    let security: Vec<_> = report
        .findings()
        .iter()
        .filter(|f| f.rule.starts_with("security_"))
        .collect();
    assert_eq!(security.len(), 1, "{:?}", report.findings());
    assert_eq!(security[0].rule, "security_unpaired_trailer");
    assert!(security[0].location.offset > plain.len());
    assert!(check(plain, &Options::default()).unwrap().is_ok());
}

#[test]
fn security_findings_follow_the_envelope_findings_when_checked_in_parts() {
    // Enough interchanges for the input to be checked in parts, one of
    // them secured and tampered with, one with a wrong UNZ count.
    let secured = secure_interchange(PLAIN, &SecureParams::sha256("1")).unwrap();
    let pos = secured.windows(6).position(|w| w == b"STS+1+").unwrap() + 7;
    let mut tampered = secured;
    tampered[pos] = b'1';
    let mut input = Vec::new();
    let mut n = 0u32;
    while input.len() < 9 << 20 {
        n += 1;
        let count = if n == 60_000 { 2 } else { 1 };
        input.extend_from_slice(
            format!(
                "UNB+UNOC:4+NLFX:ZZZ+GLPAPER:ZZZ+20261117:1600+R{n}'\nUNH+1+IFTSTA:D:01B:UN'\nBGM+77+SH{n}+9'\nUNT+3+1'\nUNZ+{count}+R{n}'\n"
            )
            .as_bytes(),
        );
        if n == 50 {
            input.extend_from_slice(&tampered);
            input.push(b'\n');
        }
    }
    let one = Options::default().with_threads(1.try_into().unwrap());
    let two = Options::default().with_threads(2.try_into().unwrap());
    let single = check(&input, &one).unwrap();
    let parts = check(&input, &two).unwrap();
    assert_eq!(
        serde_json::to_string(&single).unwrap(),
        serde_json::to_string(&parts).unwrap()
    );
    let rules: Vec<_> = single.findings().iter().map(|f| f.rule).collect();
    assert_eq!(
        rules,
        [
            "line_breaks",
            "message_count_mismatch",
            "security_digest_failed"
        ]
    );
}
