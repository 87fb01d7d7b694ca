//! Allocation counts: walking parsed segments and elements allocates
//! nothing, and a check allocates per interchange, not per segment.
//!
//! This test binary counts allocations with its own global allocator, per
//! thread, so tests (and the harness) running beside a measurement do not
//! disturb it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use ediguard::{Limits, Options, edifact, x12};

struct Counting;

thread_local! {
    /// Allocations made by this thread so far.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: a thread being torn down may still free and allocate.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is forwarded to the system allocator unchanged; the
// counter is a thread-local cell without a destructor, so it never
// allocates itself.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's contract for `alloc` is passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above, which is `System.alloc`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: `ptr` and `layout` came from this allocator, as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// `f`'s result and the allocations it made on this thread.
fn allocations_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let out = f();
    (out, ALLOCATIONS.with(Cell::get) - before)
}

/// `interchanges` X12 interchanges of one group with one 214 each, whose
/// sets hold `events` status loops of five segments.
fn x12_input(interchanges: usize, events: usize) -> Vec<u8> {
    let mut s = String::new();
    for n in 1..=interchanges {
        s.push_str(&format!(
            "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*{n:09}*0*P*>~\n\
             GS*QM*SENDER*RECEIVER*20240101*1200*{n}*X*004010~\nST*214*0001~\nB10*PRO{n}*SHIP{n}*SCAC~\n"
        ));
        for e in 1..=events {
            s.push_str(&format!(
                "LX*{e}~\nAT7*X3*NS***20240101*1200*ET~\nMS1*TOLEDO*OH*US~\nMS2*SCAC*TR1*TL~\nL11*T1042*TL~\n"
            ));
        }
        s.push_str(&format!(
            "SE*{}*0001~\nGE*1*{n}~\nIEA*1*{n:09}~\n",
            3 + 5 * events
        ));
    }
    s.into_bytes()
}

#[test]
fn walking_x12_segments_and_elements_allocates_nothing() {
    let input = x12_input(20, 50);
    let parsed = x12::parse(&input, &Limits::default()).unwrap();
    let (elements, allocations) = allocations_during(|| {
        let mut n = 0usize;
        for ic in &parsed {
            for group in ic.groups() {
                for set in group.transaction_sets() {
                    for seg in set.segments() {
                        for element in seg.elements() {
                            n += element.components().count();
                        }
                    }
                }
            }
        }
        n
    });
    assert!(elements > 20 * 50 * 5 * 3, "{elements}");
    assert_eq!(allocations, 0);
}

#[test]
fn walking_edifact_segments_and_elements_allocates_nothing() {
    let mut input = b"UNA:+.? 'UNB+UNOC:3+SENDER+RECEIVER+240101:1200+1'".to_vec();
    for m in 1..=200 {
        input.extend_from_slice(
            format!("UNH+{m}+IFTSTA:D:01B:UN'BGM+23+ST{m}+9'FTX+AAI+++PALLETS?: 22?'S'UNT+4+{m}'")
                .as_bytes(),
        );
    }
    input.extend_from_slice(b"UNZ+200+1'");
    let parsed = edifact::parse(&input, &Limits::default()).unwrap();
    let (components, allocations) = allocations_during(|| {
        let mut n = 0usize;
        for ic in parsed.interchanges() {
            for seg in ic.segments() {
                for element in seg.elements() {
                    n += element.components().count();
                }
            }
        }
        n
    });
    assert!(components > 200 * 10, "{components}");
    assert_eq!(allocations, 0);
}

#[test]
fn x12_check_allocates_per_interchange_not_per_segment() {
    let options = Options::default();
    let short = x12_input(40, 2);
    let long = x12_input(40, 200);
    // Warm up anything allocated once per process.
    let _ = ediguard::check(&short, &options).unwrap();
    let (report, few) = allocations_during(|| ediguard::check(&short, &options).unwrap());
    assert!(report.is_ok(), "{:?}", report.findings());
    let (report, many) = allocations_during(|| ediguard::check(&long, &options).unwrap());
    assert!(report.is_ok(), "{:?}", report.findings());
    // 100x the segments: the count may grow only by the few reallocations
    // of index vectors that outgrow their reused capacity (logarithmic),
    // never with every segment.
    assert!(
        many < few + 40,
        "{few} allocations for 40 short interchanges, {many} for 40 long ones"
    );
    // And a small, fixed number per interchange.
    assert!(few < 40 * 4, "{few} allocations for 40 interchanges");
}
