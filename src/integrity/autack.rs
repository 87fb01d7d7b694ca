//! AUTACK (ISO 9735-6), the secure authentication and acknowledgement
//! message: generation and verification of an AUTACK that secures other
//! interchanges (or groups or messages in them) with SHA-256 or
//! HMAC-SHA256.
//!
//! # What is implemented, clause by clause (`edi-security.md` §1.7)
//!
//! - Structure: "`UNH` · SG1 (`USH` · `USA`×3 · SG2(`USC` · `USA`×3 ·
//!   `USR`)×2) ×99 · `USB` · SG3(`USX` · `USY`×9) ×9999 · SG4(`UST` ·
//!   `USR`) ×99 · `UNT`". [`generate`] writes one USH (0501 = 9 integrity
//!   of a referenced structure for SHA-256, 8 origin authentication of a
//!   referenced structure for HMAC; scope 3; hex filter), one USA, USB,
//!   one SG3 per referenced interchange and one UST without USR (as in
//!   EANCOM, §1.7 step 4: "EANCOM's subset has no USR in SG4 and puts the
//!   (signed) value in USY"). UST 0588 counts the USH group and the UST.
//! - Verifying: "match USX to a stored interchange (0020 + sender +
//!   recipient) **and** check that USB's sender and recipient match.
//!   Recompute the digest over the stored bytes using the scope rule.
//!   Compare it with USY: directly for a hash, with the key for a MAC".
//!   Sender and recipient are compared on their identification (S002/0004,
//!   S003/0010). USX 0048 and 0062 narrow the structure to a group or a
//!   message.
//! - Scopes (§1.4): 3 is the whole structure, first character to last
//!   (UNB to the UNZ terminator, **UNA excluded**); 6 is UNH through the
//!   UNT terminator and needs a USX naming a message (0062). Other scopes
//!   are `autack_unsupported`.
//! - Algorithms: as in [`crate::integrity::edifact_security`]: 0523 = 1
//!   with 0527 = 48 is SHA-256, 0523 = 2 with 0527 = 48 is HMAC-SHA256
//!   with the key named in USA S503 (0531 = 9) or USH S500 0538. Signature
//!   (RSA) AUTACKs need crates this library does not have.
//! - "Security segments exist only in syntax version 4" (§1.1): the AUTACK
//!   interchange is written as `UNOC:4`; a referenced interchange may be any
//!   version.
//!
//! A SHA-256 AUTACK gives integrity only against accidental change: anyone
//! who can change the referenced interchange can change the AUTACK too.
//! The HMAC variant gives integrity and origin authentication between the
//! key holders, never non-repudiation.
//!
//! # Examples
//!
//! ```
//! use ediguard::integrity::autack::{generate, verify, AutackParams};
//! use ediguard::Options;
//! let ic = b"UNB+UNOC:3+SENDER:14+RECEIVER:14+240101:1200+INT1'UNH+1+INVOIC:D:01B:UN'BGM+380+1'UNT+3+1'UNZ+1+INT1'";
//! let autack = generate(&[&ic[..]], &AutackParams::sha256("AUT1", "20240101", "1205")).unwrap();
//! let report = verify(&autack, &[&ic[..]], None, &Options::default()).unwrap();
//! assert!(report.findings().is_empty(), "{:?}", report.findings());
//! let mut changed = ic.to_vec();
//! changed[70] ^= 1;
//! let report = verify(&autack, &[&changed[..]], None, &Options::default()).unwrap();
//! assert_eq!(report.findings()[0].rule, "autack_value_mismatch");
//! ```

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use hmac::Mac as _;
use sha2::{Digest as _, Sha256};

use super::edifact::{is_unb_date, is_unb_time};
use super::edifact_security::{
    Filter, HeaderGroup, KeyLookup, Mechanism, SHA256_CODE, Scope, Secured, SecurityResult,
    lookup_key, message_segments, whole_range,
};
use crate::edifact::{self, Interchange, Parsed, Writer};
use crate::integrity::edisig::{Key, KeyRing};
use crate::rules::{self, Rule};
use crate::syntax::{Delimiters, Element, Segment};
use crate::{Error, ErrorKind, Finding, Format, Limits, Location, Options, Report, Result};

/// How [`generate`] writes an AUTACK.
#[derive(Clone, Debug)]
pub struct AutackParams<'k> {
    control_reference: String,
    date: String,
    time: String,
    key: Option<(&'k str, &'k Key)>,
    filter: Filter,
}

impl<'k> AutackParams<'k> {
    /// SHA-256 over each referenced interchange; the AUTACK interchange has
    /// control reference `control_reference` and UNB date `CCYYMMDD` and
    /// time `HHMM`.
    pub fn sha256(
        control_reference: impl Into<String>,
        date: impl Into<String>,
        time: impl Into<String>,
    ) -> Self {
        AutackParams {
            control_reference: control_reference.into(),
            date: date.into(),
            time: time.into(),
            key: None,
            filter: Filter::Hex,
        }
    }

    /// HMAC-SHA256 with `key`, named `key_name` in USH S500 and USA S503.
    pub fn hmac_sha256(
        control_reference: impl Into<String>,
        date: impl Into<String>,
        time: impl Into<String>,
        key_name: &'k str,
        key: &'k Key,
    ) -> Self {
        AutackParams {
            key: Some((key_name, key)),
            ..AutackParams::sha256(control_reference, date, time)
        }
    }

    /// Writes the USY values with `filter` (hex or Base64).
    #[must_use]
    pub fn with_filter(mut self, filter: Filter) -> Self {
        self.filter = filter;
        self
    }
}

fn malformed(msg: impl Into<String>, at: usize) -> Error {
    Error::new(ErrorKind::Malformed, Location::at(at), msg)
}

/// Writes the unescaped components of `element` as components of the
/// current element.
fn copy_components(s: &mut edifact::SegmentWriter<'_>, element: Option<Element<'_>>) {
    match element {
        Some(e) => {
            for c in e.components() {
                s.component(&c.value());
            }
        }
        None => s.component(b""),
    }
}

fn value_of<'a>(seg: &Segment<'a>, element: usize, component: usize) -> Option<Cow<'a, [u8]>> {
    let c = seg.element(element)?.component(component)?;
    if c.is_empty() { None } else { Some(c.value()) }
}

fn structure_value(key: Option<&Key>, bytes: &[u8]) -> Vec<u8> {
    match key {
        Some(k) => {
            let mut m = k.mac();
            m.update(bytes);
            m.finalize().into_bytes().to_vec()
        }
        None => Sha256::digest(bytes).to_vec(),
    }
}

/// Generates an AUTACK interchange (UNB, one AUTACK message, UNZ) that
/// secures every interchange in `referenced` with scope 3 (the whole
/// interchange, UNB to UNZ). Its UNB sender and recipient, and USB, are
/// those of the first referenced interchange.
///
/// # Errors
///
/// When an input cannot be parsed, holds no interchange, or holds one
/// without UNB and UNZ ([`Error::input`] names which), when there is no interchange to
/// reference, when the date is not a CCYYMMDD date, the time not HHMM, or
/// the control reference not 1 to 14 characters (UNB 0020, an..14), or
/// when a value cannot be written.
pub fn generate(referenced: &[&[u8]], params: &AutackParams<'_>) -> Result<Vec<u8>> {
    if params.filter == Filter::Other {
        return Err(malformed(
            "only the hex and Base64 filters can be written",
            0,
        ));
    }
    if !is_unb_date(params.date.as_bytes(), 8) {
        return Err(malformed(
            format!(
                "the AUTACK date must be a CCYYMMDD date, got {:?}",
                params.date
            ),
            0,
        ));
    }
    if !is_unb_time(params.time.as_bytes()) {
        return Err(malformed(
            format!("the AUTACK time must be HHMM, got {:?}", params.time),
            0,
        ));
    }
    let reference_len = params.control_reference.chars().count();
    if !(1..=14).contains(&reference_len) {
        return Err(malformed(
            format!(
                "the AUTACK control reference (UNB 0020, an..14) must be 1 to 14 characters, got {reference_len}"
            ),
            0,
        ));
    }
    let d = edifact::default_delimiters(false, 4);
    let w = Writer::new(d);
    let mut body = Vec::new();
    let mut first: Option<(Parts, Parts)> = None;
    let mut sg3 = Vec::new();
    let mut count = 0usize;
    for (index, input) in referenced.iter().enumerate() {
        let parsed = edifact::parse(input, &Limits::default()).map_err(|e| e.in_input(index))?;
        if parsed.interchanges().is_empty() {
            return Err(malformed("no EDIFACT interchange in this input", 0).in_input(index));
        }
        for ic in parsed.interchanges() {
            let (Some(unb), Some(unz)) = (ic.header(), ic.trailer()) else {
                return Err(malformed(
                    "a referenced interchange needs UNB and UNZ",
                    ic.span().start,
                )
                .in_input(index));
            };
            let comps = |n| -> Vec<Vec<u8>> {
                unb.element(n)
                    .map(|e| e.components().map(|c| c.value().into_owned()).collect())
                    .unwrap_or_default()
            };
            if first.is_none() {
                first = Some((comps(2), comps(3)));
            }
            let bytes = input.get(whole_range(input, &unb, &unz)).unwrap_or(&[]);
            let value = structure_value(params.key.map(|(_, k)| k), bytes);
            let mut s = w.segment(&mut sg3);
            s.component(b"USX");
            s.element();
            s.component(&ic.control_reference().unwrap_or_default());
            s.element();
            copy_components(&mut s, unb.element(2));
            s.element();
            copy_components(&mut s, unb.element(3));
            s.end()?;
            let mut s = w.segment(&mut sg3);
            s.component(b"USY");
            s.element();
            s.component(b"1");
            s.element();
            s.component(b"1");
            s.component(params.filter.encode(&value).as_bytes());
            s.end()?;
            count += 2;
        }
    }
    let Some((sender, recipient)) = first else {
        return Err(malformed("no interchange to reference", 0));
    };
    let write_parts = |s: &mut edifact::SegmentWriter<'_>, parts: &[Vec<u8>]| {
        if parts.is_empty() {
            s.component(b"");
        }
        for p in parts {
            s.component(p);
        }
    };
    // SG1: USH + USA.
    let mut s = w.segment(&mut body);
    s.component(b"USH");
    s.element();
    s.component(if params.key.is_some() { b"8" } else { b"9" });
    s.element();
    s.component(b"1");
    s.element();
    s.component(Scope::Whole.code().as_bytes());
    s.element();
    s.component(b"1");
    s.element();
    s.component(params.filter.code().as_bytes());
    s.element();
    s.component(b"7");
    if let Some((name, _)) = params.key {
        s.element();
        s.element();
        s.component(b"1");
        s.component(name.as_bytes());
    }
    s.end()?;
    let mut s = w.segment(&mut body);
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
    // USB: response type 1, no date, sender and recipient.
    let mut s = w.segment(&mut body);
    s.component(b"USB");
    s.element();
    s.component(b"1");
    s.element();
    s.element();
    write_parts(&mut s, &sender);
    s.element();
    write_parts(&mut s, &recipient);
    s.end()?;
    body.extend_from_slice(&sg3);
    let mut s = w.segment(&mut body);
    s.component(b"UST");
    s.element();
    s.component(b"1");
    s.element();
    s.component(b"3");
    s.end()?;
    let segments = 3 + count + 1 + 2;
    let mut out = Vec::with_capacity(body.len() + 128);
    let mut s = w.segment(&mut out);
    s.component(b"UNB");
    s.element();
    s.component(b"UNOC");
    s.component(b"4");
    s.element();
    write_parts(&mut s, &sender);
    s.element();
    write_parts(&mut s, &recipient);
    s.element();
    s.component(params.date.as_bytes());
    s.component(params.time.as_bytes());
    s.element();
    s.component(params.control_reference.as_bytes());
    s.end()?;
    let mut s = w.segment(&mut out);
    s.component(b"UNH");
    s.element();
    s.component(b"1");
    s.element();
    s.component(b"AUTACK");
    s.component(b"4");
    s.component(b"1");
    s.component(b"UN");
    s.end()?;
    out.extend_from_slice(&body);
    let mut s = w.segment(&mut out);
    s.component(b"UNT");
    s.element();
    s.component(segments.to_string().as_bytes());
    s.element();
    s.component(b"1");
    s.end()?;
    let mut s = w.segment(&mut out);
    s.component(b"UNZ");
    s.element();
    s.component(b"1");
    s.element();
    s.component(params.control_reference.as_bytes());
    s.end()?;
    Ok(out)
}

/// The unescaped components of one composite (S002, S003).
type Parts = Vec<Vec<u8>>;

struct Referenced<'a> {
    input: &'a [u8],
    parsed: Parsed<'a>,
}

fn id_of<'a>(seg: &Segment<'a>, element: usize) -> Option<Cow<'a, [u8]>> {
    value_of(seg, element, 1)
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The structure a USX names, and the bytes of its scope.
struct Target<'a> {
    interchange: &'a Interchange<'a>,
    input: &'a [u8],
    range: Range<usize>,
    is_message: bool,
}

fn find_target<'a>(usx: &Segment<'_>, refs: &'a [Referenced<'a>]) -> Option<Target<'a>> {
    let control = id_of(usx, 1)?;
    let sender = id_of(usx, 2);
    let recipient = id_of(usx, 3);
    let group = id_of(usx, 4);
    let message = id_of(usx, 7);
    for r in refs {
        for ic in r.parsed.interchanges() {
            let Some(unb) = ic.header() else { continue };
            if ic.control_reference().as_deref() != Some(&control[..])
                || id_of(&unb, 2) != sender
                || id_of(&unb, 3) != recipient
            {
                continue;
            }
            let segs = ic.segments();
            let Some(last) = segs.last() else { continue };
            let mut range = whole_range(r.input, &unb, &last);
            if let Some(g) = &group {
                let found = ic
                    .groups()
                    .find(|x| x.reference().as_deref() == Some(&g[..]));
                let Some(found) = found else { continue };
                let (Some(ung), Some(une)) = (found.header(), found.trailer()) else {
                    continue;
                };
                range = whole_range(r.input, &ung, &une);
            }
            if let Some(m) = &message {
                let found = ic.messages().find(|x| {
                    x.reference().as_deref() == Some(&m[..])
                        && x.header().is_some_and(|h| range.contains(&h.offset()))
                });
                let Some(found) = found else { continue };
                let (Some(unh), Some(unt)) = (found.header(), found.trailer()) else {
                    continue;
                };
                range = whole_range(r.input, &unh, &unt);
            }
            return Some(Target {
                interchange: ic,
                input: r.input,
                range,
                is_message: message.is_some(),
            });
        }
    }
    None
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

fn verify_autack(
    input: &[u8],
    segs: &[Segment<'_>],
    closed: bool,
    refs: &[Referenced<'_>],
    ctx: &mut Ctx<'_, '_>,
) {
    let Some(unh) = segs.first() else { return };
    let sec = Secured::read(input, segs, closed);
    if sec.headers().is_empty() {
        ctx.push(
            rules::AUTACK_MALFORMED,
            unh.location(),
            "AUTACK without USH",
        );
        return;
    }
    if sec.trailers().is_empty() {
        ctx.push(
            rules::AUTACK_MALFORMED,
            unh.location(),
            "AUTACK without UST",
        );
    }
    let header_refs: Vec<Option<Cow<'_, [u8]>>> = sec
        .headers()
        .iter()
        .map(|g| g.header().and_then(|h| h.reference()))
        .collect();
    // Reference -> header group, built once (linear in the groups).
    let mut groups: HashMap<Cow<'_, [u8]>, &HeaderGroup<'_>> = HashMap::new();
    for (g, r) in sec.headers().iter().zip(header_refs) {
        if let Some(r) = r {
            groups.entry(r).or_insert(g);
        }
    }
    for t in sec.trailers() {
        let Some(ust) = t.trailer() else { continue };
        let known = ust.reference().is_some_and(|r| groups.contains_key(&r));
        if !known {
            ctx.push(
                rules::AUTACK_MALFORMED,
                ust.segment().location().with_element(1),
                "UST 0534 names no USH of the AUTACK",
            );
        }
    }
    let hcount: usize = sec.headers().iter().map(|g| g.segments().len()).sum();
    let rest = segs.get(1 + hcount..).unwrap_or(&[]);
    let Some(usb) = rest.first().filter(|s| s.is(b"USB")) else {
        ctx.push(
            rules::AUTACK_MALFORMED,
            unh.location(),
            "AUTACK without USB after its security header groups",
        );
        return;
    };
    let mut usx: Option<(Segment<'_>, Option<Target<'_>>)> = None;
    let mut seen_usx = false;
    for s in rest.iter().skip(1) {
        if s.is(b"USX") {
            seen_usx = true;
            let target = find_target(s, refs);
            if target.is_none() {
                ctx.push(
                    rules::AUTACK_REFERENCE_NOT_FOUND,
                    s.location(),
                    format!(
                        "no supplied interchange matches USX 0020 {:?} with its sender and recipient",
                        show(&id_of(s, 1).unwrap_or_default())
                    ),
                );
            }
            if let Some(t) = &target {
                check_identity(usb, t.interchange, ctx);
            }
            usx = Some((*s, target));
        } else if s.is(b"USY") {
            match &usx {
                None => ctx.push(rules::AUTACK_MALFORMED, s.location(), "USY before any USX"),
                Some((_, target)) => check_usy(s, target.as_ref(), &groups, ctx),
            }
        } else if s.is(b"UST") || s.is(b"UNT") {
            break;
        }
    }
    if !seen_usx {
        ctx.push(
            rules::AUTACK_MALFORMED,
            usb.location(),
            "AUTACK without USX",
        );
    }
}

fn check_identity(usb: &Segment<'_>, ic: &Interchange<'_>, ctx: &mut Ctx<'_, '_>) {
    let Some(unb) = ic.header() else { return };
    for (usb_el, unb_el, what) in [(3, 2, "sender"), (4, 3, "recipient")] {
        let a = id_of(usb, usb_el);
        let b = id_of(&unb, unb_el);
        if a != b {
            ctx.report.push(
                ctx.options,
                Finding::new(
                    rules::AUTACK_IDENTITY_MISMATCH,
                    usb.location().with_element(usb_el as u32),
                    format!("USB {what} differs from the referenced UNB {what}"),
                )
                .expected_found(show(&b.unwrap_or_default()), show(&a.unwrap_or_default())),
            );
        }
    }
}

fn check_usy(
    usy: &Segment<'_>,
    target: Option<&Target<'_>>,
    groups: &HashMap<Cow<'_, [u8]>, &HeaderGroup<'_>>,
    ctx: &mut Ctx<'_, '_>,
) {
    let loc = usy.location();
    let reference = id_of(usy, 1);
    let group = reference.as_ref().and_then(|r| groups.get(r).copied());
    let Some(group) = group else {
        ctx.push(
            rules::AUTACK_UNKNOWN_SECURITY_REFERENCE,
            loc.with_element(1),
            format!(
                "USY 0534 {:?} names no USH",
                show(&reference.unwrap_or_default())
            ),
        );
        return;
    };
    let Some(result) = SecurityResult::of(usy, 2) else {
        if id_of(usy, 3).is_some() {
            ctx.push(
                rules::AUTACK_REFUSAL,
                loc.with_element(3),
                format!(
                    "USY carries security error 0571 {:?}",
                    show(&id_of(usy, 3).unwrap_or_default())
                ),
            );
        } else {
            ctx.push(
                rules::AUTACK_MALFORMED,
                loc,
                "USY has neither S508 (0563=1) nor 0571",
            );
        }
        return;
    };
    let Some(target) = target else { return };
    let Some(h) = group.header() else { return };
    let scope_ok = match h.scope() {
        Scope::Whole => true,
        Scope::WholeMessage => target.is_message,
        _ => false,
    };
    if !scope_ok {
        ctx.push(
            rules::AUTACK_UNSUPPORTED,
            h.segment().location().with_element(3),
            format!(
                "scope {} cannot secure a referenced structure here (3, or 6 for a message)",
                h.scope().code()
            ),
        );
        return;
    }
    let usa = group.algorithms().find(|a| a.mechanism().is_some());
    let Some(mechanism) = usa.and_then(|a| a.mechanism()) else {
        ctx.push(
            rules::AUTACK_UNSUPPORTED,
            h.segment().location(),
            format!("no supported algorithm (SHA-256 or HMAC-SHA256, 0527={SHA256_CODE})"),
        );
        return;
    };
    let filter = h.filter();
    if filter == Filter::Other {
        ctx.push(
            rules::AUTACK_UNSUPPORTED,
            h.segment().location().with_element(5),
            "USH 0505 is not 2 (hex) or 7 (Base64)",
        );
        return;
    }
    let vloc = result.location();
    let Some(value) = result.value().and_then(|v| filter.decode(&v)) else {
        ctx.push(
            rules::AUTACK_MALFORMED,
            vloc,
            format!("USY 0560 is not valid {filter:?} text"),
        );
        return;
    };
    let bytes = target.input.get(target.range.clone()).unwrap_or(&[]);
    match mechanism {
        Mechanism::Sha256 => {
            let digest = Sha256::digest(bytes);
            if value[..] != digest[..] {
                ctx.report.push(
                    ctx.options,
                    Finding::new(
                        rules::AUTACK_VALUE_MISMATCH,
                        vloc,
                        "the SHA-256 of the referenced structure differs from USY",
                    )
                    .expected_found(filter.encode(&digest), filter.encode(&value)),
                );
            }
        }
        Mechanism::HmacSha256 => {
            let a = usa.and_then(|a| a.key_name());
            let k = h.key_name();
            match lookup_key(ctx.keys, a.as_deref(), k.as_deref()) {
                KeyLookup::Found(key) => {
                    let mut m = key.mac();
                    m.update(bytes);
                    if m.verify_slice(&value).is_err() {
                        ctx.push(
                            rules::AUTACK_VALUE_MISMATCH,
                            vloc,
                            "HMAC-SHA256 of the referenced structure does not verify",
                        );
                    }
                }
                KeyLookup::NoRing => ctx.push(
                    rules::AUTACK_UNVERIFIED,
                    vloc,
                    "HMAC USY not verified: no key ring given",
                ),
                KeyLookup::Mismatch(..) => ctx.push(
                    rules::AUTACK_UNKNOWN_KEY,
                    h.segment().location().with_element(8),
                    "USH S500 0538 and USA S503 name different keys",
                ),
                KeyLookup::Missing => ctx.push(
                    rules::AUTACK_UNKNOWN_KEY,
                    h.segment().location().with_element(8),
                    "the AUTACK names no key",
                ),
                KeyLookup::Unknown(n) | KeyLookup::Revoked(n) => ctx.push(
                    rules::AUTACK_UNKNOWN_KEY,
                    h.segment().location().with_element(8),
                    format!("key {n:?} is not in the key ring or is revoked"),
                ),
            }
        }
    }
}

/// True when `m` is an AUTACK message (UNH S009/0065 = `AUTACK`).
pub fn is_autack(m: &edifact::Message<'_, '_>) -> bool {
    m.message_type() == Some(b"AUTACK")
}

/// Verifies every AUTACK message in `autack` against the interchanges in
/// `referenced` (each a buffer holding one or more interchanges, exactly
/// as received: the scope is computed over these bytes).
///
/// The report's locations are in `autack` (with line and column), and its
/// counts are those of `autack`.
///
/// # Errors
///
/// Only when an input cannot be parsed at all; for an input of
/// `referenced`, [`Error::input`] names which.
pub fn verify(
    autack: &[u8],
    referenced: &[&[u8]],
    keys: Option<&KeyRing>,
    options: &Options,
) -> Result<Report> {
    let parsed = edifact::parse(autack, &options.limits)?;
    let mut refs = Vec::with_capacity(referenced.len());
    for (index, input) in referenced.iter().enumerate() {
        refs.push(Referenced {
            input,
            parsed: edifact::parse(input, &options.limits).map_err(|e| e.in_input(index))?,
        });
    }
    let mut report = Report::new(Some(Format::Edifact));
    for ic in parsed.interchanges() {
        let counts = &mut report.counts;
        counts.segments += ic.segment_count();
        counts.messages += ic.message_count();
        counts.groups += ic.group_count();
        counts.interchanges += usize::from(ic.header().is_some());
    }
    let mut ctx = Ctx {
        keys,
        options,
        report: &mut report,
    };
    let mut found = false;
    for ic in parsed.interchanges() {
        for m in ic.messages().filter(is_autack) {
            found = true;
            let segs: Vec<Segment<'_>> = message_segments(&m).collect();
            verify_autack(autack, &segs, m.trailer().is_some(), &refs, &mut ctx);
        }
    }
    if !found {
        ctx.push(
            rules::AUTACK_MALFORMED,
            Location::at(0),
            "no AUTACK message in the input",
        );
    }
    report.resolve_lines(autack);
    Ok(report)
}

/// The delimiters [`generate`] writes with (syntax 4 defaults, level A/C).
pub fn delimiters() -> Delimiters {
    edifact::default_delimiters(false, 4)
}
