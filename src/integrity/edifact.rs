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
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};

use super::keys::{FoldState, StoredHash};
use super::parts::run_parts;
use crate::edifact::{CharIssue, Charset, Interchange, Note, NoteKind, Parser};
use crate::rules::{self, Rule};
use crate::syntax::{Element, Segment};
use crate::{Finding, Format, Location, Options, Report, Result, Severity};

/// Checks every interchange in `input`, and the integrated security
/// (ISO 9735-5/6: USH..UST groups, AUTACK recognition) of those holding
/// security segments; without a key ring in `options`, SHA-256 results are
/// verified and HMAC results reported unverified.
///
/// Findings come in this order: what the parser stepped over (notes), the
/// envelope rules interchange by interchange, then the security checks.
/// The input is read one interchange at a time; a large one is checked in
/// parts on up to [`Options::threads`] threads, with the same report.
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
    let keys = FoldState::new();
    let threads = options.threads().get().min(input.len() / PART_MIN);
    if threads > 1 {
        if let Some(run) = check_in_parts(input, options, &keys, threads, PART_MIN) {
            return Ok(run.into_report(options));
        }
    }
    Ok(run(input, options, &keys, 0, None)?.into_report(options))
}

/// Inputs are split for parallel checking into parts of at least this
/// many bytes.
const PART_MIN: usize = 4 << 20;

/// What [`run`] read from one part of the input.
struct Run<'a> {
    /// The parser's notes, without the line-break note.
    notes: Vec<Note>,
    /// The first line-break place and how many there were.
    line_breaks: Option<(usize, usize)>,
    envelope: Report,
    security: Report,
    refs: IcRefMap<'a>,
    /// True when it stopped at the boundary it was given.
    stopped: bool,
    /// Interchanges and segments read.
    totals: (usize, usize),
}

impl Run<'_> {
    /// The report a single pass gives: notes, envelope, security.
    fn into_report(self, options: &Options) -> Report {
        let mut report = Report::new(Some(Format::Edifact));
        // The parser keeps at most max_findings notes, this one last.
        let line_breaks = self
            .line_breaks
            .filter(|_| self.notes.len() < options.limits.max_findings)
            .map(|(first, n)| Note::new(NoteKind::LineBreaks, Location::at(first), n, ""));
        for note in self.notes.iter().chain(&line_breaks) {
            report.push(options, note_finding(note));
        }
        report.absorb(self.envelope, options);
        report.absorb(self.security, options);
        report
    }
}

/// Checks the interchanges from the boundary `from` on. With `stop`, it
/// stops when the next interchange would start exactly at `stop` with
/// nothing between (so what follows can be checked apart); when the
/// interchanges run past `stop` instead, it goes on to the end of input.
fn run<'a>(
    input: &'a [u8],
    options: &Options,
    keys: &FoldState,
    from: usize,
    stop: Option<usize>,
) -> Result<Run<'a>> {
    let mut envelope = Report::new(Some(Format::Edifact));
    let mut security = Report::new(Some(Format::Edifact));
    let mut refs = IcRefMap::default();
    let mut c = Checker {
        options,
        keys,
        report: &mut envelope,
    };
    let mut stop = stop;
    let mut stopped = false;
    let mut interchanges = Parser::new(input)
        .with_limits(options.limits.clone())
        .interchanges_from(from);
    while let Some(ic) = interchanges.next() {
        let ic = ic?;
        c.interchange(&ic, &mut refs);
        // Security segments are rare; the parser notes them, so their
        // checks cost nothing on the interchanges without them.
        if ic.has_security_segments() {
            super::security::edifact_interchange(
                input,
                &ic,
                options.keyring(),
                options,
                &mut security,
            );
        }
        interchanges.recycle(ic);
        if let Some(at) = stop {
            match interchanges.upcoming() {
                Some(next) if next == at => {
                    stopped = true;
                    break;
                }
                Some(next) if next < at => {}
                // Past the boundary (or a UNA read ahead): read on.
                _ => stop = None,
            }
        }
    }
    let line_breaks = interchanges.line_breaks();
    let totals = interchanges.totals();
    let mut notes = interchanges.take_notes();
    notes.retain(|n| n.kind != NoteKind::LineBreaks);
    Ok(Run {
        notes,
        line_breaks,
        envelope,
        security,
        refs,
        stopped,
        totals,
    })
}

/// Checks `input` in up to `threads` parts at once, split at interchange
/// boundaries, and joins the parts into what a single pass reads. Parts
/// are at least `part_min` bytes apart. `None` when that cannot be
/// guaranteed cheaply (no boundaries found, a part ran past its boundary,
/// an error or a limit, an interchange reference repeated across parts,
/// the notes limit reached): the caller then checks in one pass.
///
/// A boundary is only a guess ([`boundary_after`]); the part before it
/// confirms it by reading up to it, so a guess inside data costs time,
/// never a different answer.
fn check_in_parts<'a>(
    input: &'a [u8],
    options: &Options,
    keys: &FoldState,
    threads: usize,
    part_min: usize,
) -> Option<Run<'a>> {
    let runs = run_parts(input, threads, part_min, boundary_after, |from, stop| {
        run(input, options, keys, from, stop)
    })?;
    join(runs, options)
}

/// Joins the parts' runs (see [`check_in_parts`]).
fn join<'a>(runs: Vec<Result<Run<'a>>>, options: &Options) -> Option<Run<'a>> {
    let limits = &options.limits;
    let mut runs = runs.into_iter();
    let mut all = runs.next()?.ok()?;
    for part in runs {
        if !all.stopped {
            break;
        }
        let part = part.ok()?;
        if part.refs.keys().any(|k| all.refs.contains_key(k)) {
            return None;
        }
        let (interchanges, segments) = (all.totals.0 + part.totals.0, all.totals.1 + part.totals.1);
        if interchanges > limits.max_interchanges
            || segments > limits.max_segments
            || all.notes.len() + part.notes.len() >= limits.max_findings
        {
            return None;
        }
        all.notes.extend(part.notes);
        all.line_breaks = match (all.line_breaks, part.line_breaks) {
            (Some((first, a)), Some((_, b))) => Some((first, a + b)),
            (a, b) => a.or(b),
        };
        all.envelope.absorb(part.envelope, options);
        all.security.absorb(part.security, options);
        all.refs.extend(part.refs);
        all.totals = (interchanges, segments);
        all.stopped = part.stopped;
    }
    Some(all)
}

/// The first likely interchange boundary at or after `from`: a UNA or UNB
/// header that stands right after a UNZ segment (only layout between). A
/// guess, confirmed by the part before it (see [`check_in_parts`]). Looks
/// at most 1 MiB ahead.
fn boundary_after(input: &[u8], from: usize) -> Option<usize> {
    let window = input.get(from..)?;
    let window = &window[..window.len().min(1 << 20)];
    memchr::memmem::find_iter(window, b"UN")
        .map(|p| from + p)
        .find(|&at| {
            let rest = &input[at..];
            let header = rest.get(2).is_some_and(|&t| t == b'A' || t == b'B')
                && rest.get(3).is_some_and(|b| !b.is_ascii_alphanumeric());
            if !header {
                return false;
            }
            // Back over layout to the previous segment's terminator, then
            // to the start of that segment.
            let before = &input[..at];
            let Some(t) = before
                .iter()
                .rposition(|&b| !matches!(b, b'\r' | b'\n' | b'\t'))
            else {
                return false;
            };
            let terminator = before[t];
            let head = &before[t.saturating_sub(64)..t];
            let Some(p) = head.iter().rposition(|&b| b == terminator) else {
                return false;
            };
            let seg = &head[p + 1..];
            let seg = &seg[seg
                .iter()
                .take_while(|&&b| matches!(b, b'\r' | b'\n' | b'\t'))
                .count()..];
            seg.starts_with(b"UNZ")
        })
}

fn note_finding(note: &Note) -> Finding {
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
        NoteKind::ByteOrderMark => "UTF-8 byte-order mark before the first header (skipped)".into(),
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
    Finding::new(rule, note.location, msg)
}

/// Control references of messages and groups within one interchange,
/// mapped to the offset of their first use.
type RefMap<'a> = HashMap<Cow<'a, [u8]>, usize, FoldState>;

/// An interchange control reference with its sender (unescaped, borrowed
/// from the input when no release character intervenes) and its hash (see
/// [`StoredHash`]): the one collection of the check that grows with the
/// input.
#[derive(PartialEq, Eq)]
struct IcKey<'a> {
    hash: u64,
    sender: Cow<'a, [u8]>,
    reference: Cow<'a, [u8]>,
}

impl std::hash::Hash for IcKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// Interchange control references seen, with the offset of their UNB.
type IcRefMap<'a> = HashMap<IcKey<'a>, usize, BuildHasherDefault<StoredHash>>;

struct Checker<'o, 'r> {
    options: &'o Options,
    keys: &'o FoldState,
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
            let reference = r.value();
            let mut h = self.keys.build_hasher();
            // Each with its length, so the split between them counts.
            sender.hash(&mut h);
            reference.hash(&mut h);
            let key = IcKey {
                hash: h.finish(),
                sender,
                reference,
            };
            if let Some(&first) = refs.get(&key) {
                self.push(Finding::new(
                    rules::DUPLICATE_CONTROL_NUMBER,
                    r.location(),
                    format!(
                        "interchange control reference {} from sender {} repeats the UNB at byte {first}",
                        show(&key.reference),
                        show(&key.sender)
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
        let mut seen = RefMap::with_hasher(self.keys.clone());
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
        let mut seen = RefMap::with_capacity_and_hasher(ic.message_count(), self.keys.clone());
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Interchanges with a mix of defects (wrong counts and references,
    /// missing trailers, junk, a repeated reference now and then,
    /// security segments, groups, bare messages, escaped text), with or
    /// without UNA and line breaks, so parts start and stop in every kind
    /// of place.
    fn mixed_input(seed: u64, count: usize) -> Vec<u8> {
        let mut next = crate::integrity::parts::xorshift(seed);
        let nl = if seed % 2 == 0 { "\r\n" } else { "" };
        let mut out = Vec::new();
        for n in 1..=count {
            // Distinct references; for every third seed now and then a
            // repeat of an earlier one (a duplicate that may cross parts,
            // which makes the join give up).
            let r = if seed % 3 == 0 && next() % 13 == 0 {
                1 + next() as usize % n
            } else {
                n
            };
            let mut s = String::new();
            if next() % 3 == 0 {
                s.push_str("UNA:+.? '");
            }
            if next() % 29 == 0 {
                // Bare messages between interchanges.
                s.push_str(&format!("UNH+B{n}+IFTSTA:D:01B:UN'{nl}UNT+2+B{n}'{nl}"));
            }
            s.push_str(&format!(
                "UNB+UNOC:4+SENDER:ZZZ+RECEIVER:ZZZ+20261117:1600+{r}'{nl}"
            ));
            let groups = next() % 5 == 0;
            if groups {
                s.push_str(&format!("UNG+IFTSTA+S+R+20261117:1600+G{n}+UN+D:01B'{nl}"));
            }
            let messages = 1 + next() % 3;
            for m in 1..=messages {
                let count = if next() % 11 == 0 { 9 } else { 4 };
                let sec = if next() % 13 == 0 {
                    "USH+7+1+3+1+2+1'"
                } else {
                    ""
                };
                s.push_str(&format!(
                    "UNH+{m}+IFTSTA:D:01B:UN'{nl}{sec}BGM+23+P{n}?+{m}'{nl}FTX+AAI+++O?'HARA'{nl}UNT+{count}+{m}'{nl}"
                ));
            }
            if groups {
                s.push_str(&format!("UNE+{messages}+G{n}'{nl}"));
            }
            let total = if groups { 1 } else { messages };
            match next() % 17 {
                // Truncated: the next interchange begins before a UNZ.
                0 => {}
                // Junk between interchanges.
                1 => s.push_str(&format!("UNZ+{total}+{r}'{nl}garbage'{nl}")),
                // A wrong count.
                2 => s.push_str(&format!("UNZ+{}+{r}'{nl}", total + 1)),
                _ => s.push_str(&format!("UNZ+{total}+{r}'{nl}")),
            }
            out.extend_from_slice(s.as_bytes());
        }
        out
    }

    #[test]
    fn parts_give_the_single_pass_report() {
        let options = Options::default();
        let mut joined = 0;
        for seed in 0..40u64 {
            let input = mixed_input(seed, 60 + seed as usize);
            let single = run(&input, &options, &FoldState::new(), 0, None)
                .unwrap()
                .into_report(&options);
            assert!(
                single.findings().len() > 3,
                "seed {seed}: {:?}",
                single.findings()
            );
            for threads in [2, 3, 5] {
                let keys = FoldState::new();
                if let Some(parts) = check_in_parts(&input, &options, &keys, threads, 300) {
                    joined += 1;
                    assert_eq!(
                        serde_json::to_string(&parts.into_report(&options)).unwrap(),
                        serde_json::to_string(&single).unwrap(),
                        "seed {seed}, {threads} parts"
                    );
                }
            }
        }
        // Most inputs are split; the rest fall back to one pass.
        assert!(joined > 50, "only {joined} of 120 runs were split");
    }

    #[test]
    fn parts_of_damaged_input_give_the_single_pass_report() {
        // Service strings and stray bytes dropped anywhere, so cuts land
        // after UNZs inside released text, before UNAs that do not parse,
        // and in interchanges that never close.
        let options = Options::default();
        let pieces: [&[u8]; 8] = [
            b"UNZ+1+1'",
            b"'",
            b"?",
            b"UNA:+.? '",
            b"UNA",
            b"UNB+",
            b"\n",
            b"UNH+1+X'",
        ];
        let mut next = crate::integrity::parts::xorshift(0x9E37_79B9_7F4A_7C15);
        let mut joined = 0;
        for seed in 0..30u64 {
            let mut input = mixed_input(seed, 50);
            for _ in 0..20 {
                let x = next();
                let at = x as usize % input.len();
                let piece = pieces[(x >> 40) as usize % pieces.len()];
                input.splice(at..at, piece.iter().copied());
            }
            let single = run(&input, &options, &FoldState::new(), 0, None)
                .unwrap()
                .into_report(&options);
            for threads in [2, 4] {
                let keys = FoldState::new();
                if let Some(parts) = check_in_parts(&input, &options, &keys, threads, 200) {
                    joined += 1;
                    assert_eq!(
                        serde_json::to_string(&parts.into_report(&options)).unwrap(),
                        serde_json::to_string(&single).unwrap(),
                        "seed {seed}, {threads} parts"
                    );
                }
            }
        }
        assert!(joined > 20, "only {joined} of 60 runs were split");
    }

    #[test]
    fn boundaries_stand_after_a_unz() {
        let input = mixed_input(2, 10);
        let mut from = 0;
        let mut found = 0;
        while let Some(at) = boundary_after(&input, from) {
            assert!(input[at..].starts_with(b"UNA") || input[at..].starts_with(b"UNB"));
            let before = String::from_utf8_lossy(&input[..at]);
            assert!(
                before
                    .trim_end()
                    .rsplit('\'')
                    .nth(1)
                    .is_some_and(|s| s.trim_start().starts_with("UNZ")),
                "{at}"
            );
            found += 1;
            from = at + 1;
        }
        assert!(found > 3, "{found}");
        // "UNB" inside data is no boundary.
        let data = b"UNB+UNOC:4+S+R+20261117:1600+1'UNZ+0+1'FTX+AAI+++UNB+X'";
        assert_eq!(boundary_after(data, 32), None);
    }
}
