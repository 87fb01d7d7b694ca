//! Any bytes through the X12 parser. Invariants: every view's span slices
//! the input and equals its bytes; segment offsets and ordinals increase;
//! a transaction set's segment count matches a recount; every finding of
//! the X12 checker lies within the input.
#![no_main]

use ediguard::x12::Parser;
use ediguard::{Options, integrity};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for interchange in Parser::new(data).interchanges() {
        let Ok(ic) = interchange else { continue };
        assert_eq!(&data[ic.span()], ic.as_bytes());
        let mut last: Option<(usize, u32)> = None;
        for seg in ic.segments() {
            assert_eq!(&data[seg.span()], seg.as_bytes());
            assert!(seg.span().start >= ic.span().start && seg.span().end <= ic.span().end);
            if let Some((offset, ordinal)) = last {
                assert!(seg.offset() > offset, "offsets must increase");
                assert_eq!(seg.ordinal(), ordinal + 1, "ordinals must increase by one");
            }
            last = Some((seg.offset(), seg.ordinal()));
            for e in seg.elements() {
                assert_eq!(&data[e.span()], e.as_bytes());
                for c in e.components() {
                    assert_eq!(&data[c.span()], c.as_bytes());
                }
            }
        }
        for group in ic.groups() {
            assert_eq!(&data[group.span()], group.as_bytes());
            for set in group.transaction_sets() {
                assert_eq!(&data[set.span()], set.as_bytes());
                assert_eq!(set.segment_count(), set.segments().count());
            }
        }
    }
    if let Ok(report) = integrity::x12::check(data, &Options::default()) {
        for f in report.findings() {
            assert!(f.location.offset <= data.len(), "{f:?}");
        }
    }
});
