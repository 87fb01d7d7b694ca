//! The `ediguard` command-line tool: a thin shell over the library.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
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
    /// Files to check.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => run_check(&args),
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
    let options = match options(args) {
        Ok(o) => o,
        Err(reason) => {
            eprintln!("ediguard: {reason}");
            return ExitCode::from(2);
        }
    };
    let mut any_error = false;
    let mut unreadable = false;
    let mut results: Vec<(String, Result<Report, Failure>)> = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let shown = path.display().to_string();
        let outcome = read_input(path, &options)
            .and_then(|bytes| ediguard::check(&bytes, &options).map_err(Failure::Check));
        match &outcome {
            Ok(report) => any_error |= !report.is_ok(),
            Err(failure) => {
                unreadable = true;
                eprintln!("ediguard: {shown}: {failure}");
            }
        }
        if !args.json {
            if let Ok(report) = &outcome {
                print_text(&shown, report);
            }
        }
        results.push((shown, outcome));
    }
    if args.json {
        print_json(&results);
    }
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

/// Reads a whole file into one buffer sized from its metadata (peak memory
/// stays near the file size), with a progress line on stderr for large
/// inputs when stderr is a terminal.
fn read_input(path: &Path, options: &Options) -> Result<Vec<u8>, Failure> {
    const CHUNK: usize = 8 << 20;
    const PROGRESS_OVER: u64 = 64 << 20;
    let mut file = File::open(path).map_err(Failure::Io)?;
    let len = file.metadata().map_err(Failure::Io)?.len();
    if len > options.limits.max_input_len as u64 {
        return Err(Failure::Check(Error::limit(
            ediguard::Location::at(0),
            "input length",
            options.limits.max_input_len,
        )));
    }
    let show = len > PROGRESS_OVER && io::stderr().is_terminal();
    let mut buf = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    loop {
        let before = buf.len();
        let n = (&mut file)
            .take(CHUNK as u64)
            .read_to_end(&mut buf)
            .map_err(Failure::Io)?;
        if show {
            let pct = (buf.len() as u64 * 100).checked_div(len).unwrap_or(100);
            eprint!("\r{}: reading {pct:>3}%", path.display());
        }
        if n == 0 || buf.len() == before {
            break;
        }
    }
    if show {
        eprint!("\r{}: checking...   \r", path.display());
        let _ = io::stderr().flush();
    }
    Ok(buf)
}

fn print_text(path: &str, report: &Report) {
    let mut out = io::stdout().lock();
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
    let _ = writeln!(
        out,
        "{path}: {format}, {} interchange(s), {} segment(s): {} error(s), {} warning(s), {} info{dropped}",
        report.counts.interchanges,
        report.counts.segments,
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
    );
}

fn print_json(results: &[(String, Result<Report, Failure>)]) {
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
    let mut out = io::stdout().lock();
    let _ = serde_json::to_writer(&mut out, &serde_json::json!({ "files": files }));
    let _ = writeln!(out);
}
