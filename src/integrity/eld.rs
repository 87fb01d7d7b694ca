//! ELD output file integrity (49 CFR 395 Subpart B, Appendix A): structure
//! (§4.8.2.1), check values (§4.4.5), the data dictionary (§7) and internal
//! consistency (edits §4.4.4.2 and §4.3.2.8, sequence IDs §4.4.4.1,
//! odometer and engine hours §7.19/§7.43, unidentified driving §4.6.1.6).
//!
//! Every rule code is in [`crate::rules`]; every finding carries the line
//! (from the byte offset) and, where it concerns one field, the field
//! position.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDateTime, NaiveTime, TimeDelta};

use crate::eld::check_value::{event_check_value, file_check_value, parse_hex4};
use crate::eld::{Coordinate, EldFile, Field, FieldName, Layout, Record, SectionKind, TitleMatch};
use crate::rules::{self, Rule};
use crate::{Error, Finding, Format, Location, Options, Report, Result, Severity};

/// The most fields any layout has (the Event List row).
const MAX_LAYOUT_FIELDS: usize = 18;

/// Parses `input` as an ELD output file and runs every ELD rule.
///
/// Returns an error only when a [`crate::Limits`] bound is exceeded (line
/// length, line count, fields per line via `max_fields`).
///
/// # Examples
///
/// ```
/// use ediguard::{Options, integrity};
/// let input = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/eld-T1042.csv")).unwrap();
/// let report = integrity::eld::check(&input, &Options::default()).unwrap();
/// assert!(report.findings().is_empty(), "{:?}", report.findings());
/// assert_eq!(report.counts.interchanges, 1);
/// ```
pub fn check(input: &[u8], options: &Options) -> Result<Report> {
    let file = EldFile::parse(input, &options.limits)?;
    check_file(&file, options)
}

/// Runs every ELD rule on an already parsed file.
pub fn check_file(file: &EldFile<'_>, options: &Options) -> Result<Report> {
    let mut report = Report::new(Some(Format::Eld));
    report.counts.interchanges = 1;
    report.counts.segments = file.line_count();
    let mut c = Checker {
        options,
        report,
        facts: Facts::default(),
    };
    c.structure(file);
    c.lines(file)?;
    c.consistency();
    Ok(c.report)
}

fn lossy(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(80)];
    String::from_utf8_lossy(cut).into_owned()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EventSource {
    EventList,
    Unidentified,
}

/// One Event List or Unidentified row, as far as it could be read.
#[derive(Clone, Debug)]
struct Ev<'a> {
    source: EventSource,
    loc: Location,
    seq: Option<u16>,
    status: Option<u8>,
    origin: Option<u8>,
    etype: Option<u8>,
    code: Option<u8>,
    at: Option<NaiveDateTime>,
    miles: Option<u32>,
    hours: Option<u32>,
    cmv: Option<u8>,
    user: Option<u8>,
    /// Type, code, date, time, miles, hours, latitude, longitude as written.
    ecv_elements: [&'a [u8]; 8],
    ecv: Option<(u8, Location)>,
}

/// A record with a sequence ID and a time, for duplicate and order checks.
#[derive(Clone, Copy, Debug)]
struct Timed {
    seq: Option<(u16, Location)>,
    at: Option<NaiveDateTime>,
    status: Option<u8>,
    loc: Location,
}

#[derive(Clone, Copy, Debug)]
enum CmvKey<'a> {
    PowerUnit(&'a [u8]),
    Order(u8),
}

#[derive(Clone, Copy, Debug)]
struct Total<'a> {
    cmv: CmvKey<'a>,
    at: NaiveDateTime,
    miles: Option<u32>,
    hours: Option<u32>,
    loc: Location,
}

#[derive(Default)]
struct Facts<'a> {
    driver: Option<(&'a [u8], &'a [u8], &'a [u8])>,
    co_driver: Option<(&'a [u8], &'a [u8], &'a [u8])>,
    h3: Option<(Field<'a>, Field<'a>)>,
    period_start: Option<NaiveTime>,
    current: Option<NaiveDateTime>,
    users: HashMap<u8, (&'a [u8], &'a [u8])>,
    cmvs: HashMap<u8, &'a [u8]>,
    cmv_top: Option<(&'a [u8], &'a [u8])>,
    events: Vec<Ev<'a>>,
    annotations: Vec<(u16, Location)>,
    cmv_refs: Vec<(u8, Location)>,
    timed: Vec<(SectionKind, Timed)>,
    totals: Vec<Total<'a>>,
    /// Engine events: power unit, time, event code.
    engine: Vec<(&'a [u8], NaiveDateTime, u8)>,
    diagnostic_5: bool,
    seen_user_list: bool,
    seen_cmv_list: bool,
}

struct Checker<'o, 'a> {
    options: &'o Options,
    report: Report,
    facts: Facts<'a>,
}

/// What the rest of a line says about one field, for the rules that depend
/// on it (blank allowed, event code table).
#[derive(Clone, Copy, Default)]
struct LineCtx {
    event_type: Option<u8>,
    origin: Option<u8>,
    reduced: bool,
}

impl<'a> Checker<'_, 'a> {
    fn push(&mut self, rule: Rule, loc: Location, msg: impl Into<String>) {
        self.report.push(self.options, Finding::new(rule, loc, msg));
    }

    fn push_ef(
        &mut self,
        rule: Rule,
        loc: Location,
        msg: impl Into<String>,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) {
        self.report.push(
            self.options,
            Finding::new(rule, loc, msg).expected_found(expected, found),
        );
    }

    // ---------------------------------------------------------------
    // Structure: titles, order, line counts, line endings (§4.8.2.1).
    // ---------------------------------------------------------------

    fn structure(&mut self, file: &EldFile<'a>) {
        let input = file.as_bytes();
        if file.has_bom() {
            self.push(
                rules::BYTE_ORDER_MARK,
                Location::at(0),
                "a UTF-8 byte-order mark precedes the ELD header; it is skipped",
            );
        }
        let endings = file.line_endings();
        if endings.is_mixed() {
            self.push_ef(
                rules::ELD_LINE_ENDING,
                Location::at(0),
                "lines end in more than one way",
                "one line ending",
                format!(
                    "{} CR, {} LF, {} CRLF",
                    endings.cr, endings.lf, endings.crlf
                ),
            );
        }
        if endings.unterminated_last && !input.is_empty() {
            self.push(
                rules::ELD_LINE_ENDING,
                Location::at(input.len()),
                "the last line has no line ending (§4.8.2.1: every line ends with <CR>)",
            );
        }
        if endings.uniform() == Some(crate::eld::LineEnding::Lf) {
            self.push(
                rules::ELD_LF_LINE_ENDINGS,
                Location::at(0),
                "lines end in LF only; FMCSA describes <CR> as the line end",
            );
        }
        let mut seen: [bool; 11] = [false; 11];
        let mut max_ordinal: Option<usize> = None;
        for section in file.sections() {
            let title = section.title();
            let title_loc = title.map_or(Location::at(0), |t| t.location());
            match (section.kind(), section.title_match()) {
                (None, TitleMatch::None) => {
                    for r in section.records() {
                        self.push(
                            rules::ELD_UNEXPECTED_LINE,
                            r.location(),
                            "a line before the first section title",
                        );
                    }
                    continue;
                }
                (None, _) => {
                    self.push_ef(
                        rules::ELD_UNEXPECTED_LINE,
                        title_loc,
                        format!(
                            "an unknown section title; its {} line(s) are not checked",
                            section.len()
                        ),
                        "one of the eleven titles of §4.8.2.1",
                        lossy(title.map_or(&b""[..], |t| t.as_bytes())),
                    );
                    continue;
                }
                (Some(kind), m) => {
                    if m == TitleMatch::Loose {
                        self.push_ef(
                            rules::ELD_TITLE_MISMATCH,
                            title_loc,
                            "the section title differs from the exact text",
                            kind.title(),
                            lossy(title.map_or(&b""[..], |t| t.as_bytes())),
                        );
                    }
                    let ord = kind.ordinal();
                    if seen[ord] {
                        self.push(
                            rules::ELD_DUPLICATE_SECTION,
                            title_loc,
                            format!("the section `{}` appears again", kind.title()),
                        );
                    } else if max_ordinal.is_some_and(|m| ord < m) {
                        self.push(
                            rules::ELD_SECTION_ORDER,
                            title_loc,
                            format!(
                                "the section `{}` comes after a section that §4.8.2.1 puts after it",
                                kind.title()
                            ),
                        );
                    }
                    seen[ord] = true;
                    max_ordinal = Some(max_ordinal.map_or(ord, |m| m.max(ord)));
                    match kind {
                        SectionKind::Header if section.len() != 7 => {
                            self.push_ef(
                                rules::ELD_LINE_COUNT,
                                title_loc,
                                "the header section must have exactly 7 lines (§4.8.2.1.1)",
                                "7",
                                section.len().to_string(),
                            );
                        }
                        SectionKind::EndOfFile if section.is_empty() => {
                            self.push(
                                rules::ELD_LINE_COUNT,
                                title_loc,
                                "no file data check value line after `End of File:` (§4.8.2.1.11)",
                            );
                        }
                        SectionKind::EndOfFile => {
                            for r in section.records().skip(1) {
                                self.push(
                                    rules::ELD_UNEXPECTED_LINE,
                                    r.location(),
                                    "a line after the file data check value",
                                );
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        for kind in SectionKind::ALL {
            if !seen[kind.ordinal()] {
                // Where it should have been: the next present section, or the end.
                let at = file
                    .sections()
                    .filter(|s| s.kind().is_some_and(|k| k > kind))
                    .find_map(|s| s.title().map(|t| t.offset()))
                    .unwrap_or(input.len());
                self.push(
                    rules::ELD_MISSING_SECTION,
                    Location::at(at),
                    format!("the section title `{}` is missing", kind.title()),
                );
            }
        }
        self.facts.seen_user_list = seen[SectionKind::UserList.ordinal()];
        self.facts.seen_cmv_list = seen[SectionKind::CmvList.ordinal()];
    }

    // ---------------------------------------------------------------
    // Lines: ASCII, field counts, line check values, the dictionary.
    // ---------------------------------------------------------------

    fn lines(&mut self, file: &EldFile<'a>) -> Result<()> {
        let mut line_cvs: Vec<u8> = Vec::new();
        let mut file_cv: Option<(Field<'a>, u16)> = None;
        for section in file.sections() {
            if let Some(t) = section.title() {
                self.ascii(&t);
            }
            if section.kind().is_none() {
                for r in section.records() {
                    self.ascii(&r);
                }
                continue;
            }
            let mut order_prev: Option<NaiveDateTime> = None;
            let mut order_reported = false;
            for r in section.records() {
                self.ascii(&r);
                let Some(layout) = r.layout() else { continue };
                let n = r.field_count();
                if n > self.options.limits.max_fields {
                    return Err(Error::limit(
                        r.location(),
                        "fields in one ELD line",
                        self.options.limits.max_fields,
                    ));
                }
                if layout == Layout::FileCheckValue {
                    let f = Field::new(r.as_bytes(), r.offset(), 1);
                    match parse_hex4(r.as_bytes()) {
                        Some(v) => file_cv = Some((f, v)),
                        None => self.push_ef(
                            rules::ELD_INVALID_FIELD,
                            f.location(),
                            "the file data check value is not 4 hex digits (§7.27)",
                            "4 hex digits",
                            lossy(r.as_bytes()),
                        ),
                    }
                    continue;
                }
                // Line data check value (§4.4.5.2).
                if let Some(last) = r.last_field() {
                    match last.hex2() {
                        Ok(v) => {
                            line_cvs.push(v);
                            if let Some(computed) = r.computed_line_check_value() {
                                if computed != v {
                                    self.push_ef(
                                        rules::LINE_CHECK_VALUE_MISMATCH,
                                        last.location(),
                                        "the line data check value does not match the line",
                                        format!("{computed:02X}"),
                                        lossy(last.as_bytes()),
                                    );
                                }
                            }
                        }
                        Err(_) => self.push_ef(
                            rules::ELD_INVALID_FIELD,
                            last.location(),
                            "the line data check value is not 2 hex digits (§7.32)",
                            "2 hex digits",
                            lossy(last.as_bytes()),
                        ),
                    }
                } else {
                    self.push(
                        rules::LINE_CHECK_VALUE_MISMATCH,
                        r.location(),
                        "the data line has no line data check value (no comma)",
                    );
                }
                if n != layout.field_count() {
                    self.push_ef(
                        rules::ELD_FIELD_COUNT,
                        r.location(),
                        format!(
                            "a {} line must have {} fields; its fields are not checked",
                            section.kind().map_or("", |k| k.title()),
                            layout.field_count()
                        ),
                        layout.field_count().to_string(),
                        n.to_string(),
                    );
                    continue;
                }
                let mut fields = [Field::new(b"", 0, 0); MAX_LAYOUT_FIELDS];
                for (slot, f) in fields.iter_mut().zip(r.fields()) {
                    *slot = f;
                }
                let fields = &fields[..n.min(MAX_LAYOUT_FIELDS)];
                let at = self.record(layout, &r, fields);
                // Newest first (§4.8.2.1.4 to .10).
                if matches!(
                    layout,
                    Layout::Event
                        | Layout::Certification
                        | Layout::Malfunction
                        | Layout::LoginLogout
                        | Layout::EnginePower
                        | Layout::Unidentified
                ) {
                    if let Some(at) = at {
                        if let Some(prev) = order_prev {
                            if at > prev && !order_reported {
                                order_reported = true;
                                self.push_ef(
                                    rules::ELD_RECORD_ORDER,
                                    r.location(),
                                    "this record is newer than the one above it; the section must be newest first",
                                    format!("at or before {prev}"),
                                    at.to_string(),
                                );
                            }
                        }
                        order_prev = Some(at);
                    }
                }
            }
        }
        if let Some((field, written)) = file_cv {
            let computed = file_check_value(line_cvs.iter().copied());
            if computed != written {
                self.push_ef(
                    rules::FILE_CHECK_VALUE_MISMATCH,
                    field.location(),
                    "the file data check value does not match the line check values",
                    format!("{computed:04X}"),
                    lossy(field.as_bytes()),
                );
            }
        }
        Ok(())
    }

    fn ascii(&mut self, r: &Record<'a>) {
        if let Some(i) = r
            .as_bytes()
            .iter()
            .position(|&b| !(0x20..0x7F).contains(&b))
        {
            let b = r.as_bytes()[i];
            self.push_ef(
                rules::ELD_NON_ASCII,
                Location::at(r.offset() + i),
                if b >= 0x80 {
                    "a non-ASCII byte; the file must be 7-bit ASCII"
                } else {
                    "a control character inside a line"
                },
                "printable ASCII",
                format!("0x{b:02X}"),
            );
        }
    }

    /// Validates one line of a known layout with the right field count and
    /// records the facts the consistency rules need. Returns the record's
    /// date and time when readable.
    fn record(
        &mut self,
        layout: Layout,
        r: &Record<'a>,
        fields: &[Field<'a>],
    ) -> Option<NaiveDateTime> {
        let get = |name: FieldName| -> Option<Field<'a>> {
            layout
                .position(name)
                .and_then(|p| fields.get(p - 1))
                .copied()
        };
        let event_type = match layout {
            Layout::Event | Layout::Unidentified => {
                get(FieldName::EventType).and_then(|f| f.digit_in(1, 9).ok())
            }
            Layout::Certification => Some(4),
            Layout::LoginLogout => Some(5),
            Layout::EnginePower => Some(6),
            Layout::Malfunction => Some(7),
            _ => None,
        };
        let origin = get(FieldName::RecordOrigin).and_then(|f| f.digit_in(1, 4).ok());
        let lat = get(FieldName::Latitude).and_then(|f| f.latitude().ok());
        let ctx = LineCtx {
            event_type,
            origin,
            reduced: lat.is_some_and(Coordinate::is_reduced),
        };
        for (i, &name) in layout.fields().iter().enumerate() {
            if let Some(&f) = fields.get(i) {
                self.field(layout, name, f, ctx);
            }
        }
        // Latitude and longitude special values come in pairs (§4.3.1.6).
        if let (Some(la), Some(lo)) = (get(FieldName::Latitude), get(FieldName::Longitude)) {
            let special = |f: Field<'_>| matches!(f.as_bytes(), b"X" | b"M" | b"E");
            if (special(la) || special(lo)) && la.as_bytes() != lo.as_bytes() {
                self.push_ef(
                    rules::ELD_INVALID_FIELD,
                    lo.location(),
                    "latitude and longitude must carry the same special value (§4.3.1.6, §4.6.1.4)",
                    lossy(la.as_bytes()),
                    lossy(lo.as_bytes()),
                );
            }
        }
        let at = r.date_time().ok();
        let seq = get(FieldName::SequenceId)
            .and_then(|f| f.sequence_id().ok().map(|s| (s, f.location())));
        let status = get(FieldName::RecordStatus).and_then(|f| f.digit_in(1, 4).ok());
        if layout == Layout::Malfunction {
            let pairing_ok = match (fields[1].as_bytes(), fields[2].as_bytes()) {
                (b"1" | b"2", [l]) => l.is_ascii_uppercase(),
                (b"3" | b"4", [d]) => d.is_ascii_digit(),
                _ => true, // reported as an invalid code already
            };
            if !pairing_ok {
                self.report.push(
                        self.options,
                        Finding::new(
                            rules::ELD_INVALID_CODE,
                            fields[2].location(),
                            "malfunction codes (letters) go with event codes 1 and 2, diagnostic codes (digits) with 3 and 4 (Table 4)",
                        )
                        .expected_found(
                            format!("a code that fits event code {}", lossy(fields[1].as_bytes())),
                            lossy(fields[2].as_bytes()),
                        ),
                    );
            }
        }
        let f = &mut self.facts;
        match layout {
            Layout::H1 => {
                f.driver = Some((
                    fields[0].as_bytes(),
                    fields[1].as_bytes(),
                    fields[2].as_bytes(),
                ));
            }
            Layout::H2 if !fields[2].is_blank() => {
                f.co_driver = Some((
                    fields[0].as_bytes(),
                    fields[1].as_bytes(),
                    fields[2].as_bytes(),
                ));
            }
            Layout::H3 => f.h3 = Some((fields[0], fields[1])),
            Layout::H4 => f.period_start = fields[3].time().ok(),
            Layout::H6 => {
                f.current = at;
                if let Some(at) = at {
                    if let Some((pu, _)) = f.h3 {
                        f.totals.push(Total {
                            cmv: CmvKey::PowerUnit(pu.as_bytes()),
                            at,
                            miles: fields[4].miles().ok(),
                            hours: fields[5].engine_hours().ok().map(|h| h.tenths()),
                            loc: r.location(),
                        });
                    }
                }
            }
            Layout::User => {
                if let Ok(o) = fields[0].order_number() {
                    f.users
                        .insert(o, (fields[2].as_bytes(), fields[3].as_bytes()));
                }
            }
            Layout::Cmv => {
                if f.cmv_top.is_none() {
                    f.cmv_top = Some((fields[1].as_bytes(), fields[2].as_bytes()));
                }
                if let Ok(o) = fields[0].order_number() {
                    f.cmvs.insert(o, fields[1].as_bytes());
                }
            }
            Layout::Event | Layout::Unidentified => {
                let cmv = get(FieldName::CmvOrder).and_then(|x| x.order_number().ok());
                if let (Some(c), Some(x)) = (cmv, get(FieldName::CmvOrder)) {
                    f.cmv_refs.push((c, x.location()));
                }
                let e = |name| get(name).map_or(&b""[..], |x: Field<'a>| x.as_bytes());
                f.events.push(Ev {
                    source: if layout == Layout::Event {
                        EventSource::EventList
                    } else {
                        EventSource::Unidentified
                    },
                    loc: r.location(),
                    seq: seq.map(|s| s.0),
                    status,
                    origin,
                    etype: event_type,
                    code: get(FieldName::EventCode).and_then(|x| x.digit_in(0, 9).ok()),
                    at,
                    miles: get(FieldName::VehicleMiles).and_then(|x| x.miles().ok()),
                    hours: get(FieldName::EngineHours)
                        .and_then(|x| x.engine_hours().ok())
                        .map(|h| h.tenths()),
                    cmv,
                    user: get(FieldName::UserOrder).and_then(|x| x.order_number().ok()),
                    ecv_elements: [
                        e(FieldName::EventType),
                        e(FieldName::EventCode),
                        e(FieldName::Date),
                        e(FieldName::Time),
                        e(FieldName::VehicleMiles),
                        e(FieldName::EngineHours),
                        e(FieldName::Latitude),
                        e(FieldName::Longitude),
                    ],
                    ecv: get(FieldName::EventCheckValue)
                        .and_then(|x| x.hex2().ok().map(|v| (v, x.location()))),
                });
            }
            Layout::Annotation => {
                if let Some(s) = seq {
                    f.annotations.push(s);
                }
            }
            Layout::Certification => {
                if let Some(x) = get(FieldName::CmvOrder) {
                    if let Ok(c) = x.order_number() {
                        f.cmv_refs.push((c, x.location()));
                    }
                }
            }
            Layout::Malfunction => {
                if fields[2].as_bytes() == b"5" {
                    f.diagnostic_5 = true;
                }
                if let Some(x) = get(FieldName::CmvOrder) {
                    if let Ok(c) = x.order_number() {
                        f.cmv_refs.push((c, x.location()));
                        if let Some(at) = at {
                            f.totals.push(Total {
                                cmv: CmvKey::Order(c),
                                at,
                                miles: fields[5].miles().ok(),
                                hours: fields[6].engine_hours().ok().map(|h| h.tenths()),
                                loc: r.location(),
                            });
                        }
                    }
                }
            }
            Layout::EnginePower => {
                if let Some(at) = at {
                    if let Ok(code) = fields[1].digit_in(1, 4) {
                        f.engine.push((fields[8].as_bytes(), at, code));
                    }
                    f.totals.push(Total {
                        cmv: CmvKey::PowerUnit(fields[8].as_bytes()),
                        at,
                        miles: fields[4].miles().ok(),
                        hours: fields[5].engine_hours().ok().map(|h| h.tenths()),
                        loc: r.location(),
                    });
                }
            }
            _ => {}
        }
        if let Some(kind) = section_of(layout) {
            f.timed.push((
                kind,
                Timed {
                    seq,
                    at,
                    status,
                    loc: r.location(),
                },
            ));
        }
        at
    }

    /// One field against the data dictionary (§7).
    fn field(&mut self, layout: Layout, name: FieldName, f: Field<'a>, ctx: LineCtx) {
        use FieldName as N;
        let b = f.as_bytes();
        let len = b.len();
        let header = matches!(
            layout,
            Layout::H1
                | Layout::H2
                | Layout::H3
                | Layout::H4
                | Layout::H5
                | Layout::H6
                | Layout::H7
        );
        // (rule, message, expected) when invalid.
        let bad: Option<(Rule, &str)> = match name {
            N::LineCheckValue | N::FileCheckValue => None, // checked with the line
            N::LastName | N::FirstName => {
                let blank_ok = layout == Layout::User;
                (!((2..=30).contains(&len) || blank_ok && len == 0))
                    .then_some((rules::ELD_INVALID_FIELD, "2 to 30 characters"))
            }
            N::CoDriverLastName | N::CoDriverFirstName => (len != 0 && !(2..=30).contains(&len))
                .then_some((rules::ELD_INVALID_FIELD, "blank or 2 to 30 characters")),
            N::Username => (!(4..=60).contains(&len))
                .then_some((rules::ELD_INVALID_FIELD, "4 to 60 characters")),
            N::CoDriverUsername => (len != 0 && !(4..=60).contains(&len))
                .then_some((rules::ELD_INVALID_FIELD, "blank or 4 to 60 characters")),
            N::LicenceState => (!(len == 2 && b.iter().all(u8::is_ascii_uppercase))).then_some((
                rules::ELD_INVALID_FIELD,
                "a 2-letter state or province code",
            )),
            N::LicenceNumber => (!((1..=20).contains(&len)
                && b.iter().all(u8::is_ascii_alphanumeric)))
            .then_some((rules::ELD_INVALID_FIELD, "1 to 20 letters and digits")),
            N::PowerUnit => {
                let min = if header { 0 } else { 1 };
                (!(min..=10).contains(&len))
                    .then_some((rules::ELD_INVALID_FIELD, "1 to 10 characters"))
            }
            N::Vin => {
                self.vin(f);
                None
            }
            N::Trailers => (!trailers_ok(b)).then_some((
                rules::ELD_INVALID_FIELD,
                "up to 3 numbers of at most 10 characters separated by single spaces (32 at most)",
            )),
            N::UsdotNumber => (!((1..=9).contains(&len) && b.iter().all(u8::is_ascii_digit)))
                .then_some((rules::ELD_INVALID_FIELD, "1 to 9 digits")),
            N::CarrierName => (!(4..=120).contains(&len))
                .then_some((rules::ELD_INVALID_FIELD, "4 to 120 characters")),
            N::MultidayBasis => {
                (!matches!(b, b"7" | b"8")).then_some((rules::ELD_INVALID_CODE, "7 or 8"))
            }
            N::PeriodStartTime | N::Time => f
                .time()
                .err()
                .map(|_| (rules::ELD_INVALID_TIME, "HHMMSS, 000000 to 235959")),
            N::TimeZoneOffset => (!(len == 2 && f.integer(2).is_ok_and(|v| (4..=11).contains(&v))))
                .then_some((rules::ELD_INVALID_FIELD, "two digits, 04 to 11")),
            N::ShippingDocument => {
                (len > 40).then_some((rules::ELD_INVALID_FIELD, "at most 40 characters"))
            }
            N::ExemptConfiguration => {
                (!matches!(b, b"E" | b"0")).then_some((rules::ELD_INVALID_CODE, "E or 0"))
            }
            N::Date | N::CertifiedDate => f
                .date()
                .err()
                .map(|_| (rules::ELD_INVALID_DATE, "MMDDYY, a real date")),
            N::Latitude => f.latitude().err().map(|_| {
                (
                    rules::ELD_INVALID_FIELD,
                    "X, M, E or decimal degrees -90.00 to 90.00 (1 or 2 decimals)",
                )
            }),
            N::Longitude => f.longitude().err().map(|_| {
                (
                    rules::ELD_INVALID_FIELD,
                    "X, M, E or decimal degrees -179.99 to 180.00 (1 or 2 decimals)",
                )
            }),
            N::VehicleMiles | N::EngineHours => {
                let accumulated = matches!(layout, Layout::Event | Layout::Unidentified);
                let blank_ok = match layout {
                    Layout::Event => ctx.origin != Some(1) || ctx.reduced,
                    Layout::Malfunction | Layout::LoginLogout => true,
                    _ => false,
                };
                if len == 0 && blank_ok {
                    None
                } else if name == N::VehicleMiles {
                    let max = if accumulated { 9_999 } else { 9_999_999 };
                    match f.miles() {
                        Ok(v) if v <= max => None,
                        _ if accumulated => Some((
                            rules::ELD_INVALID_FIELD,
                            "accumulated miles, 0 to 9,999 (blank only on edited, entered or personal conveyance records)",
                        )),
                        _ => Some((rules::ELD_INVALID_FIELD, "total miles, 0 to 9,999,999")),
                    }
                } else {
                    f.engine_hours().err().map(|_| {
                        (
                            rules::ELD_INVALID_FIELD,
                            "engine hours with one decimal, 0.0 to 99999.9",
                        )
                    })
                }
            }
            N::RegistrationId => (!(len == 4 && upper_alnum(b)))
                .then_some((rules::ELD_INVALID_FIELD, "4 characters A-Z 0-9")),
            N::EldIdentifier => (!(len == 6 && upper_alnum(b)))
                .then_some((rules::ELD_INVALID_FIELD, "6 characters A-Z 0-9")),
            N::AuthenticationValue => {
                (len <= 16).then_some((rules::ELD_INVALID_FIELD, "more than 16 characters"))
            }
            N::OutputFileComment | N::Comment => {
                (len > 60).then_some((rules::ELD_INVALID_FIELD, "at most 60 characters"))
            }
            N::LocationDescription => (len != 0 && !(5..=60).contains(&len))
                .then_some((rules::ELD_INVALID_FIELD, "blank or 5 to 60 characters")),
            N::OrderNumber | N::CmvOrder | N::UserOrder => {
                let blank_ok = name == N::CmvOrder
                    && matches!(layout, Layout::Certification | Layout::Malfunction);
                (!(blank_ok && len == 0) && f.order_number().is_err())
                    .then_some((rules::ELD_INVALID_FIELD, "an order number 1 to 99"))
            }
            N::AccountType => {
                (!matches!(b, b"D" | b"S")).then_some((rules::ELD_INVALID_CODE, "D or S"))
            }
            N::SequenceId => f
                .sequence_id()
                .err()
                .map(|_| (rules::ELD_INVALID_FIELD, "1 to 4 hex digits")),
            N::RecordStatus | N::RecordOrigin => f
                .digit_in(1, 4)
                .err()
                .map(|_| (rules::ELD_INVALID_CODE, "1, 2, 3 or 4")),
            N::EventType => (f.digit_in(1, 3).is_err())
                .then_some((rules::ELD_INVALID_CODE, "1, 2 or 3 in this section")),
            N::EventCode => {
                let (min, max, expected) = match ctx.event_type {
                    Some(1) => (1, 4, "1 to 4 for event type 1"),
                    Some(2) => (1, 2, "1 or 2 for event type 2"),
                    Some(3) => (0, 2, "0, 1 or 2 for event type 3"),
                    Some(4) => (1, 9, "1 to 9 for event type 4"),
                    Some(5) => (1, 2, "1 or 2 for event type 5"),
                    Some(6) | Some(7) => (1, 4, "1 to 4"),
                    _ => (0, 9, "a digit"),
                };
                f.digit_in(min, max)
                    .err()
                    .map(|_| (rules::ELD_INVALID_CODE, expected))
            }
            N::DistanceSinceLastValid => f
                .digit_in(0, 6)
                .err()
                .map(|_| (rules::ELD_INVALID_FIELD, "one digit, 0 to 6")),
            N::MalfunctionStatus | N::DiagnosticStatus => f
                .digit_in(0, 1)
                .err()
                .map(|_| (rules::ELD_INVALID_CODE, "0 or 1")),
            N::EventCheckValue => f
                .hex2()
                .err()
                .map(|_| (rules::ELD_INVALID_FIELD, "2 hex digits")),
            N::MalfunctionCode => self.malfunction_code(f),
        };
        if let Some((rule, expected)) = bad {
            let why = match (b.is_empty(), rule.code) {
                (true, _) => "is blank",
                _ => "is not valid",
            };
            self.push_ef(
                rule,
                f.location(),
                format!("{} {why}", name.name()),
                expected,
                lossy(b),
            );
        }
    }

    fn malfunction_code(&mut self, f: Field<'a>) -> Option<(Rule, &'static str)> {
        match f.as_bytes() {
            [b'P' | b'E' | b'T' | b'L' | b'R' | b'S' | b'O'] | [b'1'..=b'6'] => None,
            _ => Some((
                rules::ELD_INVALID_CODE,
                "a Table 4 code: P E T L R S O (malfunctions) or 1 to 6 (diagnostics)",
            )),
        }
    }

    /// §7.5: 17 characters with a valid position-9 check digit (49 CFR
    /// 565.15), or `-` and 17 characters when the VIN did not come from the
    /// engine ECM, or blank.
    fn vin(&mut self, f: Field<'a>) {
        let b = f.as_bytes();
        match b {
            [] => {}
            [b'-', rest @ ..] if rest.len() == 17 => {}
            _ if b.len() == 17 => match vin_check_digit(b) {
                Some(d) if d == b[8] => {}
                Some(d) => self.push_ef(
                    rules::ELD_VIN_CHECK_DIGIT,
                    f.location(),
                    "the VIN's check digit (position 9) is wrong (49 CFR 565.15)",
                    (d as char).to_string(),
                    (b[8] as char).to_string(),
                ),
                None => self.push_ef(
                    rules::ELD_INVALID_FIELD,
                    f.location(),
                    "the VIN holds characters 49 CFR 565 does not allow (I, O, Q or punctuation)",
                    "A-Z (not I, O, Q) and 0-9",
                    lossy(b),
                ),
            },
            _ => self.push_ef(
                rules::ELD_INVALID_FIELD,
                f.location(),
                "CMV VIN (§7.5) must be blank, 17 characters, or `-` and 17 characters",
                "0, 17 or 18 characters",
                lossy(b),
            ),
        }
    }

    // ---------------------------------------------------------------
    // Consistency across lines and sections (§4.4.4, §4.3.2.8, §4.6.1.6).
    // ---------------------------------------------------------------

    fn consistency(&mut self) {
        let facts = std::mem::take(&mut self.facts);
        self.order_numbers(&facts);
        self.annotations(&facts);
        self.status_origin(&facts);
        self.sequence_ids(&facts);
        self.totals(&facts);
        self.accumulated(&facts);
        self.event_check_values(&facts);
        self.driving_edited(&facts);
        self.header_cmv(&facts);
        self.unidentified_driving(&facts);
        self.facts = facts;
    }

    fn order_numbers(&mut self, facts: &Facts<'a>) {
        if facts.seen_cmv_list {
            for &(order, loc) in &facts.cmv_refs {
                if !facts.cmvs.contains_key(&order) {
                    self.push_ef(
                        rules::ELD_UNKNOWN_CMV_ORDER,
                        loc,
                        "the CMV order number is not in the CMV List",
                        "an order number of the CMV List",
                        order.to_string(),
                    );
                }
            }
        }
        if facts.seen_user_list {
            for e in &facts.events {
                if let Some(u) = e.user {
                    if !facts.users.contains_key(&u) {
                        self.push_ef(
                            rules::ELD_UNKNOWN_USER_ORDER,
                            e.loc.with_field(14),
                            "the user order number is not in the User List",
                            "an order number of the User List",
                            u.to_string(),
                        );
                    }
                }
            }
        }
    }

    /// Annotations refer to Event List records (§4.8.2.1.5); edits need an
    /// annotation (§4.3.2.8.2(c)): every origin-3 record (a carrier edit
    /// request), and every origin-2 record that replaces an inactive-changed
    /// record of the same date and time.
    fn annotations(&mut self, facts: &Facts<'a>) {
        let event_ids: HashSet<u16> = facts
            .events
            .iter()
            .filter(|e| e.source == EventSource::EventList)
            .filter_map(|e| e.seq)
            .collect();
        for &(seq, loc) in &facts.annotations {
            if !event_ids.contains(&seq) {
                self.push_ef(
                    rules::ELD_ORPHAN_ANNOTATION,
                    loc,
                    "the annotation's sequence ID is not in the Event List",
                    "a sequence ID of the Event List",
                    format!("{seq:X}"),
                );
            }
        }
        // Origin 2 also covers statuses the driver selects live, which need
        // no annotation; an origin-2 record is taken as an edit when an
        // inactive-changed record of the same time stands beside it.
        let annotated: HashSet<u16> = facts.annotations.iter().map(|a| a.0).collect();
        let changed: HashSet<NaiveDateTime> = facts
            .events
            .iter()
            .filter(|e| e.source == EventSource::EventList && e.status == Some(2))
            .filter_map(|e| e.at)
            .collect();
        for e in &facts.events {
            if e.source != EventSource::EventList {
                continue;
            }
            let is_edit = match e.origin {
                Some(3) => true,
                Some(2) => e.status != Some(2) && e.at.is_some_and(|t| changed.contains(&t)),
                _ => false,
            };
            if !is_edit {
                continue;
            }
            if let Some(seq) = e.seq {
                if !annotated.contains(&seq) {
                    self.push(
                        rules::ELD_EDIT_WITHOUT_ANNOTATION,
                        e.loc.with_field(3),
                        format!(
                            "record {seq:X} was edited or entered (origin {}) but has no annotation",
                            e.origin.unwrap_or(0)
                        ),
                    );
                }
            }
        }
    }

    fn status_origin(&mut self, facts: &Facts<'a>) {
        for e in &facts.events {
            let (Some(status), Some(origin)) = (e.status, e.origin) else {
                continue;
            };
            let why = match (origin, status, e.etype, e.source) {
                (1, 3 | 4, _, _) => {
                    "an automatically recorded record (origin 1) cannot be a change request (status 3 or 4)"
                }
                (3, 2, _, _) => {
                    "a carrier edit request (origin 3) becomes active (1) or rejected (4), never inactive-changed (2)"
                }
                (2 | 3, _, Some(2), _) => {
                    "an intermediate log (event type 2) can never be edited or entered manually (§4.3.2.8.2(a))"
                }
                (2 | 4, _, _, EventSource::Unidentified) => {
                    "an unidentified driver profile record cannot be driver-edited or assumed (origin 2 or 4)"
                }
                _ => continue,
            };
            self.push_ef(
                rules::ELD_STATUS_ORIGIN,
                e.loc.with_field(2),
                why,
                "a combination the edit model allows",
                format!("status {status}, origin {origin}"),
            );
        }
    }

    /// §4.4.4.1: one counter per ELD, wrapping after FFFF. Records are put
    /// in time order and their IDs unwrapped (each step taken as the
    /// shortest way forward or back modulo 65,536), so an ID reused after a
    /// wrap is not a duplicate, while the same ID on two different records
    /// of one window is. Records whose statuses differ (an edited original
    /// and its replacement) may share an ID.
    fn sequence_ids(&mut self, facts: &Facts<'a>) {
        let mut items: Vec<(NaiveDateTime, usize, u16, Location, Option<u8>, Location)> = facts
            .timed
            .iter()
            .enumerate()
            .filter_map(|(i, (_, t))| {
                let (seq, sloc) = t.seq?;
                Some((t.at?, i, seq, sloc, t.status, t.loc))
            })
            .collect();
        items.sort_by_key(|x| (x.0, x.1));
        let mut seen: HashMap<i64, (Option<u8>, Location)> = HashMap::with_capacity(items.len());
        let mut unwrapped: i64 = 0;
        let mut prev: Option<u16> = None;
        for &(_, _, seq, sloc, status, _) in &items {
            if let Some(p) = prev {
                let delta = i64::from(seq.wrapping_sub(p) as i16);
                unwrapped += delta;
            }
            prev = Some(seq);
            match seen.get(&unwrapped) {
                Some(&(other_status, other_loc)) => {
                    let differ = matches!((status, other_status), (Some(a), Some(b)) if a != b);
                    if !differ {
                        let (first, second) = if other_loc.offset < sloc.offset {
                            (other_loc, sloc)
                        } else {
                            (sloc, other_loc)
                        };
                        self.push_ef(
                            rules::ELD_DUPLICATE_SEQUENCE_ID,
                            second,
                            format!(
                                "sequence ID {seq:X} is also used by the record at byte {}",
                                first.offset
                            ),
                            "a sequence ID used once",
                            format!("{seq:X}"),
                        );
                    }
                }
                None => {
                    seen.insert(unwrapped, (status, sloc));
                }
            }
        }
    }

    fn power_unit<'f>(facts: &'f Facts<'a>, key: CmvKey<'a>) -> Option<&'a [u8]> {
        match key {
            CmvKey::PowerUnit(p) => Some(p),
            CmvKey::Order(o) => facts.cmvs.get(&o).copied(),
        }
    }

    fn totals(&mut self, facts: &Facts<'a>) {
        let mut by_cmv: HashMap<&'a [u8], Vec<Total<'a>>> = HashMap::new();
        for t in &facts.totals {
            if let Some(pu) = Self::power_unit(facts, t.cmv) {
                if !pu.is_empty() {
                    by_cmv.entry(pu).or_default().push(*t);
                }
            }
        }
        let mut keys: Vec<&&'a [u8]> = by_cmv.keys().collect();
        keys.sort();
        let mut findings = Vec::new();
        for key in keys {
            let list = &by_cmv[*key];
            let mut list = list.clone();
            list.sort_by_key(|t| (t.at, t.loc.offset));
            let mut max_miles: Option<(u32, NaiveDateTime)> = None;
            let mut max_hours: Option<(u32, NaiveDateTime)> = None;
            for t in &list {
                if let Some(m) = t.miles {
                    match max_miles {
                        Some((pm, pat)) if m < pm && t.at > pat => findings.push((
                            t.loc.with_field(0),
                            "total vehicle miles",
                            pm.to_string(),
                            m.to_string(),
                            lossy(key),
                        )),
                        Some((pm, _)) if m < pm => {}
                        _ => max_miles = Some((m, t.at)),
                    }
                }
                if let Some(h) = t.hours {
                    match max_hours {
                        Some((ph, pat)) if h < ph && t.at > pat => findings.push((
                            t.loc.with_field(0),
                            "total engine hours",
                            tenths(ph),
                            tenths(h),
                            lossy(key),
                        )),
                        Some((ph, _)) if h < ph => {}
                        _ => max_hours = Some((h, t.at)),
                    }
                }
            }
        }
        for (loc, what, expected, found, pu) in findings {
            self.push_ef(
                rules::ELD_TOTAL_DECREASE,
                Location::at(loc.offset),
                format!("{what} of CMV {pu} decrease from an earlier record"),
                format!("at least {expected}"),
                found,
            );
        }
    }

    fn accumulated(&mut self, facts: &Facts<'a>) {
        let mut by_cmv: HashMap<&'a [u8], Vec<&Ev<'a>>> = HashMap::new();
        for e in &facts.events {
            if e.origin != Some(1) || e.at.is_none() {
                continue;
            }
            if let Some(pu) = e.cmv.and_then(|c| facts.cmvs.get(&c)) {
                by_cmv.entry(pu).or_default().push(e);
            }
        }
        let mut keys: Vec<&'a [u8]> = by_cmv.keys().copied().collect();
        keys.sort();
        for key in keys {
            let mut list = by_cmv.remove(key).unwrap_or_default();
            list.sort_by_key(|e| (e.at, e.loc.offset));
            let mut power_ups: Vec<NaiveDateTime> = facts
                .engine
                .iter()
                .filter(|(pu, _, code)| *pu == key && matches!(code, 1 | 2))
                .map(|(_, at, _)| *at)
                .collect();
            power_ups.sort();
            let mut miles: Option<u32> = None;
            let mut hours: Option<u32> = None;
            let mut prev_at: Option<NaiveDateTime> = None;
            for e in list {
                let Some(at) = e.at else { continue };
                if let Some(p) = prev_at {
                    let i = power_ups.partition_point(|&u| u <= p);
                    if power_ups.get(i).is_some_and(|&u| u <= at) {
                        miles = None;
                        hours = None;
                    }
                }
                prev_at = Some(at);
                for (value, last, what, fmt) in [
                    (e.miles, &mut miles, "accumulated vehicle miles", false),
                    (e.hours, &mut hours, "elapsed engine hours", true),
                ] {
                    let Some(v) = value else { continue };
                    match *last {
                        Some(l) if v < l => {
                            let show = |x: u32| if fmt { tenths(x) } else { x.to_string() };
                            self.report.push(
                                self.options,
                                Finding::new(
                                    rules::ELD_ACCUMULATED_DECREASE,
                                    e.loc,
                                    format!(
                                        "{what} of CMV {} decrease without an engine power-up in between",
                                        lossy(key)
                                    ),
                                )
                                .expected_found(format!("at least {}", show(l)), show(v)),
                            );
                        }
                        _ => *last = Some(v),
                    }
                }
            }
        }
    }

    /// §4.4.5.1. The username is known for rows whose originator is the
    /// header's driver or co-driver (matched by name through the User
    /// List); otherwise the driver's username (Event List) or
    /// `unidentified` (Unidentified Driver Profile) is assumed and a
    /// mismatch is only a warning.
    fn event_check_values(&mut self, facts: &Facts<'a>) {
        for e in &facts.events {
            let Some((written, loc)) = e.ecv else {
                continue;
            };
            let power_unit = e.cmv.and_then(|c| facts.cmvs.get(&c)).copied();
            let (username, known): (&[u8], bool) = match e.source {
                EventSource::Unidentified => (b"unidentified", false),
                EventSource::EventList => {
                    let user = e.user.and_then(|u| facts.users.get(&u));
                    let same = |p: Option<(&[u8], &[u8], &[u8])>| {
                        p.zip(user).is_some_and(|((l, f, _), (ul, uf))| {
                            l.eq_ignore_ascii_case(ul) && f.eq_ignore_ascii_case(uf)
                        })
                    };
                    if same(facts.driver) {
                        (facts.driver.map_or(&b""[..], |d| d.2), true)
                    } else if same(facts.co_driver) {
                        (facts.co_driver.map_or(&b""[..], |d| d.2), true)
                    } else {
                        (facts.driver.map_or(&b""[..], |d| d.2), false)
                    }
                }
            };
            let known = known && power_unit.is_some();
            let [a, b, c, d, e2, f, g, h] = e.ecv_elements;
            let computed =
                event_check_value(&[a, b, c, d, e2, f, g, h, power_unit.unwrap_or(b""), username]);
            if computed != written {
                let mut finding = Finding::new(
                    rules::EVENT_CHECK_VALUE_MISMATCH,
                    loc,
                    if known {
                        format!(
                            "the event data check value does not match the event (username {})",
                            lossy(username)
                        )
                    } else {
                        format!(
                            "the event data check value does not match the event computed with the assumed username {}",
                            lossy(username)
                        )
                    },
                )
                .expected_found(format!("{computed:02X}"), format!("{written:02X}"));
                if !known {
                    finding.severity = Severity::Warning;
                }
                self.report.push(self.options, finding);
            }
        }
    }

    /// §4.3.2.8.2(b): automatically recorded driving time may not be
    /// shortened, nor its driver changed (except assuming unidentified
    /// records and correcting team-driver swaps, which this rule cannot
    /// tell apart and so still reports). An inactive-changed (status 2),
    /// automatic (origin 1) driving record whose period (up to the next
    /// duty status record of any status) the active records no longer show
    /// as driving is reported.
    fn driving_edited(&mut self, facts: &Facts<'a>) {
        let mut duty: Vec<&Ev<'a>> = facts
            .events
            .iter()
            .filter(|e| e.source == EventSource::EventList && e.etype == Some(1) && e.at.is_some())
            .collect();
        duty.sort_by_key(|e| (e.at, e.loc.offset));
        let active: Vec<&Ev<'a>> = duty
            .iter()
            .copied()
            .filter(|e| e.status == Some(1))
            .collect();
        for orig in &duty {
            if !(orig.status == Some(2) && orig.origin == Some(1) && orig.code == Some(3)) {
                continue;
            }
            let Some(t0) = orig.at else { continue };
            let t1 = duty
                .iter()
                .find_map(|e| e.at.filter(|&t| t > t0))
                .or(facts.current.filter(|&c| c > t0));
            let before = active.iter().rev().find(|e| e.at.is_some_and(|t| t <= t0));
            let at_start_ok = before.is_some_and(|e| e.code == Some(3))
                && active
                    .iter()
                    .filter(|e| e.at == Some(t0))
                    .all(|e| e.code == Some(3));
            let inside_ok = active
                .iter()
                .filter(|e| e.at.is_some_and(|t| t > t0 && t1.is_some_and(|t1| t < t1)))
                .all(|e| e.code == Some(3));
            if !(at_start_ok && inside_ok) {
                self.push(
                    rules::ELD_DRIVING_EDITED,
                    orig.loc,
                    format!(
                        "automatically recorded driving from {t0}{} is no longer driving in the active records",
                        t1.map_or(String::new(), |t| format!(" to {t}"))
                    ),
                );
            }
        }
    }

    fn header_cmv(&mut self, facts: &Facts<'a>) {
        let (Some((pu, vin)), Some((top_pu, top_vin))) = (facts.h3, facts.cmv_top) else {
            return;
        };
        if !pu.is_blank() && pu.as_bytes() != top_pu {
            self.push_ef(
                rules::ELD_HEADER_CMV_MISMATCH,
                pu.location(),
                "the header's power unit number is not the most recent CMV's",
                lossy(top_pu),
                lossy(pu.as_bytes()),
            );
        }
        if !vin.is_blank() && vin.as_bytes() != top_vin {
            self.push_ef(
                rules::ELD_HEADER_CMV_MISMATCH,
                vin.location(),
                "the header's VIN is not the most recent CMV's",
                lossy(top_vin),
                lossy(vin.as_bytes()),
            );
        }
    }

    /// §4.6.1.6: diagnostic 5 is set above 30 minutes of unidentified
    /// driving in a 24-hour period (which starts at the header's 24-hour
    /// period starting time, §7.1).
    fn unidentified_driving(&mut self, facts: &Facts<'a>) {
        if facts.diagnostic_5 {
            return;
        }
        let mut list: Vec<&Ev<'a>> = facts
            .events
            .iter()
            .filter(|e| {
                e.source == EventSource::Unidentified
                    && e.etype == Some(1)
                    && e.status == Some(1)
                    && e.at.is_some()
            })
            .collect();
        list.sort_by_key(|e| (e.at, e.loc.offset));
        let start = facts.period_start.unwrap_or(NaiveTime::MIN);
        let shift = start - NaiveTime::MIN;
        let mut per_day: Vec<(chrono::NaiveDate, i64, Location)> = Vec::new();
        for (i, e) in list.iter().enumerate() {
            let Some(t0) = e.at else { continue };
            if e.code != Some(3) {
                continue;
            }
            let pu = e.cmv.and_then(|c| facts.cmvs.get(&c)).copied();
            let end = list
                .get(i + 1)
                .and_then(|n| n.at)
                .or_else(|| {
                    facts
                        .engine
                        .iter()
                        .filter(|(p, at, code)| Some(*p) == pu && *at > t0 && matches!(code, 3 | 4))
                        .map(|x| x.1)
                        .min()
                })
                .or(facts.current.filter(|&c| c > t0));
            let Some(end) = end else { continue };
            let end = end.min(t0 + TimeDelta::days(8));
            let mut t = t0;
            while t < end {
                let day = (t - shift).date();
                let next_day = day.succ_opt().map(|d| d.and_time(NaiveTime::MIN) + shift);
                let stop = next_day.map_or(end, |n| n.min(end));
                let secs = (stop - t).num_seconds();
                match per_day.iter_mut().find(|d| d.0 == day) {
                    Some(d) => d.1 += secs,
                    None => per_day.push((day, secs, e.loc)),
                }
                if stop <= t {
                    break;
                }
                t = stop;
            }
        }
        for (day, secs, loc) in per_day {
            if secs > 30 * 60 {
                self.push_ef(
                    rules::ELD_UNIDENTIFIED_WITHOUT_DIAGNOSTIC,
                    loc,
                    format!(
                        "{} minutes of unidentified driving in the 24-hour period of {day}, but no diagnostic 5 is logged",
                        secs / 60
                    ),
                    "a diagnostic 5 record",
                    "none",
                );
            }
        }
    }
}

fn section_of(layout: Layout) -> Option<SectionKind> {
    Some(match layout {
        Layout::Event => SectionKind::EventList,
        Layout::Certification => SectionKind::Certifications,
        Layout::Malfunction => SectionKind::Malfunctions,
        Layout::LoginLogout => SectionKind::LoginLogout,
        Layout::EnginePower => SectionKind::EnginePower,
        Layout::Unidentified => SectionKind::Unidentified,
        _ => return None,
    })
}

fn tenths(v: u32) -> String {
    format!("{}.{}", v / 10, v % 10)
}

fn upper_alnum(b: &[u8]) -> bool {
    b.iter()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// §7.42: up to three numbers of at most 10 characters, separated by single
/// spaces, 32 characters at most.
fn trailers_ok(b: &[u8]) -> bool {
    if b.is_empty() {
        return true;
    }
    b.len() <= 32
        && b.split(|&c| c == b' ').count() <= 3
        && b.split(|&c| c == b' ')
            .all(|t| !t.is_empty() && t.len() <= 10)
}

/// The 49 CFR 565.15 check digit of a 17-character VIN (`0`-`9` or `X`), or
/// `None` when it holds a character the VIN alphabet does not have.
///
/// # Examples
///
/// ```
/// use ediguard::integrity::eld::vin_check_digit;
/// assert_eq!(vin_check_digit(b"3AKJHHDRXNSNA4512"), Some(b'X'));
/// assert_eq!(vin_check_digit(b"1M8GDM9AXKP042788"), Some(b'X'));
/// assert_eq!(vin_check_digit(b"1M8GDM9AIKP042788"), None);
/// ```
pub fn vin_check_digit(vin: &[u8]) -> Option<u8> {
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    if vin.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (i, &c) in vin.iter().enumerate() {
        let v = match c.to_ascii_uppercase() {
            d @ b'0'..=b'9' => u32::from(d - b'0'),
            b'A' | b'J' => 1,
            b'B' | b'K' | b'S' => 2,
            b'C' | b'L' | b'T' => 3,
            b'D' | b'M' | b'U' => 4,
            b'E' | b'N' | b'V' => 5,
            b'F' | b'W' => 6,
            b'G' | b'P' | b'X' => 7,
            b'H' | b'Y' => 8,
            b'R' | b'Z' => 9,
            _ => return None,
        };
        sum += v * WEIGHTS[i];
    }
    Some(match sum % 11 {
        10 => b'X',
        d => b'0' + d as u8,
    })
}
