//! Any bytes through the EDIFACT parser. Invariants: every view's span
//! slices the input and equals its bytes; segment offsets and ordinals
//! increase within an interchange and lie within its span; a message's
//! segments run from its UNH header to its trailer (when closed, UNT) and
//! are found again, in order, among the interchange's segments; every
//! finding of the EDIFACT checker lies within the input; reading the
//! interchanges one at a time, recycling each, gives what `parse` gives.
#![no_main]

use ediguard::edifact::{self, Interchange, Message, Segment};
use ediguard::{Limits, Options, integrity};
use libfuzzer_sys::fuzz_target;

/// The only place the target reaches an interchange's segments (the slice
/// may become a lazy iterator: then this is the one line to change).
fn ic_segs<'a>(ic: &Interchange<'a>) -> Vec<Segment<'a>> {
    ic.segments().collect()
}

/// The only place the target reaches a message's segments.
fn msg_segs<'a>(m: &Message<'_, 'a>) -> Vec<Segment<'a>> {
    m.segments().collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = edifact::parse(data, &Limits::default()) else {
        return;
    };
    assert_eq!(parsed.as_bytes(), data);
    for note in parsed.notes() {
        assert!(note.location.offset <= data.len(), "{note:?}");
    }
    for ic in parsed.interchanges() {
        let span = ic.span();
        assert!(span.start <= span.end && span.end <= data.len(), "{span:?}");
        let segments = ic_segs(ic);
        let mut last: Option<(usize, u32)> = None;
        for seg in &segments {
            assert_eq!(&data[seg.span()], seg.as_bytes());
            assert!(seg.span().start >= span.start && seg.span().end <= span.end);
            if let Some((offset, ordinal)) = last {
                assert!(seg.offset() > offset, "offsets must increase");
                assert!(seg.ordinal() > ordinal, "ordinals must increase");
            }
            last = Some((seg.offset(), seg.ordinal()));
            for e in seg.elements() {
                assert_eq!(&data[e.span()], e.as_bytes());
                for r in e.repetitions() {
                    assert_eq!(&data[r.span()], r.as_bytes());
                    for c in r.components() {
                        assert_eq!(&data[c.span()], c.as_bytes());
                    }
                }
            }
        }
        if let Some(h) = ic.header() {
            // Recognised by its first bytes: a UNA may declare an element
            // separator the UNB does not use (the checker reports that).
            assert!(h.as_bytes().starts_with(b"UNB"));
        }
        if let Some(t) = ic.trailer() {
            assert!(t.is(b"UNZ"));
        }
        let mut messages = 0;
        let mut from = 0;
        for m in ic.messages() {
            messages += 1;
            let ms = msg_segs(&m);
            let Some(first) = ms.first() else { continue };
            assert!(first.is(b"UNH"), "a message starts with UNH");
            assert_eq!(m.header().map(|h| h.offset()), Some(first.offset()));
            if let Some(t) = m.trailer() {
                assert!(t.is(b"UNT"), "a closed message ends with UNT");
                assert_eq!(Some(t.offset()), ms.last().map(Segment::offset));
            }
            // The message's segments are a contiguous run of the
            // interchange's, after the previous message's.
            let at = segments[from..]
                .iter()
                .position(|s| s.offset() == first.offset())
                .map(|p| p + from)
                .expect("message segments belong to the interchange");
            let run = segments.get(at..at + ms.len()).expect("run in range");
            assert!(run.iter().zip(&ms).all(|(a, b)| a.span() == b.span()));
            from = at + ms.len();
        }
        assert_eq!(
            messages,
            ic.message_count(),
            "message count matches a recount"
        );
        let in_groups: usize = ic.groups().map(|g| g.message_count()).sum();
        assert!(in_groups <= messages);
    }
    // The streaming parser, recycling index memory, agrees with parse().
    let mut stream = edifact::Parser::new(data).interchanges();
    let mut n = 0;
    while let Some(ic) = stream.next() {
        let ic = ic.expect("parse() read it without error");
        let want = &parsed.interchanges()[n];
        assert_eq!(ic.span(), want.span());
        assert_eq!(ic.segment_count(), want.segment_count());
        let spans = |ic: &Interchange<'_>| -> Vec<_> {
            ic.messages()
                .map(|m| {
                    (
                        m.segments().len(),
                        m.group_index(),
                        m.trailer().map(|t| t.offset()),
                    )
                })
                .collect()
        };
        assert_eq!(spans(&ic), spans(want));
        assert_eq!(ic.group_count(), want.group_count());
        stream.recycle(ic);
        n += 1;
    }
    assert_eq!(n, parsed.interchanges().len());
    assert_eq!(stream.notes(), parsed.notes());
    if let Ok(report) = integrity::edifact::check(data, &Options::default()) {
        for f in report.findings() {
            assert!(f.location.offset <= data.len(), "{f:?}");
        }
    }
});
