//! ASC X12.58 security structures: recognition and pairing of S3S/S3E
//! (functional group), S4S/S4E (transaction set), their version-1
//! predecessors S1S/S1E and S2S/S2E, and the assurance segments
//! S3A/S4A (and S1A/S2A) with SVA (`edi-security.md` §2).
//!
//! # What is implemented, clause by clause
//!
//! - Placement (§2.3): "The usual reading is `GS · S3S · … · S3E · GE` and
//!   `ST · S4S · … · S4E · SE`." A group-level segment inside ST..SE, a
//!   set-level one outside it, or any of them outside GS..GE is
//!   `x12_security_malformed`.
//! - Pairing (§2.2): "The AK905 codes confirm the S3S↔S3E and S4S↔S4E
//!   pairing rules: 23–26 cover each segment missing its partner." A header
//!   not closed before GE/SE (or a second header) is
//!   `x12_security_missing_trailer`; a trailer with no open header is
//!   `x12_security_unpaired_trailer`.
//! - Layout (§2.4): S3S/S4S 05 "authentication key name, required for
//!   AA/BB/AC/BC" (S1S/S2S 04 in version 1); S3E/S4E 01 "hash or
//!   authentication code" is "AN 1–64". Breaking either is
//!   `x12_security_malformed`.
//! - Verification (§2.5): "The byte range for authentication … is in
//!   X12.58 itself, which I could not read **[not found]** … **Do not
//!   implement it without a partner sample.**" Every secured area and every
//!   assurance is therefore reported as `x12_security_unverified` (info),
//!   naming the security type (990), key name and service code (992), rather
//!   than being ignored. No MAC is computed.
//!
//! # Examples
//!
//! ```
//! use ediguard::integrity::x12_security::check;
//! use ediguard::Options;
//! let input = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~GS*QM*S*R*20240101*1200*1*X*004010~ST*214*0001~S4S*00401*AA*ORIG*RECP*KEY1*6~B10*1*2*SCAC~S4E*0123456789ABCDEF~SE*5*0001~GE*1*1~IEA*1*000000001~";
//! let report = check(input, &Options::default()).unwrap();
//! assert_eq!(report.findings().len(), 1);
//! assert_eq!(report.findings()[0].rule, "x12_security_unverified");
//! ```

use std::borrow::Cow;

use crate::rules::{self, Rule};
use crate::syntax::Segment;
use crate::x12::{self, Interchange};
use crate::{Finding, Format, Location, Options, Report, Result};

/// The longest S3E01/S4E01 value (§2.4: "AN 1–64").
pub const MAX_CODE_LEN: usize = 64;

/// Which level an X12.58 segment belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Level {
    /// Functional group (S1x, S3x).
    Group,
    /// Transaction set (S2x, S4x).
    TransactionSet,
}

/// What an X12.58 segment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// S1S, S2S, S3S, S4S: a security header; `true` for version 1 (S1S,
    /// S2S) whose elements sit one position earlier.
    Header(Level, bool),
    /// S1E, S2E, S3E, S4E: a security trailer.
    Trailer(Level),
    /// S1A, S2A, S3A, S4A: an assurance header.
    Assurance(Level),
    /// SVA: a security value.
    Value,
}

impl Kind {
    /// The kind of a segment tag, or `None` when it is not an X12.58 tag.
    ///
    /// # Examples
    ///
    /// ```
    /// use ediguard::integrity::x12_security::{Kind, Level};
    /// assert_eq!(Kind::of(b"S4E"), Some(Kind::Trailer(Level::TransactionSet)));
    /// assert_eq!(Kind::of(b"N1"), None);
    /// ```
    pub fn of(tag: &[u8]) -> Option<Kind> {
        use Level::{Group, TransactionSet as Set};
        Some(match tag {
            b"S1S" => Kind::Header(Group, true),
            b"S2S" => Kind::Header(Set, true),
            b"S3S" => Kind::Header(Group, false),
            b"S4S" => Kind::Header(Set, false),
            b"S1E" | b"S3E" => Kind::Trailer(Group),
            b"S2E" | b"S4E" => Kind::Trailer(Set),
            b"S1A" | b"S3A" => Kind::Assurance(Group),
            b"S2A" | b"S4A" => Kind::Assurance(Set),
            b"SVA" => Kind::Value,
            _ => return None,
        })
    }
}

fn text<'a>(seg: &Segment<'a>, n: usize) -> Cow<'a, str> {
    seg.element(n)
        .map_or(Cow::Borrowed(""), |e| String::from_utf8_lossy(e.as_bytes()))
}

struct Walk<'r> {
    options: &'r Options,
    report: &'r mut Report,
    in_group: bool,
    in_set: bool,
    open: [Option<Segment<'r>>; 2],
}

fn slot(level: Level) -> usize {
    match level {
        Level::Group => 0,
        Level::TransactionSet => 1,
    }
}

fn name(level: Level) -> (&'static str, &'static str, &'static str) {
    match level {
        Level::Group => ("S3S", "S3E", "GE"),
        Level::TransactionSet => ("S4S", "S4E", "SE"),
    }
}

impl<'r> Walk<'r> {
    fn push(&mut self, rule: Rule, location: Location, msg: impl Into<String>) {
        self.report
            .push(self.options, Finding::new(rule, location, msg));
    }

    fn close(&mut self, level: Level, why: &str) {
        if let Some(h) = self.open[slot(level)].take() {
            let (hs, he, _) = name(level);
            self.push(
                rules::X12_SECURITY_MISSING_TRAILER,
                h.location(),
                format!(
                    "{hs} ({}) has no {he} before {why}",
                    String::from_utf8_lossy(h.tag())
                ),
            );
        }
    }

    fn placed(&mut self, seg: &Segment<'_>, level: Level) -> bool {
        let ok = match level {
            Level::Group => self.in_group && !self.in_set,
            Level::TransactionSet => self.in_set,
        };
        if !ok {
            let place = match level {
                Level::Group => "between GS and ST or after SE, before GE",
                Level::TransactionSet => "inside ST..SE",
            };
            self.push(
                rules::X12_SECURITY_MALFORMED,
                seg.location(),
                format!("{} must stand {place}", String::from_utf8_lossy(seg.tag())),
            );
        }
        ok
    }

    fn segment(&mut self, seg: Segment<'r>) {
        let tag = seg.tag();
        match tag {
            b"GS" => {
                self.close(Level::TransactionSet, "the next GS");
                self.close(Level::Group, "the next GS");
                self.in_group = true;
                self.in_set = false;
                return;
            }
            b"GE" => {
                self.close(Level::TransactionSet, "GE");
                self.close(Level::Group, "GE");
                self.in_group = false;
                self.in_set = false;
                return;
            }
            b"ST" => {
                self.close(Level::TransactionSet, "the next ST");
                self.in_set = true;
                return;
            }
            b"SE" => {
                self.close(Level::TransactionSet, "SE");
                self.in_set = false;
                return;
            }
            _ => {}
        }
        let Some(kind) = Kind::of(tag) else { return };
        match kind {
            Kind::Header(level, v1) => {
                if !self.placed(&seg, level) {
                    return;
                }
                self.close(level, "the next security header");
                let base = usize::from(!v1);
                let typ = text(&seg, base + 1);
                let key = text(&seg, base + 4);
                let service = text(&seg, base + 5);
                if matches!(&*typ, "AA" | "BB" | "AC" | "BC") && key.is_empty() {
                    self.push(
                        rules::X12_SECURITY_MALFORMED,
                        seg.location()
                            .with_element(u32::try_from(base + 4).unwrap_or(5)),
                        format!("security type {typ} requires an authentication key name"),
                    );
                }
                let (hs, he, _) = name(level);
                self.push(
                    rules::X12_SECURITY_UNVERIFIED,
                    seg.location(),
                    format!(
                        "{hs}..{he} secured area (security type {typ:?}, key name {key:?}, service {service:?}): X12.58 does not publish its byte domain, so the code cannot be verified without a partner profile"
                    ),
                );
                self.open[slot(level)] = Some(seg);
            }
            Kind::Trailer(level) => {
                if !self.placed(&seg, level) {
                    return;
                }
                if self.open[slot(level)].take().is_none() {
                    let (hs, he, _) = name(level);
                    self.push(
                        rules::X12_SECURITY_UNPAIRED_TRAILER,
                        seg.location(),
                        format!("{he} without an open {hs}"),
                    );
                }
                let code = seg.element(1).map_or(0, |e| e.as_bytes().len());
                if code == 0 || code > MAX_CODE_LEN {
                    self.push(
                        rules::X12_SECURITY_MALFORMED,
                        seg.location().with_element(1),
                        format!("hash or authentication code is {code} characters, expected 1 to {MAX_CODE_LEN}"),
                    );
                }
            }
            Kind::Assurance(level) => {
                if self.placed(&seg, level) {
                    self.push(
                        rules::X12_SECURITY_UNVERIFIED,
                        seg.location(),
                        format!(
                            "{} assurance (domain 1434 {:?}) recognised; assurances are not verified",
                            String::from_utf8_lossy(tag),
                            text(&seg, 4)
                        ),
                    );
                }
            }
            Kind::Value => {
                if !self.in_group {
                    self.push(
                        rules::X12_SECURITY_MALFORMED,
                        seg.location(),
                        "SVA outside a functional group",
                    );
                }
            }
        }
    }
}

/// Recognises the X12.58 segments of one interchange and checks their
/// placement and pairing.
pub fn check_interchange(interchange: &Interchange<'_>, options: &Options, report: &mut Report) {
    let segs: Vec<Segment<'_>> = interchange.segments().collect();
    let mut w = Walk {
        options,
        report,
        in_group: false,
        in_set: false,
        open: [None, None],
    };
    for s in segs {
        w.segment(s);
    }
    w.close(Level::TransactionSet, "the end of the interchange");
    w.close(Level::Group, "the end of the interchange");
}

/// Parses `input` as X12 and checks the X12.58 segments of every
/// interchange.
///
/// # Errors
///
/// Only when the input cannot be parsed at all (see [`x12::parse`]).
pub fn check(input: &[u8], options: &Options) -> Result<Report> {
    let mut report = Report::new(Some(Format::X12));
    for ic in x12::parse(input, &options.limits)? {
        check_interchange(&ic, options, &mut report);
    }
    Ok(report)
}
