//! Syntax identifiers (UNB S001 data element 0001) and the character
//! repertoires they declare.

use crate::syntax::marks;

/// The character repertoire an interchange declares in UNB S001/0001
/// ("Syntax identifier", UN/EDIFACT code list 0001).
///
/// ISO 9735-1 Annex A and code list 0001:
/// - `UNOA`: level A, upper-case letters, digits, space and
///   `. , - ( ) / = ' + : ? ! " % & * ; < >`;
/// - `UNOB`: level B, level A plus lower-case letters and the information
///   separators IS1..IS4 used as default service characters;
/// - `UNOC`..`UNOK`, `UNOL`, `UNOM`: ISO/IEC 8859 parts 1, 2, 5, 7, 3, 4, 6,
///   8, 9, 15 and 13 (8-bit graphic characters);
/// - `UNOW`: ISO/IEC 10646 in UTF-8; `UNOX`: ISO 2022 code extension
///   (escape sequences allowed); `UNOY`: ISO/IEC 10646 with code extension,
///   carried as UTF-8.
///
/// Identifiers outside the code list (`IATA`, `IATB`, `ANSI`, bilateral
/// codes) are [`Charset::Other`]: only control bytes are judged in them.
///
/// # Examples
///
/// ```
/// use ediguard::edifact::Charset;
/// assert_eq!(Charset::from_identifier(b"UNOC"), Charset::Iso8859);
/// assert!(Charset::Unoa.allows(b'A'));
/// assert!(!Charset::Unoa.allows(b'a'));
/// assert!(Charset::Unob.allows(b'a'));
/// assert_eq!(Charset::from_identifier(b"IATB"), Charset::Other);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Charset {
    /// Level A (`UNOA`).
    Unoa,
    /// Level B (`UNOB`).
    Unob,
    /// An ISO/IEC 8859 part (`UNOC`..`UNOM`): 8-bit graphic characters.
    Iso8859,
    /// ISO 2022 code extension (`UNOX`): graphic bytes and escape sequences.
    Iso2022,
    /// ISO/IEC 10646 as UTF-8 (`UNOW`, `UNOY`): well-formed UTF-8.
    Utf8,
    /// An identifier outside code list 0001 (`IATA`, `IATB`, `ANSI`, ...).
    Other,
}

/// Level A graphic characters besides letters, digits and space.
const LEVEL_A_SPECIALS: &[u8] = b".,-()/='+:?!\"%&*;<>";

const fn build(charset: u8) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0usize;
    while b < 256 {
        let c = b as u8;
        let upper = c.is_ascii_uppercase() || c.is_ascii_digit() || c == b' ';
        let mut special = false;
        let mut i = 0;
        while i < LEVEL_A_SPECIALS.len() {
            if LEVEL_A_SPECIALS[i] == c {
                special = true;
            }
            i += 1;
        }
        t[b] = match charset {
            // Level A
            0 => upper || special,
            // Level B: level A, lower case, IS1..IS4 (0x1C..0x1F).
            1 => upper || special || c.is_ascii_lowercase() || (c >= 0x1C && c <= 0x1F),
            // ISO 8859: G0 and G1 graphic sets.
            2 => (c >= 0x20 && c <= 0x7E) || c >= 0xA0,
            // ISO 2022: graphic bytes, ESC, SO, SI.
            3 => (c >= 0x20 && c <= 0x7E) || c >= 0xA0 || c == 0x1B || c == 0x0E || c == 0x0F,
            // UTF-8 and others: any byte but C0 controls and DEL (UTF-8
            // well-formedness is checked separately).
            _ => c >= 0x20 && c != 0x7F,
        };
        b += 1;
    }
    t
}

static TABLES: [[bool; 256]; 5] = [build(0), build(1), build(2), build(3), build(4)];

impl Charset {
    /// The repertoire declared by a syntax identifier (UNB S001/0001).
    pub fn from_identifier(id: &[u8]) -> Charset {
        match id {
            b"UNOA" => Charset::Unoa,
            b"UNOB" => Charset::Unob,
            b"UNOC" | b"UNOD" | b"UNOE" | b"UNOF" | b"UNOG" | b"UNOH" | b"UNOI" | b"UNOJ"
            | b"UNOK" | b"UNOL" | b"UNOM" => Charset::Iso8859,
            b"UNOX" => Charset::Iso2022,
            b"UNOW" | b"UNOY" => Charset::Utf8,
            _ => Charset::Other,
        }
    }

    /// True when `id` is in code list 0001 (the `UNOx` identifiers).
    pub fn is_known_identifier(id: &[u8]) -> bool {
        Charset::from_identifier(id) != Charset::Other
    }

    fn table(self) -> &'static [bool; 256] {
        let i = match self {
            Charset::Unoa => 0,
            Charset::Unob => 1,
            Charset::Iso8859 => 2,
            Charset::Iso2022 => 3,
            Charset::Utf8 | Charset::Other => 4,
        };
        &TABLES[i]
    }

    /// True when the byte may appear in data under this repertoire
    /// (service characters declared by UNA are allowed separately).
    #[inline]
    pub fn allows(self, b: u8) -> bool {
        self.table()[b as usize]
    }

    /// Position of the first byte of `bytes` that is not allowed, and is not
    /// one of `extra` (the interchange's service characters).
    #[inline]
    pub fn first_invalid(self, bytes: &[u8], extra: &[u8]) -> Option<usize> {
        let table = self.table();
        let mut from = 0;
        while let Some(i) = bytes
            .get(from..)
            .and_then(|rest| rest.iter().position(|&b| !table[b as usize]))
        {
            let pos = from + i;
            match bytes.get(pos) {
                Some(b) if extra.contains(b) => from = pos + 1,
                Some(_) => return Some(pos),
                None => return None,
            }
        }
        None
    }
}

/// One interchange's byte check: the repertoire's table with the
/// interchange's service characters allowed, built once per interchange so
/// that each segment is checked in one pass (ISO 9735-1 Annex A: every byte
/// of a segment belongs to the declared repertoire or is a service
/// character).
#[derive(Clone, Debug)]
pub(crate) struct Scanner {
    table: [bool; 256],
    /// Every printable ASCII byte (0x20..=0x7E) is allowed, so words of
    /// eight such bytes can be accepted without a table lookup.
    printable: bool,
}

/// Bytes per block of [`Blocks`].
const BLOCK: usize = marks::BLOCK;

/// The marks of the 64-byte block of the input that [`Scanner::frame_at`]
/// last read.
#[derive(Debug)]
pub(crate) struct Blocks {
    /// Offset of the block the marks describe (`usize::MAX` before the
    /// first).
    base: usize,
    marks: u64,
}

impl Default for Blocks {
    fn default() -> Self {
        Blocks {
            base: usize::MAX,
            marks: 0,
        }
    }
}

impl Blocks {
    /// Reads the block at `at` (`at` inside `input`): marks for the bytes
    /// `a` and `b` and those outside printable ASCII; bytes past the end of
    /// the input are not marked.
    fn load(&mut self, input: &[u8], at: usize, a: u8, b: u8) {
        self.base = at;
        self.marks = marks::special_at(input, at, a, b);
    }
}

/// Each byte of the word, 0x01.
const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
/// Each byte of the word, 0x80.
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// True when some byte of `w` is outside 0x20..=0x7E. Exact as to whether
/// one is (the classic has-less / has-more bit tricks; which byte is not
/// reported, so a flagged word is rescanned byte by byte).
#[inline]
fn has_non_printable(w: u64) -> bool {
    let below = w.wrapping_sub(ONES * 0x20) & !w;
    let above = w.wrapping_add(ONES) | w;
    (below | above) & HIGHS != 0
}

/// Each byte of the word, 0x7F.
const LOWS: u64 = u64::from_ne_bytes([0x7F; 8]);

/// Bit 7 of each byte of `w` that is zero; exact per byte (no carry
/// crosses bytes, so every flagged byte is one).
#[cfg(test)]
fn zero_bytes(w: u64) -> u64 {
    !(((w & LOWS).wrapping_add(LOWS)) | w) & HIGHS
}

/// Bit 7 of each byte of `w` that is a byte of `t` or of `r` (both
/// repeated in every byte) or outside 0x20..=0x7E; exact per byte. The same
/// as `zero_bytes(w ^ t) | zero_bytes(w ^ r) | non_printable_bytes(w)` in
/// fewer operations.
#[inline]
fn special_bytes(w: u64, t: u64, r: u64) -> u64 {
    let xt = w ^ t;
    let xr = w ^ r;
    // Bit 7 set when the byte is not t (not r).
    let not_t = (xt & LOWS).wrapping_add(LOWS) | xt;
    let not_r = (xr & LOWS).wrapping_add(LOWS) | xr;
    let low = w & LOWS;
    // Bit 7 set when the low seven bits are at least 0x20 (0x7F).
    let ge_space = low.wrapping_add(ONES * 0x60);
    let del = low.wrapping_add(ONES);
    !(not_t & not_r & ge_space & !(w | del)) & HIGHS
}

/// Bit 7 of each byte of `w` outside 0x20..=0x7E; exact per byte.
#[cfg(test)]
fn non_printable_bytes(w: u64) -> u64 {
    let low = w & LOWS;
    // Bit 7 set when the low seven bits are at least 0x20.
    let ge_space = low.wrapping_add(ONES * 0x60);
    // Bit 7 set when the low seven bits are 0x7F.
    let del = low.wrapping_add(ONES);
    (w | !ge_space | del) & HIGHS
}

impl Scanner {
    /// The check for `charset` with the service characters `extra` allowed.
    pub(crate) fn new(charset: Charset, extra: &[u8]) -> Scanner {
        let mut table = *charset.table();
        for &b in extra {
            table[usize::from(b)] = true;
        }
        let printable = table
            .get(0x20..0x7F)
            .is_some_and(|r| r.iter().all(|&ok| ok));
        Scanner { table, printable }
    }

    /// Position of the first byte of `bytes` that is not allowed.
    #[inline]
    pub(crate) fn first_invalid(&self, bytes: &[u8]) -> Option<usize> {
        let mut base = 0;
        if self.printable {
            let mut chunks = bytes.chunks_exact(8);
            for chunk in &mut chunks {
                let Ok(word) = <[u8; 8]>::try_from(chunk) else {
                    break;
                };
                if has_non_printable(u64::from_le_bytes(word)) {
                    if let Some(i) = self.scan(chunk) {
                        return Some(base + i);
                    }
                }
                base += 8;
            }
            return self.scan(chunks.remainder()).map(|i| base + i);
        }
        self.scan(bytes)
    }

    /// Frames one segment at the start of `rest` and checks its bytes in
    /// the same pass: the position of the first `terminator` not released
    /// by `release` (ISO 9735-1 §7.1: the release character makes the one
    /// byte after it data), and the position of the first byte before it
    /// that is not allowed. The same answers as
    /// [`find_unescaped`](crate::syntax::find_unescaped) followed by
    /// [`Scanner::first_invalid`] on the segment's bytes.
    ///
    /// When every printable ASCII byte is allowed, the segment is read eight
    /// bytes at a time: exact per-byte masks flag the terminator, the release
    /// character and the bytes outside printable ASCII, and only the flagged
    /// bytes are looked at, in order (a release character clears the flag of
    /// the byte it releases).
    #[inline]
    pub(crate) fn frame(
        &self,
        rest: &[u8],
        terminator: u8,
        release: Option<u8>,
    ) -> (Option<usize>, Option<usize>) {
        if !self.printable {
            let end = crate::syntax::find_unescaped(rest, terminator, release);
            let bytes = rest.get(..end.unwrap_or(rest.len())).unwrap_or(rest);
            return (end, self.first_invalid(bytes));
        }
        let t = ONES.wrapping_mul(u64::from(terminator));
        // Without a release character, look for the terminator twice.
        let r = ONES.wrapping_mul(u64::from(release.unwrap_or(terminator)));
        let mut bad = None;
        // Bit 7 of the first byte of the word is cleared when that byte is
        // released by the last byte of the previous word.
        let mut keep = !0u64;
        let mut chunks = rest.chunks_exact(8);
        let mut i = 0;
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let w = u64::from_le_bytes(word);
            // Terminators, release characters and bytes outside printable
            // ASCII, one high bit each; everything else is allowed.
            let special = special_bytes(w, t, r) & keep;
            keep = !0;
            if special != 0 {
                if let Some(end) = self.flagged(
                    rest, i, w, special, terminator, release, &mut bad, &mut keep,
                ) {
                    return (end, bad);
                }
            }
            i += 8;
        }
        let tail = chunks.remainder();
        if tail.is_empty() {
            return (None, bad);
        }
        let mut word = [0u8; 8];
        if let Some(dst) = word.get_mut(..tail.len()) {
            dst.copy_from_slice(tail);
        }
        let w = u64::from_le_bytes(word);
        let valid = (1u64 << (8 * tail.len())) - 1;
        let special = special_bytes(w, t, r) & keep & valid;
        if let Some(end) = self.flagged(
            rest, i, w, special, terminator, release, &mut bad, &mut keep,
        ) {
            return (end, bad);
        }
        (None, bad)
    }

    /// [`Scanner::frame`] for the segment starting at `input[pos..]`, with
    /// positions relative to `pos`, reading the input in 64-byte blocks
    /// whose marks (terminator, release character, bytes outside printable
    /// ASCII: [`crate::syntax::marks`]) `blocks` keeps between calls, so
    /// consecutive short segments share one block. Each segment then costs
    /// one step per marked byte: its terminator, plus any release
    /// character or unprintable byte.
    #[inline]
    pub(crate) fn frame_at(
        &self,
        blocks: &mut Blocks,
        input: &[u8],
        pos: usize,
        terminator: u8,
        release: Option<u8>,
    ) -> (Option<usize>, Option<usize>) {
        if !self.printable {
            return self.frame(input.get(pos..).unwrap_or_default(), terminator, release);
        }
        let r = release.unwrap_or(terminator);
        let mut bad = None;
        let mut from = pos;
        loop {
            let off = match from.checked_sub(blocks.base) {
                Some(off) if off < BLOCK => off,
                _ => {
                    if from >= input.len() {
                        return (None, bad);
                    }
                    blocks.load(input, from, terminator, r);
                    0
                }
            };
            // `off` < 64 here, so the shift is in range.
            let hits = blocks.marks & (u64::MAX << off);
            if hits == 0 {
                from = blocks.base + BLOCK;
                continue;
            }
            let p = blocks.base + hits.trailing_zeros() as usize;
            let Some(&b) = input.get(p) else {
                return (None, bad);
            };
            if b == terminator {
                return (Some(p - pos), bad);
            }
            if bad.is_none() && !self.table[usize::from(b)] {
                bad = Some(p - pos);
            }
            from = p + 1;
            if release == Some(b) {
                // The next byte is data, whatever it is.
                let Some(&n) = input.get(p + 1) else {
                    return (None, bad);
                };
                if bad.is_none() && !self.table[usize::from(n)] {
                    bad = Some(p + 1 - pos);
                }
                from = p + 2;
            }
        }
    }

    /// The flagged bytes of the word `w` at `rest[i..]`, in order: returns
    /// `Some(end)` when the segment ends here (at a terminator, or with the
    /// input after a release character), and notes the first byte not
    /// allowed in `bad`. A release character clears the flag of the byte it
    /// releases (in `keep` for the next word when that byte starts it).
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn flagged(
        &self,
        rest: &[u8],
        i: usize,
        w: u64,
        mut special: u64,
        terminator: u8,
        release: Option<u8>,
        bad: &mut Option<usize>,
        keep: &mut u64,
    ) -> Option<Option<usize>> {
        while special != 0 {
            let j = (special.trailing_zeros() / 8) as usize;
            special &= special - 1;
            let p = i + j;
            let b = (w >> (8 * j)) as u8;
            if b == terminator {
                return Some(Some(p));
            }
            if bad.is_none() && !self.table[usize::from(b)] {
                *bad = Some(p);
            }
            if release == Some(b) {
                // The next byte is data, whatever it is.
                let Some(&n) = rest.get(p + 1) else {
                    return Some(None);
                };
                if bad.is_none() && !self.table[usize::from(n)] {
                    *bad = Some(p + 1);
                }
                if j == 7 {
                    *keep = !0x80;
                } else {
                    special &= !(0x80u64 << (8 * (j + 1)));
                }
            }
        }
        None
    }

    #[inline]
    fn scan(&self, bytes: &[u8]) -> Option<usize> {
        bytes.iter().position(|&b| !self.table[usize::from(b)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_table() {
        let cases: &[(&[u8], Charset)] = &[
            (b"UNOA", Charset::Unoa),
            (b"UNOB", Charset::Unob),
            (b"UNOC", Charset::Iso8859),
            (b"UNOK", Charset::Iso8859),
            (b"UNOL", Charset::Iso8859),
            (b"UNOX", Charset::Iso2022),
            (b"UNOY", Charset::Utf8),
            (b"UNOW", Charset::Utf8),
            (b"IATA", Charset::Other),
            (b"unoa", Charset::Other),
            (b"", Charset::Other),
        ];
        for (id, want) in cases {
            assert_eq!(Charset::from_identifier(id), *want, "{id:?}");
        }
    }

    #[test]
    fn repertoire_table() {
        let cases: &[(Charset, u8, bool)] = &[
            (Charset::Unoa, b'Z', true),
            (Charset::Unoa, b'z', false),
            (Charset::Unoa, b'#', false),
            (Charset::Unoa, b'@', false),
            (Charset::Unoa, b'>', true),
            (Charset::Unoa, 0xDC, false),
            (Charset::Unob, b'z', true),
            (Charset::Unob, 0x1D, true),
            (Charset::Unob, b'\n', false),
            (Charset::Iso8859, 0xDC, true),
            (Charset::Iso8859, 0x85, false),
            (Charset::Iso8859, 0x7F, false),
            (Charset::Iso2022, 0x1B, true),
            (Charset::Utf8, 0xC3, true),
            (Charset::Utf8, 0x00, false),
            (Charset::Other, b'\r', false),
        ];
        for (cs, b, want) in cases {
            assert_eq!(cs.allows(*b), *want, "{cs:?} {b:#x}");
        }
    }

    #[test]
    fn first_invalid_skips_extra() {
        assert_eq!(Charset::Unoa.first_invalid(b"AB~C", b"~"), None);
        assert_eq!(Charset::Unoa.first_invalid(b"AB~c", b"~"), Some(3));
        assert_eq!(Charset::Unoa.first_invalid(b"", b""), None);
    }

    #[test]
    fn scanner_agrees_with_first_invalid() {
        let charsets = [
            Charset::Unoa,
            Charset::Unob,
            Charset::Iso8859,
            Charset::Iso2022,
            Charset::Utf8,
            Charset::Other,
        ];
        let mut inputs: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"NAD+CN+BGF01::ZZZ++O?'HARA".to_vec(),
            b"FTX+AAI+++PALLETS 22?: PAPER TOWELS".to_vec(),
            b"ABCDEFGHabcdefgh\x7f".to_vec(),
        ];
        // Every byte value at every position of a word, and in the tail.
        for b in 0..=255u8 {
            for at in [0, 3, 7, 8, 15, 17] {
                let mut v = b"ABCDEFGHIJKLMNOPQR".to_vec();
                v[at] = b;
                inputs.push(v);
            }
        }
        for cs in charsets {
            let scanner = Scanner::new(cs, b"+:'?*");
            for input in &inputs {
                assert_eq!(
                    scanner.first_invalid(input),
                    cs.first_invalid(input, b"+:'?*"),
                    "{cs:?} {input:?}"
                );
            }
        }
    }

    #[test]
    fn frame_agrees_with_find_unescaped() {
        let mut inputs: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"'".to_vec(),
            b"?'".to_vec(),
            b"??'x'".to_vec(),
            b"???'x'".to_vec(),
            b"NAD+CN+BGF01::ZZZ++O?'HARA ?+ BLUEGRASS'\nNEXT'".to_vec(),
            b"FTX+AAI+++PALLETS 22?: PAPER TOWELS, RATIO 1??2'".to_vec(),
            b"ABCDEFG?".to_vec(),
            b"ABCDEFGHIJKLMNO?".to_vec(),
        ];
        for special in [b'\'', b'?', b'\n', 0x1c, 0xc3, 0x7f] {
            for at in [0, 6, 7, 8, 9, 15, 16, 20] {
                let mut v = b"ABCDEFGHIJKLMNOPQRSTU".to_vec();
                v[at] = special;
                inputs.push(v.clone());
                v[at.saturating_sub(1)] = b'?';
                inputs.push(v);
            }
        }
        let charsets = [Charset::Unoa, Charset::Iso8859, Charset::Utf8];
        for cs in charsets {
            for release in [Some(b'?'), None] {
                let extra: &[u8] = if release.is_some() { b"+:'?" } else { b"+:'" };
                let scanner = Scanner::new(cs, extra);
                for input in &inputs {
                    let end = crate::syntax::find_unescaped(input, b'\'', release);
                    let bytes = &input[..end.unwrap_or(input.len())];
                    let want = (end, cs.first_invalid(bytes, extra));
                    assert_eq!(
                        scanner.frame(input, b'\'', release),
                        want,
                        "{cs:?} {release:?} {input:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn non_printable_word_test() {
        let word = |b: &[u8; 8]| has_non_printable(u64::from_le_bytes(*b));
        assert!(!word(b"ABCD ~xy"));
        assert!(word(b"ABCD\x1fxyz"));
        assert!(word(b"ABCD\x7fxyz"));
        assert!(word(b"\xffBCDEFGH"));
        assert!(word(b"ABCDEFG\x80"));
        assert!(word(b"\x00BCDEFGH"));
    }

    /// The word masks against a byte-by-byte oracle: every byte value at
    /// every position, next to bytes that could disturb a carry.
    #[test]
    fn special_bytes_exact_per_byte() {
        let oracle = |w: [u8; 8], t: u8, r: u8| -> u64 {
            let mut m = 0;
            for (k, &b) in w.iter().enumerate() {
                if b == t || b == r || !(0x20..=0x7E).contains(&b) {
                    m |= 0x80u64 << (8 * k);
                }
            }
            m
        };
        for (t, r) in [(b'\'', b'?'), (0x1c, 0x1c), (0x00, 0xff), (b'~', b'~')] {
            let (tw, rw) = (ONES * u64::from(t), ONES * u64::from(r));
            for fill in [b'A', 0x00, 0x7f, 0x80, 0xff, t, r] {
                for b in 0..=255u8 {
                    for at in 0..8 {
                        let mut w = [fill; 8];
                        w[at] = b;
                        let x = u64::from_le_bytes(w);
                        let want = oracle(w, t, r);
                        assert_eq!(special_bytes(x, tw, rw), want, "{t} {r} {w:?}");
                        assert_eq!(
                            zero_bytes(x ^ tw) | zero_bytes(x ^ rw) | non_printable_bytes(x),
                            want,
                            "{w:?}"
                        );
                    }
                }
            }
        }
    }

    proptest::proptest! {
        /// Framing agrees with find_unescaped + first_invalid on inputs
        /// dense in terminators, release characters, layout and 8-bit bytes.
        #[test]
        fn frame_agrees_on_random_input(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b'A', b'z', b'+', b':', b'\'', b'?', b'\n', 0x1d, 0xc3, 0x7f, b' ']),
                0..80,
            ),
            cs in proptest::sample::select(vec![Charset::Unoa, Charset::Iso8859, Charset::Utf8, Charset::Other]),
            with_release in proptest::bool::ANY,
        ) {
            let release = with_release.then_some(b'?');
            let extra: &[u8] = if with_release { b"+:'?" } else { b"+:'" };
            let scanner = Scanner::new(cs, extra);
            for start in 0..bytes.len().min(10) {
                let input = &bytes[start..];
                let end = crate::syntax::find_unescaped(input, b'\'', release);
                let seg = &input[..end.unwrap_or(input.len())];
                let want = (end, cs.first_invalid(seg, extra));
                proptest::prop_assert_eq!(scanner.frame(input, b'\'', release), want);
            }
        }

        /// Block framing walks an input segment by segment, as the parser
        /// does (skipping a line break now and then, and starting fresh
        /// scanners anywhere), with the same answers as `frame`, across
        /// block boundaries.
        #[test]
        fn frame_at_agrees_with_frame(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b'A', b'A', b'A', b'z', b'+', b'\'', b'?', b'\n', 0x1d, 0xc3, 0x7f]),
                0..300,
            ),
            cs in proptest::sample::select(vec![Charset::Unoa, Charset::Iso8859, Charset::Utf8, Charset::Other]),
            with_release in proptest::bool::ANY,
            first in 0usize..70,
        ) {
            let release = with_release.then_some(b'?');
            let extra: &[u8] = if with_release { b"+:'?" } else { b"+:'" };
            let scanner = Scanner::new(cs, extra);
            let mut blocks = Blocks::default();
            let mut pos = first.min(bytes.len());
            while pos < bytes.len() {
                let want = scanner.frame(&bytes[pos..], b'\'', release);
                let got = scanner.frame_at(&mut blocks, &bytes, pos, b'\'', release);
                proptest::prop_assert_eq!(got, want, "at {}", pos);
                match got.0 {
                    Some(end) => pos += end + 1 + usize::from(bytes.get(pos + end + 1) == Some(&b'\n')),
                    None => break,
                }
            }
        }
    }
}
