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
#[error("{kind}: {message} (at byte {})", location.offset)]
pub struct Error {
    kind: ErrorKind,
    location: Location,
    message: String,
}

impl Error {
    /// Creates an error.
    pub fn new(kind: ErrorKind, location: Location, message: impl Into<String>) -> Self {
        Error {
            kind,
            location,
            message: message.into(),
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
}

/// Shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
