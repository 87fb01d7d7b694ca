//! `ediguard autack generate` and `ediguard autack verify`: output, key
//! files, key rings, filters and exit codes.
#![cfg(feature = "cli")]

mod cli_common;

use std::path::{Path, PathBuf};
use std::process::Output;

use cli_common::{ediguard, s, stderr, stdout, temp_file};
use ediguard::integrity::autack::{AutackParams, generate};
use ediguard::integrity::edifact_security::Filter;
use ediguard::integrity::edisig::Key;

const IC1: &[u8] = b"UNB+UNOC:3+SENDER:14+RECEIVER:14+240101:1200+INT1'\
UNH+1+INVOIC:D:01B:UN'BGM+380+INV1+9'MOA+77:100.00'UNT+4+1'UNZ+1+INT1'";
const IC2: &[u8] = b"UNA:+.? 'UNB+UNOC:3+SENDER:14+RECEIVER:14+240101:1300+INT2'\
UNH+1+IFTSTA:D:01B:UN'BGM+23+ST1+9'FTX+AAI+++O?'Hara'UNT+4+1'UNZ+1+INT2'";
const HEX_KEY: &str = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";

/// The two interchanges as files.
fn interchanges(tag: &str) -> (PathBuf, PathBuf) {
    (
        temp_file(&format!("{tag}-1.edi"), IC1),
        temp_file(&format!("{tag}-2.edi"), IC2),
    )
}

fn keyring(name: &str, kid: &str, hex: &str) -> PathBuf {
    temp_file(
        name,
        format!(r#"{{"keys":[{{"kid":"{kid}","secret_hex":"{hex}","partner":"acme"}}]}}"#)
            .as_bytes(),
    )
}

fn generate_cli(extra: &[&str], files: &[&Path]) -> Output {
    let mut args = vec![
        "autack",
        "generate",
        "--reference",
        "AUT1",
        "--date",
        "20240101",
        "--time",
        "1400",
    ];
    args.extend_from_slice(extra);
    args.extend(files.iter().map(|p| s(p)));
    ediguard(&args)
}

#[test]
fn generate_prints_what_the_library_writes_and_verify_accepts_it() {
    let (a, b) = interchanges("sha");
    let out = generate_cli(&[], &[&a, &b]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let expected = generate(
        &[IC1, IC2],
        &AutackParams::sha256("AUT1", "20240101", "1400"),
    )
    .unwrap();
    assert_eq!(out.stdout, expected);
    let autack = temp_file("sha-autack.edi", &out.stdout);
    let out = ediguard(&["autack", "verify", s(&autack), s(&a), s(&b)]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        stdout(&out),
        format!(
            "{}: edifact, 1 interchange(s), 12 segment(s): 0 error(s), 0 warning(s), 0 info\n",
            s(&autack)
        )
    );
}

#[test]
fn a_changed_interchange_fails_with_exit_1_and_a_located_finding() {
    let (a, b) = interchanges("tamper");
    let generated = generate_cli(&[], &[&a, &b]).stdout;
    let autack = temp_file("tamper-autack.edi", &generated);
    let changed = temp_file(
        "tamper-2-changed.edi",
        &String::from_utf8(IC2.to_vec())
            .unwrap()
            .replace("ST1", "ST2")
            .into_bytes(),
    );
    let out = ediguard(&["autack", "verify", s(&autack), s(&a), s(&changed)]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    // The second USY's 0560, on the AUTACK's only line.
    let text = String::from_utf8(generated).unwrap();
    let column = text.rfind("USY+1+1:").unwrap() + "USY+1+".len() + 1;
    let text_out = stdout(&out);
    assert!(
        text_out.starts_with(&format!(
            "{}:1:{column}: error[autack_value_mismatch]: ",
            s(&autack)
        )),
        "{text_out}"
    );
    assert!(
        text_out.contains(": 1 error(s), 0 warning(s), 0 info\n"),
        "{text_out}"
    );
    // The same as JSON.
    let out = ediguard(&["autack", "verify", "--json", s(&autack), s(&a), s(&changed)]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let file = &json["files"][0];
    assert_eq!(file["path"], s(&autack));
    assert_eq!(file["format"], "edifact");
    let findings = file["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["rule"], "autack_value_mismatch");
    assert_eq!(findings[0]["location"]["column"], column);
    // A referenced interchange left out.
    let out = ediguard(&["autack", "verify", s(&autack), s(&a)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("error[autack_reference_not_found]"));
}

#[test]
fn hmac_with_a_key_file_verifies_only_with_the_right_key_ring() {
    let (a, b) = interchanges("hmac");
    let key_file = temp_file("hmac.key", format!("{HEX_KEY}\n").as_bytes());
    let out = generate_cli(&["--key-id", "ak1", "--key-file", s(&key_file)], &[&a, &b]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let key = Key::new(vec![0x5a; 32]).unwrap();
    let expected = generate(
        &[IC1, IC2],
        &AutackParams::hmac_sha256("AUT1", "20240101", "1400", "ak1", &key),
    )
    .unwrap();
    assert_eq!(out.stdout, expected);
    let autack = temp_file("hmac-autack.edi", &out.stdout);
    let right = keyring("hmac-right.json", "ak1", HEX_KEY);
    let out = ediguard(&[
        "autack",
        "verify",
        "--keyring",
        s(&right),
        s(&autack),
        s(&a),
        s(&b),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains(": 0 error(s), 0 warning(s), 0 info"));
    // Without a key ring: two info findings, still exit 0.
    let out = ediguard(&["autack", "verify", s(&autack), s(&a), s(&b)]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out).matches("info[autack_unverified]").count(), 2);
    // Another secret under the same id, or a ring without the id.
    let wrong = keyring("hmac-wrong.json", "ak1", &"a5".repeat(32));
    let out = ediguard(&[
        "autack",
        "verify",
        "--keyring",
        s(&wrong),
        s(&autack),
        s(&a),
        s(&b),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out).matches("error[autack_value_mismatch]").count(),
        2
    );
    let other = keyring("hmac-other.json", "ak2", HEX_KEY);
    let out = ediguard(&[
        "autack",
        "verify",
        "--keyring",
        s(&other),
        s(&autack),
        s(&a),
        s(&b),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out).matches("error[autack_unknown_key]").count(), 2);
}

#[test]
fn base64_filter_and_out_file() {
    let (a, b) = interchanges("b64");
    let target = a.with_file_name("b64-autack.edi");
    let out = generate_cli(&["--filter", "base64", "--out", s(&target)], &[&a, &b]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let written = std::fs::read(&target).unwrap();
    let expected = generate(
        &[IC1, IC2],
        &AutackParams::sha256("AUT1", "20240101", "1400").with_filter(Filter::Base64),
    )
    .unwrap();
    assert_eq!(written, expected);
    assert!(
        String::from_utf8(written)
            .unwrap()
            .contains("USH+9+1+3+1+7+7'")
    );
    let out = ediguard(&["autack", "verify", s(&target), s(&a), s(&b)]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // Only hex and base64 are written.
    let out = generate_cli(&["--filter", "zzz"], &[&a, &b]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown filter \"zzz\" (hex, base64)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn date_and_time_default_to_now_in_utc() {
    let (a, _) = interchanges("now");
    let today = || {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        chrono::DateTime::from_timestamp(secs as i64, 0)
            .unwrap()
            .format("%Y%m%d")
            .to_string()
    };
    let before = today();
    let out = ediguard(&["autack", "generate", "--reference", "N1", s(&a)]);
    let after = today();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // UNB+UNOC:4+SENDER:14+RECEIVER:14+CCYYMMDD:HHMM+N1'
    let s004 = text.split('\'').next().unwrap().split('+').nth(4).unwrap();
    let (date, time) = s004.split_once(':').unwrap();
    assert!(
        date == before || date == after,
        "{date} not {before} or {after}"
    );
    assert!(
        chrono::NaiveTime::parse_from_str(time, "%H%M").is_ok(),
        "{time}"
    );
    // The date and the time are given together or not at all.
    let out = ediguard(&[
        "autack",
        "generate",
        "--reference",
        "N1",
        "--date",
        "20240101",
        s(&a),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn usage_errors_and_unreadable_inputs_exit_2_naming_the_file() {
    let (a, b) = interchanges("err");
    let missing = a.with_file_name("err-missing.edi");
    let out = generate_cli(&[], &[&a, &missing]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with(&format!("ediguard: {}: cannot read", s(&missing))));
    // A file without any interchange is refused by its path, not skipped.
    let pdf = temp_file("err-invoice.pdf", b"%PDF-1.7\n");
    let out = generate_cli(&[], &[&a, &pdf, &b]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(&format!("ediguard: {}: cannot secure: ", s(&pdf))),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
    // Arguments the library refuses.
    let out = ediguard(&[
        "autack",
        "generate",
        "--reference",
        "AUT1",
        "--date",
        "20240230",
        "--time",
        "1400",
        s(&a),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("CCYYMMDD"), "{}", stderr(&out));
    // A key id needs a key file, and a short key is refused.
    let out = generate_cli(&["--key-id", "ak1"], &[&a]);
    assert_eq!(out.status.code(), Some(2));
    let short = temp_file("err-short.key", b"0011");
    let out = generate_cli(&["--key-id", "ak1", "--key-file", s(&short)], &[&a]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with(&format!("ediguard: {}: ", s(&short))));
    // verify: a missing AUTACK, a missing interchange, a bad key ring.
    let autack = temp_file("err-autack.edi", &generate_cli(&[], &[&a, &b]).stdout);
    let out = ediguard(&["autack", "verify", s(&missing), s(&a)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with(&format!("ediguard: {}: cannot read", s(&missing))));
    let out = ediguard(&["autack", "verify", "--json", s(&autack), s(&missing)]);
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"][0]["path"], s(&missing));
    assert_eq!(json["files"][0]["error"]["kind"], "io");
    let bad_ring = temp_file("err-ring.json", b"{not json");
    let out = ediguard(&[
        "autack",
        "verify",
        "--keyring",
        s(&bad_ring),
        s(&autack),
        s(&a),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with(&format!("ediguard: {}: ", s(&bad_ring))));
    // An interchange is needed.
    let out = ediguard(&["autack", "verify", s(&autack)]);
    assert_eq!(out.status.code(), Some(2));
}
