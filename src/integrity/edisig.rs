//! EDISIG v1: detached HMAC-SHA256 signatures over the raw bytes of an X12,
//! EDIFACT or ELD payload, or of any opaque payload (`typ=bin`).
//!
//! The format is the one of `edi-security.md` §4.3 ("Proposed format: EDISIG
//! v1"): one ASCII line
//!
//! ```text
//! EDISIG v=1;alg=hmac-sha256;kid=<kid>;ts=<unix-seconds>;nonce=<b64url 16 bytes>;typ=<x12|edifact|eld|bin>;canon=<raw|eol1>;ctl=<control ids>;len=<bytes>;sig=<b64url 32 bytes>
//! ```
//!
//! carried in an HTTP header `EDI-Signature:`, a sidecar file
//! `<payload>.edisig` (one signature per line) or a database column. The tag
//! is `HMAC-SHA256(key, base)` over a ten-line signing base (see
//! [`Signature::signing_base`]) that binds the version, algorithm, key id,
//! timestamp, nonce, payload type, canonicalisation, envelope control ids,
//! length and the SHA-256 of the payload.
//!
//! # What a shared HMAC key gives, and what it does not
//!
//! §4.3: "a shared HMAC key gives integrity and authentication **between the
//! two key holders**. It gives **no non-repudiation**, because either side
//! can produce the tag. If NRO is needed, add `alg=ed25519` in v2 (needs
//! another crate), or use AS2/EDIFACT signatures."
//!
//! So a verified EDISIG proves to the receiver that the bytes came from
//! someone holding the key (the partner, or the receiver itself) and were not
//! changed; it proves nothing to a third party. A MAC applied by a carrier
//! cannot stop the carrier's own insiders (§5, T9), and it cannot stop
//! replays on its own: [`verify`] also checks a freshness window, a nonce
//! [`ReplayCache`] and the envelope ids, and the
//! [`ledger`](crate::integrity::ledger) records control numbers (§5, C6 to
//! C8).
//!
//! # Verification order
//!
//! [`verify`] follows §4.3 "Verification order" and stops at the first
//! failure, each with its own [`SignatureError`]: size limits and strict
//! parsing; key lookup, pinned algorithm and validity period; freshness and
//! clock skew; canonicalisation (only when the key allows it), length and
//! SHA-256 over the very buffer that is then parsed; the tag, checked in
//! constant time with `Mac::verify_slice`; the nonce replay cache; the
//! envelope ids and the sender allowed for the key's partner. Step 8, the
//! control-number ledger, is [`Verified::record`].
//!
//! # Examples
//!
//! ```
//! use ediguard::integrity::edisig::{
//!     sign, verify, Canon, Key, KeyRing, MemoryReplayCache, Nonce, PayloadType, SignParams,
//!     VerifyOptions,
//! };
//! let payload = b"ISA*00*          *00*          *ZZ*SENDERID       *ZZ*RECEIVERID     *240101*1200*U*00401*000000001*0*T*>~IEA*0*000000001~";
//! let key = Key::new(vec![7u8; 32]).unwrap().with_partner("acme").with_senders(["SENDERID"]);
//! let params = SignParams::new(PayloadType::X12, 1_704_110_400, Nonce::from_bytes([1; 16]));
//! let signature = sign("acme-1", &key, &params, payload).unwrap();
//! let line = signature.to_string();
//!
//! let mut ring = KeyRing::new();
//! ring.insert("acme-1", key).unwrap();
//! let cache = MemoryReplayCache::new(1000);
//! let options = VerifyOptions::at(1_704_110_430);
//! let verified = verify(&line, payload, &ring, &cache, &options).unwrap();
//! assert_eq!(verified.partner(), "acme");
//! // The same line again is a replay.
//! assert_eq!(verify(&line, payload, &ring, &cache, &options).unwrap_err().code(), "replay");
//! ```

use std::borrow::Cow;
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::rules::{self, Rule};
use crate::syntax::{Delimiters, Segment, find_unescaped};
use crate::{Finding, Location};

use super::ledger::{Ledger, LedgerError, Recorded};

type HmacSha256 = Hmac<Sha256>;

/// The line prefix: `EDISIG` and the one space the grammar allows.
pub const PREFIX: &str = "EDISIG ";
/// The first line of the signing base (§4.3: "separates this scheme from any
/// other use of the same key").
pub const BASE_LABEL: &str = "EDISIG/1";
/// The shortest secret accepted, in bytes (§4.3: "secret ≥ 32 random bytes").
pub const MIN_SECRET_LEN: usize = 32;
/// The longest key id (§4.3: `kid` is `[A-Za-z0-9._-]{1,64}`).
pub const MAX_KID_LEN: usize = 64;
/// The longest signature line accepted by default, in bytes.
pub const DEFAULT_MAX_LINE_LEN: usize = 4096;
/// Default freshness window in seconds (§4.3: "300 s window for HTTP").
pub const DEFAULT_WINDOW: u64 = 300;
/// Default allowed clock skew in seconds (§4.3: "skew 60 s").
pub const DEFAULT_SKEW: u64 = 60;

/// The signature parameters in their fixed order (§4.3: "parameters in this
/// fixed order; keys lowercase").
const KEYS: [&str; 10] = [
    "v", "alg", "kid", "ts", "nonce", "typ", "canon", "ctl", "len", "sig",
];

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Why a signature did not verify (or could not be made). One variant per
/// failure of §4.3 "Error enum", plus the size limit and the envelope that
/// cannot be read. Messages never contain key material.
///
/// # Examples
///
/// ```
/// use ediguard::integrity::edisig::Signature;
/// let err = "EDISIG v=2;alg=hmac-sha256".parse::<Signature>().unwrap_err();
/// assert_eq!(err.code(), "unsupported_version");
/// assert_eq!(err.rule().code, "signature_unsupported_version");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The line breaks the grammar (order, duplicate or unknown key, charset,
    /// encoding, lengths). Step 1.
    #[error("malformed EDISIG line: {0}")]
    Malformed(String),
    /// `v` is not `1`. Step 1: "anything else is `UnsupportedVersion`, never
    /// 'try older'".
    #[error("unsupported EDISIG version {0:?}")]
    UnsupportedVersion(String),
    /// The key ring has no key `kid`. Step 2.
    #[error("unknown key id {0:?}")]
    UnknownKey(String),
    /// The key is revoked, not yet valid or expired. Step 2.
    #[error("key {kid:?} is not valid now: {reason}")]
    KeyNotValidNow {
        /// The key id.
        kid: String,
        /// `revoked`, `not yet valid` or `expired`.
        reason: &'static str,
    },
    /// `alg` differs from the algorithm pinned to the key. Step 2.
    #[error("algorithm {found:?} differs from the pinned {pinned:?}")]
    AlgorithmMismatch {
        /// The key's algorithm.
        pinned: &'static str,
        /// The line's `alg`.
        found: String,
    },
    /// The canonicalisation is not allowed for the key, or forbidden for
    /// this payload. Step 4.
    #[error("canonicalisation {canon} not allowed: {reason}")]
    CanonNotAllowed {
        /// The requested canonicalisation.
        canon: Canon,
        /// Why.
        reason: &'static str,
    },
    /// `now - ts > window`. Step 3.
    #[error("signature timestamp {ts} is older than the {window} s window (now {now})")]
    Stale {
        /// The line's `ts`.
        ts: u64,
        /// The verifier's clock.
        now: i64,
        /// The window in seconds.
        window: u64,
    },
    /// `ts - now > skew`. Step 3.
    #[error("signature timestamp {ts} is more than {skew} s ahead (now {now})")]
    FromFuture {
        /// The line's `ts`.
        ts: u64,
        /// The verifier's clock.
        now: i64,
        /// The allowed skew in seconds.
        skew: u64,
    },
    /// The (canonicalised) payload length differs from `len`. Step 4.
    #[error("payload is {actual} bytes, the signature says {declared}")]
    LengthMismatch {
        /// The line's `len`.
        declared: u64,
        /// The payload's length after canonicalisation.
        actual: u64,
    },
    /// The tag does not verify. Step 5.
    #[error("signature does not verify")]
    BadSignature,
    /// The `(kid, nonce)` pair was seen before. Step 6.
    #[error("nonce {nonce} of key {kid:?} was already used")]
    Replay {
        /// The key id.
        kid: String,
        /// The nonce, base64url.
        nonce: String,
    },
    /// `ctl` differs from the payload's envelope ids. Step 7.
    #[error("ctl {declared:?} differs from the envelope ids {parsed:?}")]
    ControlMismatch {
        /// The line's `ctl`.
        declared: String,
        /// The ids parsed from the payload, encoded as `ctl`.
        parsed: String,
    },
    /// The payload's envelope header cannot be read. Step 7.
    #[error("envelope cannot be read: {0}")]
    EnvelopeUnreadable(&'static str),
    /// The envelope sender is not allowed for the key's partner. Step 7.
    #[error("sender {sender:?} is not allowed for partner {partner:?}")]
    SenderNotAuthorized {
        /// The envelope sender id (ISA06 or UNB S002 0004).
        sender: String,
        /// The key's partner.
        partner: String,
    },
    /// The envelope receiver is not one of ours. Step 7.
    #[error("receiver {0:?} is not one of our ids")]
    ReceiverNotOurs(String),
    /// A size bound was exceeded (line, payload, replay cache or ledger).
    #[error("{what} exceeds the limit of {limit}")]
    Limit {
        /// What was too large.
        what: &'static str,
        /// The bound.
        limit: usize,
    },
    /// The control number was recorded before with the same digest (an
    /// idempotent retransmission). Step 8.
    #[error("control number {0:?} already recorded with the same digest")]
    Duplicate(String),
    /// The control number was recorded before with a different digest (an
    /// alert). Step 8.
    #[error("control number {0:?} already recorded with a different digest")]
    ControlNumberConflict(String),
    /// The ledger could not be read or written. Step 8.
    #[error("ledger: {0}")]
    Ledger(String),
}

impl SignatureError {
    /// A stable snake_case code, as the CLI prints it.
    pub const fn code(&self) -> &'static str {
        match self {
            SignatureError::Malformed(_) => "malformed",
            SignatureError::UnsupportedVersion(_) => "unsupported_version",
            SignatureError::UnknownKey(_) => "unknown_key",
            SignatureError::KeyNotValidNow { .. } => "key_not_valid_now",
            SignatureError::AlgorithmMismatch { .. } => "algorithm_mismatch",
            SignatureError::CanonNotAllowed { .. } => "canon_not_allowed",
            SignatureError::Stale { .. } => "stale",
            SignatureError::FromFuture { .. } => "from_future",
            SignatureError::LengthMismatch { .. } => "length_mismatch",
            SignatureError::BadSignature => "bad_signature",
            SignatureError::Replay { .. } => "replay",
            SignatureError::ControlMismatch { .. } => "control_mismatch",
            SignatureError::EnvelopeUnreadable(_) => "envelope_unreadable",
            SignatureError::SenderNotAuthorized { .. } => "sender_not_authorized",
            SignatureError::ReceiverNotOurs(_) => "receiver_not_ours",
            SignatureError::Limit { .. } => "limit",
            SignatureError::Duplicate(_) => "duplicate",
            SignatureError::ControlNumberConflict(_) => "control_number_conflict",
            SignatureError::Ledger(_) => "ledger",
        }
    }

    /// The rule a finding for this error carries (see [`crate::rules`]).
    pub const fn rule(&self) -> Rule {
        match self {
            SignatureError::Malformed(_) => rules::SIGNATURE_MALFORMED,
            SignatureError::UnsupportedVersion(_) => rules::SIGNATURE_UNSUPPORTED_VERSION,
            SignatureError::UnknownKey(_) => rules::SIGNATURE_UNKNOWN_KEY,
            SignatureError::KeyNotValidNow { .. } => rules::SIGNATURE_KEY_NOT_VALID_NOW,
            SignatureError::AlgorithmMismatch { .. } => rules::SIGNATURE_ALGORITHM_MISMATCH,
            SignatureError::CanonNotAllowed { .. } => rules::SIGNATURE_CANON_NOT_ALLOWED,
            SignatureError::Stale { .. } => rules::SIGNATURE_STALE,
            SignatureError::FromFuture { .. } => rules::SIGNATURE_FROM_FUTURE,
            SignatureError::LengthMismatch { .. } => rules::SIGNATURE_LENGTH_MISMATCH,
            SignatureError::BadSignature => rules::SIGNATURE_BAD,
            SignatureError::Replay { .. } => rules::SIGNATURE_REPLAY,
            SignatureError::ControlMismatch { .. } => rules::SIGNATURE_CONTROL_MISMATCH,
            SignatureError::EnvelopeUnreadable(_) => rules::SIGNATURE_ENVELOPE_UNREADABLE,
            SignatureError::SenderNotAuthorized { .. } => rules::SIGNATURE_SENDER_NOT_AUTHORIZED,
            SignatureError::ReceiverNotOurs(_) => rules::SIGNATURE_RECEIVER_NOT_OURS,
            SignatureError::Limit { .. } | SignatureError::Ledger(_) => rules::SIGNATURE_LIMIT,
            SignatureError::Duplicate(_) => rules::SIGNATURE_DUPLICATE,
            SignatureError::ControlNumberConflict(_) => rules::SIGNATURE_CONTROL_NUMBER_CONFLICT,
        }
    }

    /// This error as a finding at the start of the payload, so that a
    /// signature failure can be reported in a [`crate::Report`].
    ///
    /// # Examples
    ///
    /// ```
    /// use ediguard::integrity::edisig::SignatureError;
    /// let finding = SignatureError::BadSignature.to_finding();
    /// assert_eq!(finding.rule, "signature_bad");
    /// ```
    pub fn to_finding(&self) -> Finding {
        Finding::new(self.rule(), Location::at(0), self.to_string())
    }
}

fn malformed(msg: impl Into<String>) -> SignatureError {
    SignatureError::Malformed(msg.into())
}

// ---------------------------------------------------------------------------
// Small value types
// ---------------------------------------------------------------------------

/// The payload type, `typ` (§4.3: `typ=<x12|edifact|eld|bin>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PayloadType {
    /// An ASC X12 interchange; `ctl` is `ISA05/ISA06/ISA07/ISA08/ISA13`.
    X12,
    /// A UN/EDIFACT interchange; `ctl` is `S002/S003/0020` of the UNB.
    Edifact,
    /// An FMCSA ELD output file; `ctl` is an agreed id or `-`.
    Eld,
    /// Opaque bytes; `ctl` is an agreed id or `-`.
    Bin,
}

impl PayloadType {
    /// The lowercase name of the grammar.
    pub const fn as_str(self) -> &'static str {
        match self {
            PayloadType::X12 => "x12",
            PayloadType::Edifact => "edifact",
            PayloadType::Eld => "eld",
            PayloadType::Bin => "bin",
        }
    }

    /// Parses `x12`, `edifact`, `eld` or `bin`.
    pub fn parse(s: &str) -> Option<PayloadType> {
        match s {
            "x12" => Some(PayloadType::X12),
            "edifact" => Some(PayloadType::Edifact),
            "eld" => Some(PayloadType::Eld),
            "bin" => Some(PayloadType::Bin),
            _ => None,
        }
    }

    /// True for the types whose payload carries an envelope (X12, EDIFACT).
    pub const fn has_envelope(self) -> bool {
        matches!(self, PayloadType::X12 | PayloadType::Edifact)
    }
}

impl fmt::Display for PayloadType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The canonicalisation, `canon` (§4.3: "the default must be **raw**").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Canon {
    /// The bytes as they are.
    Raw,
    /// CR and LF right after each segment terminator removed (see
    /// [`canonicalize`]).
    Eol1,
}

impl Canon {
    /// `raw` or `eol1`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Canon::Raw => "raw",
            Canon::Eol1 => "eol1",
        }
    }

    /// Parses `raw` or `eol1`.
    pub fn parse(s: &str) -> Option<Canon> {
        match s {
            "raw" => Some(Canon::Raw),
            "eol1" => Some(Canon::Eol1),
            _ => None,
        }
    }
}

impl fmt::Display for Canon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The MAC algorithms a key can be pinned to. v1 knows one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// `hmac-sha256`.
    HmacSha256,
}

impl Algorithm {
    /// The `alg` value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::HmacSha256 => "hmac-sha256",
        }
    }

    /// Parses an `alg` value this version implements.
    pub fn parse(s: &str) -> Option<Algorithm> {
        (s == "hmac-sha256").then_some(Algorithm::HmacSha256)
    }
}

/// A 128-bit nonce (§4.3: "128 random bits, base64url without padding (22
/// characters)").
///
/// # Examples
///
/// ```
/// use ediguard::integrity::edisig::Nonce;
/// let nonce: Nonce = "3q2-7wAAAAAAAAAAAAAAAA".parse().unwrap();
/// assert_eq!(nonce.as_bytes()[..4], [0xde, 0xad, 0xbe, 0xef]);
/// assert_eq!(nonce.to_string(), "3q2-7wAAAAAAAAAAAAAAAA");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nonce([u8; 16]);

impl Nonce {
    /// A nonce with these bytes. They must be random: use
    /// [`Nonce::random`] unless you have a CSPRNG of your own.
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Nonce(bytes)
    }

    /// The 16 bytes.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// 16 bytes from the operating system's random source (`/dev/urandom`;
    /// an error on systems without it).
    pub fn random() -> std::io::Result<Nonce> {
        use std::io::Read as _;
        let mut bytes = [0u8; 16];
        std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
        Ok(Nonce(bytes))
    }
}

impl fmt::Display for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&URL_SAFE_NO_PAD.encode(self.0))
    }
}

impl FromStr for Nonce {
    type Err = SignatureError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        decode_b64url::<16>(s, "nonce").map(Nonce)
    }
}

/// Strict base64url without padding: exactly the canonical length, only the
/// URL-safe alphabet, no padding, no non-zero trailing bits.
fn decode_b64url<const N: usize>(s: &str, what: &str) -> Result<[u8; N], SignatureError> {
    let expected = (N * 4).div_ceil(3);
    if s.len() != expected {
        return Err(malformed(format!(
            "{what} must be {expected} base64url characters, found {}",
            s.len()
        )));
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(malformed(format!(
            "{what} has a character outside base64url"
        )));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| malformed(format!("{what} is not canonical base64url")))?;
    <[u8; N]>::try_from(bytes.as_slice())
        .map_err(|_| malformed(format!("{what} does not decode to {N} bytes")))
}

// ---------------------------------------------------------------------------
// ctl encoding
// ---------------------------------------------------------------------------

fn is_ctl_literal(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-')
}

/// Percent-encodes one `ctl` part (§4.3: "each part percent-encoded outside
/// `[A-Za-z0-9._:-]`"), with uppercase hex digits.
///
/// # Examples
///
/// ```
/// use ediguard::integrity::edisig::encode_ctl_part;
/// assert_eq!(encode_ctl_part(b"ACME CO/1"), "ACME%20CO%2F1");
/// ```
pub fn encode_ctl_part(part: &[u8]) -> String {
    encode_part(part, is_ctl_literal)
}

fn encode_part(part: &[u8], literal: fn(u8) -> bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(part.len());
    for &b in part {
        if literal(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

fn check_ctl(ctl: &str) -> Result<(), SignatureError> {
    if ctl.is_empty() {
        return Err(malformed("ctl is empty"));
    }
    let bytes = ctl.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let ok = bytes.get(i + 1..i + 3).is_some_and(|h| {
                h.iter()
                    .all(|&d| d.is_ascii_digit() || (b'A'..=b'F').contains(&d))
            });
            if !ok {
                return Err(malformed(
                    "ctl has a '%' not followed by two uppercase hex digits",
                ));
            }
            i += 3;
        } else if is_ctl_literal(b) || b == b'/' {
            i += 1;
        } else {
            return Err(malformed("ctl has a character outside [A-Za-z0-9._:/%-]"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The parsed line
// ---------------------------------------------------------------------------

/// One parsed EDISIG v1 line. [`fmt::Display`] writes the exact line;
/// [`FromStr`] (and [`Signature::parse`]) are strict: the fixed key order,
/// no duplicate or unknown key, each value's charset, no leading zeros,
/// canonical base64url, and nothing before, between or after (no CR or LF).
///
/// `alg` is kept as the token found, so that a line with another algorithm
/// parses and fails as [`SignatureError::AlgorithmMismatch`] once its key is
/// known (§4.3 step 2).
///
/// # Examples
///
/// ```
/// use ediguard::integrity::edisig::{Signature, PayloadType};
/// let line = "EDISIG v=1;alg=hmac-sha256;kid=acme-to-carrier-2024q1;ts=1704110400;nonce=3q2-7wAAAAAAAAAAAAAAAA;typ=x12;canon=raw;ctl=ZZ/SENDERID/ZZ/RECEIVERID/000000001;len=252;sig=wrZLFCbu0rZghxZ4ItlFxpF0PxtL6xXi5nRnJItFpLc";
/// let sig = Signature::parse(line).unwrap();
/// assert_eq!(sig.kid(), "acme-to-carrier-2024q1");
/// assert_eq!(sig.typ(), PayloadType::X12);
/// assert_eq!(sig.to_string(), line);
/// assert!(Signature::parse(&line.replace("ts=", "ts=0")).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    alg: String,
    kid: String,
    ts: u64,
    nonce: Nonce,
    typ: PayloadType,
    canon: Canon,
    ctl: String,
    len: u64,
    sig: [u8; 32],
}

fn parse_decimal(s: &str, what: &str) -> Result<u64, SignatureError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed(format!("{what} must be decimal digits")));
    }
    if s.len() > 1 && s.starts_with('0') {
        return Err(malformed(format!("{what} has a leading zero")));
    }
    s.parse::<u64>()
        .map_err(|_| malformed(format!("{what} is out of range")))
}

fn check_kid(kid: &str) -> Result<(), SignatureError> {
    if kid.is_empty() || kid.len() > MAX_KID_LEN {
        return Err(malformed("kid must be 1 to 64 characters"));
    }
    if !kid
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        return Err(malformed("kid has a character outside [A-Za-z0-9._-]"));
    }
    Ok(())
}

impl Signature {
    /// Parses one line strictly (see the type's documentation). A `v` other
    /// than `1` is [`SignatureError::UnsupportedVersion`], whatever follows.
    pub fn parse(line: &str) -> Result<Signature, SignatureError> {
        let rest = line
            .strip_prefix(PREFIX)
            .ok_or_else(|| malformed("line does not start with \"EDISIG \""))?;
        let mut fields = rest.split(';');
        // The version first: a version we do not know may have another grammar.
        let first = fields.next().unwrap_or("");
        let version = first
            .strip_prefix("v=")
            .ok_or_else(|| malformed("the first parameter must be v"))?;
        if version != "1" {
            return Err(SignatureError::UnsupportedVersion(
                version.chars().take(16).collect(),
            ));
        }
        let mut values: [&str; 10] = [""; 10];
        values[0] = version;
        let mut count = 1;
        for field in fields {
            let (key, value) = field
                .split_once('=')
                .ok_or_else(|| malformed(format!("parameter {} has no '='", count + 1)))?;
            let Some(&expected) = KEYS.get(count) else {
                return Err(malformed("more than ten parameters"));
            };
            if key != expected {
                return Err(malformed(if KEYS[..count].contains(&key) {
                    format!("duplicate parameter {key:?}")
                } else if KEYS.contains(&key) {
                    format!("parameter {key:?} out of order: expected {expected:?}")
                } else {
                    format!(
                        "unknown parameter {:?}: expected {expected:?}",
                        key.chars().take(16).collect::<String>()
                    )
                }));
            }
            values[count] = value;
            count += 1;
        }
        if count != KEYS.len() {
            return Err(malformed(format!(
                "missing parameter {:?}",
                KEYS.get(count).copied().unwrap_or("")
            )));
        }
        let [_, alg, kid, ts, nonce, typ, canon, ctl, len, sig] = values;
        if alg.is_empty()
            || alg.len() > 32
            || !alg
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(malformed("alg must be 1 to 32 of [a-z0-9-]"));
        }
        check_kid(kid)?;
        let ts = parse_decimal(ts, "ts")?;
        let nonce = nonce.parse::<Nonce>()?;
        let typ = PayloadType::parse(typ)
            .ok_or_else(|| malformed("typ must be x12, edifact, eld or bin"))?;
        let canon = Canon::parse(canon).ok_or_else(|| malformed("canon must be raw or eol1"))?;
        check_ctl(ctl)?;
        let len = parse_decimal(len, "len")?;
        let sig = decode_b64url::<32>(sig, "sig")?;
        Ok(Signature {
            alg: alg.to_owned(),
            kid: kid.to_owned(),
            ts,
            nonce,
            typ,
            canon,
            ctl: ctl.to_owned(),
            len,
            sig,
        })
    }

    /// `alg` as found on the line.
    pub fn alg(&self) -> &str {
        &self.alg
    }

    /// The key id.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The timestamp, Unix seconds.
    pub fn ts(&self) -> u64 {
        self.ts
    }

    /// The nonce.
    pub fn nonce(&self) -> Nonce {
        self.nonce
    }

    /// The payload type.
    pub fn typ(&self) -> PayloadType {
        self.typ
    }

    /// The canonicalisation.
    pub fn canon(&self) -> Canon {
        self.canon
    }

    /// The envelope ids, encoded as on the line.
    pub fn ctl(&self) -> &str {
        &self.ctl
    }

    /// The payload length after canonicalisation.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True when the signed payload is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The 32-byte tag.
    pub fn tag(&self) -> &[u8; 32] {
        &self.sig
    }

    /// The signing base for this line and the SHA-256 of the (canonicalised)
    /// payload (§4.3 "Signing base": ten lines, each ending in LF).
    ///
    /// # Examples
    ///
    /// ```
    /// use ediguard::integrity::edisig::Signature;
    /// let line = "EDISIG v=1;alg=hmac-sha256;kid=k;ts=1;nonce=AAAAAAAAAAAAAAAAAAAAAA;typ=bin;canon=raw;ctl=-;len=0;sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    /// let base = Signature::parse(line).unwrap().signing_base(&[0; 32]);
    /// assert!(base.starts_with("EDISIG/1\nalg:hmac-sha256\nkid:k\nts:1\n"));
    /// assert_eq!(base.lines().count(), 10);
    /// ```
    pub fn signing_base(&self, sha256: &[u8; 32]) -> String {
        signing_base(
            &self.alg,
            &self.kid,
            self.ts,
            &self.nonce,
            self.typ,
            self.canon,
            &self.ctl,
            self.len,
            sha256,
        )
    }
}

#[allow(clippy::too_many_arguments)]
fn signing_base(
    alg: &str,
    kid: &str,
    ts: u64,
    nonce: &Nonce,
    typ: PayloadType,
    canon: Canon,
    ctl: &str,
    len: u64,
    sha256: &[u8; 32],
) -> String {
    format!(
        "{BASE_LABEL}\nalg:{alg}\nkid:{kid}\nts:{ts}\nnonce:{nonce}\ntyp:{typ}\ncanon:{canon}\nctl:{ctl}\nlen:{len}\nsha256:{}\n",
        hex(sha256)
    )
}

/// Lowercase hex.
fn hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{PREFIX}v=1;alg={};kid={};ts={};nonce={};typ={};canon={};ctl={};len={};sig={}",
            self.alg,
            self.kid,
            self.ts,
            self.nonce,
            self.typ,
            self.canon,
            self.ctl,
            self.len,
            URL_SAFE_NO_PAD.encode(self.sig)
        )
    }
}

impl FromStr for Signature {
    type Err = SignatureError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Signature::parse(s)
    }
}

// ---------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------

/// Secret bytes that never show in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
struct Secret(Box<[u8]>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} secret bytes>", self.0.len())
    }
}

/// Why a key or key ring was refused. Messages never contain key material.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The secret is shorter than [`MIN_SECRET_LEN`].
    #[error("secret is {0} bytes; at least 32 are required")]
    SecretTooShort(usize),
    /// The key id breaks `[A-Za-z0-9._-]{1,64}`.
    #[error("invalid key id: {0}")]
    InvalidKeyId(String),
    /// The key id is already in the ring.
    #[error("duplicate key id {0:?}")]
    DuplicateKeyId(String),
    /// The key file could not be read or has the wrong shape.
    #[error("key ring: {0}")]
    Format(String),
}

/// One key of a [`KeyRing`] (§4.3 step 2: "secret ≥ 32 random bytes, pinned
/// `alg`, partner, allowed sender ids, allowed `canon`,
/// not_before/not_after, revoked?").
///
/// The secret never appears in `Debug` output or in any error.
///
/// # Examples
///
/// ```
/// use ediguard::integrity::edisig::{Canon, Key};
/// let key = Key::new(vec![0x42; 32]).unwrap()
///     .with_partner("acme")
///     .with_senders(["ACMEID"])
///     .allow_canon(Canon::Eol1)
///     .valid_between(Some(1_700_000_000), None);
/// assert!(key.allows_canon(Canon::Eol1));
/// assert!(!format!("{key:?}").contains("66, 66"));
/// assert!(Key::new(vec![0; 31]).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    secret: Secret,
    algorithm: Algorithm,
    partner: String,
    senders: Vec<String>,
    canons: Vec<Canon>,
    not_before: Option<i64>,
    not_after: Option<i64>,
    revoked: bool,
}

impl Key {
    /// A key with this secret, pinned to `hmac-sha256`, allowing `raw`
    /// only, valid at all times, with no partner and no allowed sender (so
    /// X12 and EDIFACT payloads fail [`SignatureError::SenderNotAuthorized`]
    /// until [`Key::with_senders`] names them).
    pub fn new(secret: impl Into<Vec<u8>>) -> Result<Key, KeyError> {
        let secret = secret.into();
        if secret.len() < MIN_SECRET_LEN {
            return Err(KeyError::SecretTooShort(secret.len()));
        }
        Ok(Key {
            secret: Secret(secret.into_boxed_slice()),
            algorithm: Algorithm::HmacSha256,
            partner: String::new(),
            senders: Vec::new(),
            canons: vec![Canon::Raw],
            not_before: None,
            not_after: None,
            revoked: false,
        })
    }

    /// A key from the bytes of a key file: when the file is hex digits
    /// (either case, an even count, optionally followed by ASCII whitespace
    /// such as a final newline) it is decoded as hex; otherwise its bytes are
    /// the secret as they are. Either way the secret must be at least 32
    /// bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use ediguard::integrity::edisig::Key;
    /// let hex = b"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";
    /// assert!(Key::from_key_file(hex).is_ok());
    /// assert!(Key::from_key_file(&[7u8; 32]).is_ok());
    /// assert!(Key::from_key_file(b"00010203\n").is_err());
    /// ```
    pub fn from_key_file(bytes: &[u8]) -> Result<Key, KeyError> {
        let end = bytes
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        let trimmed = bytes.get(..end).unwrap_or_default();
        let as_hex = std::str::from_utf8(trimmed)
            .ok()
            .filter(|t| !t.is_empty())
            .and_then(decode_hex);
        match as_hex {
            Some(secret) => Key::new(secret),
            None => Key::new(bytes.to_vec()),
        }
    }

    /// Sets the partner the key belongs to.
    #[must_use]
    pub fn with_partner(mut self, partner: impl Into<String>) -> Self {
        self.partner = partner.into();
        self
    }

    /// Sets the sender ids (ISA06 or UNB S002 0004, padding removed) the
    /// partner may send under.
    #[must_use]
    pub fn with_senders<I, S>(mut self, senders: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.senders = senders.into_iter().map(Into::into).collect();
        self
    }

    /// Allows a canonicalisation besides `raw`.
    #[must_use]
    pub fn allow_canon(mut self, canon: Canon) -> Self {
        if !self.canons.contains(&canon) {
            self.canons.push(canon);
        }
        self
    }

    /// Sets the validity period (Unix seconds, inclusive).
    #[must_use]
    pub fn valid_between(mut self, not_before: Option<i64>, not_after: Option<i64>) -> Self {
        self.not_before = not_before;
        self.not_after = not_after;
        self
    }

    /// Marks the key revoked.
    #[must_use]
    pub fn revoke(mut self) -> Self {
        self.revoked = true;
        self
    }

    /// The pinned algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The partner.
    pub fn partner(&self) -> &str {
        &self.partner
    }

    /// The allowed sender ids.
    pub fn senders(&self) -> &[String] {
        &self.senders
    }

    /// Whether `canon` is allowed.
    pub fn allows_canon(&self, canon: Canon) -> bool {
        self.canons.contains(&canon)
    }

    /// Whether the key is revoked.
    pub fn is_revoked(&self) -> bool {
        self.revoked
    }

    fn validity_at(&self, kid: &str, now: i64) -> Result<(), SignatureError> {
        let reason = if self.revoked {
            "revoked"
        } else if self.not_before.is_some_and(|t| now < t) {
            "not yet valid"
        } else if self.not_after.is_some_and(|t| now > t) {
            "expired"
        } else {
            return Ok(());
        };
        Err(SignatureError::KeyNotValidNow {
            kid: kid.to_owned(),
            reason,
        })
    }

    pub(crate) fn mac(&self) -> HmacSha256 {
        // `new_from_slice` accepts keys of any length for HMAC; the secret is
        // at least 32 bytes by construction.
        match HmacSha256::new_from_slice(&self.secret.0) {
            Ok(mac) => mac,
            Err(_) => <HmacSha256 as Mac>::new(&Default::default()),
        }
    }
}

/// Key id → [`Key`]. Load one from JSON with [`KeyRing::from_json`]:
///
/// ```json
/// {"keys": [{
///   "kid": "acme-to-carrier-2024q1",
///   "secret_hex": "000102…1f",
///   "alg": "hmac-sha256",
///   "partner": "acme",
///   "senders": ["SENDERID"],
///   "canon": ["raw", "eol1"],
///   "not_before": 1704067200,
///   "not_after": 1735689599,
///   "revoked": false
/// }]}
/// ```
///
/// Each key gives exactly one of `secret_hex` (hex digits, either case) or
/// `secret_base64` (standard base64 with padding, RFC 4648 §4); `kid` and
/// the secret are required; `alg` defaults to `hmac-sha256`, `canon` to
/// `["raw"]`, `senders` to none, `revoked` to false. Unknown fields are
/// errors.
///
/// # Examples
///
/// ```
/// use ediguard::integrity::edisig::KeyRing;
/// let ring = KeyRing::from_json(r#"{"keys":[{"kid":"k1","secret_hex":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f","partner":"acme","senders":["SENDERID"]}]}"#).unwrap();
/// assert_eq!(ring.key("k1").unwrap().partner(), "acme");
/// assert!(!format!("{ring:?}").contains("0a0b0c"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyRing {
    keys: BTreeMap<String, Key>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyRingFile {
    keys: Vec<KeyEntry>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyEntry {
    kid: String,
    #[serde(default)]
    secret_hex: Option<String>,
    #[serde(default)]
    secret_base64: Option<String>,
    #[serde(default)]
    alg: Option<String>,
    #[serde(default)]
    partner: String,
    #[serde(default)]
    senders: Vec<String>,
    #[serde(default)]
    canon: Option<Vec<String>>,
    #[serde(default)]
    not_before: Option<i64>,
    #[serde(default)]
    not_after: Option<i64>,
    #[serde(default)]
    revoked: bool,
}

/// Decodes hex digits (either case, even count); `None` otherwise.
pub(crate) fn decode_hex(s: &str) -> Option<Vec<u8>> {
    fn nibble(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    }
    let bytes = s.as_bytes();
    if bytes.len() % 2 != 0 {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => Some(nibble(*hi)? << 4 | nibble(*lo)?),
            _ => None,
        })
        .collect()
}

impl KeyRing {
    /// An empty ring.
    pub fn new() -> Self {
        KeyRing::default()
    }

    /// Adds `key` under `kid`; the id must match `[A-Za-z0-9._-]{1,64}` and
    /// be new.
    pub fn insert(&mut self, kid: impl Into<String>, key: Key) -> Result<(), KeyError> {
        let kid = kid.into();
        check_kid(&kid).map_err(|e| match e {
            SignatureError::Malformed(m) => KeyError::InvalidKeyId(m),
            other => KeyError::InvalidKeyId(other.to_string()),
        })?;
        if self.keys.contains_key(&kid) {
            return Err(KeyError::DuplicateKeyId(kid));
        }
        self.keys.insert(kid, key);
        Ok(())
    }

    /// The key `kid`.
    pub fn key(&self, kid: &str) -> Option<&Key> {
        self.keys.get(kid)
    }

    /// How many keys the ring holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when the ring holds no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The key ids, in order.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    /// Parses the JSON key ring format shown on [`KeyRing`].
    pub fn from_json(text: &str) -> Result<KeyRing, KeyError> {
        // serde_json's messages quote the offending token, which may be a
        // secret: keep only the position.
        let file: KeyRingFile = serde_json::from_str(text).map_err(|e| {
            KeyError::Format(format!(
                "not a key ring ({:?} error at line {} column {})",
                e.classify(),
                e.line(),
                e.column()
            ))
        })?;
        let mut ring = KeyRing::new();
        for entry in file.keys {
            let secret = match (&entry.secret_hex, &entry.secret_base64) {
                (Some(h), None) => decode_hex(h).ok_or_else(|| {
                    KeyError::Format(format!("key {:?}: secret_hex is not hex", entry.kid))
                })?,
                (None, Some(b)) => STANDARD.decode(b).map_err(|_| {
                    KeyError::Format(format!("key {:?}: secret_base64 is not base64", entry.kid))
                })?,
                _ => {
                    return Err(KeyError::Format(format!(
                        "key {:?}: give exactly one of secret_hex and secret_base64",
                        entry.kid
                    )));
                }
            };
            if let Some(alg) = &entry.alg {
                if Algorithm::parse(alg).is_none() {
                    return Err(KeyError::Format(format!(
                        "key {:?}: unknown alg {alg:?}",
                        entry.kid
                    )));
                }
            }
            let mut key = Key::new(secret)?
                .with_partner(entry.partner)
                .with_senders(entry.senders)
                .valid_between(entry.not_before, entry.not_after);
            if let Some(canons) = entry.canon {
                key.canons.clear();
                for c in canons {
                    let canon = Canon::parse(&c).ok_or_else(|| {
                        KeyError::Format(format!("key {:?}: unknown canon {c:?}", entry.kid))
                    })?;
                    key = key.allow_canon(canon);
                }
            }
            if entry.revoked {
                key = key.revoke();
            }
            ring.insert(entry.kid, key)?;
        }
        Ok(ring)
    }

    /// Reads a JSON key ring file (see [`KeyRing::from_json`]).
    pub fn load(path: impl AsRef<std::path::Path>) -> Result<KeyRing, KeyError> {
        let text = std::fs::read_to_string(path.as_ref())
            .map_err(|e| KeyError::Format(format!("cannot read: {e}")))?;
        KeyRing::from_json(&text)
    }
}

// ---------------------------------------------------------------------------
// Envelope ids
// ---------------------------------------------------------------------------

/// The envelope ids of one interchange, as `ctl` names them (§4.3: X12
/// `ISA05/ISA06/ISA07/ISA08/ISA13` with the space padding of ISA06/ISA08
/// removed; EDIFACT `UNB S002.0004[:0007]/S003.0010[:0007]/0020`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvelopeIds {
    typ: PayloadType,
    sender_qualifier: Vec<u8>,
    sender: Vec<u8>,
    receiver_qualifier: Vec<u8>,
    receiver: Vec<u8>,
    control_number: Vec<u8>,
}

fn trim_spaces(b: &[u8]) -> &[u8] {
    let end = b.iter().rposition(|&c| c != b' ').map_or(0, |i| i + 1);
    b.get(..end).unwrap_or(b)
}

impl EnvelopeIds {
    /// The sender id (ISA06 or S002 0004), padding removed.
    pub fn sender(&self) -> &[u8] {
        &self.sender
    }

    /// The receiver id (ISA08 or S003 0010), padding removed.
    pub fn receiver(&self) -> &[u8] {
        &self.receiver
    }

    /// The interchange control number (ISA13 or 0020).
    pub fn control_number(&self) -> &[u8] {
        &self.control_number
    }

    /// The ids encoded as `ctl`. For EDIFACT, a `:` inside an id or code is
    /// percent-encoded so that the `:` between id and qualifier stays
    /// unambiguous.
    pub fn to_ctl(&self) -> String {
        match self.typ {
            PayloadType::Edifact => {
                let part = |id: &[u8], q: &[u8]| {
                    let mut s = encode_part(id, |b| b != b':' && is_ctl_literal(b));
                    if !q.is_empty() {
                        s.push(':');
                        s.push_str(&encode_part(q, |b| b != b':' && is_ctl_literal(b)));
                    }
                    s
                };
                format!(
                    "{}/{}/{}",
                    part(&self.sender, &self.sender_qualifier),
                    part(&self.receiver, &self.receiver_qualifier),
                    encode_ctl_part(&self.control_number)
                )
            }
            _ => [
                &self.sender_qualifier,
                &self.sender,
                &self.receiver_qualifier,
                &self.receiver,
                &self.control_number,
            ]
            .iter()
            .map(|p| encode_ctl_part(p))
            .collect::<Vec<_>>()
            .join("/"),
        }
    }
}

/// Reads the envelope ids of the interchange at the start of `payload`:
/// `Some` for X12 and EDIFACT, `None` for ELD and opaque payloads (their
/// `ctl` is agreed out of band, §4.3: "ELD: an agreed id ... or `-`").
///
/// X12: the ISA has a fixed layout (X12.5 ISA: 106 bytes, the element
/// separator is byte 4, the component separator byte 105 and the segment
/// terminator byte 106). EDIFACT: an optional 9-byte UNA service string
/// advice sets the service characters (ISO 9735-1 §4: component, element,
/// decimal mark, release, reserved, terminator), CR/LF after it is skipped,
/// then the UNB is read with the release character honoured.
///
/// This is the one place that reads envelopes for EDISIG; the full parsers
/// will take over its internals.
///
/// # Examples
///
/// ```
/// use ediguard::integrity::edisig::{envelope_ids, PayloadType};
/// let ids = envelope_ids(PayloadType::Edifact, b"UNA:+.? 'UNB+UNOC:3+SENDER:14+RECEIVER+240101:1200+42'UNZ+0+42'").unwrap().unwrap();
/// assert_eq!(ids.to_ctl(), "SENDER:14/RECEIVER/42");
/// ```
pub fn envelope_ids(
    typ: PayloadType,
    payload: &[u8],
) -> Result<Option<EnvelopeIds>, SignatureError> {
    match typ {
        PayloadType::X12 => x12_ids(payload).map(Some),
        PayloadType::Edifact => edifact_ids(payload).map(Some),
        PayloadType::Eld | PayloadType::Bin => Ok(None),
    }
}

/// X12 delimiters from a fixed-layout ISA.
fn isa_delimiters(payload: &[u8]) -> Result<(Delimiters, &[u8]), SignatureError> {
    let isa = payload
        .get(..106)
        .filter(|isa| isa.starts_with(b"ISA"))
        .ok_or(SignatureError::EnvelopeUnreadable(
            "payload does not start with a 106-byte ISA",
        ))?;
    let (element, component, segment) = match (isa.get(3), isa.get(104), isa.get(105)) {
        (Some(&e), Some(&c), Some(&s)) => (e, c, s),
        _ => return Err(SignatureError::EnvelopeUnreadable("ISA too short")),
    };
    let delimiters = Delimiters {
        segment,
        element,
        component,
        repetition: None,
        release: None,
    };
    Ok((delimiters, isa.get(..105).unwrap_or(isa)))
}

fn x12_ids(payload: &[u8]) -> Result<EnvelopeIds, SignatureError> {
    let (delimiters, isa) = isa_delimiters(payload)?;
    let seg = Segment::new(isa, 0, 0, delimiters);
    if seg.element_count() != 16 {
        return Err(SignatureError::EnvelopeUnreadable(
            "ISA does not have 16 elements",
        ));
    }
    let el = |n: usize| {
        seg.element(n)
            .map(|e| trim_spaces(e.as_bytes()).to_vec())
            .unwrap_or_default()
    };
    let control_number = el(13);
    if control_number.is_empty() {
        return Err(SignatureError::EnvelopeUnreadable("ISA13 is empty"));
    }
    Ok(EnvelopeIds {
        typ: PayloadType::X12,
        sender_qualifier: el(5),
        sender: el(6),
        receiver_qualifier: el(7),
        receiver: el(8),
        control_number,
    })
}

/// EDIFACT delimiters and the offset of the first segment after any UNA.
fn edifact_delimiters(payload: &[u8]) -> Result<(Delimiters, usize), SignatureError> {
    if payload.starts_with(b"UNA") {
        let una = payload.get(..9).ok_or(SignatureError::EnvelopeUnreadable(
            "UNA shorter than 9 bytes",
        ))?;
        let (component, element, release, segment) = match una {
            [_, _, _, c, e, _, r, _, s] => (*c, *e, *r, *s),
            _ => {
                return Err(SignatureError::EnvelopeUnreadable(
                    "UNA shorter than 9 bytes",
                ));
            }
        };
        let delimiters = Delimiters {
            segment,
            element,
            component,
            repetition: None,
            release: (release != b' ').then_some(release),
        };
        Ok((delimiters, 9))
    } else {
        Ok((Delimiters::EDIFACT_DEFAULT, 0))
    }
}

fn edifact_ids(payload: &[u8]) -> Result<EnvelopeIds, SignatureError> {
    let (d, mut start) = edifact_delimiters(payload)?;
    while payload
        .get(start)
        .is_some_and(|&b| b == b'\r' || b == b'\n')
    {
        start += 1;
    }
    let rest = payload.get(start..).unwrap_or_default();
    if !(rest.starts_with(b"UNB") && rest.get(3) == Some(&d.element)) {
        return Err(SignatureError::EnvelopeUnreadable(
            "no UNB at the start of the payload (after any UNA)",
        ));
    }
    let end = find_unescaped(rest, d.segment, d.release)
        .ok_or(SignatureError::EnvelopeUnreadable("UNB has no terminator"))?;
    let seg = Segment::new(rest.get(..end).unwrap_or(rest), start, 0, d);
    let comp = |n: usize, c: usize| {
        seg.element(n)
            .and_then(|e| e.component(c))
            .map(|c| c.value().into_owned())
            .unwrap_or_default()
    };
    let sender = comp(2, 1);
    let receiver = comp(3, 1);
    let control_number = seg
        .element(5)
        .map(|e| e.value().into_owned())
        .unwrap_or_default();
    if sender.is_empty() || receiver.is_empty() || control_number.is_empty() {
        return Err(SignatureError::EnvelopeUnreadable(
            "UNB lacks S002 0004, S003 0010 or 0020",
        ));
    }
    Ok(EnvelopeIds {
        typ: PayloadType::Edifact,
        sender_qualifier: comp(2, 2),
        sender,
        receiver_qualifier: comp(3, 2),
        receiver,
        control_number,
    })
}

// ---------------------------------------------------------------------------
// Canonicalisation
// ---------------------------------------------------------------------------

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Applies `canon` to `payload` (§4.3 "Canonicalisation `eol1`"): `raw`
/// returns the bytes unchanged; `eol1` removes the CR and LF bytes that
/// immediately follow a segment terminator (the whole run, so CRLF goes
/// too). For X12 the terminator is the ISA's 106th byte; for EDIFACT it is
/// `'` or the UNA value, and a terminator made data by the release character
/// is not one. `eol1` is refused when the terminator itself is CR or LF, for
/// `eld` and `bin`, and when the payload starts with a byte-order mark.
/// Nothing else changes: no trimming, no case or charset change.
///
/// # Examples
///
/// ```
/// use ediguard::integrity::edisig::{canonicalize, Canon, PayloadType};
/// let edi = b"UNB+UNOC:3+S+R+240101:1200+1'\r\nUNZ+0+1'\r\n";
/// let out = canonicalize(PayloadType::Edifact, Canon::Eol1, edi).unwrap();
/// assert_eq!(&out[..], b"UNB+UNOC:3+S+R+240101:1200+1'UNZ+0+1'");
/// assert!(canonicalize(PayloadType::Eld, Canon::Eol1, b"x").is_err());
/// ```
pub fn canonicalize(
    typ: PayloadType,
    canon: Canon,
    payload: &[u8],
) -> Result<Cow<'_, [u8]>, SignatureError> {
    let refuse = |reason| SignatureError::CanonNotAllowed {
        canon: Canon::Eol1,
        reason,
    };
    match canon {
        Canon::Raw => return Ok(Cow::Borrowed(payload)),
        Canon::Eol1 => {}
    }
    if payload.starts_with(BOM) {
        return Err(refuse("the payload starts with a byte-order mark"));
    }
    let (delimiters, start) = match typ {
        PayloadType::Eld => return Err(refuse("eol1 is forbidden for typ=eld")),
        PayloadType::Bin => return Err(refuse("eol1 needs a segment terminator (x12, edifact)")),
        PayloadType::X12 => {
            let (d, _) = isa_delimiters(payload)
                .map_err(|_| refuse("no ISA to take the segment terminator from"))?;
            (d, 0)
        }
        PayloadType::Edifact => {
            let (d, start) =
                edifact_delimiters(payload).map_err(|_| refuse("UNA shorter than 9 bytes"))?;
            (d, start)
        }
    };
    if matches!(delimiters.segment, b'\r' | b'\n') {
        return Err(refuse("the segment terminator is CR or LF"));
    }
    let is_eol = |b: &u8| *b == b'\r' || *b == b'\n';
    let mut out = Vec::with_capacity(payload.len());
    let head = payload.get(..start).unwrap_or_default();
    out.extend_from_slice(head);
    let mut i = start;
    // The UNA's last byte is a terminator too.
    let mut after_terminator = start > 0;
    while let Some(&b) = payload.get(i) {
        if after_terminator && is_eol(&b) {
            i += 1;
            continue;
        }
        after_terminator = false;
        out.push(b);
        i += 1;
        if Some(b) == delimiters.release {
            // The release character makes the next byte data.
            if let Some(&next) = payload.get(i) {
                out.push(next);
                i += 1;
            }
        } else if b == delimiters.segment {
            after_terminator = true;
        }
    }
    Ok(if out.len() == payload.len() {
        Cow::Borrowed(payload)
    } else {
        Cow::Owned(out)
    })
}

// ---------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------

/// What to sign with: the parameters of the line that are not derived from
/// the payload.
///
/// # Examples
///
/// ```
/// use ediguard::integrity::edisig::{Canon, Nonce, PayloadType, SignParams};
/// let params = SignParams::new(PayloadType::Eld, 1_704_110_400, Nonce::from_bytes([9; 16]))
///     .with_ctl("ELD-2024-01-01.csv");
/// assert_eq!(params.canon, Canon::Raw);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignParams {
    /// The payload type.
    pub typ: PayloadType,
    /// The canonicalisation (default `raw`).
    pub canon: Canon,
    /// The timestamp, Unix seconds.
    pub ts: u64,
    /// A fresh random nonce.
    pub nonce: Nonce,
    /// The agreed id for `eld` and `bin` payloads (default `-`); ignored for
    /// X12 and EDIFACT, whose `ctl` is read from the envelope.
    pub ctl: String,
}

impl SignParams {
    /// Parameters with `canon=raw` and `ctl=-`.
    pub fn new(typ: PayloadType, ts: u64, nonce: Nonce) -> Self {
        SignParams {
            typ,
            canon: Canon::Raw,
            ts,
            nonce,
            ctl: "-".to_owned(),
        }
    }

    /// Sets the canonicalisation.
    #[must_use]
    pub fn with_canon(mut self, canon: Canon) -> Self {
        self.canon = canon;
        self
    }

    /// Sets the agreed id of an `eld` or `bin` payload (percent-encoded
    /// when written).
    #[must_use]
    pub fn with_ctl(mut self, ctl: &str) -> Self {
        self.ctl = encode_ctl_part(ctl.as_bytes());
        self
    }
}

/// Signs `payload` with `key` under the id `kid`. The `ctl` of X12 and
/// EDIFACT payloads is read from their envelope; `canon` must be allowed by
/// the key. A line longer than [`DEFAULT_MAX_LINE_LEN`] (which [`verify`]
/// would reject by default) is a [`SignatureError::Limit`].
pub fn sign(
    kid: &str,
    key: &Key,
    params: &SignParams,
    payload: &[u8],
) -> Result<Signature, SignatureError> {
    check_kid(kid)?;
    if !key.allows_canon(params.canon) {
        return Err(SignatureError::CanonNotAllowed {
            canon: params.canon,
            reason: "the key does not allow it",
        });
    }
    let buffer = canonicalize(params.typ, params.canon, payload)?;
    let ctl = match envelope_ids(params.typ, &buffer)? {
        Some(ids) => ids.to_ctl(),
        None => {
            let ctl = if params.ctl.is_empty() {
                "-".to_owned()
            } else {
                params.ctl.clone()
            };
            check_ctl(&ctl)?;
            ctl
        }
    };
    let len = buffer.len() as u64;
    let digest: [u8; 32] = Sha256::digest(&buffer).into();
    let alg = key.algorithm().as_str();
    let base = signing_base(
        alg,
        kid,
        params.ts,
        &params.nonce,
        params.typ,
        params.canon,
        &ctl,
        len,
        &digest,
    );
    let mut mac = key.mac();
    mac.update(base.as_bytes());
    let sig: [u8; 32] = mac.finalize().into_bytes().into();
    let signature = Signature {
        alg: alg.to_owned(),
        kid: kid.to_owned(),
        ts: params.ts,
        nonce: params.nonce,
        typ: params.typ,
        canon: params.canon,
        ctl,
        len,
        sig,
    };
    // §4.3 step 1 rejects lines over the size limit: never write one (long
    // envelope ids, percent-encoded, can make `ctl` arbitrarily long).
    if signature.to_string().len() > DEFAULT_MAX_LINE_LEN {
        return Err(SignatureError::Limit {
            what: "signature line length",
            limit: DEFAULT_MAX_LINE_LEN,
        });
    }
    Ok(signature)
}

// ---------------------------------------------------------------------------
// Replay cache
// ---------------------------------------------------------------------------

/// What a replay cache says about a `(kid, nonce)` pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayCheck {
    /// Not seen before; now recorded.
    Fresh,
    /// Seen before and not yet expired.
    Replayed,
    /// Not recorded: the cache is full of unexpired entries. Verification
    /// fails closed.
    Full,
}

/// A store of `(kid, nonce)` pairs seen, kept at least window + skew (§4.3
/// step 6: "atomically check-and-insert `(kid, nonce)` in a replay cache
/// kept ≥ window + skew"). Implementations must make
/// [`ReplayCache::check_and_insert`] atomic.
pub trait ReplayCache {
    /// Records `(kid, nonce)` until `expires_at` (Unix seconds) unless it is
    /// already there; `now` lets the cache drop expired entries.
    fn check_and_insert(&self, kid: &str, nonce: &Nonce, expires_at: i64, now: i64) -> ReplayCheck;

    /// The most entries the cache keeps, for [`SignatureError::Limit`].
    fn capacity(&self) -> usize;
}

/// An in-memory [`ReplayCache`] with a bounded number of entries; expired
/// entries are dropped as time passes. Safe to share between threads.
///
/// # Examples
///
/// ```
/// use ediguard::integrity::edisig::{MemoryReplayCache, Nonce, ReplayCache, ReplayCheck};
/// let cache = MemoryReplayCache::new(1);
/// let n = Nonce::from_bytes([1; 16]);
/// assert_eq!(cache.check_and_insert("k", &n, 100, 0), ReplayCheck::Fresh);
/// assert_eq!(cache.check_and_insert("k", &n, 100, 50), ReplayCheck::Replayed);
/// assert_eq!(cache.check_and_insert("k", &Nonce::from_bytes([2; 16]), 100, 50), ReplayCheck::Full);
/// assert_eq!(cache.check_and_insert("k", &n, 200, 101), ReplayCheck::Fresh);
/// ```
#[derive(Debug)]
pub struct MemoryReplayCache {
    capacity: usize,
    inner: Mutex<ReplayInner>,
}

#[derive(Debug, Default)]
struct ReplayInner {
    entries: HashMap<(String, Nonce), i64>,
    /// Min-heap on expiry (negated), to drop expired entries in order.
    expiries: BinaryHeap<(std::cmp::Reverse<i64>, String, Nonce)>,
}

impl MemoryReplayCache {
    /// A cache holding at most `capacity` unexpired entries.
    pub fn new(capacity: usize) -> Self {
        MemoryReplayCache {
            capacity,
            inner: Mutex::new(ReplayInner::default()),
        }
    }

    /// How many entries are held now.
    pub fn len(&self) -> usize {
        self.inner.lock().map_or(0, |g| g.entries.len())
    }

    /// True when no entry is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl ReplayCache for MemoryReplayCache {
    fn check_and_insert(&self, kid: &str, nonce: &Nonce, expires_at: i64, now: i64) -> ReplayCheck {
        let mut guard = match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let inner = &mut *guard;
        while let Some((std::cmp::Reverse(t), _, _)) = inner.expiries.peek() {
            if *t >= now {
                break;
            }
            if let Some((_, k, n)) = inner.expiries.pop() {
                let key = (k, n);
                // Only drop the entry if it was not refreshed to a later expiry.
                if inner.entries.get(&key).is_some_and(|&e| e < now) {
                    inner.entries.remove(&key);
                }
            }
        }
        let key = (kid.to_owned(), *nonce);
        if inner.entries.get(&key).is_some_and(|&e| e >= now) {
            return ReplayCheck::Replayed;
        }
        if inner.entries.len() >= self.capacity {
            return ReplayCheck::Full;
        }
        inner.entries.insert(key.clone(), expires_at);
        inner
            .expiries
            .push((std::cmp::Reverse(expires_at), key.0, key.1));
        ReplayCheck::Fresh
    }

    fn capacity(&self) -> usize {
        self.capacity
    }
}

// ---------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------

/// How [`verify`] runs. The clock is an argument, so tests and batch
/// re-verification choose `now`.
///
/// # Examples
///
/// ```
/// use ediguard::integrity::edisig::VerifyOptions;
/// let options = VerifyOptions::at(1_704_110_400).with_window(3600).with_our_ids(["RECEIVERID"]);
/// assert_eq!(options.skew, 60);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyOptions {
    /// The verifier's clock, Unix seconds.
    pub now: i64,
    /// Freshness window in seconds (default 300; larger for mailbox or VAN
    /// batches).
    pub window: u64,
    /// Allowed clock skew in seconds (default 60).
    pub skew: u64,
    /// Longest signature line accepted, in bytes.
    pub max_line_len: usize,
    /// Longest payload accepted, in bytes.
    pub max_payload_len: usize,
    /// The receiver's own ids (ISA08 or S003 0010); when not empty, the
    /// envelope receiver must be one of them.
    pub our_ids: Vec<String>,
    /// For `eld` and `bin` payloads: the agreed id `ctl` must equal (given
    /// unencoded). `None` accepts any `ctl`.
    pub agreed_ctl: Option<String>,
}

impl VerifyOptions {
    /// Defaults with the clock at `now`.
    pub fn at(now: i64) -> Self {
        VerifyOptions {
            now,
            window: DEFAULT_WINDOW,
            skew: DEFAULT_SKEW,
            max_line_len: DEFAULT_MAX_LINE_LEN,
            max_payload_len: crate::Limits::default().max_input_len,
            our_ids: Vec::new(),
            agreed_ctl: None,
        }
    }

    /// Defaults with the clock at the system time.
    pub fn now() -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        VerifyOptions::at(now)
    }

    /// Sets the freshness window.
    #[must_use]
    pub fn with_window(mut self, window: u64) -> Self {
        self.window = window;
        self
    }

    /// Sets the allowed clock skew.
    #[must_use]
    pub fn with_skew(mut self, skew: u64) -> Self {
        self.skew = skew;
        self
    }

    /// Sets the receiver's own ids.
    #[must_use]
    pub fn with_our_ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.our_ids = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the agreed id for `eld` and `bin` payloads.
    #[must_use]
    pub fn with_agreed_ctl(mut self, ctl: impl Into<String>) -> Self {
        self.agreed_ctl = Some(ctl.into());
        self
    }
}

/// A signature that verified: what the receiver should keep as an audit
/// record (§6.5: "the verified digest, key id and timestamp").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    signature: Signature,
    partner: String,
    sha256: [u8; 32],
    envelope: Option<EnvelopeIds>,
}

impl Verified {
    /// The verified signature line.
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// The key's partner.
    pub fn partner(&self) -> &str {
        &self.partner
    }

    /// SHA-256 of the (canonicalised) payload.
    pub fn sha256(&self) -> &[u8; 32] {
        &self.sha256
    }

    /// The envelope ids (X12 and EDIFACT).
    pub fn envelope(&self) -> Option<&EnvelopeIds> {
        self.envelope.as_ref()
    }

    /// Step 8: records the control number in `ledger` under (partner,
    /// receiver, control number). X12 and EDIFACT use the envelope's
    /// receiver and control number; `eld` and `bin` use receiver `-` and the
    /// agreed `ctl`, and record nothing when `ctl` is `-`.
    ///
    /// Returns `Ok(())` for a new number, [`SignatureError::Duplicate`] for
    /// the same number with the same digest, and
    /// [`SignatureError::ControlNumberConflict`] for the same number with a
    /// different digest.
    pub fn record(&self, ledger: &dyn Ledger) -> Result<(), SignatureError> {
        let (receiver, number) = match &self.envelope {
            Some(ids) => (
                String::from_utf8_lossy(&ids.receiver).into_owned(),
                encode_ctl_part(&ids.control_number),
            ),
            None if self.signature.ctl == "-" => return Ok(()),
            None => ("-".to_owned(), self.signature.ctl.clone()),
        };
        match ledger.record(&self.partner, &receiver, &number, &self.sha256) {
            Ok(Recorded::New) => Ok(()),
            Ok(Recorded::Duplicate) => Err(SignatureError::Duplicate(number)),
            Ok(Recorded::Conflict { .. }) => Err(SignatureError::ControlNumberConflict(number)),
            Err(LedgerError::Full { limit }) => Err(SignatureError::Limit {
                what: "control-number ledger",
                limit,
            }),
            Err(e) => Err(SignatureError::Ledger(e.to_string())),
        }
    }
}

/// Verifies one signature line against `payload`, in the order of §4.3
/// "Verification order", steps 1 to 7 (step 8 is [`Verified::record`]).
/// The payload is hashed and its envelope read from the same buffer.
pub fn verify(
    line: &str,
    payload: &[u8],
    ring: &KeyRing,
    replay: &dyn ReplayCache,
    options: &VerifyOptions,
) -> Result<Verified, SignatureError> {
    // 1. Size limits, strict parse.
    if line.len() > options.max_line_len {
        return Err(SignatureError::Limit {
            what: "signature line length",
            limit: options.max_line_len,
        });
    }
    if payload.len() > options.max_payload_len {
        return Err(SignatureError::Limit {
            what: "payload length",
            limit: options.max_payload_len,
        });
    }
    let signature = Signature::parse(line)?;
    verify_parsed(signature, payload, ring, replay, options)
}

/// Verifies several lines (a sidecar file, several headers): accepts when
/// any line with a known `kid` verifies, ignoring lines with unknown kids
/// (§4.3: "accept if **any** line with a known `kid` verifies"). Blank lines
/// are skipped and a CR before each LF is removed. When nothing verifies,
/// returns the first failure of a line with a known kid, else the first
/// failure.
pub fn verify_lines(
    lines: &str,
    payload: &[u8],
    ring: &KeyRing,
    replay: &dyn ReplayCache,
    options: &VerifyOptions,
) -> Result<Verified, SignatureError> {
    let mut first_known: Option<SignatureError> = None;
    let mut first: Option<SignatureError> = None;
    for line in lines.split('\n').take(1024) {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        match verify(line, payload, ring, replay, options) {
            Ok(v) => return Ok(v),
            Err(e) => {
                let unknown = matches!(e, SignatureError::UnknownKey(_));
                if !unknown && first_known.is_none() {
                    first_known = Some(e.clone());
                }
                first.get_or_insert(e);
            }
        }
    }
    Err(first_known
        .or(first)
        .unwrap_or_else(|| malformed("no signature line")))
}

fn verify_parsed(
    signature: Signature,
    payload: &[u8],
    ring: &KeyRing,
    replay: &dyn ReplayCache,
    options: &VerifyOptions,
) -> Result<Verified, SignatureError> {
    // 2. Key, pinned algorithm, validity period.
    let key = ring
        .key(&signature.kid)
        .ok_or_else(|| SignatureError::UnknownKey(signature.kid.clone()))?;
    if signature.alg != key.algorithm.as_str() {
        return Err(SignatureError::AlgorithmMismatch {
            pinned: key.algorithm.as_str(),
            found: signature.alg.clone(),
        });
    }
    key.validity_at(&signature.kid, options.now)?;

    // 3. Freshness and clock skew.
    let now = i128::from(options.now);
    let ts = i128::from(signature.ts);
    if now - ts > i128::from(options.window) {
        return Err(SignatureError::Stale {
            ts: signature.ts,
            now: options.now,
            window: options.window,
        });
    }
    if ts - now > i128::from(options.skew) {
        return Err(SignatureError::FromFuture {
            ts: signature.ts,
            now: options.now,
            skew: options.skew,
        });
    }

    // 4. Canonicalise (only if the key allows it), length, digest.
    if !key.allows_canon(signature.canon) {
        return Err(SignatureError::CanonNotAllowed {
            canon: signature.canon,
            reason: "the key does not allow it",
        });
    }
    let buffer = canonicalize(signature.typ, signature.canon, payload)?;
    let actual = buffer.len() as u64;
    if actual != signature.len {
        return Err(SignatureError::LengthMismatch {
            declared: signature.len,
            actual,
        });
    }
    let sha256: [u8; 32] = Sha256::digest(&buffer).into();

    // 5. Constant-time tag check.
    let mut mac = key.mac();
    mac.update(signature.signing_base(&sha256).as_bytes());
    mac.verify_slice(&signature.sig)
        .map_err(|_| SignatureError::BadSignature)?;

    // 6. Replay cache, only after the MAC is valid.
    let expires_at =
        i64::try_from(ts.max(now) + i128::from(options.window) + i128::from(options.skew))
            .unwrap_or(i64::MAX);
    match replay.check_and_insert(&signature.kid, &signature.nonce, expires_at, options.now) {
        ReplayCheck::Fresh => {}
        ReplayCheck::Replayed => {
            return Err(SignatureError::Replay {
                kid: signature.kid.clone(),
                nonce: signature.nonce.to_string(),
            });
        }
        ReplayCheck::Full => {
            return Err(SignatureError::Limit {
                what: "replay cache",
                limit: replay.capacity(),
            });
        }
    }

    // 7. Envelope ids, sender and receiver, from the same buffer.
    let envelope = envelope_ids(signature.typ, &buffer)?;
    match &envelope {
        Some(ids) => {
            let parsed = ids.to_ctl();
            if parsed != signature.ctl {
                return Err(SignatureError::ControlMismatch {
                    declared: signature.ctl.clone(),
                    parsed,
                });
            }
            if !key.senders.iter().any(|s| s.as_bytes() == ids.sender) {
                return Err(SignatureError::SenderNotAuthorized {
                    sender: String::from_utf8_lossy(&ids.sender).into_owned(),
                    partner: key.partner.clone(),
                });
            }
            if !options.our_ids.is_empty()
                && !options.our_ids.iter().any(|r| r.as_bytes() == ids.receiver)
            {
                return Err(SignatureError::ReceiverNotOurs(
                    String::from_utf8_lossy(&ids.receiver).into_owned(),
                ));
            }
        }
        None => {
            if let Some(agreed) = &options.agreed_ctl {
                let expected = encode_ctl_part(agreed.as_bytes());
                if expected != signature.ctl {
                    return Err(SignatureError::ControlMismatch {
                        declared: signature.ctl.clone(),
                        parsed: expected,
                    });
                }
            }
        }
    }
    Ok(Verified {
        partner: key.partner.clone(),
        signature,
        sha256,
        envelope,
    })
}

/// Verifies a document's detached signature lines (a `FILE.edisig` sidecar
/// or headers; `None` when the document came without any) and, when it
/// verifies and a ledger is given, records its control number (§4.3 steps
/// 1 to 8). Every outcome is a finding in `report`: `signature_missing`,
/// one of the `signature_*` failures, `signature_duplicate` /
/// `signature_control_number_conflict` from the ledger, or
/// `signature_verified`. This is what `ediguard check --keyring` runs for
/// each file.
///
/// # Examples
///
/// ```
/// use ediguard::integrity::edisig::{self, Key, KeyRing, MemoryReplayCache, VerifyOptions, check_signature};
/// use ediguard::integrity::ledger::MemoryLedger;
/// use ediguard::{Options, Report};
/// let ring = KeyRing::from_json(r#"{"keys":[{"kid":"k1","secret_hex":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f","partner":"acme","senders":["SENDERID"]}]}"#).unwrap();
/// let mut report = Report::new(None);
/// let cache = MemoryReplayCache::new(16);
/// check_signature(b"any payload", None, &ring, &cache, &VerifyOptions::at(0), None, &Options::default(), &mut report);
/// assert_eq!(report.findings()[0].rule, "signature_missing");
/// ```
#[allow(clippy::too_many_arguments)]
pub fn check_signature(
    payload: &[u8],
    lines: Option<&str>,
    ring: &KeyRing,
    replay: &dyn ReplayCache,
    verify_options: &VerifyOptions,
    ledger: Option<&dyn Ledger>,
    options: &crate::Options,
    report: &mut crate::Report,
) {
    let Some(lines) = lines.filter(|l| !l.trim().is_empty()) else {
        report.push(
            options,
            Finding::new(
                rules::SIGNATURE_MISSING,
                Location::at(0),
                "no EDISIG signature came with this document",
            ),
        );
        return;
    };
    let verified = match verify_lines(lines, payload, ring, replay, verify_options) {
        Ok(v) => v,
        Err(e) => {
            report.push(options, e.to_finding());
            return;
        }
    };
    if let Some(ledger) = ledger {
        if let Err(e) = verified.record(ledger) {
            report.push(options, e.to_finding());
            return;
        }
    }
    let sig = verified.signature();
    report.push(
        options,
        Finding::new(
            rules::SIGNATURE_VERIFIED,
            Location::at(0),
            format!(
                "signature verified: kid={} partner={} ctl={}",
                sig.kid(),
                verified.partner(),
                sig.ctl()
            ),
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_decoding_is_strict() {
        assert_eq!(decode_hex("00ff10Ab"), Some(vec![0, 255, 16, 171]));
        assert_eq!(decode_hex("0"), None);
        assert_eq!(decode_hex("zz"), None);
    }

    #[test]
    fn base64url_rejects_padding_and_trailing_bits() {
        assert!(decode_b64url::<16>("3q2-7wAAAAAAAAAAAAAAAA", "n").is_ok());
        // Last character 'B' leaves non-zero trailing bits.
        assert!(decode_b64url::<16>("3q2-7wAAAAAAAAAAAAAAAB", "n").is_err());
        assert!(decode_b64url::<16>("3q2-7wAAAAAAAAAAAAAAAA==", "n").is_err());
        assert!(decode_b64url::<16>("3q2+7wAAAAAAAAAAAAAAAA", "n").is_err());
    }

    #[test]
    fn ctl_charset() {
        assert!(check_ctl("ZZ/SENDER/ZZ/R%20X/1").is_ok());
        assert!(check_ctl("a%2fb").is_err());
        assert!(check_ctl("a b").is_err());
        assert!(check_ctl("a%2").is_err());
        assert!(check_ctl("").is_err());
    }

    #[test]
    fn eol1_honours_the_release_character() {
        let edi = b"UNB+UNOC:3+S+R+1+1'UNH+1+X:D:96A:UN+A?'\r\nB'\r\nUNZ+0+1'\n";
        let out = canonicalize(PayloadType::Edifact, Canon::Eol1, edi).unwrap();
        assert_eq!(
            &out[..],
            b"UNB+UNOC:3+S+R+1+1'UNH+1+X:D:96A:UN+A?'\r\nB'UNZ+0+1'"
        );
    }

    #[test]
    fn eol1_refuses_newline_terminators_and_bom() {
        let mut isa = b"ISA*00*          *00*          *ZZ*SENDERID       *ZZ*RECEIVERID     *240101*1200*U*00401*000000001*0*T*>\n".to_vec();
        let err = canonicalize(PayloadType::X12, Canon::Eol1, &isa).unwrap_err();
        assert_eq!(err.code(), "canon_not_allowed");
        isa[105] = b'~';
        assert!(canonicalize(PayloadType::X12, Canon::Eol1, &isa).is_ok());
        let mut bom = BOM.to_vec();
        bom.extend_from_slice(&isa);
        assert!(canonicalize(PayloadType::X12, Canon::Eol1, &bom).is_err());
        assert!(canonicalize(PayloadType::Edifact, Canon::Eol1, b"UNA:+.? \nUNB").is_err());
    }
}
