//! Format detection: the one place each format's signature is recognised.

use serde::Serialize;

use crate::{Error, ErrorKind, Location};

/// A document format ediguard reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// ASC X12 interchanges (ISA ... IEA).
    X12,
    /// UN/EDIFACT interchanges (UNA/UNB ... UNZ).
    Edifact,
    /// FMCSA ELD output files (49 CFR 395 Subpart B, Appendix A §4.8.2).
    Eld,
}

impl Format {
    /// The lowercase name used in JSON and the CLI.
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::X12 => "x12",
            Format::Edifact => "edifact",
            Format::Eld => "eld",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How far into the input a header is looked for when junk precedes it.
pub const SNIFF_LEN: usize = 64 * 1024;

/// The ELD output file's first line starts with this title.
pub const ELD_HEADER_TITLE: &[u8] = b"ELD File Header Segment:";

/// Detects the format of `input`: a BOM and leading junk (up to
/// [`SNIFF_LEN`] bytes) may precede the header.
///
/// Returns an error of kind [`ErrorKind::UnsupportedEncoding`] for EBCDIC or
/// UTF-16 input, and [`ErrorKind::Unrecognized`] when no header is found.
///
/// # Examples
///
/// ```
/// use ediguard::{detect, Format};
/// assert_eq!(detect(b"ISA*00*...").unwrap(), Format::X12);
/// assert_eq!(detect(b"UNA:+.? 'UNB+UNOA:2").unwrap(), Format::Edifact);
/// assert_eq!(detect(b"UNH+1+IFTSTA:D:01B:UN'").unwrap(), Format::Edifact);
/// assert_eq!(detect(b"\xEF\xBB\xBFELD File Header Segment:\r\n").unwrap(), Format::Eld);
/// assert_eq!(detect(b"EXPORT 2024-01-01 ISA*00*          *00*").unwrap(), Format::X12);
/// assert!(detect(b"hello").is_err());
/// assert!(detect(b"NOTE: VISA*1*2").is_err());
/// ```
pub fn detect(input: &[u8]) -> Result<Format, Error> {
    let body = input.strip_prefix(BOM).unwrap_or(input);
    if body.starts_with(b"\xFF\xFE") || body.starts_with(b"\xFE\xFF") {
        return Err(Error::new(
            ErrorKind::UnsupportedEncoding,
            Location::at(0),
            "UTF-16 input is not supported; convert to UTF-8 or ASCII",
        ));
    }
    // EBCDIC "ISA" and "UNB"/"UNA".
    if body.starts_with(b"\xC9\xE2\xC1")
        || body.starts_with(b"\xE4\xD5\xC2")
        || body.starts_with(b"\xE4\xD5\xC1")
    {
        return Err(Error::new(
            ErrorKind::UnsupportedEncoding,
            Location::at(input.len() - body.len()),
            "EBCDIC input is not supported; convert to ASCII",
        ));
    }
    // An ELD file starts with its header title (§4.8.2.1.1): no other
    // header can come before it, so the search below would pick it.
    if body.starts_with(ELD_HEADER_TITLE) {
        return Ok(Format::Eld);
    }
    let window = &input[..input.len().min(SNIFF_LEN)];
    let mut best: Option<(usize, Format)> = None;
    for (needle, format) in [
        (&b"ISA"[..], Format::X12),
        (b"UNA", Format::Edifact),
        (b"UNB", Format::Edifact),
        // Bare EDIFACT messages (UNH..UNT without UNB) are exchanged too.
        (b"UNH", Format::Edifact),
        (ELD_HEADER_TITLE, Format::Eld),
    ] {
        if let Some(pos) = find_header(window, needle) {
            if best.is_none_or(|(p, _)| pos < p) {
                best = Some((pos, format));
            }
        }
    }
    best.map(|(_, f)| f).ok_or_else(|| {
        Error::new(
            ErrorKind::Unrecognized,
            Location::at(0),
            "no X12 (ISA), EDIFACT (UNA/UNB) or ELD header found",
        )
    })
}

/// First position of `needle` where a header can start: at the start of
/// the input or of a line, followed by a byte that can be a separator (not
/// alphanumeric), so that "ISA" inside data or a word does not count; or,
/// after junk with no line break, where the bytes that follow have the
/// header's shape.
fn find_header(window: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(window, needle).find(|&pos| {
        let at_start = pos == 0
            || matches!(window[pos - 1], b'\n' | b'\r')
            || window[..pos]
                .strip_prefix(BOM)
                .is_some_and(|r| r.is_empty());
        let next = window.get(pos + needle.len());
        let separated = needle.len() > 3 || next.is_some_and(|b| !b.is_ascii_alphanumeric());
        separated && (at_start || has_header_shape(&window[pos..], needle))
    })
}

/// True when `rest` (starting at a candidate header) has the header's
/// shape: `ISA` + separator + two characters + the same separator (ISA01 is
/// two characters wide, X12.5); `UNA` + six service characters + `UNB`;
/// `UNB` + separator + a four-letter syntax identifier.
fn has_header_shape(rest: &[u8], needle: &[u8]) -> bool {
    match needle {
        b"ISA" => rest.len() > 6 && rest[6] == rest[3],
        b"UNA" => rest.get(9..12) == Some(b"UNB"),
        b"UNB" => rest
            .get(4..8)
            .is_some_and(|id| id.iter().all(u8::is_ascii_uppercase)),
        _ => false,
    }
}
