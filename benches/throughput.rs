//! Throughput of ediguard on generated inputs (MB/s via divan's byte
//! counters). Run with `cargo bench --features generate`.

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use ediguard::{Options, generate};

fn main() {
    divan::main();
}

const SIZE: usize = 16 << 20;

/// Parse + envelope check (all X12 rules) over a 16 MiB input of many
/// interchanges.
#[divan::bench(sample_count = 20)]
fn x12_check(bencher: Bencher) {
    let input = generate::x12(1, SIZE);
    let options = Options::default();
    bencher
        .counter(BytesCount::of_slice(&input))
        .bench(|| ediguard::check(black_box(&input), &options));
}

/// The floor: one memchr pass counting segment terminators.
#[divan::bench(sample_count = 20)]
fn x12_memchr_floor(bencher: Bencher) {
    let input = generate::x12(1, SIZE);
    bencher
        .counter(BytesCount::of_slice(&input))
        .bench(|| memchr::memchr_iter(b'~', black_box(&input)).count());
}

/// Parse + every ELD rule over many eight-day ELD files (about 64 MiB in
/// all, one driver and truck per file), as a carrier checks a day's
/// inbound files.
#[divan::bench(sample_count = 10)]
fn eld_check(bencher: Bencher) {
    let files = generate::eld_files(1, 64 << 20);
    let total: usize = files.iter().map(Vec::len).sum();
    let options = Options::default();
    bencher.counter(BytesCount::new(total)).bench(|| {
        for f in &files {
            let _ = black_box(ediguard::check(black_box(f), &options));
        }
    });
}

/// Parse + envelope check (all EDIFACT rules) over a 16 MiB input of many
/// interchanges, with release characters in the data.
#[divan::bench(sample_count = 20)]
fn edifact_check(bencher: Bencher) {
    let input = generate::edifact(1, SIZE);
    let options = Options::default();
    bencher
        .counter(BytesCount::of_slice(&input))
        .bench(|| ediguard::check(black_box(&input), &options));
}

/// The floor: one memchr pass counting segment terminators.
#[divan::bench(sample_count = 20)]
fn edifact_memchr_floor(bencher: Bencher) {
    let input = generate::edifact(1, SIZE);
    bencher
        .counter(BytesCount::of_slice(&input))
        .bench(|| memchr::memchr_iter(b'\'', black_box(&input)).count());
}
