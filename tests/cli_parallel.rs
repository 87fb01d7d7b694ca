//! `ediguard check FILE...` on several threads (`-j`): the output is the
//! same bytes whatever the number of jobs, in argument order, and what
//! depends on the order of files (the ledger) follows the arguments.
#![cfg(feature = "cli")]

mod cli_common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use cli_common::{ediguard, s, sign_sidecar};
use serde_json::Value;

/// A fresh folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ediguard-cli-par-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `count` X12 interchanges with control numbers from `first`; one in
/// seven has an IEA02 that disagrees with its ISA13 (an error finding),
/// and every line ends in CRLF (an info finding with a line number).
fn x12(first: u32, count: u32) -> Vec<u8> {
    let mut out = String::new();
    for n in first..first + count {
        let iea = if n % 7 == 3 { n + 1 } else { n };
        out.push_str(&format!(
            "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*{n:09}*0*P*>~\r\n\
             GS*QM*SENDER*RECEIVER*20240101*1200*{n}*X*004010~\r\nST*214*0001~\r\nB10*PRO{n}*SHIP*SCAC~\r\n\
             SE*3*0001~\r\nGE*1*{n}~\r\nIEA*1*{iea:09}~\r\n"
        ));
    }
    out.into_bytes()
}

/// Forty files of very different sizes (the first ones largest, so that
/// on several threads later files finish first), with clean files, files
/// with errors, sample EDIFACT and ELD files, an unrecognized file and a
/// missing one among them.
fn many_files(dir: &Path) -> Vec<String> {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let mut files = Vec::new();
    for i in 0..36u32 {
        let path = dir.join(format!("f{i:02}.x12"));
        let count = if i < 4 { 4000 - i * 900 } else { 1 + i % 9 };
        std::fs::write(&path, x12(i * 10_000 + 1, count)).unwrap();
        files.push(s(&path).to_owned());
    }
    let notes = dir.join("notes.txt");
    std::fs::write(&notes, "just some notes\n").unwrap();
    files.insert(9, s(&notes).to_owned());
    files.insert(17, s(&dir.join("missing.x12")).to_owned());
    files.insert(21, s(&samples.join("iftsta-status.edi")).to_owned());
    files.insert(30, s(&samples.join("eld-T1042-tampered.csv")).to_owned());
    files
}

/// The string `key` of every object in the JSON array `array`.
fn strings<'a>(array: &'a Value, key: &str) -> Vec<&'a str> {
    let items = array.as_array().expect("a JSON array");
    items.iter().map(|x| x[key].as_str().unwrap()).collect()
}

fn check(jobs: Option<&str>, extra: &[&str], files: &[String]) -> Output {
    let mut args: Vec<&str> = vec!["check"];
    if let Some(j) = jobs {
        args.push("-j");
        args.push(j);
    }
    args.extend_from_slice(extra);
    args.extend(files.iter().map(String::as_str));
    ediguard(&args)
}

#[test]
fn jobs_do_not_change_the_output() {
    let dir = folder("same");
    let files = many_files(&dir);
    // The first files are large enough to be mapped, the others are read
    // (files under 256 KiB are), and `--no-mmap` reads them all: the
    // output is the same.
    assert!(std::fs::metadata(&files[0]).unwrap().len() >= 256 << 10);
    let mapped = check(Some("1"), &[], &files);
    let read = check(Some("1"), &["--no-mmap"], &files);
    assert!(mapped.stdout == read.stdout && mapped.stderr == read.stderr);
    for extra in [&[][..], &["--json"][..], &["--no-mmap"][..]] {
        let one = check(Some("1"), extra, &files);
        // Some errors and one unreadable file: exit 2, with two reasons.
        assert_eq!(one.status.code(), Some(2), "{extra:?}");
        let stderr = String::from_utf8_lossy(&one.stderr);
        assert_eq!(stderr.lines().count(), 2, "{stderr}");
        assert!(
            stderr.lines().next().unwrap().contains("notes.txt"),
            "{stderr}"
        );
        let stdout = String::from_utf8_lossy(&one.stdout);
        assert!(stdout.contains("error[control_number_mismatch]") || extra == ["--json"]);
        for jobs in [None, Some("2"), Some("3"), Some("8"), Some("64")] {
            for _ in 0..3 {
                let many = check(jobs, extra, &files);
                assert_eq!(
                    many.status.code(),
                    one.status.code(),
                    "-j {jobs:?} {extra:?}"
                );
                assert!(
                    many.stdout == one.stdout,
                    "stdout differs: -j {jobs:?} {extra:?}"
                );
                assert!(
                    many.stderr == one.stderr,
                    "stderr differs: -j {jobs:?} {extra:?}"
                );
            }
        }
    }
}

#[test]
fn text_output_follows_the_arguments() {
    let dir = folder("order");
    let files = many_files(&dir);
    let out = check(Some("4"), &[], &files);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Each readable file's summary line comes once, in argument order.
    let summaries: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split_once(": ").map(|(path, _)| path))
        .filter(|path| !path.contains(':'))
        .collect();
    let readable: Vec<&str> = files
        .iter()
        .map(String::as_str)
        .filter(|f| !f.ends_with("notes.txt") && !f.ends_with("missing.x12"))
        .collect();
    assert_eq!(summaries, readable);
    let json = check(Some("4"), &["--json"], &files);
    let value: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(strings(&value["files"], "path"), files);
    // The largest file first, with its interchanges counted.
    assert_eq!(value["files"][0]["interchanges"], 4000);
}

#[test]
fn errors_and_findings_keep_their_order_on_one_stream() {
    // Standard output is buffered; an unreadable file's reason on
    // standard error still comes between the files around it when both
    // go to one file, as with `2>&1`.
    let dir = folder("stream");
    let files = many_files(&dir);
    let log = dir.join("log.txt");
    let sink = std::fs::File::create(&log).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_ediguard"))
        .args(["check", "-j", "2"])
        .args(&files)
        .stdout(Stdio::from(sink.try_clone().unwrap()))
        .stderr(Stdio::from(sink))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
    let text = std::fs::read_to_string(&log).unwrap();
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?} in\n{text}"))
    };
    for (i, name) in [(9, "notes.txt"), (17, "missing.x12")] {
        let reason = line_of(&format!("ediguard: {}", files[i]));
        assert!(files[i].ends_with(name));
        assert!(
            line_of(&format!("{}: x12", files[i - 1])) < reason,
            "{text}"
        );
        assert!(
            reason < line_of(&format!("{}: x12", files[i + 1])),
            "{text}"
        );
    }
}

#[test]
fn zero_jobs_is_a_usage_error() {
    let dir = folder("zero");
    let files = many_files(&dir);
    let out = check(Some("0"), &[], &files[..1]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--jobs"));
}

#[cfg(unix)]
#[test]
fn a_pipe_is_read_not_mapped() {
    // /dev/stdin is a pipe here: not a regular file, so it is read.
    let mut child = Command::new(env!("CARGO_BIN_EXE_ediguard"))
        .args(["check", "-j", "2", "/dev/stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&x12(1, 3)).unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("/dev/stdin: x12, 3 interchange(s), 21 segment(s): 1 error(s)"),
        "{stdout}"
    );
}

const HEX_KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const TS: &str = "1704110400";

#[test]
fn the_ledger_sees_files_in_argument_order() {
    let dir = folder("ledger");
    let key = dir.join("k.key");
    std::fs::write(&key, HEX_KEY).unwrap();
    let ring = dir.join("ring.json");
    std::fs::write(
        &ring,
        format!(
            r#"{{"keys":[{{"kid":"k1","secret_hex":"{HEX_KEY}","partner":"acme","senders":["SENDER"]}}]}}"#
        ),
    )
    .unwrap();
    // Twelve signed files: three interchanges, each sent four times. The
    // first copy of each in argument order is new to the ledger and the
    // later ones are duplicates, whichever thread finishes first; the
    // first file is the largest, so it finishes last.
    let mut files = Vec::new();
    for i in 0..12u32 {
        let path = dir.join(format!("s{i:02}.x12"));
        let which = i % 3;
        let body = if which == 0 {
            x12(1, 3000)
        } else {
            x12(100_000 * which, 1)
        };
        std::fs::write(&path, body).unwrap();
        sign_sidecar(&key, TS, &path);
        files.push(s(&path).to_owned());
    }
    let mut outputs = Vec::new();
    for jobs in ["1", "4"] {
        let ledger = dir.join(format!("ledger-{jobs}.sqlite"));
        let extra = [
            "--json",
            "--keyring",
            s(&ring),
            "--ledger",
            s(&ledger),
            "--now",
            TS,
        ];
        let out = check(Some(jobs), &extra, &files);
        let value: Value = serde_json::from_slice(&out.stdout).unwrap();
        let outcome: Vec<&str> = value["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let rules = strings(&f["findings"], "rule");
                if rules.contains(&"signature_duplicate") {
                    "duplicate"
                } else if rules.contains(&"signature_verified") {
                    "new"
                } else {
                    "other"
                }
            })
            .collect();
        let expected: Vec<&str> = (0..12)
            .map(|i| if i < 3 { "new" } else { "duplicate" })
            .collect();
        assert_eq!(outcome, expected, "-j {jobs}");
        outputs.push(out.stdout);
    }
    assert!(outputs[0] == outputs[1], "-j1 and -j4 differ");
}

/// One long ELD file with damaged rows: its Event List is read in blocks
/// and its consistency rules run side by side with `-j 2`; the output is
/// the same bytes as with `-j 1`.
#[cfg(feature = "generate")]
#[test]
fn one_long_eld_file_gives_the_same_output_on_one_core_or_two() {
    let dir = folder("eld-long");
    let mut text = String::from_utf8(ediguard::generate::eld_file(3, 6 << 20)).unwrap();
    // A changed record status breaks a line check value; a repeated row
    // repeats a sequence ID.
    let events = text.find("ELD Event List:\r\n").unwrap() + "ELD Event List:\r\n".len();
    let second = events + text[events..].find("\r\n").unwrap() + 2;
    let third = second + text[second..].find("\r\n").unwrap() + 2;
    let row = text[second..third].to_owned();
    let far = second + (third - second) * 40_000;
    let far = far + text[far..].find("\r\n").unwrap() + 2;
    text.insert_str(far, &row);
    let status = events + text[events..].find(',').unwrap() + 1;
    let flip = if &text[status..=status] == "1" {
        "2"
    } else {
        "1"
    };
    text.replace_range(status..=status, flip);
    let path = dir.join("long.csv");
    std::fs::write(&path, text).unwrap();
    let one = check(Some("1"), &["--json"], &[s(&path).to_owned()]);
    let two = check(Some("2"), &["--json"], &[s(&path).to_owned()]);
    assert_eq!(one.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&one.stdout);
    for rule in ["line_check_value_mismatch", "eld_duplicate_sequence_id"] {
        assert!(
            stdout.contains(rule),
            "{rule}: {}",
            &stdout[..stdout.len().min(2000)]
        );
    }
    assert!(one.stdout == two.stdout, "-j 1 and -j 2 differ");
}
