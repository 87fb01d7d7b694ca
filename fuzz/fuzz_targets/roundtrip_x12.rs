//! Structure-aware X12 round trip: an arbitrary interchange model is
//! written, parsed and written again; the two writes must be identical and
//! the parse must give back the model's segments.
#![no_main]

use arbitrary::Arbitrary;
use ediguard::syntax::Delimiters;
use ediguard::x12::{OwnedElement, OwnedSegment, Parser, Writer};
use libfuzzer_sys::fuzz_target;

const SEPARATORS: &[u8] = b"*|^~>:!{}$\x1d\x1e\x1f";
const TAGS: &[&[u8]] = &[
    b"B2", b"N1", b"N3", b"N4", b"AT7", b"MS1", b"L11", b"G62", b"S5", b"LX",
];
const VALUE_BYTES: &[u8] = b"ABCXYZ0123456789 .-/()";

#[derive(Arbitrary, Debug)]
struct Model {
    element: u8,
    component: u8,
    segment: u8,
    repetition: Option<u8>,
    line_breaks: bool,
    segments: Vec<(u8, Vec<Vec<Vec<u8>>>)>,
}

fn pick(set: &[u8], i: u8) -> u8 {
    set[i as usize % set.len()]
}

fn value(raw: &[u8]) -> Vec<u8> {
    raw.iter().take(12).map(|&b| pick(VALUE_BYTES, b)).collect()
}

fn isa(d: &Delimiters) -> OwnedSegment {
    let rep = d.repetition.map_or(b'U', |r| r);
    let version: &[u8] = if d.repetition.is_some() {
        b"00501"
    } else {
        b"00401"
    };
    let fields: [&[u8]; 16] = [
        b"00",
        b"          ",
        b"00",
        b"          ",
        b"ZZ",
        b"SENDER         ",
        b"ZZ",
        b"RECEIVER       ",
        b"240101",
        b"1200",
        &[rep],
        version,
        b"000000001",
        b"0",
        b"P",
        &[d.component],
    ];
    OwnedSegment::new("ISA", fields)
}

fuzz_target!(|m: Model| {
    let d = Delimiters {
        segment: pick(SEPARATORS, m.segment),
        element: pick(SEPARATORS, m.element),
        component: pick(SEPARATORS, m.component),
        repetition: m.repetition.map(|r| pick(SEPARATORS, r)),
        release: None,
    };
    let Ok(writer) = Writer::new(d) else { return };
    let writer = writer.with_line_breaks(m.line_breaks);
    let mut body: Vec<OwnedSegment> = m
        .segments
        .iter()
        .take(50)
        .map(|(tag, elements)| OwnedSegment {
            tag: TAGS[*tag as usize % TAGS.len()].to_vec(),
            elements: elements
                .iter()
                .take(8)
                .map(|comps| OwnedElement {
                    repetitions: vec![comps.iter().take(4).map(|c| value(c)).collect::<Vec<_>>()]
                        .into_iter()
                        .map(|r: Vec<Vec<u8>>| if r.is_empty() { vec![Vec::new()] } else { r })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let n = body.len() + 2;
    let mut segs = vec![
        isa(&d),
        OwnedSegment::new(
            "GS",
            [
                "QM", "SENDER", "RECEIVER", "20240101", "1200", "1", "X", "004010",
            ],
        ),
        OwnedSegment::new("ST", ["214", "0001"]),
    ];
    segs.append(&mut body);
    let count = n.to_string();
    segs.push(OwnedSegment::new("SE", [count.as_str(), "0001"]));
    segs.push(OwnedSegment::new("GE", ["1", "1"]));
    segs.push(OwnedSegment::new("IEA", ["1", "000000001"]));

    let Ok(first) = writer.write(&segs) else {
        return;
    };
    let parsed: Vec<OwnedSegment> = Parser::new(&first)
        .interchanges()
        .filter_map(Result::ok)
        .flat_map(|ic| {
            ic.segments()
                .map(|s| OwnedSegment::from_segment(&s))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(parsed.len(), segs.len(), "segment count changed");
    let second = writer.write(&parsed).expect("parsed segments write again");
    assert_eq!(first, second, "write -> parse -> write is not stable");
});
