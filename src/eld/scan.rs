//! One pass over a line for the checker: where its commas are and whether
//! every byte is printable ASCII, eight bytes at a time.
//!
//! The checker needs, for every data line, the field count, the field
//! boundaries, the last comma (the line data check value follows it,
//! §4.4.5.2) and the first byte outside printable ASCII (§4.8.2.1(b)).
//! Asking a [`Record`] for each of those walks the line once per question
//! (and once per field for the fields); a [`LineScan`] answers them all
//! from one walk that notes where the commas are, and hands out the
//! fields from those. Words are read with `u64::from_le_bytes`, so no
//! `unsafe` is needed.

use super::parse::{Field, Record};

/// How many fields a scan keeps: enough for the widest layout (the Event
/// List row, 18 fields). Lines with more fields are still counted, and
/// their last field is still known.
pub(crate) const MAX_FIELDS: usize = 18;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;
const COMMAS: u64 = ONES * b',' as u64;

/// The high bit of each byte of `w` that is a comma (exact: no false
/// positives, no carries between bytes).
#[inline]
fn comma_mask(w: u64) -> u64 {
    let x = w ^ COMMAS;
    !(((x & !HIGH) + !HIGH) | x) & HIGH
}

/// The high bit of each byte of `w` outside `0x20..0x7F` (the low seven
/// bits are summed alone, so no carry crosses a byte).
#[inline]
fn unprintable_mask(w: u64) -> u64 {
    let low = w & !HIGH;
    (w | !(low + ONES * 0x60) | (low + ONES)) & HIGH
}

/// The comma positions of one line and its printable-ASCII verdict.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LineScan<'a> {
    line: &'a [u8],
    offset: usize,
    commas: usize,
    /// `ends[i]`: the comma that ends field `i`, for the first
    /// `MAX_FIELDS` commas.
    ends: [usize; MAX_FIELDS],
    last_comma: Option<usize>,
    unprintable: Option<usize>,
}

impl<'a> LineScan<'a> {
    /// A scan of an empty line, to be reused with [`LineScan::read`].
    pub(crate) fn new() -> LineScan<'a> {
        LineScan {
            line: b"",
            offset: 0,
            commas: 0,
            ends: [0; MAX_FIELDS],
            last_comma: None,
            unprintable: None,
        }
    }

    /// Scans `record`'s line, in place (the checker keeps one scan rather
    /// than returning a new one per line).
    #[inline]
    pub(crate) fn read(&mut self, record: &Record<'a>) {
        let line = record.as_bytes();
        let ends = &mut self.ends;
        let mut commas = 0usize;
        let mut last = 0usize;
        let mut mark = |mut mask: u64, base: usize| {
            while mask != 0 {
                let at = base + (mask.trailing_zeros() / 8) as usize;
                if let Some(slot) = ends.get_mut(commas) {
                    *slot = at;
                }
                commas += 1;
                last = at;
                mask &= mask - 1;
            }
        };
        let mut bad = 0u64;
        let mut chunks = line.chunks_exact(8);
        let mut base = 0usize;
        for chunk in &mut chunks {
            if let Ok(bytes) = <[u8; 8]>::try_from(chunk) {
                let w = u64::from_le_bytes(bytes);
                bad |= unprintable_mask(w);
                mark(comma_mask(w), base);
            }
            base += 8;
        }
        let rest = chunks.remainder().len();
        if rest > 0 {
            if let Some(bytes) = line.last_chunk::<8>() {
                // The last eight bytes, minus those already read.
                let w = u64::from_le_bytes(*bytes);
                let new = !0u64 << (8 * (8 - rest));
                bad |= unprintable_mask(w) & new;
                mark(comma_mask(w) & new, line.len() - 8);
            } else {
                // A line shorter than a word: pad with spaces (printable,
                // not a comma).
                let mut bytes = [b' '; 8];
                for (b, &c) in bytes.iter_mut().zip(line) {
                    *b = c;
                }
                let w = u64::from_le_bytes(bytes);
                bad |= unprintable_mask(w);
                mark(comma_mask(w), 0);
            }
        }
        self.line = line;
        self.offset = record.offset();
        self.commas = commas;
        self.last_comma = (commas > 0).then_some(last);
        self.unprintable = if bad == 0 {
            None
        } else {
            line.iter().position(|&b| !(0x20..0x7F).contains(&b))
        };
    }

    /// The number of fields (commas plus one), as
    /// [`Record::field_count`].
    pub(crate) fn field_count(&self) -> usize {
        self.commas + 1
    }

    /// The first [`MAX_FIELDS`] fields in order, as [`Record::fields`].
    pub(crate) fn fields(&self) -> ScanFields<'_, 'a> {
        ScanFields {
            scan: self,
            index: 0,
            start: 0,
        }
    }

    /// The positions of the commas of a line with exactly `count` fields,
    /// when there are at most [`MAX_FIELDS`] (all are kept): for callers
    /// that read a known layout field by field.
    pub(crate) fn commas_of(&self, count: usize) -> Option<&[usize]> {
        if self.commas + 1 != count {
            return None;
        }
        self.ends.get(..self.commas)
    }

    /// Writes the first [`MAX_FIELDS`] fields into `buf` and returns them.
    pub(crate) fn fill<'b>(&self, buf: &'b mut [Field<'a>; MAX_FIELDS]) -> &'b [Field<'a>] {
        let mut n = 0;
        for (slot, f) in buf.iter_mut().zip(self.fields()) {
            *slot = f;
            n += 1;
        }
        &buf[..n]
    }

    /// The position of the last comma in the line.
    pub(crate) fn last_comma(&self) -> Option<usize> {
        self.last_comma
    }

    /// The position of the first byte outside printable ASCII.
    pub(crate) fn unprintable(&self) -> Option<usize> {
        self.unprintable
    }

    /// The last field, as [`Record::last_field`] (`None` without a comma).
    pub(crate) fn last_field(&self) -> Option<Field<'a>> {
        let comma = self.last_comma?;
        Some(Field::new(
            self.line.get(comma + 1..)?,
            self.offset + comma + 1,
            position(self.commas),
        ))
    }
}

/// The fields of a [`LineScan`], in order.
#[derive(Clone, Debug)]
pub(crate) struct ScanFields<'s, 'a> {
    scan: &'s LineScan<'a>,
    index: usize,
    start: usize,
}

impl<'a> Iterator for ScanFields<'_, 'a> {
    type Item = Field<'a>;

    #[inline]
    fn next(&mut self) -> Option<Field<'a>> {
        let scan = self.scan;
        if self.index >= MAX_FIELDS {
            return None;
        }
        let end = match scan.ends.get(self.index) {
            Some(&end) if self.index < scan.commas => end,
            _ if self.index == scan.commas => scan.line.len(),
            _ => return None,
        };
        let field = Field::new(
            scan.line.get(self.start..end)?,
            scan.offset + self.start,
            position(self.index),
        );
        self.index += 1;
        self.start = end + 1;
        Some(field)
    }
}

/// The 1-based position of field `index` (0-based).
fn position(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn naive_unprintable(line: &[u8]) -> Option<usize> {
        line.iter().position(|&b| !(0x20..0x7F).contains(&b))
    }

    fn agrees(line: &[u8]) {
        let record = Record::new(line, 1000, 3, None);
        let mut scan = LineScan::new();
        // A long line first, so that nothing of it may show through.
        let long = b"x,".repeat(30);
        scan.read(&Record::new(&long, 0, 0, None));
        scan.read(&record);
        assert_eq!(scan.field_count(), record.field_count(), "{line:?}");
        assert_eq!(scan.last_field(), record.last_field(), "{line:?}");
        assert_eq!(scan.unprintable(), naive_unprintable(line), "{line:?}");
        assert_eq!(scan.last_comma(), line.iter().rposition(|&b| b == b','));
        let naive: Vec<Field<'_>> = record.fields().take(MAX_FIELDS).collect();
        assert_eq!(scan.fields().collect::<Vec<_>>(), naive, "{line:?}");
        let mut buf = [Field::new(b"", 0, 0); MAX_FIELDS];
        assert_eq!(scan.fill(&mut buf), &naive[..], "{line:?}");
        let commas: Vec<usize> = (0..line.len()).filter(|&i| line[i] == b',').collect();
        let kept = (commas.len() <= MAX_FIELDS).then_some(&commas[..]);
        assert_eq!(scan.commas_of(scan.field_count()), kept, "{line:?}");
        assert_eq!(scan.commas_of(scan.field_count() + 1), None);
    }

    #[test]
    fn table() {
        for line in [
            &b""[..],
            b",",
            b",,,,,,,,",
            b"a,b",
            b"1A9F,1,2,1,1,111726,153000,,,38.19,-85.66,0,1,1,0,0,8F,6A",
            b"abc\x7f",
            b"\x1f",
            b"caf\xc3\xa9,x",
            b"~ ,,",
            b"0123456,\x80",
            b"0123456789,",
        ] {
            agrees(line);
        }
        // Every byte value, in every position of a word and of the tail.
        for b in 0..=255u8 {
            for len in [1, 7, 8, 9, 13, 16, 17] {
                for at in 0..len {
                    let mut line = b"abcdefghijklmnopq"[..len].to_vec();
                    line[at] = b;
                    agrees(&line);
                }
            }
        }
    }

    #[test]
    fn many_commas() {
        let line = b",".repeat(40);
        let record = Record::new(&line, 0, 0, None);
        let mut scan = LineScan::new();
        scan.read(&record);
        assert_eq!(scan.field_count(), 41);
        assert_eq!(scan.last_comma(), Some(39));
        assert_eq!(scan.fields().count(), MAX_FIELDS);
        agrees(&line);
    }

    proptest! {
        #[test]
        fn agrees_with_the_record_accessors(line in prop::collection::vec(
            prop_oneof![Just(b','), Just(b'A'), Just(0x7Fu8), Just(0x80u8), Just(0x1Fu8), any::<u8>()],
            0..80,
        )) {
            agrees(&line);
        }
    }
}
