//! Inputs the fuzzers found, each a named test with the minimised bytes
//! inline and the assertion the fuzz target makes (see `fuzz/README.md`).

use ediguard::edifact;
use ediguard::{Limits, Options, integrity};

/// Each message's segments, as offsets (through one adapter, so a change of
/// `Message::segments()` from a slice to an iterator is a one-line change).
fn message_offsets(input: &[u8]) -> Vec<Vec<usize>> {
    let parsed = edifact::parse(input, &Limits::default()).expect("parses");
    parsed
        .interchanges()
        .iter()
        .flat_map(|ic| {
            ic.messages()
                .map(|m| m.segments().map(|s| s.offset()).collect())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `parse_edifact`: a message without UNT, ended by the next UNH, took that
/// UNH as its own last segment, so two messages shared a segment and the
/// first one's segment count was one too many.
#[test]
fn edifact_message_without_unt_ended_by_next_unh() {
    let input = b"2'\nUNH+61b\0\0\0\0\0\0\0\xfa+NLF000'\nUNH+1+C\n";
    assert_eq!(message_offsets(input), vec![vec![3], vec![27]]);
    let report = integrity::edifact::check(input, &Options::default()).expect("readable");
    assert!(
        report
            .findings()
            .iter()
            .all(|f| f.location.offset <= input.len())
    );
}

/// The same recovery at UNZ, UNE and UNG: the segment that ends an
/// unclosed message belongs to no message.
#[test]
fn edifact_message_without_unt_ended_by_unz_une_ung() {
    let unz = b"UNB+UNOA:3+A+B+261117:1600+7'UNH+1+X'FTX+AAI'UNZ+1+7'";
    assert_eq!(message_offsets(unz), vec![vec![29, 37]]);
    let une = b"UNB+UNOA:3+A+B+261117:1600+7'UNG+X+A+B+261117:1600+3'UNH+1+X'UNE+1+3'UNZ+1+7'";
    assert_eq!(message_offsets(une), vec![vec![53]]);
    let ung = b"UNB+UNOA:3+A+B+261117:1600+7'UNG+X+A+B+261117:1600+3'UNH+1+X'UNG+X+A+B+261117:1600+4'UNE+0+4'UNZ+2+7'";
    assert_eq!(message_offsets(ung), vec![vec![53]]);
    // A closed message keeps its UNT.
    let closed = b"UNB+UNOA:3+A+B+261117:1600+7'UNH+1+X'UNT+2+1'UNZ+1+7'";
    assert_eq!(message_offsets(closed), vec![vec![29, 37]]);
}
