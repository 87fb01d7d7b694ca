//! Throughput of ediguard on generated inputs (MB/s via divan's byte
//! counters) and allocations per run (divan's allocation profiler: the
//! `alloc`/`dealloc` rows). Run with `cargo bench --features generate`.
//!
//! Three levels for each format: tokenize only (parse and walk every
//! segment and element, no rules), parse + envelope check (`check`), and
//! for ELD the full check (every ELD rule), over many 8 KB files and over
//! one long file. The `*_tokenize` rows show the
//! allocation count of a whole walk: a handful per interchange (its
//! segment index), none per segment or element.

use divan::counter::BytesCount;
use divan::{AllocProfiler, Bencher, black_box};
use ediguard::{Limits, Options, edifact, generate, x12};

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

/// Tokenize only: every X12 interchange parsed and every element of every
/// segment visited (element count returned), no rules.
#[divan::bench(sample_count = 20)]
fn x12_tokenize(bencher: Bencher) {
    let input = generate::x12(1, SIZE);
    let limits = Limits::default();
    bencher.counter(BytesCount::of_slice(&input)).bench(|| {
        let mut elements = 0usize;
        for ic in x12::Parser::new(black_box(&input))
            .with_limits(limits.clone())
            .interchanges()
        {
            let Ok(ic) = ic else { break };
            for seg in ic.segments() {
                elements += seg.elements().count();
            }
        }
        elements
    });
}

/// Tokenize only: every EDIFACT segment and element visited, no rules.
#[divan::bench(sample_count = 20)]
fn edifact_tokenize(bencher: Bencher) {
    let input = generate::edifact(1, SIZE);
    bencher.counter(BytesCount::of_slice(&input)).bench(|| {
        let mut interchanges = edifact::Parser::new(black_box(&input)).interchanges();
        let mut elements = 0;
        while let Some(Ok(ic)) = interchanges.next() {
            elements += ic
                .segments()
                .map(|seg| seg.elements().count())
                .sum::<usize>();
            interchanges.recycle(ic);
        }
        elements
    });
}

const SIZE: usize = 16 << 20;

/// Parse + envelope check (all X12 rules) over a 16 MiB input of many
/// interchanges, on every core (the input is checked in parts).
#[divan::bench(sample_count = 20)]
fn x12_check(bencher: Bencher) {
    let input = generate::x12(1, SIZE);
    let options = Options::default();
    bencher
        .counter(BytesCount::of_slice(&input))
        .bench(|| ediguard::check(black_box(&input), &options));
}

/// `x12_check` on one core (`Options::with_threads(1)`): the figure the
/// foundation issue's one-core target is about. `x12_check` itself splits
/// the input over every core.
#[divan::bench(sample_count = 20)]
fn x12_check_one_core(bencher: Bencher) {
    let input = generate::x12(1, SIZE);
    let options = Options::default().with_threads(std::num::NonZeroUsize::MIN);
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

/// Parse + every ELD rule over one long ELD file (32 MiB, one driver over
/// years: `generate::eld_file`), on every core: its Event List is read in
/// blocks and its consistency rules run side by side.
#[divan::bench(sample_count = 10)]
fn eld_check_one_file(bencher: Bencher) {
    let file = generate::eld_file(1, 32 << 20);
    let options = Options::default();
    bencher
        .counter(BytesCount::of_slice(&file))
        .bench(|| ediguard::check(black_box(&file), &options));
}

/// `eld_check_one_file` on one core.
#[divan::bench(sample_count = 10)]
fn eld_check_one_file_one_core(bencher: Bencher) {
    let file = generate::eld_file(1, 32 << 20);
    let options = Options::default().with_threads(std::num::NonZeroUsize::MIN);
    bencher
        .counter(BytesCount::of_slice(&file))
        .bench(|| ediguard::check(black_box(&file), &options));
}

/// Tokenize only: each ELD file parsed into its sections and records
/// (fields borrowed), no rules.
#[divan::bench(sample_count = 10)]
fn eld_parse(bencher: Bencher) {
    let files = generate::eld_files(1, 64 << 20);
    let total: usize = files.iter().map(Vec::len).sum();
    let limits = Limits::default();
    bencher.counter(BytesCount::new(total)).bench(|| {
        for f in &files {
            let _ = black_box(ediguard::eld::EldFile::parse(black_box(f), &limits));
        }
    });
}

/// Parse + envelope check (all EDIFACT rules) over a 16 MiB input of many
/// interchanges, with release characters in the data, on every core (the
/// input is checked in parts).
#[divan::bench(sample_count = 20)]
fn edifact_check(bencher: Bencher) {
    let input = generate::edifact(1, SIZE);
    let options = Options::default();
    bencher
        .counter(BytesCount::of_slice(&input))
        .bench(|| ediguard::check(black_box(&input), &options));
}

/// `edifact_check` on one core (`Options::with_threads(1)`).
#[divan::bench(sample_count = 20)]
fn edifact_check_one_core(bencher: Bencher) {
    let input = generate::edifact(1, SIZE);
    let options = Options::default().with_threads(std::num::NonZeroUsize::MIN);
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
