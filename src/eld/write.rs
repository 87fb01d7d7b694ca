//! Building an ELD output file from owned records (Appendix A §4.8.2.1),
//! computing every line, event and file data check value (§4.4.5) and the
//! file name (§4.8.2.2).
//!
//! The writer writes records in the order given; call
//! [`OutputFile::sort_newest_first`] for the order the rule asks for
//! (§4.8.2.1.4 and the following sections: newest first). Commas and line
//! breaks inside values are replaced by `;` as §4.8.2.1(b)(3) requires.
//!
//! # Examples
//!
//! ```
//! use chrono::NaiveDate;
//! use ediguard::eld::write::{Header, OutputFile};
//! use ediguard::{check, Options};
//! let mut header = Header::default();
//! header.driver_last_name = "Whitaker".into();
//! header.driver_first_name = "Dale".into();
//! header.driver_username = "dwhitaker".into();
//! header.licence_state = "OH".into();
//! header.licence_number = "WH123456".into();
//! let file = OutputFile { header, ..OutputFile::default() };
//! let bytes = file.to_bytes();
//! assert!(bytes.starts_with(b"ELD File Header Segment:\r\nWhitaker,Dale,dwhitaker,OH,WH123456,"));
//! let report = check(&bytes, &Options::default()).unwrap();
//! assert!(report.findings().iter().all(|f| f.rule != "line_check_value_mismatch"));
//! let created = NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
//! assert_eq!(file.file_name(created, "000000000"), "Whita5621111726-000000000");
//! ```

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::check_value::{event_check_value, file_check_value, hex2, hex4, line_check_value};
use super::{Coordinate, EngineHours, LineEnding, SectionKind};

/// The seven header lines (§4.8.2.1.1).
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    /// H1: Driver Last Name.
    pub driver_last_name: String,
    /// H1: Driver First Name.
    pub driver_first_name: String,
    /// H1: ELD Username of the driver.
    pub driver_username: String,
    /// H1: Driver's License Issuing State.
    pub licence_state: String,
    /// H1: Driver's License Number.
    pub licence_number: String,
    /// H2: Co-Driver Last Name (blank without a co-driver).
    pub co_driver_last_name: String,
    /// H2: Co-Driver First Name.
    pub co_driver_first_name: String,
    /// H2: ELD Username of the co-driver.
    pub co_driver_username: String,
    /// H3: CMV Power Unit Number.
    pub power_unit: String,
    /// H3: CMV VIN.
    pub vin: String,
    /// H3: Trailer Number(s), space-separated.
    pub trailers: String,
    /// H4: Carrier's USDOT Number.
    pub usdot_number: String,
    /// H4: Carrier Name.
    pub carrier_name: String,
    /// H4: Multiday basis used, 7 or 8.
    pub multiday_basis: u8,
    /// H4: 24-Hour Period Starting Time.
    pub period_start: NaiveTime,
    /// H4: Time Zone Offset from UTC, hours, sign left off (4 to 11).
    pub time_zone_offset: u8,
    /// H5: Shipping Document Number.
    pub shipping_document: String,
    /// H5: Exempt Driver Configuration (`E` when true, `0` otherwise).
    pub exempt: bool,
    /// H6: current date and time.
    pub current: NaiveDateTime,
    /// H6: current latitude.
    pub latitude: Coordinate,
    /// H6: current longitude.
    pub longitude: Coordinate,
    /// H6: current total vehicle miles.
    pub total_miles: Option<u32>,
    /// H6: current total engine hours.
    pub total_engine_hours: Option<EngineHours>,
    /// H7: ELD Registration ID.
    pub registration_id: String,
    /// H7: ELD Identifier.
    pub eld_identifier: String,
    /// H7: ELD Authentication Value.
    pub authentication_value: String,
    /// H7: Output File Comment.
    pub output_file_comment: String,
}

impl Default for Header {
    fn default() -> Self {
        Header {
            driver_last_name: String::new(),
            driver_first_name: String::new(),
            driver_username: String::new(),
            licence_state: String::new(),
            licence_number: String::new(),
            co_driver_last_name: String::new(),
            co_driver_first_name: String::new(),
            co_driver_username: String::new(),
            power_unit: String::new(),
            vin: String::new(),
            trailers: String::new(),
            usdot_number: String::new(),
            carrier_name: String::new(),
            multiday_basis: 8,
            period_start: NaiveTime::MIN,
            time_zone_offset: 5,
            shipping_document: String::new(),
            exempt: false,
            current: NaiveDateTime::default(),
            latitude: Coordinate::NoFix,
            longitude: Coordinate::NoFix,
            total_miles: None,
            total_engine_hours: None,
            registration_id: String::new(),
            eld_identifier: String::new(),
            authentication_value: String::new(),
            output_file_comment: String::new(),
        }
    }
}

/// A User List row (§4.8.2.1.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Assigned user order number (1 to 99).
    pub order: u8,
    /// Account type: `b'D'` driver (also the unidentified profile) or `b'S'`
    /// support personnel (§7.13).
    pub account_type: u8,
    /// Last name.
    pub last_name: String,
    /// First name.
    pub first_name: String,
}

/// A CMV List row (§4.8.2.1.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cmv {
    /// Assigned CMV order number (1 to 99).
    pub order: u8,
    /// CMV Power Unit Number.
    pub power_unit: String,
    /// CMV VIN.
    pub vin: String,
}

/// An Event List row (§4.8.2.1.4) or an Unidentified Driver Profile row
/// (§4.8.2.1.10, which leaves out `user_order` and `diagnostic`).
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Event Sequence ID Number.
    pub sequence_id: u16,
    /// Event Record Status, 1 to 4 (Table 8).
    pub status: u8,
    /// Event Record Origin, 1 to 4 (Table 7).
    pub origin: u8,
    /// Event Type, 1 to 3 in these sections.
    pub event_type: u8,
    /// Event Code.
    pub event_code: u8,
    /// Event date and time.
    pub at: NaiveDateTime,
    /// Accumulated vehicle miles (blank when `None`).
    pub miles: Option<u32>,
    /// Elapsed engine hours (blank when `None`).
    pub engine_hours: Option<EngineHours>,
    /// Event latitude.
    pub latitude: Coordinate,
    /// Event longitude.
    pub longitude: Coordinate,
    /// Distance since last valid coordinates, 0 to 6.
    pub distance_since_last_valid: u8,
    /// Corresponding CMV order number.
    pub cmv_order: u8,
    /// User order number of the record originator (Event List only).
    pub user_order: u8,
    /// Malfunction indicator status.
    pub malfunction: bool,
    /// Data diagnostic event indicator status (Event List only).
    pub diagnostic: bool,
    /// The ELD username the event check value is computed with (not written
    /// to the line; `unidentified` for the unidentified profile).
    pub username: String,
}

/// An annotation or comment row (§4.8.2.1.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    /// Sequence ID of the annotated event.
    pub sequence_id: u16,
    /// ELD username of the record originator.
    pub username: String,
    /// Comment text or annotation.
    pub comment: String,
    /// Date and time of the annotation.
    pub at: NaiveDateTime,
    /// Driver's location description.
    pub location_description: String,
}

/// A certification row (§4.8.2.1.6, event type 4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certification {
    /// Event Sequence ID Number.
    pub sequence_id: u16,
    /// Event code: the n-th certification of that date (1 to 9).
    pub event_code: u8,
    /// When the certification was made.
    pub at: NaiveDateTime,
    /// The date certified.
    pub certified_date: NaiveDate,
    /// Corresponding CMV order number (blank when `None`).
    pub cmv_order: Option<u8>,
}

/// A malfunction or data diagnostic row (§4.8.2.1.7, event type 7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malfunction {
    /// Event Sequence ID Number.
    pub sequence_id: u16,
    /// Event code 1 to 4.
    pub event_code: u8,
    /// Malfunction/diagnostic code (Table 4): a letter or a digit.
    pub code: u8,
    /// Event date and time.
    pub at: NaiveDateTime,
    /// Total vehicle miles.
    pub total_miles: Option<u32>,
    /// Total engine hours.
    pub total_engine_hours: Option<EngineHours>,
    /// Corresponding CMV order number.
    pub cmv_order: Option<u8>,
}

/// A login/logout row (§4.8.2.1.8, event type 5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Login {
    /// Event Sequence ID Number.
    pub sequence_id: u16,
    /// 1 login, 2 logout.
    pub event_code: u8,
    /// ELD username.
    pub username: String,
    /// Event date and time.
    pub at: NaiveDateTime,
    /// Total vehicle miles.
    pub total_miles: Option<u32>,
    /// Total engine hours.
    pub total_engine_hours: Option<EngineHours>,
}

/// An engine power-up or shut-down row (§4.8.2.1.9, event type 6).
#[derive(Clone, Debug, PartialEq)]
pub struct EnginePower {
    /// Event Sequence ID Number.
    pub sequence_id: u16,
    /// 1/2 power-up, 3/4 shut-down (conventional/reduced precision).
    pub event_code: u8,
    /// Event date and time.
    pub at: NaiveDateTime,
    /// Total vehicle miles.
    pub total_miles: u32,
    /// Total engine hours.
    pub total_engine_hours: EngineHours,
    /// Event latitude.
    pub latitude: Coordinate,
    /// Event longitude.
    pub longitude: Coordinate,
    /// CMV Power Unit Number.
    pub power_unit: String,
    /// CMV VIN.
    pub vin: String,
    /// Trailer Number(s).
    pub trailers: String,
    /// Shipping Document Number.
    pub shipping_document: String,
}

/// A whole output file, owned, ready to be written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OutputFile {
    /// The header lines.
    pub header: Header,
    /// User List rows, most recent user first.
    pub users: Vec<User>,
    /// CMV List rows, most recent CMV first.
    pub cmvs: Vec<Cmv>,
    /// Event List rows.
    pub events: Vec<Event>,
    /// Annotation rows.
    pub annotations: Vec<Annotation>,
    /// Certification rows.
    pub certifications: Vec<Certification>,
    /// Malfunction and diagnostic rows.
    pub malfunctions: Vec<Malfunction>,
    /// Login/logout rows.
    pub logins: Vec<Login>,
    /// Engine power-up/shut-down rows.
    pub engine_power: Vec<EnginePower>,
    /// Unidentified driver profile rows.
    pub unidentified: Vec<Event>,
}

impl OutputFile {
    /// Sorts every event section newest first by date and time, ties by
    /// sequence ID (highest first), as §4.8.2.1.4 to §4.8.2.1.10 ask.
    pub fn sort_newest_first(&mut self) {
        self.events
            .sort_by_key(|x| std::cmp::Reverse((x.at, x.sequence_id)));
        self.unidentified
            .sort_by_key(|x| std::cmp::Reverse((x.at, x.sequence_id)));
        self.annotations
            .sort_by_key(|x| std::cmp::Reverse((x.at, x.sequence_id)));
        self.certifications
            .sort_by_key(|x| std::cmp::Reverse((x.at, x.sequence_id)));
        self.malfunctions
            .sort_by_key(|x| std::cmp::Reverse((x.at, x.sequence_id)));
        self.logins
            .sort_by_key(|x| std::cmp::Reverse((x.at, x.sequence_id)));
        self.engine_power
            .sort_by_key(|x| std::cmp::Reverse((x.at, x.sequence_id)));
    }

    /// The file with CRLF line endings.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_bytes_with(LineEnding::CrLf)
    }

    /// The file with the given line ending.
    pub fn to_bytes_with(&self, ending: LineEnding) -> Vec<u8> {
        let mut w = Writer {
            out: Vec::with_capacity(4096 + 160 * self.events.len()),
            line_start: 0,
            first: true,
            ending: ending.as_bytes(),
            cvs: Vec::new(),
        };
        let h = &self.header;
        w.title(SectionKind::Header);
        w.text(&h.driver_last_name);
        w.text(&h.driver_first_name);
        w.text(&h.driver_username);
        w.text(&h.licence_state);
        w.text(&h.licence_number);
        w.end_line();
        w.text(&h.co_driver_last_name);
        w.text(&h.co_driver_first_name);
        w.text(&h.co_driver_username);
        w.end_line();
        w.text(&h.power_unit);
        w.text(&h.vin);
        w.text(&h.trailers);
        w.end_line();
        w.text(&h.usdot_number);
        w.text(&h.carrier_name);
        w.num(h.multiday_basis);
        w.time(h.period_start);
        w.raw(&format!("{:02}", h.time_zone_offset));
        w.end_line();
        w.text(&h.shipping_document);
        w.raw(if h.exempt { "E" } else { "0" });
        w.end_line();
        w.date(h.current.date());
        w.time(h.current.time());
        w.raw(&h.latitude.to_string());
        w.raw(&h.longitude.to_string());
        w.opt(h.total_miles);
        w.opt(h.total_engine_hours);
        w.end_line();
        w.text(&h.registration_id);
        w.text(&h.eld_identifier);
        w.text(&h.authentication_value);
        w.text(&h.output_file_comment);
        w.end_line();

        w.title(SectionKind::UserList);
        for u in &self.users {
            w.num(u.order);
            w.raw_byte(u.account_type);
            w.text(&u.last_name);
            w.text(&u.first_name);
            w.end_line();
        }
        w.title(SectionKind::CmvList);
        for c in &self.cmvs {
            w.num(c.order);
            w.text(&c.power_unit);
            w.text(&c.vin);
            w.end_line();
        }
        w.title(SectionKind::EventList);
        for e in &self.events {
            self.event(&mut w, e, false);
        }
        w.title(SectionKind::Annotations);
        for a in &self.annotations {
            w.seq(a.sequence_id);
            w.text(&a.username);
            w.text(&a.comment);
            w.date(a.at.date());
            w.time(a.at.time());
            w.text(&a.location_description);
            w.end_line();
        }
        w.title(SectionKind::Certifications);
        for c in &self.certifications {
            w.seq(c.sequence_id);
            w.num(c.event_code);
            w.date(c.at.date());
            w.time(c.at.time());
            w.date(c.certified_date);
            w.opt(c.cmv_order);
            w.end_line();
        }
        w.title(SectionKind::Malfunctions);
        for m in &self.malfunctions {
            w.seq(m.sequence_id);
            w.num(m.event_code);
            w.raw_byte(m.code);
            w.date(m.at.date());
            w.time(m.at.time());
            w.opt(m.total_miles);
            w.opt(m.total_engine_hours);
            w.opt(m.cmv_order);
            w.end_line();
        }
        w.title(SectionKind::LoginLogout);
        for l in &self.logins {
            w.seq(l.sequence_id);
            w.num(l.event_code);
            w.text(&l.username);
            w.date(l.at.date());
            w.time(l.at.time());
            w.opt(l.total_miles);
            w.opt(l.total_engine_hours);
            w.end_line();
        }
        w.title(SectionKind::EnginePower);
        for e in &self.engine_power {
            w.seq(e.sequence_id);
            w.num(e.event_code);
            w.date(e.at.date());
            w.time(e.at.time());
            w.num(e.total_miles);
            w.num(e.total_engine_hours);
            w.raw(&e.latitude.to_string());
            w.raw(&e.longitude.to_string());
            w.text(&e.power_unit);
            w.text(&e.vin);
            w.text(&e.trailers);
            w.text(&e.shipping_document);
            w.end_line();
        }
        w.title(SectionKind::Unidentified);
        for e in &self.unidentified {
            self.event(&mut w, e, true);
        }
        w.title(SectionKind::EndOfFile);
        let file_cv = file_check_value(w.cvs.iter().copied());
        w.out.extend_from_slice(&hex4(file_cv));
        w.out.extend_from_slice(w.ending);
        w.out
    }

    fn event(&self, w: &mut Writer, e: &Event, unidentified: bool) {
        let power_unit = self
            .cmvs
            .iter()
            .find(|c| c.order == e.cmv_order)
            .map_or(String::new(), |c| sanitize(&c.power_unit));
        let (date, time) = (fmt_date(e.at.date()), fmt_time(e.at.time()));
        let miles = e.miles.map_or(String::new(), |m| m.to_string());
        let hours = e.engine_hours.map_or(String::new(), |h| h.to_string());
        let (lat, lon) = (e.latitude.to_string(), e.longitude.to_string());
        let username = sanitize(&e.username);
        let cv = event_check_value(&[
            e.event_type.to_string().as_bytes(),
            e.event_code.to_string().as_bytes(),
            date.as_bytes(),
            time.as_bytes(),
            miles.as_bytes(),
            hours.as_bytes(),
            lat.as_bytes(),
            lon.as_bytes(),
            power_unit.as_bytes(),
            username.as_bytes(),
        ]);
        w.seq(e.sequence_id);
        w.num(e.status);
        w.num(e.origin);
        w.num(e.event_type);
        w.num(e.event_code);
        w.raw(&date);
        w.raw(&time);
        w.raw(&miles);
        w.raw(&hours);
        w.raw(&lat);
        w.raw(&lon);
        w.num(e.distance_since_last_valid);
        w.num(e.cmv_order);
        if !unidentified {
            w.num(e.user_order);
        }
        w.num(u8::from(e.malfunction));
        if !unidentified {
            w.num(u8::from(e.diagnostic));
        }
        w.raw(std::str::from_utf8(&hex2(cv)).unwrap_or("00"));
        w.end_line();
    }

    /// The output file name of §4.8.2.2 (25 characters, without extension):
    /// the first five letters of the driver's last name (padded with `_`),
    /// the last two characters of the licence number, the sum of the
    /// licence number's digits (last two digits, zero-padded), the creation
    /// date `MMDDYY`, `-`, and nine characters of `extra` (`0-9A-Z`, padded
    /// with `0`; other characters become `0`).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use ediguard::eld::write::OutputFile;
    /// let mut f = OutputFile::default();
    /// f.header.driver_last_name = "Smith".into();
    /// f.header.licence_number = "W8569238".into();
    /// let d = NaiveDate::from_ymd_opt(2026, 9, 11).unwrap();
    /// assert_eq!(f.file_name(d, ""), "Smith3841091126-000000000");
    /// ```
    pub fn file_name(&self, created: NaiveDate, extra: &str) -> String {
        let mut name = String::with_capacity(25);
        let letters: Vec<char> = self
            .header
            .driver_last_name
            .chars()
            .filter(char::is_ascii_alphabetic)
            .take(5)
            .collect();
        name.extend(letters.iter());
        name.extend(std::iter::repeat_n('_', 5 - letters.len()));
        let lic: Vec<char> = self
            .header
            .licence_number
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let last2: String = lic[lic.len().saturating_sub(2)..].iter().collect();
        name.push_str(&format!("{last2:_>2}"));
        let digit_sum: u32 = lic.iter().filter_map(|c| c.to_digit(10)).sum();
        name.push_str(&format!("{:02}", digit_sum % 100));
        name.push_str(&fmt_date(created));
        name.push('-');
        let extra: String = extra
            .chars()
            .map(|c| {
                if c.is_ascii_digit() || c.is_ascii_uppercase() {
                    c
                } else {
                    '0'
                }
            })
            .chain(std::iter::repeat('0'))
            .take(9)
            .collect();
        name.push_str(&extra);
        name
    }
}

/// Replaces `,`, CR and LF by `;` (§4.8.2.1(b)(3)).
fn sanitize(s: &str) -> String {
    s.replace([',', '\r', '\n'], ";")
}

fn fmt_date(d: NaiveDate) -> String {
    format!(
        "{:02}{:02}{:02}",
        d.month(),
        d.day(),
        d.year().rem_euclid(100)
    )
}

fn fmt_time(t: NaiveTime) -> String {
    format!("{:02}{:02}{:02}", t.hour(), t.minute(), t.second())
}

struct Writer {
    out: Vec<u8>,
    line_start: usize,
    first: bool,
    ending: &'static [u8],
    cvs: Vec<u8>,
}

impl Writer {
    fn title(&mut self, kind: SectionKind) {
        self.out.extend_from_slice(kind.title().as_bytes());
        self.out.extend_from_slice(self.ending);
        self.line_start = self.out.len();
        self.first = true;
    }

    fn sep(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
    }

    fn raw(&mut self, s: &str) {
        self.sep();
        self.out.extend_from_slice(s.as_bytes());
    }

    fn raw_byte(&mut self, b: u8) {
        self.sep();
        self.out.push(b);
    }

    fn text(&mut self, s: &str) {
        self.raw(&sanitize(s));
    }

    fn num(&mut self, n: impl std::fmt::Display) {
        self.raw(&n.to_string());
    }

    fn opt(&mut self, n: Option<impl std::fmt::Display>) {
        match n {
            Some(n) => self.num(n),
            None => self.raw(""),
        }
    }

    fn seq(&mut self, id: u16) {
        self.raw(&format!("{id:X}"));
    }

    fn date(&mut self, d: NaiveDate) {
        self.raw(&fmt_date(d));
    }

    fn time(&mut self, t: NaiveTime) {
        self.raw(&fmt_time(t));
    }

    fn end_line(&mut self) {
        self.out.push(b',');
        let cv = line_check_value(&self.out[self.line_start..]);
        self.out.extend_from_slice(&hex2(cv));
        self.out.extend_from_slice(self.ending);
        self.cvs.push(cv);
        self.line_start = self.out.len();
        self.first = true;
    }
}
