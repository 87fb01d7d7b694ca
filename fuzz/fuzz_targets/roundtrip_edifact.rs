//! Structure-aware EDIFACT round trip: an arbitrary interchange model
//! (service characters chosen from a set, segments whose values may hold
//! any of them) is written with the segment writer, parsed, and written
//! again with `Writer::write`. Invariants: the checker finds nothing wrong
//! with the written interchange; parsing gives back the model's segments
//! with every value unescaped equal to the model; write -> parse -> write is
//! stable (identical bytes).
#![no_main]

use arbitrary::Arbitrary;
use ediguard::edifact::{self, Interchange, Segment, UnaPolicy, Writer};
use ediguard::syntax::Delimiters;
use ediguard::{Limits, Options, integrity};
use libfuzzer_sys::fuzz_target;

/// Candidate service characters: punctuation and the level B information
/// separators (ISO 9735-1 §7 forbids letters and digits).
const SERVICE: &[u8] = b":+?'*~=!#|^\\/{}$%&;<>\x1c\x1d\x1e\x1f";
const TAGS: &[&[u8]] = &[
    b"FTX", b"NAD", b"LOC", b"DTM", b"RFF", b"TDT", b"QTY", b"MEA",
];
/// Value bytes: letters, digits, space, and every candidate service
/// character, so values hold the delimiters the writer must release.
const VALUE_BYTES: &[u8] = b"AZaz09 .,-:+?'*~=!#|^\\/{}$%&;<>\x1c\x1d\x1e\x1f";

/// Elements -> repetitions -> components.
type Elements = Vec<Vec<Vec<Vec<u8>>>>;

#[derive(Arbitrary, Debug)]
struct Model {
    service: [u8; 5],
    repetition: bool,
    release: bool,
    always_una: bool,
    line_breaks: bool,
    segments: Vec<(u8, Vec<Vec<Vec<Vec<u8>>>>)>,
}

fn pick(set: &[u8], i: u8) -> u8 {
    set[i as usize % set.len()]
}

fn value(raw: &[u8]) -> Vec<u8> {
    raw.iter().take(10).map(|&b| pick(VALUE_BYTES, b)).collect()
}

/// At least one repetition and one component, so every element has a
/// single reading (an element with no component writes as nothing).
fn element(raw: &[Vec<Vec<u8>>], repeats: bool) -> Vec<Vec<Vec<u8>>> {
    let mut reps: Vec<Vec<Vec<u8>>> = raw
        .iter()
        .take(if repeats { 3 } else { 1 })
        .map(|comps| comps.iter().take(4).map(|c| value(c)).collect::<Vec<_>>())
        .map(|r| if r.is_empty() { vec![Vec::new()] } else { r })
        .collect();
    if reps.is_empty() {
        reps.push(vec![Vec::new()]);
    }
    reps
}

fn structure(segments: &[Segment<'_>]) -> Vec<(Vec<u8>, Elements)> {
    segments
        .iter()
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

/// The only place the target reaches an interchange's segments.
fn ic_segs<'a>(ic: &Interchange<'a>) -> Vec<Segment<'a>> {
    ic.segments().collect()
}

fn write(w: &Writer, segments: &[(Vec<u8>, Elements)]) -> Vec<u8> {
    let mut out = Vec::new();
    w.write_una(4, &mut out).expect("distinct delimiters");
    for (tag, elements) in segments {
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
        s.end().expect("the writer can release every delimiter");
    }
    out
}

fuzz_target!(|m: Model| {
    let [seg, el, comp, rep, rel] = m.service.map(|b| pick(SERVICE, b));
    let d = Delimiters {
        segment: seg,
        element: el,
        component: comp,
        repetition: m.repetition.then_some(rep),
        release: m.release.then_some(rel),
    };
    if !d.are_distinct() {
        return;
    }
    let policy = if m.always_una {
        UnaPolicy::Always
    } else {
        UnaPolicy::Auto
    };
    let w = Writer::new(d)
        .with_una(policy)
        .with_line_breaks(m.line_breaks);
    // Without a release character values cannot hold delimiters; control
    // bytes that are not delimiters are outside the UNOC repertoire.
    let plain = |v: Vec<u8>| -> Vec<u8> {
        v.into_iter()
            .filter(|b| d.release.is_some() || !d.is_delimiter(*b))
            .map(|b| {
                if b < 0x20 && !d.is_delimiter(b) {
                    b'X'
                } else {
                    b
                }
            })
            .collect()
    };
    let body: Vec<(Vec<u8>, Elements)> = m
        .segments
        .iter()
        .take(40)
        .map(|(tag, elements)| {
            let elements = elements
                .iter()
                .take(6)
                .map(|e| {
                    element(e, d.repetition.is_some())
                        .into_iter()
                        .map(|r| r.into_iter().map(plain).collect())
                        .collect()
                })
                .collect();
            (TAGS[*tag as usize % TAGS.len()].to_vec(), elements)
        })
        .collect();
    let v = |x: &[u8]| vec![vec![x.to_vec()]];
    let v2 = |x: &[u8], y: &[u8]| vec![vec![x.to_vec(), y.to_vec()]];
    let mut segments = vec![
        (
            b"UNB".to_vec(),
            vec![
                v2(b"UNOC", b"4"),
                v(b"SENDER"),
                v(b"RECEIVER"),
                v2(b"20261117", b"1600"),
                v(b"9"),
            ],
        ),
        (b"UNH".to_vec(), vec![v(b"1"), v2(b"IFTSTA", b"D")]),
    ];
    segments.extend(body.iter().cloned());
    let count = (body.len() + 2).to_string();
    segments.push((b"UNT".to_vec(), vec![v(count.as_bytes()), v(b"1")]));
    segments.push((b"UNZ".to_vec(), vec![v(b"1"), v(b"9")]));

    let first = write(&w, &segments);
    let report = integrity::edifact::check(&first, &Options::default()).expect("readable");
    assert!(
        report.is_ok(),
        "{:?}\n{:?}",
        report.findings(),
        String::from_utf8_lossy(&first)
    );

    let parsed = edifact::parse(&first, &Limits::default()).expect("parses");
    assert_eq!(parsed.interchanges().len(), 1, "one interchange");
    let ic = &parsed.interchanges()[0];
    assert_eq!(
        ic.delimiters(),
        d,
        "the UNA or defaults give the writer's delimiters"
    );
    let got = structure(&ic_segs(ic));
    assert_eq!(
        got, segments,
        "values come back unescaped equal to the model"
    );

    let second = w.write(&parsed).expect("parsed interchange writes again");
    assert_eq!(first, second, "write -> parse -> write is not stable");
});
