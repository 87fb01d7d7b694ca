//! Delimiter discovery from the ISA interchange control header.
//!
//! X12.5 (Interchange Control Structures), ISA segment: "The ISA segment is a
//! fixed length segment": 106 bytes, every element at a fixed width. The byte
//! after `ISA` is the data element separator, ISA16 (byte 105, 0-based 104)
//! is the component element separator, and the byte after ISA16 (byte 106,
//! 0-based 105) is the segment terminator. ISA11 is the repetition separator
//! from version 00402 on; before that it is the standards identifier (`U`).

use std::ops::Range;

/// Fixed widths of ISA01..ISA16 (X12.5 ISA segment, element attributes).
pub(crate) const WIDTHS: [usize; 16] = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];

/// Offsets of the 16 element separators in a fixed-width ISA.
const FIXED_SEPARATORS: [usize; 16] = [
    3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103,
];

/// Length of a fixed-width ISA including its (single-byte) terminator.
pub(crate) const ISA_LEN: usize = 106;

/// How far an unpadded ISA is searched for its 16 element separators.
const MAX_ISA_SCAN: usize = 512;

/// The shape of one ISA header: where its elements and terminator are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IsaShape {
    /// Where the ISA starts.
    start: usize,
    /// Offsets from `start` of the 16 element separators (at most
    /// `MAX_ISA_SCAN`, so they fit in 16 bits and the shape stays small:
    /// it is moved with every interchange).
    seps: [u16; 16],
    /// True when every separator sits at its fixed position.
    pub(crate) fixed: bool,
    /// Data element separator.
    pub(crate) element: u8,
    /// Component element separator (ISA16).
    pub(crate) component: u8,
    /// Absolute byte range of the segment terminator (one byte, or a whole
    /// UTF-8 sequence when byte 106 is a UTF-8 lead byte).
    pub(crate) terminator: Range<usize>,
}

/// Reads the ISA header that starts at `start`, or `None` when the bytes
/// there cannot hold one (no `ISA`, a letter or digit as the element
/// separator, fewer than 16 element separators, nothing after ISA16).
///
/// A fixed-width ISA is read at its fixed positions, so an ISA02 holding the
/// element separator still reads correctly; otherwise the 16 element
/// separators are counted, which finds the delimiters of unpadded headers.
pub(crate) fn read_isa(input: &[u8], start: usize) -> Option<IsaShape> {
    let b = input.get(start..)?;
    if !b.starts_with(b"ISA") {
        return None;
    }
    let sep = *b.get(3)?;
    if sep.is_ascii_alphanumeric() || sep == b'\r' || sep == b'\n' {
        return None;
    }
    let fixed = b.len() >= ISA_LEN
        && FIXED_SEPARATORS.iter().all(|&p| b.get(p) == Some(&sep))
        && b.get(104).is_some_and(|&c| c != sep);
    let mut seps = [0usize; 16];
    if fixed {
        seps = FIXED_SEPARATORS;
    } else {
        let window = &b[..b.len().min(MAX_ISA_SCAN)];
        let mut n = 0;
        for p in memchr::memchr_iter(sep, window) {
            // A line break right after a separator is wrapping, not data;
            // only the separators themselves are counted.
            if n == 16 {
                break;
            }
            seps[n] = p;
            n += 1;
        }
        if n < 16 {
            return None;
        }
    }
    let last = seps[15];
    let component = *b.get(last + 1)?;
    let term_at = last + 2;
    let t0 = *b.get(term_at)?;
    if t0 == sep || t0 == component || t0.is_ascii_alphanumeric() {
        return None;
    }
    let term_len = utf8_sequence_len(&b[term_at..]);
    let mut offsets = [0u16; 16];
    for (o, &p) in offsets.iter_mut().zip(&seps) {
        *o = u16::try_from(p).ok()?;
    }
    Some(IsaShape {
        start,
        seps: offsets,
        fixed,
        element: sep,
        component,
        terminator: start + term_at..start + term_at + term_len,
    })
}

impl IsaShape {
    /// The absolute byte range of ISA element `i` (0-based: ISA01 is 0),
    /// or `None` for `i` over 15. ISA16 is the one byte after the last
    /// separator.
    pub(crate) fn element(&self, i: usize) -> Option<Range<usize>> {
        let from = usize::from(*self.seps.get(i)?) + 1;
        let to = match self.seps.get(i + 1) {
            Some(&next) => usize::from(next),
            None => from + 1,
        };
        Some(self.start + from..self.start + to)
    }
}

/// Length of the terminator at the start of `b`: the whole UTF-8 sequence
/// when `b[0]` is a lead byte followed by its continuation bytes (the
/// ellipsis U+2026 is `E2 80 A6`), else 1.
pub(crate) fn utf8_sequence_len(b: &[u8]) -> usize {
    let Some(&lead) = b.first() else { return 1 };
    let want = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return 1,
    };
    match b.get(1..want) {
        Some(rest) if rest.iter().all(|&c| (0x80..=0xBF).contains(&c)) => want,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXED: &[u8] = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~";

    #[test]
    fn read_isa_table() {
        // (input, expected (element, component, terminator bytes, fixed) or None)
        type Case<'a> = (&'a [u8], Option<(u8, u8, &'a [u8], bool)>);
        let cases: &[Case<'_>] = &[
            (FIXED, Some((b'*', b'>', b"~", true))),
            (
                b"ISA*00* *00* *30*227777777 *14*577777777 *120530*1144*U*00401*000000001*0*P*~\\\n",
                Some((b'*', b'~', b"\\", false)),
            ),
            (
                "ISA*00*          *00*          *ZZ*X              *ZZ*Y              *200910*1930*U*00400*000075776*0*P*>\u{2026}\n".as_bytes(),
                Some((b'*', b'>', "\u{2026}".as_bytes(), true)),
            ),
            (b"ISA*00*", None),
            (b"ISAX00*", None),
            (b"ISA*00*          *00*          *ZZ*S*ZZ*R*240101*1200*U*00401*1*0*P*", None),
            (b"ISA*00*          *00*          *ZZ*S*ZZ*R*240101*1200*U*00401*1*0*P*>A", None),
        ];
        for (input, expected) in cases {
            let got = read_isa(input, 0).map(|s| {
                (
                    s.element,
                    s.component,
                    &input[s.terminator.clone()],
                    s.fixed,
                )
            });
            assert_eq!(got, *expected, "{}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn fixed_isa_elements_are_at_fixed_positions() {
        let s = read_isa(FIXED, 0).unwrap();
        for (i, width) in WIDTHS.iter().enumerate() {
            assert_eq!(s.element(i).unwrap().len(), *width, "ISA{:02}", i + 1);
        }
        assert_eq!(s.element(16), None);
        assert_eq!(&FIXED[s.element(5).unwrap()], b"SENDER         ");
        assert_eq!(s.terminator, 105..106);
    }

    #[test]
    fn read_isa_at_offset() {
        let mut input = b"junk\n".to_vec();
        input.extend_from_slice(FIXED);
        let s = read_isa(&input, 5).unwrap();
        assert_eq!(s.terminator, 110..111);
        assert_eq!(&input[s.element(12).unwrap()], b"000000001");
    }
}
