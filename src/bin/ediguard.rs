//! The `ediguard` command-line tool: a thin shell over the library.

#[path = "ediguard/input.rs"]
mod input;

use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ediguard::integrity::edifact_security::Filter;
use ediguard::integrity::edisig::{Key, KeyRing};
use ediguard::{Error, Options, Report, Severity};
use serde::Serialize;

/// Integrity checks for X12, EDIFACT and ELD freight documents.
#[derive(Parser)]
#[command(name = "ediguard", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check files and report every finding with its location.
    ///
    /// Exit status: 0 when no finding is an error, 1 when one is, 2 for
    /// usage errors or unreadable input.
    Check(CheckArgs),
    /// Sign a file with an EDISIG v1 detached signature (HMAC-SHA256).
    ///
    /// Prints the signature line, or writes it with --out or --write.
    /// The key file holds the secret: hex digits (64 or more, a trailing
    /// newline allowed), or else 32 or more raw bytes.
    Sign(SignArgs),
    /// Verify a file's EDISIG v1 signature against a key ring.
    ///
    /// Exit status: 0 verified, 1 verification failed (the error code is
    /// printed), 2 for usage errors or unreadable input.
    Verify(VerifyArgs),
    /// Generate or verify AUTACK messages (ISO 9735-6) that secure whole
    /// EDIFACT interchanges.
    Autack {
        #[command(subcommand)]
        action: AutackAction,
    },
    /// List every rule code with its default severity.
    Rules {
        /// Print a markdown table (as in the README).
        #[arg(long)]
        markdown: bool,
    },
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Override a rule's severity: RULE=error|warning|info (repeatable).
    #[arg(long = "severity", value_name = "RULE=LEVEL")]
    severity: Vec<String>,
    /// Switch a rule off by code (repeatable).
    #[arg(long = "disable", value_name = "RULE")]
    disable: Vec<String>,
    /// Key ring (JSON) for signatures: each FILE's `FILE.edisig` sidecar is
    /// verified (a missing one is `signature_missing`), and EDIFACT HMAC
    /// security results are verified with it.
    #[arg(long, value_name = "KEYRING")]
    keyring: Option<PathBuf>,
    /// Control-number ledger (SQLite file, created when absent): verified
    /// files are recorded, and a reused control number is reported as a
    /// duplicate or a conflict. Needs --keyring.
    #[arg(long, value_name = "PATH", requires = "keyring")]
    ledger: Option<PathBuf>,
    /// The verifier's clock for signatures, Unix seconds (default: now).
    #[arg(long, value_name = "UNIX")]
    now: Option<i64>,
    /// Signature freshness window in seconds.
    #[arg(long, default_value_t = 300, value_name = "S")]
    window: u64,
    /// Check up to N files at once (default: one per core). Output is the
    /// same, in the order of the arguments, whatever N is; signatures and
    /// the ledger are checked one file at a time in that order.
    #[arg(short = 'j', long, value_name = "N")]
    jobs: Option<NonZeroUsize>,
    /// Read files into memory instead of memory-mapping them (for files
    /// another process may truncate or rewrite while they are checked).
    #[arg(long)]
    no_mmap: bool,
    /// Files to check.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct SignArgs {
    /// The key id (`kid`) the receiver knows the key by.
    #[arg(long, value_name = "ID")]
    key_id: String,
    /// File holding the secret: hex text, or raw bytes (32 or more).
    #[arg(long, value_name = "FILE")]
    key_file: PathBuf,
    /// Payload type: x12, edifact, eld or bin (default: detected, else bin).
    #[arg(long, value_name = "T")]
    typ: Option<String>,
    /// Canonicalisation: raw (default) or eol1.
    #[arg(long, default_value = "raw", value_name = "raw|eol1")]
    canon: String,
    /// Agreed id for eld and bin payloads (default `-`).
    #[arg(long, value_name = "ID")]
    ctl: Option<String>,
    /// Timestamp, Unix seconds (default: now).
    #[arg(long, value_name = "UNIX")]
    ts: Option<u64>,
    /// Write the line to this file instead of printing it.
    #[arg(long, value_name = "FILE.edisig", conflicts_with = "write")]
    out: Option<PathBuf>,
    /// Write the line to FILE.edisig beside the payload.
    #[arg(long)]
    write: bool,
    /// The payload.
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

#[derive(clap::Args)]
struct VerifyArgs {
    /// JSON key ring (see the library's `KeyRing` documentation).
    #[arg(long, value_name = "K")]
    keyring: PathBuf,
    /// The signature line (default: the lines of FILE.edisig).
    #[arg(long, value_name = "LINE")]
    signature: Option<String>,
    /// The verifier's clock, Unix seconds (default: now).
    #[arg(long, value_name = "UNIX")]
    now: Option<i64>,
    /// Freshness window in seconds.
    #[arg(long, default_value_t = ediguard::integrity::edisig::DEFAULT_WINDOW, value_name = "S")]
    window: u64,
    /// Allowed clock skew in seconds.
    #[arg(long, default_value_t = ediguard::integrity::edisig::DEFAULT_SKEW, value_name = "S")]
    skew: u64,
    /// One of our receiver ids (repeatable); when given, the envelope
    /// receiver must be one of them.
    #[arg(long = "our-id", value_name = "ID")]
    our_ids: Vec<String>,
    /// The agreed id an eld or bin signature must carry.
    #[arg(long, value_name = "ID")]
    ctl: Option<String>,
    /// The payload.
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

#[derive(Subcommand)]
enum AutackAction {
    /// Write an AUTACK that secures every interchange in the files (scope 3:
    /// each UNB to its UNZ, UNA excluded) with SHA-256, or HMAC-SHA256 with
    /// --key-id and --key-file.
    ///
    /// Prints the AUTACK interchange (syntax version 4; its UNB sender and
    /// recipient are those of the first interchange), or writes it with
    /// --out. Exit status: 0 written, 2 for usage errors or input that
    /// cannot be secured.
    Generate(AutackGenerateArgs),
    /// Verify an AUTACK against the interchanges it references, exactly as
    /// they were received.
    ///
    /// Findings are printed as `check` prints them, located in the AUTACK.
    /// Exit status: 0 when no finding is an error, 1 when one is, 2 for
    /// usage errors or unreadable input.
    Verify(AutackVerifyArgs),
}

#[derive(clap::Args)]
struct AutackGenerateArgs {
    /// The AUTACK interchange's control reference (UNB 0020, 1 to 14
    /// characters).
    #[arg(long, value_name = "REF")]
    reference: String,
    /// UNB date, CCYYMMDD (default: today, UTC).
    #[arg(long, value_name = "CCYYMMDD", requires = "time")]
    date: Option<String>,
    /// UNB time, HHMM (default: now, UTC).
    #[arg(long, value_name = "HHMM", requires = "date")]
    time: Option<String>,
    /// Key id for HMAC-SHA256, written in USH and USA for the receiver's
    /// key ring.
    #[arg(long, value_name = "ID", requires = "key_file")]
    key_id: Option<String>,
    /// File holding the secret (as for `sign`): hex text, or raw bytes (32
    /// or more).
    #[arg(long, value_name = "FILE", requires = "key_id")]
    key_file: Option<PathBuf>,
    /// How the values are written: hex or base64.
    #[arg(long, default_value = "hex", value_name = "hex|base64", value_parser = filter_arg)]
    filter: Filter,
    /// Write the AUTACK to this file instead of printing it.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Files of EDIFACT interchanges to secure.
    #[arg(required = true, value_name = "INTERCHANGE")]
    files: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct AutackVerifyArgs {
    /// JSON key ring for HMAC AUTACKs (without one they are reported
    /// `autack_unverified`).
    #[arg(long, value_name = "K")]
    keyring: Option<PathBuf>,
    /// Print one JSON object instead of text (as `check --json`).
    #[arg(long)]
    json: bool,
    /// The AUTACK.
    #[arg(value_name = "AUTACK")]
    autack: PathBuf,
    /// Files of the interchanges it references.
    #[arg(required = true, value_name = "INTERCHANGE")]
    files: Vec<PathBuf>,
}

fn filter_arg(name: &str) -> Result<Filter, String> {
    Filter::parse(name).ok_or_else(|| format!("unknown filter {name:?} (hex, base64)"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => run_check(&args),
        Command::Sign(args) => match run_sign(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(reason) => {
                eprintln!("ediguard: {reason}");
                ExitCode::from(2)
            }
        },
        Command::Verify(args) => run_verify(&args),
        Command::Autack {
            action: AutackAction::Generate(args),
        } => match run_autack_generate(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(reason) => {
                eprintln!("ediguard: {reason}");
                ExitCode::from(2)
            }
        },
        Command::Autack {
            action: AutackAction::Verify(args),
        } => run_autack_verify(&args),
        Command::Rules { markdown } => {
            let mut out = io::stdout().lock();
            if markdown {
                let _ = writeln!(
                    out,
                    "| rule | default severity | what it checks |\n|---|---|---|"
                );
            }
            for rule in ediguard::rules::ALL {
                let _ = if markdown {
                    writeln!(
                        out,
                        "| `{}` | {} | {} |",
                        rule.code, rule.severity, rule.summary
                    )
                } else {
                    writeln!(
                        out,
                        "{:<34} {:<8} {}",
                        rule.code, rule.severity, rule.summary
                    )
                };
            }
            ExitCode::SUCCESS
        }
    }
}

fn options(args: &CheckArgs) -> Result<Options, String> {
    let mut options = Options::default();
    for spec in &args.severity {
        let (rule, level) = spec
            .split_once('=')
            .ok_or_else(|| format!("--severity expects RULE=LEVEL, got {spec:?}"))?;
        let level = Severity::parse(level)
            .ok_or_else(|| format!("unknown severity {level:?} (error, warning, info)"))?;
        known_rule(rule)?;
        options = options.with_severity(rule, level);
    }
    for rule in &args.disable {
        known_rule(rule)?;
        options = options.without_rule(rule);
    }
    Ok(options)
}

fn known_rule(code: &str) -> Result<(), String> {
    match ediguard::rules::lookup(code) {
        Some(_) => Ok(()),
        None => Err(format!("unknown rule {code:?} (see `ediguard rules`)")),
    }
}

#[derive(Serialize)]
struct FileResult<'a> {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interchanges: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    segments: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    findings: Option<&'a [ediguard::Finding]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dropped: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorJson>,
}

#[derive(Serialize)]
struct ErrorJson {
    kind: &'static str,
    message: String,
    offset: usize,
}

fn run_check(args: &CheckArgs) -> ExitCode {
    use ediguard::integrity::edisig::{self, KeyRing, MemoryReplayCache, VerifyOptions};
    use ediguard::integrity::ledger::{Ledger, SqliteLedger};
    let mut options = match options(args) {
        Ok(o) => o,
        Err(reason) => {
            eprintln!("ediguard: {reason}");
            return ExitCode::from(2);
        }
    };
    let ring = match &args.keyring {
        Some(path) => match KeyRing::load(path) {
            Ok(r) => Some(std::sync::Arc::new(r)),
            Err(e) => {
                eprintln!("ediguard: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    if let Some(ring) = &ring {
        options = options.with_keyring(ring.clone());
    }
    let ledger = match &args.ledger {
        Some(path) => match SqliteLedger::open(path) {
            Ok(l) => Some(l),
            Err(e) => {
                eprintln!("ediguard: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let now = args
        .now
        .unwrap_or_else(|| i64::try_from(unix_now()).unwrap_or(i64::MAX));
    let verify_options = VerifyOptions::at(now).with_window(args.window);
    let cache = MemoryReplayCache::new(1 << 16);
    let mut any_error = false;
    let mut unreadable = false;
    let mut results: Vec<(String, Result<Report, Failure>)> = Vec::with_capacity(args.files.len());
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN));
    let load = input::Load {
        map: !args.no_mmap,
        progress: args.files.len() == 1,
    };
    // Many files spread over the jobs, each checked on one thread; one
    // large X12, EDIFACT or ELD file is checked in parts on the jobs.
    let options = ediguard::batch::per_input(&options.with_threads(jobs), args.files.len());
    // Files are opened and checked on `jobs` threads; what depends on the
    // order of files (the replay cache, the ledger) and the output happen
    // here, on this thread, one file at a time in argument order.
    // Output is buffered (stdout alone writes each line): one summary
    // line per 8 KiB file was one write call per file.
    let mut out = io::BufWriter::with_capacity(64 << 10, io::stdout().lock());
    ediguard::batch::map_in_order(
        args.files.len(),
        jobs,
        |i| {
            let bytes = open_input(&args.files[i], &options, load)?;
            let report = ediguard::check(&bytes, &options).map_err(Failure::Check)?;
            // The bytes are kept only for the signature check.
            Ok((ring.is_some().then_some(bytes), report))
        },
        |i, outcome: Result<(Option<input::Input>, Report), Failure>| {
            let path = &args.files[i];
            let shown = path.display().to_string();
            let outcome = outcome.map(|(bytes, mut report)| {
                if let (Some(ring), Some(bytes)) = (&ring, &bytes) {
                    let lines = std::fs::read_to_string(sidecar(path)).ok();
                    edisig::check_signature(
                        bytes,
                        lines.as_deref(),
                        ring,
                        &cache,
                        &verify_options,
                        ledger.as_ref().map(|l| l as &dyn Ledger),
                        &options,
                        &mut report,
                    );
                    report.resolve_lines(bytes);
                }
                report
            });
            match &outcome {
                Ok(report) => any_error |= !report.is_ok(),
                Err(failure) => {
                    unreadable = true;
                    // What was printed before this file comes first.
                    let _ = out.flush();
                    eprintln!("ediguard: {shown}: {failure}");
                }
            }
            if !args.json {
                if let Ok(report) = &outcome {
                    print_text(&mut out, &shown, report);
                }
            }
            results.push((shown, outcome));
        },
    );
    if args.json {
        print_json(&mut out, &results);
    }
    let _ = out.flush();
    if unreadable {
        ExitCode::from(2)
    } else if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

enum Failure {
    Io(io::Error),
    Check(Error),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Io(e) => write!(f, "cannot read: {e}"),
            Failure::Check(e) => write!(f, "{e}"),
        }
    }
}

/// Opens a file to check (see `input.rs`: mapped, or read), refusing one
/// over the input length limit.
fn open_input(path: &Path, options: &Options, load: input::Load) -> Result<input::Input, Failure> {
    let max = options.limits.max_input_len;
    input::open(path, max, load).map_err(|e| match e {
        input::OpenError::Io(e) => Failure::Io(e),
        input::OpenError::TooLong => {
            Failure::Check(Error::limit(ediguard::Location::at(0), "input length", max))
        }
    })
}

/// How `sign` and `verify` open their one payload.
const ONE_FILE: input::Load = input::Load {
    map: true,
    progress: true,
};

fn print_text(out: &mut impl Write, path: &str, report: &Report) {
    for f in report.findings() {
        let loc = &f.location;
        let _ = writeln!(
            out,
            "{path}:{}:{}: {}[{}]: {}",
            loc.line.unwrap_or(1),
            loc.column.unwrap_or(1),
            f.severity,
            f.rule,
            f.message
        );
    }
    let format = report.format.map_or("unknown", |f| f.as_str());
    let dropped = if report.dropped > 0 {
        format!(" ({} more not shown)", report.dropped)
    } else {
        String::new()
    };
    let (units, parts) = if report.format == Some(ediguard::Format::Eld) {
        ("file(s)", "line(s)")
    } else {
        ("interchange(s)", "segment(s)")
    };
    let _ = writeln!(
        out,
        "{path}: {format}, {} {units}, {} {parts}: {} error(s), {} warning(s), {} info{dropped}",
        report.counts.interchanges,
        report.counts.segments,
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
    );
}

fn print_json(out: &mut impl Write, results: &[(String, Result<Report, Failure>)]) {
    let files: Vec<FileResult<'_>> = results
        .iter()
        .map(|(path, outcome)| match outcome {
            Ok(report) => FileResult {
                path: path.clone(),
                format: report.format.map(|f| f.as_str()),
                interchanges: Some(report.counts.interchanges),
                segments: Some(report.counts.segments),
                findings: Some(report.findings()),
                dropped: (report.dropped > 0).then_some(report.dropped),
                error: None,
            },
            Err(failure) => FileResult {
                path: path.clone(),
                format: None,
                interchanges: None,
                segments: None,
                findings: None,
                dropped: None,
                error: Some(match failure {
                    Failure::Io(e) => ErrorJson {
                        kind: "io",
                        message: e.to_string(),
                        offset: 0,
                    },
                    Failure::Check(e) => ErrorJson {
                        kind: e.kind().as_str(),
                        message: e.message().to_owned(),
                        offset: e.location().offset,
                    },
                }),
            },
        })
        .collect();
    let _ = serde_json::to_writer(&mut *out, &serde_json::json!({ "files": files }));
    let _ = writeln!(out);
}

/// Standard output, buffered (flushed when dropped).
fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::new(io::stdout().lock())
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn sidecar(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".edisig");
    PathBuf::from(name)
}

fn run_sign(args: &SignArgs) -> Result<(), String> {
    use ediguard::integrity::edisig::{self, Canon, Nonce, PayloadType, SignParams};
    let canon = Canon::parse(&args.canon)
        .ok_or_else(|| format!("unknown canon {:?} (raw, eol1)", args.canon))?;
    let key = read_key_file(&args.key_file)?.allow_canon(canon);
    let payload = open_input(&args.file, &Options::default(), ONE_FILE)
        .map_err(|e| format!("{}: {e}", args.file.display()))?;
    let typ = match &args.typ {
        Some(t) => PayloadType::parse(t)
            .ok_or_else(|| format!("unknown typ {t:?} (x12, edifact, eld, bin)"))?,
        None => match ediguard::detect(&payload) {
            Ok(ediguard::Format::X12) => PayloadType::X12,
            Ok(ediguard::Format::Edifact) => PayloadType::Edifact,
            Ok(ediguard::Format::Eld) => PayloadType::Eld,
            _ => PayloadType::Bin,
        },
    };
    let nonce = Nonce::random().map_err(|e| format!("no random source for the nonce: {e}"))?;
    let mut params =
        SignParams::new(typ, args.ts.unwrap_or_else(unix_now), nonce).with_canon(canon);
    if let Some(ctl) = &args.ctl {
        params = params.with_ctl(ctl);
    }
    let line = edisig::sign(&args.key_id, &key, &params, &payload)
        .map_err(|e| format!("{}: cannot sign: {}: {e}", args.file.display(), e.code()))?
        .to_string();
    let target = match (&args.out, args.write) {
        (Some(out), _) => Some(out.clone()),
        (None, true) => Some(sidecar(&args.file)),
        (None, false) => None,
    };
    match target {
        Some(path) => std::fs::write(&path, format!("{line}\n"))
            .map_err(|e| format!("{}: cannot write: {e}", path.display())),
        None => {
            let _ = writeln!(io::stdout().lock(), "{line}");
            Ok(())
        }
    }
}

/// Reads a key file: hex text (64 or more digits), or else 32 or more raw
/// bytes.
fn read_key_file(path: &Path) -> Result<Key, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    Key::from_key_file(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Loads a JSON key ring.
fn load_keyring(path: &Path) -> Result<KeyRing, String> {
    KeyRing::load(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn run_verify(args: &VerifyArgs) -> ExitCode {
    use ediguard::integrity::edisig::{self, MemoryReplayCache, VerifyOptions};
    let usage = |reason: String| {
        eprintln!("ediguard: {reason}");
        ExitCode::from(2)
    };
    let ring = match load_keyring(&args.keyring) {
        Ok(r) => r,
        Err(reason) => return usage(reason),
    };
    let payload = match open_input(&args.file, &Options::default(), ONE_FILE) {
        Ok(p) => p,
        Err(e) => return usage(format!("{}: {e}", args.file.display())),
    };
    let lines = match &args.signature {
        Some(line) => line.clone(),
        None => {
            let path = sidecar(&args.file);
            match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(e) => return usage(format!("{}: cannot read: {e}", path.display())),
            }
        }
    };
    let now = args
        .now
        .unwrap_or_else(|| i64::try_from(unix_now()).unwrap_or(i64::MAX));
    let mut options = VerifyOptions::at(now)
        .with_window(args.window)
        .with_skew(args.skew)
        .with_our_ids(args.our_ids.iter().cloned());
    if let Some(ctl) = &args.ctl {
        options = options.with_agreed_ctl(ctl.clone());
    }
    // One invocation sees one payload, so this cache only catches a line
    // repeated within the sidecar; services keep a shared cache.
    let cache = MemoryReplayCache::new(1024);
    let shown = args.file.display();
    let outcome = match &args.signature {
        Some(line) => edisig::verify(line, &payload, &ring, &cache, &options),
        None => edisig::verify_lines(&lines, &payload, &ring, &cache, &options),
    };
    let mut out = io::stdout().lock();
    match outcome {
        Ok(v) => {
            let digest: String = v.sha256().iter().map(|b| format!("{b:02x}")).collect();
            let _ = writeln!(
                out,
                "{shown}: verified: kid={} partner={} ts={} ctl={} sha256={digest}",
                v.signature().kid(),
                v.partner(),
                v.signature().ts(),
                v.signature().ctl(),
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(out, "{shown}: error[{}]: {e}", e.code());
            ExitCode::from(1)
        }
    }
}

/// Opens every file (mapped or read), or gives the index of one that
/// cannot be opened.
fn read_all(paths: &[PathBuf], options: &Options) -> Result<Vec<input::Input>, (usize, Failure)> {
    paths
        .iter()
        .enumerate()
        .map(|(i, p)| open_input(p, options, ONE_FILE).map_err(|f| (i, f)))
        .collect()
}

/// The path an AUTACK error is in: the referenced file it names, else
/// `otherwise`.
fn error_path<'p>(e: &Error, files: &'p [PathBuf], otherwise: &'p Path) -> &'p Path {
    e.input()
        .and_then(|i| files.get(i))
        .map_or(otherwise, PathBuf::as_path)
}

fn run_autack_generate(args: &AutackGenerateArgs) -> Result<(), String> {
    use ediguard::integrity::autack::{self, AutackParams};
    let key = args.key_file.as_deref().map(read_key_file).transpose()?;
    let (date, time) = match (&args.date, &args.time) {
        (Some(d), Some(t)) => (d.clone(), t.clone()),
        _ => {
            let secs = i64::try_from(unix_now()).unwrap_or(i64::MAX);
            let now = chrono::DateTime::from_timestamp(secs, 0).unwrap_or_default();
            (
                now.format("%Y%m%d").to_string(),
                now.format("%H%M").to_string(),
            )
        }
    };
    let inputs = read_all(&args.files, &Options::default())
        .map_err(|(i, failure)| format!("{}: {failure}", args.files[i].display()))?;
    let params = match (&args.key_id, &key) {
        (Some(kid), Some(key)) => AutackParams::hmac_sha256(&args.reference, date, time, kid, key),
        _ => AutackParams::sha256(&args.reference, date, time),
    }
    .with_filter(args.filter);
    let slices: Vec<&[u8]> = inputs.iter().map(|i| &i[..]).collect();
    let autack = autack::generate(&slices, &params).map_err(|e| match e.input() {
        Some(_) => format!(
            "{}: cannot secure: {}: {} (at byte {})",
            error_path(&e, &args.files, Path::new("")).display(),
            e.kind(),
            e.message(),
            e.location().offset
        ),
        None => format!("cannot generate the AUTACK: {}", e.message()),
    })?;
    match &args.out {
        Some(path) => std::fs::write(path, &autack)
            .map_err(|e| format!("{}: cannot write: {e}", path.display())),
        None => io::stdout()
            .lock()
            .write_all(&autack)
            .map_err(|e| format!("cannot write to stdout: {e}")),
    }
}

fn run_autack_verify(args: &AutackVerifyArgs) -> ExitCode {
    let options = Options::default();
    let unreadable = |path: &Path, failure: Failure| {
        let shown = path.display().to_string();
        eprintln!("ediguard: {shown}: {failure}");
        if args.json {
            print_json(&mut stdout(), &[(shown, Err(failure))]);
        }
        ExitCode::from(2)
    };
    let ring = match args.keyring.as_deref().map(load_keyring).transpose() {
        Ok(r) => r,
        Err(reason) => {
            eprintln!("ediguard: {reason}");
            return ExitCode::from(2);
        }
    };
    let autack = match open_input(&args.autack, &options, ONE_FILE) {
        Ok(b) => b,
        Err(failure) => return unreadable(&args.autack, failure),
    };
    let inputs = match read_all(&args.files, &options) {
        Ok(i) => i,
        Err((i, failure)) => return unreadable(&args.files[i], failure),
    };
    let slices: Vec<&[u8]> = inputs.iter().map(|i| &i[..]).collect();
    let report =
        match ediguard::integrity::autack::verify(&autack, &slices, ring.as_ref(), &options) {
            Ok(r) => r,
            Err(e) => {
                let path = error_path(&e, &args.files, &args.autack);
                return unreadable(path, Failure::Check(e));
            }
        };
    let shown = args.autack.display().to_string();
    let ok = report.is_ok();
    if args.json {
        print_json(&mut stdout(), &[(shown, Ok(report))]);
    } else {
        print_text(&mut stdout(), &shown, &report);
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
