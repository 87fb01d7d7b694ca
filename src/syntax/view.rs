//! Borrowed views: segment, element, component, repetition.

use std::borrow::Cow;
use std::ops::Range;
use std::str::Utf8Error;

use super::{Delimiters, Split, find_unescaped, unescape};
use crate::Location;

/// One segment: its bytes without the terminator, where it starts, and its
/// ordinal within the interchange.
///
/// # Examples
///
/// ```
/// use ediguard::syntax::{Delimiters, Segment};
/// let seg = Segment::new(b"N1*ST*ACME:X^B", 10, 4, Delimiters::X12_DEFAULT);
/// assert_eq!(seg.tag(), b"N1");
/// assert_eq!(seg.element(2).unwrap().as_bytes(), b"ACME:X^B");
/// assert_eq!(seg.element(2).unwrap().component(2).unwrap().as_bytes(), b"X^B");
/// assert_eq!(seg.element(2).unwrap().repetitions().count(), 2);
/// assert_eq!(seg.element(2).unwrap().location().offset, 16);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment<'a> {
    bytes: &'a [u8],
    offset: usize,
    ordinal: u32,
    delimiters: Delimiters,
}

impl<'a> Segment<'a> {
    /// A view of `bytes` (the segment without its terminator) that starts at
    /// byte `offset` of the input and is segment `ordinal` of its
    /// interchange.
    pub fn new(bytes: &'a [u8], offset: usize, ordinal: u32, delimiters: Delimiters) -> Self {
        Segment {
            bytes,
            offset,
            ordinal,
            delimiters,
        }
    }

    /// The segment's bytes, tag included, terminator excluded.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Byte offset of the segment's first byte.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The byte range of the segment in the input (terminator excluded).
    pub fn span(&self) -> Range<usize> {
        self.offset..self.offset + self.bytes.len()
    }

    /// Ordinal within the interchange, 0-based.
    pub fn ordinal(&self) -> u32 {
        self.ordinal
    }

    /// The delimiters in force.
    pub fn delimiters(&self) -> Delimiters {
        self.delimiters
    }

    fn tag_len(&self) -> usize {
        let d = &self.delimiters;
        let end = find_unescaped(self.bytes, d.element, d.release).unwrap_or(self.bytes.len());
        // An EDIFACT tag may carry components (S? tag:occurrence); the tag
        // proper ends at the first component separator.
        memchr::memchr(d.component, &self.bytes[..end]).unwrap_or(end)
    }

    /// The segment tag (`ISA`, `N1`, `UNH`).
    pub fn tag(&self) -> &'a [u8] {
        &self.bytes[..self.tag_len()]
    }

    /// True when the tag equals `tag`.
    pub fn is(&self, tag: &[u8]) -> bool {
        self.tag() == tag
    }

    /// Where the segment is.
    pub fn location(&self) -> Location {
        Location::at(self.offset).with_segment(self.ordinal)
    }

    /// The data elements after the tag, positions from 1.
    #[inline]
    pub fn elements(&self) -> Elements<'a> {
        let d = &self.delimiters;
        let mut split = Split::new(self.bytes, d.element, d.release);
        // The first piece is the tag; without a separator it is the whole
        // segment and no element follows.
        split.next();
        Elements {
            split,
            base: self.offset,
            position: 0,
            ordinal: self.ordinal,
            delimiters: self.delimiters,
        }
    }

    /// Element `n` (1-based: `element(1)` is `N101`), or `None` when the
    /// segment has fewer elements.
    pub fn element(&self, n: usize) -> Option<Element<'a>> {
        if n == 0 {
            return None;
        }
        self.elements().nth(n - 1)
    }

    /// How many data elements follow the tag.
    pub fn element_count(&self) -> usize {
        self.elements().count()
    }
}

/// Iterator over a segment's data elements.
#[derive(Clone, Debug)]
pub struct Elements<'a> {
    split: Split<'a>,
    base: usize,
    position: u32,
    ordinal: u32,
    delimiters: Delimiters,
}

impl<'a> Iterator for Elements<'a> {
    type Item = Element<'a>;

    #[inline]
    fn next(&mut self) -> Option<Element<'a>> {
        let (rel, bytes) = self.split.next()?;
        self.position = self.position.saturating_add(1);
        Some(Element {
            bytes,
            offset: self.base + rel,
            ordinal: self.ordinal,
            position: self.position,
            repetition: None,
            delimiters: self.delimiters,
        })
    }
}

/// One data element (or one repetition of it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Element<'a> {
    bytes: &'a [u8],
    offset: usize,
    ordinal: u32,
    position: u32,
    repetition: Option<u32>,
    delimiters: Delimiters,
}

impl<'a> Element<'a> {
    /// The raw bytes (escapes not removed).
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// True when the element is present but empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The raw bytes as UTF-8.
    pub fn to_str(&self) -> Result<&'a str, Utf8Error> {
        std::str::from_utf8(self.bytes)
    }

    /// The value with release characters removed; borrowed when none were
    /// present.
    pub fn value(&self) -> Cow<'a, [u8]> {
        unescape(self.bytes, self.delimiters.release)
    }

    /// Byte offset of the element's first byte.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The byte range of the element in the input.
    pub fn span(&self) -> Range<usize> {
        self.offset..self.offset + self.bytes.len()
    }

    /// Position in the segment, 1-based.
    pub fn position(&self) -> u32 {
        self.position
    }

    /// Which repetition this is (1-based) when taken from
    /// [`Element::repetitions`].
    pub fn repetition(&self) -> Option<u32> {
        self.repetition
    }

    /// Where the element is.
    pub fn location(&self) -> Location {
        let loc = Location::at(self.offset)
            .with_segment(self.ordinal)
            .with_element(self.position);
        match self.repetition {
            Some(r) => loc.with_repetition(r),
            None => loc,
        }
    }

    /// The components, positions from 1. An element without component
    /// separators has one component, itself. Call on a repetition to get
    /// that repetition's components.
    pub fn components(&self) -> Components<'a> {
        Components {
            split: Split::new(
                self.bytes,
                self.delimiters.component,
                self.delimiters.release,
            ),
            element: *self,
            position: 0,
        }
    }

    /// Component `n` (1-based).
    pub fn component(&self, n: usize) -> Option<Component<'a>> {
        if n == 0 {
            return None;
        }
        self.components().nth(n - 1)
    }

    /// The repetitions, positions from 1. Without a repetition separator (or
    /// when this is already a repetition), yields the element itself once.
    pub fn repetitions(&self) -> Repetitions<'a> {
        let sep = match (self.repetition, self.delimiters.repetition) {
            (None, Some(r)) => r,
            // No separator: split on a byte that cannot split (the segment
            // terminator never occurs inside a segment's bytes unreleased).
            _ => self.delimiters.segment,
        };
        Repetitions {
            split: Split::new(self.bytes, sep, self.delimiters.release),
            element: *self,
            position: 0,
        }
    }
}

/// Iterator over an element's components.
#[derive(Clone, Debug)]
pub struct Components<'a> {
    split: Split<'a>,
    element: Element<'a>,
    position: u32,
}

impl<'a> Iterator for Components<'a> {
    type Item = Component<'a>;

    #[inline]
    fn next(&mut self) -> Option<Component<'a>> {
        let (rel, bytes) = self.split.next()?;
        self.position = self.position.saturating_add(1);
        Some(Component {
            bytes,
            offset: self.element.offset + rel,
            position: self.position,
            element: self.element,
        })
    }
}

/// Iterator over an element's repetitions.
#[derive(Clone, Debug)]
pub struct Repetitions<'a> {
    split: Split<'a>,
    element: Element<'a>,
    position: u32,
}

impl<'a> Iterator for Repetitions<'a> {
    type Item = Element<'a>;

    #[inline]
    fn next(&mut self) -> Option<Element<'a>> {
        let (rel, bytes) = self.split.next()?;
        self.position = self.position.saturating_add(1);
        Some(Element {
            bytes,
            offset: self.element.offset + rel,
            repetition: Some(self.position),
            ..self.element
        })
    }
}

/// One component of an element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Component<'a> {
    bytes: &'a [u8],
    offset: usize,
    position: u32,
    element: Element<'a>,
}

impl<'a> Component<'a> {
    /// The raw bytes (escapes not removed).
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// True when the component is present but empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The raw bytes as UTF-8.
    pub fn to_str(&self) -> Result<&'a str, Utf8Error> {
        std::str::from_utf8(self.bytes)
    }

    /// The value with release characters removed.
    pub fn value(&self) -> Cow<'a, [u8]> {
        unescape(self.bytes, self.element.delimiters.release)
    }

    /// Byte offset of the component's first byte.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The byte range of the component in the input.
    pub fn span(&self) -> Range<usize> {
        self.offset..self.offset + self.bytes.len()
    }

    /// Position in the element, 1-based.
    pub fn position(&self) -> u32 {
        self.position
    }

    /// Where the component is.
    pub fn location(&self) -> Location {
        self.element.location().with_component(self.position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edifact_release_in_views() {
        let d = Delimiters::EDIFACT_DEFAULT;
        let seg = Segment::new(b"FTX+AAA+++O?'Brien?+Co:x", 0, 0, d);
        assert_eq!(seg.tag(), b"FTX");
        let e4 = seg.element(4).unwrap();
        assert_eq!(e4.as_bytes(), b"O?'Brien?+Co:x");
        assert_eq!(&*e4.component(1).unwrap().value(), b"O'Brien+Co");
        assert_eq!(e4.component(2).unwrap().as_bytes(), b"x");
        assert_eq!(e4.component(2).unwrap().location().component, Some(2));
        assert_eq!(seg.element_count(), 4);
    }

    #[test]
    fn segment_without_elements() {
        let seg = Segment::new(b"UNS", 5, 1, Delimiters::EDIFACT_DEFAULT);
        assert_eq!(seg.tag(), b"UNS");
        assert_eq!(seg.element_count(), 0);
        assert!(seg.element(1).is_none());
        assert!(seg.element(0).is_none());
    }

    #[test]
    fn trailing_empty_elements_are_kept() {
        let seg = Segment::new(b"DTM+137:2024::", 0, 0, Delimiters::EDIFACT_DEFAULT);
        let comps: Vec<_> = seg.element(1).unwrap().components().collect();
        assert_eq!(comps.len(), 4);
        assert!(comps[3].is_empty());
    }

    #[test]
    fn x12_repetitions_locations() {
        let seg = Segment::new(b"HI*A^B^C", 100, 7, Delimiters::X12_DEFAULT);
        let reps: Vec<_> = seg.element(1).unwrap().repetitions().collect();
        assert_eq!(reps.len(), 3);
        assert_eq!(reps[2].as_bytes(), b"C");
        let loc = reps[2].location();
        assert_eq!(
            (loc.offset, loc.segment, loc.element, loc.repetition),
            (107, Some(7), Some(1), Some(3))
        );
    }
}
