//! Pathological inputs: each either parses within the limits or returns a
//! `Limit` error with a location; none panics, hangs or grows memory without
//! bound. Peak memory is read from /proc (Linux) after each case.

use std::time::Instant;

use ediguard::{ErrorKind, Limits, Options, check};

const ISA: &str = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~";

/// Peak resident set size of this process in bytes, where /proc has it.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Runs `check` on `input`, asserting it ends in bounded time and memory.
fn bounded(name: &str, input: &[u8], options: &Options) -> ediguard::Result<ediguard::Report> {
    let start = Instant::now();
    let result = check(input, options);
    let elapsed = start.elapsed();
    // Generous: a debug build on a loaded 2-core machine. A hang or a
    // quadratic loop blows far past this.
    assert!(elapsed.as_secs() < 60, "{name}: took {elapsed:?}");
    if let Some(peak) = peak_rss() {
        // The high-water mark remembers earlier, larger cases too.
        let largest = LARGEST
            .fetch_max(input.len(), std::sync::atomic::Ordering::Relaxed)
            .max(input.len());
        let bound = 4 * largest as u64 + (512 << 20);
        assert!(peak < bound, "{name}: peak RSS {peak} over {bound}");
    }
    result
}

// One test runs every case in turn: peak RSS is a process-wide high-water
// mark, so cases running in parallel threads would be measured together.
#[test]
fn pathological_inputs_are_bounded() {
    pathological_x12_inputs();
    pathological_edifact_inputs();
}

static LARGEST: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn pathological_x12_inputs() {
    let options = Options::default();

    // A 100 MB single segment: over max_segment_len (16 MiB) -> Limit error
    // located at the segment.
    let mut input = ISA.as_bytes().to_vec();
    let seg_start = input.len();
    input.extend_from_slice(b"GS*");
    input.resize(seg_start + 100_000_000, b'A');
    input.extend_from_slice(b"~IEA*1*000000001~");
    let err = bounded("100 MB segment", &input, &options).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);
    assert_eq!(err.location().offset, seg_start);
    drop(input);

    // Ten million one-byte segments inside one transaction set: parses.
    let mut input = ISA.as_bytes().to_vec();
    input.extend_from_slice(b"GS*QM*S*R*20240101*1200*1*X*004010~ST*214*0001~");
    for _ in 0..10_000_000 {
        input.extend_from_slice(b"X~");
    }
    input.extend_from_slice(b"SE*10000002*0001~GE*1*1~IEA*1*000000001~");
    let report = bounded("10M one-byte segments", &input, &options).unwrap();
    assert!(report.counts.segments >= 10_000_000);
    assert!(
        report.is_ok(),
        "{:?}",
        &report.findings()[..report.findings().len().min(3)]
    );
    drop(input);

    // The same input under a lower segment limit: a Limit error.
    let mut limits = Limits::default();
    limits.max_segments = 1_000;
    let mut input = ISA.as_bytes().to_vec();
    for _ in 0..5_000 {
        input.extend_from_slice(b"X~");
    }
    let err = bounded(
        "segment limit",
        &input,
        &Options::default().with_limits(limits),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);

    // An element separator storm: 10 MB of '*' in one data segment.
    let mut input = ISA.as_bytes().to_vec();
    input.extend_from_slice(b"GS*QM*S*R*20240101*1200*1*X*004010~ST*214*0001~N1");
    input.resize(input.len() + 10_000_000, b'*');
    input.extend_from_slice(b"~SE*3*0001~GE*1*1~IEA*1*000000001~");
    let report = bounded("separator storm", &input, &options).unwrap();
    assert!(report.is_ok(), "{:?}", report.findings());
    drop(input);

    // 10,000 interchanges of one segment each (ISA with no IEA): every one
    // reported, none hides the next.
    let input = ISA.repeat(10_000);
    let report = bounded("10k interchanges", input.as_bytes(), &options).unwrap();
    assert_eq!(report.counts.interchanges, 10_000);
    assert!(
        report
            .findings()
            .iter()
            .filter(|f| f.rule == "missing_trailer")
            .count()
            >= 10_000
    );

    // Deeply repeated composites: one element of a million components and
    // repetitions.
    let mut input = ISA.replace("*U*00401*", "*^*00501*").into_bytes();
    input.extend_from_slice(b"GS*QM*S*R*20240101*1200*1*X*005010~ST*214*0001~HI*");
    for _ in 0..1_000_000 {
        input.extend_from_slice(b"A>B^");
    }
    input.extend_from_slice(b"~SE*3*0001~GE*1*1~IEA*1*000000001~");
    let report = bounded("repeated composites", &input, &options).unwrap();
    assert!(report.is_ok(), "{:?}", report.findings());
}

const UNB: &str = "UNA:+.? 'UNB+UNOA:4+SENDER:ZZZ+RECEIVER:ZZZ+20240101:1200+1'";

fn pathological_edifact_inputs() {
    let options = Options::default();

    // A 100 MB single segment -> Limit error located at the segment.
    let mut input = UNB.as_bytes().to_vec();
    let seg_start = input.len();
    input.extend_from_slice(b"UNH+1+IFTSTA:D:01B:UN'FTX+");
    let ftx_start = seg_start + "UNH+1+IFTSTA:D:01B:UN'".len();
    input.resize(seg_start + 100_000_000, b'A');
    input.extend_from_slice(b"'UNT+3+1'UNZ+1+1'");
    let err = bounded("100 MB segment", &input, &options).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);
    assert_eq!(err.location().offset, ftx_start);
    drop(input);

    // Ten million one-byte segments in one message: parses clean.
    let mut input = UNB.as_bytes().to_vec();
    input.extend_from_slice(b"UNH+1+IFTSTA:D:01B:UN'");
    for _ in 0..10_000_000 {
        input.extend_from_slice(b"X'");
    }
    input.extend_from_slice(b"UNT+10000002+1'UNZ+1+1'");
    let report = bounded("10M one-byte segments", &input, &options).unwrap();
    assert!(report.counts.segments >= 10_000_000);
    assert!(
        report.is_ok(),
        "{:?}",
        &report.findings()[..report.findings().len().min(3)]
    );
    drop(input);

    // A separator storm with release characters: 10 MB of "+?+" pairs.
    let mut input = UNB.as_bytes().to_vec();
    input.extend_from_slice(b"UNH+1+IFTSTA:D:01B:UN'FTX");
    for _ in 0..2_500_000 {
        input.extend_from_slice(b"+?+:");
    }
    input.extend_from_slice(b"'UNT+3+1'UNZ+1+1'");
    let report = bounded("separator storm", &input, &options).unwrap();
    assert!(report.is_ok(), "{:?}", report.findings());
    drop(input);

    // 10,000 interchanges of one segment each (UNB without UNZ).
    let input = "UNB+UNOA:3+S:ZZZ+R:ZZZ+240101:1200+1'".repeat(10_000);
    let report = bounded("10k interchanges", input.as_bytes(), &options).unwrap();
    assert_eq!(report.counts.interchanges, 10_000);
    assert!(
        report
            .findings()
            .iter()
            .filter(|f| f.rule == "missing_trailer")
            .count()
            >= 10_000
    );

    // Deeply repeated composites (syntax 4 repetition separator `*`).
    let mut input = UNB.as_bytes().to_vec();
    input.extend_from_slice(b"UNH+1+IFTSTA:D:01B:UN'LOC+");
    for _ in 0..1_000_000 {
        input.extend_from_slice(b"A:B*");
    }
    input.extend_from_slice(b"'UNT+3+1'UNZ+1+1'");
    let report = bounded("repeated composites", &input, &options).unwrap();
    assert!(report.is_ok(), "{:?}", report.findings());
}
