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
