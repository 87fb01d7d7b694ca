//! Allocation-free splitting of segments, elements, components and
//! repetitions given a [`Delimiters`] value, with EDIFACT release-character
//! handling (ISO 9735-1 §7.1: the release character makes the one byte that
//! follows it data).
//!
//! The views here ([`Segment`], [`Element`], [`Component`]) are small `Copy`
//! values borrowing the caller's bytes; iterating them allocates nothing.
//! Values that must change to be read (unescaping) come back as `Cow`,
//! borrowed when nothing was escaped.

pub(crate) mod marks;
mod split;
mod view;

pub use split::{Split, escape, find_unescaped, is_escaped, unescape};
pub use view::{Component, Components, Element, Elements, Repetitions, Segment};

/// The service characters of one interchange.
///
/// # Examples
///
/// ```
/// use ediguard::syntax::Delimiters;
/// let d = Delimiters::X12_DEFAULT;
/// assert_eq!((d.segment, d.element, d.component), (b'~', b'*', b':'));
/// assert!(d.release.is_none());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Delimiters {
    /// Segment terminator.
    pub segment: u8,
    /// Data element separator.
    pub element: u8,
    /// Component (sub-element) separator.
    pub component: u8,
    /// Repetition separator, when the interchange has one.
    pub repetition: Option<u8>,
    /// Release (escape) character, when the interchange has one (EDIFACT).
    pub release: Option<u8>,
}

impl Delimiters {
    /// The common X12 choice: `~`, `*`, `:`, repetition `^`.
    pub const X12_DEFAULT: Delimiters = Delimiters {
        segment: b'~',
        element: b'*',
        component: b':',
        repetition: Some(b'^'),
        release: None,
    };

    /// The EDIFACT defaults for syntax levels A and C: `'`, `+`, `:`, release
    /// `?`, no repetition separator (syntax 4 adds `*`).
    pub const EDIFACT_DEFAULT: Delimiters = Delimiters {
        segment: b'\'',
        element: b'+',
        component: b':',
        repetition: None,
        release: Some(b'?'),
    };

    /// True when `b` is one of the delimiters (including release).
    #[inline]
    pub fn is_delimiter(&self, b: u8) -> bool {
        b == self.segment
            || b == self.element
            || b == self.component
            || self.repetition == Some(b)
            || self.release == Some(b)
    }

    /// True when the separators are pairwise distinct (a writer can only
    /// produce unambiguous output with distinct separators).
    pub fn are_distinct(&self) -> bool {
        let mut all = vec![self.segment, self.element, self.component];
        all.extend(self.repetition);
        all.extend(self.release);
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        all.len() == n
    }
}
