//! Times `ediguard::check` on one file in memory: best of N runs, in MB/s.
//! Used by `scripts/bench-python.sh` to compare the Rust and Python faces
//! on the same input in the same run.
//!
//! `cargo run --release --example time_check -- FILE [RUNS]`

use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: time_check FILE [RUNS]")?;
    let runs: u32 = args.next().map_or(Ok(20), |r| r.parse())?;
    let input = std::fs::read(&path)?;
    let options = ediguard::Options::default();
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        let report = ediguard::check(std::hint::black_box(&input), &options)?;
        best = best.min(start.elapsed());
        std::hint::black_box(report);
    }
    let mbs = input.len() as f64 / best.as_secs_f64() / 1e6;
    println!("rust {:.3} ms {mbs:.0} MB/s", best.as_secs_f64() * 1e3);
    Ok(())
}
