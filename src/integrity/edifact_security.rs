//! UN/EDIFACT integrated security (ISO 9735-5): security header groups
//! (USH, USA, USC, USR) and security trailer groups (UST, USR) around a
//! message, group or interchange; verification and generation of the
//! SHA-256 integrity and HMAC-SHA256 profiles of `edi-security.md` §1.8.
//!
//! # What is implemented, clause by clause
//!
//! - **Placement** (§1.2): "`UNH`, then header group(s) `USH…`, then the
//!   business segments (body), then trailer group(s) `UST`(+`USR`), then
//!   `UNT`". The same shape is read after UNB/UNG and before UNZ/UNE.
//! - **Pairing** (§1.4, "Linkage checks"): "USH.0534 must equal UST.0534,
//!   one-to-one; no 0534 may repeat inside the structure; UST.0588 must
//!   match the actual count; each trailer's USR must verify". Pairing is by
//!   0534 alone, whatever the nesting order (which §1.2 leaves unverified).
//! - **Count** (§1.3, UST): "0588 number of security segments in this
//!   header/trailer pair: every USH/USA/USC/USR in the header group, plus UST
//!   and the trailer USR".
//! - **Scope 1** (§1.4, the default when 0541 is missing): "Concatenate: (a)
//!   the bytes of the current header group, from the "U" of its USH to the
//!   terminator of its last segment (USH, USA…, USC/USA/USR…); then (b) the
//!   body, from the first byte after the last header group to the byte before
//!   the "U" of the first UST." The bytes are hashed exactly as transmitted,
//!   release characters kept (§1.4, "Byte-level conventions"); line breaks
//!   inside the range are part of it (no canonicalisation).
//! - **Scopes 3 and 6** (§1.4): 3 is "the whole message, package, group or
//!   interchange, first character to last" (here from the "U" of UNB to the
//!   UNZ terminator, **UNA excluded**, since §1.4 leaves UNA unsettled); 6 is
//!   "from the "U" of UNH through the UNT terminator, inclusive". In
//!   integrated use they would hash their own USR, which §1.8 calls
//!   circular, so they are reported as `security_scope_unsupported` here and
//!   verified through [AUTACK](crate::integrity::autack). [`whole_range`]
//!   gives their bytes. Scope 2 is unsettled in §1.4 and also reported.
//! - **Algorithms** (§1.6, §1.8): 0527 has no public code list; the only
//!   SHA-256 code seen in implementations is `48` ([`SHA256_CODE`]). The
//!   profile reads USA S502 as: 0523 = 1 (owner hashing) with 0527 = 48 is a
//!   plain SHA-256 digest; 0523 = 2 (owner symmetric) with 0527 = 48 is
//!   HMAC-SHA256 with the key named in S503 (0531 = 9) or USH S500 0538.
//!   Write this into the interchange agreement.
//! - **Filters** (§1.5): 0505 = 2 hexadecimal (either case on input,
//!   uppercase on output, odd lengths rejected) and 7 Base64 (RFC 1521,
//!   read after removing release characters, since `+` is the default
//!   element separator).
//!
//! HMAC gives integrity and origin authentication between the two key
//! holders, **never non-repudiation** (§1.8: "Use 0501 = 2/3, never 1").
//! Scope 1 leaves UNH/UNB unprotected; check them with the envelope rules
//! and EDISIG (§5, C5/C8). Secrets never appear in findings; a failed MAC
//! never shows the expected value.
//!
//! # Examples
//!
//! ```
//! use ediguard::integrity::edifact_security::{secure_interchange, verify, SecureParams};
//! use ediguard::integrity::edisig::{Key, KeyRing};
//! use ediguard::Options;
//! let input = b"UNB+UNOC:4+SENDER+RECEIVER+20240101:1200+1'UNH+1+IFTSTA:D:01B:UN'BGM+23+X1'UNT+3+1'UNZ+1+1'";
//! let key = Key::new(vec![7u8; 32]).unwrap();
//! let params = SecureParams::hmac_sha256("1", "k1", &key);
//! let secured = secure_interchange(input, &params).unwrap();
//! let mut ring = KeyRing::new();
//! ring.insert("k1", key).unwrap();
//! let report = verify(&secured, Some(&ring), &Options::default()).unwrap();
//! assert!(report.findings().is_empty(), "{:?}", report.findings());
//! ```

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::Mac as _;
use sha2::{Digest as _, Sha256};

use crate::edifact::{self, Interchange, Message, Writer};
use crate::integrity::edisig::{Key, KeyRing};
use crate::rules::{self, Rule};
use crate::syntax::{Delimiters, Element, Segment};
use crate::{Error, ErrorKind, Finding, Format, Location, Options, Report, Result};

/// The 0527 code this profile reads as SHA-256 (§1.6: "48 SHA-256" in
/// pratimsc/autack, "48 SHA2" in the EDICOM docs; no official list).
pub const SHA256_CODE: &str = "48";

// ---------------------------------------------------------------------------
// Segment adapters: the only places that read a message's or interchange's
// segments, so a change from slices to lazy iterators is a one-line change.
// ---------------------------------------------------------------------------

pub(crate) fn message_segments<'a>(m: &Message<'_, 'a>) -> impl Iterator<Item = Segment<'a>> {
    m.segments()
}

pub(crate) fn interchange_segments<'p, 'a>(
    ic: &'p Interchange<'a>,
) -> impl Iterator<Item = Segment<'a>> + 'p {
    ic.segments()
}

/// The end of `seg` including its terminator (when the terminator is there).
pub(crate) fn seg_end(input: &[u8], seg: &Segment<'_>) -> usize {
    let e = seg.span().end;
    if input.get(e) == Some(&seg.delimiters().segment) {
        e + 1
    } else {
        e.min(input.len())
    }
}

/// The byte range from the first byte of `first` to the terminator of
/// `last`, inclusive: the whole structure of scope 3 or 6 (§1.4: "first
/// character to last"; "from the "U" of UNH through the UNT terminator,
/// inclusive").
///
/// # Examples
///
/// ```
/// use ediguard::{edifact, Limits};
/// use ediguard::integrity::edifact_security::whole_range;
/// let input = b"UNA:+.? 'UNB+UNOC:4+S+R+20240101:1200+1'UNZ+0+1'";
/// let parsed = edifact::parse(input, &Limits::default()).unwrap();
/// let ic = &parsed.interchanges()[0];
/// let r = whole_range(input, &ic.header().unwrap(), &ic.trailer().unwrap());
/// assert_eq!(&input[r], &b"UNB+UNOC:4+S+R+20240101:1200+1'UNZ+0+1'"[..]);
/// ```
pub fn whole_range(input: &[u8], first: &Segment<'_>, last: &Segment<'_>) -> Range<usize> {
    let start = first.offset().min(input.len());
    start..seg_end(input, last).max(start)
}

// ---------------------------------------------------------------------------
// Codes
// ---------------------------------------------------------------------------

/// USH 0541, scope of security application (§1.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scope {
    /// 1 (and the default): the current header group and the body.
    HeaderAndBody,
    /// 2: from the header group to the associated trailer group.
    HeaderToTrailer,
    /// 3: the whole message, group or interchange.
    Whole,
    /// 6: the whole batch message, UNH to UNT.
    WholeMessage,
    /// Any other code (4, 5, ZZZ, ...).
    Other,
}

impl Scope {
    /// Reads a 0541 code; an absent or empty code is scope 1 (§1.4: "also
    /// the default when 0541 is missing").
    ///
    /// # Examples
    ///
    /// ```
    /// use ediguard::integrity::edifact_security::Scope;
    /// assert_eq!(Scope::from_code(b""), Scope::HeaderAndBody);
    /// assert_eq!(Scope::from_code(b"3"), Scope::Whole);
    /// ```
    pub fn from_code(code: &[u8]) -> Scope {
        match code {
            b"" | b"1" => Scope::HeaderAndBody,
            b"2" => Scope::HeaderToTrailer,
            b"3" => Scope::Whole,
            b"6" => Scope::WholeMessage,
            _ => Scope::Other,
        }
    }

    /// The code written for this scope (`"ZZZ"` for [`Scope::Other`]).
    pub fn code(self) -> &'static str {
        match self {
            Scope::HeaderAndBody => "1",
            Scope::HeaderToTrailer => "2",
            Scope::Whole => "3",
            Scope::WholeMessage => "6",
            Scope::Other => "ZZZ",
        }
    }
}

/// USH 0505, filter function (§1.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Filter {
    /// 2: hexadecimal, two characters per byte.
    Hex,
    /// 7: Base64 (RFC 1521), standard alphabet with padding.
    Base64,
    /// Any other code (1, 3 to 6, ZZZ), or none: not supported.
    Other,
}

impl Filter {
    /// Reads a 0505 code.
    pub fn from_code(code: &[u8]) -> Filter {
        match code {
            b"2" => Filter::Hex,
            b"7" => Filter::Base64,
            _ => Filter::Other,
        }
    }

    /// Reads a filter by name: `"hex"` or `"base64"` (as the Python
    /// package and the CLI spell them); `None` for any other name.
    ///
    /// # Examples
    ///
    /// ```
    /// use ediguard::integrity::edifact_security::Filter;
    /// assert_eq!(Filter::parse("base64"), Some(Filter::Base64));
    /// assert_eq!(Filter::parse("hex").map(Filter::as_str), Some("hex"));
    /// assert_eq!(Filter::parse("HEX"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Filter> {
        match name {
            "hex" => Some(Filter::Hex),
            "base64" => Some(Filter::Base64),
            _ => None,
        }
    }

    /// The name [`Filter::parse`] reads (`"other"` for [`Filter::Other`]).
    pub fn as_str(self) -> &'static str {
        match self {
            Filter::Hex => "hex",
            Filter::Base64 => "base64",
            Filter::Other => "other",
        }
    }

    /// The 0505 code (`"ZZZ"` for [`Filter::Other`]).
    pub fn code(self) -> &'static str {
        match self {
            Filter::Hex => "2",
            Filter::Base64 => "7",
            Filter::Other => "ZZZ",
        }
    }

    /// Renders binary bytes as text: uppercase hex, or Base64.
    ///
    /// # Examples
    ///
    /// ```
    /// use ediguard::integrity::edifact_security::Filter;
    /// assert_eq!(Filter::Hex.encode(&[0xAB, 0x01]), "AB01");
    /// assert_eq!(Filter::Base64.encode(&[0xFB, 0xFF]), "+/8=");
    /// assert_eq!(Filter::Hex.decode(b"ab01"), Some(vec![0xAB, 0x01]));
    /// assert_eq!(Filter::Hex.decode(b"AB0"), None);
    /// ```
    pub fn encode(self, bytes: &[u8]) -> String {
        match self {
            Filter::Hex => hex_upper(bytes),
            Filter::Base64 => STANDARD.encode(bytes),
            Filter::Other => String::new(),
        }
    }

    /// Turns filtered text (already unescaped) back into bytes; `None` when
    /// the text is not valid for the filter.
    pub fn decode(self, text: &[u8]) -> Option<Vec<u8>> {
        match self {
            Filter::Hex => std::str::from_utf8(text)
                .ok()
                .and_then(super::edisig::decode_hex),
            Filter::Base64 => STANDARD.decode(text).ok(),
            Filter::Other => None,
        }
    }
}

pub(crate) fn hex_upper(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// The computation a USA S502 names under this profile (§1.8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mechanism {
    /// 0523 = 1 (owner hashing), 0527 = [`SHA256_CODE`]: a SHA-256 digest.
    Sha256,
    /// 0523 = 2 (owner symmetric), 0527 = [`SHA256_CODE`]: HMAC-SHA256.
    HmacSha256,
}

impl Mechanism {
    /// The mechanism for 0523 (use of algorithm) and 0527 (algorithm), or
    /// `None` when this profile does not support the pair.
    pub fn from_codes(use_of_algorithm: &[u8], algorithm: &[u8]) -> Option<Mechanism> {
        match (use_of_algorithm, algorithm) {
            (b"1", a) if a == SHA256_CODE.as_bytes() => Some(Mechanism::Sha256),
            (b"2", a) if a == SHA256_CODE.as_bytes() => Some(Mechanism::HmacSha256),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------

fn value_of<'a>(seg: &Segment<'a>, element: usize, component: usize) -> Option<Cow<'a, [u8]>> {
    let c = seg.element(element)?.component(component)?;
    if c.is_empty() { None } else { Some(c.value()) }
}

/// The repetitions of element `n` (S500, S503, S508 repeat at one position
/// in syntax 4: §1.3 "Parser note, repetitions").
fn repetitions_of<'a>(seg: &Segment<'a>, n: usize) -> impl Iterator<Item = Element<'a>> {
    seg.element(n).into_iter().flat_map(|e| e.repetitions())
}

/// USH, the security header (§1.3): 0501, 0534, 0541, 0503, 0505, 0507,
/// 0509, S500 (×2, repeated), 0520, S501.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecurityHeader<'a> {
    segment: Segment<'a>,
}

impl<'a> SecurityHeader<'a> {
    /// A view of `segment` when it is a USH.
    pub fn new(segment: Segment<'a>) -> Option<Self> {
        segment.is(b"USH").then_some(SecurityHeader { segment })
    }

    /// The USH segment.
    pub fn segment(&self) -> Segment<'a> {
        self.segment
    }

    /// 0501, security service (3 integrity, 2 origin authentication, ...).
    pub fn service(&self) -> Option<Cow<'a, [u8]>> {
        value_of(&self.segment, 1, 1)
    }

    /// 0534, security reference number.
    pub fn reference(&self) -> Option<Cow<'a, [u8]>> {
        value_of(&self.segment, 2, 1)
    }

    /// 0541, scope of security application (1 when absent).
    pub fn scope(&self) -> Scope {
        Scope::from_code(&value_of(&self.segment, 3, 1).unwrap_or_default())
    }

    /// 0503, response type.
    pub fn response_type(&self) -> Option<Cow<'a, [u8]>> {
        value_of(&self.segment, 4, 1)
    }

    /// 0505, filter function.
    pub fn filter(&self) -> Filter {
        Filter::from_code(&value_of(&self.segment, 5, 1).unwrap_or_default())
    }

    /// 0507, original character set encoding.
    pub fn charset(&self) -> Option<Cow<'a, [u8]>> {
        value_of(&self.segment, 6, 1)
    }

    /// 0509, role of security provider.
    pub fn role(&self) -> Option<Cow<'a, [u8]>> {
        value_of(&self.segment, 7, 1)
    }

    /// S500/0538, the first key name among the security identification
    /// repetitions.
    pub fn key_name(&self) -> Option<Cow<'a, [u8]>> {
        repetitions_of(&self.segment, 8).find_map(|r| {
            let c = r.component(2)?;
            (!c.is_empty()).then(|| c.value())
        })
    }

    /// 0520, security sequence number.
    pub fn sequence_number(&self) -> Option<Cow<'a, [u8]>> {
        value_of(&self.segment, 9, 1)
    }
}

/// USA, security algorithm (§1.3): S502 (0523, 0525, 0533, 0527, ...) and
/// S503 parameters (repeated).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecurityAlgorithm<'a> {
    segment: Segment<'a>,
}

impl<'a> SecurityAlgorithm<'a> {
    /// A view of `segment` when it is a USA.
    pub fn new(segment: Segment<'a>) -> Option<Self> {
        segment.is(b"USA").then_some(SecurityAlgorithm { segment })
    }

    /// S502/0523, use of algorithm.
    pub fn use_of_algorithm(&self) -> Option<Cow<'a, [u8]>> {
        value_of(&self.segment, 1, 1)
    }

    /// S502/0527, algorithm.
    pub fn algorithm(&self) -> Option<Cow<'a, [u8]>> {
        value_of(&self.segment, 1, 4)
    }

    /// The mechanism 0523 and 0527 name, when this profile supports it.
    pub fn mechanism(&self) -> Option<Mechanism> {
        Mechanism::from_codes(
            &self.use_of_algorithm().unwrap_or_default(),
            &self.algorithm().unwrap_or_default(),
        )
    }

    /// S503/0554 of the first parameter with 0531 = 9 (symmetric key name).
    pub fn key_name(&self) -> Option<Cow<'a, [u8]>> {
        repetitions_of(&self.segment, 2).find_map(|r| {
            let q = r.component(1)?;
            if q.as_bytes() != b"9" {
                return None;
            }
            let v = r.component(2)?;
            (!v.is_empty()).then(|| v.value())
        })
    }
}

/// USR (or USY's S508), a security result (§1.3): S508 repetitions of 0563
/// qualifier and 0560 value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecurityResult<'a> {
    element: Element<'a>,
}

impl<'a> SecurityResult<'a> {
    /// The first S508 repetition of `segment` at element `n` with 0563 =
    /// 1 (unique validation value).
    pub fn of(segment: &Segment<'a>, n: usize) -> Option<Self> {
        repetitions_of(segment, n)
            .find(|r| r.component(1).is_some_and(|c| c.as_bytes() == b"1"))
            .map(|element| SecurityResult { element })
    }

    /// 0560, the (filtered) validation value, release characters removed.
    pub fn value(&self) -> Option<Cow<'a, [u8]>> {
        let c = self.element.component(2)?;
        (!c.is_empty()).then(|| c.value())
    }

    /// Where the value is.
    pub fn location(&self) -> Location {
        self.element
            .component(2)
            .map_or_else(|| self.element.location(), |c| c.location())
    }
}

/// UST, the security trailer (§1.3): 0534 and 0588.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecurityTrailer<'a> {
    segment: Segment<'a>,
}

impl<'a> SecurityTrailer<'a> {
    /// A view of `segment` when it is a UST.
    pub fn new(segment: Segment<'a>) -> Option<Self> {
        segment.is(b"UST").then_some(SecurityTrailer { segment })
    }

    /// The UST segment.
    pub fn segment(&self) -> Segment<'a> {
        self.segment
    }

    /// 0534, security reference number.
    pub fn reference(&self) -> Option<Cow<'a, [u8]>> {
        value_of(&self.segment, 1, 1)
    }

    /// 0588, number of security segments, when it is a decimal number.
    pub fn count(&self) -> Option<usize> {
        let v = value_of(&self.segment, 2, 1)?;
        if v.is_empty() || v.len() > 10 || !v.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(&v).ok()?.parse().ok()
    }
}

/// A security header group: USH, its USAs, and certificate sub-groups
/// (USC, USA, USR).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderGroup<'a> {
    segments: Vec<Segment<'a>>,
}

impl<'a> HeaderGroup<'a> {
    /// The USH.
    pub fn header(&self) -> Option<SecurityHeader<'a>> {
        self.segments.first().copied().and_then(SecurityHeader::new)
    }

    /// Every segment of the group, USH first.
    pub fn segments(&self) -> &[Segment<'a>] {
        &self.segments
    }

    /// The USAs of the group itself (before any USC certificate sub-group).
    pub fn algorithms(&self) -> impl Iterator<Item = SecurityAlgorithm<'a>> + '_ {
        self.segments
            .iter()
            .skip(1)
            .take_while(|s| !s.is(b"USC"))
            .filter_map(|s| SecurityAlgorithm::new(*s))
    }
}

/// A security trailer group: UST and its USR.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrailerGroup<'a> {
    segments: Vec<Segment<'a>>,
}

impl<'a> TrailerGroup<'a> {
    /// The UST.
    pub fn trailer(&self) -> Option<SecurityTrailer<'a>> {
        self.segments
            .first()
            .copied()
            .and_then(SecurityTrailer::new)
    }

    /// Every segment of the group, UST first.
    pub fn segments(&self) -> &[Segment<'a>] {
        &self.segments
    }

    /// The USR's result with 0563 = 1.
    pub fn result(&self) -> Option<SecurityResult<'a>> {
        self.segments
            .iter()
            .find(|s| s.is(b"USR"))
            .and_then(|s| SecurityResult::of(s, 1))
    }
}

/// The security groups of one structure (message, group or interchange):
/// the header groups right after its opening segment, the trailer groups
/// right before its closing segment, and the body between.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Secured<'a> {
    headers: Vec<HeaderGroup<'a>>,
    trailers: Vec<TrailerGroup<'a>>,
    stray: Vec<Segment<'a>>,
    body: Range<usize>,
}

fn is_header_part(s: &Segment<'_>) -> bool {
    s.is(b"USH") || s.is(b"USA") || s.is(b"USC") || s.is(b"USR")
}

impl<'a> Secured<'a> {
    /// Reads the security groups of a structure given its segments (opening
    /// segment first; `closed` when the last one is its trailer) and the
    /// input they borrow.
    pub fn read(input: &[u8], segments: &[Segment<'a>], closed: bool) -> Secured<'a> {
        let mut headers: Vec<HeaderGroup<'a>> = Vec::new();
        let mut stray = Vec::new();
        let Some(opening) = segments.first() else {
            return Secured {
                headers,
                trailers: Vec::new(),
                stray,
                body: 0..0,
            };
        };
        let inner_end = if closed {
            segments.len().saturating_sub(1).max(1)
        } else {
            segments.len()
        };
        let inner = segments.get(1..inner_end).unwrap_or(&[]);
        let mut i = 0;
        while let Some(s) = inner.get(i) {
            if !is_header_part(s) {
                break;
            }
            if s.is(b"USH") {
                headers.push(HeaderGroup { segments: vec![*s] });
            } else if let Some(g) = headers.last_mut() {
                g.segments.push(*s);
            } else {
                stray.push(*s);
            }
            i += 1;
        }
        // The trailer run: the longest run of UST/USR before the closing
        // segment that starts with a UST.
        let mut t = inner.len();
        let mut start = inner.len();
        while t > i {
            let Some(s) = inner.get(t - 1) else { break };
            if s.is(b"UST") {
                start = t - 1;
            } else if !s.is(b"USR") {
                break;
            }
            t -= 1;
        }
        let mut trailers: Vec<TrailerGroup<'a>> = Vec::new();
        for s in inner.get(start..).unwrap_or(&[]) {
            if s.is(b"UST") {
                trailers.push(TrailerGroup { segments: vec![*s] });
            } else if let Some(g) = trailers.last_mut() {
                g.segments.push(*s);
            }
        }
        let body_start = match inner.get(..i).and_then(|h| h.last()) {
            Some(last) => seg_end(input, last),
            None => seg_end(input, opening),
        };
        let body_end = match inner.get(start) {
            Some(ust) => ust.offset(),
            None => match (closed, segments.last()) {
                (true, Some(closing)) if segments.len() > 1 => closing.offset(),
                (_, Some(last)) => seg_end(input, last),
                _ => body_start,
            },
        };
        let body_end = body_end.min(input.len()).max(body_start.min(input.len()));
        Secured {
            headers,
            trailers,
            stray,
            body: body_start.min(body_end)..body_end,
        }
    }

    /// The security header groups, in order.
    pub fn headers(&self) -> &[HeaderGroup<'a>] {
        &self.headers
    }

    /// The security trailer groups, in order.
    pub fn trailers(&self) -> &[TrailerGroup<'a>] {
        &self.trailers
    }

    /// The body: from the first byte after the last header group to the
    /// byte before the first UST (§1.4, scope 1 (b)).
    pub fn body(&self) -> Range<usize> {
        self.body.clone()
    }

    /// True when the structure holds no security group.
    pub fn is_empty(&self) -> bool {
        self.headers.is_empty() && self.trailers.is_empty() && self.stray.is_empty()
    }

    /// The two byte ranges scope 1 secures for header group `index`: the
    /// group itself, from the "U" of its USH to its last terminator, then
    /// the body (§1.4).
    pub fn scope1_ranges(&self, input: &[u8], index: usize) -> Option<[Range<usize>; 2]> {
        let g = self.headers.get(index)?;
        let first = g.segments.first()?;
        let last = g.segments.last()?;
        Some([whole_range(input, first, last), self.body()])
    }
}

fn digest_of(input: &[u8], ranges: &[Range<usize>]) -> [u8; 32] {
    let mut h = Sha256::new();
    for r in ranges {
        h.update(input.get(r.clone()).unwrap_or(&[]));
    }
    h.finalize().into()
}

fn mac_of(key: &Key, input: &[u8], ranges: &[Range<usize>]) -> hmac::Hmac<Sha256> {
    let mut m = key.mac();
    for r in ranges {
        m.update(input.get(r.clone()).unwrap_or(&[]));
    }
    m
}

// ---------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

struct Ctx<'r, 'k> {
    keys: Option<&'k KeyRing>,
    options: &'r Options,
    report: &'r mut Report,
}

impl Ctx<'_, '_> {
    fn push(&mut self, rule: Rule, location: Location, msg: impl Into<String>) {
        self.report
            .push(self.options, Finding::new(rule, location, msg));
    }
}

/// Looks up the key an HMAC group names: S503 (0531 = 9) first, then USH
/// S500 0538. Reports and returns `None` when it cannot be used.
pub(crate) enum KeyLookup<'k> {
    Found(&'k Key),
    NoRing,
    Mismatch(String, String),
    Missing,
    Unknown(String),
    Revoked(String),
}

pub(crate) fn lookup_key<'k>(
    keys: Option<&'k KeyRing>,
    from_usa: Option<&[u8]>,
    from_ush: Option<&[u8]>,
) -> KeyLookup<'k> {
    let name = match (from_usa, from_ush) {
        (Some(a), Some(h)) if a != h => return KeyLookup::Mismatch(show(h), show(a)),
        (Some(a), _) => a,
        (None, Some(h)) => h,
        (None, None) => return KeyLookup::Missing,
    };
    let Some(ring) = keys else {
        return KeyLookup::NoRing;
    };
    let name = show(name);
    match ring.key(&name) {
        None => KeyLookup::Unknown(name),
        Some(k) if k.is_revoked() => KeyLookup::Revoked(name),
        Some(k) => KeyLookup::Found(k),
    }
}

fn verify_structure(
    input: &[u8],
    segments: &[Segment<'_>],
    closed: bool,
    what: &str,
    ctx: &mut Ctx<'_, '_>,
) -> bool {
    let sec = Secured::read(input, segments, closed);
    if sec.is_empty() {
        return false;
    }
    for s in &sec.stray {
        ctx.push(
            rules::SECURITY_MALFORMED,
            s.location(),
            format!("{} before any USH in the {what}", show(s.tag())),
        );
    }
    let refs: Vec<Option<Cow<'_, [u8]>>> = sec
        .headers
        .iter()
        .map(|g| g.header().and_then(|h| h.reference()))
        .collect();
    let mut paired = vec![false; sec.trailers.len()];
    // Maps keep pairing linear in the number of groups, whatever the input.
    let mut by_reference: HashMap<Cow<'_, [u8]>, usize> = HashMap::new();
    for (ti, t) in sec.trailers.iter().enumerate() {
        if let Some(r) = t.trailer().and_then(|t| t.reference()) {
            by_reference.entry(r).or_insert(ti);
        }
    }
    let mut seen: HashSet<Cow<'_, [u8]>> = HashSet::new();
    for (gi, g) in sec.headers.iter().enumerate() {
        let Some(h) = g.header() else { continue };
        let loc = h.segment().location();
        let Some(reference) = refs.get(gi).cloned().flatten() else {
            ctx.push(
                rules::SECURITY_MALFORMED,
                loc.with_element(2),
                format!("USH without security reference 0534 in the {what}"),
            );
            continue;
        };
        if h.service().is_none() {
            ctx.push(
                rules::SECURITY_MALFORMED,
                loc.with_element(1),
                "USH without security service 0501",
            );
        }
        if !seen.insert(reference.clone()) {
            ctx.push(
                rules::SECURITY_DUPLICATE_REFERENCE,
                loc.with_element(2),
                format!(
                    "security reference {} repeats in the {what}",
                    show(&reference)
                ),
            );
            continue;
        }
        let trailer = by_reference
            .get(&reference)
            .and_then(|&ti| Some((ti, sec.trailers.get(ti)?)));
        let Some((ti, t)) = trailer else {
            ctx.push(
                rules::SECURITY_MISSING_TRAILER,
                loc,
                format!(
                    "USH {} has no UST with the same 0534 in the {what}",
                    show(&reference)
                ),
            );
            continue;
        };
        if let Some(p) = paired.get_mut(ti) {
            *p = true;
        }
        verify_pair(input, &sec, gi, g, h, t, ctx);
    }
    for (t, p) in sec.trailers.iter().zip(&paired) {
        if *p {
            continue;
        }
        let Some(ust) = t.trailer() else { continue };
        let r = ust.reference().map(|r| show(&r)).unwrap_or_default();
        ctx.push(
            rules::SECURITY_UNPAIRED_TRAILER,
            ust.segment().location().with_element(1),
            format!("UST {r:?} matches no USH in the {what}"),
        );
    }
    true
}

fn verify_pair(
    input: &[u8],
    sec: &Secured<'_>,
    gi: usize,
    g: &HeaderGroup<'_>,
    h: SecurityHeader<'_>,
    t: &TrailerGroup<'_>,
    ctx: &mut Ctx<'_, '_>,
) {
    let Some(ust) = t.trailer() else { return };
    let expected = g.segments.len() + t.segments.len();
    match ust.count() {
        Some(n) if n == expected => {}
        Some(n) => ctx.report.push(
            ctx.options,
            Finding::new(
                rules::SECURITY_COUNT_MISMATCH,
                ust.segment().location().with_element(2),
                "UST 0588 differs from the security segments of its pair",
            )
            .expected_found(expected.to_string(), n.to_string()),
        ),
        None => ctx.push(
            rules::SECURITY_MALFORMED,
            ust.segment().location().with_element(2),
            "UST without a numeric 0588",
        ),
    }
    let hloc = h.segment().location();
    let scope = h.scope();
    if scope != Scope::HeaderAndBody {
        ctx.push(
            rules::SECURITY_SCOPE_UNSUPPORTED,
            hloc.with_element(3),
            format!(
                "scope {} is not verified in integrated use (circular or unsettled, §1.4/§1.8); use AUTACK for 3 and 6",
                scope.code()
            ),
        );
        return;
    }
    let usa = g.algorithms().find(|a| a.mechanism().is_some());
    let Some(mechanism) = usa.and_then(|a| a.mechanism()) else {
        let found = g
            .algorithms()
            .next()
            .map(|a| {
                format!(
                    "0523={} 0527={}",
                    show(&a.use_of_algorithm().unwrap_or_default()),
                    show(&a.algorithm().unwrap_or_default())
                )
            })
            .unwrap_or_else(|| "no USA".into());
        ctx.push(
            rules::SECURITY_UNSUPPORTED_ALGORITHM,
            hloc,
            format!("no supported algorithm (SHA-256 or HMAC-SHA256, 0527={SHA256_CODE}): {found}"),
        );
        return;
    };
    let filter = h.filter();
    if filter == Filter::Other {
        ctx.push(
            rules::SECURITY_UNSUPPORTED_FILTER,
            hloc.with_element(5),
            "USH 0505 is not 2 (hex) or 7 (Base64)",
        );
        return;
    }
    let Some(result) = t.result() else {
        ctx.push(
            rules::SECURITY_MALFORMED,
            ust.segment().location(),
            "security trailer group without USR S508 0563=1",
        );
        return;
    };
    let vloc = result.location();
    let Some(value) = result.value().and_then(|v| filter.decode(&v)) else {
        ctx.push(
            rules::SECURITY_MALFORMED,
            vloc,
            format!("USR 0560 is not valid {filter:?} text"),
        );
        return;
    };
    let Some(ranges) = sec.scope1_ranges(input, gi) else {
        return;
    };
    match mechanism {
        Mechanism::Sha256 => {
            let digest = digest_of(input, &ranges);
            if value != digest {
                ctx.report.push(
                    ctx.options,
                    Finding::new(
                        rules::SECURITY_DIGEST_FAILED,
                        vloc,
                        "the SHA-256 of the secured scope differs from USR",
                    )
                    .expected_found(filter.encode(&digest), filter.encode(&value)),
                );
            }
        }
        Mechanism::HmacSha256 => {
            let usa_key = usa.and_then(|a| a.key_name());
            let ush_key = h.key_name();
            match lookup_key(ctx.keys, usa_key.as_deref(), ush_key.as_deref()) {
                KeyLookup::Found(key) => {
                    if mac_of(key, input, &ranges).verify_slice(&value).is_err() {
                        ctx.push(
                            rules::SECURITY_MAC_FAILED,
                            vloc,
                            "HMAC-SHA256 over the secured scope does not verify",
                        );
                    }
                }
                KeyLookup::NoRing => ctx.push(
                    rules::SECURITY_UNVERIFIED,
                    hloc,
                    "HMAC security group not verified: no key ring given",
                ),
                KeyLookup::Mismatch(a, b) => ctx.report.push(
                    ctx.options,
                    Finding::new(
                        rules::SECURITY_KEY_NAME_MISMATCH,
                        hloc.with_element(8),
                        "USH S500 0538 and USA S503 name different keys",
                    )
                    .expected_found(a, b),
                ),
                KeyLookup::Missing => ctx.push(
                    rules::SECURITY_UNKNOWN_KEY,
                    hloc.with_element(8),
                    "HMAC security group names no key (USA S503 0531=9 or USH S500 0538)",
                ),
                KeyLookup::Unknown(n) => ctx.push(
                    rules::SECURITY_UNKNOWN_KEY,
                    hloc.with_element(8),
                    format!("key name {n:?} is not in the key ring"),
                ),
                KeyLookup::Revoked(n) => ctx.push(
                    rules::SECURITY_UNKNOWN_KEY,
                    hloc.with_element(8),
                    format!("key {n:?} is revoked"),
                ),
            }
        }
    }
}

/// Verifies the integrated security groups of one message (UNH..UNT):
/// pairing, counts and each scope-1 result. `input` is the buffer the
/// message was parsed from.
///
/// # Examples
///
/// ```
/// use ediguard::{edifact, Limits, Options, Report};
/// use ediguard::integrity::edifact_security::verify_message;
/// let input = b"UNB+UNOC:4+S+R+20240101:1200+1'UNH+1+IFTSTA:D:01B:UN'USH+3+1+1+1+2+7'BGM+23'UNT+4+1'UNZ+1+1'";
/// let parsed = edifact::parse(input, &Limits::default()).unwrap();
/// let msg = parsed.interchanges()[0].messages().next().unwrap();
/// let mut report = Report::new(None);
/// verify_message(input, &msg, None, &Options::default(), &mut report);
/// assert_eq!(report.findings()[0].rule, "security_missing_trailer");
/// ```
pub fn verify_message(
    input: &[u8],
    message: &Message<'_, '_>,
    keys: Option<&KeyRing>,
    options: &Options,
    report: &mut Report,
) {
    let mut ctx = Ctx {
        keys,
        options,
        report,
    };
    let segs: Vec<Segment<'_>> = message_segments(message).collect();
    verify_structure(
        input,
        &segs,
        message.trailer().is_some(),
        "message",
        &mut ctx,
    );
}

/// Verifies the integrated security of an interchange: its own header and
/// trailer groups (after UNB, before UNZ), those of each group (after UNG,
/// before UNE) and those of each message except AUTACKs (whose groups
/// secure other interchanges: see [`crate::integrity::autack::verify`]).
/// Security segments in an
/// interchange below syntax version 4 are also reported (§1.1: "Security
/// segments exist only in syntax version 4").
pub fn verify_interchange(
    input: &[u8],
    interchange: &Interchange<'_>,
    keys: Option<&KeyRing>,
    options: &Options,
    report: &mut Report,
) {
    let mut ctx = Ctx {
        keys,
        options,
        report,
    };
    let segs: Vec<Segment<'_>> = interchange_segments(interchange).collect();
    let mut any = false;
    if interchange.header().is_some() {
        any |= verify_structure(
            input,
            &segs,
            interchange.trailer().is_some(),
            "interchange",
            &mut ctx,
        );
    }
    for group in interchange.groups() {
        let (Some(ung), Some(une)) = (group.header(), group.trailer()) else {
            continue;
        };
        let (a, b) = (ung.ordinal() as usize, une.ordinal() as usize);
        if let Some(gsegs) = segs.get(a..=b) {
            any |= verify_structure(input, gsegs, true, "group", &mut ctx);
        }
    }
    for m in interchange.messages() {
        if crate::integrity::autack::is_autack(&m) {
            // An AUTACK's groups secure other structures (autack::verify).
            continue;
        }
        let msegs: Vec<Segment<'_>> = message_segments(&m).collect();
        any |= verify_structure(input, &msegs, m.trailer().is_some(), "message", &mut ctx);
    }
    if any {
        if let (Some(v @ 1..=3), Some(unb)) = (interchange.syntax_version(), interchange.header()) {
            ctx.push(
                rules::SECURITY_SYNTAX_VERSION,
                unb.location().with_element(1).with_component(2),
                format!("security segments in a syntax version {v} interchange"),
            );
        }
    }
}

/// Parses `input` and verifies the integrated security of every
/// interchange in it.
///
/// # Errors
///
/// Only when the input cannot be parsed at all (see [`edifact::parse`]).
pub fn verify(input: &[u8], keys: Option<&KeyRing>, options: &Options) -> Result<Report> {
    let parsed = edifact::parse(input, &options.limits)?;
    let mut report = Report::new(Some(Format::Edifact));
    for ic in parsed.interchanges() {
        verify_interchange(input, ic, keys, options, &mut report);
    }
    Ok(report)
}

// ---------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------

/// How [`secure_message`] secures a message: the §1.8 profile.
#[derive(Clone, Debug)]
pub struct SecureParams<'k> {
    reference: String,
    filter: Filter,
    key: Option<(&'k str, &'k Key)>,
    sequence: Option<String>,
    timestamp: Option<(String, String)>,
    parties: Option<(String, String)>,
}

impl<'k> SecureParams<'k> {
    /// SHA-256 integrity (0501 = 3, USA `1:::48`), hex filter, security
    /// reference `reference`.
    pub fn sha256(reference: impl Into<String>) -> Self {
        SecureParams {
            reference: reference.into(),
            filter: Filter::Hex,
            key: None,
            sequence: None,
            timestamp: None,
            parties: None,
        }
    }

    /// HMAC-SHA256 origin authentication (0501 = 2, USA `2:::48+9:<key
    /// name>`), hex filter, with `key` named `key_name` (the key ring id the
    /// receiver will look up).
    pub fn hmac_sha256(reference: impl Into<String>, key_name: &'k str, key: &'k Key) -> Self {
        SecureParams {
            key: Some((key_name, key)),
            ..SecureParams::sha256(reference)
        }
    }

    /// Writes the result with `filter` ([`Filter::Hex`] or
    /// [`Filter::Base64`]).
    #[must_use]
    pub fn with_filter(mut self, filter: Filter) -> Self {
        self.filter = filter;
        self
    }

    /// Sets USH 0520, the security sequence number.
    #[must_use]
    pub fn with_sequence(mut self, sequence: impl Into<String>) -> Self {
        self.sequence = Some(sequence.into());
        self
    }

    /// Sets USH S501 as a security timestamp (0517 = 1), `CCYYMMDD` and
    /// `HHMMSS`.
    #[must_use]
    pub fn with_timestamp(mut self, date: impl Into<String>, time: impl Into<String>) -> Self {
        self.timestamp = Some((date.into(), time.into()));
        self
    }

    /// Names sender and recipient in the USH S500 repetitions (0577 = 1 and
    /// 2, 0511 party id).
    #[must_use]
    pub fn with_parties(mut self, sender: impl Into<String>, recipient: impl Into<String>) -> Self {
        self.parties = Some((sender.into(), recipient.into()));
        self
    }
}

fn malformed(msg: impl Into<String>, at: usize) -> Error {
    Error::new(ErrorKind::Malformed, Location::at(at), msg)
}

/// Writes the security header group of `params`.
fn header_group(d: Delimiters, params: &SecureParams<'_>) -> Result<Vec<u8>> {
    if params.filter == Filter::Other {
        return Err(malformed(
            "only the hex and Base64 filters can be written",
            0,
        ));
    }
    let w = Writer::new(d);
    let mut out = Vec::new();
    let mut s = w.segment(&mut out);
    s.component(b"USH");
    s.element();
    s.component(if params.key.is_some() { b"2" } else { b"3" });
    s.element();
    s.component(params.reference.as_bytes());
    s.element();
    s.component(b"1");
    s.element();
    s.component(b"1");
    s.element();
    s.component(params.filter.code().as_bytes());
    s.element();
    s.component(b"7");
    // The optional tail: 0509 (empty), S500, 0520, S501; written up to the
    // last one present, so no trailing separators.
    let key_name = params.key.map(|(n, _)| n);
    let has_s500 = key_name.is_some() || params.parties.is_some();
    let tail = if params.timestamp.is_some() {
        4
    } else if params.sequence.is_some() {
        3
    } else if has_s500 {
        2
    } else {
        0
    };
    if tail >= 2 {
        s.element();
        s.element();
        if has_s500 {
            s.component(b"1");
            s.component(key_name.unwrap_or("").as_bytes());
            if let Some((sender, recipient)) = &params.parties {
                s.component(sender.as_bytes());
                s.repetition();
                s.component(b"2");
                s.component(b"");
                s.component(recipient.as_bytes());
            }
        }
    }
    if tail >= 3 {
        s.element();
        s.component(params.sequence.as_deref().unwrap_or("").as_bytes());
    }
    if let Some((date, time)) = &params.timestamp {
        s.element();
        s.component(b"1");
        s.component(date.as_bytes());
        s.component(time.as_bytes());
    }
    s.end()?;
    let mut s = w.segment(&mut out);
    s.component(b"USA");
    s.element();
    s.component(if params.key.is_some() { b"2" } else { b"1" });
    s.component(b"");
    s.component(b"");
    s.component(SHA256_CODE.as_bytes());
    if let Some((name, _)) = params.key {
        s.element();
        s.component(b"9");
        s.component(name.as_bytes());
    }
    s.end()?;
    Ok(out)
}

/// Secures one message with scope 1 (§1.4, §1.8): inserts a security
/// header group (USH, USA) after UNH and a trailer group (UST, USR) before
/// UNT, and rewrites UNT 0074 to the segments now present. Returns the new
/// message bytes, UNH to the UNT terminator; the bytes of `input` between
/// UNH and UNT (the body) are kept exactly.
///
/// `delimiters` are those of the interchange holding the message.
///
/// # Errors
///
/// [`ErrorKind::Malformed`] when the message has no UNT, already has
/// security groups, or a value cannot be written with the delimiters.
pub fn secure_message(
    input: &[u8],
    message: &Message<'_, '_>,
    delimiters: Delimiters,
    params: &SecureParams<'_>,
) -> Result<Vec<u8>> {
    let segs: Vec<Segment<'_>> = message_segments(message).collect();
    let (Some(unh), Some(unt)) = (segs.first(), message.trailer()) else {
        return Err(malformed("a message without UNT cannot be secured", 0));
    };
    if segs.get(1).is_some_and(is_header_part)
        || !Secured::read(input, &segs, true).trailers.is_empty()
    {
        return Err(malformed(
            "the message already has security groups",
            unh.offset(),
        ));
    }
    let header = header_group(delimiters, params)?;
    let body = input
        .get(seg_end(input, unh)..unt.offset())
        .ok_or_else(|| malformed("message segments outside the input", unh.offset()))?;
    let ranges_input: Vec<u8> = [header.as_slice(), body].concat();
    let whole = 0..ranges_input.len();
    let all = std::slice::from_ref(&whole);
    let value = match params.key {
        Some((_, key)) => mac_of(key, &ranges_input, all)
            .finalize()
            .into_bytes()
            .to_vec(),
        None => digest_of(&ranges_input, all).to_vec(),
    };
    let w = Writer::new(delimiters);
    let mut trailer = Vec::new();
    let mut s = w.segment(&mut trailer);
    s.component(b"UST");
    s.element();
    s.component(params.reference.as_bytes());
    s.element();
    s.component(b"4");
    s.end()?;
    let mut s = w.segment(&mut trailer);
    s.component(b"USR");
    s.element();
    s.component(b"1");
    s.component(params.filter.encode(&value).as_bytes());
    s.end()?;
    let mut out = Vec::with_capacity(input.len().min(body.len() + 512));
    out.extend_from_slice(input.get(unh.offset()..seg_end(input, unh)).unwrap_or(&[]));
    out.extend_from_slice(&header);
    out.extend_from_slice(body);
    out.extend_from_slice(&trailer);
    // UNT: the count of segments now present, then the rest as it was.
    let count = segs.len() + 4;
    out.extend_from_slice(b"UNT");
    out.push(delimiters.element);
    out.extend_from_slice(count.to_string().as_bytes());
    let rest_from = unt
        .element(1)
        .map_or(unt.span().start + 3, |e| e.span().end);
    out.extend_from_slice(input.get(rest_from..seg_end(input, &unt)).unwrap_or(&[]));
    if out.last() != Some(&delimiters.segment) {
        out.push(delimiters.segment);
    }
    Ok(out)
}

/// Secures every message of every interchange in `input` with
/// [`secure_message`] and returns the new input; everything outside the
/// messages is kept byte for byte.
///
/// # Errors
///
/// When `input` cannot be parsed, an interchange declares a syntax version
/// below 4 (§1.1: "Security segments exist only in syntax version 4"), or a
/// message cannot be secured.
pub fn secure_interchange(input: &[u8], params: &SecureParams<'_>) -> Result<Vec<u8>> {
    let parsed = edifact::parse(input, &Default::default())?;
    let mut out = Vec::with_capacity(input.len() + 256);
    let mut copied = 0;
    for ic in parsed.interchanges() {
        if let (Some(v @ 1..=3), Some(unb)) = (ic.syntax_version(), ic.header()) {
            return Err(malformed(
                format!("security segments need syntax version 4, the UNB declares {v}"),
                unb.offset(),
            ));
        }
        for m in ic.messages() {
            let Some(unh) = m.header() else { continue };
            let Some(unt) = m.trailer() else {
                return Err(malformed(
                    "a message without UNT cannot be secured",
                    unh.offset(),
                ));
            };
            let secured = secure_message(input, &m, ic.delimiters(), params)?;
            out.extend_from_slice(input.get(copied..unh.offset()).unwrap_or(&[]));
            out.extend_from_slice(&secured);
            copied = seg_end(input, &unt);
        }
    }
    out.extend_from_slice(input.get(copied..).unwrap_or(&[]));
    Ok(out)
}
