//! Borrowed views of an interchange: functional groups, transaction sets,
//! segments.

use std::ops::Range;

use chrono::{NaiveDate, NaiveTime};

use super::isa::IsaShape;
use super::parser::ordinal;
use super::scan::Tag;
use super::value::{ValueError, parse_ccyymmdd, parse_hhmm, parse_time, parse_yymmdd};
use crate::syntax::{Delimiters, Segment};
use crate::{Finding, Location};

/// Why a segment stands where it may not (see
/// [`Interchange::strays`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Stray {
    /// A data segment outside ST/SE.
    OutsideSet,
    /// ST outside GS/GE.
    StOutsideGroup,
    /// SE with no open ST.
    SeWithoutSt,
    /// GE with no open GS.
    GeWithoutGs,
    /// TA1, ISB or ISE inside a functional group.
    InterchangeLevelInsideGroup,
}

impl Stray {
    /// Why the segment is out of place, for a person.
    pub fn reason(self) -> &'static str {
        super::parser::stray_reason(self)
    }
}

#[derive(Clone, Debug)]
struct GroupIndex {
    gs: usize,
    ge: Option<usize>,
    /// Last segment index of the group (GE, or the last one before what
    /// closed it).
    last: usize,
    sets: Range<usize>,
}

#[derive(Clone, Debug)]
struct SetIndex {
    st: usize,
    se: Option<usize>,
    last: usize,
}

/// One interchange (ISA ... IEA): its segments, functional groups and
/// envelope values, borrowing the input.
///
/// Built by [`super::Parser`]. It holds one `Vec` of segment boundaries and
/// a small structure index; segments and elements are produced lazily.
///
/// # Examples
///
/// ```
/// use ediguard::x12::Parser;
/// let input = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*000000007*0*P*:~IEA*0*000000007~";
/// let ic = Parser::new(input).interchanges().next().unwrap().unwrap();
/// assert_eq!(ic.control_number(), b"000000007");
/// assert_eq!(ic.version(), b"00501");
/// assert_eq!(ic.delimiters().repetition, Some(b'^'));
/// assert_eq!(ic.date().unwrap().to_string(), "2024-01-01");
/// assert_eq!(ic.span(), 0..input.len());
/// ```
#[derive(Clone, Debug)]
pub struct Interchange<'a> {
    input: &'a [u8],
    span: Range<usize>,
    isa: IsaShape,
    delimiters: Delimiters,
    terminator: &'a [u8],
    segs: Vec<Range<usize>>,
    iea: Option<usize>,
    groups: Vec<GroupIndex>,
    sets: Vec<SetIndex>,
    acks: Vec<usize>,
    strays: Vec<(usize, Stray)>,
    /// Segments holding a byte outside printable ASCII that is not a
    /// delimiter (found while scanning; judged by the integrity rules).
    suspects: Vec<usize>,
    framing: Vec<Finding>,
    security: bool,
}

const GS: u64 = Tag::of(b"GS").key();
const ST: u64 = Tag::of(b"ST").key();
const SE: u64 = Tag::of(b"SE").key();
const GE: u64 = Tag::of(b"GE").key();
const TA1: u64 = Tag::of(b"TA1").key();
const ISB: u64 = Tag::of(b"ISB").key();
const ISE: u64 = Tag::of(b"ISE").key();

/// The index memory of an interchange that was checked and dropped, handed
/// back to the parser so the next interchange reuses it instead of
/// allocating (see [`super::Interchanges::recycle`]). Every `Vec` is empty.
#[derive(Clone, Debug, Default)]
pub(crate) struct Buffers {
    pub(crate) segs: Vec<Range<usize>>,
    pub(crate) suspects: Vec<usize>,
    groups: Vec<GroupIndex>,
    sets: Vec<SetIndex>,
    acks: Vec<usize>,
    strays: Vec<(usize, Stray)>,
}

/// The group and set index, built one segment at a time while the parser
/// scans (so segment tags are looked at once, while the bytes are hot).
#[derive(Debug, Default)]
pub(crate) struct Structure {
    groups: Vec<GroupIndex>,
    sets: Vec<SetIndex>,
    acks: Vec<usize>,
    strays: Vec<(usize, Stray)>,
    group: Option<GroupIndex>,
    set: Option<SetIndex>,
    /// Inside an ST that has no GS: its segments are not strays of their
    /// own (the ST was reported).
    orphan: bool,
    stray_run: bool,
    /// An ASC X12.58 security segment (S1S..S4A, SVA) was seen.
    security: bool,
}

/// Three-byte tags beginning with `S`: the only shape X12.58 tags have.
const S3_MASK: u64 = 0xFF_0000_00FF;
const S3: u64 = (3 << 32) | b'S' as u64;

/// Whether a three-byte `S..` tag key names an X12.58 segment, and whether
/// that segment belongs at functional-group level (S1S/S1E/S1A,
/// S3S/S3E/S3A and SVA, which stand between GS and ST or after SE).
#[cold]
fn security_tag(key: u64) -> Option<bool> {
    let [_, level, kind, ..] = key.to_le_bytes();
    match (level, kind) {
        (b'1' | b'3', b'S' | b'E' | b'A') => Some(true),
        (b'2' | b'4', b'S' | b'E' | b'A') => Some(false),
        (b'V', b'A') => Some(true),
        _ => None,
    }
}

impl Structure {
    /// An empty index that fills the vectors of `spare`.
    pub(crate) fn reusing(spare: &mut Buffers) -> Self {
        Structure {
            groups: std::mem::take(&mut spare.groups),
            sets: std::mem::take(&mut spare.sets),
            acks: std::mem::take(&mut spare.acks),
            strays: std::mem::take(&mut spare.strays),
            ..Structure::default()
        }
    }

    /// Takes segment `i` (neither the ISA nor the IEA) with its tag.
    #[inline]
    pub(crate) fn segment(&mut self, i: usize, tag: Tag) {
        let mut is_stray_data = false;
        let tag = tag.key();
        match tag {
            GS => {
                self.close_set();
                self.orphan = false;
                self.close_group();
                self.group = Some(GroupIndex {
                    gs: i,
                    ge: None,
                    last: i,
                    sets: self.sets.len()..self.sets.len(),
                });
            }
            ST => {
                self.close_set();
                if self.group.is_some() {
                    self.set = Some(SetIndex {
                        st: i,
                        se: None,
                        last: i,
                    });
                    self.orphan = false;
                } else {
                    self.strays.push((i, Stray::StOutsideGroup));
                    self.orphan = true;
                }
            }
            SE => {
                if let Some(mut s) = self.set.take() {
                    s.se = Some(i);
                    s.last = i;
                    self.sets.push(s);
                    if let Some(g) = self.group.as_mut() {
                        g.last = i;
                    }
                } else if self.orphan {
                    self.orphan = false;
                } else {
                    self.strays.push((i, Stray::SeWithoutSt));
                }
            }
            GE => {
                self.close_set();
                self.orphan = false;
                match self.group.take() {
                    Some(mut g) => {
                        g.ge = Some(i);
                        g.last = i;
                        g.sets.end = self.sets.len();
                        self.groups.push(g);
                    }
                    None => self.strays.push((i, Stray::GeWithoutGs)),
                }
            }
            TA1 | ISB | ISE => {
                if self.group.is_some() || self.set.is_some() || self.orphan {
                    self.strays.push((i, Stray::InterchangeLevelInsideGroup));
                } else if tag == TA1 {
                    self.acks.push(i);
                }
            }
            _ => {
                // X12.58 tags are three bytes starting with `S`; one mask
                // keeps the common case to a compare.
                let security = if tag & S3_MASK == S3 {
                    security_tag(tag)
                } else {
                    None
                };
                self.security |= security.is_some();
                if self.set.is_some() {
                    self.data(i);
                    return;
                } else if let (Some(true), Some(g)) = (security, self.group.as_mut()) {
                    // Group-level security segments belong between GS and
                    // ST (or after SE), so they are no strays there; their
                    // placement and pairing are judged by
                    // `integrity::x12_security`.
                    g.last = i;
                } else if !self.orphan {
                    is_stray_data = true;
                    if !self.stray_run {
                        self.strays.push((i, Stray::OutsideSet));
                    }
                }
            }
        }
        self.stray_run = is_stray_data;
    }

    /// Takes segment `i`, a data segment (no envelope, acknowledgment or
    /// X12.58 tag).
    #[inline]
    pub(crate) fn data(&mut self, i: usize) {
        match self.set.as_mut() {
            Some(s) => {
                s.last = i;
                if let Some(g) = self.group.as_mut() {
                    g.last = i;
                }
                self.stray_run = false;
            }
            None => {
                if !self.orphan {
                    if !self.stray_run {
                        self.strays.push((i, Stray::OutsideSet));
                    }
                    self.stray_run = true;
                } else {
                    self.stray_run = false;
                }
            }
        }
    }

    /// Closes what is still open at the end of the interchange.
    fn finish(mut self) -> Self {
        self.close_set();
        self.close_group();
        self
    }

    fn close_set(&mut self) {
        if let Some(s) = self.set.take() {
            self.sets.push(s);
        }
    }

    fn close_group(&mut self) {
        if let Some(mut g) = self.group.take() {
            g.sets.end = self.sets.len();
            self.groups.push(g);
        }
    }
}

/// Element `n` (1-based) of an X12 segment's bytes, or empty when the
/// segment has fewer elements. X12 has no release character, so an element
/// ends at the next element separator (the same answer as
/// [`Segment::element`], without building a view per element).
fn nth_element(seg: &[u8], sep: u8, n: usize) -> &[u8] {
    if n == 0 {
        return &[];
    }
    seg.split(|&b| b == sep).nth(n).unwrap_or_default()
}

/// GS04 `raw` as a date: YYMMDD in groups of versions before 004010
/// (GS08 `version`), CCYYMMDD from 004010 on.
pub(crate) fn gs_date(raw: &[u8], version: &[u8]) -> Result<NaiveDate, ValueError> {
    if raw.len() == 6 && version_number(version).is_some_and(|v| v < 401) {
        parse_yymmdd(raw)
    } else {
        parse_ccyymmdd(raw)
    }
}

/// The numeric value of a version such as `00401` or `004010`, first five
/// digits (`401`), or `None` when not numeric.
pub(crate) fn version_number(v: &[u8]) -> Option<u32> {
    let v = v.trim_ascii();
    let head = &v[..v.len().min(5)];
    if head.len() < 5 || !head.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(head.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
}

impl<'a> Interchange<'a> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn build(
        input: &'a [u8],
        span: Range<usize>,
        isa: IsaShape,
        delimiters: Delimiters,
        terminator: &'a [u8],
        segs: Vec<Range<usize>>,
        iea: Option<usize>,
        structure: Structure,
        suspects: Vec<usize>,
        framing: Vec<Finding>,
    ) -> Self {
        let Structure {
            groups,
            sets,
            acks,
            strays,
            security,
            ..
        } = structure.finish();
        Interchange {
            input,
            span,
            isa,
            delimiters,
            terminator,
            segs,
            iea,
            groups,
            sets,
            acks,
            strays,
            suspects,
            framing,
            security,
        }
    }

    fn segment_at(&self, i: usize) -> Option<Segment<'a>> {
        let r = self.segs.get(i)?;
        Some(Segment::new(
            &self.input[r.clone()],
            r.start,
            ordinal(i),
            self.delimiters,
        ))
    }

    fn isa_value(&self, n: usize) -> &'a [u8] {
        self.isa
            .element(n.wrapping_sub(1))
            .and_then(|r| self.input.get(r))
            .unwrap_or_default()
    }

    /// The interchange's bytes, from `ISA` to the IEA terminator (or to the
    /// end of its last segment when it is truncated).
    pub fn as_bytes(&self) -> &'a [u8] {
        &self.input[self.span.clone()]
    }

    /// The byte range of the interchange in the input.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// The whole input the interchange was read from.
    pub fn input(&self) -> &'a [u8] {
        self.input
    }

    /// The delimiters declared by this interchange's ISA. For a multi-byte
    /// terminator, `segment` is its first byte; see [`Self::terminator`].
    pub fn delimiters(&self) -> Delimiters {
        self.delimiters
    }

    /// The segment terminator as it appears in the input (one byte, or a
    /// whole UTF-8 sequence such as `…`).
    pub fn terminator(&self) -> &'a [u8] {
        self.terminator
    }

    /// True when every ISA element sits at its fixed position (X12.5: the
    /// ISA is 106 bytes with fixed-width elements).
    pub fn is_isa_fixed_width(&self) -> bool {
        self.isa.fixed
    }

    /// ISA element `n` (1-based) exactly as it stands, padding included;
    /// empty for `n` outside 1..=16.
    ///
    /// Element ranges come from the ISA's fixed layout when it is fixed
    /// width, or from counting separators when it is not.
    pub fn isa_element(&self, n: usize) -> &'a [u8] {
        self.isa_value(n)
    }

    /// The byte range of ISA element `n` (1-based), or `None` outside 1..=16.
    pub fn isa_element_span(&self, n: usize) -> Option<Range<usize>> {
        self.isa.element(n.wrapping_sub(1))
    }

    /// The ISA segment.
    pub fn isa(&self) -> Segment<'a> {
        self.segment_at(0)
            .unwrap_or_else(|| Segment::new(&[], self.span.start, 0, self.delimiters))
    }

    /// The IEA segment, or `None` when the interchange is truncated.
    pub fn iea(&self) -> Option<Segment<'a>> {
        self.iea.and_then(|i| self.segment_at(i))
    }

    /// ISA05, the interchange sender id qualifier, trimmed.
    pub fn sender_qualifier(&self) -> &'a [u8] {
        self.isa_value(5).trim_ascii()
    }

    /// ISA06, the interchange sender id, trimmed of its padding.
    pub fn sender_id(&self) -> &'a [u8] {
        self.isa_value(6).trim_ascii()
    }

    /// ISA07, the interchange receiver id qualifier, trimmed.
    pub fn receiver_qualifier(&self) -> &'a [u8] {
        self.isa_value(7).trim_ascii()
    }

    /// ISA08, the interchange receiver id, trimmed of its padding.
    pub fn receiver_id(&self) -> &'a [u8] {
        self.isa_value(8).trim_ascii()
    }

    /// ISA09 as a date (YYMMDD; years 00-69 are 20xx).
    pub fn date(&self) -> Result<NaiveDate, ValueError> {
        parse_yymmdd(self.isa_value(9))
    }

    /// ISA10 as a time (HHMM).
    pub fn time(&self) -> Result<NaiveTime, ValueError> {
        parse_hhmm(self.isa_value(10))
    }

    /// ISA12, the interchange control version number (`00401`, `00501`).
    pub fn version(&self) -> &'a [u8] {
        self.isa_value(12).trim_ascii()
    }

    /// ISA13, the interchange control number, trimmed.
    pub fn control_number(&self) -> &'a [u8] {
        self.isa_value(13).trim_ascii()
    }

    /// ISA14, acknowledgment requested (`0` or `1`).
    pub fn acknowledgment_requested(&self) -> &'a [u8] {
        self.isa_value(14)
    }

    /// ISA15, the usage indicator (`P` production, `T` test, `I`
    /// information).
    pub fn usage_indicator(&self) -> &'a [u8] {
        self.isa_value(15)
    }

    /// Every segment from ISA to IEA (or to the last one of a truncated
    /// interchange).
    pub fn segments(&self) -> Segments<'_> {
        Segments::of(self, 0..self.segs.len())
    }

    /// Number of segments.
    pub fn segment_count(&self) -> usize {
        self.segs.len()
    }

    /// Segment `i` (0-based ordinal, ISA is 0).
    pub fn segment(&self, i: usize) -> Option<Segment<'a>> {
        self.segment_at(i)
    }

    /// The functional groups (GS ... GE), including ones whose GE is
    /// missing.
    pub fn groups(&self) -> FunctionalGroups<'_> {
        FunctionalGroups {
            ic: self,
            range: 0..self.groups.len(),
        }
    }

    /// TA1 interchange acknowledgments standing at the interchange level
    /// (X12.5: "TA1 ... may be sent ... between the ISA and IEA" outside any
    /// functional group).
    pub fn acknowledgments(&self) -> impl Iterator<Item = Segment<'a>> + '_ {
        self.acks.iter().filter_map(|&i| self.segment_at(i))
    }

    /// Segments that stand where the envelope does not allow them, with the
    /// reason. A run of data segments outside any transaction set is listed
    /// once, at its first segment.
    pub fn strays(&self) -> impl Iterator<Item = (Segment<'a>, Stray)> + '_ {
        self.strays
            .iter()
            .filter_map(|&(i, s)| self.segment_at(i).map(|seg| (seg, s)))
    }

    /// Gives up the interchange's index memory, emptied, for the next one.
    pub(crate) fn into_buffers(self) -> Buffers {
        fn empty<T>(mut v: Vec<T>) -> Vec<T> {
            v.clear();
            v
        }
        Buffers {
            segs: empty(self.segs),
            suspects: empty(self.suspects),
            groups: empty(self.groups),
            sets: empty(self.sets),
            acks: empty(self.acks),
            strays: empty(self.strays),
        }
    }

    /// Whether the interchange holds ASC X12.58 security segments (S1S to
    /// S4A, SVA). [`crate::integrity::x12::check`]
    /// runs the X12.58 checks ([`crate::integrity::x12_security`]) only on
    /// such interchanges.
    pub fn has_security_segments(&self) -> bool {
        self.security
    }

    /// Segments holding a byte that is neither printable ASCII nor one of
    /// the interchange's element, component or repetition separators
    /// (CR/LF inside a segment, control bytes, non-ASCII, BIN data), in
    /// order. Every other segment is known to be clean.
    pub(crate) fn suspect_segments(&self) -> impl Iterator<Item = Segment<'a>> + '_ {
        self.suspects.iter().filter_map(|&i| self.segment_at(i))
    }

    /// Framing findings the parser made while reading this interchange
    /// (byte-order mark, leading junk, line breaks, indentation, a missing
    /// final terminator, trailing data).
    pub fn framing(&self) -> &[Finding] {
        &self.framing
    }

    /// Where the interchange is.
    pub fn location(&self) -> Location {
        Location::at(self.span.start).with_segment(0)
    }
}

/// Iterator over a range of an interchange's segments.
#[derive(Clone, Debug)]
pub struct Segments<'i> {
    input: &'i [u8],
    /// The boundaries of the segments not yet yielded.
    ranges: std::slice::Iter<'i, Range<usize>>,
    /// Index (ordinal) of the first of them.
    first: usize,
    delimiters: Delimiters,
}

impl<'i> Segments<'i> {
    /// Segments `range` (indices) of `ic`.
    fn of(ic: &'i Interchange<'i>, range: Range<usize>) -> Self {
        Segments {
            input: ic.input,
            first: range.start,
            ranges: ic.segs.get(range).unwrap_or_default().iter(),
            delimiters: ic.delimiters,
        }
    }

    #[inline]
    fn view(&self, r: &Range<usize>, i: usize) -> Option<Segment<'i>> {
        let bytes = self.input.get(r.clone())?;
        Some(Segment::new(bytes, r.start, ordinal(i), self.delimiters))
    }
}

impl<'i> Iterator for Segments<'i> {
    type Item = Segment<'i>;

    #[inline]
    fn next(&mut self) -> Option<Segment<'i>> {
        let r = self.ranges.next()?;
        let i = self.first;
        self.first += 1;
        self.view(r, i)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ranges.size_hint()
    }
}

impl DoubleEndedIterator for Segments<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let r = self.ranges.next_back()?;
        self.view(r, self.first + self.ranges.len())
    }
}

impl ExactSizeIterator for Segments<'_> {}

/// Iterator over an interchange's functional groups.
#[derive(Clone, Debug)]
pub struct FunctionalGroups<'i> {
    ic: &'i Interchange<'i>,
    range: Range<usize>,
}

impl<'i> Iterator for FunctionalGroups<'i> {
    type Item = FunctionalGroup<'i>;

    fn next(&mut self) -> Option<FunctionalGroup<'i>> {
        let i = self.range.next()?;
        Some(FunctionalGroup {
            ic: self.ic,
            index: i,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
}

impl ExactSizeIterator for FunctionalGroups<'_> {}

/// One functional group (GS ... GE).
///
/// # Examples
///
/// ```
/// use ediguard::x12::Parser;
/// let input = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~\
/// GS*QM*SENDER*RECEIVER*20240101*120000*17*X*004010~GE*0*17~IEA*1*000000001~";
/// let ic = Parser::new(input).interchanges().next().unwrap().unwrap();
/// let gs = ic.groups().next().unwrap();
/// assert_eq!(gs.functional_id(), b"QM");
/// assert_eq!(gs.control_number(), b"17");
/// assert_eq!(gs.version(), b"004010");
/// assert_eq!(gs.time().unwrap().to_string(), "12:00:00");
/// assert!(gs.ge().is_some());
/// ```
#[derive(Clone, Copy, Debug)]
pub struct FunctionalGroup<'i> {
    ic: &'i Interchange<'i>,
    index: usize,
}

impl<'i> FunctionalGroup<'i> {
    fn idx(&self) -> &'i GroupIndex {
        &self.ic.groups[self.index]
    }

    fn value(&self, n: usize) -> &'i [u8] {
        nth_element(self.gs().as_bytes(), self.ic.delimiters.element, n)
    }

    /// The GS segment.
    pub fn gs(&self) -> Segment<'i> {
        self.ic
            .segment_at(self.idx().gs)
            .unwrap_or_else(|| self.ic.isa())
    }

    /// The GE segment, or `None` when it is missing.
    pub fn ge(&self) -> Option<Segment<'i>> {
        self.idx().ge.and_then(|i| self.ic.segment_at(i))
    }

    /// GS01, the functional identifier code (`SM`, `QM`, `FA`).
    pub fn functional_id(&self) -> &'i [u8] {
        self.value(1)
    }

    /// GS02, the application sender's code.
    pub fn sender_id(&self) -> &'i [u8] {
        self.value(2).trim_ascii()
    }

    /// GS03, the application receiver's code.
    pub fn receiver_id(&self) -> &'i [u8] {
        self.value(3).trim_ascii()
    }

    /// GS04 as a date: CCYYMMDD, or YYMMDD when GS08 is a version before
    /// 004010 (which used six-digit dates).
    pub fn date(&self) -> Result<NaiveDate, ValueError> {
        gs_date(self.value(4), self.version())
    }

    /// GS05 as a time (HHMM, HHMMSS, HHMMSSD or HHMMSSDD).
    pub fn time(&self) -> Result<NaiveTime, ValueError> {
        parse_time(self.value(5))
    }

    /// GS06, the group control number, trimmed.
    pub fn control_number(&self) -> &'i [u8] {
        self.value(6).trim_ascii()
    }

    /// GS07, the responsible agency code (`X`).
    pub fn agency(&self) -> &'i [u8] {
        self.value(7)
    }

    /// GS08, the version / release / industry identifier (`004010`).
    pub fn version(&self) -> &'i [u8] {
        self.value(8).trim_ascii()
    }

    /// The transaction sets, including ones whose SE is missing.
    pub fn transaction_sets(&self) -> TransactionSets<'i> {
        TransactionSets {
            ic: self.ic,
            range: self.idx().sets.clone(),
        }
    }

    /// Every segment from GS to GE (or to the group's last segment).
    pub fn segments(&self) -> Segments<'i> {
        let g = self.idx();
        Segments::of(self.ic, g.gs..g.last + 1)
    }

    /// The group's bytes from GS to the end of its last segment.
    pub fn as_bytes(&self) -> &'i [u8] {
        &self.ic.input[self.span()]
    }

    /// The byte range from GS to the end of the group's last segment
    /// (terminator excluded).
    pub fn span(&self) -> Range<usize> {
        let g = self.idx();
        let start = self.ic.segs.get(g.gs).map_or(0, |r| r.start);
        let end = self.ic.segs.get(g.last).map_or(start, |r| r.end);
        start..end
    }
}

/// Iterator over a group's transaction sets.
#[derive(Clone, Debug)]
pub struct TransactionSets<'i> {
    ic: &'i Interchange<'i>,
    range: Range<usize>,
}

impl<'i> Iterator for TransactionSets<'i> {
    type Item = TransactionSet<'i>;

    fn next(&mut self) -> Option<TransactionSet<'i>> {
        let i = self.range.next()?;
        Some(TransactionSet {
            ic: self.ic,
            index: i,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
}

impl ExactSizeIterator for TransactionSets<'_> {}

/// One transaction set (ST ... SE).
///
/// # Examples
///
/// ```
/// use ediguard::x12::Parser;
/// let input = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~\
/// GS*QM*SENDER*RECEIVER*20240101*1200*1*X*004010~ST*214*0001~B10*1*2*NLFX~SE*3*0001~GE*1*1~IEA*1*000000001~";
/// let ic = Parser::new(input).interchanges().next().unwrap().unwrap();
/// let st = ic.groups().next().unwrap().transaction_sets().next().unwrap();
/// assert_eq!((st.id(), st.control_number()), (&b"214"[..], &b"0001"[..]));
/// let tags: Vec<_> = st.segments().map(|s| s.tag()).collect();
/// assert_eq!(tags, [&b"ST"[..], b"B10", b"SE"]);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct TransactionSet<'i> {
    ic: &'i Interchange<'i>,
    index: usize,
}

impl<'i> TransactionSet<'i> {
    fn idx(&self) -> &'i SetIndex {
        &self.ic.sets[self.index]
    }

    fn value(&self, n: usize) -> &'i [u8] {
        nth_element(self.st().as_bytes(), self.ic.delimiters.element, n)
    }

    /// The ST segment.
    pub fn st(&self) -> Segment<'i> {
        self.ic
            .segment_at(self.idx().st)
            .unwrap_or_else(|| self.ic.isa())
    }

    /// The SE segment, or `None` when it is missing.
    pub fn se(&self) -> Option<Segment<'i>> {
        self.idx().se.and_then(|i| self.ic.segment_at(i))
    }

    /// ST01, the transaction set identifier code (`204`, `214`).
    pub fn id(&self) -> &'i [u8] {
        self.value(1)
    }

    /// ST02, the transaction set control number, trimmed.
    pub fn control_number(&self) -> &'i [u8] {
        self.value(2).trim_ascii()
    }

    /// ST03, the implementation convention reference (005010 and later).
    pub fn implementation_reference(&self) -> Option<&'i [u8]> {
        self.st().element(3).map(|e| e.as_bytes())
    }

    /// Every segment from ST to SE inclusive (or to the set's last segment
    /// when SE is missing).
    pub fn segments(&self) -> Segments<'i> {
        let s = self.idx();
        Segments::of(self.ic, s.st..s.last + 1)
    }

    /// Number of segments from ST to SE inclusive (what SE01 must say).
    pub fn segment_count(&self) -> usize {
        let s = self.idx();
        s.last + 1 - s.st
    }

    /// The set's bytes from ST to the end of its last segment.
    pub fn as_bytes(&self) -> &'i [u8] {
        &self.ic.input[self.span()]
    }

    /// The byte range from ST to the end of the set's last segment
    /// (terminator excluded).
    pub fn span(&self) -> Range<usize> {
        let s = self.idx();
        let start = self.ic.segs.get(s.st).map_or(0, |r| r.start);
        let end = self.ic.segs.get(s.last).map_or(start, |r| r.end);
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nth_element_matches_segment_element() {
        let d = Delimiters::X12_DEFAULT;
        let segs: &[&[u8]] = &[
            b"GS*QM*A*B*20240101*1200*17*X*004010",
            b"GS",
            b"GS*",
            b"ST**",
            b"",
        ];
        for seg in segs {
            for n in 0..10 {
                let view = Segment::new(seg, 0, 0, d);
                let want = view.element(n).map(|e| e.as_bytes()).unwrap_or_default();
                assert_eq!(nth_element(seg, b'*', n), want, "{seg:?} element {n}");
            }
        }
    }

    #[test]
    fn segments_iterators_match_segment_at() {
        let input = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~\
GS*QM*S*R*20240101*1200*1*X*004010~ST*214*0001~B10*1*2*X~SE*3*0001~ST*214*0002~SE*2*0002~GE*2*1~IEA*1*000000001~";
        let ic = crate::x12::Parser::new(input)
            .interchanges()
            .next()
            .unwrap()
            .unwrap();
        let want: Vec<_> = (0..ic.segment_count())
            .map(|i| ic.segment(i).unwrap())
            .collect();
        assert_eq!(ic.segments().collect::<Vec<_>>(), want);
        // From the back, the ordinals are the same.
        let mut back: Vec<_> = ic.segments().rev().collect();
        back.reverse();
        assert_eq!(back, want);
        // Both ends at once, and the length as it shrinks.
        let mut it = ic.segments();
        assert_eq!(it.len(), want.len());
        assert_eq!(it.next_back(), want.last().copied());
        assert_eq!(it.next(), Some(want[0]));
        assert_eq!(it.len(), want.len() - 2);
        assert_eq!(
            it.next_back().map(|s| s.ordinal()),
            Some(want.len() as u32 - 2)
        );
        // A group's and a set's segments keep their ordinals in the
        // interchange.
        let g = ic.groups().next().unwrap();
        assert_eq!(g.segments().collect::<Vec<_>>(), want[1..8]);
        let sets: Vec<_> = g.transaction_sets().collect();
        assert_eq!(sets[1].segments().collect::<Vec<_>>(), want[5..7]);
        assert_eq!(sets[1].segments().next_back().map(|s| s.ordinal()), Some(6));
    }
}
