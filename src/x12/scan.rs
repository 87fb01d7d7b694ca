//! Word and block scanning for the segment loop: 64 bytes at a time turned
//! into a terminator bitmask and a non-printable bitmask, so segment ends
//! are walked by bit position instead of a loop exit per segment.
//!
//! X12.6 §3.3: the basic and extended character sets are printable ASCII
//! (0x20..=0x7E); any other byte inside a segment must be one of the
//! interchange's delimiters, which the caller judges for the few segments
//! the scanner flags.

use crate::syntax::marks;
pub(crate) use crate::syntax::marks::{HIGH, LANES, zero_lanes};

/// Bytes per block.
const BLOCK: usize = marks::BLOCK;

/// The marks of the 64 bytes from `at`, bit `i` for byte `at + i`: set
/// where the byte is `t0` or lies outside printable ASCII (0x20..=0x7E).
/// Bytes past the end of `input` are not marked.
#[inline]
fn block_marks(input: &[u8], at: usize, t0: u8) -> u64 {
    marks::special_at(input, at, t0, t0)
}

/// A forward scanner over an interchange's bytes that keeps the marks (see
/// [`block_marks`]) of one 64-byte block, so consecutive short segments
/// share one block computation. Each segment then costs one step per
/// marked byte it holds: its terminator, plus any unprintable byte.
#[derive(Debug)]
pub(crate) struct Blocks<'a> {
    input: &'a [u8],
    t0: u8,
    /// Offset of the block the marks describe.
    base: usize,
    marks: u64,
}

impl<'a> Blocks<'a> {
    /// A scanner for terminator first byte `t0`, with its first block at
    /// `at`.
    pub(crate) fn new(input: &'a [u8], t0: u8, at: usize) -> Self {
        Blocks {
            input,
            t0,
            base: at,
            marks: block_marks(input, at, t0),
        }
    }

    fn load(&mut self, at: usize) {
        self.base = at;
        self.marks = block_marks(self.input, at, self.t0);
    }

    /// Where the segment starting at `pos` ends (the offset of the first
    /// `t0` followed by `tail`, the rest of a multi-byte terminator), or
    /// `None` when the input ends first; and whether every byte from `pos`
    /// to that end (or to the end of input) is printable ASCII.
    #[inline]
    pub(crate) fn segment_end(&mut self, pos: usize, tail: &[u8]) -> (Option<usize>, bool) {
        let mut off = match pos.checked_sub(self.base) {
            Some(off) if off < BLOCK => off,
            _ => {
                self.load(pos);
                0
            }
        };
        let mut printable = true;
        loop {
            // `off` < 64 here, so the shift is in range.
            let hits = self.marks & (u64::MAX << off);
            if hits != 0 {
                let k = hits.trailing_zeros() as usize;
                let i = self.base + k;
                let b = self.input.get(i).copied().unwrap_or_default();
                if b == self.t0
                    && (tail.is_empty()
                        || self.input.get(i + 1..).is_some_and(|r| r.starts_with(tail)))
                {
                    return (Some(i), printable);
                }
                // An unprintable byte, or a terminator's first byte that
                // is not a whole terminator: data.
                printable &= (0x20..=0x7E).contains(&b);
                off = k + 1;
                if off < BLOCK {
                    continue;
                }
            }
            let next = self.base + BLOCK;
            if next >= self.input.len() {
                return (None, printable);
            }
            self.load(next);
            off = 0;
        }
    }
}

/// A segment tag as one number: up to four tag bytes (little-endian) and
/// the tag length, so tags compare with one integer comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tag(u64);

impl Tag {
    /// The tag of `bytes` (at most four bytes; longer input is cut).
    pub(crate) const fn of(bytes: &[u8]) -> Tag {
        let mut key = 0u64;
        let mut i = 0;
        while i < bytes.len() && i < 4 {
            key |= (bytes[i] as u64) << (8 * i);
            i += 1;
        }
        Tag(key | (i as u64) << 32)
    }

    /// The tag as one number (tag bytes, then the length above bit 32).
    pub(crate) const fn key(self) -> u64 {
        self.0
    }

    /// The tag of the segment at `pos` of `input` that is `seg_len` bytes
    /// long: the bytes before the first element separator `sep`, looked at
    /// in the first four bytes only (the same bytes as
    /// [`super::parser::tag_of`]).
    #[inline]
    pub(crate) fn at(input: &[u8], pos: usize, seg_len: usize, sep: u8) -> Tag {
        let head = head_word(input, pos);
        // Lanes past the end of input read as zero; `seg_len` bounds them.
        let x = u64::from(head) ^ (LANES * u64::from(sep));
        let sep_at = (zero_lanes(x).trailing_zeros() / 8) as usize;
        let n = sep_at.min(seg_len).min(4);
        let key = u64::from(head) & ((1u64 << (8 * n)) - 1);
        Tag(key | (n as u64) << 32)
    }
}

/// The first four bytes from `pos` as a little-endian number, zero where
/// the input ends first.
#[inline]
pub(crate) fn head_word(input: &[u8], pos: usize) -> u32 {
    let rest = input.get(pos..).unwrap_or_default();
    match rest.first_chunk::<4>() {
        Some(w) => u32::from_le_bytes(*w),
        None => {
            let mut w = [0u8; 4];
            for (d, s) in w.iter_mut().zip(rest) {
                *d = *s;
            }
            u32::from_le_bytes(w)
        }
    }
}

/// True when `head` (see [`head_word`]) starts with the three bytes of
/// `tag3`. No zero padding can match, since the bytes compared are letters.
#[inline]
pub(crate) fn starts_with3(head: u32, tag3: &[u8; 3]) -> bool {
    head & 0x00FF_FFFF == u32::from_le_bytes([tag3[0], tag3[1], tag3[2], 0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x12::parser::{is_printable, segment_end_plain, tag_of};

    fn xorshift(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn block_marks_match_byte_tests() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for round in 0..2_000 {
            let len = (xorshift(&mut seed) % 150) as usize;
            let input: Vec<u8> = (0..len).map(|_| xorshift(&mut seed) as u8).collect();
            // `~`, a printable terminator, unprintable ones, range edges.
            let t0 = [b'~', b'|', 0x1C, 0xE2, b'\n', 0x20, 0x7D, 0x7F][round % 8];
            for at in [0, 1, len / 2, len.saturating_sub(3), len, len + 5] {
                let marks = block_marks(&input, at, t0);
                for i in 0..64 {
                    let want = input
                        .get(at + i)
                        .is_some_and(|&b| b == t0 || !(0x20..=0x7E).contains(&b));
                    assert_eq!(marks >> i & 1 == 1, want, "bit {i} at {at}, t0 {t0:#04x}");
                }
            }
        }
    }

    #[test]
    fn segment_end_agrees_with_the_plain_search_and_is_printable() {
        // Random inputs over a small alphabet (terminator candidates,
        // partial multi-byte terminators, unprintable bytes), long enough
        // to cross several blocks; each scanner walks a whole input segment
        // by segment like the parser, and fresh scanners start anywhere.
        let ell = "\u{2026}".as_bytes();
        let alphabet: &[u8] = &[
            b'A', b'A', b'A', b'*', b'~', b'|', 0x7F, 0x1F, b'\n', 0xE2, 0x80, 0xA6, b' ',
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for round in 0..3_000 {
            let len = (xorshift(&mut seed) % 300) as usize;
            let input: Vec<u8> = (0..len)
                .map(|_| alphabet[(xorshift(&mut seed) % alphabet.len() as u64) as usize])
                .collect();
            for term in [&b"~"[..], ell, b"\n", b"|"] {
                let (t0, tail) = (term[0], &term[1..]);
                let want = |pos: usize| {
                    let end = segment_end_plain(&input, pos, t0, tail);
                    (end, is_printable(&input[pos..end.unwrap_or(input.len())]))
                };
                let mut blocks = Blocks::new(&input, t0, 0);
                let mut pos = 0;
                while pos < input.len() {
                    let got = blocks.segment_end(pos, tail);
                    assert_eq!(got, want(pos), "{input:?} from {pos} with {term:?}");
                    match got.0 {
                        // Skip a few bytes now and then, like line breaks.
                        Some(e) => pos = e + term.len() + (round + e) % 3 / 2,
                        None => break,
                    }
                }
                let start = (round * 7) % (input.len() + 1);
                let mut fresh = Blocks::new(&input, t0, start);
                assert_eq!(fresh.segment_end(start, tail), want(start));
            }
        }
    }

    #[test]
    fn tag_at_matches_tag_of() {
        let cases: &[&[u8]] = &[
            b"ST*204*0001~",
            b"IEA*1*1~",
            b"SE~",
            b"LONGTAG*1~",
            b"~",
            b"GS\0*1~",
            b"T",
            b"TA1",
            b"ISA*",
            b"*A*B~",
        ];
        for input in cases {
            for extra in [&b""[..], b"XYZW"] {
                let mut v = input.to_vec();
                v.extend_from_slice(extra);
                let seg_len = v.iter().position(|&b| b == b'~').unwrap_or(input.len());
                let want = Tag::of(tag_of(&v[..seg_len], b'*'));
                assert_eq!(Tag::at(&v, 0, seg_len, b'*'), want, "{v:?}");
                // The same segment later in the input.
                let mut shifted = b"AB".to_vec();
                shifted.extend_from_slice(&v);
                assert_eq!(Tag::at(&shifted, 2, seg_len, b'*'), want, "{v:?} at 2");
            }
        }
        // A zero byte as the separator still stops at the segment's end.
        assert_eq!(Tag::at(b"AB", 0, 2, 0), Tag::of(b"AB"));
        assert_ne!(Tag::of(b"GS"), Tag::of(b"GS\0"));
    }

    #[test]
    fn head_word_and_starts_with3() {
        assert!(starts_with3(head_word(b"ISA*00", 0), b"ISA"));
        assert!(starts_with3(head_word(b"xBIN", 1), b"BIN"));
        assert!(starts_with3(head_word(b"ISA", 0), b"ISA"));
        assert!(!starts_with3(head_word(b"IS", 0), b"ISA"));
        assert!(!starts_with3(head_word(b"IS\0", 0), b"ISA"));
        assert!(!starts_with3(head_word(b"ISA", 9), b"ISA"));
        assert_eq!(head_word(b"AB", 0), u32::from_le_bytes(*b"AB\0\0"));
    }
}
