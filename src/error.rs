//! The error type for input that cannot be read at all.

use std::fmt;

use crate::Location;

/// What kind of [`Error`] happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is not a format ediguard reads (not X12, EDIFACT or ELD).
    Unrecognized,
    /// The input is in an encoding ediguard does not read (EBCDIC, UTF-16).
    UnsupportedEncoding,
    /// The input's structure cannot be found (for example an ISA header too
    /// short to hold its delimiters).
    Malformed,
    /// A bound in [`crate::Limits`] was exceeded.
    Limit,
}

impl ErrorKind {
    /// A stable snake_case name for the kind.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Unrecognized => "unrecognized",
            ErrorKind::UnsupportedEncoding => "unsupported_encoding",
            ErrorKind::Malformed => "malformed",
            ErrorKind::Limit => "limit",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Input that cannot be read at all: not EDI, an unsupported encoding, or
/// over a limit. Everything else is a [`crate::Finding`] in a
/// [`crate::Report`].
///
/// # Examples
///
/// ```
/// use ediguard::{check, ErrorKind, Options};
/// let err = check(b"hello, world", &Options::default()).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Unrecognized);
/// assert_eq!(err.location().offset, 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {message} ({}at byte {})", input_prefix(*input), location.offset)]
pub struct Error {
    kind: ErrorKind,
    location: Location,
    message: String,
    input: Option<usize>,
}

fn input_prefix(input: Option<usize>) -> String {
    input.map_or_else(String::new, |i| format!("input {i}, "))
}

impl Error {
    /// Creates an error.
    pub fn new(kind: ErrorKind, location: Location, message: impl Into<String>) -> Self {
        Error {
            kind,
            location,
            message: message.into(),
            input: None,
        }
    }

    /// A limit error: `what` names the limit, `limit` its value.
    pub fn limit(location: Location, what: &str, limit: usize) -> Self {
        Error::new(
            ErrorKind::Limit,
            location,
            format!("{what} exceeds the limit of {limit}"),
        )
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Where it happened.
    pub fn location(&self) -> Location {
        self.location
    }

    /// The human-readable reason, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// For a function that reads several inputs (such as
    /// [`crate::integrity::autack::generate`]), the 0-based index of the
    /// input the error is in, whose bytes [`Error::location`] points into;
    /// `None` for a function of one input.
    ///
    /// # Examples
    ///
    /// ```
    /// use ediguard::integrity::autack::{generate, AutackParams};
    /// let good = b"UNB+UNOC:3+S+R+240101:1200+1'UNZ+0+1'";
    /// let err = generate(&[&good[..], b"hello"], &AutackParams::sha256("A1", "20240101", "1200"))
    ///     .unwrap_err();
    /// assert_eq!(err.input(), Some(1));
    /// assert!(err.to_string().contains("(input 1, at byte 0)"));
    /// ```
    pub fn input(&self) -> Option<usize> {
        self.input
    }

    /// The same error, in input `index` of several (see [`Error::input`]).
    #[must_use]
    pub fn in_input(mut self, index: usize) -> Self {
        self.input = Some(index);
        self
    }
}

/// Shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
