//! The `ediguard` command line: exit codes, text and JSON shapes.
#![cfg(feature = "cli")]

use std::path::PathBuf;
use std::process::{Command, Output};

fn ediguard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ediguard"))
        .args(args)
        .output()
        .expect("run ediguard")
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ediguard-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

const MINIMAL_X12: &[u8] = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~IEA*0*000000001~";

#[test]
fn no_arguments_is_a_usage_error() {
    let out = ediguard(&["check"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unknown_rule_is_a_usage_error() {
    let path = temp_file("a.x12", MINIMAL_X12);
    let out = ediguard(&["check", "--disable", "no_such_rule", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no_such_rule"));
}

#[test]
fn unreadable_and_unrecognized_inputs_exit_2_with_a_reason() {
    let out = ediguard(&["check", "/nonexistent/ediguard/file.x12"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("cannot read"), "{stderr}");

    let path = temp_file("notes.txt", b"just some notes\n");
    let out = ediguard(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unrecognized"));
}

#[test]
fn clean_file_exits_0_with_a_summary_line() {
    let path = temp_file("clean.x12", MINIMAL_X12);
    let out = ediguard(&["check", path.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("x12, 1 interchange(s)"), "{stdout}");
}

#[test]
fn json_has_the_documented_shape() {
    let path = temp_file("shape.x12", MINIMAL_X12);
    let bad = temp_file("bad.bin", b"\x00\x01\x02");
    let out = ediguard(&[
        "check",
        "--json",
        path.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let files = value["files"].as_array().expect("files array");
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["format"], "x12");
    assert_eq!(files[0]["interchanges"], 1);
    assert!(files[0]["segments"].is_u64());
    assert!(files[0]["findings"].is_array());
    assert_eq!(files[1]["error"]["kind"], "unrecognized");
}

#[test]
fn rules_lists_every_code() {
    let out = ediguard(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for rule in ediguard::rules::ALL {
        assert!(stdout.contains(rule.code), "{} missing", rule.code);
    }
}
