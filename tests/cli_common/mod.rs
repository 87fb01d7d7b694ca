//! Helpers shared by the CLI tests: run the binary, write input files.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `ediguard` binary with `args`.
pub(crate) fn ediguard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ediguard"))
        .args(args)
        .output()
        .expect("run ediguard")
}

/// Writes `bytes` to `name` in a folder of this test binary and process.
pub(crate) fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "ediguard-{}-{}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A path as an argument.
pub(crate) fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Standard output, lossily decoded.
pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error, lossily decoded.
pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Signs `payload` with key id `k1` from `key_file` at Unix time `ts`,
/// writing the `payload.edisig` sidecar; panics unless `sign` succeeds.
pub(crate) fn sign_sidecar(key_file: &Path, ts: &str, payload: &Path) {
    let out = ediguard(&[
        "sign",
        "--key-id",
        "k1",
        "--key-file",
        s(key_file),
        "--ts",
        ts,
        "--write",
        s(payload),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}
