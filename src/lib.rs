//! # ediguard
//!
//! Integrity validation for freight documents: ASC X12 and UN/EDIFACT
//! interchanges and FMCSA ELD output files. ediguard parses them zero-copy,
//! checks that they are internally consistent and untampered, and reports
//! every finding with an exact location.
//!
//! ```
//! use ediguard::{check, Options};
//! let input = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/204-load-tender.x12")).unwrap();
//! let report = check(&input, &Options::default()).unwrap();
//! assert!(report.is_ok(), "{:?}", report.findings());
//! ```
//!
//! Layers (see `design.md`): [`syntax`] splits bytes; [`x12`] gives
//! borrowed views; [`integrity`] judges documents into a [`Report`].

// One module holds `unsafe` code, with a measured reason and SAFETY
// comments: `syntax::marks`.
#![deny(unsafe_code)]
#![deny(missing_docs)]

pub mod batch;
pub mod edifact;
pub mod eld;
pub mod error;
pub mod format;
#[cfg(feature = "generate")]
pub mod generate;
pub mod integrity;
pub mod limits;
pub mod location;
pub mod report;
pub mod rules;
pub mod syntax;
pub mod x12;

pub use batch::check_many;
pub use error::{Error, ErrorKind, Result};
pub use format::{Format, detect};
pub use limits::Limits;
pub use location::{LineIndex, Location};
pub use report::{Counts, Finding, Options, Report, Severity};

/// Detects the format of `input` and runs every check that applies to it.
/// Line and column of each finding are filled in.
///
/// Only input that cannot be read at all (not a known format, an
/// unsupported encoding, over a limit) is an `Err`; everything else is a
/// finding in the report.
///
/// # Examples
///
/// ```
/// use ediguard::{check, Options};
/// let input = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~IEA*0*000000001~";
/// let report = check(input, &Options::default()).unwrap();
/// assert!(report.is_ok());
/// assert_eq!(report.counts.interchanges, 1);
/// ```
pub fn check(input: &[u8], options: &Options) -> Result<Report> {
    if input.len() > options.limits.max_input_len {
        return Err(Error::limit(
            Location::at(0),
            "input length",
            options.limits.max_input_len,
        ));
    }
    let mut report = match detect(input)? {
        Format::X12 => integrity::x12::check(input, options)?,
        Format::Edifact => integrity::edifact::check(input, options)?,
        Format::Eld => integrity::eld::check(input, options)?,
    };
    report.resolve_lines(input);
    Ok(report)
}

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
