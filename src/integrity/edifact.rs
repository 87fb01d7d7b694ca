//! UN/EDIFACT envelope integrity (ISO 9735): control references and counts
//! of UNB/UNZ, UNG/UNE and UNH/UNT, duplicates, missing trailers, the UNA
//! and UNB headers, envelope dates and times, segment placement and the
//! character repertoire the syntax identifier declares.
//!
//! Unknown syntax identifiers (`IATA`, `IATB`, `ANSI`: outside code list
//! 0001 but of the four-letter shape) are reported as `header_malformed`
//! at **warning** severity, since such interchanges are common in airline
//! and medical traffic; anything else that is not a syntax identifier is
//! `header_malformed` at its default severity (error). Bare messages
//! (UNH..UNT without UNB) are reported once per run as `bare_message`
//! (warning), and their UNH/UNT pairs are still checked.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::edifact::{self, CharIssue, Charset, Interchange, NoteKind};
use crate::rules::{self, Rule};
use crate::syntax::{Element, Segment};
use crate::{Finding, Format, Location, Options, Report, Result, Severity};

/// Checks every interchange in `input`.
///
/// # Examples
///
/// ```
/// use ediguard::{integrity, Options};
/// let input = b"UNB+UNOA:3+NLFX:ZZZ+GLPAPER:ZZZ+261117:1600+42'UNH+1+IFTSTA:D:01B:UN'UNT+3+1'UNZ+1+42'";
/// let report = integrity::edifact::check(input, &Options::default()).unwrap();
/// assert_eq!(report.findings()[0].rule, "segment_count_mismatch");
/// assert_eq!(report.counts.messages, 1);
/// ```
pub fn check(input: &[u8], options: &Options) -> Result<Report> {
    let parsed = edifact::parse(input, &options.limits)?;
    let mut report = Report::new(Some(Format::Edifact));
    let mut c = Checker {
        options,
        report: &mut report,
    };
    for note in parsed.notes() {
        let rule = match note.kind {
            NoteKind::ByteOrderMark => rules::BYTE_ORDER_MARK,
            NoteKind::LeadingJunk => rules::LEADING_JUNK,
            NoteKind::TrailingData => rules::TRAILING_DATA,
            NoteKind::LineBreaks => rules::LINE_BREAKS,
            NoteKind::UnaMalformed => rules::HEADER_MALFORMED,
            NoteKind::UnexpectedSegment => rules::UNEXPECTED_SEGMENT,
            NoteKind::MissingMessageTrailer
            | NoteKind::MissingGroupTrailer
            | NoteKind::MissingInterchangeTrailer => rules::MISSING_TRAILER,
            NoteKind::BareMessage => rules::BARE_MESSAGE,
        };
        let msg = match note.kind {
            NoteKind::ByteOrderMark => {
                "UTF-8 byte-order mark before the first header (skipped)".into()
            }
            NoteKind::LeadingJunk => format!("{} bytes before the first UNA/UNB/UNH", note.count),
            NoteKind::TrailingData => format!("{} bytes outside any interchange", note.count),
            NoteKind::LineBreaks => format!(
                "line breaks or indentation between segments at {} places, first here",
                note.count
            ),
            NoteKind::UnaMalformed => note.detail.clone(),
            NoteKind::UnexpectedSegment => format!("segment {}", note.detail),
            NoteKind::MissingMessageTrailer => {
                format!("UNH has no UNT (recovered at {})", note.detail)
            }
            NoteKind::MissingGroupTrailer => {
                format!("UNG has no UNE (recovered at {})", note.detail)
            }
            NoteKind::MissingInterchangeTrailer => {
                format!("UNB has no UNZ (recovered at {})", note.detail)
            }
            NoteKind::BareMessage => "messages without a UNB/UNZ interchange envelope".into(),
        };
        c.push(Finding::new(rule, note.location, msg));
    }
    let mut interchange_refs = IcRefMap::with_capacity_and_hasher(
        parsed.interchanges().len(),
        BuildHasherDefault::default(),
    );
    for ic in parsed.interchanges() {
        c.interchange(ic, &mut interchange_refs);
    }
    Ok(report)
}

/// A small multiplicative hasher for control references (short byte
/// strings from the input; not exposed to adversarial collision concerns
/// beyond one interchange, and far cheaper than SipHash per message).
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type RefMap<'a> = HashMap<Cow<'a, [u8]>, usize, BuildHasherDefault<FxHasher>>;

/// Interchange control references by (sender, reference), borrowed from the
/// input.
type IcRefMap<'a> = HashMap<(Cow<'a, [u8]>, Cow<'a, [u8]>), usize, BuildHasherDefault<FxHasher>>;

struct Checker<'o, 'r> {
    options: &'o Options,
    report: &'r mut Report,
}

/// Parses a count or control number field: ASCII digits only.
fn number(e: &Element<'_>) -> Option<u64> {
    let b = e.as_bytes();
    if b.is_empty() || b.len() > 18 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

/// Bytes for a message: printable ASCII as is, others escaped, at most 40
/// bytes shown.
/// True when `b` is a valid UNB S004/0017 date of `digits` digits:
/// CCYYMMDD (8, syntax version 4) or YYMMDD (6, read as 20YY).
pub(crate) fn is_unb_date(b: &[u8], digits: usize) -> bool {
    b.len() == digits && b.iter().all(u8::is_ascii_digit) && {
        let n = |r: std::ops::Range<usize>| {
            b.get(r)
                .and_then(|x| std::str::from_utf8(x).ok())
                .and_then(|s| s.parse::<u32>().ok())
                .unwrap_or(0)
        };
        let (y, m, dd) = if digits == 8 {
            (n(0..4) as i32, n(4..6), n(6..8))
        } else {
            (2000 + n(0..2) as i32, n(2..4), n(4..6))
        };
        chrono::NaiveDate::from_ymd_opt(y, m, dd).is_some()
    }
}

/// True when `b` is a valid UNB S004/0019 time, HHMM.
pub(crate) fn is_unb_time(b: &[u8]) -> bool {
    match b {
        [h1, h2, m1, m2] if b.iter().all(u8::is_ascii_digit) => {
            (h1 - b'0') * 10 + (h2 - b'0') < 24 && (m1 - b'0') * 10 + (m2 - b'0') < 60
        }
        _ => false,
    }
}

fn show(b: &[u8]) -> String {
    b.get(..40).unwrap_or(b).escape_ascii().to_string()
}

impl Checker<'_, '_> {
    fn push(&mut self, f: Finding) {
        self.report.push(self.options, f);
    }

    fn interchange<'a>(&mut self, ic: &Interchange<'a>, refs: &mut IcRefMap<'a>) {
        let counts = &mut self.report.counts;
        counts.segments += ic.segment_count();
        counts.messages += ic.message_count();
        counts.groups += ic.group_count();
        if let Some(unb) = ic.header() {
            counts.interchanges += 1;
            // UNB elements 1..=5, split once.
            let mut els: [Option<Element<'a>>; 6] = [None; 6];
            for (slot, e) in els.iter_mut().skip(1).zip(unb.elements()) {
                *slot = Some(e);
            }
            let version = self.unb(&unb, &els);
            self.dates(els[4], version);
            self.interchange_trailer(ic, &unb, &els, refs);
        }
        self.groups(ic);
        self.messages(ic);
        self.characters(ic);
    }

    /// ISO 9735 UNB: S001 syntax identifier (0001 identifier, 0002 version),
    /// S002 sender (0004), S003 recipient (0010), S004 date/time (0017,
    /// 0019), 0020 interchange control reference are mandatory.
    fn unb(&mut self, unb: &Segment<'_>, els: &[Option<Element<'_>>; 6]) -> u8 {
        let mandatory: [(usize, usize, &str); 7] = [
            (1, 1, "S001/0001 syntax identifier"),
            (1, 2, "S001/0002 syntax version number"),
            (2, 1, "S002/0004 interchange sender identification"),
            (3, 1, "S003/0010 interchange recipient identification"),
            (4, 1, "S004/0017 date"),
            (4, 2, "S004/0019 time"),
            (5, 1, "0020 interchange control reference"),
        ];
        for (e, comp, what) in mandatory {
            let present = els
                .get(e)
                .copied()
                .flatten()
                .and_then(|el| el.component(comp))
                .is_some_and(|c| !c.is_empty());
            if !present {
                let loc = unb
                    .location()
                    .with_element(e as u32)
                    .with_component(comp as u32);
                self.push(Finding::new(
                    rules::HEADER_MALFORMED,
                    loc,
                    format!("UNB lacks mandatory {what}"),
                ));
            }
        }
        let s001 = els[1];
        if let Some(c) = s001.and_then(|e| e.component(1)) {
            let id = c.as_bytes();
            if !id.is_empty() && !Charset::is_known_identifier(id) {
                let shaped = id.len() == 4 && id.iter().all(u8::is_ascii_uppercase);
                let mut f = Finding::new(
                    rules::HEADER_MALFORMED,
                    c.location(),
                    format!(
                        "syntax identifier {} is not in code list 0001; only control bytes are checked",
                        show(id)
                    ),
                )
                .expected_found("UNOA..UNOY", show(id));
                if shaped {
                    f.severity = Severity::Warning;
                }
                self.push(f);
            }
        }
        // Interchange::syntax_version, from the element already split.
        let version = s001
            .and_then(|e| e.component(2))
            .and_then(|c| match c.as_bytes() {
                [d @ b'0'..=b'9'] => Some(d - b'0'),
                _ => None,
            });
        match version {
            Some(v @ 1..=4) => v,
            _ => {
                if let Some(c) = s001.and_then(|e| e.component(2)) {
                    if !c.is_empty() {
                        self.push(
                            Finding::new(
                                rules::HEADER_MALFORMED,
                                c.location(),
                                "syntax version number is not 1, 2, 3 or 4",
                            )
                            .expected_found("1..4", show(c.as_bytes())),
                        );
                    }
                }
                3
            }
        }
    }

    /// UNB S004: 0017 date YYMMDD (syntax versions 1-3) or CCYYMMDD
    /// (version 4), 0019 time HHMM.
    fn dates(&mut self, s004: Option<Element<'_>>, version: u8) {
        let Some(s004) = s004 else { return };
        if let Some(d) = s004.component(1).filter(|c| !c.is_empty()) {
            let b = d.as_bytes();
            let want = if version >= 4 { 8 } else { 6 };
            if !is_unb_date(b, want) {
                let fmt = if want == 8 { "CCYYMMDD" } else { "YYMMDD" };
                self.push(
                    Finding::new(
                        rules::INVALID_DATE,
                        d.location(),
                        format!(
                            "UNB S004/0017 is not a valid {fmt} date for syntax version {version}"
                        ),
                    )
                    .expected_found(fmt, show(b)),
                );
            }
        }
        if let Some(t) = s004.component(2).filter(|c| !c.is_empty()) {
            let b = t.as_bytes();
            if !is_unb_time(b) {
                self.push(
                    Finding::new(
                        rules::INVALID_TIME,
                        t.location(),
                        "UNB S004/0019 is not a valid HHMM time",
                    )
                    .expected_found("HHMM", show(b)),
                );
            }
        }
    }

    /// A trailer count element against what is present.
    fn count(
        &mut self,
        rule: Rule,
        trailer: &Segment<'_>,
        e: Option<Element<'_>>,
        what: &str,
        present: usize,
    ) {
        let Some(e) = e else {
            self.push(
                Finding::new(
                    rule,
                    trailer.location(),
                    format!("{} lacks its {what}", show(trailer.tag())),
                )
                .expected_found(present.to_string(), ""),
            );
            return;
        };
        if number(&e) != Some(present as u64) {
            self.push(
                Finding::new(
                    rule,
                    e.location(),
                    format!(
                        "{} says {} {what}, {present} present",
                        show(trailer.tag()),
                        show(e.as_bytes())
                    ),
                )
                .expected_found(present.to_string(), show(e.as_bytes())),
            );
        }
    }

    /// A trailer's control reference (element `t`) against the header's
    /// (element `h`).
    fn reference(
        &mut self,
        header: &Segment<'_>,
        h: Option<Element<'_>>,
        trailer: &Segment<'_>,
        t: Option<Element<'_>>,
    ) {
        let h = h.map(|e| e.value());
        let tv = t.map(|e| e.value());
        if h != tv {
            let loc = t.map_or(trailer.location(), |e| e.location());
            let hs = h.as_deref().map(show).unwrap_or_default();
            let ts = tv.as_deref().map(show).unwrap_or_default();
            self.push(
                Finding::new(
                    rules::CONTROL_NUMBER_MISMATCH,
                    loc,
                    format!(
                        "{} reference {ts} differs from {} reference {hs}",
                        show(trailer.tag()),
                        show(header.tag())
                    ),
                )
                .expected_found(hs, ts),
            );
        }
    }

    fn interchange_trailer<'a>(
        &mut self,
        ic: &Interchange<'a>,
        unb: &Segment<'a>,
        els: &[Option<Element<'a>>; 6],
        refs: &mut IcRefMap<'a>,
    ) {
        if let Some(r) = els[5] {
            let sender = els[2]
                .and_then(|e| e.component(1))
                .map_or(Cow::Borrowed(&[][..]), |c| c.value());
            let key = (sender, r.value());
            if let Some(&first) = refs.get(&key) {
                self.push(Finding::new(
                    rules::DUPLICATE_CONTROL_NUMBER,
                    r.location(),
                    format!(
                        "interchange control reference {} from sender {} repeats the UNB at byte {first}",
                        show(&key.1),
                        show(&key.0)
                    ),
                ));
            } else {
                refs.insert(key, unb.offset());
            }
        }
        let Some(unz) = ic.trailer() else { return };
        let mut unz_els = unz.elements();
        let (count, reference) = (unz_els.next(), unz_els.next());
        if ic.group_count() > 0 {
            self.count(
                rules::GROUP_COUNT_MISMATCH,
                &unz,
                count,
                "groups (0036)",
                ic.group_count(),
            );
        } else {
            self.count(
                rules::MESSAGE_COUNT_MISMATCH,
                &unz,
                count,
                "messages (0036)",
                ic.message_count(),
            );
        }
        self.reference(unb, els[5], &unz, reference);
    }

    fn groups<'a>(&mut self, ic: &Interchange<'a>) {
        let mut seen = RefMap::default();
        for g in ic.groups() {
            let Some(ung) = g.header() else { continue };
            let ung_ref = ung.element(5);
            if let Some(r) = ung_ref {
                let v = r.value();
                if let Some(&first) = seen.get(&v) {
                    self.push(Finding::new(
                        rules::DUPLICATE_CONTROL_NUMBER,
                        r.location(),
                        format!(
                            "group reference {} repeats the UNG at byte {first}",
                            show(&v)
                        ),
                    ));
                } else {
                    seen.insert(v, ung.offset());
                }
            }
            if let Some(une) = g.trailer() {
                let mut une_els = une.elements();
                let (count, reference) = (une_els.next(), une_els.next());
                self.count(
                    rules::MESSAGE_COUNT_MISMATCH,
                    &une,
                    count,
                    "messages (0060)",
                    g.message_count(),
                );
                self.reference(&ung, ung_ref, &une, reference);
            }
        }
    }

    fn messages<'a>(&mut self, ic: &Interchange<'a>) {
        let mut seen =
            RefMap::with_capacity_and_hasher(ic.message_count(), BuildHasherDefault::default());
        for m in ic.messages() {
            let Some(unh) = m.header() else { continue };
            let unh_ref = unh.element(1);
            if let Some(r) = unh_ref {
                let v = r.value();
                if let Some(&first) = seen.get(&v) {
                    self.push(Finding::new(
                        rules::DUPLICATE_CONTROL_NUMBER,
                        r.location(),
                        format!(
                            "message reference {} repeats the UNH at byte {first}",
                            show(&v)
                        ),
                    ));
                } else {
                    seen.insert(v, unh.offset());
                }
            }
            if let Some(unt) = m.trailer() {
                let mut unt_els = unt.elements();
                let (count, reference) = (unt_els.next(), unt_els.next());
                self.count(
                    rules::SEGMENT_COUNT_MISMATCH,
                    &unt,
                    count,
                    "segments (0074)",
                    m.segment_count(),
                );
                self.reference(&unh, unh_ref, &unt, reference);
            }
        }
    }

    /// ISO 9735-1 Annex A and code list 0001: each byte of every segment
    /// must belong to the declared repertoire (service characters declared
    /// by UNA are allowed); UNOW/UNOY data must be well-formed UTF-8. CR or
    /// LF inside a segment is reported as `line_break_in_segment`. The
    /// parser checks the bytes while framing the segments; this reports
    /// what it found.
    fn characters(&mut self, ic: &Interchange<'_>) {
        if ic.char_issues().is_empty() {
            return;
        }
        let charset = ic.charset();
        for issue in ic.char_issues() {
            match *issue {
                CharIssue::Byte(seg, i) => self.bad_byte(&seg, i, charset),
                CharIssue::Utf8(seg, i) => {
                    let at = seg.offset() + i;
                    self.push(Finding::new(
                        rules::INVALID_CHARACTER,
                        Location::at(at).with_segment(seg.ordinal()),
                        format!(
                            "byte {:#04x} at offset {at} is not well-formed UTF-8 (UNOW/UNOY)",
                            seg.as_bytes().get(i).copied().unwrap_or(0)
                        ),
                    ));
                }
            }
        }
    }

    fn bad_byte(&mut self, seg: &Segment<'_>, i: usize, charset: Charset) {
        let Some(&b) = seg.as_bytes().get(i) else {
            return;
        };
        let at = seg.offset() + i;
        let loc = Location::at(at).with_segment(seg.ordinal());
        if b == b'\r' || b == b'\n' {
            self.push(Finding::new(
                rules::LINE_BREAK_IN_SEGMENT,
                loc,
                format!(
                    "{} inside segment {}",
                    if b == b'\r' { "CR" } else { "LF" },
                    show(seg.tag())
                ),
            ));
            return;
        }
        let level = match charset {
            Charset::Unoa => "level A (UNOA)",
            Charset::Unob => "level B (UNOB)",
            Charset::Iso8859 => "ISO 8859 (UNOC..UNOM)",
            Charset::Iso2022 => "ISO 2022 (UNOX)",
            Charset::Utf8 => "ISO 10646 (UNOW/UNOY)",
            _ => "data (control byte)",
        };
        self.push(
            Finding::new(
                rules::INVALID_CHARACTER,
                loc,
                format!("byte {b:#04x} at offset {at} is outside the {level} repertoire"),
            )
            .expected_found(level, format!("{b:#04x}")),
        );
    }
}
