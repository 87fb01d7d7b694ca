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
