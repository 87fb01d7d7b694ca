//! Checks every document of the sample shipment (or the files given on the
//! command line) and prints each finding with its location, the way a
//! carrier backend would call the library.
//!
//! Run with `cargo run --example check_shipment [FILE...]`.

use std::path::PathBuf;

use ediguard::{Options, Severity, check};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data");
        for entry in std::fs::read_dir(dir)? {
            paths.push(entry?.path());
        }
        paths.sort();
    }
    // Line breaks between segments are normal in these samples: switch the
    // info rule off, and treat an unknown EDIFACT syntax identifier as an
    // error for this partner.
    let options = Options::default()
        .without_rule("line_breaks")
        .with_severity("header_malformed", Severity::Error);
    let mut failed = 0;
    for path in &paths {
        let input = std::fs::read(path)?;
        match check(&input, &options) {
            Ok(report) => {
                let format = report.format.map_or("?", |f| f.as_str());
                let verdict = if report.is_ok() { "ok" } else { "REJECT" };
                println!("{verdict:6} {} ({format})", path.display());
                for f in report.findings() {
                    let loc = &f.location;
                    println!(
                        "       {}:{} {} [{}] {}",
                        loc.line.unwrap_or(0),
                        loc.column.unwrap_or(0),
                        f.severity,
                        f.rule,
                        f.message
                    );
                }
                failed += usize::from(!report.is_ok());
            }
            Err(e) => {
                println!("UNREAD {}: {e}", path.display());
                failed += 1;
            }
        }
    }
    println!("{} file(s), {failed} rejected", paths.len());
    Ok(())
}
