//! A driver for profiling the ELD checks: runs `ediguard::check` over the
//! generated ELD files of the `eld_check` bench and prints the throughput.
//!
//! `cargo run --release --features generate --example eld_profile -- [MB] [ROUNDS]`
//! (default 5 MB, one round). For a stable figure, count instructions:
//! `valgrind --tool=callgrind --toggle-collect='ediguard::check'
//! target/release/examples/eld_profile 5` and divide the total by the
//! bytes printed.

use ediguard::{Options, generate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mb: usize = args.next().map_or(Ok(5), |a| a.parse())?;
    let rounds: usize = args.next().map_or(Ok(1), |a| a.parse())?;
    let files = generate::eld_files(1, mb << 20);
    let bytes: usize = files.iter().map(Vec::len).sum();
    let options = Options::default();
    let mut findings = 0;
    let start = std::time::Instant::now();
    for _ in 0..rounds {
        for file in &files {
            findings += ediguard::check(file, &options)?.findings().len();
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{} files, {bytes} bytes, {findings} findings, {:.1} MB/s",
        files.len(),
        (bytes * rounds) as f64 / seconds / 1e6
    );
    Ok(())
}
