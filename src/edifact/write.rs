//! Writing interchanges with any service characters.

use super::{Interchange, Parsed, ServiceStringAdvice, default_delimiters};
use crate::syntax::{Delimiters, Split, escape, unescape};
use crate::{Error, ErrorKind, Location, Result};

/// When the writer emits a UNA service string advice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnaPolicy {
    /// Only when the service characters differ from the defaults the UNB
    /// syntax identifier implies (ISO 9735-1 §9: "The UNA ... shall be used
    /// if the service characters differ from the defaults").
    #[default]
    Auto,
    /// Before every interchange.
    Always,
}

/// Writes EDIFACT with chosen service characters, escaping data that
/// contains them with the release character (ISO 9735-1 §7.1).
///
/// # Examples
///
/// ```
/// use ediguard::edifact::{self, Writer};
/// use ediguard::syntax::Delimiters;
/// use ediguard::Limits;
///
/// let input = b"UNB+UNOA:3+A+B+261117:1600+7'UNH+1+X'FTX+AAI+++O?'Hara'UNT+3+1'UNZ+1+7'";
/// let parsed = edifact::parse(input, &Limits::default()).unwrap();
/// let d = Delimiters { segment: b'~', element: b'*', component: b'=', repetition: None, release: Some(b'?') };
/// let out = Writer::new(d).write(&parsed).unwrap();
/// assert!(out.starts_with(b"UNA=*.? ~UNB*UNOA=3*A"));
/// let again = edifact::parse(&out, &Limits::default()).unwrap();
/// let ftx = again.interchanges()[0].segments().nth(2).unwrap();
/// assert_eq!(&*ftx.element(4).unwrap().value(), b"O'Hara");
/// ```
#[derive(Clone, Debug)]
pub struct Writer {
    delimiters: Delimiters,
    decimal_mark: u8,
    una: UnaPolicy,
    line_breaks: bool,
}

impl Writer {
    /// A writer using `delimiters`, decimal mark `.`, UNA when needed, no
    /// line breaks.
    pub fn new(delimiters: Delimiters) -> Writer {
        Writer {
            delimiters,
            decimal_mark: b'.',
            una: UnaPolicy::Auto,
            line_breaks: false,
        }
    }

    /// A writer that keeps the interchange's own service characters.
    pub fn for_interchange(interchange: &Interchange<'_>) -> Writer {
        Writer {
            decimal_mark: interchange.decimal_mark(),
            ..Writer::new(interchange.delimiters())
        }
    }

    /// Sets the decimal mark declared in the UNA.
    #[must_use]
    pub fn with_decimal_mark(mut self, mark: u8) -> Writer {
        self.decimal_mark = mark;
        self
    }

    /// Sets when a UNA is written.
    #[must_use]
    pub fn with_una(mut self, policy: UnaPolicy) -> Writer {
        self.una = policy;
        self
    }

    /// Writes a line feed after every segment terminator.
    #[must_use]
    pub fn with_line_breaks(mut self, on: bool) -> Writer {
        self.line_breaks = on;
        self
    }

    /// The delimiters written.
    pub fn delimiters(&self) -> Delimiters {
        self.delimiters
    }

    fn check_delimiters(&self) -> Result<()> {
        if self.delimiters.are_distinct() {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::Malformed,
                Location::at(0),
                "writer delimiters are not distinct",
            ))
        }
    }

    /// Writes every interchange of `parsed`, in order.
    pub fn write(&self, parsed: &Parsed<'_>) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(parsed.as_bytes().len() + 64);
        for ic in parsed.interchanges() {
            self.write_interchange(ic, &mut out)?;
        }
        Ok(out)
    }

    /// Writes the UNA when the policy asks for it: always, or when the
    /// service characters differ from the defaults implied for a UNB of
    /// syntax `version` (level B when the element separator is IS3).
    pub fn write_una(&self, version: u8, out: &mut Vec<u8>) -> Result<()> {
        self.check_delimiters()?;
        let level_b = self.delimiters.element == super::LEVEL_B_DEFAULT.element;
        let implied = default_delimiters(level_b, version);
        let need = match self.una {
            UnaPolicy::Always => true,
            UnaPolicy::Auto => implied != self.delimiters || self.decimal_mark != b'.',
        };
        if need {
            let una = ServiceStringAdvice::from_delimiters(&self.delimiters, self.decimal_mark);
            out.extend_from_slice(&una.to_bytes());
            if self.line_breaks {
                out.push(b'\n');
            }
        }
        Ok(())
    }

    /// Writes one interchange (UNA when needed, then every segment),
    /// re-escaping every value for the writer's delimiters.
    ///
    /// Fails when the writer's delimiters are not distinct, when a value
    /// holds a delimiter and the writer has no release character, or when
    /// an element repeats and the writer has no repetition separator.
    pub fn write_interchange(&self, ic: &Interchange<'_>, out: &mut Vec<u8>) -> Result<()> {
        let version = if ic.header().is_some() {
            ic.syntax_version().unwrap_or(3)
        } else {
            3
        };
        self.write_una(version, out)?;
        let src = ic.delimiters();
        for seg in ic.segments() {
            let mut s = self.segment(out);
            for (i, (eoff, element)) in
                Split::new(seg.as_bytes(), src.element, src.release).enumerate()
            {
                if i > 0 {
                    s.element();
                }
                let reps = match src.repetition {
                    Some(r) => Split::new(element, r, src.release),
                    None => Split::new(element, src.segment, src.release),
                };
                for (j, (_, rep)) in reps.enumerate() {
                    if j > 0 {
                        s.repetition();
                    }
                    for (_, comp) in Split::new(rep, src.component, src.release) {
                        s.component(&unescape(comp, src.release));
                    }
                }
                if let Some(e) = s.error.take() {
                    return Err(Error::new(
                        ErrorKind::Malformed,
                        Location::at(seg.offset() + eoff).with_segment(seg.ordinal()),
                        e,
                    ));
                }
            }
            s.end()?;
        }
        Ok(())
    }

    /// Starts a segment; add values with [`SegmentWriter::component`] and
    /// finish with [`SegmentWriter::end`].
    ///
    /// # Examples
    ///
    /// ```
    /// use ediguard::edifact::Writer;
    /// use ediguard::syntax::Delimiters;
    /// let w = Writer::new(Delimiters::EDIFACT_DEFAULT);
    /// let mut out = Vec::new();
    /// let mut s = w.segment(&mut out);
    /// s.component(b"NAD");
    /// s.element();
    /// s.component(b"CN");
    /// s.element();
    /// s.component(b"O'Hara+Sons");
    /// s.component(b"9");
    /// s.end().unwrap();
    /// assert_eq!(out, b"NAD+CN+O?'Hara?+Sons:9'");
    /// ```
    pub fn segment<'w>(&'w self, out: &'w mut Vec<u8>) -> SegmentWriter<'w> {
        SegmentWriter {
            writer: self,
            out,
            first: true,
            error: None,
        }
    }
}

/// Writes one segment value by value (see [`Writer::segment`]).
#[derive(Debug)]
pub struct SegmentWriter<'w> {
    writer: &'w Writer,
    out: &'w mut Vec<u8>,
    first: bool,
    error: Option<&'static str>,
}

impl SegmentWriter<'_> {
    /// Starts the next data element.
    pub fn element(&mut self) {
        self.out.push(self.writer.delimiters.element);
        self.first = true;
    }

    /// Starts the next repetition of the current element.
    pub fn repetition(&mut self) {
        match self.writer.delimiters.repetition {
            Some(r) => self.out.push(r),
            None => {
                self.error
                    .get_or_insert("an element repeats and the writer has no repetition separator");
            }
        }
        self.first = true;
    }

    /// Writes the next component of the current element (unescaped value;
    /// delimiters in it are released).
    pub fn component(&mut self, value: &[u8]) {
        let d = &self.writer.delimiters;
        if !self.first {
            self.out.push(d.component);
        }
        self.first = false;
        if d.release.is_none() && value.iter().any(|&b| d.is_delimiter(b)) {
            self.error
                .get_or_insert("a value holds a delimiter and the writer has no release character");
        }
        self.out.extend_from_slice(&escape(value, d));
    }

    /// Ends the segment with the terminator.
    pub fn end(self) -> Result<()> {
        if let Some(e) = self.error {
            return Err(Error::new(ErrorKind::Malformed, Location::at(0), e));
        }
        self.out.push(self.writer.delimiters.segment);
        if self.writer.line_breaks {
            self.out.push(b'\n');
        }
        Ok(())
    }
}
