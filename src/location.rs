//! Where a finding or an error is: byte offset, segment, element, component,
//! repetition, and (for ELD files) field; line and column on demand.

use serde::Serialize;

/// A position in the input.
///
/// The byte `offset` is 0-based and always present. The `segment` ordinal is
/// 0-based within its interchange; `element`, `component` and `repetition` are
/// 1-based, as EDI writes `REF02-1` (element 2, component 1). ELD locations use
/// `field` (1-based) and the line computed from the offset. `line` and
/// `column` (both 1-based) are filled in from the offset only when a report is
/// prepared for display ([`crate::Report::resolve_lines`]).
///
/// # Examples
///
/// ```
/// use ediguard::Location;
/// let loc = Location::at(120).with_segment(3).with_element(2);
/// assert_eq!(loc.offset, 120);
/// assert_eq!(loc.element, Some(2));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Location {
    /// Byte offset into the input, 0-based.
    pub offset: usize,
    /// Line, 1-based (computed from the offset when shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Column in bytes, 1-based (computed from the offset when shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// Segment ordinal within the interchange, 0-based.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<u32>,
    /// Element position within the segment, 1-based.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<u32>,
    /// Component position within the element, 1-based.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<u32>,
    /// Repetition position within the element, 1-based.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repetition: Option<u32>,
    /// Field position within an ELD line, 1-based.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<u32>,
}

impl Location {
    /// A location at a byte offset with no other parts.
    pub const fn at(offset: usize) -> Self {
        Location {
            offset,
            line: None,
            column: None,
            segment: None,
            element: None,
            component: None,
            repetition: None,
            field: None,
        }
    }

    /// Sets the segment ordinal (0-based).
    #[must_use]
    pub const fn with_segment(mut self, segment: u32) -> Self {
        self.segment = Some(segment);
        self
    }

    /// Sets the element position (1-based).
    #[must_use]
    pub const fn with_element(mut self, element: u32) -> Self {
        self.element = Some(element);
        self
    }

    /// Sets the component position (1-based).
    #[must_use]
    pub const fn with_component(mut self, component: u32) -> Self {
        self.component = Some(component);
        self
    }

    /// Sets the repetition position (1-based).
    #[must_use]
    pub const fn with_repetition(mut self, repetition: u32) -> Self {
        self.repetition = Some(repetition);
        self
    }

    /// Sets the ELD field position (1-based).
    #[must_use]
    pub const fn with_field(mut self, field: u32) -> Self {
        self.field = Some(field);
        self
    }

    /// Fills `line` and `column` from the offset using `index`.
    pub fn resolve(&mut self, index: &LineIndex) {
        self.set_line_col(index.line_col(self.offset));
    }

    pub(crate) fn set_line_col(&mut self, (line, column): (u32, u32)) {
        self.line = Some(line);
        self.column = Some(column);
    }
}

/// Start offsets of every line of an input, for turning offsets into
/// line:column. A line ends at LF, at CR, or at CRLF (counted once).
///
/// # Examples
///
/// ```
/// use ediguard::LineIndex;
/// let index = LineIndex::new(b"ab\r\ncd\ref");
/// assert_eq!(index.line_col(0), (1, 1));
/// assert_eq!(index.line_col(5), (2, 2));
/// assert_eq!(index.line_col(7), (3, 1));
/// ```
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `input` (one pass with memchr).
    pub fn new(input: &[u8]) -> Self {
        let starts = std::iter::once(0).chain(LineStarts::new(input)).collect();
        LineIndex { starts }
    }

    /// Line and column (both 1-based) of a byte offset. Offsets past the end
    /// land on the last line.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let column = offset - self.starts[line - 1] + 1;
        (saturate(line), saturate(column))
    }
}

/// Line and column (both 1-based) of one byte offset of `input`, counted in
/// one pass up to the offset without building an index: memory stays
/// constant however many lines come before it. Lines end as in
/// [`LineIndex`]; offsets past the end land on the last line.
///
/// # Examples
///
/// ```
/// use ediguard::location::line_col;
/// assert_eq!(line_col(b"ab\r\ncd\ref", 5), (2, 2));
/// assert_eq!(line_col(b"ab\r\ncd\ref", 7), (3, 1));
/// ```
pub fn line_col(input: &[u8], offset: usize) -> (u32, u32) {
    LineCursor::new(input).line_col(offset)
}

/// The start offset of every line after the first, in order: after an LF,
/// after a lone CR, and after a CRLF (counted once).
struct LineStarts<'a> {
    input: &'a [u8],
    breaks: std::iter::Peekable<memchr::Memchr2<'a>>,
}

impl<'a> LineStarts<'a> {
    fn new(input: &'a [u8]) -> Self {
        LineStarts {
            input,
            breaks: memchr::memchr2_iter(b'\n', b'\r', input).peekable(),
        }
    }
}

impl Iterator for LineStarts<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let i = self.breaks.next()?;
        if self.input[i] == b'\r' && self.input.get(i + 1) == Some(&b'\n') {
            // CRLF: the line starts after the LF.
            self.breaks.next();
            Some(i + 2)
        } else {
            Some(i + 1)
        }
    }
}

/// Line and column of offsets asked for in ascending order, in one forward
/// pass over the input that keeps only the current line: resolving the
/// findings of a report costs no memory per line of input. An offset
/// before the previous one starts the pass again from the beginning.
pub(crate) struct LineCursor<'a> {
    input: &'a [u8],
    starts: LineStarts<'a>,
    /// The first line start not yet passed.
    next: Option<usize>,
    /// The current line (1-based) and where it starts.
    line: usize,
    start: usize,
}

impl<'a> LineCursor<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        let mut starts = LineStarts::new(input);
        LineCursor {
            input,
            next: starts.next(),
            starts,
            line: 1,
            start: 0,
        }
    }

    pub(crate) fn line_col(&mut self, offset: usize) -> (u32, u32) {
        if offset < self.start {
            *self = LineCursor::new(self.input);
        }
        while let Some(s) = self.next.filter(|&s| s <= offset) {
            self.line += 1;
            self.start = s;
            self.next = self.starts.next();
        }
        (saturate(self.line), saturate(offset - self.start + 1))
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_table() {
        let cases: &[(&[u8], usize, (u32, u32))] = &[
            (b"", 0, (1, 1)),
            (b"abc", 2, (1, 3)),
            (b"a\nb", 2, (2, 1)),
            (b"a\r\nb", 3, (2, 1)),
            (b"a\r\nb", 2, (1, 3)),
            (b"a\rb", 2, (2, 1)),
            (b"a\n\nb", 3, (3, 1)),
            (b"ab", 99, (1, 100)),
        ];
        for (input, offset, expected) in cases {
            assert_eq!(
                LineIndex::new(input).line_col(*offset),
                *expected,
                "{input:?} @ {offset}"
            );
            assert_eq!(line_col(input, *offset), *expected, "{input:?} @ {offset}");
        }
    }

    #[test]
    fn cursor_agrees_with_the_index_in_any_order() {
        let input = b"ab\r\ncd\ref\n\n\r\rgh\r\n";
        let index = LineIndex::new(input);
        let mut cursor = LineCursor::new(input);
        // Ascending, repeated, then going back (the cursor restarts).
        for offset in [
            0, 1, 2, 3, 4, 4, 5, 7, 9, 10, 11, 12, 13, 15, 16, 30, 3, 0, 8,
        ] {
            assert_eq!(
                cursor.line_col(offset),
                index.line_col(offset),
                "@ {offset}"
            );
        }
    }
}
