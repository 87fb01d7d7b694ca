//! Signs every document of the sample shipment with EDISIG v1 (as the
//! shipper and carrier would), verifies each against the receiver's key
//! ring, records control numbers in a ledger, and shows what a forger's
//! changes look like: an edited status, and a replayed control number with
//! other content.
//!
//! Run with `cargo run --example sign_shipment`.

use ediguard::integrity::edisig::{
    self, Key, KeyRing, MemoryReplayCache, Nonce, PayloadType, SignParams, VerifyOptions,
};
use ediguard::integrity::ledger::MemoryLedger;
use ediguard::{Format, detect};

/// A demonstration key; real keys are 32+ random bytes kept out of code.
const DEMO_SECRET: [u8; 32] = *b"demo-only-key-not-for-production";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data");
    let docs = [
        "204-load-tender.x12",
        "214-status.x12",
        "iftsta-status.edi",
        "cuscar-manifest.edi",
        "eld-T1042.csv",
    ];
    let key = || {
        Key::new(DEMO_SECRET.to_vec()).map(|k| {
            k.with_partner("northline")
                .with_senders(["GLPAPER", "NLFX"])
        })
    };
    let mut ring = KeyRing::new();
    ring.insert("northline-2026q4", key()?)?;
    let signer = key()?;
    let cache = MemoryReplayCache::new(1024);
    let ledger = MemoryLedger::new(1024);
    let now: u64 = 1_795_449_600; // 2026-11-17 16:00 UTC, when the files were sent
    let options = VerifyOptions::at(now as i64);

    for name in docs {
        let payload = std::fs::read(format!("{dir}/{name}"))?;
        let typ = match detect(&payload)? {
            Format::X12 => PayloadType::X12,
            Format::Edifact => PayloadType::Edifact,
            _ => PayloadType::Eld,
        };
        let mut params = SignParams::new(typ, now, Nonce::random()?);
        if typ == PayloadType::Eld {
            params = params.with_ctl("eld-T1042");
        }
        let line = edisig::sign("northline-2026q4", &signer, &params, &payload)?.to_string();
        println!("{name}\n  {line}");
        let verified = edisig::verify(&line, &payload, &ring, &cache, &options)?;
        verified.record(&ledger)?;
        println!(
            "  verified: partner {} ctl {}",
            verified.partner(),
            verified.signature().ctl()
        );
    }

    // A forger changes the 214's delivery time (D1 at 1520 -> 1320) but
    // keeps the carrier's signature line.
    let original = std::fs::read(format!("{dir}/214-status.x12"))?;
    let params = SignParams::new(PayloadType::X12, now, Nonce::random()?);
    let line = edisig::sign("northline-2026q4", &signer, &params, &original)?.to_string();
    let forged = String::from_utf8(original.clone())?.replace("*1520*", "*1320*");
    match edisig::verify(&line, forged.as_bytes(), &ring, &cache, &options) {
        Ok(_) => println!("forged 214: accepted (unexpected)"),
        Err(e) => println!("forged 214: rejected [{}] {e}", e.code()),
    }
    // The forger signs other content under the 214's control number with a
    // stolen key: the signature verifies, but the ledger has seen that
    // number with other content.
    let params = SignParams::new(PayloadType::X12, now, Nonce::random()?);
    let line = edisig::sign("northline-2026q4", &signer, &params, forged.as_bytes())?.to_string();
    let verified = edisig::verify(&line, forged.as_bytes(), &ring, &cache, &options)?;
    match verified.record(&ledger) {
        Ok(()) => println!("replayed control number: accepted (unexpected)"),
        Err(e) => println!("replayed control number: [{}] {e}", e.code()),
    }
    Ok(())
}
