//! Property tests: generated interchanges survive parse -> write -> parse
//! unchanged, and the zero-copy tokenizer agrees with a naive split.

use ediguard::syntax::Delimiters;
use ediguard::x12::{OwnedElement, OwnedSegment, Parser, Writer};
use ediguard::{Limits, Options};
use proptest::prelude::*;

const POOL: &[u8] = b"*|>:~^!\x1D\x1E\n$";

fn delimiters() -> impl Strategy<Value = (Delimiters, bool)> {
    // LF may be the terminator, never a separator (the parser skips line
    // breaks between segments and reports them inside segments).
    let shuffled = Just(POOL.to_vec())
        .prop_shuffle()
        .prop_filter("LF only as terminator", |p| !p[1..4].contains(&b'\n'));
    (shuffled, any::<bool>(), any::<bool>()).prop_map(|(p, rep, breaks)| {
        let d = Delimiters {
            segment: p[0],
            element: p[1],
            component: p[2],
            repetition: rep.then_some(p[3]),
            release: None,
        };
        (d, breaks && d.segment != b'\n')
    })
}

fn value() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            b'A'..=b'Z',
            b'a'..=b'z',
            b'0'..=b'9',
            Just(b' '),
            Just(b'.'),
            Just(b'-')
        ],
        0..8,
    )
}

fn element(rep: bool) -> impl Strategy<Value = OwnedElement> {
    let reps = if rep { 1..3usize } else { 1..2usize };
    proptest::collection::vec(proptest::collection::vec(value(), 1..3), reps)
        .prop_map(|repetitions| OwnedElement { repetitions })
}

fn body_segment(rep: bool) -> impl Strategy<Value = OwnedSegment> {
    (
        prop_oneof![
            Just("N1"),
            Just("N3"),
            Just("LX"),
            Just("L11"),
            Just("AT7"),
            Just("MS1")
        ],
        proptest::collection::vec(element(rep), 0..5),
    )
        .prop_map(|(tag, elements)| OwnedSegment {
            tag: tag.as_bytes().to_vec(),
            elements,
        })
}

fn simple(tag: &str, values: &[String]) -> OwnedSegment {
    OwnedSegment::new(tag, values)
}

/// A whole interchange model: ISA, GS, 1-3 sets, GE, IEA with right counts.
fn model() -> impl Strategy<Value = (Delimiters, bool, Vec<OwnedSegment>)> {
    delimiters().prop_flat_map(|(d, breaks)| {
        let rep = d.repetition.is_some();
        proptest::collection::vec(proptest::collection::vec(body_segment(rep), 0..6), 1..4)
            .prop_map(move |sets| {
                let isa11 = d
                    .repetition
                    .map_or("U".to_owned(), |r| (r as char).to_string());
                let version = if rep { "00501" } else { "00401" };
                let v = |s: &str| s.to_owned();
                let mut segs = vec![simple(
                    "ISA",
                    &[
                        v("00"),
                        v("          "),
                        v("00"),
                        v("          "),
                        v("ZZ"),
                        v("GLPAPER        "),
                        v("ZZ"),
                        v("NLFX           "),
                        v("261116"),
                        v("1400"),
                        isa11,
                        v(version),
                        v("000000042"),
                        v("0"),
                        v("P"),
                        (d.component as char).to_string(),
                    ],
                )];
                segs.push(simple(
                    "GS",
                    &[
                        v("SM"),
                        v("GLPAPER"),
                        v("NLFX"),
                        v("20261116"),
                        v("1400"),
                        v("42"),
                        v("X"),
                        v("004010"),
                    ],
                ));
                for (i, body) in sets.iter().enumerate() {
                    let ctl = format!("{:04}", i + 1);
                    segs.push(simple("ST", &[v("204"), ctl.clone()]));
                    segs.extend(body.iter().cloned());
                    segs.push(simple("SE", &[(body.len() + 2).to_string(), ctl]));
                }
                segs.push(simple("GE", &[sets.len().to_string(), v("42")]));
                segs.push(simple("IEA", &[v("1"), v("000000042")]));
                (d, breaks, segs)
            })
    })
}

fn reparse(bytes: &[u8]) -> Vec<OwnedSegment> {
    let all = ediguard::x12::parse(bytes, &Limits::default()).unwrap();
    assert_eq!(all.len(), 1);
    all[0]
        .segments()
        .map(|s| OwnedSegment::from_segment(&s))
        .collect()
}

proptest! {
    #[test]
    fn parse_write_parse_is_the_identity((d, breaks, segs) in model()) {
        let writer = Writer::new(d).unwrap().with_line_breaks(breaks);
        let bytes = writer.write(&segs).unwrap();
        let parsed = reparse(&bytes);
        prop_assert_eq!(&parsed, &segs);
        let again = writer.write(&parsed).unwrap();
        prop_assert_eq!(&again, &bytes);
        let report = ediguard::integrity::x12::check(&bytes, &Options::default()).unwrap();
        prop_assert!(report.is_ok(), "{:?}", report.findings());
    }

    #[test]
    fn tokenizer_agrees_with_naive_split((d, _breaks, segs) in model()) {
        let bytes = Writer::new(d).unwrap().write(&segs).unwrap();
        let naive: Vec<&[u8]> = bytes.split(|&b| b == d.segment).filter(|s| !s.is_empty()).collect();
        let ic = Parser::new(&bytes).interchanges().next().unwrap().unwrap();
        prop_assert_eq!(ic.segment_count(), naive.len());
        for (seg, raw) in ic.segments().zip(&naive) {
            prop_assert_eq!(seg.as_bytes(), *raw);
            let mut naive_elements = raw.split(|&b| b == d.element);
            prop_assert_eq!(seg.tag(), naive_elements.next().unwrap());
            let naive_elements: Vec<&[u8]> = naive_elements.collect();
            let elements: Vec<_> = seg.elements().collect();
            prop_assert_eq!(elements.len(), naive_elements.len());
            for (e, ne) in elements.iter().zip(&naive_elements) {
                prop_assert_eq!(e.as_bytes(), *ne);
                prop_assert_eq!(&bytes[e.span()], *ne);
                if seg.is(b"ISA") {
                    continue;
                }
                let naive_reps: Vec<&[u8]> = match d.repetition {
                    Some(r) => ne.split(|&b| b == r).collect(),
                    None => vec![*ne],
                };
                let reps: Vec<_> = e.repetitions().collect();
                prop_assert_eq!(reps.len(), naive_reps.len());
                for (r, nr) in reps.iter().zip(&naive_reps) {
                    let comps: Vec<&[u8]> = r.components().map(|c| c.as_bytes()).collect();
                    let naive_comps: Vec<&[u8]> = nr.split(|&b| b == d.component).collect();
                    prop_assert_eq!(comps, naive_comps);
                }
            }
        }
    }
}

#[test]
fn writer_rejects_a_value_holding_a_delimiter() {
    let d = Delimiters {
        segment: b'~',
        element: b'*',
        component: b'>',
        repetition: Some(b'^'),
        release: None,
    };
    let w = Writer::new(d).unwrap();
    for bad in ["A~B", "A*B", "A>B", "A^B"] {
        let err = w
            .write(&[OwnedSegment::new("N1", ["SH", bad])])
            .unwrap_err();
        assert_eq!(err.kind(), ediguard::ErrorKind::Malformed, "{bad}");
        assert_eq!(
            (err.location().segment, err.location().element),
            (Some(0), Some(2)),
            "{bad}"
        );
    }
    assert!(
        Writer::new(Delimiters {
            component: b'*',
            ..d
        })
        .is_err()
    );
    assert!(
        Writer::new(Delimiters {
            release: Some(b'?'),
            ..d
        })
        .is_err()
    );
}
