//! Byte-level splitting and (un)escaping.

use std::borrow::Cow;

use super::Delimiters;
use super::marks::{CHUNK, equal16};

/// True when the byte at `pos` is released (escaped): it is preceded, within
/// `token_start..pos`, by an odd-length run of release characters.
///
/// ISO 9735-1 §7.1: a release character applies to the single byte after it,
/// so `??` is a literal `?` and does not release what follows.
///
/// # Examples
///
/// ```
/// use ediguard::syntax::is_escaped;
/// assert!(is_escaped(b"a?+", 0, 2, Some(b'?')));
/// assert!(!is_escaped(b"a??+", 0, 3, Some(b'?')));
/// assert!(!is_escaped(b"a+", 0, 1, None));
/// ```
#[inline]
pub fn is_escaped(bytes: &[u8], token_start: usize, pos: usize, release: Option<u8>) -> bool {
    let Some(r) = release else { return false };
    let run = bytes[token_start..pos]
        .iter()
        .rev()
        .take_while(|&&b| b == r)
        .count();
    run % 2 == 1
}

/// Position (relative to `bytes`) of the first `needle` that is not released.
///
/// # Examples
///
/// ```
/// use ediguard::syntax::find_unescaped;
/// assert_eq!(find_unescaped(b"ab?'c'd", b'\'', Some(b'?')), Some(5));
/// assert_eq!(find_unescaped(b"ab~c", b'~', None), Some(2));
/// ```
#[inline]
pub fn find_unescaped(bytes: &[u8], needle: u8, release: Option<u8>) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = find_byte(needle, bytes.get(from..)?) {
        let pos = from + i;
        if !release.is_some_and(|r| released(bytes, 0, pos, r)) {
            return Some(pos);
        }
        from = pos + 1;
    }
    None
}

/// Bytes looked at sixteen at a time before handing a search to memchr.
const SHORT: usize = 64;

/// Position of the first `needle` in `hay`. Most EDI segments, elements and
/// components are a few bytes long, where memchr's setup costs more than
/// the search: the first [`SHORT`] bytes are looked at sixteen at a time
/// (see [`equal16`]), the rest by memchr.
#[inline]
fn find_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(chunk) = hay.get(at..).and_then(<[u8]>::first_chunk::<CHUNK>) {
        let m = equal16(chunk, needle);
        if m != 0 {
            return Some(at + m.trailing_zeros() as usize);
        }
        at += CHUNK;
        if at >= SHORT {
            return find_far(needle, hay, at);
        }
    }
    find_short(needle, hay, at)
}

/// [`find_byte`] in the fewer than sixteen bytes left from `at`, out of
/// line (the search in a long input ends before).
#[inline(never)]
fn find_short(needle: u8, hay: &[u8], at: usize) -> Option<usize> {
    let m = short_separators(hay, at, needle);
    (m != 0).then(|| at + m.trailing_zeros() as usize)
}

/// [`find_byte`] past its first [`SHORT`] bytes, by memchr, out of line.
#[inline(never)]
fn find_far(needle: u8, hay: &[u8], at: usize) -> Option<usize> {
    memchr::memchr(needle, hay.get(at..)?).map(|i| at + i)
}

/// An iterator over the pieces of `bytes` split on one separator, honouring
/// the release character. Yields `(offset, piece)` with the offset relative
/// to the start of `bytes`. An empty input yields one empty piece, as EDI
/// does (an element that is present but empty).
///
/// The bytes are looked at 64 at a time: each window's separators are
/// found at once (sixteen bytes per compare) and kept as a bit mask, so the
/// pieces of one window (most EDI segments, and nearly all elements and
/// components, fit in one) cost a bit scan each, not a search.
///
/// # Examples
///
/// ```
/// use ediguard::syntax::Split;
/// let parts: Vec<_> = Split::new(b"a+b?+c+", b'+', Some(b'?')).map(|(_, p)| p).collect();
/// assert_eq!(parts, vec![&b"a"[..], b"b?+c", b""]);
/// ```
#[derive(Clone, Debug)]
pub struct Split<'a> {
    bytes: &'a [u8],
    /// Where the next piece starts; past `bytes.len()` once the last piece
    /// was yielded.
    start: usize,
    /// Offset of the window whose separators are in `hits`.
    window: usize,
    /// Bit `i` set where byte `window + i` is a separator not yet yielded.
    hits: u64,
    sep: u8,
    release: Option<u8>,
}

impl<'a> Split<'a> {
    /// Splits `bytes` on `sep`, skipping separators released by `release`.
    #[inline]
    pub fn new(bytes: &'a [u8], sep: u8, release: Option<u8>) -> Self {
        Split {
            bytes,
            start: 0,
            window: 0,
            hits: separators(bytes, 0, sep),
            sep,
            release,
        }
    }
}

impl<'a> Iterator for Split<'a> {
    type Item = (usize, &'a [u8]);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.hits != 0 {
                let end = self.window + self.hits.trailing_zeros() as usize;
                self.hits &= self.hits - 1;
                if let Some(r) = self.release {
                    if released(self.bytes, self.start, end, r) {
                        continue;
                    }
                }
                let start = self.start;
                self.start = end + 1;
                return Some((start, self.bytes.get(start..end).unwrap_or_default()));
            }
            let len = self.bytes.len();
            let next = self.window + WINDOW;
            if next < len {
                self.window = next;
                self.hits = later_separators(self.bytes, next, self.sep);
                continue;
            }
            // No separator left: the rest is the last piece.
            let start = self.start;
            let last = self.bytes.get(start..)?;
            self.start = len + 1;
            return Some((start, last));
        }
    }
}

/// True when the separator at `at` is released: the byte before it (within
/// the piece from `start`) is the release character, and the run of release
/// characters there is odd (see [`is_escaped`]).
#[inline]
fn released(bytes: &[u8], start: usize, at: usize, r: u8) -> bool {
    at > start && bytes.get(at - 1) == Some(&r) && odd_run(bytes, start, at, r)
}

/// [`is_escaped`] out of line: reached only where a release character
/// stands before a separator.
#[cold]
#[inline(never)]
fn odd_run(bytes: &[u8], start: usize, at: usize, r: u8) -> bool {
    is_escaped(bytes, start, at, Some(r))
}

/// [`separators`] for a window after the first, out of line: only pieces
/// longer than a window get there, and keeping it out of the loop over
/// pieces keeps that loop short.
#[inline(never)]
fn later_separators(bytes: &[u8], at: usize, sep: u8) -> u64 {
    separators(bytes, at, sep)
}

/// Bytes whose separators [`Split`] finds at once.
const WINDOW: usize = 64;

/// Bit `i` set where byte `at + i` (`at` < `bytes.len()`, `i` < 64) is
/// `sep`; bits past the end of `bytes` are clear. Most segments, elements
/// and components fit in one window, so they cost one call.
#[inline]
fn separators(bytes: &[u8], at: usize, sep: u8) -> u64 {
    let rest = bytes.get(at..).unwrap_or_default();
    let n = rest.len();
    let mark = |i: usize| {
        rest.get(i..)
            .and_then(<[u8]>::first_chunk::<CHUNK>)
            .map_or(0, |c| u64::from(equal16(c, sep)) << i)
    };
    if n >= WINDOW {
        return mark(0) | mark(16) | mark(32) | mark(48);
    }
    if let Some(last) = rest.last_chunk::<CHUNK>() {
        // The last sixteen bytes, and the whole chunks before them (the
        // overlap is marked twice, alike).
        let mut m = mark(0) | u64::from(equal16(last, sep)) << (n - CHUNK);
        if n > 2 * CHUNK {
            m |= mark(CHUNK);
        }
        if n > 3 * CHUNK {
            m |= mark(2 * CHUNK);
        }
        return m;
    }
    u64::from(short_separators(bytes, at, sep))
}

/// [`separators`] where fewer than sixteen bytes are left from `at`: read
/// with overlapping loads rather than a copy. Zero when none are left.
#[inline]
fn short_separators(bytes: &[u8], at: usize, sep: u8) -> u32 {
    let rest = bytes.get(at..).unwrap_or_default();
    let n = rest.len();
    if n == 0 {
        return 0;
    }
    // With sixteen bytes in all, the last sixteen, the marks of bytes
    // before `at` shifted out.
    if let Some(last) = bytes.last_chunk::<CHUNK>() {
        return equal16(last, sep) >> (CHUNK - n.min(CHUNK));
    }
    // A short input (`at` is 0): its first and last eight (or four) bytes
    // side by side, their marks put back in place.
    let mut pair = [0u8; CHUNK];
    if let (Some(lo), Some(hi)) = (rest.first_chunk::<8>(), rest.last_chunk::<8>()) {
        pair[..8].copy_from_slice(lo);
        pair[8..].copy_from_slice(hi);
        let m = equal16(&pair, sep);
        return (m & 0xFF) | (m >> 8) << (n - 8);
    }
    if let (Some(lo), Some(hi)) = (rest.first_chunk::<4>(), rest.last_chunk::<4>()) {
        pair[..4].copy_from_slice(lo);
        pair[4..8].copy_from_slice(hi);
        let m = equal16(&pair, sep);
        return (m & 0xF) | (m >> 4 & 0xF) << (n - 4);
    }
    rest.iter()
        .enumerate()
        .fold(0, |m, (i, &b)| m | u32::from(b == sep) << i)
}

/// Removes release characters: each release character makes the next byte
/// literal. A release character at the very end (nothing to release) is kept.
/// Borrowed when there is nothing to remove.
///
/// # Examples
///
/// ```
/// use ediguard::syntax::unescape;
/// assert_eq!(&*unescape(b"a?+b??c?'", Some(b'?')), b"a+b?c'");
/// assert!(matches!(unescape(b"plain", Some(b'?')), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn unescape(bytes: &[u8], release: Option<u8>) -> Cow<'_, [u8]> {
    let Some(r) = release else {
        return Cow::Borrowed(bytes);
    };
    let Some(first) = memchr::memchr(r, bytes) else {
        return Cow::Borrowed(bytes);
    };
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..first]);
    let mut i = first;
    while i < bytes.len() {
        let b = bytes[i];
        if b == r && i + 1 < bytes.len() {
            out.push(bytes[i + 1]);
            i += 2;
        } else {
            out.push(b);
            i += 1;
        }
    }
    Cow::Owned(out)
}

/// Escapes every delimiter in `value` with the release character, for
/// writing. Without a release character the value is returned unchanged
/// (X12 has no escape: a writer must reject values containing delimiters).
/// Borrowed when nothing needs escaping.
///
/// # Examples
///
/// ```
/// use ediguard::syntax::{escape, unescape, Delimiters};
/// let d = Delimiters::EDIFACT_DEFAULT;
/// let escaped = escape(b"O'Brien+Sons?", &d);
/// assert_eq!(&*escaped, b"O?'Brien?+Sons??");
/// assert_eq!(&*unescape(&escaped, d.release), b"O'Brien+Sons?");
/// ```
pub fn escape<'v>(value: &'v [u8], delimiters: &Delimiters) -> Cow<'v, [u8]> {
    let Some(r) = delimiters.release else {
        return Cow::Borrowed(value);
    };
    if !value.iter().any(|&b| delimiters.is_delimiter(b)) {
        return Cow::Borrowed(value);
    }
    let mut out = Vec::with_capacity(value.len() + 8);
    for &b in value {
        if delimiters.is_delimiter(b) {
            out.push(r);
        }
        out.push(b);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_byte_agrees_with_position() {
        // Every length up to past the chunk-by-chunk part (under Miri, which
        // checks the SSE2 loads, the lengths around chunk edges), the needle
        // at every place (or absent), and a high byte that must not match.
        let edge = |len: &usize| !cfg!(miri) || matches!(len % CHUNK, 0 | 1 | 4 | 8 | 15);
        for len in (0..SHORT + 20).filter(edge) {
            for at in 0..=len {
                let mut hay = vec![b'A'; len];
                if let Some(b) = hay.get_mut(at) {
                    *b = b'*';
                }
                if len > 3 {
                    hay[len / 2] ^= 0x80;
                }
                let want = hay.iter().position(|&b| b == b'*');
                assert_eq!(find_byte(b'*', &hay), want, "{len} {at}");
                assert_eq!(
                    find_byte(b'*' | 0x80, &hay),
                    hay.iter().position(|&b| b == b'*' | 0x80)
                );
            }
        }
    }

    fn pieces(input: &[u8], sep: u8, release: Option<u8>) -> Vec<(usize, Vec<u8>)> {
        Split::new(input, sep, release)
            .map(|(o, p)| (o, p.to_vec()))
            .collect()
    }

    type SplitCase<'a> = (&'a [u8], Option<u8>, &'a [(usize, &'a [u8])]);

    #[test]
    fn split_table() {
        let q = Some(b'?');
        let cases: &[SplitCase<'_>] = &[
            (b"", None, &[(0, b"")]),
            (b"a", None, &[(0, b"a")]),
            (b"a+", None, &[(0, b"a"), (2, b"")]),
            (b"+a", None, &[(0, b""), (1, b"a")]),
            (b"a?+b", q, &[(0, b"a?+b")]),
            (b"a??+b", q, &[(0, b"a??"), (4, b"b")]),
            (b"a???+b", q, &[(0, b"a???+b")]),
            (b"?+", q, &[(0, b"?+")]),
            (b"a?+b", None, &[(0, b"a?"), (3, b"b")]),
        ];
        for (input, release, expected) in cases {
            let want: Vec<(usize, Vec<u8>)> =
                expected.iter().map(|(o, p)| (*o, p.to_vec())).collect();
            assert_eq!(pieces(input, b'+', *release), want, "{input:?}");
        }
    }

    #[test]
    fn unescape_table() {
        let q = Some(b'?');
        let cases: &[(&[u8], &[u8])] = &[
            (b"", b""),
            (b"abc", b"abc"),
            (b"??", b"?"),
            (b"?'", b"'"),
            (b"a?b", b"ab"),
            (b"a?", b"a?"),
            (b"???+", b"?+"),
        ];
        for (input, expected) in cases {
            assert_eq!(&*unescape(input, q), *expected, "{input:?}");
        }
    }
}
