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
    // ---- EDISIG v1 detached signatures (edi-security.md §4.3) ----
    /// The signature line breaks the EDISIG v1 grammar.
    SIGNATURE_MALFORMED = ("signature_malformed", Error,
        "EDISIG line breaks the grammar: key order, duplicate or unknown key, charset, encoding");
    /// The signature declares a version other than 1.
    SIGNATURE_UNSUPPORTED_VERSION = ("signature_unsupported_version", Error,
        "EDISIG `v` is not 1 (never retried as an older version)");
    /// The signature names a key id the key ring does not hold.
    SIGNATURE_UNKNOWN_KEY = ("signature_unknown_key", Error,
        "EDISIG `kid` is not in the key ring");
    /// The key is revoked or outside its validity period.
    SIGNATURE_KEY_NOT_VALID_NOW = ("signature_key_not_valid_now", Error,
        "the EDISIG key is revoked, not yet valid or expired");
    /// The signature's algorithm differs from the one pinned to the key.
    SIGNATURE_ALGORITHM_MISMATCH = ("signature_algorithm_mismatch", Error,
        "EDISIG `alg` differs from the algorithm pinned to the key (downgrade)");
    /// The canonicalisation is not allowed for this key or payload.
    SIGNATURE_CANON_NOT_ALLOWED = ("signature_canon_not_allowed", Error,
        "EDISIG `canon=eol1` not allowed by the key, or forbidden for the payload (CR/LF terminator, ELD, BOM)");
    /// The signature timestamp is older than the freshness window.
    SIGNATURE_STALE = ("signature_stale", Error,
        "EDISIG `ts` is older than the freshness window");
    /// The signature timestamp is further ahead than the allowed clock skew.
    SIGNATURE_FROM_FUTURE = ("signature_from_future", Error,
        "EDISIG `ts` is further in the future than the allowed clock skew");
    /// The payload length differs from the signed length.
    SIGNATURE_LENGTH_MISMATCH = ("signature_length_mismatch", Error,
        "payload length (after canonicalisation) differs from EDISIG `len` (truncation or padding)");
    /// The MAC does not verify.
    SIGNATURE_BAD = ("signature_bad", Error,
        "EDISIG HMAC-SHA256 tag does not verify: payload or signature changed, or wrong key");
    /// The nonce was seen before.
    SIGNATURE_REPLAY = ("signature_replay", Error,
        "EDISIG (`kid`, `nonce`) already seen within the freshness window");
    /// The signed envelope ids differ from the payload's envelope.
    SIGNATURE_CONTROL_MISMATCH = ("signature_control_mismatch", Error,
        "EDISIG `ctl` differs from the payload's envelope ids (ISA05-08/ISA13, UNB S002/S003/0020)");
    /// The envelope of the payload cannot be read.
    SIGNATURE_ENVELOPE_UNREADABLE = ("signature_envelope_unreadable", Error,
        "the payload's ISA or UNA/UNB cannot be read to compare with EDISIG `ctl`");
    /// The envelope sender is not allowed for the key's partner.
    SIGNATURE_SENDER_NOT_AUTHORIZED = ("signature_sender_not_authorized", Error,
        "the envelope sender id is not allowed for the EDISIG key's partner");
    /// The envelope receiver is not one of ours.
    SIGNATURE_RECEIVER_NOT_OURS = ("signature_receiver_not_ours", Error,
        "the envelope receiver id is not one of the receiver's own ids");
    /// A size bound was exceeded while verifying.
    SIGNATURE_LIMIT = ("signature_limit", Error,
        "EDISIG line or payload over its size limit, or the replay cache is full");
    /// The same control number arrived again with the same digest.
    SIGNATURE_DUPLICATE = ("signature_duplicate", Warning,
        "control number already recorded with the same SHA-256 (an idempotent retransmission)");
    /// The same control number arrived again with different content.
    SIGNATURE_CONTROL_NUMBER_CONFLICT = ("signature_control_number_conflict", Error,
        "control number already recorded with a different SHA-256 (a changed copy reusing the number)");
    /// A key ring was given but the document carries no EDISIG signature.
    SIGNATURE_MISSING = ("signature_missing", Error,
        "a key ring was given but the document has no EDISIG signature (no FILE.edisig sidecar or header)");
    /// The document's EDISIG signature verified.
    SIGNATURE_VERIFIED = ("signature_verified", Info,
        "the document's EDISIG signature verified (key id, partner and control ids in the message)");
    // ---- FMCSA ELD output files (49 CFR 395 Subpart B, Appendix A) ----
    /// A line data check value differs from the one computed (§4.4.5.2).
    LINE_CHECK_VALUE_MISMATCH = ("line_check_value_mismatch", Error,
        "ELD: a line data check value differs from the one computed over the line (App. A §4.4.5.2)");
    /// The file data check value differs from the one computed (§4.4.5.3).
    FILE_CHECK_VALUE_MISMATCH = ("file_check_value_mismatch", Error,
        "ELD: the file data check value differs from the one computed over every line check value (App. A §4.4.5.3)");
    /// An event data check value differs from the one computed (§4.4.5.1).
    EVENT_CHECK_VALUE_MISMATCH = ("event_check_value_mismatch", Error,
        "ELD: an event data check value differs (error when the username is known, warning when it had to be assumed) (App. A §4.4.5.1)");
    /// A line has the wrong number of fields for its layout.
    ELD_FIELD_COUNT = ("eld_field_count", Error,
        "ELD: a line has the wrong number of fields for its section (App. A §4.8.2.1)");
    /// A section title is missing.
    ELD_MISSING_SECTION = ("eld_missing_section", Error,
        "ELD: one of the eleven section titles is missing (App. A §4.8.2.1)");
    /// A section title appears twice.
    ELD_DUPLICATE_SECTION = ("eld_duplicate_section", Error,
        "ELD: a section title appears more than once (App. A §4.8.2.1)");
    /// A section stands out of the order of §4.8.2.1.
    ELD_SECTION_ORDER = ("eld_section_order", Error,
        "ELD: a section comes before one that §4.8.2.1 puts ahead of it");
    /// A title matches only when case, spaces or apostrophe style are ignored.
    ELD_TITLE_MISMATCH = ("eld_title_mismatch", Warning,
        "ELD: a section title differs from the exact text of §4.8.2.1 (case, spaces, typographic apostrophe)");
    /// A line that has no place in the file.
    ELD_UNEXPECTED_LINE = ("eld_unexpected_line", Error,
        "ELD: a line before the header, under an unknown title, or after the file check value");
    /// The header does not have seven lines, or End of File not one.
    ELD_LINE_COUNT = ("eld_line_count", Error,
        "ELD: the header does not have exactly 7 lines, or End of File not exactly one check value line (App. A §4.8.2.1.1, .11)");
    /// Mixed line endings, or a last line without terminator.
    ELD_LINE_ENDING = ("eld_line_ending", Warning,
        "ELD: lines end in more than one way, or the last line has no <CR> (App. A §3.2(c), §4.8.2.1)");
    /// Lines end in LF only.
    ELD_LF_LINE_ENDINGS = ("eld_lf_line_endings", Info,
        "ELD: lines end in LF; FMCSA describes <CR> and peers write CRLF (App. A §3.2(c))");
    /// A byte outside printable 7-bit ASCII.
    ELD_NON_ASCII = ("eld_non_ascii", Error,
        "ELD: a byte outside printable 7-bit ASCII (ANSI INCITS 4-1986, App. A §4.8.2.1)");
    /// A date field is not a valid MMDDYY date.
    ELD_INVALID_DATE = ("eld_invalid_date", Error,
        "ELD: a date is not a valid MMDDYY date (App. A §7.8)");
    /// A time field is not a valid HHMMSS time.
    ELD_INVALID_TIME = ("eld_invalid_time", Error,
        "ELD: a time is not a valid HHMMSS time (App. A §7.40, §7.1)");
    /// A value outside a code table.
    ELD_INVALID_CODE = ("eld_invalid_code", Error,
        "ELD: a value outside its code table (event type/code, record status/origin, malfunction/diagnostic code, account type, multiday basis, exempt flag)");
    /// A value that breaks the data dictionary's format, range or length.
    ELD_INVALID_FIELD = ("eld_invalid_field", Error,
        "ELD: a value breaks the data dictionary's format, range or length, or is blank where it may not be (App. A §7)");
    /// A VIN whose check digit is wrong.
    ELD_VIN_CHECK_DIGIT = ("eld_vin_check_digit", Error,
        "ELD: a VIN given without the leading '-' fails the 49 CFR 565 position-9 check digit (App. A §7.5)");
    /// A CMV order number not in the CMV List.
    ELD_UNKNOWN_CMV_ORDER = ("eld_unknown_cmv_order", Error,
        "ELD: a CMV order number that the CMV List does not hold (App. A §4.8.2.1.3)");
    /// A user order number not in the User List.
    ELD_UNKNOWN_USER_ORDER = ("eld_unknown_user_order", Error,
        "ELD: a user order number that the User List does not hold (App. A §4.8.2.1.2)");
    /// An annotation for an event that is not in the Event List.
    ELD_ORPHAN_ANNOTATION = ("eld_orphan_annotation", Error,
        "ELD: an annotation refers to a sequence ID that is not in the Event List (App. A §4.8.2.1.5)");
    /// Two different records share a sequence ID.
    ELD_DUPLICATE_SEQUENCE_ID = ("eld_duplicate_sequence_id", Error,
        "ELD: two different records share an event sequence ID within one 65,536 window (App. A §4.4.4.1, §7.24)");
    /// Total vehicle miles or engine hours decrease in time order.
    ELD_TOTAL_DECREASE = ("eld_total_decrease", Error,
        "ELD: a CMV's total vehicle miles or total engine hours decrease in time order (odometer or hour meter rolled back)");
    /// Accumulated miles or elapsed hours decrease within an ignition cycle.
    ELD_ACCUMULATED_DECREASE = ("eld_accumulated_decrease", Warning,
        "ELD: accumulated vehicle miles or elapsed engine hours decrease within one ignition cycle (App. A §7.19, §7.43)");
    /// A record status and origin combination the edit model forbids.
    ELD_STATUS_ORIGIN = ("eld_status_origin", Error,
        "ELD: a record status/origin/type combination the edit model forbids (App. A §4.4.4.2, §4.3.2.8.2(a))");
    /// An edited or entered record without an annotation.
    ELD_EDIT_WITHOUT_ANNOTATION = ("eld_edit_without_annotation", Error,
        "ELD: an edit (origin 3, or origin 2 replacing an inactive-changed record of the same time) has no annotation (App. A §4.3.2.8.2(c))");
    /// Automatically recorded driving shortened or reassigned by an edit.
    ELD_DRIVING_EDITED = ("eld_driving_edited", Error,
        "ELD: automatically recorded driving time was shortened or reassigned by an edit (App. A §4.3.2.8.2(b)); a tampering signal");
    /// A section is not newest first.
    ELD_RECORD_ORDER = ("eld_record_order", Warning,
        "ELD: an event section is not in newest-first date and time order (App. A §4.8.2.1.4 to .10)");
    /// Header H3 does not match the top row of the CMV List.
    ELD_HEADER_CMV_MISMATCH = ("eld_header_cmv_mismatch", Warning,
        "ELD: the header's power unit number or VIN differs from the top (most recent) row of the CMV List");
    /// Unidentified driving over 30 minutes in a day without diagnostic 5.
    ELD_UNIDENTIFIED_WITHOUT_DIAGNOSTIC = ("eld_unidentified_without_diagnostic", Warning,
        "ELD: more than 30 minutes of unidentified driving in a 24-hour period but no diagnostic 5 logged (App. A §4.6.1.6)");
    // ---- EDIFACT integrated security, AUTACK, X12.58 (edi-security.md §1, §2) ----
    /// A security header group has no trailer group with its 0534.
    SECURITY_MISSING_TRAILER = ("security_missing_trailer", Error,
        "an EDIFACT USH has no UST with the same security reference 0534 (ISO 9735-5 pairing)");
    /// A security trailer group has no header group with its 0534.
    SECURITY_UNPAIRED_TRAILER = ("security_unpaired_trailer", Error,
        "an EDIFACT UST names a security reference 0534 that no USH in the same structure carries");
    /// A security reference is used by two header groups.
    SECURITY_DUPLICATE_REFERENCE = ("security_duplicate_reference", Error,
        "an EDIFACT security reference 0534 repeats within one structure");
    /// UST 0588 differs from the security segments of its pair.
    SECURITY_COUNT_MISMATCH = ("security_count_mismatch", Error,
        "UST 0588 differs from the USH/USA/USC/USR of the header group plus UST and its USR");
    /// A security segment is malformed or missing a mandatory part.
    SECURITY_MALFORMED = ("security_malformed", Error,
        "a USH/USA/UST/USR lacks a mandatory part (0501, 0534, S508), or its value does not decode");
    /// The algorithm (USA S502) is absent or not supported.
    SECURITY_UNSUPPORTED_ALGORITHM = ("security_unsupported_algorithm", Error,
        "no USA, or USA 0523/0527 name an algorithm other than SHA-256 (0523=1) or HMAC-SHA256 (0523=2)");
    /// The filter (USH 0505) is not supported.
    SECURITY_UNSUPPORTED_FILTER = ("security_unsupported_filter", Error,
        "USH 0505 filter other than 2 (hexadecimal) or 7 (Base64)");
    /// The scope (USH 0541) cannot be verified in integrated use.
    SECURITY_SCOPE_UNSUPPORTED = ("security_scope_unsupported", Error,
        "USH 0541 scope 2, 3, 6 or another code in integrated use: not verifiable, fails closed (verify 3/6 through AUTACK)");
    /// The HMAC-SHA256 in USR does not verify.
    SECURITY_MAC_FAILED = ("security_mac_failed", Error,
        "the HMAC-SHA256 in USR 0560 does not verify over the secured scope: data changed or wrong key");
    /// The SHA-256 digest in USR does not match.
    SECURITY_DIGEST_FAILED = ("security_digest_failed", Error,
        "the SHA-256 in USR 0560 differs from the digest of the secured scope");
    /// The key name is not in the key ring, or absent, or revoked.
    SECURITY_UNKNOWN_KEY = ("security_unknown_key", Error,
        "the key name (USA S503 0531=9, or USH S500 0538) is absent, revoked or not in the key ring");
    /// The two key names of one header group differ.
    SECURITY_KEY_NAME_MISMATCH = ("security_key_name_mismatch", Error,
        "USH S500 0538 and USA S503 (0531=9) name different keys");
    /// A MAC was present but no key ring was given.
    SECURITY_UNVERIFIED = ("security_unverified", Info,
        "an HMAC security group was not verified because no key ring was given");
    /// Security segments in an interchange below syntax version 4.
    SECURITY_SYNTAX_VERSION = ("security_syntax_version", Warning,
        "EDIFACT security segments in an interchange whose UNB declares syntax version 1 to 3 (they exist only in syntax 4)");
    /// An AUTACK is malformed.
    AUTACK_MALFORMED = ("autack_malformed", Error,
        "an AUTACK lacks USH, USB, USX/USY or UST, or a USY has neither S508 nor 0571");
    /// A USX names an interchange that was not supplied.
    AUTACK_REFERENCE_NOT_FOUND = ("autack_reference_not_found", Error,
        "no supplied interchange (or group/message in it) matches USX 0020 + S002 + S003");
    /// USB sender or recipient differs from the referenced interchange.
    AUTACK_IDENTITY_MISMATCH = ("autack_identity_mismatch", Error,
        "USB S002/S003 differ from the UNB sender/recipient of the referenced interchange");
    /// A USY names a 0534 no USH carries.
    AUTACK_UNKNOWN_SECURITY_REFERENCE = ("autack_unknown_security_reference", Error,
        "USY 0534 names no USH of the AUTACK");
    /// The AUTACK algorithm, filter or scope is not supported.
    AUTACK_UNSUPPORTED = ("autack_unsupported", Error,
        "the USH/USA of a USY name an algorithm, filter or scope other than SHA-256/HMAC-SHA256, hex/Base64, scope 3/6");
    /// The AUTACK key name is unknown.
    AUTACK_UNKNOWN_KEY = ("autack_unknown_key", Error,
        "the AUTACK key name is absent, revoked or not in the key ring");
    /// The USY value does not match the referenced structure.
    AUTACK_VALUE_MISMATCH = ("autack_value_mismatch", Error,
        "USY S508 differs from the SHA-256 or HMAC-SHA256 of the referenced structure");
    /// A USY reports a security error (refusal).
    AUTACK_REFUSAL = ("autack_refusal", Warning,
        "a USY carries security error 0571 (the partner refused the referenced structure)");
    /// An AUTACK was found but not verified.
    AUTACK_UNVERIFIED = ("autack_unverified", Info,
        "an AUTACK was recognised but not verified (its referenced interchanges or key were not supplied)");
    /// An X12.58 header has no trailer.
    X12_SECURITY_MISSING_TRAILER = ("x12_security_missing_trailer", Error,
        "S3S without S3E before GE, S4S without S4E before SE (AK905 codes 23-26)");
    /// An X12.58 trailer has no header.
    X12_SECURITY_UNPAIRED_TRAILER = ("x12_security_unpaired_trailer", Error,
        "S3E or S4E without an open S3S or S4S (AK905 codes 23-26)");
    /// An X12.58 segment stands where it may not, or breaks its layout.
    X12_SECURITY_MALFORMED = ("x12_security_malformed", Error,
        "an X12.58 segment outside GS/GE or ST/SE, S3E01/S4E01 over 64 characters, or no key name for AA/BB/AC/BC");
    /// X12.58 authentication that cannot be verified.
    X12_SECURITY_UNVERIFIED = ("x12_security_unverified", Info,
        "an X12.58 S3S/S4S area or S3A/S4A/SVA assurance was recognised; its MAC needs a partner profile to verify");
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
                r.code.starts_with(|c: char| c.is_ascii_lowercase())
                    && r.code
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{} is not snake_case",
                r.code
            );
        }
    }
}
