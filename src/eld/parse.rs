//! The zero-copy parser: lines, sections, records and fields.

use std::ops::Range;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::check_value::{self, parse_hex2};
use super::layout::{FieldName, Layout, SectionKind};
use super::value::{Coordinate, EngineHours, FieldError};
use crate::{Error, Limits, Location, Result};

/// How a line ends. Appendix A §3.2(c) defines `<CR>` as "carriage return or
/// new line or end of the current line"; ediguard accepts all three and
/// reports which it found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LineEnding {
    /// A lone carriage return.
    Cr,
    /// A lone line feed.
    Lf,
    /// CR followed by LF.
    CrLf,
}

impl LineEnding {
    /// The bytes of the ending.
    pub const fn as_bytes(self) -> &'static [u8] {
        match self {
            LineEnding::Cr => b"\r",
            LineEnding::Lf => b"\n",
            LineEnding::CrLf => b"\r\n",
        }
    }
}

/// How many lines ended in each way, and whether the last line was
/// terminated (§4.8.2.1: every line, the last included, ends with `<CR>`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LineEndings {
    /// Lines ending in a lone CR.
    pub cr: usize,
    /// Lines ending in a lone LF.
    pub lf: usize,
    /// Lines ending in CRLF.
    pub crlf: usize,
    /// True when the last line has no terminator.
    pub unterminated_last: bool,
}

impl LineEndings {
    /// The one ending used by every terminated line, or `None` when they are
    /// mixed or there are none.
    pub fn uniform(&self) -> Option<LineEnding> {
        match (self.cr > 0, self.lf > 0, self.crlf > 0) {
            (true, false, false) => Some(LineEnding::Cr),
            (false, true, false) => Some(LineEnding::Lf),
            (false, false, true) => Some(LineEnding::CrLf),
            _ => None,
        }
    }

    /// True when more than one kind of ending is used.
    pub fn is_mixed(&self) -> bool {
        [self.cr, self.lf, self.crlf]
            .iter()
            .filter(|&&n| n > 0)
            .count()
            > 1
    }
}

#[derive(Clone, Copy, Debug)]
struct LineSpan {
    start: usize,
    end: usize,
}

/// How a title line matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TitleMatch {
    /// The title is exactly the one of §4.8.2.1.
    Exact,
    /// The title matches only when case, surrounding spaces or a typographic
    /// apostrophe are ignored.
    Loose,
    /// A comma-free line ending in `:` that is no known title.
    Unknown,
    /// No title line: the lines before the first title.
    None,
}

#[derive(Clone, Debug)]
struct SectionSpan {
    kind: Option<SectionKind>,
    title_line: Option<usize>,
    title_match: TitleMatch,
    lines: Range<usize>,
}

/// A parsed ELD output file (Appendix A §4.8.2.1): an index of its lines and
/// sections over the caller's bytes. Nothing is copied; one `Vec` of line
/// boundaries and one of sections are the only allocations.
///
/// Parsing judges only structure: it never fails on content. It returns an
/// [`Error`] only when a [`Limits`] bound is exceeded (line length, line
/// count).
///
/// # Examples
///
/// ```
/// use ediguard::Limits;
/// use ediguard::eld::{EldFile, SectionKind};
/// let input = b"ELD File Header Segment:\r\nSmith,John,jsmith,CT,W8569238,40\r\nUser List:\r\n1,D,Smith,John,59\r\n";
/// let file = EldFile::parse(input, &Limits::default()).unwrap();
/// let users = file.section(SectionKind::UserList).unwrap();
/// let row = users.records().next().unwrap();
/// assert_eq!(row.field(3).unwrap().as_bytes(), b"Smith");
/// assert_eq!(row.line_check_value(), Ok(0x59));
/// assert_eq!(row.computed_line_check_value(), Some(0x59));
/// ```
#[derive(Clone, Debug)]
pub struct EldFile<'a> {
    input: &'a [u8],
    bom: bool,
    lines: Vec<LineSpan>,
    sections: Vec<SectionSpan>,
    endings: LineEndings,
}

impl<'a> EldFile<'a> {
    /// Splits `input` into lines (memchr) and sections. A UTF-8 byte-order
    /// mark is skipped ([`EldFile::has_bom`]).
    pub fn parse(input: &'a [u8], limits: &Limits) -> Result<EldFile<'a>> {
        let bom = input.starts_with(crate::format::BOM);
        let mut pos = if bom { crate::format::BOM.len() } else { 0 };
        // Sized by the line feeds (one vectorised count) so the index is
        // not copied as it grows; files ending lines in CR alone grow it.
        let mut lines = Vec::with_capacity(
            memchr::memchr_iter(b'\n', input)
                .count()
                .saturating_add(1)
                .min(limits.max_segments),
        );
        let mut endings = LineEndings::default();
        while pos < input.len() {
            let (end, next) = match memchr::memchr2(b'\r', b'\n', &input[pos..]) {
                Some(i) => {
                    let at = pos + i;
                    if input[at] == b'\n' {
                        endings.lf += 1;
                        (at, at + 1)
                    } else if input.get(at + 1) == Some(&b'\n') {
                        endings.crlf += 1;
                        (at, at + 2)
                    } else {
                        endings.cr += 1;
                        (at, at + 1)
                    }
                }
                None => {
                    endings.unterminated_last = true;
                    (input.len(), input.len())
                }
            };
            if end - pos > limits.max_segment_len {
                return Err(Error::limit(
                    Location::at(pos),
                    "ELD line length",
                    limits.max_segment_len,
                ));
            }
            if lines.len() >= limits.max_segments {
                return Err(Error::limit(
                    Location::at(pos),
                    "ELD line count",
                    limits.max_segments,
                ));
            }
            lines.push(LineSpan { start: pos, end });
            pos = next;
        }
        let mut sections: Vec<SectionSpan> = Vec::new();
        let mut current = SectionSpan {
            kind: None,
            title_line: None,
            title_match: TitleMatch::None,
            lines: 0..0,
        };
        for (i, span) in lines.iter().enumerate() {
            let line = &input[span.start..span.end];
            // Every title, even a loosely matched or unknown one, ends in
            // `:` once trailing spaces are cut: test that cheap part first.
            let title =
                if !line.trim_ascii_end().ends_with(b":") || memchr::memchr(b',', line).is_some() {
                    None
                } else if let Some(k) = SectionKind::from_title(line) {
                    Some((Some(k), TitleMatch::Exact))
                } else if let Some(k) = SectionKind::from_title_loose(line) {
                    Some((Some(k), TitleMatch::Loose))
                } else {
                    Some((None, TitleMatch::Unknown))
                };
            match title {
                Some((kind, title_match)) => {
                    current.lines.end = i;
                    if current.title_line.is_some() || !current.lines.is_empty() {
                        sections.push(current);
                    }
                    current = SectionSpan {
                        kind,
                        title_line: Some(i),
                        title_match,
                        lines: i + 1..i + 1,
                    };
                }
                None => current.lines.end = i + 1,
            }
        }
        if current.title_line.is_some() || !current.lines.is_empty() {
            sections.push(current);
        }
        Ok(EldFile {
            input,
            bom,
            lines,
            sections,
            endings,
        })
    }

    /// The bytes the file was parsed from.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.input
    }

    /// True when the input started with a UTF-8 byte-order mark.
    pub fn has_bom(&self) -> bool {
        self.bom
    }

    /// How the lines ended.
    pub fn line_endings(&self) -> LineEndings {
        self.endings
    }

    /// The number of lines (titles included).
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// Every section in file order, including unknown titles, duplicates, and
    /// (first, with no title) any lines before the first title.
    pub fn sections(&self) -> Sections<'_, 'a> {
        Sections {
            file: self,
            next: 0,
        }
    }

    /// The first section of `kind`.
    pub fn section(&self, kind: SectionKind) -> Option<Section<'_, 'a>> {
        self.sections().find(|s| s.kind() == Some(kind))
    }

    fn record(&self, index: usize, layout: Option<Layout>) -> Option<Record<'a>> {
        let span = self.lines.get(index)?;
        Some(Record {
            bytes: self.input.get(span.start..span.end)?,
            offset: span.start,
            line: u32::try_from(index).unwrap_or(u32::MAX),
            layout,
        })
    }
}

/// Iterator over the sections of an [`EldFile`].
#[derive(Clone, Debug)]
pub struct Sections<'f, 'a> {
    file: &'f EldFile<'a>,
    next: usize,
}

impl<'f, 'a> Iterator for Sections<'f, 'a> {
    type Item = Section<'f, 'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let span = self.file.sections.get(self.next)?;
        self.next += 1;
        Some(Section {
            file: self.file,
            span,
        })
    }
}

/// One section: its title line and its data lines.
#[derive(Clone, Copy, Debug)]
pub struct Section<'f, 'a> {
    file: &'f EldFile<'a>,
    span: &'f SectionSpan,
}

impl<'f, 'a> Section<'f, 'a> {
    /// Which section this is; `None` for an unknown title or the lines
    /// before the first title.
    pub fn kind(&self) -> Option<SectionKind> {
        self.span.kind
    }

    /// How the title matched.
    pub fn title_match(&self) -> TitleMatch {
        self.span.title_match
    }

    /// The title line, as written.
    pub fn title(&self) -> Option<Record<'a>> {
        self.file.record(self.span.title_line?, None)
    }

    /// The number of data lines.
    pub fn len(&self) -> usize {
        self.span.lines.len()
    }

    /// True when the section has no data lines.
    pub fn is_empty(&self) -> bool {
        self.span.lines.is_empty()
    }

    /// The data lines, each with the layout its position gives it (header
    /// lines 1 to 7, the section's row layout, or `None` for lines that
    /// have no place: an eighth header line, a second line after `End of
    /// File:`, lines under an unknown title).
    pub fn records(&self) -> Records<'f, 'a> {
        Records {
            file: self.file,
            kind: self.span.kind,
            first: self.span.lines.start,
            lines: self.span.lines.clone(),
        }
    }
}

/// Iterator over the data lines of a [`Section`].
#[derive(Clone, Debug)]
pub struct Records<'f, 'a> {
    file: &'f EldFile<'a>,
    kind: Option<SectionKind>,
    first: usize,
    lines: Range<usize>,
}

impl<'a> Iterator for Records<'_, 'a> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        let i = self.lines.next()?;
        self.at(i)
    }

    /// Skips `n` lines without reading them (`skip` uses it).
    fn nth(&mut self, n: usize) -> Option<Record<'a>> {
        let i = self.lines.nth(n)?;
        self.at(i)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.lines.size_hint()
    }
}

impl<'a> Records<'_, 'a> {
    /// Line `i` of the file, with the layout of its place in the section.
    fn at(&self, i: usize) -> Option<Record<'a>> {
        let nth = i - self.first;
        let layout = match self.kind {
            Some(SectionKind::Header) => Layout::header(nth + 1),
            Some(SectionKind::EndOfFile) if nth > 0 => None,
            Some(k) => k.layout(),
            None => None,
        };
        self.file.record(i, layout)
    }
}

impl ExactSizeIterator for Records<'_, '_> {}

/// One line of the file, without its terminator: a borrowed, `Copy` view.
///
/// # Examples
///
/// ```
/// use ediguard::eld::{Layout, Record};
/// let rec = Record::new(b"1,D,Smith,John,59", 100, 9, Some(Layout::User));
/// assert_eq!(rec.field_count(), 5);
/// assert_eq!(rec.field(2).unwrap().location().offset, 102);
/// assert_eq!(rec.order_number(), Ok(1));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u32,
    layout: Option<Layout>,
}

impl<'a> Record<'a> {
    /// A view of `bytes` (one line without its terminator) at byte `offset`,
    /// line `line` (0-based), read with `layout`.
    pub fn new(bytes: &'a [u8], offset: usize, line: u32, layout: Option<Layout>) -> Self {
        Record {
            bytes,
            offset,
            line,
            layout,
        }
    }

    /// The line's bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Byte offset of the line's first byte.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Line number, 0-based.
    pub fn line_index(&self) -> u32 {
        self.line
    }

    /// The layout the line is read with.
    pub fn layout(&self) -> Option<Layout> {
        self.layout
    }

    /// The location of the line's start.
    pub fn location(&self) -> Location {
        Location::at(self.offset)
    }

    /// The fields, split on every comma (§4.8.2.1(b)(3): commas inside values
    /// are replaced by `;`, so no quoting exists).
    pub fn fields(&self) -> Fields<'a> {
        Fields {
            rest: Some(self.bytes),
            offset: self.offset,
            position: 1,
        }
    }

    /// The number of fields (commas plus one).
    pub fn field_count(&self) -> usize {
        memchr::memchr_iter(b',', self.bytes).count() + 1
    }

    /// Field `n` (1-based).
    pub fn field(&self, n: usize) -> Option<Field<'a>> {
        self.fields().nth(n.checked_sub(1)?)
    }

    /// The field called `name` in the line's layout.
    pub fn named(&self, name: FieldName) -> Option<Field<'a>> {
        self.field(self.layout?.position(name)?)
    }

    /// The last field read as the line data check value (§7.32: two hex
    /// digits).
    pub fn line_check_value(&self) -> Result<u8, FieldError> {
        let field = self.last_field().ok_or(FieldError::Absent)?;
        field.hex2()
    }

    /// The last field.
    pub fn last_field(&self) -> Option<Field<'a>> {
        let comma = memchr::memrchr(b',', self.bytes)?;
        let position = u32::try_from(self.field_count()).unwrap_or(u32::MAX);
        Some(Field::new(
            self.bytes.get(comma + 1..)?,
            self.offset + comma + 1,
            position,
        ))
    }

    /// The line data check value recomputed over everything before the last
    /// field (§4.4.5.2); `None` when the line has no comma.
    pub fn computed_line_check_value(&self) -> Option<u8> {
        let comma = memchr::memrchr(b',', self.bytes)?;
        Some(check_value::line_check_value(self.bytes.get(..comma)?))
    }

    fn typed<T>(
        &self,
        name: FieldName,
        f: impl FnOnce(Field<'a>) -> Result<T, FieldError>,
    ) -> Result<T, FieldError> {
        f(self.named(name).ok_or(FieldError::Absent)?)
    }

    /// The Event Sequence ID Number (§7.24).
    pub fn sequence_id(&self) -> Result<u16, FieldError> {
        self.typed(FieldName::SequenceId, |f| f.sequence_id())
    }

    /// The Event Record Status (§7.23, 1 to 4).
    pub fn record_status(&self) -> Result<u8, FieldError> {
        self.typed(FieldName::RecordStatus, |f| f.digit_in(1, 4))
    }

    /// The Event Record Origin (§7.22, 1 to 4).
    pub fn record_origin(&self) -> Result<u8, FieldError> {
        self.typed(FieldName::RecordOrigin, |f| f.digit_in(1, 4))
    }

    /// The Event Type (§7.25, 1 to 7).
    pub fn event_type(&self) -> Result<u8, FieldError> {
        self.typed(FieldName::EventType, |f| f.digit_in(1, 7))
    }

    /// The Event Code (§7.20, one digit; its meaning depends on the type).
    pub fn event_code(&self) -> Result<u8, FieldError> {
        self.typed(FieldName::EventCode, |f| f.digit_in(0, 9))
    }

    /// The Date (§7.8).
    pub fn date(&self) -> Result<NaiveDate, FieldError> {
        self.typed(FieldName::Date, |f| f.date())
    }

    /// The Time (§7.40).
    pub fn time(&self) -> Result<NaiveTime, FieldError> {
        self.typed(FieldName::Time, |f| f.time())
    }

    /// Date and time joined (home-terminal local time, §4.4.3).
    pub fn date_time(&self) -> Result<NaiveDateTime, FieldError> {
        Ok(self.date()?.and_time(self.time()?))
    }

    /// The Vehicle Miles (§7.43).
    pub fn vehicle_miles(&self) -> Result<u32, FieldError> {
        self.typed(FieldName::VehicleMiles, |f| f.miles())
    }

    /// The Engine Hours (§7.19).
    pub fn engine_hours(&self) -> Result<EngineHours, FieldError> {
        self.typed(FieldName::EngineHours, |f| f.engine_hours())
    }

    /// The Latitude (§7.31).
    pub fn latitude(&self) -> Result<Coordinate, FieldError> {
        self.typed(FieldName::Latitude, |f| f.latitude())
    }

    /// The Longitude (§7.33).
    pub fn longitude(&self) -> Result<Coordinate, FieldError> {
        self.typed(FieldName::Longitude, |f| f.longitude())
    }

    /// The row's own Order Number (§7.37, user and CMV lists).
    pub fn order_number(&self) -> Result<u8, FieldError> {
        self.typed(FieldName::OrderNumber, |f| f.order_number())
    }

    /// The Corresponding CMV Order Number (§7.37).
    pub fn cmv_order(&self) -> Result<u8, FieldError> {
        self.typed(FieldName::CmvOrder, |f| f.order_number())
    }

    /// The User Order Number for the Record Originator (§7.37).
    pub fn user_order(&self) -> Result<u8, FieldError> {
        self.typed(FieldName::UserOrder, |f| f.order_number())
    }

    /// The Event Data Check Value (§7.21).
    pub fn event_check_value(&self) -> Result<u8, FieldError> {
        self.typed(FieldName::EventCheckValue, |f| f.hex2())
    }
}

/// Iterator over the fields of a [`Record`]. Allocates nothing.
#[derive(Clone, Debug)]
pub struct Fields<'a> {
    rest: Option<&'a [u8]>,
    offset: usize,
    position: u32,
}

impl<'a> Iterator for Fields<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        let rest = self.rest?;
        let field = match memchr::memchr(b',', rest) {
            Some(i) => {
                self.rest = rest.get(i + 1..);
                Field::new(&rest[..i], self.offset, self.position)
            }
            None => {
                self.rest = None;
                Field::new(rest, self.offset, self.position)
            }
        };
        self.offset += field.bytes.len() + 1;
        self.position = self.position.saturating_add(1);
        Some(field)
    }
}

/// The value of `b`, at most nine decimal digits, in one pass.
fn decimal(b: &[u8]) -> Result<u32, FieldError> {
    b.iter().try_fold(0u32, |acc, &c| {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            Err(FieldError::Syntax)
        } else {
            Ok(acc * 10 + u32::from(d))
        }
    })
}

/// One field of a line: its bytes, byte offset and 1-based position, with
/// typed accessors that each return a `Result`.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use ediguard::eld::{Coordinate, Field};
/// assert_eq!(Field::new(b"111726", 0, 6).date().unwrap(), NaiveDate::from_ymd_opt(2026, 11, 17).unwrap());
/// assert_eq!(Field::new(b"1F", 0, 1).sequence_id(), Ok(0x1F));
/// assert_eq!(Field::new(b"M", 0, 10).latitude(), Ok(Coordinate::Manual));
/// assert_eq!(Field::new(b"12.5", 0, 9).engine_hours().unwrap().tenths(), 125);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    bytes: &'a [u8],
    offset: usize,
    position: u32,
}

impl<'a> Field<'a> {
    /// A field view of `bytes` at `offset`, position `position` (1-based).
    pub fn new(bytes: &'a [u8], offset: usize, position: u32) -> Self {
        Field {
            bytes,
            offset,
            position,
        }
    }

    /// The field's bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The field as text; fails on bytes that are not UTF-8.
    pub fn to_str(&self) -> Result<&'a str, std::str::Utf8Error> {
        std::str::from_utf8(self.bytes)
    }

    /// True when the field is empty.
    pub fn is_blank(&self) -> bool {
        self.bytes.is_empty()
    }

    /// 1-based position on the line.
    pub fn position(&self) -> u32 {
        self.position
    }

    /// Byte offset of the field's first byte.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// `Location::at(offset).with_field(position)`.
    pub fn location(&self) -> Location {
        Location::at(self.offset).with_field(self.position)
    }

    fn non_blank(&self) -> Result<&'a [u8], FieldError> {
        if self.bytes.is_empty() {
            Err(FieldError::Blank)
        } else {
            Ok(self.bytes)
        }
    }

    /// Exactly six digits, read as three two-digit numbers (`MMDDYY`,
    /// `HHMMSS`).
    fn pairs(&self) -> Result<[u32; 3], FieldError> {
        let bytes = self.non_blank()?;
        let Some(&[a, b, c, d, e, f]) = bytes.first_chunk::<6>().filter(|_| bytes.len() == 6)
        else {
            return Err(FieldError::Syntax);
        };
        let [a, b, c, d, e, f] = [a, b, c, d, e, f].map(|x| x.wrapping_sub(b'0'));
        if [a, b, c, d, e, f].iter().any(|&x| x > 9) {
            return Err(FieldError::Syntax);
        }
        let pair = |hi: u8, lo: u8| u32::from(hi * 10 + lo);
        Ok([pair(a, b), pair(c, d), pair(e, f)])
    }

    /// An unsigned decimal integer of 1 to `max_len` digits.
    pub fn integer(&self, max_len: usize) -> Result<u32, FieldError> {
        let b = self.non_blank()?;
        if b.len() > max_len.min(9) {
            return Err(FieldError::Syntax);
        }
        decimal(b)
    }

    /// A single digit between `min` and `max`.
    pub fn digit_in(&self, min: u8, max: u8) -> Result<u8, FieldError> {
        let v = match self.non_blank()? {
            [d] if d.is_ascii_digit() => d - b'0',
            _ => return Err(FieldError::Syntax),
        };
        if (min..=max).contains(&v) {
            Ok(v)
        } else {
            Err(FieldError::OutOfRange)
        }
    }

    /// A date `MMDDYY` (§7.8), years 2000 to 2099.
    pub fn date(&self) -> Result<NaiveDate, FieldError> {
        let [m, d, y] = self.pairs()?;
        NaiveDate::from_ymd_opt(2000 + y as i32, m, d).ok_or(FieldError::OutOfRange)
    }

    /// A time `HHMMSS` (§7.40, §7.1).
    pub fn time(&self) -> Result<NaiveTime, FieldError> {
        let [h, m, s] = self.pairs()?;
        NaiveTime::from_hms_opt(h, m, s).ok_or(FieldError::OutOfRange)
    }

    /// An Event Sequence ID Number (§7.24): 1 to 4 hex digits, either case.
    pub fn sequence_id(&self) -> Result<u16, FieldError> {
        let b = self.non_blank()?;
        if b.len() > 4 {
            return Err(FieldError::Syntax);
        }
        b.iter().try_fold(0u16, |acc, &d| {
            Ok(acc << 4 | u16::from(check_value::hex_digit(d).ok_or(FieldError::Syntax)?))
        })
    }

    /// Two hex digits (check values, §7.21 and §7.32).
    pub fn hex2(&self) -> Result<u8, FieldError> {
        parse_hex2(self.non_blank()?).ok_or(FieldError::Syntax)
    }

    /// Vehicle miles (§7.43): 1 to 7 digits, 0 to 9,999,999.
    pub fn miles(&self) -> Result<u32, FieldError> {
        self.integer(7)
    }

    /// Engine hours (§7.19): tenths of an hour written `H.T`, 0.0 to
    /// 99,999.9.
    pub fn engine_hours(&self) -> Result<EngineHours, FieldError> {
        let b = self.non_blank()?;
        match b {
            [int @ .., b'.', d] if !int.is_empty() && int.len() <= 5 && d.is_ascii_digit() => {
                let whole = decimal(int)?;
                Ok(EngineHours::from_tenths(whole * 10 + u32::from(d - b'0')))
            }
            _ => Err(FieldError::Syntax),
        }
    }

    /// A latitude (§7.31).
    pub fn latitude(&self) -> Result<Coordinate, FieldError> {
        Coordinate::parse(self.bytes, false)
    }

    /// A longitude (§7.33).
    pub fn longitude(&self) -> Result<Coordinate, FieldError> {
        Coordinate::parse(self.bytes, true)
    }

    /// An Order Number (§7.37): 1 to 99.
    pub fn order_number(&self) -> Result<u8, FieldError> {
        let v = self.integer(2)?;
        if (1..=99).contains(&v) {
            Ok(v as u8)
        } else {
            Err(FieldError::OutOfRange)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(input: &[u8]) -> EldFile<'_> {
        EldFile::parse(input, &Limits::default()).unwrap()
    }

    #[test]
    fn line_endings_are_counted() {
        let f = parse(b"a\rb\nc\r\nd");
        let e = f.line_endings();
        assert_eq!((e.cr, e.lf, e.crlf, e.unterminated_last), (1, 1, 1, true));
        assert!(e.is_mixed());
        assert_eq!(f.line_count(), 4);
        let f = parse(b"a\r\nb\r\n");
        assert_eq!(f.line_endings().uniform(), Some(LineEnding::CrLf));
        assert_eq!(f.line_count(), 2);
    }

    #[test]
    fn sections_and_layouts() {
        let input = b"junk\nELD File Header Segment:\na,b\nc,d\nuser list:\n1,D,x,y,00\nFoo:\nz\nEnd of File:\n969C\nextra\n";
        let f = parse(input);
        let s: Vec<_> = f.sections().collect();
        assert_eq!(s.len(), 5);
        assert_eq!(s[0].kind(), None);
        assert_eq!(s[0].title_match(), TitleMatch::None);
        assert_eq!(s[0].len(), 1);
        assert_eq!(s[1].kind(), Some(SectionKind::Header));
        let layouts: Vec<_> = s[1].records().map(|r| r.layout()).collect();
        assert_eq!(layouts, [Some(Layout::H1), Some(Layout::H2)]);
        assert_eq!(s[2].title_match(), TitleMatch::Loose);
        assert_eq!(s[3].title_match(), TitleMatch::Unknown);
        assert_eq!(s[3].records().next().unwrap().layout(), None);
        let eof: Vec<_> = s[4].records().map(|r| r.layout()).collect();
        assert_eq!(eof, [Some(Layout::FileCheckValue), None]);
    }

    #[test]
    fn fields_offsets_and_positions() {
        let r = Record::new(b",ab,,c", 10, 0, None);
        let got: Vec<_> = r
            .fields()
            .map(|f| (f.as_bytes(), f.offset(), f.position()))
            .collect();
        assert_eq!(
            got,
            [
                (&b""[..], 10, 1),
                (b"ab", 11, 2),
                (b"", 14, 3),
                (b"c", 15, 4)
            ]
        );
        assert_eq!(r.field_count(), 4);
        assert_eq!(r.last_field().unwrap().offset(), 15);
        assert_eq!(r.last_field().unwrap().position(), 4);
        assert_eq!(r.field(0), None);
    }

    #[test]
    fn typed_accessors_table() {
        let f = |b: &'static [u8]| Field::new(b, 0, 1);
        assert_eq!(
            f(b"123199").date(),
            Err(FieldError::OutOfRange).or(f(b"123199").date())
        );
        assert!(f(b"123199").date().is_ok());
        assert_eq!(f(b"133199").date(), Err(FieldError::OutOfRange));
        assert_eq!(f(b"023026").date(), Err(FieldError::OutOfRange));
        assert_eq!(f(b"12319").date(), Err(FieldError::Syntax));
        assert_eq!(f(b"235959").time().unwrap().to_string(), "23:59:59");
        assert_eq!(f(b"240000").time(), Err(FieldError::OutOfRange));
        assert_eq!(f(b"FFFF").sequence_id(), Ok(0xFFFF));
        assert_eq!(f(b"10000").sequence_id(), Err(FieldError::Syntax));
        assert_eq!(f(b"g").sequence_id(), Err(FieldError::Syntax));
        assert_eq!(f(b"9999999").miles(), Ok(9_999_999));
        assert_eq!(f(b"10000000").miles(), Err(FieldError::Syntax));
        assert_eq!(f(b"99999.9").engine_hours().unwrap().tenths(), 999_999);
        assert_eq!(f(b"1.25").engine_hours(), Err(FieldError::Syntax));
        assert_eq!(f(b".5").engine_hours(), Err(FieldError::Syntax));
        assert_eq!(f(b"90.00").latitude().unwrap().as_degrees(), Some(90.0));
        assert_eq!(f(b"90.01").latitude(), Err(FieldError::OutOfRange));
        assert_eq!(f(b"-180.00").longitude(), Err(FieldError::OutOfRange));
        assert!(f(b"180.0").longitude().unwrap().is_reduced());
        assert_eq!(f(b"123.45").latitude(), Err(FieldError::Syntax));
        assert_eq!(f(b"+1.00").latitude(), Err(FieldError::Syntax));
        assert_eq!(f(b"1.234").latitude(), Err(FieldError::Syntax));
        assert_eq!(f(b"E").longitude(), Ok(Coordinate::Malfunction));
        assert_eq!(f(b"0").order_number(), Err(FieldError::OutOfRange));
        assert_eq!(f(b"99").order_number(), Ok(99));
        assert_eq!(f(b"100").order_number(), Err(FieldError::Syntax));
        assert_eq!(f(b"").order_number(), Err(FieldError::Blank));
    }

    #[test]
    fn limits_are_errors() {
        let limits = Limits {
            max_segment_len: 4,
            ..Limits::default()
        };
        let err = EldFile::parse(b"abc\nabcdef\n", &limits).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Limit);
        assert_eq!(err.location().offset, 4);
        let limits = Limits {
            max_segments: 2,
            ..Limits::default()
        };
        assert!(EldFile::parse(b"a\nb\nc\n", &limits).is_err());
    }
}
