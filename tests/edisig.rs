//! EDISIG v1 (edi-security.md §4.3): the published test vector, every
//! negative case it lists, one test per `SignatureError`, key-ring loading
//! and secrecy, and property tests (sign then verify; any one-byte change
//! fails).

use base64::Engine as _;
use ediguard::integrity::edisig::{
    Canon, Key, KeyRing, MemoryReplayCache, Nonce, PayloadType, SignParams, Signature,
    SignatureError, VerifyOptions, canonicalize, envelope_ids, sign, verify, verify_lines,
};
use ediguard::integrity::ledger::MemoryLedger;
use hmac::Mac;
use proptest::prelude::*;
use sha2::Digest;

const VECTOR_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/corpora/security/edisig-v1-x12-214"
);
const VECTOR_LINE: &str = "EDISIG v=1;alg=hmac-sha256;kid=acme-to-carrier-2024q1;ts=1704110400;nonce=3q2-7wAAAAAAAAAAAAAAAA;typ=x12;canon=raw;ctl=ZZ/SENDERID/ZZ/RECEIVERID/000000001;len=252;sig=wrZLFCbu0rZghxZ4ItlFxpF0PxtL6xXi5nRnJItFpLc";
const KID: &str = "acme-to-carrier-2024q1";
const TS: i64 = 1_704_110_400;

fn vector_secret() -> Vec<u8> {
    (0u8..32).collect()
}

/// The vector's payload, or `None` (with a message) when the corpus is absent.
fn vector_payload() -> Option<Vec<u8>> {
    let path = format!("{VECTOR_DIR}/payload.x12");
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            println!("skipping: {path} is absent");
            None
        }
    }
}

/// A payload of our own with the vector's envelope (used where the vector
/// itself is not needed, so these tests run without the corpus).
const OWN_X12: &[u8] = b"ISA*00*          *00*          *ZZ*SENDERID       *ZZ*RECEIVERID     *240101*1200*U*00401*000000007*0*T*>~GS*QM*SENDERID*RECEIVERID*20240101*1200*7*X*004010~ST*214*0001~B10*PRO9*SHIP9*SCAC~SE*3*0001~GE*1*7~IEA*1*000000007~";

fn key(secret: Vec<u8>) -> Key {
    Key::new(secret)
        .unwrap()
        .with_partner("acme")
        .with_senders(["SENDERID"])
}

fn ring_with(kid: &str, key: Key) -> KeyRing {
    let mut ring = KeyRing::new();
    ring.insert(kid, key).unwrap();
    ring
}

fn vector_ring() -> KeyRing {
    ring_with(KID, key(vector_secret()))
}

fn opts() -> VerifyOptions {
    VerifyOptions::at(TS)
}

fn cache() -> MemoryReplayCache {
    MemoryReplayCache::new(1000)
}

fn code(r: Result<impl std::fmt::Debug, SignatureError>) -> &'static str {
    r.unwrap_err().code()
}

/// Builds a line with a valid MAC for any field values: lets tests reach
/// the checks that come after the MAC (ctl, sender, envelope).
#[allow(clippy::too_many_arguments)]
fn forge(
    secret: &[u8],
    kid: &str,
    ts: i64,
    nonce: &str,
    typ: &str,
    canon: &str,
    ctl: &str,
    hashed: &[u8],
) -> String {
    let digest = sha2::Sha256::digest(hashed);
    let hexd: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let len = hashed.len();
    let base = format!(
        "EDISIG/1\nalg:hmac-sha256\nkid:{kid}\nts:{ts}\nnonce:{nonce}\ntyp:{typ}\ncanon:{canon}\nctl:{ctl}\nlen:{len}\nsha256:{hexd}\n"
    );
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
    mac.update(base.as_bytes());
    let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!(
        "EDISIG v=1;alg=hmac-sha256;kid={kid};ts={ts};nonce={nonce};typ={typ};canon={canon};ctl={ctl};len={len};sig={sig}"
    )
}

fn own_line(nonce: u8) -> String {
    let params = SignParams::new(PayloadType::X12, TS as u64, Nonce::from_bytes([nonce; 16]));
    sign(KID, &key(vector_secret()), &params, OWN_X12)
        .unwrap()
        .to_string()
}

// ---- The test vector ----

#[test]
fn test_vector_verifies() {
    let Some(payload) = vector_payload() else {
        return;
    };
    assert_eq!(payload.len(), 252);
    let verified = verify(VECTOR_LINE, &payload, &vector_ring(), &cache(), &opts()).unwrap();
    assert_eq!(verified.partner(), "acme");
    let hexd: String = verified
        .sha256()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        hexd,
        "937d8d5f8ec40bcc3d419a99975bcc66891d0b380b0d1f6104b28a7b06971fc2"
    );
    assert_eq!(verified.envelope().unwrap().control_number(), b"000000001");
}

#[test]
fn test_vector_signing_base_and_line_are_reproduced() {
    let Some(payload) = vector_payload() else {
        return;
    };
    let Ok(base) = std::fs::read_to_string(format!("{VECTOR_DIR}/signing_base.txt")) else {
        println!("skipping: signing_base.txt is absent");
        return;
    };
    let nonce: Nonce = "3q2-7wAAAAAAAAAAAAAAAA".parse().unwrap();
    let params = SignParams::new(PayloadType::X12, TS as u64, nonce);
    let sig = sign(KID, &key(vector_secret()), &params, &payload).unwrap();
    assert_eq!(sig.to_string(), VECTOR_LINE);
    let digest: [u8; 32] = sha2::Sha256::digest(&payload).into();
    assert_eq!(sig.signing_base(&digest), base);
    assert_eq!(Signature::parse(VECTOR_LINE).unwrap(), sig);
}

#[test]
fn flipping_one_payload_byte_is_bad_signature() {
    let Some(mut payload) = vector_payload() else {
        return;
    };
    payload[200] ^= 0x01;
    assert_eq!(
        code(verify(
            VECTOR_LINE,
            &payload,
            &vector_ring(),
            &cache(),
            &opts()
        )),
        "bad_signature"
    );
}

#[test]
fn appended_crlf_fails_raw_and_passes_eol1_only_when_allowed() {
    let Some(payload) = vector_payload() else {
        return;
    };
    let mut with_crlf = payload.clone();
    with_crlf.extend_from_slice(b"\r\n");
    // raw: the length no longer matches.
    assert_eq!(
        code(verify(
            VECTOR_LINE,
            &with_crlf,
            &vector_ring(),
            &cache(),
            &opts()
        )),
        "length_mismatch"
    );
    // eol1, signed by a key that allows it: passes.
    let eol1_key = key(vector_secret()).allow_canon(Canon::Eol1);
    let params = SignParams::new(PayloadType::X12, TS as u64, Nonce::from_bytes([5; 16]))
        .with_canon(Canon::Eol1);
    let line = sign(KID, &eol1_key, &params, &payload).unwrap().to_string();
    let allowing = ring_with(KID, eol1_key);
    verify(&line, &with_crlf, &allowing, &cache(), &opts()).unwrap();
    // The same line under a key that allows raw only: refused.
    assert_eq!(
        code(verify(&line, &with_crlf, &vector_ring(), &cache(), &opts())),
        "canon_not_allowed"
    );
}

#[test]
fn timestamp_off_by_301_seconds_is_stale_or_from_future() {
    let Some(payload) = vector_payload() else {
        return;
    };
    let ring = vector_ring();
    let late = VerifyOptions::at(TS + 301);
    assert_eq!(
        code(verify(VECTOR_LINE, &payload, &ring, &cache(), &late)),
        "stale"
    );
    let early = VerifyOptions::at(TS - 301);
    assert_eq!(
        code(verify(VECTOR_LINE, &payload, &ring, &cache(), &early)),
        "from_future"
    );
    // At the edges of the window and skew it still verifies.
    verify(
        VECTOR_LINE,
        &payload,
        &ring,
        &cache(),
        &VerifyOptions::at(TS + 300),
    )
    .unwrap();
    verify(
        VECTOR_LINE,
        &payload,
        &ring,
        &cache(),
        &VerifyOptions::at(TS - 60),
    )
    .unwrap();
    assert_eq!(
        code(verify(
            VECTOR_LINE,
            &payload,
            &ring,
            &cache(),
            &VerifyOptions::at(TS - 61)
        )),
        "from_future"
    );
    // Changing ts on the line itself: stale/future before the MAC is checked,
    // and a bad signature when within the window.
    for (delta, expected) in [(-301, "stale"), (301, "from_future"), (1, "bad_signature")] {
        let line = VECTOR_LINE.replace("ts=1704110400", &format!("ts={}", TS + delta));
        assert_eq!(
            code(verify(&line, &payload, &ring, &cache(), &opts())),
            expected
        );
    }
}

#[test]
fn replayed_nonce_is_replay() {
    let Some(payload) = vector_payload() else {
        return;
    };
    let ring = vector_ring();
    let cache = cache();
    verify(VECTOR_LINE, &payload, &ring, &cache, &opts()).unwrap();
    let err = verify(
        VECTOR_LINE,
        &payload,
        &ring,
        &cache,
        &VerifyOptions::at(TS + 10),
    )
    .unwrap_err();
    assert_eq!(
        err,
        SignatureError::Replay {
            kid: KID.into(),
            nonce: "3q2-7wAAAAAAAAAAAAAAAA".into()
        }
    );
}

#[test]
fn changed_kid_is_unknown_key_or_bad_signature() {
    let Some(payload) = vector_payload() else {
        return;
    };
    let line = VECTOR_LINE.replace("kid=acme-to-carrier-2024q1", "kid=acme-to-carrier-2024q2");
    assert_eq!(
        code(verify(&line, &payload, &vector_ring(), &cache(), &opts())),
        "unknown_key"
    );
    // Known under the new id with the same secret: the kid is in the base.
    let ring = ring_with("acme-to-carrier-2024q2", key(vector_secret()));
    assert_eq!(
        code(verify(&line, &payload, &ring, &cache(), &opts())),
        "bad_signature"
    );
}

#[test]
fn version_2_is_unsupported_version() {
    let Some(payload) = vector_payload() else {
        return;
    };
    let line = VECTOR_LINE.replace("v=1;", "v=2;");
    let err = verify(&line, &payload, &vector_ring(), &cache(), &opts()).unwrap_err();
    assert_eq!(err, SignatureError::UnsupportedVersion("2".into()));
}

#[test]
fn hmac_sha1_is_algorithm_mismatch() {
    let Some(payload) = vector_payload() else {
        return;
    };
    let line = VECTOR_LINE.replace("alg=hmac-sha256", "alg=hmac-sha1");
    assert_eq!(
        code(verify(&line, &payload, &vector_ring(), &cache(), &opts())),
        "algorithm_mismatch"
    );
}

#[test]
fn changed_isa13_is_bad_signature_and_with_a_valid_mac_control_mismatch() {
    let Some(payload) = vector_payload() else {
        return;
    };
    let changed: Vec<u8> = String::from_utf8(payload)
        .unwrap()
        .replace("000000001", "000000002")
        .into_bytes();
    assert_eq!(
        code(verify(
            VECTOR_LINE,
            &changed,
            &vector_ring(),
            &cache(),
            &opts()
        )),
        "bad_signature"
    );
    // A key holder signing the changed payload under the old ctl.
    let line = forge(
        &vector_secret(),
        KID,
        TS,
        "3q2-7wAAAAAAAAAAAAAAAA",
        "x12",
        "raw",
        "ZZ/SENDERID/ZZ/RECEIVERID/000000001",
        &changed,
    );
    let err = verify(&line, &changed, &vector_ring(), &cache(), &opts()).unwrap_err();
    assert_eq!(
        err,
        SignatureError::ControlMismatch {
            declared: "ZZ/SENDERID/ZZ/RECEIVERID/000000001".into(),
            parsed: "ZZ/SENDERID/ZZ/RECEIVERID/000000002".into()
        }
    );
}

// ---- One test per remaining error ----

#[test]
fn malformed_lines() {
    let good = own_line(1);
    Signature::parse(&good).unwrap();
    let cases: Vec<(String, &str)> = vec![
        (good.replacen("EDISIG ", "EDISIG  ", 1), "two spaces"),
        (good.replacen("EDISIG ", "edisig ", 1), "lowercase prefix"),
        (good.replacen("EDISIG v=1;", "EDISIG v=1; ", 1), "space"),
        (good.replacen(";alg=", ";ALG=", 1), "uppercase key"),
        (
            good.replacen("alg=hmac-sha256;kid=", "kid=", 1),
            "missing alg",
        ),
        (
            good.replacen(";typ=x12;canon=raw", ";canon=raw;typ=x12", 1),
            "order",
        ),
        (good.replacen(";len=", ";kid=x;len=", 1), "duplicate"),
        (good.replacen(";len=", ";foo=1;len=", 1), "unknown key"),
        (format!("{good};extra=1"), "trailing parameter"),
        (format!("{good}\r"), "trailing CR"),
        (format!("{good}\n"), "trailing LF"),
        (format!(" {good}"), "leading space"),
        (good.replacen("ts=", "ts=0", 1), "leading zero"),
        (good.replacen("ts=", "ts=+", 1), "sign"),
        (
            good.replacen("ts=1704110400", "ts=99999999999999999999999", 1),
            "overflow",
        ),
        (good.replacen("nonce=", "nonce=A", 1), "nonce length"),
        (good.replacen(";typ=x12", ";typ=X12", 1), "typ case"),
        (good.replacen(";canon=raw", ";canon=eol2", 1), "canon"),
        (
            good.replacen(";ctl=ZZ", ";ctl=Z%2z", 1),
            "lowercase percent",
        ),
        (good.replacen(";ctl=ZZ", ";ctl=Z Z", 1), "ctl space"),
        (
            good.replacen(";ctl=ZZ/SENDERID/ZZ/RECEIVERID/000000007", ";ctl=", 1),
            "empty ctl",
        ),
        (good.replacen(";len=", ";len=-", 1), "negative len"),
        (format!("{good}="), "sig padding"),
        (good.replacen("kid=acme", "kid=ac/me", 1), "kid charset"),
        (
            good.replacen(
                "kid=acme-to-carrier-2024q1",
                &format!("kid={}", "k".repeat(65)),
                1,
            ),
            "kid length",
        ),
        (
            good.replacen("kid=acme-to-carrier-2024q1", "kid=", 1),
            "empty kid",
        ),
        (
            good.replacen("alg=hmac-sha256", "alg=HMAC", 1),
            "alg charset",
        ),
        ("EDISIG v=1".to_owned(), "only the version"),
        (String::new(), "empty"),
    ];
    for (line, what) in cases {
        let err = Signature::parse(&line).unwrap_err();
        assert_eq!(err.code(), "malformed", "{what}: {line:?} gave {err:?}");
        // verify reports the same, before any key lookup.
        assert_eq!(
            code(verify(&line, OWN_X12, &vector_ring(), &cache(), &opts())),
            "malformed",
            "{what}"
        );
    }
    // Non-canonical trailing bits in sig: the last character of 43 carries
    // 2 spare bits.
    let sig_at = good.rfind("sig=").unwrap() + 4;
    let last = good.as_bytes()[good.len() - 1];
    let sig = &good[sig_at..];
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sig)
        .unwrap();
    assert_eq!(decoded.len(), 32);
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let idx = alphabet.iter().position(|&c| c == last).unwrap();
    let noncanonical = alphabet[idx | 1] as char;
    let mut bad = good[..good.len() - 1].to_owned();
    bad.push(if idx & 1 == 0 {
        noncanonical
    } else {
        alphabet[idx | 2] as char
    });
    assert_eq!(code(Signature::parse(&bad)), "malformed");
}

#[test]
fn other_versions_are_never_retried() {
    for v in ["0", "01", "1.0", "11", ""] {
        let line = own_line(1).replacen("v=1;", &format!("v={v};"), 1);
        assert_eq!(
            code(Signature::parse(&line)),
            "unsupported_version",
            "v={v}"
        );
    }
}

#[test]
fn revoked_future_and_expired_keys_are_not_valid_now() {
    let line = own_line(2);
    for (k, reason) in [
        (key(vector_secret()).revoke(), "revoked"),
        (
            key(vector_secret()).valid_between(Some(TS + 1), None),
            "not yet valid",
        ),
        (
            key(vector_secret()).valid_between(None, Some(TS - 1)),
            "expired",
        ),
    ] {
        let err = verify(&line, OWN_X12, &ring_with(KID, k), &cache(), &opts()).unwrap_err();
        assert_eq!(
            err,
            SignatureError::KeyNotValidNow {
                kid: KID.into(),
                reason
            }
        );
    }
    let inside = key(vector_secret()).valid_between(Some(TS), Some(TS));
    verify(&line, OWN_X12, &ring_with(KID, inside), &cache(), &opts()).unwrap();
}

#[test]
fn canon_not_allowed_for_eld_bin_and_newline_terminators() {
    let secret = vector_secret();
    let eld = b"ELD File Header Segment:\rX\r";
    let line = forge(
        &secret,
        KID,
        TS,
        "AAAAAAAAAAAAAAAAAAAAAA",
        "eld",
        "eol1",
        "-",
        eld,
    );
    let ring = ring_with(KID, key(secret.clone()).allow_canon(Canon::Eol1));
    assert_eq!(
        code(verify(&line, eld, &ring, &cache(), &opts())),
        "canon_not_allowed"
    );
    let params = SignParams::new(PayloadType::Bin, TS as u64, Nonce::from_bytes([0; 16]))
        .with_canon(Canon::Eol1);
    let eol1_key = key(secret.clone()).allow_canon(Canon::Eol1);
    assert_eq!(
        code(sign(KID, &eol1_key, &params, b"abc")),
        "canon_not_allowed"
    );
    let mut lf = OWN_X12.to_vec();
    lf[105] = b'\n';
    let params = params.clone();
    let mut p = params;
    p.typ = PayloadType::X12;
    assert_eq!(code(sign(KID, &eol1_key, &p, &lf)), "canon_not_allowed");
    // Signing eol1 with a key that allows raw only.
    assert_eq!(
        code(sign(KID, &key(secret), &p, OWN_X12)),
        "canon_not_allowed"
    );
}

#[test]
fn truncated_payload_is_length_mismatch() {
    let line = own_line(3);
    let err = verify(
        &line,
        &OWN_X12[..OWN_X12.len() - 10],
        &vector_ring(),
        &cache(),
        &opts(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        SignatureError::LengthMismatch {
            declared: OWN_X12.len() as u64,
            actual: OWN_X12.len() as u64 - 10
        }
    );
}

#[test]
fn wrong_secret_is_bad_signature() {
    let line = own_line(4);
    let ring = ring_with(KID, key(vec![0xAA; 32]));
    assert_eq!(
        code(verify(&line, OWN_X12, &ring, &cache(), &opts())),
        "bad_signature"
    );
}

#[test]
fn sender_not_allowed_for_partner() {
    let line = own_line(5);
    let ring = ring_with(KID, key(vector_secret()).with_senders(["OTHER"]));
    let err = verify(&line, OWN_X12, &ring, &cache(), &opts()).unwrap_err();
    assert_eq!(
        err,
        SignatureError::SenderNotAuthorized {
            sender: "SENDERID".into(),
            partner: "acme".into()
        }
    );
    // A key with no sender list allows none (fails closed).
    let ring = ring_with(KID, Key::new(vector_secret()).unwrap());
    assert_eq!(
        code(verify(&own_line(6), OWN_X12, &ring, &cache(), &opts())),
        "sender_not_authorized"
    );
}

#[test]
fn receiver_must_be_ours_when_ours_are_given() {
    let o = opts().with_our_ids(["SOMEONEELSE"]);
    assert_eq!(
        code(verify(&own_line(7), OWN_X12, &vector_ring(), &cache(), &o)),
        "receiver_not_ours"
    );
    let o = opts().with_our_ids(["X", "RECEIVERID"]);
    verify(&own_line(7), OWN_X12, &vector_ring(), &cache(), &o).unwrap();
}

#[test]
fn unreadable_envelope_after_a_valid_mac() {
    let secret = vector_secret();
    let not_x12 = b"hello, this is not an interchange";
    let line = forge(
        &secret,
        KID,
        TS,
        "AAAAAAAAAAAAAAAAAAAAAA",
        "x12",
        "raw",
        "-",
        not_x12,
    );
    assert_eq!(
        code(verify(&line, not_x12, &vector_ring(), &cache(), &opts())),
        "envelope_unreadable"
    );
}

#[test]
fn limits_on_line_payload_and_replay_cache() {
    let line = own_line(8);
    let mut o = opts();
    o.max_line_len = 100;
    assert_eq!(
        code(verify(&line, OWN_X12, &vector_ring(), &cache(), &o)),
        "limit"
    );
    let mut o = opts();
    o.max_payload_len = 10;
    assert_eq!(
        code(verify(&line, OWN_X12, &vector_ring(), &cache(), &o)),
        "limit"
    );
    let full = MemoryReplayCache::new(1);
    verify(&own_line(9), OWN_X12, &vector_ring(), &full, &opts()).unwrap();
    assert_eq!(
        code(verify(
            &own_line(10),
            OWN_X12,
            &vector_ring(),
            &full,
            &opts()
        )),
        "limit"
    );
    // Once the first entry expired (ts + window + skew), there is room again.
    let later = VerifyOptions::at(TS + 361);
    let fresh_line = {
        let params = SignParams::new(
            PayloadType::X12,
            (TS + 361) as u64,
            Nonce::from_bytes([11; 16]),
        );
        sign(KID, &key(vector_secret()), &params, OWN_X12)
            .unwrap()
            .to_string()
    };
    verify(&fresh_line, OWN_X12, &vector_ring(), &full, &later).unwrap();
}

#[test]
fn ledger_duplicate_and_conflict() {
    let ledger = MemoryLedger::new(100);
    let ring = vector_ring();
    let verified = verify(&own_line(12), OWN_X12, &ring, &cache(), &opts()).unwrap();
    verified.record(&ledger).unwrap();
    // The same interchange again under a new nonce: a duplicate.
    let again = verify(&own_line(13), OWN_X12, &ring, &cache(), &opts()).unwrap();
    assert_eq!(
        again.record(&ledger).unwrap_err(),
        SignatureError::Duplicate("000000007".into())
    );
    // Same control number, different content: a conflict.
    let changed: Vec<u8> = String::from_utf8(OWN_X12.to_vec())
        .unwrap()
        .replace("PRO9", "PRO8")
        .into_bytes();
    let params = SignParams::new(PayloadType::X12, TS as u64, Nonce::from_bytes([14; 16]));
    let line = sign(KID, &key(vector_secret()), &params, &changed)
        .unwrap()
        .to_string();
    let other = verify(&line, &changed, &ring, &cache(), &opts()).unwrap();
    let err = other.record(&ledger).unwrap_err();
    assert_eq!(
        err,
        SignatureError::ControlNumberConflict("000000007".into())
    );
    assert_eq!(err.rule().code, "signature_control_number_conflict");
    assert_eq!(ledger.len(), 1);
}

// ---- EDIFACT and ELD ----

const OWN_EDIFACT: &[u8] = b"UNA:+.? 'UNB+UNOC:3+SEND?+ER:ZZ+RECV:14+240101:1200+REF?'1'\r\nUNH+1+IFTSTA:D:01B:UN'\r\nUNT+2+1'\r\nUNZ+1+REF?'1'\r\n";

#[test]
fn edifact_envelope_ids_honour_una_and_release() {
    let ids = envelope_ids(PayloadType::Edifact, OWN_EDIFACT)
        .unwrap()
        .unwrap();
    assert_eq!(ids.sender(), b"SEND+ER");
    assert_eq!(ids.control_number(), b"REF'1");
    assert_eq!(ids.to_ctl(), "SEND%2BER:ZZ/RECV:14/REF%271");
    // Other service characters declared by UNA.
    let custom = b"UNA|*.! #UNB*UNOC|3*S|1*R*240101|1200*9#UNZ*0*9#";
    let ids = envelope_ids(PayloadType::Edifact, custom).unwrap().unwrap();
    assert_eq!(ids.to_ctl(), "S:1/R/9");
    // No UNA: the defaults.
    let plain = b"UNB+UNOA:1+S+R+240101:1200+5'UNZ+0+5'";
    let ids = envelope_ids(PayloadType::Edifact, plain).unwrap().unwrap();
    assert_eq!(ids.to_ctl(), "S/R/5");
    assert!(envelope_ids(PayloadType::Edifact, b"UNH+1'").is_err());
    assert!(envelope_ids(PayloadType::Edifact, b"UNA:+").is_err());
    assert!(
        envelope_ids(PayloadType::Eld, b"anything")
            .unwrap()
            .is_none()
    );
}

#[test]
fn x12_envelope_ids_strip_padding_only() {
    let ids = envelope_ids(PayloadType::X12, OWN_X12).unwrap().unwrap();
    assert_eq!(ids.to_ctl(), "ZZ/SENDERID/ZZ/RECEIVERID/000000007");
    assert!(envelope_ids(PayloadType::X12, &OWN_X12[..100]).is_err());
    assert!(envelope_ids(PayloadType::X12, b"GS*QM").is_err());
}

#[test]
fn edifact_eol1_round_trip_and_raw_difference() {
    let k = Key::new(vector_secret())
        .unwrap()
        .with_partner("p")
        .with_senders(["SEND+ER"])
        .allow_canon(Canon::Eol1);
    let params = SignParams::new(PayloadType::Edifact, TS as u64, Nonce::from_bytes([20; 16]))
        .with_canon(Canon::Eol1);
    let sig = sign("edi-k", &k, &params, OWN_EDIFACT).unwrap();
    let canonical = canonicalize(PayloadType::Edifact, Canon::Eol1, OWN_EDIFACT).unwrap();
    assert_eq!(sig.len(), canonical.len() as u64);
    assert!(!canonical.contains(&b'\n'));
    let ring = ring_with("edi-k", k);
    // Verifies with the line breaks, and without them.
    verify(&sig.to_string(), OWN_EDIFACT, &ring, &cache(), &opts()).unwrap();
    verify(&sig.to_string(), &canonical, &ring, &cache(), &opts()).unwrap();
    // A line break inside a segment is not removed: it fails.
    let mut inside = OWN_EDIFACT.to_vec();
    inside.insert(30, b'\n');
    assert_eq!(
        code(verify(&sig.to_string(), &inside, &ring, &cache(), &opts())),
        "length_mismatch"
    );
}

#[test]
fn eld_agreed_ctl() {
    let eld = b"ELD File Header Segment:\rSMITH,JOHN\r";
    let params = SignParams::new(PayloadType::Eld, TS as u64, Nonce::from_bytes([21; 16]))
        .with_ctl("ELD 2024-01-01.csv");
    let sig = sign(KID, &key(vector_secret()), &params, eld).unwrap();
    assert_eq!(sig.ctl(), "ELD%202024-01-01.csv");
    let ring = vector_ring();
    let o = opts().with_agreed_ctl("ELD 2024-01-01.csv");
    verify(&sig.to_string(), eld, &ring, &cache(), &o).unwrap();
    let o = opts().with_agreed_ctl("other.csv");
    assert_eq!(
        code(verify(&sig.to_string(), eld, &ring, &cache(), &o)),
        "control_mismatch"
    );
}

#[test]
fn several_lines_accept_any_known_kid() {
    let lines = format!(
        "EDISIG v=1;alg=hmac-sha256;kid=unknown;ts=1;nonce=AAAAAAAAAAAAAAAAAAAAAA;typ=x12;canon=raw;ctl=-;len=1;sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n\n{}\n",
        own_line(22)
    );
    verify_lines(&lines, OWN_X12, &vector_ring(), &cache(), &opts()).unwrap();
    // Only unknown kids: UnknownKey. A known kid that fails wins over it.
    let only_unknown = lines.lines().next().unwrap();
    assert_eq!(
        code(verify_lines(
            only_unknown,
            OWN_X12,
            &vector_ring(),
            &cache(),
            &opts()
        )),
        "unknown_key"
    );
    let bad = format!(
        "{only_unknown}\n{}",
        own_line(23).replace("ts=1704110400", "ts=1704110401")
    );
    assert_eq!(
        code(verify_lines(
            &bad,
            OWN_X12,
            &vector_ring(),
            &cache(),
            &opts()
        )),
        "bad_signature"
    );
    assert_eq!(
        code(verify_lines("", OWN_X12, &vector_ring(), &cache(), &opts())),
        "malformed"
    );
}

// ---- Keys and secrecy ----

#[test]
fn secrets_never_show_in_debug_display_or_errors() {
    let secret: Vec<u8> = (100u8..140).collect();
    let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    let hex_upper = hex.to_uppercase();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&secret);
    let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&secret);
    let decimal = format!("{:?}", &secret[..4]); // "[100, 101, 102, 103]"
    let decimal_inner = decimal.trim_matches(|c| c == '[' || c == ']').to_owned();
    let json = format!(
        r#"{{"keys":[{{"kid":"k1","secret_hex":"{hex}","partner":"p"}},{{"kid":"k2","secret_base64":"{b64}"}}]}}"#
    );
    let ring = KeyRing::from_json(&json).unwrap();
    let key = ring.key("k1").unwrap().clone();
    let mut shown = vec![
        format!("{ring:?}"),
        format!("{key:?}"),
        format!("{ring:#?}"),
    ];
    // Errors about keys and rings.
    let short = format!(
        r#"{{"keys":[{{"kid":"k","secret_hex":"{}"}}]}}"#,
        &hex[..40]
    );
    shown.push(KeyRing::from_json(&short).unwrap_err().to_string());
    let broken = format!(r#"{{"keys":[{{"kid":"k","secret_hex":"{hex}" "#);
    shown.push(KeyRing::from_json(&broken).unwrap_err().to_string());
    let unknown = format!(r#"{{"keys":[{{"kid":"k","secret_hex":"{hex}","{hex}":1}}]}}"#);
    shown.push(format!("{:?}", KeyRing::from_json(&unknown).unwrap_err()));
    let wrong_type = format!(r#"{{"keys":[{{"kid":"k","secret_hex":["{hex}"]}}]}}"#);
    shown.push(KeyRing::from_json(&wrong_type).unwrap_err().to_string());
    // Verification errors.
    let line = own_line(30);
    let err = verify(
        &line,
        OWN_X12,
        &ring_with(KID, key.clone()),
        &cache(),
        &opts(),
    )
    .unwrap_err();
    shown.push(format!("{err} {err:?} {:?}", err.to_finding()));
    for text in &shown {
        for needle in [&hex, &hex_upper, &b64, &b64url, &decimal, &decimal_inner] {
            assert!(!text.contains(needle.as_str()), "secret leaked in {text}");
        }
    }
    assert!(shown[1].contains("40 secret bytes"), "{}", shown[1]);
}

#[test]
fn key_ring_file_errors() {
    let hex32 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    let ok = format!(
        r#"{{"keys":[{{"kid":"a","secret_hex":"{hex32}","alg":"hmac-sha256","partner":"p","senders":["S"],"canon":["raw","eol1"],"not_before":1,"not_after":2,"revoked":true}}]}}"#
    );
    let ring = KeyRing::from_json(&ok).unwrap();
    let k = ring.key("a").unwrap();
    assert!(k.allows_canon(Canon::Eol1) && k.is_revoked());
    assert_eq!(k.senders(), ["S".to_owned()]);
    let cases = [
        format!(
            r#"{{"keys":[{{"kid":"a","secret_hex":"{}"}}]}}"#,
            &hex32[..62]
        ),
        format!(r#"{{"keys":[{{"kid":"a","secret_hex":"{hex32}","secret_base64":"AA=="}}]}}"#),
        r#"{"keys":[{"kid":"a"}]}"#.to_owned(),
        format!(
            r#"{{"keys":[{{"kid":"a","secret_hex":"{hex32}"}},{{"kid":"a","secret_hex":"{hex32}"}}]}}"#
        ),
        format!(r#"{{"keys":[{{"kid":"a b","secret_hex":"{hex32}"}}]}}"#),
        format!(r#"{{"keys":[{{"kid":"a","secret_hex":"{hex32}","alg":"hmac-sha1"}}]}}"#),
        format!(r#"{{"keys":[{{"kid":"a","secret_hex":"{hex32}","canon":["c14n"]}}]}}"#),
        format!(r#"{{"keys":[{{"kid":"a","secret_hex":"{hex32}","color":"red"}}]}}"#),
        format!(
            r#"{{"keys":[{{"kid":"a","secret_hex":"zz{}"}}]}}"#,
            &hex32[2..]
        ),
        r#"{"keys":[{"kid":"a","secret_base64":"not base64!"}]}"#.to_owned(),
        "[]".to_owned(),
    ];
    for case in &cases {
        assert!(KeyRing::from_json(case).is_err(), "accepted {case}");
    }
    assert!(matches!(
        Key::new(vec![1; 31]),
        Err(ediguard::integrity::edisig::KeyError::SecretTooShort(31))
    ));
}

// ---- Properties ----

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn sign_then_verify_passes(
        payload in proptest::collection::vec(any::<u8>(), 0..512),
        ts in 0u64..4_000_000_000,
        nonce in any::<[u8; 16]>(),
        secret in proptest::collection::vec(any::<u8>(), 32..80),
        ctl in "[A-Za-z0-9 /%._-]{0,20}",
    ) {
        let k = Key::new(secret).unwrap();
        let params = SignParams::new(PayloadType::Bin, ts, Nonce::from_bytes(nonce)).with_ctl(&ctl);
        let sig = sign("prop", &k, &params, &payload).unwrap();
        let line = sig.to_string();
        prop_assert_eq!(Signature::parse(&line).unwrap(), sig);
        let ring = ring_with("prop", k);
        let now = i64::try_from(ts).unwrap();
        verify(&line, &payload, &ring, &cache(), &VerifyOptions::at(now)).unwrap();
    }

    #[test]
    fn one_byte_change_fails(
        payload in proptest::collection::vec(any::<u8>(), 1..256),
        nonce in any::<[u8; 16]>(),
        pos in any::<proptest::sample::Index>(),
        line_pos in any::<proptest::sample::Index>(),
        replacement in any::<u8>(),
    ) {
        let k = Key::new(vector_secret()).unwrap();
        let params = SignParams::new(PayloadType::Bin, TS as u64, Nonce::from_bytes(nonce));
        let line = sign("prop", &k, &params, &payload).unwrap().to_string();
        let ring = ring_with("prop", k);
        // A changed payload byte.
        let mut changed = payload.clone();
        let i = pos.index(changed.len());
        changed[i] = changed[i].wrapping_add(1 + replacement % 255);
        prop_assert!(verify(&line, &changed, &ring, &cache(), &opts()).is_err());
        // A changed line byte.
        let mut bytes = line.clone().into_bytes();
        let j = line_pos.index(bytes.len());
        bytes[j] = bytes[j].wrapping_add(1 + replacement % 255);
        if let Ok(changed_line) = String::from_utf8(bytes) {
            prop_assert!(verify(&changed_line, &payload, &ring, &cache(), &opts()).is_err());
        }
        // The unchanged pair still verifies.
        prop_assert!(verify(&line, &payload, &ring, &cache(), &opts()).is_ok());
    }

    #[test]
    fn parse_never_panics(line in "EDISIG [ -~]{0,300}") {
        let _ = Signature::parse(&line);
    }
}
