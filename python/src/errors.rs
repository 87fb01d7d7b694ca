//! The exception hierarchy and the conversion of Rust errors into it.
//!
//! ```text
//! ValueError
//! └── EdiguardError
//!     ├── ParseError       input that cannot be read (kind: unrecognized,
//!     │                    unsupported_encoding, malformed)
//!     ├── LimitError       a bound in Limits was exceeded (kind: limit)
//!     └── ValidationError  raised by Report.raise_for_errors(), carries .report
//! ```
//!
//! `ParseError` and `LimitError` carry `kind`, `offset` (0-based byte
//! offset), `line` and `column` (1-based) attributes, `message` (the
//! reason without the location), and `input`: for a function of several
//! inputs (`autack_generate`, `autack_verify`), the 0-based index of the
//! input the offset is in, else None.

use std::io;
use std::path::PathBuf;

use ediguard::ErrorKind;
use pyo3::create_exception;
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;

create_exception!(
    ediguard,
    EdiguardError,
    PyValueError,
    "Base class of every exception ediguard raises (a ValueError)."
);
create_exception!(
    ediguard,
    ParseError,
    EdiguardError,
    "The input cannot be read at all: not X12, EDIFACT or ELD (kind 'unrecognized'), \
     an unsupported encoding ('unsupported_encoding'), or no structure to be found ('malformed')."
);
create_exception!(
    ediguard,
    LimitError,
    EdiguardError,
    "A bound was exceeded (input length, segment length, ...); kind is 'limit'."
);
create_exception!(
    ediguard,
    ValidationError,
    EdiguardError,
    "Raised by Report.raise_for_errors() when a report has findings of severity error; \
     the report is its `report` attribute."
);

/// Why a call failed, computed while detached from the interpreter and
/// turned into a Python exception once it is attached again.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The library refused the input.
    Edi {
        /// The library's error.
        error: ediguard::Error,
        /// 1-based line of the error's offset.
        line: u32,
        /// 1-based column of the error's offset.
        column: u32,
    },
    /// A path could not be read.
    Io {
        /// The operating system's error.
        error: io::Error,
        /// The path that was read.
        path: PathBuf,
    },
}

impl Failure {
    /// An error of the library on `input`, with line and column resolved.
    pub(crate) fn edi(error: ediguard::Error, input: &[u8]) -> Self {
        let (line, column) = ediguard::location::line_col(input, error.location().offset);
        Failure::Edi {
            error,
            line,
            column,
        }
    }

    /// Turns the failure into the documented Python exception.
    pub(crate) fn into_pyerr(self, py: Python<'_>) -> PyErr {
        match self {
            Failure::Edi {
                error,
                line,
                column,
            } => edi_error(py, &error, line, column),
            Failure::Io { error, path } => io_error(error, path),
        }
    }
}

fn edi_error(py: Python<'_>, error: &ediguard::Error, line: u32, column: u32) -> PyErr {
    let text = error.to_string();
    let err = match error.kind() {
        ErrorKind::Limit => LimitError::new_err(text),
        _ => ParseError::new_err(text),
    };
    let value = err.value(py);
    let set = || -> PyResult<()> {
        value.setattr("kind", error.kind().as_str())?;
        value.setattr("message", error.message())?;
        value.setattr("offset", error.location().offset)?;
        value.setattr("line", line)?;
        value.setattr("column", column)?;
        value.setattr("input", error.input())
    };
    if let Err(e) = set() {
        return e;
    }
    err
}

/// `OSError(errno, strerror, filename)`: Python picks the subclass from the
/// errno (`FileNotFoundError`, `IsADirectoryError`, `PermissionError`, ...)
/// and sets `.filename`.
fn io_error(error: io::Error, path: PathBuf) -> PyErr {
    match error.raw_os_error() {
        Some(code) => {
            let text = error.to_string();
            let suffix = format!(" (os error {code})");
            let strerror = text.strip_suffix(&suffix).unwrap_or(&text).to_owned();
            PyOSError::new_err((code, strerror, path.into_os_string()))
        }
        None => PyErr::from(error),
    }
}
