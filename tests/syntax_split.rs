//! Property tests: the splitting layer (`syntax::Split`, `find_unescaped`
//! and the segment, element, component and repetition views) against a
//! plain byte-by-byte reference splitter, on random inputs long enough to
//! cross the 16-byte chunks and 64-byte windows the fast path reads, with
//! and without a release character (also one equal to the separator).

use ediguard::syntax::{Delimiters, Segment, Split, find_unescaped};
use proptest::prelude::*;

/// The pieces of `bytes` split on `sep` as `(offset, piece)`, reading left
/// to right: a release character makes the byte after it data (ISO 9735-1
/// §7.1). A release character equal to the separator releases nothing.
fn reference(bytes: &[u8], sep: u8, release: Option<u8>) -> Vec<(usize, Vec<u8>)> {
    let release = release.filter(|&r| r != sep);
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if Some(bytes[i]) == release {
            i += 2;
            continue;
        }
        if bytes[i] == sep {
            out.push((start, bytes[start..i].to_vec()));
            start = i + 1;
        }
        i += 1;
    }
    out.push((start, bytes[start.min(bytes.len())..].to_vec()));
    out
}

fn split(bytes: &[u8], sep: u8, release: Option<u8>) -> Vec<(usize, Vec<u8>)> {
    Split::new(bytes, sep, release)
        .map(|(o, p)| (o, p.to_vec()))
        .collect()
}

/// Mostly data, some separators and release characters, now and then a
/// byte outside ASCII; up to 300 bytes (several windows).
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    let alphabet = b"AAAAAAAB0+++**::^?~\x00\xff".to_vec();
    prop_oneof![
        proptest::collection::vec(prop::sample::select(alphabet.clone()), 0..40),
        proptest::collection::vec(prop::sample::select(alphabet), 0..300),
    ]
}

fn release() -> impl Strategy<Value = Option<u8>> {
    prop::sample::select(vec![None, Some(b'?'), Some(b'+'), Some(0x00)])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn split_matches_the_reference(
        input in bytes(),
        sep in prop::sample::select(b"+*:~\x00\xff".to_vec()),
        release in release(),
        skip in 0usize..8,
    ) {
        // Also from a start inside the input, so every alignment is read.
        let input = &input[skip.min(input.len())..];
        prop_assert_eq!(split(input, sep, release), reference(input, sep, release));
        let first = reference(input, sep, release);
        let want = (first.len() > 1).then(|| first[0].1.len());
        prop_assert_eq!(find_unescaped(input, sep, release), want);
    }

    #[test]
    fn views_match_the_reference(
        input in bytes(),
        offset in 0usize..1000,
        ordinal in 0u32..50,
        edifact in any::<bool>(),
    ) {
        let d = if edifact {
            Delimiters { repetition: Some(b'*'), ..Delimiters::EDIFACT_DEFAULT }
        } else {
            Delimiters::X12_DEFAULT
        };
        let seg = Segment::new(&input, offset, ordinal, d);
        let pieces = reference(&input, d.element, d.release);
        // The tag is the first piece; the elements are the rest.
        let elements: Vec<_> = seg.elements().collect();
        prop_assert_eq!(elements.len(), pieces.len() - 1);
        prop_assert_eq!(seg.element_count(), pieces.len() - 1);
        for (n, (e, (at, bytes))) in elements.iter().zip(&pieces[1..]).enumerate() {
            prop_assert_eq!(e.as_bytes(), &bytes[..]);
            prop_assert_eq!(e.offset(), offset + at);
            prop_assert_eq!(e.position() as usize, n + 1);
            let loc = e.location();
            prop_assert_eq!((loc.offset, loc.segment, loc.element), (offset + at, Some(ordinal), Some(n as u32 + 1)));
            prop_assert_eq!(seg.element(n + 1).map(|x| x.as_bytes()), Some(&bytes[..]));

            let comps = reference(bytes, d.component, d.release);
            let got: Vec<_> = e.components().map(|c| (c.offset() - e.offset(), c.as_bytes().to_vec())).collect();
            prop_assert_eq!(got, comps);

            let sep = d.repetition.unwrap_or(d.segment);
            let reps = reference(bytes, sep, d.release);
            let got: Vec<_> = e.repetitions().map(|r| (r.offset() - e.offset(), r.as_bytes().to_vec())).collect();
            prop_assert_eq!(&got, &reps);
            for (i, r) in e.repetitions().enumerate() {
                prop_assert_eq!(r.repetition(), Some(i as u32 + 1));
                prop_assert_eq!(r.location().repetition, Some(i as u32 + 1));
            }
        }
        prop_assert!(seg.element(pieces.len()).is_none());
    }
}
