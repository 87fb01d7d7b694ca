//! Byte-level splitting and (un)escaping.

use std::borrow::Cow;

use super::Delimiters;
use super::marks::{LANES, zero_lanes};

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
    while let Some(i) = find_byte(needle, &bytes[from..]) {
        let pos = from + i;
        if !is_escaped(bytes, 0, pos, release) {
            return Some(pos);
        }
        from = pos + 1;
    }
    None
}

/// Bytes looked at word by word before handing a search to memchr.
const SHORT: usize = 32;

/// Position of the first `needle` in `hay`. Most EDI elements and
/// components are a few bytes long, where memchr's setup costs more than
/// the search: the first [`SHORT`] bytes are looked at eight at a time, the
/// rest by memchr.
#[inline]
fn find_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    let pattern = LANES * u64::from(needle);
    let mut at = 0;
    while let Some(word) = hay.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let x = u64::from_le_bytes(*word) ^ pattern;
        // Exact per lane, so the lowest flagged lane is the first match.
        let zero = zero_lanes(x);
        if zero != 0 {
            return Some(at + (zero.trailing_zeros() / 8) as usize);
        }
        at += 8;
        if at >= SHORT {
            return memchr::memchr(needle, &hay[at..]).map(|i| at + i);
        }
    }
    let tail = hay.get(at..).unwrap_or_default();
    tail.iter().position(|&b| b == needle).map(|i| at + i)
}

/// An iterator over the pieces of `bytes` split on one separator, honouring
/// the release character. Yields `(offset, piece)` with the offset relative
/// to the start of `bytes`. An empty input yields one empty piece, as EDI
/// does (an element that is present but empty).
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
    pos: usize,
    sep: u8,
    release: Option<u8>,
    done: bool,
}

impl<'a> Split<'a> {
    /// Splits `bytes` on `sep`, skipping separators released by `release`.
    pub fn new(bytes: &'a [u8], sep: u8, release: Option<u8>) -> Self {
        Split {
            bytes,
            pos: 0,
            sep,
            release,
            done: false,
        }
    }
}

impl<'a> Iterator for Split<'a> {
    type Item = (usize, &'a [u8]);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let start = self.pos;
        let rest = &self.bytes[start..];
        match find_unescaped(rest, self.sep, self.release) {
            Some(i) => {
                self.pos = start + i + 1;
                Some((start, &rest[..i]))
            }
            None => {
                self.done = true;
                Some((start, rest))
            }
        }
    }
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
        // Every length up to past the word-by-word part, the needle at every
        // place (or absent), and a high byte that must not match.
        for len in 0..SHORT + 20 {
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
