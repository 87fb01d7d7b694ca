//! Property tests: parse -> write -> parse is the identity for any service
//! characters, and the zero-copy tokenizer agrees with a naive byte-by-byte
//! oracle that honours the release character.

use ediguard::edifact::{self, Interchange, UnaPolicy, Writer};
use ediguard::syntax::Delimiters;
use ediguard::{Limits, Options, integrity};
use proptest::prelude::*;

/// Segment tag and values: elements -> repetitions -> components.
type Model = Vec<(Vec<u8>, Vec<Vec<Vec<Vec<u8>>>>)>;

/// Segments -> elements -> components as (raw, unescaped).
type Tokens = Vec<Vec<Vec<(Vec<u8>, Vec<u8>)>>>;

/// What a parsed interchange holds, values unescaped.
fn structure(ic: &Interchange<'_>) -> Model {
    ic.segments()
        .map(|s| {
            let elements = s
                .elements()
                .map(|e| {
                    e.repetitions()
                        .map(|r| r.components().map(|c| c.value().into_owned()).collect())
                        .collect()
                })
                .collect();
            (s.tag().to_vec(), elements)
        })
        .collect()
}

fn value() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop::sample::select(b"AZaz09 :+.?'*~=!#|^\\".to_vec()),
        0..6,
    )
}

fn element() -> impl Strategy<Value = Vec<Vec<Vec<u8>>>> {
    proptest::collection::vec(proptest::collection::vec(value(), 1..4), 1..3)
}

fn body() -> impl Strategy<Value = Model> {
    proptest::collection::vec(
        (
            prop::sample::select(vec![&b"FTX"[..], b"NAD", b"LOC", b"DTM"]),
            proptest::collection::vec(element(), 0..5),
        )
            .prop_map(|(t, e)| (t.to_vec(), e)),
        0..6,
    )
}

fn delimiters() -> impl Strategy<Value = Delimiters> {
    prop::sample::select(vec![
        Delimiters {
            repetition: Some(b'*'),
            ..Delimiters::EDIFACT_DEFAULT
        },
        Delimiters {
            segment: b'~',
            element: b'*',
            component: b'=',
            repetition: Some(b'^'),
            release: Some(b'?'),
        },
        Delimiters {
            segment: b'!',
            element: b'|',
            component: b'#',
            repetition: Some(b'+'),
            release: Some(b'\\'),
        },
        Delimiters {
            segment: 0x15,
            element: 0x7F,
            component: b':',
            repetition: Some(b'*'),
            release: Some(b'?'),
        },
    ])
}

fn write_model(w: &Writer, model: &Model) -> Vec<u8> {
    let mut out = Vec::new();
    w.write_una(4, &mut out).unwrap();
    let mut segment = |tag: &[u8], elements: &[Vec<Vec<Vec<u8>>>]| {
        let mut s = w.segment(&mut out);
        s.component(tag);
        for e in elements {
            s.element();
            for (i, rep) in e.iter().enumerate() {
                if i > 0 {
                    s.repetition();
                }
                for c in rep {
                    s.component(c);
                }
            }
        }
        s.end().unwrap();
    };
    let v = |x: &[u8]| vec![vec![x.to_vec()]];
    let v2 = |x: &[u8], y: &[u8]| vec![vec![x.to_vec(), y.to_vec()]];
    segment(
        b"UNB",
        &[
            v2(b"UNOC", b"4"),
            v(b"A"),
            v(b"B"),
            v2(b"20261117", b"1600"),
            v(b"9"),
        ],
    );
    segment(b"UNH", &[v(b"1"), v(b"X")]);
    for (tag, elements) in model {
        segment(tag, elements);
    }
    let n = (model.len() + 2).to_string();
    segment(b"UNT", &[v(n.as_bytes()), v(b"1")]);
    segment(b"UNZ", &[v(b"1"), v(b"9")]);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parse_write_parse_is_identity(model in body(), first in delimiters(), second in delimiters(), always in any::<bool>()) {
        let w1 = Writer::new(first);
        let bytes = write_model(&w1, &model);
        let report = integrity::edifact::check(&bytes, &Options::default()).unwrap();
        prop_assert!(report.is_ok(), "{:?}", report.findings());
        let p1 = edifact::parse(&bytes, &Limits::default()).unwrap();
        prop_assert_eq!(p1.interchanges().len(), 1);
        let s1 = structure(&p1.interchanges()[0]);
        prop_assert_eq!(&s1[2..s1.len() - 2], &model[..]);

        let policy = if always { UnaPolicy::Always } else { UnaPolicy::Auto };
        let w2 = Writer::new(second).with_una(policy);
        let again = w2.write(&p1).unwrap();
        let p2 = edifact::parse(&again, &Limits::default()).unwrap();
        prop_assert_eq!(p2.interchanges().len(), 1);
        prop_assert_eq!(p2.interchanges()[0].delimiters(), second);
        prop_assert_eq!(structure(&p2.interchanges()[0]), s1);
        // Writing back with the original writer gives the original bytes.
        let back = Writer::new(first).write(&p2).unwrap();
        prop_assert_eq!(back, bytes);
    }

    #[test]
    fn tokenizer_matches_naive_oracle(body in proptest::collection::vec(
        prop::sample::select(b"AB?+:'* x".to_vec()), 0..64)) {
        let mut input = b"UNH+1+X'".to_vec();
        input.extend_from_slice(&body);
        let parsed = edifact::parse(&input, &Limits::default()).unwrap();
        let got: Tokens = parsed.interchanges()[0]
            .segments()
            .map(|s| {
                let mut tag = vec![vec![(s.as_bytes()[..tag_piece_len(s.as_bytes())].to_vec(), Vec::new())]];
                tag.extend(s.elements().map(|e| {
                    e.components()
                        .map(|c| (c.as_bytes().to_vec(), c.value().into_owned()))
                        .collect::<Vec<_>>()
                }));
                tag
            })
            .collect();
        let want: Tokens = oracle_segments(&input)
            .into_iter()
            .map(|seg| {
                let elements = oracle_split(&seg, b'+');
                let mut out = vec![vec![(elements[0].clone(), Vec::new())]];
                out.extend(elements[1..].iter().map(|e| {
                    oracle_split(e, b':')
                        .into_iter()
                        .map(|c| {
                            let v = oracle_unescape(&c);
                            (c, v)
                        })
                        .collect::<Vec<_>>()
                }));
                out
            })
            .collect();
        prop_assert_eq!(got, want);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// No input panics parse, check or the writer.
    #[test]
    fn arbitrary_input_never_panics(
        una in any::<bool>(),
        body in proptest::collection::vec(
            prop::sample::select(b"UNABGHTEZSX+:?'*\r\n\x1c\x1d\x1f\xef\xbb\xbf0123".to_vec()),
            0..200,
        ),
    ) {
        let mut input = if una { b"UNA:+.? '".to_vec() } else { Vec::new() };
        input.extend_from_slice(&body);
        let _ = integrity::edifact::check(&input, &Options::default()).unwrap();
        let parsed = edifact::parse(&input, &Limits::default()).unwrap();
        for ic in parsed.interchanges() {
            let _ = Writer::for_interchange(ic).write_interchange(ic, &mut Vec::new());
            let _ = ic.groups().map(|g| g.messages().count()).sum::<usize>();
        }
    }
}

/// Length of the tag piece: up to the first unreleased `+`.
fn tag_piece_len(seg: &[u8]) -> usize {
    oracle_split(seg, b'+')[0].len()
}

/// Splits on `sep` byte by byte: a `?` makes the next byte data.
fn oracle_split(bytes: &[u8], sep: u8) -> Vec<Vec<u8>> {
    let mut out = vec![Vec::new()];
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'?' && i + 1 < bytes.len() {
            out.last_mut().unwrap().extend_from_slice(&bytes[i..i + 2]);
            i += 2;
        } else if b == sep {
            out.push(Vec::new());
            i += 1;
        } else {
            out.last_mut().unwrap().push(b);
            i += 1;
        }
    }
    out
}

/// Segments: split on `'`, dropping the empty piece after a final `'`.
fn oracle_segments(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut segs = oracle_split(bytes, b'\'');
    if segs.last().is_some_and(|s| s.is_empty()) {
        segs.pop();
    }
    segs
}

fn oracle_unescape(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'?' && i + 1 < bytes.len() {
            out.push(bytes[i + 1]);
            i += 2;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}
