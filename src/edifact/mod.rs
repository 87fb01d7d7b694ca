//! UN/EDIFACT interchanges (ISO 9735): service string advice, interchange,
//! group and message structure as borrowed views, and a writer.
//!
//! [`parse`] finds the structure of every interchange in an input: the UNA
//! service string advice (or the defaults the syntax identifier implies),
//! UNB..UNZ interchanges, UNG..UNE groups and UNH..UNT messages. It judges
//! only what it must to find that structure; what it had to step over is
//! recorded as [`Note`]s, which [`crate::integrity::edifact`] turns into
//! findings. Messages that stand without a UNB (bare UNH..UNT runs) form an
//! [`Interchange`] whose [`Interchange::header`] is `None`, reported as
//! [`NoteKind::BareMessage`].
//!
//! # Examples
//!
//! ```
//! use ediguard::{edifact, Limits};
//! let input = b"UNA:+.? 'UNB+UNOA:3+NLFX:ZZZ+GLPAPER:ZZZ+261117:1600+42'\
//! UNH+1+IFTSTA:D:01B:UN'FTX+AAI+++O?'Hara'UNT+3+1'UNZ+1+42'";
//! let parsed = edifact::parse(input, &Limits::default()).unwrap();
//! let ic = &parsed.interchanges()[0];
//! assert_eq!(ic.syntax_identifier(), Some(&b"UNOA"[..]));
//! let msg = ic.messages().next().unwrap();
//! assert_eq!(msg.segments().len(), 3);
//! let ftx = msg.segments().nth(1).unwrap();
//! assert_eq!(&*ftx.element(4).unwrap().value(), b"O'Hara");
//! assert!(parsed.notes().is_empty());
//! ```

mod charset;
mod una;
mod write;

use std::borrow::Cow;
use std::ops::Range;

pub use crate::syntax::{Component, Delimiters, Element, Segment};
pub use charset::Charset;
use charset::{Blocks, Scanner};
pub use una::{LEVEL_B_DEFAULT, ServiceStringAdvice, UnaError, default_delimiters};
pub use write::{SegmentWriter, UnaPolicy, Writer};

use crate::format::BOM;
use crate::syntax::find_unescaped;
use crate::{Error, Limits, Location, Result};

/// What the parser had to step over, for the integrity layer to report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NoteKind {
    /// A UTF-8 byte-order mark at the start of the input (skipped).
    ByteOrderMark,
    /// Bytes before the first UNA/UNB/UNH (export headers).
    LeadingJunk,
    /// Bytes after an interchange that start no interchange.
    TrailingData,
    /// CR, LF or tab between segments (the first place is noted, with the
    /// number of places in `count`).
    LineBreaks,
    /// A UNA that is not nine bytes of distinct service characters.
    UnaMalformed,
    /// A segment where the envelope does not allow it.
    UnexpectedSegment,
    /// A message without UNT (the location is its UNH).
    MissingMessageTrailer,
    /// A group without UNE (the location is its UNG).
    MissingGroupTrailer,
    /// An interchange without UNZ (the location is its UNB).
    MissingInterchangeTrailer,
    /// Messages without a UNB/UNZ envelope (the location is the first UNH).
    BareMessage,
}

/// One thing the parser stepped over, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Note {
    /// What it is.
    pub kind: NoteKind,
    /// Where it is (segment ordinal within its interchange when it is a
    /// segment).
    pub location: Location,
    /// How many bytes or places it covers (junk length, line-break count).
    pub count: usize,
    /// A short description (the segment tag, the UNA problem, the header
    /// that ended an unclosed structure).
    pub detail: String,
}

impl Note {
    pub(crate) fn new(
        kind: NoteKind,
        location: Location,
        count: usize,
        detail: impl Into<String>,
    ) -> Note {
        Note {
            kind,
            location,
            count,
            detail: detail.into(),
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct MessageIndex<'a> {
    /// Index (ordinal) of the UNH within the interchange.
    start: usize,
    /// Segments from the UNH on, the closing one included.
    count: usize,
    header: Segment<'a>,
    trailer: Option<Segment<'a>>,
    group: Option<usize>,
}

#[derive(Clone, Debug)]
struct GroupIndex<'a> {
    header: Segment<'a>,
    trailer: Option<Segment<'a>>,
    messages: Range<usize>,
}

/// A byte of a segment that the declared repertoire does not allow, found
/// while the segment was framed (so the data is read once).
#[derive(Clone, Copy, Debug)]
pub(crate) enum CharIssue<'a> {
    /// Byte `index` of the segment is outside the repertoire (or a control
    /// byte) and is no service character.
    Byte(Segment<'a>, usize),
    /// The segment is not well-formed UTF-8 from byte `index` on
    /// (UNOW/UNOY).
    Utf8(Segment<'a>, usize),
}

/// One interchange: UNA (optional), UNB .. UNZ. The envelope segments
/// (UNB, UNG, UNE, UNH, UNT, UNZ) are kept; the other segments are framed
/// again on demand by [`Interchange::segments`] and
/// [`Message::segments`]. A run of bare messages (UNH..UNT without UNB) is
/// also an `Interchange`, with no header.
#[derive(Clone, Debug)]
pub struct Interchange<'a> {
    input: &'a [u8],
    una: Option<(usize, ServiceStringAdvice)>,
    delimiters: Delimiters,
    decimal_mark: u8,
    has_header: bool,
    header: Option<Segment<'a>>,
    trailer: Option<Segment<'a>>,
    /// Offset of the first segment (the UNB, or the first UNH).
    first: usize,
    segment_count: usize,
    messages: Vec<MessageIndex<'a>>,
    groups: Vec<GroupIndex<'a>>,
    char_issues: Vec<CharIssue<'a>>,
    span: Range<usize>,
    /// A security segment (USH, UST, USB, ...) stands in it.
    security: bool,
}

impl<'a> Interchange<'a> {
    /// The UNB header, or `None` for bare messages.
    pub fn header(&self) -> Option<Segment<'a>> {
        if self.has_header { self.header } else { None }
    }

    /// The UNZ trailer, when present.
    pub fn trailer(&self) -> Option<Segment<'a>> {
        self.trailer
    }

    /// Every segment from UNB (ordinal 0) to UNZ; the UNA is not a segment.
    /// The segments are framed again as the iterator advances (nothing is
    /// stored per data segment); the iterator knows its length.
    ///
    /// # Examples
    ///
    /// ```
    /// use ediguard::{edifact, Limits};
    /// let input = b"UNB+UNOA:3+A+B+261117:1600+1'UNH+1+X:D:01B:UN'BGM+1'UNT+3+1'UNZ+1+1'";
    /// let parsed = edifact::parse(input, &Limits::default()).unwrap();
    /// let ic = &parsed.interchanges()[0];
    /// assert_eq!(ic.segments().len(), 5);
    /// let tags: Vec<&[u8]> = ic.segments().map(|s| s.tag()).collect();
    /// assert_eq!(tags, [&b"UNB"[..], b"UNH", b"BGM", b"UNT", b"UNZ"]);
    /// ```
    pub fn segments(&self) -> Segments<'a> {
        Segments {
            input: self.input,
            pos: self.first,
            ordinal: 0,
            remaining: self.segment_count,
            delimiters: self.delimiters,
        }
    }

    /// How many segments the interchange holds (UNB to UNZ).
    pub fn segment_count(&self) -> usize {
        self.segment_count
    }

    /// The delimiters in force.
    pub fn delimiters(&self) -> Delimiters {
        self.delimiters
    }

    /// The decimal mark (UNA3, `.` by default).
    pub fn decimal_mark(&self) -> u8 {
        self.decimal_mark
    }

    /// The UNA, when one precedes the interchange.
    pub fn service_string_advice(&self) -> Option<ServiceStringAdvice> {
        self.una.map(|(_, u)| u)
    }

    /// Byte offset of the UNA, when present.
    pub fn una_offset(&self) -> Option<usize> {
        self.una.map(|(o, _)| o)
    }

    /// The byte range from the UNA (or UNB) to the end of the last segment.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// UNB S001/0001, the syntax identifier (`UNOA`, `UNOC`, `IATB`, ...).
    pub fn syntax_identifier(&self) -> Option<&'a [u8]> {
        let c = self.header()?.element(1)?.component(1)?;
        Some(c.as_bytes())
    }

    /// UNB S001/0002, the syntax version number (1 to 4), when it is one
    /// digit.
    pub fn syntax_version(&self) -> Option<u8> {
        let c = self.header()?.element(1)?.component(2)?;
        match c.as_bytes() {
            [d @ b'0'..=b'9'] => Some(d - b'0'),
            _ => None,
        }
    }

    /// The repertoire the syntax identifier declares ([`Charset::Other`]
    /// for bare messages and unknown identifiers).
    pub fn charset(&self) -> Charset {
        self.syntax_identifier()
            .map_or(Charset::Other, Charset::from_identifier)
    }

    /// UNB 0020, the interchange control reference (unescaped).
    pub fn control_reference(&self) -> Option<Cow<'a, [u8]>> {
        Some(self.header()?.element(5)?.value())
    }

    /// The messages, in order (grouped or not).
    pub fn messages(&self) -> Messages<'_, 'a> {
        Messages {
            interchange: self,
            iter: self.messages.iter(),
        }
    }

    /// The functional groups (UNG..UNE), in order.
    pub fn groups(&self) -> Groups<'_, 'a> {
        Groups {
            interchange: self,
            iter: self.groups.iter(),
        }
    }

    /// How many messages the interchange holds.
    pub fn message_count(&self) -> usize {
        self.messages.len()
    }

    /// How many groups the interchange holds.
    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// True when a security segment (a tag starting `US`: USH, UST, USB,
    /// USX ...) stands in the interchange, so its integrated security
    /// (ISO 9735-5/6) needs checking.
    pub fn has_security_segments(&self) -> bool {
        self.security
    }

    /// The bytes outside the declared repertoire, one per segment at most
    /// (plus one UTF-8 error per segment for UNOW/UNOY), in input order.
    pub(crate) fn char_issues(&self) -> &[CharIssue<'a>] {
        &self.char_issues
    }
}

/// Iterator over segments, framing each one from the input as it goes
/// (layout between segments skipped, release characters honoured, as
/// [`parse`] framed them).
#[derive(Clone, Debug)]
pub struct Segments<'a> {
    input: &'a [u8],
    pos: usize,
    ordinal: u32,
    remaining: usize,
    delimiters: Delimiters,
}

impl<'a> Iterator for Segments<'a> {
    type Item = Segment<'a>;

    fn next(&mut self) -> Option<Segment<'a>> {
        if self.remaining == 0 {
            return None;
        }
        let rest = self.input.get(self.pos..)?;
        let start = self.pos + rest.iter().take_while(|&&b| is_layout(b)).count();
        let rest = self.input.get(start..)?;
        let d = self.delimiters;
        let (bytes, next) = match find_unescaped(rest, d.segment, d.release) {
            Some(i) => (rest.get(..i).unwrap_or(rest), start + i + 1),
            None => (rest, self.input.len()),
        };
        let seg = Segment::new(bytes, start, self.ordinal, d);
        self.ordinal = self.ordinal.saturating_add(1);
        self.remaining -= 1;
        self.pos = next;
        Some(seg)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for Segments<'_> {}

impl std::iter::FusedIterator for Segments<'_> {}

/// One message, UNH .. UNT, borrowed from its [`Interchange`].
#[derive(Clone, Copy, Debug)]
pub struct Message<'p, 'a> {
    interchange: &'p Interchange<'a>,
    index: &'p MessageIndex<'a>,
}

impl<'p, 'a> Message<'p, 'a> {
    /// The UNH header.
    pub fn header(&self) -> Option<Segment<'a>> {
        Some(self.index.header)
    }

    /// The UNT trailer, when present.
    pub fn trailer(&self) -> Option<Segment<'a>> {
        self.index.trailer
    }

    /// The segments from UNH to UNT inclusive (to the last segment before
    /// recovery when UNT is missing), framed again as the iterator
    /// advances; the iterator knows its length.
    ///
    /// # Examples
    ///
    /// ```
    /// use ediguard::{edifact, Limits};
    /// let input = b"UNH+1+X:D:01B:UN'BGM+1'FTX+AAI+++A?'B'UNT+4+1'";
    /// let parsed = edifact::parse(input, &Limits::default()).unwrap();
    /// let msg = parsed.interchanges()[0].messages().next().unwrap();
    /// assert_eq!(msg.segments().len(), 4);
    /// let ftx = msg.segments().nth(2).unwrap();
    /// assert_eq!(&*ftx.element(4).unwrap().value(), b"A'B");
    /// assert_eq!(ftx.ordinal(), 2);
    /// ```
    pub fn segments(&self) -> Segments<'a> {
        Segments {
            input: self.interchange.input,
            pos: self.index.header.offset(),
            ordinal: self.index.header.ordinal(),
            remaining: self.index.count,
            delimiters: self.interchange.delimiters,
        }
    }

    /// How many segments the message holds, UNH and UNT included.
    pub fn segment_count(&self) -> usize {
        self.index.count
    }

    /// UNH 0062, the message reference number (unescaped).
    pub fn reference(&self) -> Option<Cow<'a, [u8]>> {
        Some(self.header()?.element(1)?.value())
    }

    /// UNH S009/0065, the message type (`IFTSTA`, `CUSCAR`).
    pub fn message_type(&self) -> Option<&'a [u8]> {
        Some(self.header()?.element(2)?.component(1)?.as_bytes())
    }

    /// Index of the group holding the message, if any.
    pub fn group_index(&self) -> Option<usize> {
        self.index.group
    }
}

/// Iterator over an interchange's messages.
#[derive(Clone, Debug)]
pub struct Messages<'p, 'a> {
    interchange: &'p Interchange<'a>,
    iter: std::slice::Iter<'p, MessageIndex<'a>>,
}

impl<'p, 'a> Iterator for Messages<'p, 'a> {
    type Item = Message<'p, 'a>;

    fn next(&mut self) -> Option<Message<'p, 'a>> {
        Some(Message {
            interchange: self.interchange,
            index: self.iter.next()?,
        })
    }
}

/// One functional group, UNG .. UNE, borrowed from its [`Interchange`].
#[derive(Clone, Copy, Debug)]
pub struct Group<'p, 'a> {
    interchange: &'p Interchange<'a>,
    index: &'p GroupIndex<'a>,
}

impl<'p, 'a> Group<'p, 'a> {
    /// The UNG header.
    pub fn header(&self) -> Option<Segment<'a>> {
        Some(self.index.header)
    }

    /// The UNE trailer, when present.
    pub fn trailer(&self) -> Option<Segment<'a>> {
        self.index.trailer
    }

    /// UNG 0048, the group reference number (unescaped).
    pub fn reference(&self) -> Option<Cow<'a, [u8]>> {
        Some(self.header()?.element(5)?.value())
    }

    /// The group's messages.
    pub fn messages(&self) -> Messages<'p, 'a> {
        let all = &self.interchange.messages;
        let r = self.index.messages.clone();
        Messages {
            interchange: self.interchange,
            iter: all.get(r).unwrap_or(&[]).iter(),
        }
    }

    /// How many messages the group holds.
    pub fn message_count(&self) -> usize {
        self.index.messages.len()
    }
}

/// Iterator over an interchange's groups.
#[derive(Clone, Debug)]
pub struct Groups<'p, 'a> {
    interchange: &'p Interchange<'a>,
    iter: std::slice::Iter<'p, GroupIndex<'a>>,
}

impl<'p, 'a> Iterator for Groups<'p, 'a> {
    type Item = Group<'p, 'a>;

    fn next(&mut self) -> Option<Group<'p, 'a>> {
        Some(Group {
            interchange: self.interchange,
            index: self.iter.next()?,
        })
    }
}

/// Everything [`parse`] found in one input.
#[derive(Clone, Debug)]
pub struct Parsed<'a> {
    input: &'a [u8],
    interchanges: Vec<Interchange<'a>>,
    notes: Vec<Note>,
}

impl<'a> Parsed<'a> {
    /// The input that was parsed.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.input
    }

    /// The interchanges (and bare-message runs), in input order.
    pub fn interchanges(&self) -> &[Interchange<'a>] {
        &self.interchanges
    }

    /// What the parser stepped over, in input order.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }
}

/// True when `rest` starts with `tag` (`UNA`, `UNB`, `UNH`) followed by a
/// byte that can be a service character (not a letter or digit), so that
/// `UNBX` or data that merely contains the letters is not a header.
fn starts_header(rest: &[u8], tag: &[u8; 3]) -> bool {
    rest.starts_with(tag) && rest.get(3).is_some_and(|b| !b.is_ascii_alphanumeric())
}

/// The first place at or after `from` where a UNA, UNB or UNH header
/// starts.
fn find_next_header(input: &[u8], from: usize) -> Option<usize> {
    let hay = input.get(from..)?;
    memchr::memmem::find_iter(hay, b"UN")
        .map(|i| from + i)
        .find(|&p| {
            let rest = input.get(p..).unwrap_or(&[]);
            starts_header(rest, b"UNA")
                || starts_header(rest, b"UNB")
                || starts_header(rest, b"UNH")
        })
}

/// The service segment tag (`UNH`, `UNT`, ...) of a segment, read with one
/// comparison: `U`, `N`, a letter, then a separator or the end.
#[inline]
fn service_tag(bytes: &[u8], d: &Delimiters) -> Option<u8> {
    match bytes {
        [b'U', b'N', t] => Some(*t),
        [b'U', b'N', t, sep, ..] if *sep == d.element || *sep == d.component => Some(*t),
        _ => None,
    }
}

#[inline]
fn is_layout(b: u8) -> bool {
    matches!(b, b'\r' | b'\n' | b'\t')
}

/// Why an open structure was closed, formatted only when a note needs it
/// (the clean path allocates nothing per segment).
#[derive(Clone, Copy)]
enum Why {
    /// Closed normally.
    Nothing,
    /// A header or trailer at this byte ended it.
    At(&'static str, usize),
    /// The input ended.
    EndOfInput,
}

impl Why {
    fn text(self) -> String {
        match self {
            Why::Nothing => String::new(),
            Why::At(tag, pos) => format!("{tag} at byte {pos}"),
            Why::EndOfInput => "end of input".into(),
        }
    }
}

struct Builder<'a> {
    ic: Interchange<'a>,
    open_message: Option<usize>,
    open_group: Option<usize>,
    scanner: Scanner,
    /// What `scanner` was built for (see [`ScannerKey`]).
    scanner_key: Option<ScannerKey>,
    utf8: bool,
}

/// The repertoire and service characters a [`Scanner`] allows. Most inputs
/// repeat them in every interchange, so the last scanner is kept and
/// built again only when they change.
type ScannerKey = (Charset, [u8; 5]);

/// Reads the interchanges of an input one at a time: the streaming form
/// of [`parse`], which holds the index (messages, groups) of one
/// interchange at a time rather than of the whole input.
///
/// # Examples
///
/// ```
/// use ediguard::edifact::Parser;
/// let input = b"UNB+UNOA:3+A+B+261117:1600+1'UNZ+0+1'\r\nUNB+UNOA:3+A+B+261117:1600+2'UNZ+0+2'";
/// let mut interchanges = Parser::new(input).interchanges();
/// let mut refs = Vec::new();
/// while let Some(ic) = interchanges.next() {
///     let ic = ic.unwrap();
///     refs.push(ic.control_reference().unwrap().into_owned());
///     interchanges.recycle(ic);
/// }
/// assert_eq!(refs, [b"1".to_vec(), b"2".to_vec()]);
/// // What it stepped over, complete once the iterator is done.
/// assert_eq!(interchanges.notes()[0].kind, ediguard::edifact::NoteKind::LineBreaks);
/// ```
#[derive(Clone, Debug)]
pub struct Parser<'a> {
    input: &'a [u8],
    limits: Limits,
}

impl<'a> Parser<'a> {
    /// A parser over `input` with the default [`Limits`].
    pub fn new(input: &'a [u8]) -> Self {
        Parser {
            input,
            limits: Limits::default(),
        }
    }

    /// Bounds what the parser accepts (see [`Limits`]).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The interchanges (and bare-message runs), in input order. The first
    /// item is an error when the input is longer than
    /// [`Limits::max_input_len`].
    pub fn interchanges(&self) -> Interchanges<'a> {
        self.interchanges_from(0)
    }

    /// The interchanges from byte `at` on, which must be where one starts
    /// (its UNA or UNB) for the result to be what [`Parser::interchanges`]
    /// gives from there.
    pub(crate) fn interchanges_from(&self, at: usize) -> Interchanges<'a> {
        Interchanges {
            input: self.input,
            limits: self.limits.clone(),
            pos: at,
            at_start: at == 0,
            pending_una: None,
            started: false,
            made: 0,
            notes: Vec::new(),
            total_segments: 0,
            line_breaks: None,
            done: false,
            spare: Spare::default(),
            scanner: None,
        }
    }
}

/// Index memory of a finished interchange, kept for the next one (see
/// [`Interchanges::recycle`]).
#[derive(Clone, Debug, Default)]
struct Spare<'a> {
    messages: Vec<MessageIndex<'a>>,
    groups: Vec<GroupIndex<'a>>,
    char_issues: Vec<CharIssue<'a>>,
}

/// Iterator over the interchanges of an input (see [`Parser`]). The
/// notes of what it stepped over collect in [`Interchanges::notes`].
#[derive(Clone, Debug)]
pub struct Interchanges<'a> {
    input: &'a [u8],
    limits: Limits,
    pos: usize,
    /// Still at the start of the input (a byte-order mark may follow).
    at_start: bool,
    pending_una: Option<(usize, ServiceStringAdvice)>,
    started: bool,
    /// Interchanges made so far.
    made: usize,
    notes: Vec<Note>,
    total_segments: usize,
    line_breaks: Option<(usize, usize)>,
    done: bool,
    spare: Spare<'a>,
    /// The last interchange's scanner.
    scanner: Option<(Option<ScannerKey>, Scanner)>,
}

impl<'a> Interchanges<'a> {
    fn note(
        &mut self,
        kind: NoteKind,
        location: Location,
        count: usize,
        detail: impl Into<String>,
    ) {
        // Notes are bounded by the segments and junk runs they describe;
        // keep at most max_findings of them.
        if self.notes.len() < self.limits.max_findings {
            self.notes.push(Note::new(kind, location, count, detail));
        }
    }

    /// What the parser stepped over so far, in input order; complete when
    /// the iterator has returned `None` (the line-break note, which counts
    /// the places in the whole input, comes last).
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// Gives back an interchange's index memory for the next one, so that
    /// reading a long input allocates per interchange only while messages
    /// grow past what came before.
    pub fn recycle(&mut self, interchange: Interchange<'a>) {
        let Interchange {
            mut messages,
            mut groups,
            mut char_issues,
            ..
        } = interchange;
        messages.clear();
        groups.clear();
        char_issues.clear();
        self.spare = Spare {
            messages,
            groups,
            char_issues,
        };
    }

    /// Where the next interchange starts, when it starts right where the
    /// last one ended (only layout between, which this steps over and
    /// counts) with no UNA read ahead for it; `None` when the input is done
    /// or the iterator has stopped.
    pub(crate) fn upcoming(&mut self) -> Option<usize> {
        if self.done || self.pending_una.is_some() {
            return None;
        }
        self.pos = self.layout(self.pos);
        (self.pos < self.input.len()).then_some(self.pos)
    }

    /// Takes the notes so far (see [`Interchanges::notes`]).
    pub(crate) fn take_notes(&mut self) -> Vec<Note> {
        std::mem::take(&mut self.notes)
    }

    /// The line-break places so far: the first one's offset and how many.
    pub(crate) fn line_breaks(&self) -> Option<(usize, usize)> {
        self.line_breaks
    }

    /// Interchanges and segments read so far.
    pub(crate) fn totals(&self) -> (usize, usize) {
        (self.made, self.total_segments)
    }

    fn start(
        &mut self,
        pos: usize,
        una: Option<(usize, ServiceStringAdvice)>,
        bare: bool,
    ) -> Result<Builder<'a>> {
        if self.made >= self.limits.max_interchanges {
            return Err(Error::limit(
                Location::at(pos),
                "interchange count",
                self.limits.max_interchanges,
            ));
        }
        let rest = self.input.get(pos..).unwrap_or(&[]);
        let level_b = rest.get(3) == Some(&LEVEL_B_DEFAULT.element);
        let base = match una {
            Some((_, u)) => u.delimiters(3),
            None => default_delimiters(level_b, 3),
        };
        let mut delimiters = base;
        if !bare {
            // The version lives in the UNB itself: UNB+UNOA:4+...
            let end = find_unescaped(rest, base.segment, base.release).unwrap_or(rest.len());
            let unb = Segment::new(rest.get(..end).unwrap_or(&[]), pos, 0, base);
            let version = unb
                .element(1)
                .and_then(|e| e.component(2))
                .and_then(|c| match c.as_bytes() {
                    [d @ b'0'..=b'9'] => Some(d - b'0'),
                    _ => None,
                })
                .unwrap_or(3);
            delimiters = match una {
                Some((_, u)) => u.delimiters(version),
                None => default_delimiters(level_b, version),
            };
        }
        // Until the UNB is read, any scanner frames (its own bytes are
        // checked again once the repertoire is known).
        let (scanner_key, scanner) = self
            .scanner
            .take()
            .unwrap_or_else(|| (None, Scanner::new(Charset::Other, &[])));
        Ok(Builder {
            ic: Interchange {
                input: self.input,
                una,
                delimiters,
                decimal_mark: una.map_or(b'.', |(_, u)| u.decimal_mark),
                has_header: !bare,
                header: None,
                trailer: None,
                first: pos,
                segment_count: 0,
                messages: std::mem::take(&mut self.spare.messages),
                groups: std::mem::take(&mut self.spare.groups),
                char_issues: std::mem::take(&mut self.spare.char_issues),
                span: una.map_or(pos, |(o, _)| o)..pos,
                security: false,
            },
            open_message: None,
            open_group: None,
            scanner,
            scanner_key,
            utf8: false,
        })
    }

    /// Closes the open message before segment index `end` (exclusive):
    /// `trailer` is its UNT (then `end` is the UNT's index + 1), or `None`
    /// when something else (`why`) ended it: the UNH, UNG, UNE or UNZ at
    /// index `end`, which belongs to no message, or the end of the input.
    fn close_message(
        &mut self,
        b: &mut Builder<'a>,
        end: usize,
        trailer: Option<Segment<'a>>,
        why: Why,
    ) {
        let Some(i) = b.open_message.take() else {
            return;
        };
        let end = end.min(b.ic.segment_count);
        let mut loc = None;
        if let Some(m) = b.ic.messages.get_mut(i) {
            m.count = end.saturating_sub(m.start);
            m.trailer = trailer;
            if trailer.is_none() {
                loc = Some(m.header.location());
            }
        }
        if let Some(loc) = loc {
            self.note(NoteKind::MissingMessageTrailer, loc, 0, why.text());
        }
    }

    fn close_group(&mut self, b: &mut Builder<'a>, trailer: Option<Segment<'a>>, why: Why) {
        let Some(i) = b.open_group.take() else {
            return;
        };
        let n = b.ic.messages.len();
        let mut loc = None;
        if let Some(g) = b.ic.groups.get_mut(i) {
            g.trailer = trailer;
            g.messages.end = n;
            if trailer.is_none() {
                loc = Some(g.header.location());
            }
        }
        if let Some(loc) = loc {
            self.note(NoteKind::MissingGroupTrailer, loc, 0, why.text());
        }
    }

    fn finish(&mut self, mut b: Builder<'a>, why: Why) -> Interchange<'a> {
        let end = b.ic.segment_count;
        self.close_message(&mut b, end, None, why);
        self.close_group(&mut b, None, why);
        if b.ic.has_header && b.ic.trailer.is_none() {
            let loc =
                b.ic.header
                    .map_or(Location::at(b.ic.span.start), |s| s.location());
            self.note(NoteKind::MissingInterchangeTrailer, loc, 0, why.text());
        }
        self.made += 1;
        self.scanner = Some((b.scanner_key, b.scanner));
        b.ic
    }

    /// Records the repertoire check of one segment (ISO 9735-1 Annex A),
    /// made in the pass that framed it (`bad`: the first byte not allowed);
    /// issues are kept only when there are some.
    #[inline]
    fn characters(b: &mut Builder<'a>, seg: Segment<'a>, bad: Option<usize>) {
        let bytes = seg.as_bytes();
        if let Some(i) = bad {
            b.ic.char_issues.push(CharIssue::Byte(seg, i));
        }
        if b.utf8 {
            if let Err(e) = std::str::from_utf8(bytes) {
                b.ic.char_issues.push(CharIssue::Utf8(seg, e.valid_up_to()));
            }
        }
    }

    /// Adds one segment to the interchange being built; returns false when
    /// it closed the interchange (UNZ).
    fn segment(
        &mut self,
        b: &mut Builder<'a>,
        bytes: &'a [u8],
        pos: usize,
        bad: Option<usize>,
    ) -> Result<bool> {
        if bytes.len() > self.limits.max_segment_len {
            return Err(Error::limit(
                Location::at(pos),
                "segment length",
                self.limits.max_segment_len,
            ));
        }
        self.total_segments += 1;
        if self.total_segments > self.limits.max_segments {
            return Err(Error::limit(
                Location::at(pos),
                "segment count",
                self.limits.max_segments,
            ));
        }
        let index = b.ic.segment_count;
        b.ic.segment_count += 1;
        let ordinal = u32::try_from(index).unwrap_or(u32::MAX);
        let d = b.ic.delimiters;
        let seg = Segment::new(bytes, pos, ordinal, d);
        b.ic.span.end = pos + bytes.len();
        if index == 0 {
            if b.ic.has_header {
                b.ic.header = Some(seg);
            }
            let charset = b.ic.charset();
            let mut extra = [d.element, d.component, d.segment, d.segment, d.segment];
            if let Some(r) = d.release {
                extra[3] = r;
            }
            if let Some(r) = d.repetition {
                extra[4] = r;
            }
            let key = Some((charset, extra));
            if b.scanner_key != key {
                b.scanner = Scanner::new(charset, &extra);
                b.scanner_key = key;
            }
            b.utf8 = charset == Charset::Utf8;
            // The UNB was framed before its repertoire was known.
            Self::characters(b, seg, b.scanner.first_invalid(bytes));
        } else {
            Self::characters(b, seg, bad);
        }
        let Some(t) = service_tag(bytes, &d) else {
            if bytes.starts_with(b"US") {
                b.ic.security = true;
            }
            if b.open_message.is_none() {
                self.unexpected(&seg, "outside a message (UNH..UNT)");
            }
            return Ok(true);
        };
        match t {
            b'B' if index == 0 && b.ic.has_header => {}
            b'G' => {
                let why = Why::At("UNG", pos);
                self.close_message(b, index, None, why);
                self.close_group(b, None, why);
                if !b.ic.has_header {
                    self.unexpected(&seg, "outside an interchange (no UNB)");
                } else if b.ic.messages.iter().any(|m| m.group.is_none()) {
                    self.unexpected(
                        &seg,
                        "after messages outside groups (ISO 9735: all or none)",
                    );
                }
                let n = b.ic.messages.len();
                b.ic.groups.push(GroupIndex {
                    header: seg,
                    trailer: None,
                    messages: n..n,
                });
                b.open_group = Some(b.ic.groups.len() - 1);
            }
            b'E' => {
                self.close_message(b, index, None, Why::At("UNE", pos));
                if b.open_group.is_some() {
                    self.close_group(b, Some(seg), Why::Nothing);
                } else {
                    self.unexpected(&seg, "without UNG");
                }
            }
            b'H' => {
                self.close_message(b, index, None, Why::At("UNH", pos));
                if b.open_group.is_none() && !b.ic.groups.is_empty() {
                    self.unexpected(&seg, "outside a group in an interchange with groups");
                }
                b.ic.messages.push(MessageIndex {
                    start: index,
                    count: 1,
                    header: seg,
                    trailer: None,
                    group: b.open_group,
                });
                b.open_message = Some(b.ic.messages.len() - 1);
            }
            b'T' => {
                if b.open_message.is_some() {
                    self.close_message(b, index + 1, Some(seg), Why::Nothing);
                } else {
                    self.unexpected(&seg, "without UNH");
                }
            }
            b'Z' => {
                let why = Why::At("UNZ", pos);
                self.close_message(b, index, None, why);
                self.close_group(b, None, why);
                if b.ic.has_header {
                    b.ic.trailer = Some(seg);
                    return Ok(false);
                }
                self.unexpected(&seg, "without UNB");
            }
            // UNS (section control) and other service segments stand inside
            // messages; elsewhere they are unexpected like data segments.
            _ => {
                if b.open_message.is_none() {
                    self.unexpected(&seg, "outside a message (UNH..UNT)");
                }
            }
        }
        Ok(true)
    }

    #[cold]
    fn unexpected(&mut self, seg: &Segment<'a>, what: &str) {
        self.note(
            NoteKind::UnexpectedSegment,
            seg.location(),
            0,
            format!(
                "{} {what}",
                seg.tag().get(..8).unwrap_or(seg.tag()).escape_ascii()
            ),
        );
    }

    /// Skips layout (CR, LF, tab) between segments, counting the places.
    #[inline]
    fn layout(&mut self, mut pos: usize) -> usize {
        let input = self.input;
        let lb = pos;
        while input.get(pos).is_some_and(|&b| is_layout(b)) {
            pos += 1;
        }
        if pos > lb && pos < input.len() {
            let (first, n) = self.line_breaks.unwrap_or((lb, 0));
            self.line_breaks = Some((first, n + 1));
        }
        pos
    }

    /// Frames the segments of one interchange from `pos` until its UNZ, the
    /// next UNA/UNB, or the end of the input; returns where it stopped and
    /// why.
    fn body(&mut self, b: &mut Builder<'a>, mut pos: usize) -> Result<(usize, Why)> {
        let input = self.input;
        let len = input.len();
        let d = b.ic.delimiters;
        let mut blocks = Blocks::default();
        loop {
            pos = self.layout(pos);
            let Some(rest) = input.get(pos..).filter(|r| !r.is_empty()) else {
                return Ok((pos, Why::EndOfInput));
            };
            if b.ic.segment_count > 0 && rest.first() == Some(&b'U') {
                if starts_header(rest, b"UNA") {
                    return Ok((pos, Why::At("UNA", pos)));
                }
                if starts_header(rest, b"UNB") {
                    return Ok((pos, Why::At("UNB", pos)));
                }
            }
            let (end, bad) = b
                .scanner
                .frame_at(&mut blocks, input, pos, d.segment, d.release);
            let (bytes, next) = match end {
                Some(i) => (rest.get(..i).unwrap_or(rest), pos + i + 1),
                None => (rest, len),
            };
            // A data segment inside a message with nothing to note is only
            // counted (the same outcome as `segment`, without building the
            // view).
            if bad.is_none()
                && !b.utf8
                && b.open_message.is_some()
                && b.ic.segment_count > 0
                && bytes.first() != Some(&b'U')
                && bytes.len() <= self.limits.max_segment_len
                && self.total_segments < self.limits.max_segments
            {
                self.total_segments += 1;
                b.ic.segment_count += 1;
                b.ic.span.end = pos + bytes.len();
                pos = next;
                continue;
            }
            let open = self.segment(b, bytes, pos, bad)?;
            pos = next;
            if !open {
                return Ok((pos, Why::Nothing));
            }
        }
    }

    /// Reads on to the end of the next interchange.
    fn step(&mut self) -> Result<Option<Interchange<'a>>> {
        let input = self.input;
        let len = input.len();
        if std::mem::take(&mut self.at_start) {
            if len > self.limits.max_input_len {
                return Err(Error::limit(
                    Location::at(0),
                    "input length",
                    self.limits.max_input_len,
                ));
            }
            if input.starts_with(BOM) {
                self.note(NoteKind::ByteOrderMark, Location::at(0), BOM.len(), "");
                self.pos = BOM.len();
            }
        }
        loop {
            let mut pos = self.layout(self.pos);
            self.pos = pos;
            let Some(rest) = input.get(pos..).filter(|r| !r.is_empty()) else {
                return Ok(None);
            };
            if starts_header(rest, b"UNA") {
                match ServiceStringAdvice::parse(rest) {
                    Ok(u) => {
                        self.pending_una = Some((pos, u));
                        pos += ServiceStringAdvice::LEN;
                    }
                    Err(e) => {
                        self.note(NoteKind::UnaMalformed, Location::at(pos), 0, e.as_str());
                        self.pending_una = None;
                        pos = find_next_header(input, pos + 3).unwrap_or(len);
                    }
                }
                self.started = true;
                self.pos = pos;
                continue;
            }
            let bare = starts_header(rest, b"UNH");
            if bare || starts_header(rest, b"UNB") {
                let una = self.pending_una.take();
                let mut b = self.start(pos, una, bare)?;
                if bare {
                    self.note(
                        NoteKind::BareMessage,
                        Location::at(pos).with_segment(0),
                        0,
                        "",
                    );
                }
                self.started = true;
                let (next, why) = self.body(&mut b, pos)?;
                self.pos = next;
                return Ok(Some(self.finish(b, why)));
            }
            // Not a header: skip to the next one.
            let next = find_next_header(input, pos + 1).unwrap_or(len);
            // An interchange made means one started.
            let kind = if self.started {
                NoteKind::TrailingData
            } else {
                NoteKind::LeadingJunk
            };
            self.note(kind, Location::at(pos), next - pos, "");
            self.pos = next;
        }
    }
}

impl<'a> Iterator for Interchanges<'a> {
    type Item = Result<Interchange<'a>>;

    fn next(&mut self) -> Option<Result<Interchange<'a>>> {
        if self.done {
            return None;
        }
        match self.step() {
            Ok(Some(ic)) => Some(Ok(ic)),
            Ok(None) => {
                self.done = true;
                if let Some((first, n)) = self.line_breaks {
                    self.note(NoteKind::LineBreaks, Location::at(first), n, "");
                }
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

impl std::iter::FusedIterator for Interchanges<'_> {}

/// Parses every interchange in `input`.
///
/// Delimiters are discovered per interchange: each UNA applies to the
/// interchange that follows it; without one, the defaults that UNB implies
/// (ISO 9735-1 Annex A: level A/C `:+.? '`, level B the information
/// separators IS1/IS3/IS4, syntax version 4 adding the repetition
/// separator). Headers are recognised only at segment starts.
///
/// Returns an error only when a [`Limits`] bound is exceeded.
///
/// # Examples
///
/// ```
/// use ediguard::{edifact, Limits};
/// let input = b"UNB+UNOA:4+A+B+20261117:1600+1'UNH+1+X:D:01B:UN'BGM+1*2'UNT+3+1'UNZ+1+1'";
/// let parsed = edifact::parse(input, &Limits::default()).unwrap();
/// let ic = &parsed.interchanges()[0];
/// assert_eq!(ic.delimiters().repetition, Some(b'*'));
/// let bgm = ic.segments().nth(2).unwrap();
/// assert_eq!(bgm.element(1).unwrap().repetitions().count(), 2);
/// ```
pub fn parse<'a>(input: &'a [u8], limits: &Limits) -> Result<Parsed<'a>> {
    let mut iter = Parser::new(input)
        .with_limits(limits.clone())
        .interchanges();
    let mut interchanges = Vec::new();
    for ic in iter.by_ref() {
        interchanges.push(ic?);
    }
    Ok(Parsed {
        input,
        interchanges,
        notes: iter.notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(input: &[u8]) -> Vec<(NoteKind, usize)> {
        parse(input, &Limits::default())
            .unwrap()
            .notes()
            .iter()
            .map(|n| (n.kind, n.location.offset))
            .collect()
    }

    #[test]
    fn service_tag_table() {
        let d = Delimiters::EDIFACT_DEFAULT;
        let cases: &[(&[u8], Option<u8>)] = &[
            (b"UNH+1", Some(b'H')),
            (b"UNS", Some(b'S')),
            (b"UNT:1+2", Some(b'T')),
            (b"UNHX+1", None),
            (b"BGM+1", None),
            (b"UN", None),
            (b"", None),
        ];
        for (input, want) in cases {
            assert_eq!(service_tag(input, &d), *want, "{input:?}");
        }
    }

    #[test]
    fn starts_header_table() {
        let cases: &[(&[u8], bool)] = &[
            (b"UNB+", true),
            (b"UNB\x1d", true),
            (b"UNBX", false),
            (b"UNB", false),
            (b"XUNB+", false),
        ];
        for (input, want) in cases {
            assert_eq!(starts_header(input, b"UNB"), *want, "{input:?}");
        }
    }

    #[test]
    fn notes_table() {
        let ok: &[u8] = b"UNB+UNOA:3+A+B+261117:1600+1'UNH+1+X:D:01B:UN'UNT+2+1'UNZ+1+1'";
        type Case<'a> = (&'a [u8], &'a [(NoteKind, usize)]);
        let cases: &[Case<'_>] = &[
            (ok, &[]),
            (
                b"\xEF\xBB\xBFUNB+UNOA:3+A+B+1+1'UNZ+0+1'",
                &[(NoteKind::ByteOrderMark, 0)],
            ),
            (
                b"xyUNB+UNOA:3+A+B+1+1'UNZ+0+1'",
                &[(NoteKind::LeadingJunk, 0)],
            ),
            (
                b"UNB+UNOA:3+A+B+1+1'UNZ+0+1'zz",
                &[(NoteKind::TrailingData, 27)],
            ),
            (
                b"UNB+UNOA:3+A+B+1+1'\r\nUNZ+0+1'",
                &[(NoteKind::LineBreaks, 19)],
            ),
            (
                b"UNB+UNOA:3+A+B+1+1'BGM'UNZ+0+1'",
                &[(NoteKind::UnexpectedSegment, 19)],
            ),
            (
                b"UNB+UNOA:3+A+B+1+1'UNH+1+X'",
                &[
                    (NoteKind::MissingMessageTrailer, 19),
                    (NoteKind::MissingInterchangeTrailer, 0),
                ],
            ),
            (b"UNH+1+X'UNT+2+1'", &[(NoteKind::BareMessage, 0)]),
            (
                b"UNA:+.?'UNB+UNOA:3+A+B+1+1'UNZ+0+1'",
                &[(NoteKind::UnaMalformed, 0)],
            ),
        ];
        for (input, want) in cases {
            assert_eq!(kinds(input), *want, "{}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn level_b_defaults_without_una() {
        let input = b"UNB\x1dUNOB\x1f3\x1dA\x1dB\x1d1\x1d1\x1cUNZ\x1d0\x1d1\x1c";
        let parsed = parse(input, &Limits::default()).unwrap();
        let ic = &parsed.interchanges()[0];
        assert_eq!(ic.delimiters(), LEVEL_B_DEFAULT);
        assert_eq!(ic.syntax_identifier(), Some(&b"UNOB"[..]));
        assert!(ic.trailer().is_some());
    }
}
