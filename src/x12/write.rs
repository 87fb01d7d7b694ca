//! Writing X12: owned segments and a writer with given delimiters.

use crate::syntax::{Delimiters, Segment};
use crate::{Error, ErrorKind, Location};

/// One data element as owned bytes: its repetitions, each a list of
/// components. A simple element is one repetition of one component.
///
/// # Examples
///
/// ```
/// use ediguard::x12::OwnedElement;
/// let e = OwnedElement::simple("NLFX");
/// assert_eq!(e.repetitions, vec![vec![b"NLFX".to_vec()]]);
/// let c = OwnedElement::composite(["A", "B"]);
/// assert_eq!(c.repetitions[0].len(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct OwnedElement {
    /// Repetitions, each a list of components (at least one each).
    pub repetitions: Vec<Vec<Vec<u8>>>,
}

impl OwnedElement {
    /// A simple element.
    pub fn simple(value: impl AsRef<[u8]>) -> Self {
        OwnedElement {
            repetitions: vec![vec![value.as_ref().to_vec()]],
        }
    }

    /// A composite element (one repetition of several components).
    pub fn composite<I, V>(components: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: AsRef<[u8]>,
    {
        OwnedElement {
            repetitions: vec![
                components
                    .into_iter()
                    .map(|c| c.as_ref().to_vec())
                    .collect(),
            ],
        }
    }
}

/// One segment as owned bytes: a tag and its elements.
///
/// # Examples
///
/// ```
/// use ediguard::x12::OwnedSegment;
/// let seg = OwnedSegment::new("N1", ["SH", "Great Lakes Paper Co."]);
/// assert_eq!(seg.tag, b"N1");
/// assert_eq!(seg.elements.len(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct OwnedSegment {
    /// The segment tag (`N1`).
    pub tag: Vec<u8>,
    /// The data elements, positions from 1.
    pub elements: Vec<OwnedElement>,
}

impl OwnedSegment {
    /// A segment of simple elements.
    pub fn new<I, V>(tag: impl AsRef<[u8]>, elements: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: AsRef<[u8]>,
    {
        OwnedSegment {
            tag: tag.as_ref().to_vec(),
            elements: elements.into_iter().map(OwnedElement::simple).collect(),
        }
    }

    /// Copies a parsed segment. ISA elements are taken whole (ISA11 and
    /// ISA16 hold delimiters as values); other elements are split into
    /// repetitions and components with the segment's delimiters.
    ///
    /// # Examples
    ///
    /// ```
    /// use ediguard::syntax::{Delimiters, Segment};
    /// use ediguard::x12::OwnedSegment;
    /// let seg = Segment::new(b"HI*A:B^C", 0, 0, Delimiters::X12_DEFAULT);
    /// let owned = OwnedSegment::from_segment(&seg);
    /// assert_eq!(owned.elements[0].repetitions, vec![vec![b"A".to_vec(), b"B".to_vec()], vec![b"C".to_vec()]]);
    /// ```
    pub fn from_segment(seg: &Segment<'_>) -> Self {
        let is_isa = seg.is(b"ISA");
        let elements = seg
            .elements()
            .map(|e| {
                if is_isa {
                    OwnedElement::simple(e.as_bytes())
                } else {
                    OwnedElement {
                        repetitions: e
                            .repetitions()
                            .map(|r| r.components().map(|c| c.as_bytes().to_vec()).collect())
                            .collect(),
                    }
                }
            })
            .collect();
        OwnedSegment {
            tag: seg.tag().to_vec(),
            elements,
        }
    }
}

/// Writes X12 segments with given delimiters.
///
/// X12 has no release character: a value that contains a delimiter cannot
/// be written, and [`Writer::write_segment`] returns an error of kind
/// [`ErrorKind::Malformed`] naming the segment, element and component. An
/// ISA segment must have 16 elements at their fixed widths (X12.5: ISA is
/// fixed length), ISA16 equal to the component separator and, when the
/// delimiters have a repetition separator, ISA11 equal to it.
///
/// # Examples
///
/// ```
/// use ediguard::syntax::Delimiters;
/// use ediguard::x12::{OwnedSegment, Writer};
/// let d = Delimiters { segment: b'~', element: b'*', component: b'>', repetition: None, release: None };
/// let writer = Writer::new(d).unwrap().with_line_breaks(true);
/// let mut out = Vec::new();
/// writer.write_segment(&OwnedSegment::new("N4", ["Toledo", "OH", "43611"]), &mut out).unwrap();
/// assert_eq!(out, b"N4*Toledo*OH*43611~\n");
/// let err = writer.write_segment(&OwnedSegment::new("N1", ["A*B"]), &mut out).unwrap_err();
/// assert_eq!(err.location().element, Some(1));
/// ```
#[derive(Clone, Debug)]
pub struct Writer {
    delimiters: Delimiters,
    line_breaks: bool,
}

impl Writer {
    /// A writer for `delimiters`. Fails when the delimiters are not
    /// pairwise distinct, when one is a letter or digit, or when a release
    /// character is set (X12 has none).
    pub fn new(delimiters: Delimiters) -> Result<Self, Error> {
        let d = &delimiters;
        let mut all = vec![d.segment, d.element, d.component];
        all.extend(d.repetition);
        let reason = if d.release.is_some() {
            Some("X12 has no release character")
        } else if !d.are_distinct() {
            Some("the delimiters must be pairwise distinct")
        } else if all.iter().any(u8::is_ascii_alphanumeric) {
            Some("a delimiter may not be a letter or digit")
        } else {
            None
        };
        match reason {
            Some(r) => Err(Error::new(ErrorKind::Malformed, Location::at(0), r)),
            None => Ok(Writer {
                delimiters,
                line_breaks: false,
            }),
        }
    }

    /// Writes a line feed after every segment terminator.
    #[must_use]
    pub fn with_line_breaks(mut self, on: bool) -> Self {
        self.line_breaks = on;
        self
    }

    /// The delimiters in use.
    pub fn delimiters(&self) -> Delimiters {
        self.delimiters
    }

    fn bad(&self, at: Location, msg: String) -> Error {
        Error::new(ErrorKind::Malformed, at, msg)
    }

    fn check_value(&self, v: &[u8], at: Location) -> Result<(), Error> {
        let d = &self.delimiters;
        match v.iter().position(|&b| d.is_delimiter(b)) {
            Some(i) => Err(self.bad(
                at,
                format!(
                    "the value contains the delimiter {:?} at byte {i}; X12 has no escape character",
                    char::from(v[i])
                ),
            )),
            None => Ok(()),
        }
    }

    fn check_isa(&self, seg: &OwnedSegment, at: Location) -> Result<(), Error> {
        if seg.elements.len() != 16 {
            return Err(self.bad(
                at,
                format!("ISA has {} elements, not 16", seg.elements.len()),
            ));
        }
        for (i, e) in seg.elements.iter().enumerate() {
            let n = i + 1;
            let at = at.with_element(n as u32);
            let [rep] = e.repetitions.as_slice() else {
                return Err(self.bad(at, format!("ISA{n:02} must be a simple value")));
            };
            let [value] = rep.as_slice() else {
                return Err(self.bad(at, format!("ISA{n:02} must be a simple value")));
            };
            if value.len() != super::ISA_WIDTHS[i] {
                return Err(self.bad(
                    at,
                    format!(
                        "ISA{n:02} is {} bytes; the fixed width is {}",
                        value.len(),
                        super::ISA_WIDTHS[i]
                    ),
                ));
            }
            let d = &self.delimiters;
            match n {
                16 if value[0] != d.component => {
                    return Err(self.bad(at, "ISA16 must be the component separator".into()));
                }
                11 if d.repetition.is_some_and(|r| r != value[0]) => {
                    return Err(self.bad(at, "ISA11 must be the repetition separator".into()));
                }
                16 => {}
                11 if d.repetition == Some(value[0]) => {}
                _ => self.check_value(value, at)?,
            }
        }
        Ok(())
    }

    /// Appends one segment and its terminator to `out`.
    pub fn write_segment(&self, seg: &OwnedSegment, out: &mut Vec<u8>) -> Result<(), Error> {
        self.write_at(seg, 0, out)
    }

    fn write_at(&self, seg: &OwnedSegment, ordinal: u32, out: &mut Vec<u8>) -> Result<(), Error> {
        let d = &self.delimiters;
        let at = Location::at(out.len()).with_segment(ordinal);
        if seg.tag.is_empty() || !seg.tag.iter().all(u8::is_ascii_alphanumeric) {
            return Err(self.bad(at, "a segment tag must be letters and digits".into()));
        }
        let is_isa = seg.tag == b"ISA";
        if is_isa {
            self.check_isa(seg, at)?;
        }
        let start = out.len();
        out.extend_from_slice(&seg.tag);
        for (i, e) in seg.elements.iter().enumerate() {
            out.push(d.element);
            let eat = Location::at(out.len())
                .with_segment(ordinal)
                .with_element(i as u32 + 1);
            if e.repetitions.len() > 1 && d.repetition.is_none() {
                out.truncate(start);
                return Err(self.bad(
                    eat,
                    "the element repeats but the interchange has no repetition separator".into(),
                ));
            }
            for (r, rep) in e.repetitions.iter().enumerate() {
                if r > 0 {
                    out.extend(d.repetition);
                }
                for (c, comp) in rep.iter().enumerate() {
                    if c > 0 {
                        out.push(d.component);
                    }
                    if !is_isa {
                        let cat = Location::at(out.len())
                            .with_segment(ordinal)
                            .with_element(i as u32 + 1)
                            .with_component(c as u32 + 1)
                            .with_repetition(r as u32 + 1);
                        if let Err(err) = self.check_value(comp, cat) {
                            out.truncate(start);
                            return Err(err);
                        }
                    }
                    out.extend_from_slice(comp);
                }
            }
        }
        out.push(d.segment);
        if self.line_breaks {
            out.push(b'\n');
        }
        Ok(())
    }

    /// Writes segments (normally ISA ... IEA) into a new buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use ediguard::syntax::Delimiters;
    /// use ediguard::x12::{OwnedSegment, Writer};
    /// let d = Delimiters { segment: b'~', element: b'*', component: b'>', repetition: None, release: None };
    /// let isa = OwnedSegment::new("ISA", ["00", "          ", "00", "          ", "ZZ", "GLPAPER        ",
    ///     "ZZ", "NLFX           ", "261116", "1400", "U", "00401", "000000001", "0", "P", ">"]);
    /// let iea = OwnedSegment::new("IEA", ["0", "000000001"]);
    /// let bytes = Writer::new(d).unwrap().write(&[isa, iea]).unwrap();
    /// assert_eq!(bytes.len(), 106 + 16);
    /// assert!(ediguard::check(&bytes, &ediguard::Options::default()).unwrap().is_ok());
    /// ```
    pub fn write(&self, segments: &[OwnedSegment]) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        for (i, s) in segments.iter().enumerate() {
            self.write_at(s, u32::try_from(i).unwrap_or(u32::MAX), &mut out)?;
        }
        Ok(out)
    }
}
