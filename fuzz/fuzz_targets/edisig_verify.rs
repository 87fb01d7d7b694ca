//! EDISIG v1 verification with a fixed key ring. The input is split at its
//! first line feed into a signature line and a payload.
//!
//! Invariants: `verify` never panics on any line and payload; a line that
//! verifies is exactly the line `sign` produces for that payload with the
//! line's own parameters (nothing else verifies); the payload signed with
//! each payload type (when `sign` accepts it) verifies, and changing any one
//! byte of the payload, or of the line, makes verification fail.
#![no_main]

use ediguard::integrity::edisig::{
    Canon, Key, KeyRing, MemoryReplayCache, Nonce, PayloadType, SignParams, Signature,
    SignatureError, envelope_ids, sign, verify,
};
use libfuzzer_sys::fuzz_target;

const KID: &str = "acme-1";
const NOW: i64 = 1_704_110_400;

fn key() -> Key {
    Key::new(vec![7u8; 32])
        .expect("32-byte secret")
        .with_partner("acme")
        .allow_canon(Canon::Eol1)
}

fn ring() -> KeyRing {
    ring_with_sender(None)
}

/// The key ring; X12 and EDIFACT payloads verify only when the key lists
/// their envelope sender.
fn ring_with_sender(sender: Option<&str>) -> KeyRing {
    let mut ring = KeyRing::new();
    ring.insert(KID, key().with_senders(sender))
        .expect("valid kid");
    ring.insert(
        "other",
        Key::new(vec![9u8; 40])
            .expect("secret")
            .with_partner("other"),
    )
    .expect("valid kid");
    ring
}

/// A fresh cache per call, so that no check is a replay of an earlier one.
fn check(line: &str, payload: &[u8], ring: &KeyRing) -> bool {
    verified(line, payload, ring).is_ok()
}

fn verified(line: &str, payload: &[u8], ring: &KeyRing) -> Result<(), SignatureError> {
    let cache = MemoryReplayCache::new(16);
    let options = ediguard::integrity::edisig::VerifyOptions::at(NOW).with_window(u64::MAX / 4);
    verify(line, payload, ring, &cache, &options).map(|_| ())
}

fn resign(sig: &Signature, payload: &[u8]) -> Option<Signature> {
    let mut params = SignParams::new(sig.typ(), sig.ts(), sig.nonce()).with_canon(sig.canon());
    params.ctl = sig.ctl().to_owned();
    let ring = ring();
    sign(sig.kid(), ring.key(sig.kid())?, &params, payload).ok()
}

fuzz_target!(|data: &[u8]| {
    let ring = ring();
    let (line, payload) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&data[..0], data),
    };

    // 1. The fuzzed line: whatever verifies must be what `sign` writes.
    if let Ok(line) = std::str::from_utf8(line) {
        if check(line, payload, &ring) {
            let sig = Signature::parse(line).expect("a verified line parses");
            let again = resign(&sig, payload).expect("a verified line can be signed again");
            assert_eq!(
                again.to_string(),
                line,
                "a verified line is the signer's line"
            );
        }
    }

    // 2. Sign the payload, verify, then change one byte.
    let pick = data.first().copied().unwrap_or(0) as usize;
    let ts = NOW as u64 - (pick as u64 % 100);
    let mut nonce = [0u8; 16];
    for (n, b) in nonce.iter_mut().zip(data.iter().rev()) {
        *n = *b;
    }
    for typ in [
        PayloadType::Bin,
        PayloadType::X12,
        PayloadType::Edifact,
        PayloadType::Eld,
    ] {
        let params = SignParams::new(typ, ts, Nonce::from_bytes(nonce)).with_ctl("batch 7/a");
        let Ok(sig) = sign(KID, &key(), &params, payload) else {
            assert_eq!(typ == PayloadType::Bin, false, "bin payloads always sign");
            continue;
        };
        // The sender the key must list (verification needs it, §4.3 step 7).
        let ring = match envelope_ids(typ, payload) {
            Ok(Some(ids)) => match std::str::from_utf8(ids.sender()) {
                Ok(sender) => ring_with_sender(Some(sender)),
                Err(_) => continue,
            },
            _ => ring_with_sender(None),
        };
        let line = sig.to_string();
        assert_eq!(
            Signature::parse(&line).as_ref(),
            Ok(&sig),
            "the line parses back"
        );
        let ok = verified(&line, payload, &ring);
        assert!(
            ok.is_ok(),
            "{typ:?}: a signed payload verifies: {line}: {ok:?}"
        );
        if !payload.is_empty() {
            let mut changed = payload.to_vec();
            let i = pick % changed.len();
            changed[i] = changed[i].wrapping_add(1 + (pick as u8 % 255));
            assert!(
                !check(&line, &changed, &ring),
                "{typ:?}: a changed payload byte still verifies"
            );
        }
        let mut bad = line.clone().into_bytes();
        let i = pick % bad.len();
        bad[i] = if bad[i] == b'A' { b'B' } else { b'A' };
        if let Ok(bad) = String::from_utf8(bad) {
            assert!(
                !check(&bad, payload, &ring),
                "{typ:?}: a changed line still verifies: {bad}"
            );
        }
    }
});
