//! ELD output file integrity (49 CFR 395 Subpart B, Appendix A): structure
//! (§4.8.2.1), check values (§4.4.5), the data dictionary (§7) and internal
//! consistency (edits §4.4.4.2 and §4.3.2.8, sequence IDs §4.4.4.1,
//! odometer and engine hours §7.19/§7.43, unidentified driving §4.6.1.6).
//!
//! Every rule code is in [`crate::rules`]; every finding carries the line
//! (from the byte offset) and, where it concerns one field, the field
//! position.

use std::sync::OnceLock;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use crate::eld::check_value::{
    event_check_value_of_sum, file_check_value, line_check_value_of_sum, mapped_sum, parse_hex4,
};
use crate::eld::scan::{LineScan, MAX_FIELDS};
use crate::eld::{
    Coordinate, EldFile, Field, FieldError, FieldName, Layout, Record, Section, SectionKind,
    TitleMatch,
};
use crate::rules::{self, Rule};
use crate::{Error, Finding, Format, Location, Options, Report, Result, Severity};

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
    check_file_with(file, options, Way::DEFAULT)
}

/// How [`Checker`] goes about its work; every way gives the same report
/// (tests compare them).
#[derive(Clone, Copy, Debug)]
struct Way {
    /// Whether valid rows take the short way ([`Caches::valid_row`]).
    fast: bool,
    /// Sections of more rows than this are read on [`Options::threads`]
    /// threads, in blocks of this many rows.
    block_rows: usize,
    /// Files with at least this many timed rows run their consistency
    /// rules on [`Options::threads`] threads.
    rules_apart_from: usize,
}

impl Way {
    const DEFAULT: Way = Way {
        fast: true,
        block_rows: 8192,
        rules_apart_from: 65_536,
    };
}

/// [`check_file`], the way given.
fn check_file_with(file: &EldFile<'_>, options: &Options, way: Way) -> Result<Report> {
    let mut report = Report::new(Some(Format::Eld));
    report.counts.interchanges = 1;
    report.counts.segments = file.line_count();
    let mut c = Checker {
        options,
        report,
        way,
        caches: Caches::default(),
    };
    let mut facts = Facts::default();
    c.structure(file, &mut facts);
    c.lines(file, &mut facts)?;
    c.consistency(&facts);
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

/// The fields of a row, one after the other (what [`Checker::valid_row`]
/// reads).
struct RowFields<'s, 'a> {
    line: &'a [u8],
    offset: usize,
    /// The commas.
    ends: &'s [usize],
    /// The next field: its index and where it starts.
    index: usize,
    start: usize,
}

impl<'a> RowFields<'_, 'a> {
    #[inline(always)]
    fn next(&mut self) -> Option<Field<'a>> {
        let end = match self.ends.get(self.index) {
            Some(&end) => end,
            None if self.index == self.ends.len() => self.line.len(),
            None => return None,
        };
        let field = Field::new(
            self.line.get(self.start..end)?,
            self.offset + self.start,
            self.index as u32 + 1,
        );
        self.index += 1;
        self.start = end + 1;
        Some(field)
    }
}

/// The line data check value `lcv` of `r` and the Table 3 sum of the
/// bytes `elements` (as [`table3_sums`]), when `lcv` is two hex digits that
/// match the line (§4.4.5.2).
fn valid_line_check_value(
    r: &Record<'_>,
    lcv: Field<'_>,
    elements: Option<(usize, usize)>,
) -> Option<(u8, Option<u32>)> {
    let value = lcv.hex2().ok()?;
    let comma = (lcv.offset() - r.offset()).checked_sub(1)?;
    let (line_sum, elements) = table3_sums(r.as_bytes(), Some(comma), elements);
    (line_check_value_of_sum(line_sum?) == value).then_some((value, elements))
}

/// What a row that takes the short way ([`Caches::valid_row`]) records:
/// made on any thread, recorded in file order ([`FastRow::record`]).
struct FastRow<'a> {
    /// The line data check value.
    lcv: u8,
    /// The row's date and time.
    at: NaiveDateTime,
    facts: FastFacts<'a>,
}

/// What a [`FastRow`] records beyond its line check value: an event (its
/// [`Ev`] has its sequence ID and time), or the sequence ID and time of
/// another row ([`Timed`]) and what else the row has.
enum FastFacts<'a> {
    Event {
        ev: Ev,
        cmv: (u8, At),
    },
    Login {
        timed: Timed,
    },
    Certification {
        timed: Timed,
        cmv: Option<(u8, At)>,
    },
    Engine {
        timed: Timed,
        engine: (&'a [u8], NaiveDateTime, u8),
        total: Total<'a>,
    },
}

impl<'a> FastRow<'a> {
    /// The [`Timed`] of a login, certification or engine row (no record
    /// status).
    fn timed((seq, seq_field): (u16, &Field<'a>), at: NaiveDateTime) -> Timed {
        Timed {
            seq: Some((seq, At::of(seq_field))),
            at: Some(at),
            status: None,
        }
    }

    /// Records the row as [`Checker::record`] would; returns its date and
    /// time.
    fn record(self, facts: &mut Facts<'a>, line_cvs: &mut Vec<u8>) -> NaiveDateTime {
        line_cvs.push(self.lcv);
        match self.facts {
            FastFacts::Event { ev, cmv } => {
                facts.cmv_ref(cmv);
                facts.events.push(ev);
            }
            FastFacts::Login { timed } => facts.timed.push(timed),
            FastFacts::Certification { timed, cmv } => {
                facts.timed.push(timed);
                if let Some(cmv) = cmv {
                    facts.cmv_ref(cmv);
                }
            }
            FastFacts::Engine {
                timed,
                engine,
                total,
            } => {
                facts.timed.push(timed);
                facts.engine.push(engine);
                facts.totals.push(total);
            }
        }
        self.at
    }
}

/// Values that rows repeat, remembered from the last row that had them.
/// One per thread; they change no result, only how fast it comes.
#[derive(Default)]
struct Caches<'a> {
    /// The last Date field read and its value: rows of one day repeat it.
    last_date: Option<([u8; 6], Result<NaiveDate, FieldError>)>,
    /// The last 17-character VIN checked and its check digit: the engine
    /// rows of one truck repeat it.
    last_vin: Option<(&'a [u8], Option<u8>)>,
}

/// What [`Checker::row`] made of a line.
enum Row<'a> {
    /// A row of its layout, checked; its date and time when readable.
    Checked(Option<NaiveDateTime>),
    /// The file data check value line, and its value.
    FileCheckValue(Field<'a>, u16),
    /// A line whose fields were not read (wrong count, bad file check
    /// value).
    Unread,
}

/// Where a field is: a compact [`Location`] (byte offset and 1-based
/// field position), made whole only when a finding needs it.
#[derive(Clone, Copy, Debug)]
struct At {
    offset: usize,
    field: u32,
}

impl At {
    fn of(f: &Field<'_>) -> At {
        At {
            offset: f.offset(),
            field: f.position(),
        }
    }

    fn location(self) -> Location {
        Location::at(self.offset).with_field(self.field)
    }
}

/// The elements of §4.4.5.1 that an Event List or Unidentified row carries
/// (the CMV number and the username come from elsewhere).
const ECV_FIELDS: [FieldName; 8] = [
    FieldName::EventType,
    FieldName::EventCode,
    FieldName::Date,
    FieldName::Time,
    FieldName::VehicleMiles,
    FieldName::EngineHours,
    FieldName::Latitude,
    FieldName::Longitude,
];

/// The 0-based indexes of the first and last of [`ECV_FIELDS`] in
/// `layout`, which has them side by side in that order.
const fn ecv_span(layout: Layout) -> Option<(usize, usize)> {
    match layout {
        Layout::Event | Layout::Unidentified => Some((3, 10)),
        _ => None,
    }
}

/// One Event List or Unidentified row, as far as it could be read.
#[derive(Clone, Debug)]
struct Ev {
    source: EventSource,
    /// Byte offset of the row.
    offset: usize,
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
    /// The Table 3 sum of [`ECV_FIELDS`] as written.
    ecv_sum: u32,
    /// The event check value as written, and where its field starts,
    /// counted from the row's start ([`Ev::ecv`] makes it whole).
    ecv: Option<(u8, u32)>,
}

impl Ev {
    fn loc(&self) -> Location {
        Location::at(self.offset)
    }

    /// What [`Ev::ecv`] keeps of the event check value field `f` of the
    /// row at `row`: its value and its distance from the row's start (kept
    /// in 32 bits to keep rows small; a field further into a line than
    /// that, which only a `max_segment_len` over 4 GiB lets through, is
    /// located at the row's start).
    fn ecv_of(f: &Field<'_>, row: usize) -> Option<(u8, u32)> {
        let value = f.hex2().ok()?;
        let delta = f.offset().saturating_sub(row);
        Some((value, u32::try_from(delta).unwrap_or(0)))
    }

    /// The event check value as written, and its field.
    fn ecv(&self) -> Option<(u8, At)> {
        let (value, delta) = self.ecv?;
        let layout = match self.source {
            EventSource::EventList => Layout::Event,
            EventSource::Unidentified => Layout::Unidentified,
        };
        let field = layout.position(FieldName::EventCheckValue).unwrap_or(0);
        let at = At {
            offset: self.offset + delta as usize,
            field: u32::try_from(field).unwrap_or(0),
        };
        Some((value, at))
    }
}

/// A record with a sequence ID and a time, for duplicate and order checks.
#[derive(Clone, Copy, Debug)]
struct Timed {
    seq: Option<(u16, At)>,
    at: Option<NaiveDateTime>,
    status: Option<u8>,
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
    users: ByOrder<(&'a [u8], &'a [u8])>,
    cmvs: ByOrder<&'a [u8]>,
    cmv_top: Option<(&'a [u8], &'a [u8])>,
    events: Vec<Ev>,
    annotations: Vec<(u16, At)>,
    cmv_refs: Vec<(u8, At)>,
    /// The rows with a sequence ID other than events (whose `Ev` has it).
    timed: Vec<Timed>,
    totals: Vec<Total<'a>>,
    /// Engine events: power unit, time, event code.
    engine: Vec<(&'a [u8], NaiveDateTime, u8)>,
    diagnostic_5: bool,
    seen_user_list: bool,
    seen_cmv_list: bool,
}

impl<'a> Facts<'a> {
    /// Notes a CMV order number used by a row, for
    /// [`Checker::order_numbers`]; one the CMV List has already given can
    /// never be reported, so it is not kept (a long Event List would keep
    /// one per row).
    fn cmv_ref(&mut self, (order, at): (u8, At)) {
        if !self.cmvs.contains_key(order) {
            self.cmv_refs.push((order, at));
        }
    }
}

/// Values by Order Number (§7.37: 1 to 99): a table where a map would hash
/// every lookup.
#[derive(Clone, Copy)]
struct ByOrder<T>([Option<T>; 100]);

impl<T: Copy> Default for ByOrder<T> {
    fn default() -> Self {
        ByOrder([None; 100])
    }
}

impl<T> ByOrder<T> {
    fn insert(&mut self, order: u8, value: T) {
        if let Some(slot) = self.0.get_mut(usize::from(order)) {
            *slot = Some(value);
        }
    }

    fn get(&self, order: u8) -> Option<&T> {
        self.0.get(usize::from(order))?.as_ref()
    }

    fn contains_key(&self, order: u8) -> bool {
        self.get(order).is_some()
    }
}

impl<'a> Caches<'a> {
    /// Reads `r` into `scan` and, when `fast` and the row has its layout's
    /// field count and nothing but printable ASCII, takes the short way
    /// ([`Caches::valid_row`]).
    fn fast_row(
        &mut self,
        layout: Layout,
        r: &Record<'a>,
        scan: &mut LineScan<'a>,
        fast: bool,
        max_fields: usize,
    ) -> Option<FastRow<'a>> {
        // One pass finds the commas and any byte outside printable ASCII;
        // everything after reads fields from it.
        scan.read(r);
        let n = scan.field_count();
        if fast && scan.unprintable().is_none() && n == layout.field_count() && n <= max_fields {
            self.valid_row(layout, r, scan)
        } else {
            None
        }
    }

    /// The usual row of a section with many (events, unidentified driving,
    /// logins, engine power, certifications), on which no rule has anything
    /// to say: each field is read once, in order, and the facts the
    /// consistency rules need are recorded; returns the row's date and
    /// time.
    ///
    /// Returns `None`, having changed nothing, for other layouts and for a
    /// row on which [`Checker::row`] would report anything (a field
    /// [`Checker::field`] rejects, a latitude and longitude that are not a
    /// pair, a wrong line check value); the caller then checks the row
    /// with [`Checker::row`]. `scan` has the layout's field count and no
    /// byte outside printable ASCII. Each arm reads the fields in the
    /// order of [`Layout::fields`] and accepts what [`Checker::field`]
    /// accepts; a property test compares the two ways.
    fn valid_row(
        &mut self,
        layout: Layout,
        r: &Record<'a>,
        scan: &LineScan<'a>,
    ) -> Option<FastRow<'a>> {
        let mut fields = RowFields {
            line: r.as_bytes(),
            offset: r.offset(),
            ends: scan.commas_of(layout.field_count())?,
            index: 0,
            start: 0,
        };
        match layout {
            Layout::Event => self.valid_event_row(EventSource::EventList, r, &mut fields),
            Layout::Unidentified => self.valid_event_row(EventSource::Unidentified, r, &mut fields),
            Layout::LoginLogout => self.valid_login_row(r, &mut fields),
            Layout::Certification => self.valid_certification_row(r, &mut fields),
            Layout::EnginePower => self.valid_engine_row(r, &mut fields),
            _ => None,
        }
    }

    /// [`Caches::valid_row`] for an Event List or Unidentified row.
    fn valid_event_row(
        &mut self,
        source: EventSource,
        r: &Record<'a>,
        fields: &mut RowFields<'_, 'a>,
    ) -> Option<FastRow<'a>> {
        let mut next = || fields.next();
        let seq = next()?;
        let status = next()?;
        let origin = next()?;
        let etype = next()?;
        let code = next()?;
        let date = next()?;
        let time = next()?;
        let miles = next()?;
        let hours = next()?;
        let latitude = next()?;
        let longitude = next()?;
        let distance = next()?;
        let cmv = next()?;
        let user = match source {
            EventSource::EventList => Some(next()?),
            EventSource::Unidentified => None,
        };
        let malfunction = next()?;
        let diagnostic = match source {
            EventSource::EventList => Some(next()?),
            EventSource::Unidentified => None,
        };
        let ecv = next()?;
        let lcv = next()?;
        // What `Checker::field` accepts, field by field.
        let seq_v = seq.sequence_id().ok()?;
        let status_v = status.digit_in(1, 4).ok()?;
        let origin_v = origin.digit_in(1, 4).ok()?;
        let etype_v = etype.digit_in(1, 3).ok()?;
        let (min, max) = match etype_v {
            1 => (1, 4),
            2 => (1, 2),
            _ => (0, 2),
        };
        let code_v = code.digit_in(min, max).ok()?;
        let date_v = self.date(date).ok()?;
        let time_v = time.time().ok()?;
        let latitude_v = latitude.latitude().ok()?;
        longitude.longitude().ok()?;
        let special = |f: Field<'_>| matches!(f.as_bytes(), b"X" | b"M" | b"E");
        if (special(latitude) || special(longitude)) && latitude.as_bytes() != longitude.as_bytes()
        {
            return None;
        }
        let blank_ok =
            source == EventSource::EventList && (origin_v != 1 || latitude_v.is_reduced());
        let miles_v = match miles.miles() {
            Ok(v) if v <= 9_999 => Some(v),
            _ if miles.is_blank() && blank_ok => None,
            _ => return None,
        };
        let hours_v = match hours.engine_hours() {
            Ok(h) => Some(h.tenths()),
            _ if hours.is_blank() && blank_ok => None,
            _ => return None,
        };
        distance.digit_in(0, 6).ok()?;
        let cmv_v = cmv.order_number().ok()?;
        let user_v = match user {
            Some(u) => Some(u.order_number().ok()?),
            None => None,
        };
        malfunction.digit_in(0, 1).ok()?;
        if let Some(d) = diagnostic {
            d.digit_in(0, 1).ok()?;
        }
        ecv.hex2().ok()?;
        let elements = (
            etype.offset() - r.offset(),
            longitude.offset() - r.offset() + longitude.as_bytes().len(),
        );
        let (lcv_v, ecv_sum) = valid_line_check_value(r, lcv, Some(elements))?;
        let ecv_sum = ecv_sum?;
        // Nothing to report: record what `Checker::record` records.
        let at = date_v.and_time(time_v);
        let ev = Ev {
            source,
            offset: r.offset(),
            seq: Some(seq_v),
            status: Some(status_v),
            origin: Some(origin_v),
            etype: Some(etype_v),
            code: Some(code_v),
            at: Some(at),
            miles: miles_v,
            hours: hours_v,
            cmv: Some(cmv_v),
            user: user_v,
            ecv_sum,
            ecv: Ev::ecv_of(&ecv, r.offset()),
        };
        Some(FastRow {
            lcv: lcv_v,
            at,
            facts: FastFacts::Event {
                ev,
                cmv: (cmv_v, At::of(&cmv)),
            },
        })
    }

    /// [`Caches::valid_row`] for a Login/Logout row.
    fn valid_login_row(
        &mut self,
        r: &Record<'a>,
        fields: &mut RowFields<'_, 'a>,
    ) -> Option<FastRow<'a>> {
        let mut next = || fields.next();
        let seq = next()?;
        let code = next()?;
        let username = next()?;
        let date = next()?;
        let time = next()?;
        let miles = next()?;
        let hours = next()?;
        let lcv = next()?;
        let seq_v = seq.sequence_id().ok()?;
        code.digit_in(1, 2).ok()?;
        if !(4..=60).contains(&username.as_bytes().len()) {
            return None;
        }
        let at = self.date(date).ok()?.and_time(time.time().ok()?);
        // Blank miles and hours are allowed on these rows.
        if !(miles.is_blank() || miles.miles().is_ok()) {
            return None;
        }
        if !(hours.is_blank() || hours.engine_hours().is_ok()) {
            return None;
        }
        let (lcv_v, _) = valid_line_check_value(r, lcv, None)?;
        let timed = FastRow::timed((seq_v, &seq), at);
        Some(FastRow {
            lcv: lcv_v,
            at,
            facts: FastFacts::Login { timed },
        })
    }

    /// [`Caches::valid_row`] for a certification row.
    fn valid_certification_row(
        &mut self,
        r: &Record<'a>,
        fields: &mut RowFields<'_, 'a>,
    ) -> Option<FastRow<'a>> {
        let mut next = || fields.next();
        let seq = next()?;
        let code = next()?;
        let date = next()?;
        let time = next()?;
        let certified = next()?;
        let cmv = next()?;
        let lcv = next()?;
        let seq_v = seq.sequence_id().ok()?;
        code.digit_in(1, 9).ok()?;
        let at = self.date(date).ok()?.and_time(time.time().ok()?);
        self.date(certified).ok()?;
        // A blank CMV order number is allowed on these rows.
        let cmv_v = if cmv.is_blank() {
            None
        } else {
            Some(cmv.order_number().ok()?)
        };
        let (lcv_v, _) = valid_line_check_value(r, lcv, None)?;
        let cmv = cmv_v.map(|c| (c, At::of(&cmv)));
        let timed = FastRow::timed((seq_v, &seq), at);
        Some(FastRow {
            lcv: lcv_v,
            at,
            facts: FastFacts::Certification { timed, cmv },
        })
    }

    /// [`Caches::valid_row`] for an engine power-up or shut-down row.
    fn valid_engine_row(
        &mut self,
        r: &Record<'a>,
        fields: &mut RowFields<'_, 'a>,
    ) -> Option<FastRow<'a>> {
        let mut next = || fields.next();
        let seq = next()?;
        let code = next()?;
        let date = next()?;
        let time = next()?;
        let miles = next()?;
        let hours = next()?;
        let latitude = next()?;
        let longitude = next()?;
        let power_unit = next()?;
        let vin = next()?;
        let trailers = next()?;
        let shipping = next()?;
        let lcv = next()?;
        let seq_v = seq.sequence_id().ok()?;
        let code_v = code.digit_in(1, 4).ok()?;
        let at = self.date(date).ok()?.and_time(time.time().ok()?);
        let miles_v = miles.miles().ok()?;
        let hours_v = hours.engine_hours().ok()?.tenths();
        latitude.latitude().ok()?;
        longitude.longitude().ok()?;
        let special = |f: Field<'_>| matches!(f.as_bytes(), b"X" | b"M" | b"E");
        if (special(latitude) || special(longitude)) && latitude.as_bytes() != longitude.as_bytes()
        {
            return None;
        }
        if !(1..=10).contains(&power_unit.as_bytes().len()) {
            return None;
        }
        let vin_ok = match vin.as_bytes() {
            [] => true,
            [b'-', rest @ ..] if rest.len() == 17 => true,
            b if b.len() == 17 => self
                .vin_check_digit(b)
                .is_some_and(|d| b.get(8) == Some(&d)),
            _ => false,
        };
        if !vin_ok || !trailers_ok(trailers.as_bytes()) || shipping.as_bytes().len() > 40 {
            return None;
        }
        let (lcv_v, _) = valid_line_check_value(r, lcv, None)?;
        let facts = FastFacts::Engine {
            timed: FastRow::timed((seq_v, &seq), at),
            engine: (power_unit.as_bytes(), at, code_v),
            total: Total {
                cmv: CmvKey::PowerUnit(power_unit.as_bytes()),
                at,
                miles: Some(miles_v),
                hours: Some(hours_v),
                loc: r.location(),
            },
        };
        Some(FastRow {
            lcv: lcv_v,
            at,
            facts,
        })
    }

    /// `f.date()`, remembering the last one read: the rows of a day repeat
    /// their date.
    fn date(&mut self, f: Field<'_>) -> Result<NaiveDate, FieldError> {
        match f.as_bytes().first_chunk::<6>() {
            Some(&key) if f.as_bytes().len() == 6 => match self.last_date {
                Some((k, d)) if k == key => d,
                _ => {
                    let d = f.date();
                    self.last_date = Some((key, d));
                    d
                }
            },
            _ => f.date(),
        }
    }

    /// [`vin_check_digit`], remembering the last VIN.
    fn vin_check_digit(&mut self, vin: &'a [u8]) -> Option<u8> {
        match self.last_vin {
            Some((v, d)) if v == vin => d,
            _ => {
                let d = vin_check_digit(vin);
                self.last_vin = Some((vin, d));
                d
            }
        }
    }
}

/// What [`Checker::lines`] keeps while it reads the lines of a section.
struct Lines<'l, 'a> {
    /// Every line data check value so far, for the file check value.
    line_cvs: &'l mut Vec<u8>,
    /// The file data check value line, once read.
    file_cv: &'l mut Option<(Field<'a>, u16)>,
    order: Order,
}

/// The newest-first rule within one section: the last time read, and
/// whether the section was reported already (once per section).
#[derive(Default)]
struct Order {
    prev: Option<NaiveDateTime>,
    reported: bool,
}

/// Whether a section's rows are events ([`Ev`]).
fn has_events(kind: SectionKind) -> bool {
    matches!(kind, SectionKind::EventList | SectionKind::Unidentified)
}

/// How many consistency rules [`Checker::consistency_rule`] numbers.
const CONSISTENCY_RULES: usize = 10;

/// The consistency rules in the order threads take them: the longest on a
/// long file first (accumulated values, which also sorts the events by
/// time; sequence IDs; edited driving), so that the short ones fill in.
const LONGEST_FIRST: [usize; CONSISTENCY_RULES] = [5, 3, 7, 0, 6, 1, 2, 9, 4, 8];

struct Checker<'o, 'a> {
    options: &'o Options,
    report: Report,
    way: Way,
    caches: Caches<'a>,
}

/// What the rest of a line says about one field, for the rules that depend
/// on it (blank allowed, event code table), and the fields already read
/// while finding that out, so that each is parsed once per line. Each
/// `Option` is `None` when the layout has no such field.
#[derive(Clone, Copy, Default)]
struct LineCtx {
    event_type: Option<u8>,
    origin: Option<u8>,
    reduced: bool,
    date: Option<Result<NaiveDate, FieldError>>,
    time: Option<Result<NaiveTime, FieldError>>,
    latitude: Option<Result<Coordinate, FieldError>>,
    longitude: Option<Result<Coordinate, FieldError>>,
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

    fn structure(&mut self, file: &EldFile<'a>, facts: &mut Facts<'a>) {
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
        facts.seen_user_list = seen[SectionKind::UserList.ordinal()];
        facts.seen_cmv_list = seen[SectionKind::CmvList.ordinal()];
    }

    // ---------------------------------------------------------------
    // Lines: ASCII, field counts, line check values, the dictionary.
    // ---------------------------------------------------------------

    fn lines(&mut self, file: &EldFile<'a>, facts: &mut Facts<'a>) -> Result<()> {
        let mut line_cvs: Vec<u8> = Vec::with_capacity(file.line_count());
        let mut file_cv: Option<(Field<'a>, u16)> = None;
        let mut scan = LineScan::new();
        for section in file.sections() {
            if let Some(t) = section.title() {
                self.ascii(&t);
            }
            let Some(kind) = section.kind() else {
                for r in section.records() {
                    self.ascii(&r);
                }
                continue;
            };
            // Room for what the section's rows record (CMV order numbers
            // are kept only when the CMV List lacks them).
            let rows = section.len();
            match kind {
                SectionKind::EventList | SectionKind::Unidentified => facts.events.reserve(rows),
                SectionKind::Malfunctions => facts.totals.reserve(rows),
                SectionKind::EnginePower => {
                    facts.engine.reserve(rows);
                    facts.totals.reserve(rows);
                }
                _ => {}
            }
            if kind.layout().and_then(section_of).is_some() && !has_events(kind) {
                facts.timed.reserve(rows);
            }
            let mut lines = Lines {
                line_cvs: &mut line_cvs,
                file_cv: &mut file_cv,
                order: Order::default(),
            };
            if rows > self.way.block_rows && Self::has_short_way(kind) {
                // (Asked only here: without a set number of threads it
                // asks the system, which costs more than a small file.)
                let threads = self.options.threads();
                if threads.get() > 1 {
                    self.lines_in_blocks(section, threads, facts, &mut lines, &mut scan)?;
                    continue;
                }
            }
            let max_fields = self.options.limits.max_fields;
            for r in section.records() {
                let Some(layout) = r.layout() else {
                    self.ascii(&r);
                    continue;
                };
                let fast = self
                    .caches
                    .fast_row(layout, &r, &mut scan, self.way.fast, max_fields);
                self.line(kind, layout, &r, fast, &scan, facts, &mut lines)?;
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

    /// Whether rows of `kind` can take the short way
    /// ([`Caches::valid_row`]), and so be read apart from the others.
    fn has_short_way(kind: SectionKind) -> bool {
        matches!(
            kind,
            SectionKind::EventList
                | SectionKind::Unidentified
                | SectionKind::LoginLogout
                | SectionKind::Certifications
                | SectionKind::EnginePower
        )
    }

    /// The rows of a large section, in blocks of [`Way::block_rows`]
    /// rows on up to `threads` threads: a block whose rows all take the
    /// short way records its facts apart, and they are added here, in
    /// file order; any other block is read here row by row. Either way the
    /// facts and findings are those of [`Checker::lines`] row by row (a
    /// property test compares them). A long file of one driver is mostly
    /// its Event List, and reading those rows is most of the work.
    fn lines_in_blocks(
        &mut self,
        section: Section<'_, 'a>,
        threads: std::num::NonZeroUsize,
        facts: &mut Facts<'a>,
        lines: &mut Lines<'_, 'a>,
        scan: &mut LineScan<'a>,
    ) -> Result<()> {
        let Some(kind) = section.kind() else {
            return Ok(());
        };
        let (fast, max_fields, block) = (
            self.way.fast,
            self.options.limits.max_fields,
            self.way.block_rows,
        );
        let blocks = section.len().div_ceil(block);
        let rows_of = |b: usize| section.records().skip(b * block).take(block);
        // The CMV List as read so far: rows record what it does not hold.
        let cmvs = facts.cmvs;
        // Emptied parts are used again: fresh ones for every block would
        // cost page faults for memory the last block has just given back.
        let spare: std::sync::Mutex<Vec<(Facts<'a>, Vec<u8>)>> = std::sync::Mutex::default();
        let mut outcome = Ok(());
        crate::batch::map_in_order(
            blocks,
            threads,
            |b| {
                let reused = spare.lock().ok().and_then(|mut s| s.pop());
                let (mut part, mut line_cvs) = reused.unwrap_or_default();
                part.cmvs = cmvs;
                let mut caches = Caches::default();
                let mut scan = LineScan::new();
                for r in rows_of(b) {
                    // `None` at the first row that does not take the short way.
                    let row = caches.fast_row(r.layout()?, &r, &mut scan, fast, max_fields)?;
                    row.record(&mut part, &mut line_cvs);
                }
                Some((part, line_cvs))
            },
            |b, done| {
                if outcome.is_err() {
                    return;
                }
                let Some((mut part, mut line_cvs)) = done else {
                    for r in rows_of(b) {
                        let Some(layout) = r.layout() else {
                            self.ascii(&r);
                            continue;
                        };
                        let fast = self.caches.fast_row(layout, &r, scan, fast, max_fields);
                        if let Err(e) = self.line(kind, layout, &r, fast, scan, facts, lines) {
                            outcome = Err(e);
                            return;
                        }
                    }
                    return;
                };
                // Each row recorded one event or one `Timed`, with its time.
                let times = part.events.iter().map(|e| e.at);
                for (k, at) in times.chain(part.timed.iter().map(|t| t.at)).enumerate() {
                    if let Some(at) = at {
                        self.newest_first(&mut lines.order, at, || {
                            rows_of(b).nth(k).map_or(Location::at(0), |r| r.location())
                        });
                    }
                }
                lines.line_cvs.append(&mut line_cvs);
                facts.timed.append(&mut part.timed);
                facts.events.append(&mut part.events);
                facts.cmv_refs.append(&mut part.cmv_refs);
                facts.engine.append(&mut part.engine);
                facts.totals.append(&mut part.totals);
                if let Ok(mut s) = spare.lock() {
                    s.push((part, line_cvs));
                }
            },
        );
        outcome
    }

    /// Records a data line of a known layout: what the short way made of
    /// it, or else the full checks ([`Checker::row`]) with `scan` read from
    /// it; then whether its section stays newest first.
    #[allow(clippy::too_many_arguments)]
    fn line(
        &mut self,
        kind: SectionKind,
        layout: Layout,
        r: &Record<'a>,
        fast: Option<FastRow<'a>>,
        scan: &LineScan<'a>,
        facts: &mut Facts<'a>,
        lines: &mut Lines<'_, 'a>,
    ) -> Result<()> {
        let at = match fast {
            Some(row) => Some(row.record(facts, lines.line_cvs)),
            None => match self.row(kind, layout, r, scan, facts, lines.line_cvs)? {
                Row::Checked(at) => at,
                Row::FileCheckValue(f, v) => {
                    *lines.file_cv = Some((f, v));
                    return Ok(());
                }
                Row::Unread => return Ok(()),
            },
        };
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
                self.newest_first(&mut lines.order, at, || r.location());
            }
        }
        Ok(())
    }

    /// Sections of timed rows are newest first (§4.8.2.1.4 to .10): the
    /// first row in a section that is newer than the row above it is
    /// reported, at `location`.
    fn newest_first(
        &mut self,
        order: &mut Order,
        at: NaiveDateTime,
        location: impl FnOnce() -> Location,
    ) {
        if let Some(prev) = order.prev {
            if at > prev && !order.reported {
                order.reported = true;
                self.push_ef(
                    rules::ELD_RECORD_ORDER,
                    location(),
                    "this record is newer than the one above it; the section must be newest first",
                    format!("at or before {prev}"),
                    at.to_string(),
                );
            }
        }
        order.prev = Some(at);
    }

    /// Checks one data line of a known layout: printable ASCII, the field
    /// limit, the line data check value, the field count, and (through
    /// [`Checker::record`]) every field.
    fn row(
        &mut self,
        kind: SectionKind,
        layout: Layout,
        r: &Record<'a>,
        scan: &LineScan<'a>,
        facts: &mut Facts<'a>,
        line_cvs: &mut Vec<u8>,
    ) -> Result<Row<'a>> {
        if let Some(i) = scan.unprintable() {
            self.unprintable(r, i);
        }
        let n = scan.field_count();
        if n > self.options.limits.max_fields {
            return Err(Error::limit(
                r.location(),
                "fields in one ELD line",
                self.options.limits.max_fields,
            ));
        }
        if layout == Layout::FileCheckValue {
            let f = Field::new(r.as_bytes(), r.offset(), 1);
            return Ok(match parse_hex4(r.as_bytes()) {
                Some(v) => Row::FileCheckValue(f, v),
                None => {
                    self.push_ef(
                        rules::ELD_INVALID_FIELD,
                        f.location(),
                        "the file data check value is not 4 hex digits (§7.27)",
                        "4 hex digits",
                        lossy(r.as_bytes()),
                    );
                    Row::Unread
                }
            });
        }
        // All the fields, when the line has as many as its layout.
        let mut buf = [Field::new(b"", 0, 0); MAX_FIELDS];
        let fields = (n == layout.field_count()).then(|| scan.fill(&mut buf));
        // The Table 3 sum of everything before the last comma, and of the
        // event check value's elements when the line has them: one walk
        // over the bytes, in three parts.
        let (line_sum, ecv_sum) = table3_sums(
            r.as_bytes(),
            scan.last_comma(),
            fields.and_then(|f| elements_span(layout, f, r.offset())),
        );
        // Line data check value (§4.4.5.2).
        if let Some(last) = scan.last_field() {
            match last.hex2() {
                Ok(v) => {
                    line_cvs.push(v);
                    if let Some(sum) = line_sum {
                        let computed = line_check_value_of_sum(sum);
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
        let Some(fields) = fields else {
            self.push_ef(
                rules::ELD_FIELD_COUNT,
                r.location(),
                format!(
                    "a {} line must have {} fields; its fields are not checked",
                    kind.title(),
                    layout.field_count()
                ),
                layout.field_count().to_string(),
                n.to_string(),
            );
            return Ok(Row::Unread);
        };
        Ok(Row::Checked(self.record(layout, r, fields, ecv_sum, facts)))
    }

    fn ascii(&mut self, r: &Record<'a>) {
        if let Some(i) = r
            .as_bytes()
            .iter()
            .position(|&b| !(0x20..0x7F).contains(&b))
        {
            self.unprintable(r, i);
        }
    }

    /// Reports byte `i` of `r`, which is outside printable ASCII.
    fn unprintable(&mut self, r: &Record<'a>, i: usize) {
        if let Some(&b) = r.as_bytes().get(i) {
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
        ecv_sum: Option<u32>,
        facts: &mut Facts<'a>,
    ) -> Option<NaiveDateTime> {
        let get = |name: FieldName| -> Option<Field<'a>> {
            layout
                .position(name)
                .and_then(|p| fields.get(p - 1))
                .copied()
        };
        // The line has the layout's field count: every position is there.
        let fld = |i: usize| fields.get(i).copied().unwrap_or(Field::new(b"", 0, 0));
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
        let latitude = get(FieldName::Latitude).map(|f| f.latitude());
        let date = get(FieldName::Date).map(|f| self.caches.date(f));
        let time = get(FieldName::Time).map(|f| f.time());
        let ctx = LineCtx {
            event_type,
            origin,
            reduced: matches!(latitude, Some(Ok(c)) if c.is_reduced()),
            date,
            time,
            latitude,
            longitude: get(FieldName::Longitude).map(|f| f.longitude()),
        };
        for (i, &name) in layout.fields().iter().enumerate() {
            if let Some(&f) = fields.get(i) {
                self.field(layout, name, f, &ctx);
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
        // As `r.date_time().ok()`, from the fields already read.
        let at = match (date, time) {
            (Some(Ok(d)), Some(Ok(t))) => Some(d.and_time(t)),
            _ => None,
        };
        let seq =
            get(FieldName::SequenceId).and_then(|f| f.sequence_id().ok().map(|s| (s, At::of(&f))));
        let status = get(FieldName::RecordStatus).and_then(|f| f.digit_in(1, 4).ok());
        if layout == Layout::Malfunction {
            let pairing_ok = match (fld(1).as_bytes(), fld(2).as_bytes()) {
                (b"1" | b"2", [l]) => l.is_ascii_uppercase(),
                (b"3" | b"4", [d]) => d.is_ascii_digit(),
                _ => true, // reported as an invalid code already
            };
            if !pairing_ok {
                self.report.push(
                        self.options,
                        Finding::new(
                            rules::ELD_INVALID_CODE,
                            fld(2).location(),
                            "malfunction codes (letters) go with event codes 1 and 2, diagnostic codes (digits) with 3 and 4 (Table 4)",
                        )
                        .expected_found(
                            format!("a code that fits event code {}", lossy(fld(1).as_bytes())),
                            lossy(fld(2).as_bytes()),
                        ),
                    );
            }
        }
        let f = facts;
        match layout {
            Layout::H1 => {
                f.driver = Some((fld(0).as_bytes(), fld(1).as_bytes(), fld(2).as_bytes()));
            }
            Layout::H2 if !fld(2).is_blank() => {
                f.co_driver = Some((fld(0).as_bytes(), fld(1).as_bytes(), fld(2).as_bytes()));
            }
            Layout::H3 => f.h3 = Some((fld(0), fld(1))),
            Layout::H4 => f.period_start = fld(3).time().ok(),
            Layout::H6 => {
                f.current = at;
                if let Some(at) = at {
                    if let Some((pu, _)) = f.h3 {
                        f.totals.push(Total {
                            cmv: CmvKey::PowerUnit(pu.as_bytes()),
                            at,
                            miles: fld(4).miles().ok(),
                            hours: fld(5).engine_hours().ok().map(|h| h.tenths()),
                            loc: r.location(),
                        });
                    }
                }
            }
            Layout::User => {
                if let Ok(o) = fld(0).order_number() {
                    f.users.insert(o, (fld(2).as_bytes(), fld(3).as_bytes()));
                }
            }
            Layout::Cmv => {
                if f.cmv_top.is_none() {
                    f.cmv_top = Some((fld(1).as_bytes(), fld(2).as_bytes()));
                }
                if let Ok(o) = fld(0).order_number() {
                    f.cmvs.insert(o, fld(1).as_bytes());
                }
            }
            Layout::Event | Layout::Unidentified => {
                let cmv = get(FieldName::CmvOrder).and_then(|x| x.order_number().ok());
                if let (Some(c), Some(x)) = (cmv, get(FieldName::CmvOrder)) {
                    f.cmv_ref((c, At::of(&x)));
                }
                let ecv_sum = ecv_sum.unwrap_or_else(|| {
                    ECV_FIELDS.iter().fold(0u32, |sum, &name| {
                        sum.wrapping_add(get(name).map_or(0, |x| mapped_sum(x.as_bytes())))
                    })
                });
                f.events.push(Ev {
                    source: if layout == Layout::Event {
                        EventSource::EventList
                    } else {
                        EventSource::Unidentified
                    },
                    offset: r.offset(),
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
                    ecv_sum,
                    ecv: get(FieldName::EventCheckValue).and_then(|x| Ev::ecv_of(&x, r.offset())),
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
                        f.cmv_ref((c, At::of(&x)));
                    }
                }
            }
            Layout::Malfunction => {
                if fld(2).as_bytes() == b"5" {
                    f.diagnostic_5 = true;
                }
                if let Some(x) = get(FieldName::CmvOrder) {
                    if let Ok(c) = x.order_number() {
                        f.cmv_ref((c, At::of(&x)));
                        if let Some(at) = at {
                            f.totals.push(Total {
                                cmv: CmvKey::Order(c),
                                at,
                                miles: fld(5).miles().ok(),
                                hours: fld(6).engine_hours().ok().map(|h| h.tenths()),
                                loc: r.location(),
                            });
                        }
                    }
                }
            }
            Layout::EnginePower => {
                if let Some(at) = at {
                    if let Ok(code) = fld(1).digit_in(1, 4) {
                        f.engine.push((fld(8).as_bytes(), at, code));
                    }
                    f.totals.push(Total {
                        cmv: CmvKey::PowerUnit(fld(8).as_bytes()),
                        at,
                        miles: fld(4).miles().ok(),
                        hours: fld(5).engine_hours().ok().map(|h| h.tenths()),
                        loc: r.location(),
                    });
                }
            }
            _ => {}
        }
        // An event's sequence ID, time and status are in its `Ev`.
        if section_of(layout).is_some() && !matches!(layout, Layout::Event | Layout::Unidentified) {
            f.timed.push(Timed { seq, at, status });
        }
        at
    }

    /// One field against the data dictionary (§7).
    fn field(&mut self, layout: Layout, name: FieldName, f: Field<'a>, ctx: &LineCtx) {
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
            N::PeriodStartTime | N::Time => {
                let time = match (name, ctx.time) {
                    (N::Time, Some(t)) => t,
                    _ => f.time(),
                };
                time.err()
                    .map(|_| (rules::ELD_INVALID_TIME, "HHMMSS, 000000 to 235959"))
            }
            N::TimeZoneOffset => (!(len == 2 && f.integer(2).is_ok_and(|v| (4..=11).contains(&v))))
                .then_some((rules::ELD_INVALID_FIELD, "two digits, 04 to 11")),
            N::ShippingDocument => {
                (len > 40).then_some((rules::ELD_INVALID_FIELD, "at most 40 characters"))
            }
            N::ExemptConfiguration => {
                (!matches!(b, b"E" | b"0")).then_some((rules::ELD_INVALID_CODE, "E or 0"))
            }
            N::Date | N::CertifiedDate => {
                let date = match (name, ctx.date) {
                    (N::Date, Some(d)) => d,
                    _ => f.date(),
                };
                date.err()
                    .map(|_| (rules::ELD_INVALID_DATE, "MMDDYY, a real date"))
            }
            N::Latitude => ctx.latitude.unwrap_or_else(|| f.latitude()).err().map(|_| {
                (
                    rules::ELD_INVALID_FIELD,
                    "X, M, E or decimal degrees -90.00 to 90.00 (1 or 2 decimals)",
                )
            }),
            N::Longitude => ctx
                .longitude
                .unwrap_or_else(|| f.longitude())
                .err()
                .map(|_| {
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
            _ if b.len() == 17 => match self.caches.vin_check_digit(b) {
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

    fn consistency(&mut self, facts: &Facts<'a>) {
        // The rules are independent: on a long file they run on
        // `Options::threads` threads, each into its own report, the
        // longest first, and the reports are joined in rule order, as one
        // thread would push them.
        let threads = if facts.events.len() + facts.timed.len() >= self.way.rules_apart_from {
            self.options.threads()
        } else {
            std::num::NonZeroUsize::MIN
        };
        let (options, way) = (self.options, self.way);
        let by_time = std::sync::OnceLock::new();
        let mut reports: Vec<Option<Report>> = (0..CONSISTENCY_RULES).map(|_| None).collect();
        crate::batch::map_in_order(
            CONSISTENCY_RULES,
            threads,
            |k| {
                let i = LONGEST_FIRST.get(k).copied().unwrap_or(k);
                let mut c = Checker {
                    options,
                    report: Report::new(Some(Format::Eld)),
                    way,
                    caches: Caches::default(),
                };
                c.consistency_rule(i, facts, &by_time);
                (i, c.report)
            },
            |_, (i, report)| {
                if let Some(slot) = reports.get_mut(i) {
                    *slot = Some(report);
                }
            },
        );
        for report in reports.into_iter().flatten() {
            self.report.absorb(report, options);
        }
    }

    /// Every event row with a time, once, in time order (ties in file
    /// order), made by the first rule that needs it (the others run
    /// meanwhile); those rules take the rows they need from it, still in
    /// that order, instead of sorting their own. The sections are newest
    /// first, so read backwards they are already nearly in order.
    fn by_time<'f>(facts: &'f Facts<'a>, cell: &'f OnceLock<Vec<&'f Ev>>) -> &'f [&'f Ev] {
        cell.get_or_init(|| {
            let mut by_time: Vec<&Ev> = Vec::with_capacity(facts.events.len());
            by_time.extend(facts.events.iter().rev().filter(|e| e.at.is_some()));
            by_time.sort_by_key(|e| (e.at, e.offset));
            by_time
        })
    }

    /// Consistency rule `i` of [`CONSISTENCY_RULES`], in the order their
    /// findings are reported.
    fn consistency_rule<'f>(
        &mut self,
        i: usize,
        facts: &'f Facts<'a>,
        by_time: &'f OnceLock<Vec<&'f Ev>>,
    ) {
        match i {
            0 => self.order_numbers(facts),
            1 => self.annotations(facts),
            2 => self.status_origin(facts),
            3 => self.sequence_ids(facts),
            4 => self.totals(facts),
            5 => self.accumulated(facts, Self::by_time(facts, by_time)),
            6 => self.event_check_values(facts),
            7 => self.driving_edited(facts, Self::by_time(facts, by_time)),
            8 => self.header_cmv(facts),
            _ => self.unidentified_driving(facts, Self::by_time(facts, by_time)),
        }
    }

    fn order_numbers(&mut self, facts: &Facts<'a>) {
        if facts.seen_cmv_list {
            for &(order, at) in &facts.cmv_refs {
                if !facts.cmvs.contains_key(order) {
                    self.push_ef(
                        rules::ELD_UNKNOWN_CMV_ORDER,
                        at.location(),
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
                    if !facts.users.contains_key(u) {
                        self.push_ef(
                            rules::ELD_UNKNOWN_USER_ORDER,
                            e.loc().with_field(14),
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
        if !facts.annotations.is_empty() {
            let mut event_ids: Vec<u16> = facts
                .events
                .iter()
                .filter(|e| e.source == EventSource::EventList)
                .filter_map(|e| e.seq)
                .collect();
            event_ids.sort_unstable();
            for &(seq, at) in &facts.annotations {
                if event_ids.binary_search(&seq).is_err() {
                    self.push_ef(
                        rules::ELD_ORPHAN_ANNOTATION,
                        at.location(),
                        "the annotation's sequence ID is not in the Event List",
                        "a sequence ID of the Event List",
                        format!("{seq:X}"),
                    );
                }
            }
        }
        // Origin 2 also covers statuses the driver selects live, which need
        // no annotation; an origin-2 record is taken as an edit when an
        // inactive-changed record of the same time stands beside it.
        let mut annotated: Vec<u16> = facts.annotations.iter().map(|a| a.0).collect();
        annotated.sort_unstable();
        let mut changed: Vec<NaiveDateTime> = facts
            .events
            .iter()
            .filter(|e| e.source == EventSource::EventList && e.status == Some(2))
            .filter_map(|e| e.at)
            .collect();
        changed.sort_unstable();
        for e in &facts.events {
            if e.source != EventSource::EventList {
                continue;
            }
            let is_edit = match e.origin {
                Some(3) => true,
                Some(2) => {
                    e.status != Some(2) && e.at.is_some_and(|t| changed.binary_search(&t).is_ok())
                }
                _ => false,
            };
            if !is_edit {
                continue;
            }
            if let Some(seq) = e.seq {
                if annotated.binary_search(&seq).is_err() {
                    self.push(
                        rules::ELD_EDIT_WITHOUT_ANNOTATION,
                        e.loc().with_field(3),
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
                e.loc().with_field(2),
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
        // Every row with a sequence ID and a time: its time, byte offset
        // (the sequence ID is its first field), ID and record status.
        let events = facts
            .events
            .iter()
            .rev()
            .filter_map(|e| Some((e.at?, e.offset, e.seq?, e.status)));
        let others = facts.timed.iter().rev().filter_map(|t| {
            let (seq, at) = t.seq?;
            Some((t.at?, at.offset, seq, t.status))
        });
        // Two records can share an unwrapped ID only if they share the
        // written one, and so its low 12 bits: when no two records do (the
        // usual case: one counter, IDs a few hundred apart at most),
        // nothing below can find anything, and a 4096-bit set says so.
        let mut seen = [0u64; 64];
        let maybe_repeats = events.clone().chain(others.clone()).any(|(_, _, seq, _)| {
            let low = usize::from(seq & 0xFFF);
            let bit = 1u64 << (low & 63);
            seen.get_mut(low >> 6).is_some_and(|w| {
                let repeat = *w & bit != 0;
                *w |= bit;
                repeat
            })
        });
        if !maybe_repeats {
            return;
        }
        // In time order, ties in file order. Backwards, each section is
        // newest first: a few long runs already in order, which the
        // stable sort finds quickly.
        let mut items: Vec<(NaiveDateTime, usize, u16, Option<u8>)> =
            Vec::with_capacity(facts.events.len() + facts.timed.len());
        items.extend(events.chain(others));
        items.sort_by_key(|&(at, offset, _, _)| (at, offset));
        // Each step taken as the shortest way forward or back.
        let mut value: i64 = 0;
        let mut prev: Option<u16> = None;
        let unwrapped: Vec<i64> = items
            .iter()
            .map(|&(_, _, seq, _)| {
                if let Some(p) = prev {
                    value += i64::from(seq.wrapping_sub(p) as i16);
                }
                prev = Some(seq);
                value
            })
            .collect();
        // One counter, the usual case, gives unwrapped IDs that span about
        // as many values as there are records: a bit per value says
        // whether any repeats, without sorting them all.
        let (lo, hi) = unwrapped
            .iter()
            .fold((i64::MAX, i64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        let span = u64::try_from(hi.saturating_sub(lo)).unwrap_or(u64::MAX);
        if span < 64 * unwrapped.len() as u64 {
            let mut bits = vec![0u64; (span / 64 + 1) as usize];
            let repeats = unwrapped.iter().any(|&v| {
                let at = v.abs_diff(lo);
                bits.get_mut((at / 64) as usize).is_some_and(|w| {
                    let bit = 1u64 << (at % 64);
                    let seen = *w & bit != 0;
                    *w |= bit;
                    seen
                })
            });
            if !repeats {
                return;
            }
        }
        // Group equal unwrapped IDs; in each group the record met first in
        // time order is the one the others are compared with.
        let mut keys: Vec<(i64, usize)> = unwrapped.into_iter().zip(0..).collect();
        keys.sort_unstable();
        let mut repeats: Vec<(usize, usize)> = Vec::new();
        let mut group: Option<(i64, usize)> = None;
        for &(value, k) in &keys {
            match group {
                Some((v, first)) if v == value => repeats.push((k, first)),
                _ => group = Some((value, k)),
            }
        }
        // Report in time order, as they are met.
        repeats.sort_unstable();
        for (k, first) in repeats {
            let (Some(&(_, offset, seq, status)), Some(&(_, other_offset, _, other_status))) =
                (items.get(k), items.get(first))
            else {
                continue;
            };
            let differ = matches!((status, other_status), (Some(a), Some(b)) if a != b);
            if !differ {
                let (first, second) = (offset.min(other_offset), offset.max(other_offset));
                self.push_ef(
                    rules::ELD_DUPLICATE_SEQUENCE_ID,
                    Location::at(second).with_field(1),
                    format!("sequence ID {seq:X} is also used by the record at byte {first}"),
                    "a sequence ID used once",
                    format!("{seq:X}"),
                );
            }
        }
    }

    fn power_unit<'f>(facts: &'f Facts<'a>, key: CmvKey<'a>) -> Option<&'a [u8]> {
        match key {
            CmvKey::PowerUnit(p) => Some(p),
            CmvKey::Order(o) => facts.cmvs.get(o).copied(),
        }
    }

    fn totals(&mut self, facts: &Facts<'a>) {
        // Backwards: sections are newest first (the keys are all different,
        // so the order read does not change the order sorted).
        let mut list: Vec<(&'a [u8], Total<'a>)> = facts
            .totals
            .iter()
            .rev()
            .filter_map(|t| {
                let pu = Self::power_unit(facts, t.cmv)?;
                (!pu.is_empty()).then_some((pu, *t))
            })
            .collect();
        // Grouped by power unit (in byte order), each group in time order;
        // the sort is stable, so equal keys keep the order they were read.
        if list.windows(2).all(|w| same_bytes(w[0].0, w[1].0)) {
            list.sort_by_key(|&(_, t)| (t.at, t.loc.offset));
        } else {
            list.sort_by_key(|&(pu, t)| (pu, t.at, t.loc.offset));
        }
        let mut findings = Vec::new();
        for group in list.chunk_by(|a, b| same_bytes(a.0, b.0)) {
            let Some(&(key, _)) = group.first() else {
                continue;
            };
            let mut max_miles: Option<(u32, NaiveDateTime)> = None;
            let mut max_hours: Option<(u32, NaiveDateTime)> = None;
            for (_, t) in group {
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

    fn accumulated(&mut self, facts: &Facts<'a>, by_time: &[&Ev]) {
        let mut list: Vec<(&'a [u8], &Ev)> = Vec::with_capacity(by_time.len());
        list.extend(
            by_time
                .iter()
                .filter(|e| e.origin == Some(1))
                .filter_map(|&e| Some((*e.cmv.and_then(|c| facts.cmvs.get(c))?, e))),
        );
        // Grouped by power unit (in byte order), each group in time order
        // (the sort is stable; one CMV, the usual case, needs none).
        if !list.windows(2).all(|w| same_bytes(w[0].0, w[1].0)) {
            list.sort_by_key(|&(pu, _)| pu);
        }
        for group in list.chunk_by(|a, b| same_bytes(a.0, b.0)) {
            let Some(&(key, _)) = group.first() else {
                continue;
            };
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
            // The first power-up after `prev_at`: the group is in time
            // order, so it only moves forward.
            let mut next_up = 0;
            for &(_, e) in group {
                let Some(at) = e.at else { continue };
                if let Some(p) = prev_at {
                    while power_ups.get(next_up).is_some_and(|&u| u <= p) {
                        next_up += 1;
                    }
                    let i = next_up;
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
                                    e.loc(),
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
        // The username of an Event List row's originator, whether it is
        // known, and its Table 3 sum.
        let username_of = |user: Option<u8>| -> (&'a [u8], bool, u32) {
            let user = user.and_then(|u| facts.users.get(u));
            let same = |p: Option<(&[u8], &[u8], &[u8])>| {
                p.zip(user).is_some_and(|((l, f, _), (ul, uf))| {
                    l.eq_ignore_ascii_case(ul) && f.eq_ignore_ascii_case(uf)
                })
            };
            let (name, known) = if same(facts.driver) {
                (facts.driver.map_or(&b""[..], |d| d.2), true)
            } else if same(facts.co_driver) {
                (facts.co_driver.map_or(&b""[..], |d| d.2), true)
            } else {
                (facts.driver.map_or(&b""[..], |d| d.2), false)
            };
            (name, known, mapped_sum(name))
        };
        // Rows share a few originators and CMVs: each is worked out once.
        let mut by_user: ByOrder<(&'a [u8], bool, u32)> = ByOrder::default();
        let mut no_user: Option<(&'a [u8], bool, u32)> = None;
        let mut power_unit_sums: ByOrder<u32> = ByOrder::default();
        const UNIDENTIFIED: &[u8] = b"unidentified";
        let unidentified_sum = mapped_sum(UNIDENTIFIED);
        for e in &facts.events {
            let Some((written, at)) = e.ecv() else {
                continue;
            };
            let power_unit = e.cmv.and_then(|c| facts.cmvs.get(c)).copied();
            let power_unit_sum = match (e.cmv, power_unit) {
                (Some(c), Some(p)) => match power_unit_sums.get(c) {
                    Some(&sum) => sum,
                    None => {
                        let sum = mapped_sum(p);
                        power_unit_sums.insert(c, sum);
                        sum
                    }
                },
                _ => 0,
            };
            let (username, known, username_sum) = match e.source {
                EventSource::Unidentified => (UNIDENTIFIED, false, unidentified_sum),
                EventSource::EventList => match e.user {
                    Some(u) => match by_user.get(u) {
                        Some(&v) => v,
                        None => {
                            let v = username_of(Some(u));
                            by_user.insert(u, v);
                            v
                        }
                    },
                    None => *no_user.get_or_insert_with(|| username_of(None)),
                },
            };
            let known = known && power_unit.is_some();
            // The sum of the row's eight elements plus the CMV number and
            // the username (§4.4.5.1).
            let computed = event_check_value_of_sum(
                e.ecv_sum
                    .wrapping_add(power_unit_sum)
                    .wrapping_add(username_sum),
            );
            if computed != written {
                let mut finding = Finding::new(
                    rules::EVENT_CHECK_VALUE_MISMATCH,
                    at.location(),
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
    fn driving_edited(&mut self, facts: &Facts<'a>, by_time: &[&Ev]) {
        // Duty status rows in time order, each with its time.
        let is_duty = |e: &Ev| e.source == EventSource::EventList && e.etype == Some(1);
        if !facts.events.iter().any(|e| {
            is_duty(e)
                && e.at.is_some()
                && e.status == Some(2)
                && e.origin == Some(1)
                && e.code == Some(3)
        }) {
            return;
        }
        let mut duty: Vec<(NaiveDateTime, &Ev)> = Vec::with_capacity(by_time.len());
        duty.extend(
            by_time
                .iter()
                .filter(|e| is_duty(e))
                .filter_map(|&e| Some((e.at?, e))),
        );
        let active: Vec<(NaiveDateTime, &Ev)> = duty
            .iter()
            .copied()
            .filter(|(_, e)| e.status == Some(1))
            .collect();
        // not_driving[i]: how many of the first i active rows are not
        // driving, so that "all rows of a time range are driving" is one
        // subtraction (ranges found by binary search: no quadratic scan).
        let mut not_driving = Vec::with_capacity(active.len() + 1);
        not_driving.push(0usize);
        for (_, e) in &active {
            let last = not_driving.last().copied().unwrap_or(0);
            not_driving.push(last + usize::from(e.code != Some(3)));
        }
        let all_driving =
            |from: usize, to: usize| from >= to || not_driving.get(to) == not_driving.get(from);
        for &(t0, orig) in &duty {
            if !(orig.status == Some(2) && orig.origin == Some(1) && orig.code == Some(3)) {
                continue;
            }
            // The next duty status row of any status, or the current time.
            let t1 = duty
                .get(duty.partition_point(|&(t, _)| t <= t0))
                .map(|&(t, _)| t)
                .or(facts.current.filter(|&c| c > t0));
            let upto_t0 = active.partition_point(|&(t, _)| t <= t0);
            let before_t0 = active.partition_point(|&(t, _)| t < t0);
            // The last active row at or before t0 is driving, and so is every
            // active row at t0.
            let at_start_ok = upto_t0
                .checked_sub(1)
                .and_then(|i| active.get(i))
                .is_some_and(|(_, e)| e.code == Some(3))
                && all_driving(before_t0, upto_t0);
            // Every active row strictly between t0 and t1 is driving.
            let inside_ok = match t1 {
                Some(t1) => all_driving(upto_t0, active.partition_point(|&(t, _)| t < t1)),
                None => true,
            };
            if !(at_start_ok && inside_ok) {
                self.push(
                    rules::ELD_DRIVING_EDITED,
                    orig.loc(),
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
    fn unidentified_driving(&mut self, facts: &Facts<'a>, by_time: &[&Ev]) {
        if facts.diagnostic_5 {
            return;
        }
        let list: Vec<&Ev> = by_time
            .iter()
            .copied()
            .filter(|e| {
                e.source == EventSource::Unidentified && e.etype == Some(1) && e.status == Some(1)
            })
            .collect();
        let start = facts.period_start.unwrap_or(NaiveTime::MIN);
        let shift = start - NaiveTime::MIN;
        let mut per_day: Vec<(chrono::NaiveDate, i64, Location)> = Vec::new();
        for (i, e) in list.iter().enumerate() {
            let Some(t0) = e.at else { continue };
            if e.code != Some(3) {
                continue;
            }
            let pu = e.cmv.and_then(|c| facts.cmvs.get(c)).copied();
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
                // Rows are in time order and each ends by the next one's
                // start, so days only grow: the day is the last one or new.
                match per_day.last_mut().filter(|d| d.0 == day) {
                    Some(d) => d.1 += secs,
                    None => per_day.push((day, secs, e.loc())),
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

/// The Table 3 sums of a data line: of everything before its last comma
/// (the line check value's input, §4.4.5.2; `None` without a comma), and
/// of the bytes `elements` (start and end in the line) when given: the
/// event check value's elements (§4.4.5.1), which are side by side (the
/// commas between them count 0), so that their sum is one part of the
/// line's.
fn table3_sums(
    line: &[u8],
    last_comma: Option<usize>,
    elements: Option<(usize, usize)>,
) -> (Option<u32>, Option<u32>) {
    let Some(comma) = last_comma else {
        return (None, None);
    };
    if let Some((start, end)) = elements {
        if let (Some(head), Some(elements), Some(tail)) = (
            line.get(..start),
            line.get(start..end),
            line.get(end..comma),
        ) {
            let elements = mapped_sum(elements);
            let sum = mapped_sum(head)
                .wrapping_add(elements)
                .wrapping_add(mapped_sum(tail));
            return (Some(sum), Some(elements));
        }
    }
    (line.get(..comma).map(mapped_sum), None)
}

/// Where the event check value's elements start and end in a line of
/// `layout` whose fields (all of them) are `fields` and which starts at
/// byte `offset`; `None` for layouts without them.
fn elements_span(layout: Layout, fields: &[Field<'_>], offset: usize) -> Option<(usize, usize)> {
    let (first, last) = ecv_span(layout)?;
    let (first, last) = (fields.get(first)?, fields.get(last)?);
    Some((
        first.offset() - offset,
        last.offset() - offset + last.as_bytes().len(),
    ))
}

/// `a == b`, without comparing bytes when both are the same slice of the
/// input (power unit numbers read from one CMV List row).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    std::ptr::eq(a, b) || a == b
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecv_span_is_where_the_layouts_put_the_elements() {
        for layout in [Layout::Event, Layout::Unidentified] {
            let (first, last) = ecv_span(layout).unwrap();
            let positions: Vec<_> = ECV_FIELDS
                .iter()
                .map(|&n| layout.position(n).unwrap() - 1)
                .collect();
            assert_eq!(positions, (first..=last).collect::<Vec<_>>(), "{layout:?}");
        }
        assert_eq!(ecv_span(Layout::LoginLogout), None);
    }

    #[test]
    fn a_scan_keeps_every_field_of_every_layout() {
        for kind in SectionKind::ALL {
            let layouts = match kind {
                SectionKind::Header => (1..=7).filter_map(Layout::header).collect(),
                k => k.layout().into_iter().collect::<Vec<_>>(),
            };
            for layout in layouts {
                assert!(
                    layout.field_count() <= crate::eld::scan::MAX_FIELDS,
                    "{layout:?}"
                );
            }
        }
    }

    /// The layouts [`Checker::valid_row`] reads, and the title of their
    /// section.
    const SHORT_WAY: [(Layout, &str); 5] = [
        (Layout::Event, "ELD Event List:"),
        (Layout::Unidentified, "Unidentified Driver Profile Records:"),
        (Layout::LoginLogout, "ELD Login/Logout Report:"),
        (
            Layout::Certification,
            "Driver's Certification/Recertification Actions:",
        ),
        (
            Layout::EnginePower,
            "CMV Engine Power-Up and Shut Down Activity:",
        ),
    ];

    /// Values to try for each field of `layout` but the line check value;
    /// the first of each makes a valid row.
    fn choices(layout: Layout) -> Vec<&'static [&'static str]> {
        use FieldName as N;
        layout.fields()[..layout.field_count() - 1]
            .iter()
            .map(|&name| -> &'static [&'static str] {
                match name {
                    N::SequenceId => &["1A9F", "0", "ffff", "12345", "g1", ""],
                    N::RecordStatus | N::RecordOrigin => &["1", "2", "3", "4", "0", "5", ""],
                    N::EventType => &["1", "2", "3", "4", "0", ""],
                    N::EventCode => &["1", "0", "2", "3", "4", "5", "9", ""],
                    N::Date | N::CertifiedDate => &["111726", "111626", "023026", "", "1117260"],
                    N::Time => &["153000", "000000", "235959", "240000", "", "15300"],
                    N::VehicleMiles => &["306", "0", "", "9999", "10000", "x", "9999999"],
                    N::EngineHours => &["7.0", "", "0.0", "99999.9", "1.25", ".5"],
                    N::Latitude => &["38.19", "-85.66", "90.01", "38.1", "X", "M", "E", ""],
                    N::Longitude => &["-85.66", "180.00", "-180.00", "-85.7", "X", "M", "E", ""],
                    N::DistanceSinceLastValid => &["0", "6", "7", ""],
                    N::CmvOrder | N::UserOrder => &["1", "2", "99", "0", "100", ""],
                    N::MalfunctionStatus | N::DiagnosticStatus => &["0", "1", "2", ""],
                    N::EventCheckValue => &["8F", "c6", "G0", "", "123"],
                    N::Username => &["jsmith", "abc", "", "unidentified"],
                    N::PowerUnit => &["T1042", "", "T1042T1042T", "X"],
                    N::Vin => &[
                        "3AKJHHDRXNSNA4512",
                        "",
                        "-3AKJHHDRXNSNA4512",
                        "3AKJHHDR1NSNA4512",
                        "3AKJHHDRXNSNA451",
                        "1M8GDM9AIKP042788",
                    ],
                    N::Trailers => &["TR5530", "", "A B C", "A B C D", "A  B"],
                    N::ShippingDocument => {
                        &["BOL778812", "", "0123456789012345678901234567890123456789X"]
                    }
                    other => unreachable!("{other:?}"),
                }
            })
            .collect()
    }

    /// A row of `layout` built from the picks (taken modulo the choices),
    /// with a right or a wrong line check value.
    fn row(layout: Layout, picks: &[usize], right_lcv: bool) -> String {
        let body = choices(layout)
            .iter()
            .zip(picks.iter().chain(std::iter::repeat(&0)))
            .map(|(c, &p)| c[p % c.len()])
            .collect::<Vec<_>>()
            .join(",");
        let lcv = if right_lcv {
            line_check_value_of_sum(mapped_sum(body.as_bytes()))
        } else {
            0
        };
        format!("{body},{lcv:02X}")
    }

    proptest::proptest! {
        /// The short way for valid rows changes nothing: every report is
        /// the one the full checks give.
        #[test]
        fn valid_rows_report_as_the_full_checks_do(
            rows in proptest::collection::vec(
                (
                    0usize..SHORT_WAY.len(),
                    proptest::collection::vec(0usize..12, 17),
                    0u8..3,
                    0u8..4,
                ),
                1..16,
            ),
        ) {
            let mut input = std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/examples/data/eld-T1042.csv"
            ))
            .unwrap();
            for (which, picks, mode, lcv) in &rows {
                let (layout, title) = SHORT_WAY[*which];
                let n = layout.field_count() - 1;
                let picks: Vec<usize> = match mode {
                    // Any picks, the first (valid) one more often.
                    0 => picks.iter().map(|&p| if p >= 6 { 0 } else { p }).collect(),
                    // All valid but one field.
                    1 => {
                        let mut valid = vec![0; n];
                        valid[picks[0] % n] = picks[1];
                        valid
                    }
                    // Fields that depend on each other (status, origin,
                    // type and code; origin, miles, hours and position)
                    // tried together.
                    _ => {
                        let linked = |name| {
                            use FieldName as N;
                            matches!(
                                name,
                                N::RecordStatus
                                    | N::RecordOrigin
                                    | N::EventType
                                    | N::EventCode
                                    | N::VehicleMiles
                                    | N::EngineHours
                                    | N::Latitude
                                    | N::Longitude
                            )
                        };
                        layout.fields()[..n]
                            .iter()
                            .zip(picks)
                            .map(|(&name, &p)| if linked(name) { p % 4 } else { 0 })
                            .collect()
                    }
                };
                let line = row(layout, &picks, *lcv != 0);
                let title = format!("{title}\r\n");
                input = input.replacen(&title, &format!("{title}{line}\r\n"), 1);
            }
            let options = Options::default();
            let file = EldFile::parse(input.as_bytes(), &options.limits).unwrap();
            let fast = check_file_with(&file, &options, Way::DEFAULT).unwrap();
            let full = Way { fast: false, ..Way::DEFAULT };
            let full = check_file_with(&file, &options, full).unwrap();
            proptest::prop_assert_eq!(fast.to_json(), full.to_json());
            // Sections read in blocks of a few rows and the consistency
            // rules on several threads: the same report.
            let threads = options.clone().with_threads(std::num::NonZeroUsize::new(3).unwrap());
            for block_rows in [1, 2, 5] {
                for fast in [true, false] {
                    let way = Way { fast, block_rows, rules_apart_from: 0 };
                    let split = check_file_with(&file, &threads, way).unwrap();
                    proptest::prop_assert_eq!(split.to_json(), full.to_json(), "{:?}", way);
                }
            }
        }
    }

    /// Whether [`Checker::valid_row`] takes `line` as a row of `layout`.
    fn takes_the_short_way(line: &[u8], layout: Layout) -> bool {
        let options = Options::default();
        let mut c = Checker {
            options: &options,
            report: Report::new(Some(Format::Eld)),
            way: Way::DEFAULT,
            caches: Caches::default(),
        };
        let r = Record::new(line, 0, 0, Some(layout));
        let mut scan = LineScan::new();
        scan.read(&r);
        let taken = c.caches.valid_row(layout, &r, &scan).is_some();
        assert!(c.report.findings().is_empty());
        taken
    }

    #[test]
    fn the_row_builder_makes_valid_rows() {
        for (layout, _) in SHORT_WAY {
            let line = row(layout, &[], true);
            assert!(takes_the_short_way(line.as_bytes(), layout), "{line}");
            let wrong = row(layout, &[], false);
            assert!(!takes_the_short_way(wrong.as_bytes(), layout), "{wrong}");
            // Not a row of another layout.
            for (other, _) in SHORT_WAY {
                if other != layout {
                    assert!(!takes_the_short_way(line.as_bytes(), other), "{line}");
                }
            }
        }
        assert!(!takes_the_short_way(b"1,D,Smith,John,59", Layout::User));
    }

    #[test]
    fn table3_sums_in_parts_equal_the_whole() {
        let line = b"1A9D,1,2,1,4,111726,143500,306,7.0,38.19,-85.66,0,1,1,0,0,C6,EB";
        let r = Record::new(line, 0, 0, Some(Layout::Event));
        let mut scan = LineScan::new();
        scan.read(&r);
        let fields: Vec<_> = r.fields().collect();
        let span = elements_span(Layout::Event, &fields, r.offset());
        assert_eq!(span, Some((9, 47)));
        let (sum, ecv) = table3_sums(line, scan.last_comma(), span);
        let comma = line.iter().rposition(|&b| b == b',').unwrap();
        assert_eq!(sum, Some(mapped_sum(&line[..comma])));
        let elements: u32 = r
            .fields()
            .skip(3)
            .take(8)
            .map(|f| mapped_sum(f.as_bytes()))
            .sum();
        assert_eq!(ecv, Some(elements));
        // Without elements, the whole line before its last comma.
        assert_eq!(table3_sums(line, Some(comma), None), (sum, None));
        assert_eq!(table3_sums(b"no comma", None, span), (None, None));
        assert_eq!(elements_span(Layout::LoginLogout, &fields, 0), None);
    }
}
