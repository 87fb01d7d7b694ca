//! The rule codes: a public contract. Codes are stable snake_case names that
//! are never renamed; [`ALL`] lists every rule with its default severity and
//! a one-line summary (the README's rule table is generated from the same
//! facts).

use crate::Severity;

/// A rule: its stable code, default severity and summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable snake_case code.
    pub code: &'static str,
    /// Severity unless overridden by [`crate::Options`].
    pub severity: Severity,
    /// What the rule checks, in one line.
    pub summary: &'static str,
}

macro_rules! rules {
    ($( $(#[$doc:meta])* $name:ident = ($code:literal, $sev:ident, $summary:literal); )*) => {
        $( $(#[$doc])* pub const $name: Rule = Rule { code: $code, severity: Severity::$sev, summary: $summary }; )*
        /// Every rule, in documentation order.
        pub const ALL: &[Rule] = &[ $( $name ),* ];
    };
}

rules! {
    // ---- Envelope rules shared by X12 and EDIFACT ----
    /// Header and trailer control numbers differ (ISA13/IEA02, GS06/GE02,
    /// ST02/SE02; UNB/UNZ 0020, UNG/UNE 0048, UNH/UNT 0062).
    CONTROL_NUMBER_MISMATCH = ("control_number_mismatch", Error,
        "header and trailer control numbers differ (ISA13/IEA02, GS06/GE02, ST02/SE02, UNB/UNZ, UNG/UNE, UNH/UNT)");
    /// The trailer's segment count differs from the segments present.
    SEGMENT_COUNT_MISMATCH = ("segment_count_mismatch", Error,
        "SE01 / UNT 0074 differs from the segments from header to trailer inclusive");
    /// The group trailer's message count differs from the messages present.
    MESSAGE_COUNT_MISMATCH = ("message_count_mismatch", Error,
        "GE01 / UNE 0060 (or UNZ 0036 without groups) differs from the transaction sets or messages present");
    /// The interchange trailer's group count differs from the groups present.
    GROUP_COUNT_MISMATCH = ("group_count_mismatch", Error,
        "IEA01 / UNZ 0036 differs from the functional groups present");
    /// A control number is repeated where it must be unique.
    DUPLICATE_CONTROL_NUMBER = ("duplicate_control_number", Error,
        "a control number is repeated (ISA13 in the input, GS06 in an interchange, ST02 in a group; EDIFACT likewise)");
    /// A trailer is absent (truncated input).
    MISSING_TRAILER = ("missing_trailer", Error,
        "SE, GE, IEA / UNT, UNE, UNZ absent; parsing recovers at the next header");
    /// A byte outside the character set the interchange may use.
    INVALID_CHARACTER = ("invalid_character", Error,
        "a control byte, or a byte outside the interchange's character set, inside data");
    /// The X12 ISA header is malformed.
    ISA_MALFORMED = ("isa_malformed", Error,
        "ISA not 106 bytes, wrong fixed widths, non-numeric control number or version");
    /// The EDIFACT UNA or UNB header is malformed.
    HEADER_MALFORMED = ("header_malformed", Error,
        "UNA not 9 bytes, UNB without mandatory parts, unknown syntax identifier");
    /// A date in an envelope is not a valid date.
    INVALID_DATE = ("invalid_date", Error,
        "an envelope date (ISA09, GS04, UNB S004) is not a valid date");
    /// A time in an envelope is not a valid time.
    INVALID_TIME = ("invalid_time", Error,
        "an envelope time (ISA10, GS05, UNB S004) is not a valid time");
    /// A segment stands outside the envelope where it may stand.
    UNEXPECTED_SEGMENT = ("unexpected_segment", Error,
        "a segment outside the envelope where it may stand (data outside ST/SE, GS outside ISA, ...)");
    /// Bytes before the first interchange header.
    LEADING_JUNK = ("leading_junk", Warning,
        "bytes before the first interchange header; parsing continues at the header");
    /// A byte-order mark at the start of the input.
    BYTE_ORDER_MARK = ("byte_order_mark", Info,
        "a UTF-8 byte-order mark precedes the first header; it is skipped");
    /// Line breaks between segments.
    LINE_BREAKS = ("line_breaks", Info,
        "CR/LF after segment terminators (skipped between segments, never taken as data)");
    /// A line break inside a segment (hard-wrapped file).
    LINE_BREAK_IN_SEGMENT = ("line_break_in_segment", Error,
        "CR or LF inside a segment, as in files hard-wrapped at 80 columns");
    /// Bytes after the last interchange trailer.
    TRAILING_DATA = ("trailing_data", Warning,
        "bytes after the last interchange that are not an interchange");
    /// An interchange acknowledgment (TA1) was found.
    INTERCHANGE_ACKNOWLEDGMENT = ("interchange_acknowledgment", Info,
        "a TA1 interchange acknowledgment segment, reported with its status");

    // ---- X12 framing ----
    /// The input ends inside a segment.
    MISSING_SEGMENT_TERMINATOR = ("missing_segment_terminator", Error,
        "the input ends inside a segment: its segment terminator is missing");
    // ---- EDIFACT ----
    /// EDIFACT messages (UNH..UNT) outside any UNB..UNZ interchange.
    BARE_MESSAGE = ("bare_message", Warning,
        "EDIFACT messages (UNH..UNT) without a UNB/UNZ interchange envelope");
}

/// Looks a rule up by code.
///
/// # Examples
///
/// ```
/// let rule = ediguard::rules::lookup("missing_trailer").unwrap();
/// assert_eq!(rule.severity, ediguard::Severity::Error);
/// ```
pub fn lookup(code: &str) -> Option<Rule> {
    ALL.iter().copied().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for r in ALL {
            assert!(seen.insert(r.code), "duplicate code {}", r.code);
            assert!(
                r.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{} is not snake_case",
                r.code
            );
        }
    }
}
