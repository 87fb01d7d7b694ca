//! FMCSA ELD output files (49 CFR 395 Subpart B, Appendix A §4.8.2): a
//! zero-copy parser with borrowed views, the three check values of §4.4.5,
//! and a writer.
//!
//! The rule calls the parts of the file "segments"; ediguard says
//! **section**, so that "segment" always means an EDI segment.
//!
//! - [`EldFile`] → [`Section`] → [`Record`] → [`Field`]: borrowed views, no
//!   allocation per line or field. Typed accessors return `Result` so a bad
//!   field never blocks the rest.
//! - [`check_value`]: the line, event and file data check values.
//! - [`write`]: builds a file from owned records, computing every check value
//!   and the file name (§4.8.2.2).
//!
//! Rules that judge a file live in [`crate::integrity::eld`].
//!
//! # Examples
//!
//! ```
//! use ediguard::Limits;
//! use ediguard::eld::{EldFile, SectionKind};
//! let input = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/eld-T1042.csv")).unwrap();
//! let file = EldFile::parse(&input, &Limits::default()).unwrap();
//! let events = file.section(SectionKind::EventList).unwrap();
//! assert!(events.records().all(|r| r.line_check_value().ok() == r.computed_line_check_value()));
//! ```

pub mod check_value;
mod layout;
mod parse;
pub(crate) mod scan;
mod value;
pub mod write;

pub use layout::{FieldName, Layout, SectionKind};
pub use parse::{
    EldFile, Field, Fields, LineEnding, LineEndings, Record, Records, Section, Sections, TitleMatch,
};
pub use value::{Coordinate, EngineHours, FieldError};
