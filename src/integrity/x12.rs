//! X12 envelope integrity: control numbers, counts, duplicates, trailers,
//! character set, ISA layout, envelope dates and times, segment placement,
//! and the ASC X12.58 security segments of the interchanges that hold them
//! ([`super::x12_security`]).
//!
//! Every rule runs over every interchange in one pass; findings are
//! collected, never stopping at the first, and each is located at the
//! segment (and element) at fault.
//!
//! Control numbers are compared as strings with surrounding spaces trimmed,
//! not as numbers: X12.5 says IEA02 "must be identical to the value in
//! ISA13", GE02 "must be identical to ... GS06", and X12.6 says SE02 "must
//! be identical to ... ST02", so `0001` and `1` differ.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};

use super::keys::{FoldState, StoredHash};
use super::parts::run_parts;
use crate::rules::{self, Rule};
use crate::syntax::Segment;
use crate::x12::{self, FunctionalGroup, Interchange, Parser, TransactionSet};
use crate::{Finding, Format, Location, Options, Report, Result};

/// Checks every interchange in `input` and returns the findings.
///
/// Only input that cannot be read at all is an error: no ISA header
/// ([`crate::ErrorKind::Unrecognized`]), an ISA too short to hold its
/// delimiters ([`crate::ErrorKind::Malformed`]), or an exceeded limit.
///
/// # Examples
///
/// ```
/// use ediguard::{integrity, Options};
/// let input = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~\
/// GS*QM*SENDER*RECEIVER*20240101*1200*1*X*004010~ST*214*0001~B10*1*2*NLFX~SE*4*0002~GE*1*1~IEA*1*000000001~";
/// let report = integrity::x12::check(input, &Options::default()).unwrap();
/// let rules: Vec<_> = report.findings().iter().map(|f| f.rule).collect();
/// assert_eq!(rules, ["segment_count_mismatch", "control_number_mismatch"]);
/// assert_eq!(report.findings()[0].location.segment, Some(4));
/// assert_eq!(report.counts.messages, 1);
/// ```
pub fn check(input: &[u8], options: &Options) -> Result<Report> {
    let threads = options.threads().get().min(input.len() / PART_MIN);
    if threads > 1 {
        if let Some(report) = check_in_parts(input, options, threads, PART_MIN) {
            return Ok(report);
        }
    }
    Ok(run(input, options, &FoldState::new(), 0, None)?.report)
}

/// Inputs are split for parallel checking into parts of at least this
/// many bytes.
const PART_MIN: usize = 4 << 20;

/// What [`run`] read: the report, the interchange keys it saw, how far it
/// got, and the parser's totals (interchanges, segments).
struct Run<'a> {
    report: Report,
    isa: IsaMap<'a>,
    /// True when it stopped at the boundary it was given.
    stopped: bool,
    totals: (usize, usize),
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
    let mut report = Report::new(Some(Format::X12));
    let mut seen = Seen {
        keys,
        isa: IsaMap::default(),
        gs: SeenSmall::default(),
        st: SeenSmall::default(),
    };
    let mut stop = stop;
    let mut interchanges = Parser::new(input)
        .with_limits(options.limits.clone())
        .interchanges_from(from);
    while let Some(ic) = interchanges.next() {
        let ic = ic?;
        let mut cx = Cx {
            report: &mut report,
            options,
        };
        cx.interchange(&ic, &mut seen);
        // X12.58 security segments are rare; the parser notes them, so
        // their checks cost nothing on the interchanges without them.
        if ic.has_security_segments() {
            super::x12_security::check_interchange(&ic, options, &mut report);
        }
        interchanges.recycle(ic);
        if let Some(at) = stop {
            match interchanges.upcoming() {
                Some(next) if next == at && !interchanges.has_pending() => {
                    return Ok(Run {
                        report,
                        isa: seen.isa,
                        stopped: true,
                        totals: interchanges.totals(),
                    });
                }
                Some(next) if next < at => {}
                // Past the boundary (or junk before it): read on.
                _ => stop = None,
            }
        }
    }
    Ok(Run {
        report,
        isa: seen.isa,
        stopped: false,
        totals: interchanges.totals(),
    })
}

/// Checks `input` in up to `threads` parts at once, split at interchange
/// boundaries, and joins the parts into the report a single pass gives.
/// Parts are at least `part_min` bytes apart. `None` when that cannot be
/// guaranteed cheaply (no boundaries found, a
/// part ran past its boundary, an error or a limit, an interchange key
/// repeated across parts, findings over the limit): the caller then checks
/// in one pass.
///
/// A boundary is only a guess ([`boundary_after`]); the part before it
/// confirms it by reading up to it, so a guess inside data costs time,
/// never a different answer.
fn check_in_parts(
    input: &[u8],
    options: &Options,
    threads: usize,
    part_min: usize,
) -> Option<Report> {
    // One key for every part, so interchange keys compare across parts.
    let keys = &FoldState::new();
    let runs = run_parts(input, threads, part_min, boundary_after, |from, stop| {
        run(input, options, keys, from, stop)
    })?;
    join(runs, options)
}

/// Joins the parts' runs (see [`check_in_parts`]).
fn join(runs: Vec<Result<Run<'_>>>, options: &Options) -> Option<Report> {
    let mut runs = runs.into_iter();
    let mut all = runs.next()?.ok()?;
    for part in runs {
        if !all.stopped {
            break;
        }
        let mut part = part.ok()?;
        if part.isa.keys().any(|k| all.isa.contains_key(k)) {
            return None;
        }
        let (interchanges, segments) = (all.totals.0 + part.totals.0, all.totals.1 + part.totals.1);
        if interchanges > options.limits.max_interchanges || segments > options.limits.max_segments
        {
            return None;
        }
        // Line breaks are noted once per input: a later part's note goes
        // when an earlier part made it.
        if all
            .report
            .findings()
            .iter()
            .any(|f| f.rule == rules::LINE_BREAKS.code)
        {
            part.report.remove_first(rules::LINE_BREAKS.code);
        }
        if !all.report.append(part.report) {
            return None;
        }
        all.isa.extend(part.isa);
        all.totals = (interchanges, segments);
        all.stopped = part.stopped;
    }
    Some(all.report)
}

/// The first likely interchange boundary at or after `from`: an ISA header
/// that stands right after an IEA segment (only line breaks or blanks
/// between). A guess, confirmed by the part before it (see
/// [`check_in_parts`]). Looks at most 1 MiB ahead.
fn boundary_after(input: &[u8], from: usize) -> Option<usize> {
    let window = input.get(from..)?;
    let window = &window[..window.len().min(1 << 20)];
    memchr::memmem::find_iter(window, b"ISA")
        .map(|p| from + p)
        .find(|&at| {
            let Some(t0) = crate::x12::isa_terminator(input, at) else {
                return false;
            };
            // Back over line breaks and blanks to the previous terminator,
            // then to the start of the segment it ends.
            let before = &input[..at];
            let Some(t) = before
                .iter()
                .rposition(|&b| !matches!(b, b'\r' | b'\n' | b' ' | b'\t'))
            else {
                return false;
            };
            if before[t] != t0 {
                return false;
            }
            let head = &before[t.saturating_sub(64)..t];
            let seg_start = match head.iter().rposition(|&b| b == t0) {
                Some(p) => t.saturating_sub(64) + p + 1,
                None => return false,
            };
            let seg = &before[seg_start..t];
            let seg = seg.trim_ascii_start();
            seg.starts_with(b"IEA")
        })
}

/// Control numbers already seen: interchanges (whole input), groups (this
/// interchange), sets (this group). Keys borrow the input.
struct Seen<'a, 'k> {
    /// The keyed hasher of interchange keys.
    keys: &'k FoldState,
    /// Each interchange key with the offset of the first ISA13 that used
    /// it: the one collection that grows with the input.
    isa: IsaMap<'a>,
    gs: SeenSmall<'a>,
    st: SeenSmall<'a>,
}

/// Control numbers of one envelope level mapped to the segment ordinal
/// that first used them. Groups hold a few sets, so a short list scanned
/// linearly is the fast case; past `SMALL` entries a hash map takes over,
/// so a large group stays linear overall.
#[derive(Default)]
struct SeenSmall<'a> {
    small: Vec<(&'a [u8], u32)>,
    large: HashMap<&'a [u8], u32, FoldState>,
}

const SMALL: usize = 16;

/// The key that makes an interchange a duplicate: ISA05, ISA06, ISA07,
/// ISA08 and ISA13, trimmed. Held as the ISA's bytes and five short ranges
/// into them (40 bytes) rather than as five slices (80 bytes): the map of
/// every interchange seen is the one structure of the check that grows
/// with the input. At a 1 GB input of ~1.3 KB interchanges, its table and
/// the one left behind while it grows took 18% of the input's size on top
/// of the input with 120-byte entries (five slices and the ISA segment);
/// with 48-byte entries (this key and the first ISA13's offset), 7%.
///
/// The key carries its hash (32 bits, from the check's keyed
/// [`FoldState`], in what would be padding): when the map grows, it
/// re-files its entries by that hash instead of hashing each key's fields
/// again, which read the ISAs back from all over the input (a cache miss
/// per interchange; 10% of a one-core check of 64,000 interchanges).
#[derive(Clone, Copy)]
struct IsaKey<'a> {
    isa: &'a [u8],
    fields: [(u16, u16); 5],
    hash: u32,
}

/// Interchange keys seen, with the offset of the first ISA13 that used
/// each.
type IsaMap<'a> = HashMap<IsaKey<'a>, usize, BuildHasherDefault<StoredHash>>;

impl<'a> IsaKey<'a> {
    const ELEMENTS: [usize; 5] = [5, 6, 7, 8, 13];

    fn new(ic: &Interchange<'a>, keys: &FoldState) -> Self {
        let input = ic.input();
        let start = ic.span().start;
        let mut end = start;
        let mut fields = [(0, 0); 5];
        for (slot, n) in fields.iter_mut().zip(Self::ELEMENTS) {
            let span = ic.isa_element_span(n).unwrap_or(start..start);
            let raw = input.get(span.clone()).unwrap_or_default();
            let lead = raw.len() - raw.trim_ascii_start().len();
            let trimmed = raw.trim_ascii().len();
            // The ISA is read within its first few hundred bytes, so the
            // offsets fit; an impossible overflow would give an empty field.
            let from = u16::try_from(span.start + lead - start).unwrap_or(u16::MAX);
            let len = u16::try_from(trimmed).unwrap_or(0);
            *slot = (from, len);
            end = end.max(span.end);
        }
        let mut key = IsaKey {
            isa: input.get(start..end).unwrap_or_default(),
            fields,
            hash: 0,
        };
        let mut h = keys.build_hasher();
        for i in 0..5 {
            // Each with its length, so the split between fields counts.
            key.field(i).hash(&mut h);
        }
        // The high half of the folded product, the better-mixed one.
        key.hash = (h.finish() >> 32) as u32;
        key
    }

    fn field(&self, i: usize) -> &'a [u8] {
        let (from, len) = self.fields[i];
        let from = usize::from(from);
        self.isa
            .get(from..from + usize::from(len))
            .unwrap_or_default()
    }
}

impl PartialEq for IsaKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && (0..5).all(|i| self.field(i) == other.field(i))
    }
}

impl Eq for IsaKey<'_> {}

impl std::hash::Hash for IsaKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u32(self.hash);
    }
}

impl<'a> SeenSmall<'a> {
    /// The ordinal that first used `key`, or `None` after recording
    /// `ordinal` for it.
    fn first_or_insert(&mut self, key: &'a [u8], ordinal: u32) -> Option<u32> {
        if self.small.len() < SMALL {
            if let Some(&(_, first)) = self.small.iter().find(|(k, _)| *k == key) {
                return Some(first);
            }
            self.small.push((key, ordinal));
            return None;
        }
        if let Some(&(_, first)) = self.small.iter().find(|(k, _)| *k == key) {
            return Some(first);
        }
        match self.large.entry(key) {
            Entry::Occupied(first) => Some(*first.get()),
            Entry::Vacant(v) => {
                v.insert(ordinal);
                None
            }
        }
    }

    fn clear(&mut self) {
        self.small.clear();
        if !self.large.is_empty() {
            self.large.clear();
        }
    }
}

/// Elements 1..=N of segment `seg` as slices of `input` (empty when
/// absent). X12 has no release character, so elements end at the next
/// element separator (X12.6 §3.4); this is [`Segment::element`] without
/// building a view per element.
fn fields<'a, const N: usize>(input: &'a [u8], seg: &Segment<'_>) -> [&'a [u8]; N] {
    let mut out: [&'a [u8]; N] = [&[]; N];
    let bytes = input.get(seg.span()).unwrap_or_default();
    let sep = seg.delimiters().element;
    let mut parts = bytes.split(move |&b| b == sep);
    parts.next();
    for (slot, part) in out.iter_mut().zip(parts) {
        *slot = part;
    }
    out
}

struct Cx<'r> {
    report: &'r mut Report,
    options: &'r Options,
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A segment tag for a message, with control bytes escaped.
fn tag(seg: &Segment<'_>) -> String {
    seg.tag().escape_ascii().to_string()
}

fn element_location(seg: &Segment<'_>, n: usize) -> Location {
    match seg.element(n) {
        Some(e) => e.location(),
        None => seg.location().with_element(n as u32),
    }
}

fn element_value<'a>(seg: &Segment<'a>, n: usize) -> &'a [u8] {
    seg.element(n).map(|e| e.as_bytes()).unwrap_or_default()
}

impl Cx<'_> {
    fn push(&mut self, f: Finding) {
        self.report.push(self.options, f);
    }

    fn on(&self, rule: Rule) -> bool {
        self.options.is_enabled(rule.code)
    }

    fn interchange<'a>(&mut self, ic: &Interchange<'a>, seen: &mut Seen<'a, '_>) {
        let counts = &mut self.report.counts;
        counts.interchanges += 1;
        counts.segments += ic.segment_count();
        counts.groups += ic.groups().len();
        counts.messages += ic
            .groups()
            .map(|g| g.transaction_sets().len())
            .sum::<usize>();
        for f in ic.framing() {
            self.push(f.clone());
        }
        self.isa(ic);
        if self.on(rules::DUPLICATE_CONTROL_NUMBER) {
            match seen.isa.entry(IsaKey::new(ic, seen.keys)) {
                Entry::Occupied(first) => {
                    self.push(Finding::new(
                        rules::DUPLICATE_CONTROL_NUMBER,
                        element_location(&ic.isa(), 13),
                        format!(
                            "ISA13 {} from {} to {} was already used by the interchange at byte {}",
                            show(ic.control_number()),
                            show(ic.sender_id()),
                            show(ic.receiver_id()),
                            first.get()
                        ),
                    ));
                }
                Entry::Vacant(v) => {
                    // Where ISA13 starts: read from the ISA's layout, as
                    // the key is (splitting the segment again per
                    // interchange cost 6% of the whole check).
                    let isa13 = ic.isa_element_span(13).map_or(ic.span().start, |r| r.start);
                    v.insert(isa13);
                }
            }
        }
        for ack in ic.acknowledgments() {
            let status = element_value(&ack, 4);
            let meaning = match status {
                b"A" => "accepted",
                b"E" => "accepted with errors",
                b"R" => "rejected",
                _ => "unknown status",
            };
            self.push(
                Finding::new(
                    rules::INTERCHANGE_ACKNOWLEDGMENT,
                    element_location(&ack, 4),
                    format!(
                        "TA1 acknowledges interchange {}: TA104 {} ({meaning}), note code {}",
                        show(element_value(&ack, 1)),
                        show(status),
                        show(element_value(&ack, 5))
                    ),
                )
                .expected_found("A, E or R", show(status)),
            );
        }
        for (seg, stray) in ic.strays() {
            self.push(Finding::new(
                rules::UNEXPECTED_SEGMENT,
                seg.location(),
                format!("{}: {}", tag(&seg), stray.reason()),
            ));
        }
        match ic.iea() {
            None => self.push(Finding::new(
                rules::MISSING_TRAILER,
                ic.location(),
                format!(
                    "interchange {} has no IEA trailer (input truncated or a new ISA began)",
                    show(ic.control_number())
                ),
            )),
            Some(iea) => {
                let [count, control] = fields(ic.input(), &iea);
                self.control(&iea, control, 2, ic.control_number(), "IEA02", "ISA13");
                self.count(
                    &iea,
                    count,
                    1,
                    ic.groups().len(),
                    rules::GROUP_COUNT_MISMATCH,
                    "IEA01",
                    "functional groups",
                );
            }
        }
        seen.gs.clear();
        for g in ic.groups() {
            self.group(ic.input(), &g, seen);
        }
        if self.on(rules::INVALID_CHARACTER) || self.on(rules::LINE_BREAK_IN_SEGMENT) {
            self.characters(ic);
        }
    }

    fn isa(&mut self, ic: &Interchange<'_>) {
        let isa = ic.isa();
        let loc = |n: usize| {
            Location::at(ic.isa_element_span(n).map_or(isa.offset(), |r| r.start))
                .with_segment(0)
                .with_element(n as u32)
        };
        if self.on(rules::ISA_MALFORMED) {
            for n in 1..=16 {
                let v = ic.isa_element(n);
                let want = x12::ISA_WIDTHS[n - 1];
                if v.len() != want {
                    self.push(
                        Finding::new(
                            rules::ISA_MALFORMED,
                            loc(n),
                            format!(
                                "ISA{n:02} is {} bytes wide; X12.5 fixes it at {want} (the ISA is 106 bytes with fixed-width elements)",
                                v.len()
                            ),
                        )
                        .expected_found(format!("{want} bytes"), format!("{} bytes: {:?}", v.len(), show(v))),
                    );
                }
            }
            for (n, what) in [(12, "version number ISA12"), (13, "control number ISA13")] {
                let v = ic.isa_element(n).trim_ascii();
                if v.is_empty() || !v.iter().all(u8::is_ascii_digit) {
                    self.push(
                        Finding::new(
                            rules::ISA_MALFORMED,
                            loc(n),
                            format!("the {what} must be numeric"),
                        )
                        .expected_found("digits", show(ic.isa_element(n))),
                    );
                }
            }
        }
        if let Err(e) = ic.date() {
            self.push(
                Finding::new(rules::INVALID_DATE, loc(9), format!("ISA09 {e}"))
                    .expected_found("YYMMDD", show(ic.isa_element(9))),
            );
        }
        if let Err(e) = ic.time() {
            self.push(
                Finding::new(rules::INVALID_TIME, loc(10), format!("ISA10 {e}"))
                    .expected_found("HHMM", show(ic.isa_element(10))),
            );
        }
    }

    /// Trailer element `n` of `trailer` (whose value is `raw`) must equal
    /// `header_value`.
    fn control(
        &mut self,
        trailer: &Segment<'_>,
        raw: &[u8],
        n: usize,
        header_value: &[u8],
        name: &str,
        header: &str,
    ) {
        let found = raw.trim_ascii();
        if found != header_value {
            self.push(
                Finding::new(
                    rules::CONTROL_NUMBER_MISMATCH,
                    element_location(trailer, n),
                    format!(
                        "{name} {:?} is not identical to {header} {:?}",
                        show(found),
                        show(header_value)
                    ),
                )
                .expected_found(show(header_value), show(found)),
            );
        }
    }

    /// Trailer count element `n` (whose value is `raw`) must equal
    /// `actual`.
    #[allow(clippy::too_many_arguments)]
    fn count(
        &mut self,
        trailer: &Segment<'_>,
        raw: &[u8],
        n: usize,
        actual: usize,
        rule: Rule,
        name: &str,
        what: &str,
    ) {
        let ok = x12::parse_count(raw).is_ok_and(|v| v == actual as u64);
        if !ok {
            self.push(
                Finding::new(
                    rule,
                    element_location(trailer, n),
                    format!(
                        "{name} says {:?} but {actual} {what} are present",
                        show(raw.trim_ascii())
                    ),
                )
                .expected_found(actual.to_string(), show(raw)),
            );
        }
    }

    fn group<'a>(&mut self, input: &'a [u8], g: &FunctionalGroup<'_>, seen: &mut Seen<'a, '_>) {
        let gs = g.gs();
        // One split of the GS serves every rule below.
        let [_, _, _, gs04, gs05, gs06, _, gs08] = fields::<8>(input, &gs);
        if let Err(e) = x12::gs_date(gs04, gs08.trim_ascii()) {
            self.push(
                Finding::new(
                    rules::INVALID_DATE,
                    element_location(&gs, 4),
                    format!("GS04 {e}"),
                )
                .expected_found("CCYYMMDD", show(gs04)),
            );
        }
        if let Err(e) = x12::parse_time(gs05) {
            self.push(
                Finding::new(
                    rules::INVALID_TIME,
                    element_location(&gs, 5),
                    format!("GS05 {e}"),
                )
                .expected_found("HHMM[SS[D[D]]]", show(gs05)),
            );
        }
        let control_number = gs06.trim_ascii();
        if let Some(first) = seen.gs.first_or_insert(control_number, gs.ordinal()) {
            self.push(Finding::new(
                rules::DUPLICATE_CONTROL_NUMBER,
                element_location(&gs, 6),
                format!(
                    "GS06 {} repeats the group control number of the GS at segment {} in this interchange",
                    show(control_number),
                    first
                ),
            ));
        }
        match g.ge() {
            None => self.push(Finding::new(
                rules::MISSING_TRAILER,
                gs.location(),
                format!(
                    "functional group {} has no GE trailer",
                    show(control_number)
                ),
            )),
            Some(ge) => {
                let [count, control] = fields(input, &ge);
                self.control(&ge, control, 2, control_number, "GE02", "GS06");
                self.count(
                    &ge,
                    count,
                    1,
                    g.transaction_sets().len(),
                    rules::MESSAGE_COUNT_MISMATCH,
                    "GE01",
                    "transaction sets",
                );
            }
        }
        seen.st.clear();
        for set in g.transaction_sets() {
            self.set(input, &set, &mut seen.st);
        }
    }

    fn set<'a>(&mut self, input: &'a [u8], set: &TransactionSet<'_>, seen: &mut SeenSmall<'a>) {
        let st = set.st();
        let [id, st02] = fields(input, &st);
        let control_number = st02.trim_ascii();
        if let Some(first) = seen.first_or_insert(control_number, st.ordinal()) {
            self.push(Finding::new(
                rules::DUPLICATE_CONTROL_NUMBER,
                element_location(&st, 2),
                format!(
                    "ST02 {} repeats the control number of the ST at segment {} in this group",
                    show(control_number),
                    first
                ),
            ));
        }
        match set.se() {
            None => self.push(Finding::new(
                rules::MISSING_TRAILER,
                st.location(),
                format!(
                    "transaction set {} {} has no SE trailer",
                    show(id),
                    show(control_number)
                ),
            )),
            Some(se) => {
                let [count, control] = fields(input, &se);
                self.count(
                    &se,
                    count,
                    1,
                    set.segment_count(),
                    rules::SEGMENT_COUNT_MISMATCH,
                    "SE01",
                    "segments (ST to SE inclusive)",
                );
                self.control(&se, control, 2, control_number, "SE02", "ST02");
            }
        }
    }

    /// Scans every segment for bytes outside the X12 basic and extended
    /// character sets (X12.6 §3.3: printable ASCII, 0x20..=0x7E) that are
    /// not this interchange's delimiters. A BIN segment's binary data is not
    /// scanned. One finding per segment and kind, at the first such byte.
    fn characters(&mut self, ic: &Interchange<'_>) {
        // The parser already tested every segment against the table below
        // while scanning; only the segments it set aside can hold such a
        // byte.
        let mut suspects = ic.suspect_segments().peekable();
        if suspects.peek().is_none() {
            return;
        }
        let d = ic.delimiters();
        let mut table = [false; 256];
        for b in 0x20..=0x7Eu8 {
            table[b as usize] = true;
        }
        for b in [d.element, d.component].into_iter().chain(d.repetition) {
            table[b as usize] = true;
        }
        let input = ic.input();
        for seg in suspects {
            let mut bytes = seg.as_bytes();
            if bytes.starts_with(b"BIN") {
                if let Some(data) = x12::bin_data(input, seg.offset(), d.element) {
                    bytes = &bytes[..data.start.saturating_sub(seg.offset()).min(bytes.len())];
                }
            }
            if all_allowed(bytes, &table) {
                continue;
            }
            self.report_characters(&seg, bytes, &table);
        }
    }

    fn report_characters(&mut self, seg: &Segment<'_>, bytes: &[u8], table: &[bool; 256]) {
        let sep = seg.delimiters().element;
        let mut first_break: Option<usize> = None;
        let mut first_bad: Option<usize> = None;
        let mut bad = 0usize;
        for (i, &b) in bytes.iter().enumerate() {
            if table[b as usize] {
                continue;
            }
            if b == b'\r' || b == b'\n' {
                first_break.get_or_insert(i);
            } else {
                first_bad.get_or_insert(i);
                bad += 1;
            }
        }
        let locate = |i: usize| {
            let n = bytes[..i].iter().filter(|&&b| b == sep).count();
            let loc = Location::at(seg.offset() + i).with_segment(seg.ordinal());
            if n == 0 {
                loc
            } else {
                loc.with_element(n as u32)
            }
        };
        if let Some(i) = first_break {
            self.push(Finding::new(
                rules::LINE_BREAK_IN_SEGMENT,
                locate(i),
                format!(
                    "a {} inside the {} segment (hard-wrapped file?); line breaks may only follow segment terminators",
                    if bytes[i] == b'\r' { "CR" } else { "LF" },
                    tag(seg)
                ),
            ));
        }
        if let Some(i) = first_bad {
            let more = if bad > 1 {
                format!(" ({} such bytes in this segment)", bad)
            } else {
                String::new()
            };
            self.push(
                Finding::new(
                    rules::INVALID_CHARACTER,
                    locate(i),
                    format!(
                        "byte 0x{:02X} in the {} segment is outside the X12 basic and extended character sets{more}",
                        bytes[i],
                        tag(seg)
                    ),
                )
                .expected_found("printable ASCII or a delimiter", format!("0x{:02X}", bytes[i])),
            );
        }
    }
}

/// True when every byte of `bytes` is allowed by `table`. Chunks of
/// printable ASCII (the common case) are accepted with a branch-free test
/// that the compiler vectorises; only chunks holding another byte consult
/// the table.
#[inline]
fn all_allowed(bytes: &[u8], table: &[bool; 256]) -> bool {
    let mut chunks = bytes.chunks_exact(32);
    for chunk in &mut chunks {
        let mut odd = 0u8;
        for &b in chunk {
            odd |= u8::from(b.wrapping_sub(0x20) > 0x5E);
        }
        if odd != 0 && !chunk.iter().all(|&b| table[b as usize]) {
            return false;
        }
    }
    chunks.remainder().iter().all(|&b| table[b as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_map_entries_stay_small() {
        // See `IsaKey`: these entries are the check's memory beyond the input.
        assert!(std::mem::size_of::<(IsaKey<'_>, usize)>() <= 48);
    }

    #[test]
    fn seen_small_finds_repeats_before_and_after_the_switch_to_a_map() {
        let keys: Vec<String> = (0..100).map(|i| format!("{i:04}")).collect();
        let mut seen = SeenSmall::default();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(seen.first_or_insert(k.as_bytes(), i as u32), None, "{k}");
        }
        // Repeats of keys held in the list and in the map.
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(
                seen.first_or_insert(k.as_bytes(), 999),
                Some(i as u32),
                "{k}"
            );
        }
        seen.clear();
        assert_eq!(seen.first_or_insert(b"0050", 7), None);
        assert_eq!(seen.first_or_insert(b"0050", 8), Some(7));
    }

    /// Interchanges with a mix of defects, joined with or without line
    /// breaks, so parts start and stop in every kind of place.
    fn mixed_input(seed: u64, count: usize) -> Vec<u8> {
        let mut next = crate::integrity::parts::xorshift(seed);
        let breaks = seed % 2 == 0;
        let nl = if breaks { "\n" } else { "" };
        let mut out = Vec::new();
        for n in 1..=count {
            // Distinct control numbers; for every third seed now and then
            // a repeat of an earlier one (a duplicate that may cross parts,
            // which makes the join give up).
            let icn = if seed % 3 == 0 && next() % 13 == 0 {
                1 + next() as usize % n
            } else {
                n
            };
            let sets = 1 + next() % 3;
            let mut s = format!(
                "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*{icn:09}*0*P*>~{nl}GS*QM*SENDER*RECEIVER*20240101*1200*{n}*X*004010~{nl}"
            );
            for st in 1..=sets {
                let count = if next() % 11 == 0 { 9 } else { 4 };
                s.push_str(&format!(
                    "ST*214*{st:04}~{nl}B10*P{n}*S{n}*SCAC~{nl}L11*X*BM~{nl}SE*{count}*{st:04}~{nl}"
                ));
            }
            s.push_str(&format!("GE*{sets}*{n}~{nl}"));
            match next() % 17 {
                // Truncated: the next ISA begins before an IEA.
                0 => {}
                // Junk between interchanges.
                1 => s.push_str(&format!("IEA*1*{icn:09}~{nl}garbage~{nl}")),
                _ => s.push_str(&format!("IEA*1*{icn:09}~{nl}")),
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
                .report;
            for threads in [2, 3, 5] {
                if let Some(parts) = check_in_parts(&input, &options, threads, 300) {
                    joined += 1;
                    assert_eq!(
                        serde_json::to_string(&parts).unwrap(),
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
    fn boundaries_stand_after_an_iea() {
        let input = mixed_input(2, 10);
        let mut from = 0;
        while let Some(at) = boundary_after(&input, from) {
            assert!(input[at..].starts_with(b"ISA"));
            let before = String::from_utf8_lossy(&input[..at]);
            assert!(
                before
                    .trim_end()
                    .rsplit('~')
                    .nth(1)
                    .is_some_and(|s| s.trim_start().starts_with("IEA")),
                "{at}"
            );
            from = at + 1;
        }
        // "ISA" inside data is no boundary.
        let data = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~N1*ISA*00~";
        assert_eq!(boundary_after(data, 1), None);
    }

    #[test]
    fn fields_table() {
        let input = b"xxSE*12*0001~GE~ST*~";
        let d = crate::syntax::Delimiters::X12_DEFAULT;
        let cases: &[(std::ops::Range<usize>, [&[u8]; 3])] = &[
            (2..12, [b"12", b"0001", b""]),
            (13..15, [b"", b"", b""]),
            (16..19, [b"", b"", b""]),
        ];
        for (span, want) in cases {
            let seg = Segment::new(&input[span.clone()], span.start, 1, d);
            assert_eq!(fields::<3>(input, &seg), *want, "{span:?}");
            for (n, w) in want.iter().enumerate() {
                assert_eq!(element_value(&seg, n + 1), *w, "{span:?} element {}", n + 1);
            }
        }
    }

    #[test]
    fn all_allowed_table() {
        let mut table = [false; 256];
        for b in 0x20..=0x7Eu8 {
            table[b as usize] = true;
        }
        table[0x1E] = true;
        let long_ok = vec![b'A'; 100];
        let mut long_bad = long_ok.clone();
        long_bad[70] = 0x07;
        let mut long_delim = long_ok.clone();
        long_delim[5] = 0x1E;
        let cases: &[(&[u8], bool)] = &[
            (b"", true),
            (b"N1*SH*ACME", true),
            (b"N1*SH*\x07", false),
            (b"N1*\xC3\xA9", false),
            (b"A\x1EB", true),
            (&long_ok, true),
            (&long_bad, false),
            (&long_delim, true),
            (b"A\x7F", false),
        ];
        for (input, expected) in cases {
            assert_eq!(all_allowed(input, &table), *expected, "{input:?}");
        }
    }
}
