//! The interchange scanner: finds ISA headers, reads each one's delimiters,
//! and splits the interchange into segments with memchr.

use std::ops::Range;

use super::isa::{IsaShape, read_isa};
use super::scan::{Blocks, HIGH, LANES, Tag, head_word, starts_with3};
use super::view::{Buffers, Interchange, Stray, Structure};
use crate::format::BOM;
use crate::rules;
use crate::syntax::Delimiters;
use crate::{Error, ErrorKind, Finding, Limits, Location};

/// Reads the interchanges of an input, one after another.
///
/// Each interchange's delimiters come from its own ISA header, so one input
/// may hold interchanges with different delimiters. Headers are recognised
/// only where a segment may start, so `ISA` inside data never starts an
/// interchange.
///
/// # Examples
///
/// ```
/// use ediguard::x12::Parser;
/// let input = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~\
/// GS*SM*SENDER*RECEIVER*20240101*1200*1*X*004010~ST*204*0001~B2**NLFX**SH1~SE*3*0001~GE*1*1~IEA*1*000000001~";
/// let mut count = 0;
/// for interchange in Parser::new(input).interchanges() {
///     let interchange = interchange.unwrap();
///     assert_eq!(interchange.sender_id(), b"SENDER");
///     let group = interchange.groups().next().unwrap();
///     let set = group.transaction_sets().next().unwrap();
///     assert_eq!(set.id(), b"204");
///     assert_eq!(set.segments().count(), 3);
///     count += 1;
/// }
/// assert_eq!(count, 1);
/// ```
#[derive(Clone, Debug)]
pub struct Parser<'a> {
    input: &'a [u8],
    limits: Limits,
}

impl<'a> Parser<'a> {
    /// A parser over `input` with default [`Limits`].
    pub fn new(input: &'a [u8]) -> Self {
        Parser {
            input,
            limits: Limits::default(),
        }
    }

    /// Replaces the limits.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The interchanges from the ISA at `at` on, `at` being an interchange
    /// boundary (nothing before it is looked at).
    pub(crate) fn interchanges_from(&self, at: usize) -> Interchanges<'a> {
        Interchanges {
            origin: at,
            ..self.interchanges()
        }
    }

    /// The interchanges, in input order. Each item is an
    /// [`Interchange`] or an [`Error`]: the first item is an error of kind
    /// [`ErrorKind::Unrecognized`] when the input holds no ISA header, or
    /// [`ErrorKind::Malformed`] when its only ISA is too short to hold its
    /// delimiters; an exceeded [`Limits`] bound is an error of kind
    /// [`ErrorKind::Limit`] and ends the iteration.
    pub fn interchanges(&self) -> Interchanges<'a> {
        Interchanges {
            input: self.input,
            limits: self.limits.clone(),
            next: None,
            started: false,
            done: false,
            count: 0,
            segments: 0,
            line_breaks_reported: false,
            pending: Vec::new(),
            segs_hint: MIN_SEGS_HINT,
            spare: Buffers::default(),
            origin: 0,
        }
    }
}

/// Bounds of the segment-index capacity reserved for the next interchange
/// (the previous interchange's segment count, clamped).
const MIN_SEGS_HINT: usize = 64;
const MAX_SEGS_HINT: usize = 4096;

/// Parses every interchange of `input` (a shorthand for
/// [`Parser::interchanges`] collected).
///
/// # Examples
///
/// ```
/// use ediguard::{Limits, x12};
/// let input = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~IEA*0*000000001~";
/// let all = x12::parse(input, &Limits::default()).unwrap();
/// assert_eq!(all.len(), 1);
/// assert_eq!(all[0].control_number(), b"000000001");
/// ```
pub fn parse<'a>(input: &'a [u8], limits: &Limits) -> crate::Result<Vec<Interchange<'a>>> {
    Parser::new(input)
        .with_limits(limits.clone())
        .interchanges()
        .collect()
}

/// Iterator over the interchanges of an input (see [`Parser::interchanges`]).
#[derive(Clone, Debug)]
pub struct Interchanges<'a> {
    input: &'a [u8],
    limits: Limits,
    next: Option<(usize, IsaShape)>,
    started: bool,
    done: bool,
    count: usize,
    segments: usize,
    line_breaks_reported: bool,
    pending: Vec<Finding>,
    segs_hint: usize,
    /// Index memory handed back by [`Interchanges::recycle`].
    spare: Buffers,
    /// Where reading starts (0, or an interchange boundary when an input
    /// is checked in parts).
    origin: usize,
}

const IEA: Tag = Tag::of(b"IEA");

/// Bytes skipped between segments: line breaks, and (reported) spaces or
/// tabs used as indentation.
#[inline]
fn is_gap(b: u8) -> bool {
    matches!(b, b'\r' | b'\n' | b' ' | b'\t')
}

/// True for a byte skipped between segments: CR and LF always (a blank
/// line is not a segment, even when LF is the terminator), spaces and tabs
/// unless they are a delimiter.
#[inline]
fn is_skippable(b: u8, terminator: u8, element: u8) -> bool {
    // Written as comparisons rather than a `match` (which compiles to an
    // indirect jump that mispredicts at every segment start).
    if b > b' ' {
        return false;
    }
    let line_break = b == b'\r' || b == b'\n';
    let blank = b == b' ' || b == b'\t';
    (line_break && b != element) || (blank && b != terminator && b != element)
}

/// Whether a segment whose first byte is `b` may be structural: an
/// envelope segment (GS, GE, ST, SE, IEA), TA1, ISB, ISE or an X12.58
/// segment (S1S to S4A, SVA). Every other segment is data.
#[inline]
fn may_be_structural(b: u8) -> bool {
    matches!(b, b'G' | b'I' | b'S' | b'T')
}

/// Finds the next ISA header at or after `from` (anywhere: used only for
/// bytes that are not inside an interchange).
fn find_isa(input: &[u8], from: usize) -> Option<(usize, IsaShape)> {
    let hay = input.get(from..)?;
    memchr::memmem::find_iter(hay, b"ISA").find_map(|p| {
        let at = from + p;
        read_isa(input, at).map(|s| (at, s))
    })
}

/// The tag of a segment: the bytes before the first element separator
/// (looked at in the first four bytes only; longer tags are not envelope
/// tags). The plain form of [`Tag::at`], kept as its test oracle.
#[cfg(test)]
pub(crate) fn tag_of(seg: &[u8], sep: u8) -> &[u8] {
    let head = &seg[..seg.len().min(4)];
    match head.iter().position(|&b| b == sep) {
        Some(i) => &seg[..i],
        None => head,
    }
}

impl<'a> Interchanges<'a> {
    /// Where the next interchange starts, once the one before it has been
    /// read (`None` when none follows, or before the first).
    pub(crate) fn upcoming(&self) -> Option<usize> {
        self.next.as_ref().map(|(at, _)| *at)
    }

    /// Whether findings wait for the next interchange (leading junk found
    /// between it and the one before).
    pub(crate) fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Interchanges and segments read so far (for limits over a whole
    /// input read in parts).
    pub(crate) fn totals(&self) -> (usize, usize) {
        (self.count, self.segments)
    }

    /// Takes back the index memory of `interchange`, which the caller is
    /// done with, so the next interchange reuses it instead of allocating.
    pub(crate) fn recycle(&mut self, interchange: Interchange<'_>) {
        self.spare = interchange.into_buffers();
    }

    fn start(&mut self) -> Result<(), Error> {
        let input = self.input;
        let mut pos = self.origin;
        if pos == 0 && input.starts_with(BOM) {
            self.pending.push(Finding::new(
                rules::BYTE_ORDER_MARK,
                Location::at(0),
                "a UTF-8 byte-order mark precedes the ISA header; it is skipped",
            ));
            pos = BOM.len();
        }
        match find_isa(input, pos) {
            Some((at, shape)) => {
                self.note_junk(pos, at);
                self.next = Some((at, shape));
                Ok(())
            }
            None => {
                let kind = match memchr::memmem::find(input, b"ISA") {
                    Some(_) => (
                        ErrorKind::Malformed,
                        "an ISA header is present but too short to hold its delimiters (16 element separators, ISA16 and a segment terminator)",
                    ),
                    None => (ErrorKind::Unrecognized, "no X12 ISA header found"),
                };
                let at = memchr::memmem::find(input, b"ISA").unwrap_or(0);
                Err(Error::new(kind.0, Location::at(at), kind.1))
            }
        }
    }

    /// Reports non-blank bytes in `from..to` as leading junk.
    fn note_junk(&mut self, from: usize, to: usize) {
        let Some(gap) = self.input.get(from..to) else {
            return;
        };
        if let Some(first) = gap.iter().position(|&b| !is_gap(b)) {
            self.pending.push(
                Finding::new(
                    rules::LEADING_JUNK,
                    Location::at(from + first),
                    format!(
                        "{} bytes before the ISA header at byte {to} are not X12; parsing continues at the header",
                        to - from - first
                    ),
                )
                .expected_found("ISA", preview(&gap[first..])),
            );
        }
    }

    fn parse_one(&mut self, start: usize, shape: IsaShape) -> Result<Interchange<'a>, Error> {
        let input = self.input;
        let limits = &self.limits;
        let isa12 = shape
            .element(11)
            .and_then(|r| input.get(r))
            .unwrap_or_default();
        let isa11 = shape
            .element(10)
            .and_then(|r| input.get(r.start).copied())
            .unwrap_or_default();
        let version = super::view::version_number(isa12);
        let repetition =
            (version.is_some_and(|v| v >= 402) && !isa11.is_ascii_alphanumeric()).then_some(isa11);
        let term: &[u8] = &input[shape.terminator.clone()];
        let delimiters = Delimiters {
            segment: term[0],
            element: shape.element,
            component: shape.component,
            repetition,
            release: None,
        };
        let t0 = term[0];
        let tail = &term[1..];
        let sep = shape.element;
        let mut framing = std::mem::take(&mut self.pending);
        let mut segs: Vec<Range<usize>> = std::mem::take(&mut self.spare.segs);
        segs.reserve(self.segs_hint);
        let mut structure = Structure::reusing(&mut self.spare);
        let mut suspects: Vec<usize> = std::mem::take(&mut self.spare.suspects);
        segs.push(start..shape.terminator.start);
        if !is_clean(&input[start..shape.terminator.start], &delimiters) {
            suspects.push(0);
        }
        let mut pos = shape.terminator.end;
        let mut iea = None;
        let mut next = None;
        let mut padding: Option<(usize, usize)> = None;
        let len = input.len();
        let mut blocks = Blocks::new(input, t0, pos);
        let budget = limits.max_segments.saturating_sub(self.segments);
        loop {
            // Between segments: line breaks (and indentation) are skipped.
            while let Some(&b) = input.get(pos) {
                if !is_skippable(b, t0, sep) {
                    break;
                }
                if matches!(b, b'\r' | b'\n') {
                    if !self.line_breaks_reported {
                        self.line_breaks_reported = true;
                        framing.push(Finding::new(
                            rules::LINE_BREAKS,
                            Location::at(pos),
                            "CR/LF follow segment terminators; they are skipped between segments",
                        ));
                    }
                } else {
                    let p = padding.get_or_insert((pos, 0));
                    p.1 += 1;
                }
                pos += 1;
            }
            if pos >= len {
                break;
            }
            let head = head_word(input, pos);
            if starts_with3(head, b"ISA") {
                if let Some(s) = read_isa(input, pos) {
                    next = Some((pos, s));
                    break;
                }
            }
            // Past `budget` segments in this interchange, the input's total
            // reaches `max_segments` (the same test as the total alone).
            if segs.len() >= budget {
                return Err(Error::limit(
                    Location::at(pos),
                    "segment count",
                    limits.max_segments,
                ));
            }
            let (end, printable) = if starts_with3(head, b"BIN") {
                (segment_end(input, pos, sep, t0, tail), false)
            } else {
                blocks.segment_end(pos, tail)
            };
            let (seg_end, after) = match end {
                Some(e) => (e, e + term.len()),
                None => {
                    framing.push(
                        Finding::new(
                            rules::MISSING_SEGMENT_TERMINATOR,
                            Location::at(len).with_segment(ordinal(segs.len())),
                            "the input ends inside a segment: its terminator is missing",
                        )
                        .expected_found(preview(term), "end of input"),
                    );
                    (len, len)
                }
            };
            if seg_end - pos > limits.max_segment_len {
                return Err(Error::limit(
                    Location::at(pos).with_segment(ordinal(segs.len())),
                    "segment length",
                    limits.max_segment_len,
                ));
            }
            if !printable && !is_clean(&input[pos..seg_end], &delimiters) {
                suspects.push(segs.len());
            }
            // Envelope, acknowledgment and X12.58 tags all begin with G, I,
            // S or T; any other segment is data, whose tag is not needed.
            if !may_be_structural(head as u8) {
                structure.data(segs.len());
                segs.push(pos..seg_end);
                pos = after;
                continue;
            }
            let tag = Tag::at(input, pos, seg_end - pos, sep);
            let is_iea = tag == IEA;
            if is_iea {
                iea = Some(segs.len());
            } else {
                structure.segment(segs.len(), tag);
            }
            segs.push(pos..seg_end);
            pos = after;
            if is_iea {
                break;
            }
        }
        if let Some((at, n)) = padding {
            framing.push(Finding::new(
                rules::INVALID_CHARACTER,
                Location::at(at),
                format!("{n} spaces or tabs stand between segments (indentation); X12 allows nothing between a terminator and the next segment"),
            ));
        }
        if iea.is_some() {
            // Look for the next interchange after the trailer.
            let mut p = pos;
            while p < len && is_gap(input[p]) {
                p += 1;
            }
            if p < len {
                match read_isa(input, p) {
                    Some(s) => next = Some((p, s)),
                    None => match find_isa(input, p) {
                        Some((at, s)) => {
                            next = Some((at, s));
                            self.note_junk(p, at);
                        }
                        None => framing.push(
                            Finding::new(
                                rules::TRAILING_DATA,
                                Location::at(p),
                                format!(
                                    "{} bytes after the last IEA are not an interchange",
                                    len - p
                                ),
                            )
                            .expected_found("ISA or end of input", preview(&input[p..])),
                        ),
                    },
                }
            }
        }
        self.segments = self.segments.saturating_add(segs.len());
        self.segs_hint = segs.len().clamp(MIN_SEGS_HINT, MAX_SEGS_HINT);
        self.next = next;
        let end = match (iea, segs.last()) {
            (Some(_), Some(last)) => (last.end + term.len()).min(len),
            (_, Some(last)) => last.end,
            _ => shape.terminator.end,
        };
        Ok(Interchange::build(
            input,
            start..end,
            shape,
            delimiters,
            term,
            segs,
            iea,
            structure,
            suspects,
            framing,
        ))
    }
}

/// True for a byte allowed inside a segment: the X12 basic and extended
/// character sets (X12.6 §3.3: printable ASCII, 0x20..=0x7E) and the
/// interchange's element, component and repetition separators.
#[inline]
pub(crate) fn is_allowed(b: u8, d: &Delimiters) -> bool {
    (0x20..=0x7E).contains(&b) || b == d.element || b == d.component || d.repetition == Some(b)
}

/// True when any byte of `x` lies outside 0x20..=0x7E. Each test is the
/// classic "has a byte less than n" / "has a zero byte" bit trick: borrows
/// only start at a byte that matches, so the answer for the whole word is
/// exact.
#[inline]
fn word_has_unprintable(x: u64) -> bool {
    let below_space = x.wrapping_sub(LANES * 0x20) & !x;
    let del = x ^ (LANES * 0x7F);
    let is_del = del.wrapping_sub(LANES) & !del;
    (below_space | is_del | x) & HIGH != 0
}

/// True when every byte of `bytes` is printable ASCII (0x20..=0x7E),
/// tested eight bytes at a time.
#[inline]
pub(crate) fn is_printable(bytes: &[u8]) -> bool {
    let Some(last) = bytes.last_chunk::<8>() else {
        return bytes.iter().all(|&b| (0x20..=0x7E).contains(&b));
    };
    // Whole words, then the last eight bytes (overlapping the last word).
    let mut odd = word_has_unprintable(u64::from_le_bytes(*last));
    for chunk in bytes.chunks_exact(8) {
        if let Some(word) = chunk.first_chunk::<8>() {
            odd |= word_has_unprintable(u64::from_le_bytes(*word));
        }
    }
    !odd
}

/// True when every byte of `bytes` is allowed (see [`is_allowed`]);
/// printable ASCII is accepted eight bytes at a time.
#[inline]
pub(crate) fn is_clean(bytes: &[u8], d: &Delimiters) -> bool {
    is_printable(bytes) || bytes.iter().all(|&b| is_allowed(b, d))
}

/// Where the segment starting at `pos` ends (the terminator's offset), or
/// `None` when the input ends first. A multi-byte terminator must match as
/// a whole. A BIN segment (X12.6 binary data: `BIN*length*data`) carries
/// `length` bytes of data that may contain any byte, terminators included.
#[inline]
fn segment_end(input: &[u8], pos: usize, sep: u8, t0: u8, tail: &[u8]) -> Option<usize> {
    let mut from = pos;
    if let Some(data) = bin_data(input, pos, sep) {
        if input
            .get(data.end..)
            .is_some_and(|r| r.first() == Some(&t0))
        {
            from = data.end;
        }
    }
    segment_end_plain(input, from, t0, tail)
}

/// The first `t0` at or after `from` that is followed by `tail` (the rest
/// of a multi-byte terminator), with no BIN rule.
pub(crate) fn segment_end_plain(
    input: &[u8],
    mut from: usize,
    t0: u8,
    tail: &[u8],
) -> Option<usize> {
    loop {
        let i = from + memchr::memchr(t0, input.get(from..)?)?;
        if tail.is_empty() || input.get(i + 1..).is_some_and(|r| r.starts_with(tail)) {
            return Some(i);
        }
        from = i + 1;
    }
}

/// The byte range of a BIN segment's data (BIN02) when the segment at `pos`
/// is `BIN*<digits>*` and the input holds that many bytes.
pub(crate) fn bin_data(input: &[u8], pos: usize, sep: u8) -> Option<Range<usize>> {
    let b = input.get(pos..)?;
    if !(b.starts_with(b"BIN") && b.get(3) == Some(&sep)) {
        return None;
    }
    let digits = b
        .get(4..)?
        .iter()
        .take(16)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits == 0 || b.get(4 + digits) != Some(&sep) {
        return None;
    }
    let n: usize = std::str::from_utf8(&b[4..4 + digits]).ok()?.parse().ok()?;
    let start = pos + 4 + digits + 1;
    let end = start.checked_add(n)?;
    (end <= input.len()).then_some(start..end)
}

pub(crate) fn ordinal(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Up to 16 bytes of `b`, escaped for a message.
pub(crate) fn preview(b: &[u8]) -> String {
    let shown = &b[..b.len().min(16)];
    let mut s = shown.escape_ascii().to_string();
    if b.len() > 16 {
        s.push_str("...");
    }
    s
}

impl<'a> Iterator for Interchanges<'a> {
    type Item = Result<Interchange<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if !self.started {
            self.started = true;
            if let Err(e) = self.start() {
                self.done = true;
                return Some(Err(e));
            }
        }
        let Some((start, shape)) = self.next.take() else {
            self.done = true;
            return None;
        };
        if self.count >= self.limits.max_interchanges {
            self.done = true;
            return Some(Err(Error::limit(
                Location::at(start),
                "interchange count",
                self.limits.max_interchanges,
            )));
        }
        self.count += 1;
        let result = self.parse_one(start, shape);
        if result.is_err() {
            self.done = true;
        }
        Some(result)
    }
}

/// Unexpected-segment reasons, kept with the structure index.
pub(crate) fn stray_reason(stray: Stray) -> &'static str {
    match stray {
        Stray::OutsideSet => "a data segment outside a transaction set (ST/SE)",
        Stray::StOutsideGroup => "ST outside a functional group (GS/GE)",
        Stray::SeWithoutSt => "SE without a matching ST",
        Stray::GeWithoutGs => "GE without a matching GS",
        Stray::InterchangeLevelInsideGroup => {
            "an interchange-level segment (TA1, ISB, ISE) inside a functional group"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_of_table() {
        let cases: &[(&[u8], &[u8])] = &[
            (b"ST*204*0001", b"ST"),
            (b"IEA*1*1", b"IEA"),
            (b"SE", b"SE"),
            (b"LONGTAG*1", b"LONG"),
            (b"", b""),
        ];
        for (seg, tag) in cases {
            assert_eq!(tag_of(seg, b'*'), *tag, "{seg:?}");
        }
    }

    #[test]
    fn is_printable_matches_the_range_test() {
        // Every byte value, alone and at each position of words and tails.
        for b in 0..=255u8 {
            let expected = (0x20..=0x7E).contains(&b);
            for len in [1, 7, 8, 9, 16, 23] {
                for at in 0..len {
                    let mut v = vec![b'x'; len];
                    v[at] = b;
                    assert_eq!(is_printable(&v), expected, "byte {b:#04x} at {at} of {len}");
                }
            }
        }
        assert!(is_printable(b""));
        // Bytes just inside the range next to ones outside it (borrows).
        assert!(!is_printable(b"\x20\x1F\x20\x20\x20\x20\x20\x20"));
        assert!(is_printable(b"\x20\x7E\x21\x7D\x20\x20\x20\x20"));
    }

    #[test]
    fn is_skippable_table() {
        // Every byte against every choice of terminator and separator that
        // matters: CR/LF always skip unless they separate elements; space
        // and tab skip unless they are a delimiter.
        for (t, e) in [
            (b'~', b'*'),
            (b'\n', b'*'),
            (b' ', b'*'),
            (b'~', b'\t'),
            (b'~', b'\r'),
        ] {
            for b in 0..=255u8 {
                let want = match b {
                    b'\r' | b'\n' => b != e,
                    b' ' | b'\t' => b != t && b != e,
                    _ => false,
                };
                assert_eq!(
                    is_skippable(b, t, e),
                    want,
                    "{b:#04x} t={t:#04x} e={e:#04x}"
                );
            }
        }
    }

    #[test]
    fn is_clean_accepts_declared_delimiters() {
        let d = Delimiters {
            segment: 0x1C,
            element: 0x1D,
            component: 0x1F,
            repetition: Some(0x1E),
            release: None,
        };
        let cases: &[(&[u8], bool)] = &[
            (b"N1\x1DSH\x1DACME\x1FX\x1EY", true),
            (b"N1\x1DSH\x1C", false),
            (b"N1\x1DSH\r\n", false),
            (b"N1\x1D\xC3\xA9", false),
            (b"N1*SH*ACME", true),
        ];
        for (input, expected) in cases {
            assert_eq!(is_clean(input, &d), *expected, "{input:?}");
        }
    }

    #[test]
    fn segment_end_table() {
        let ell = "\u{2026}".as_bytes();
        // (input, terminator, expected end)
        let cases: &[(&[u8], &[u8], Option<usize>)] = &[
            (b"ST*1~", b"~", Some(4)),
            (b"ST*1", b"~", None),
            ("ST*\u{2020}x\u{2026}".as_bytes(), ell, Some(7)),
            (b"BIN*3*a~b~", b"~", Some(9)),
            (b"BIN*9*a~b~", b"~", Some(7)),
            (b"BIN*x*a~b~", b"~", Some(7)),
        ];
        for (input, term, expected) in cases {
            assert_eq!(
                segment_end(input, 0, b'*', term[0], &term[1..]),
                *expected,
                "{}",
                String::from_utf8_lossy(input)
            );
        }
    }
}
