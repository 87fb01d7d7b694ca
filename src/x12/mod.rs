//! ASC X12 interchanges: delimiter discovery, borrowed views and a writer.
//!
//! # Reading
//!
//! [`Parser::interchanges`] yields one [`Interchange`] per ISA ... IEA
//! envelope. Each interchange reads its own delimiters from its ISA header
//! (X12.5, ISA segment):
//!
//! - the data element separator is the byte after `ISA`;
//! - the component element separator is ISA16 (byte 105, 0-based 104);
//! - the segment terminator is the byte after ISA16 (byte 106, 0-based
//!   105), or the whole UTF-8 sequence when that byte starts one;
//! - ISA11 is the repetition separator only from version 00402 on (ISA12 >=
//!   00402) and only when it is not a letter or digit; before that it is the
//!   interchange control standards identifier (`U`).
//!
//! An unpadded ISA (not the fixed 106 bytes) is read by counting its 16
//! element separators. Line breaks after terminators are skipped between
//! segments; a byte-order mark and bytes before the first ISA are skipped
//! and reported ([`Interchange::framing`]). Headers are recognised only at
//! segment starts, so `ISA` inside data never starts an interchange.
//!
//! Views borrow the input: [`Interchange`] → [`FunctionalGroup`] →
//! [`TransactionSet`] → [`Segment`] → [`Element`] → [`Component`]. Each
//! interchange holds one `Vec` of segment boundaries; elements are split
//! lazily, with no allocation.
//!
//! ```
//! use ediguard::x12::Parser;
//! let input = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/214-status.x12")).unwrap();
//! for interchange in Parser::new(&input).interchanges() {
//!     let interchange = interchange.unwrap();
//!     assert_eq!(interchange.sender_id(), b"NLFX");
//!     for group in interchange.groups() {
//!         for set in group.transaction_sets() {
//!             let events = set.segments().filter(|s| s.is(b"AT7")).count();
//!             assert_eq!(events, 5);
//!         }
//!     }
//! }
//! ```
//!
//! # Writing
//!
//! [`Writer`] writes owned segments ([`OwnedSegment`]) with given
//! delimiters. X12 has no escape character, so a value that contains a
//! delimiter is an error rather than a silently corrupted interchange.

mod isa;
mod parser;
mod scan;
mod value;
mod view;
mod write;

pub use crate::syntax::{Component, Element, Segment};
pub use parser::{Interchanges, Parser, parse};
pub use value::{ValueError, parse_ccyymmdd, parse_count, parse_time, parse_yymmdd};
pub(crate) use view::gs_date;

/// The first byte of the segment terminator of the ISA header at `at`, or
/// `None` when no ISA header can start there.
pub(crate) fn isa_terminator(input: &[u8], at: usize) -> Option<u8> {
    let shape = isa::read_isa(input, at)?;
    input.get(shape.terminator.start).copied()
}
pub use view::{
    FunctionalGroup, FunctionalGroups, Interchange, Segments, Stray, TransactionSet,
    TransactionSets,
};
pub use write::{OwnedElement, OwnedSegment, Writer};

pub(crate) use isa::WIDTHS as ISA_WIDTHS;
pub(crate) use parser::bin_data;
