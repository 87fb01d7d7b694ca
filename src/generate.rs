//! Deterministic generators of realistic synthetic inputs, for benches, fuzz
//! seeds and tests (feature `generate`). The same seed and size always give
//! the same bytes.

/// A small deterministic pseudo-random generator (xorshift64*), so the
/// generators need no dependency and give the same bytes everywhere.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (any value, zero included).
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// One element of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const CITIES: &[(&str, &str, &str)] = &[
    ("TOLEDO", "OH", "43611"),
    ("LOUISVILLE", "KY", "40218"),
    ("CINCINNATI", "OH", "45202"),
    ("INDIANAPOLIS", "IN", "46204"),
    ("COLUMBUS", "OH", "43215"),
    ("NASHVILLE", "TN", "37203"),
    ("DETROIT", "MI", "48226"),
    ("CHICAGO", "IL", "60607"),
];

const STATUS: &[&str] = &["X3", "AF", "X6", "X1", "D1"];

/// An X12 version to generate: the ISA12 / GS08 pair and the ISA11 that
/// goes with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum X12Version {
    /// ISA12 `00401`, GS08 `004010`; ISA11 is the standards identifier `U`.
    V004010,
    /// ISA12 `00501`, GS08 `005010`; ISA11 is the repetition separator `^`
    /// (X12.5: ISA11 is the repetition separator from version 00402 on).
    V005010,
}

impl X12Version {
    /// ISA11, ISA12 and GS08 for this version.
    fn envelope(self) -> (&'static str, &'static str, &'static str) {
        match self {
            X12Version::V004010 => ("U", "00401", "004010"),
            X12Version::V005010 => ("^", "00501", "005010"),
        }
    }
}

/// A transportation transaction set to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum X12Transaction {
    /// 204 motor carrier load tender (functional group `SM`).
    LoadTender204,
    /// 214 transportation carrier shipment status (functional group `QM`).
    Status214,
    /// 856 ship notice / manifest with a shipment / order / pack / item
    /// HL hierarchy (functional group `SH`).
    ShipNotice856,
}

impl X12Transaction {
    /// ST01 and GS01 for this transaction set.
    fn codes(self) -> (&'static str, &'static str) {
        match self {
            X12Transaction::LoadTender204 => ("204", "SM"),
            X12Transaction::Status214 => ("214", "QM"),
            X12Transaction::ShipNotice856 => ("856", "SH"),
        }
    }
}

/// What [`x12_with`] writes: which versions (one per interchange, in
/// turn) and which transaction sets (one kind per interchange, picked at
/// random from the list).
///
/// # Examples
///
/// ```
/// use ediguard::generate::{X12Options, X12Transaction, X12Version};
/// let options = X12Options::default()
///     .with_versions(&[X12Version::V005010])
///     .with_transactions(&[X12Transaction::ShipNotice856]);
/// let data = ediguard::generate::x12_with(1, 10_000, &options);
/// assert!(data.windows(7).any(|w| w == b"ST*856*"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct X12Options {
    /// Versions, cycled one per interchange (never empty: an empty list
    /// means 004010).
    pub versions: Vec<X12Version>,
    /// Transaction sets to pick from, one kind per interchange (an empty
    /// list means 204 and 214).
    pub transactions: Vec<X12Transaction>,
}

impl Default for X12Options {
    /// 004010 interchanges of 204 and 214 transaction sets: what [`x12`]
    /// writes.
    fn default() -> Self {
        X12Options {
            versions: vec![X12Version::V004010],
            transactions: vec![X12Transaction::LoadTender204, X12Transaction::Status214],
        }
    }
}

impl X12Options {
    /// Every transaction set (204, 214, 856) in both versions (004010 and
    /// 005010 interchanges alternating): a realistic mixed feed.
    pub fn mixed() -> Self {
        X12Options {
            versions: vec![X12Version::V004010, X12Version::V005010],
            transactions: vec![
                X12Transaction::LoadTender204,
                X12Transaction::Status214,
                X12Transaction::ShipNotice856,
            ],
        }
    }

    /// The same options with these versions, cycled one per interchange.
    pub fn with_versions(mut self, versions: &[X12Version]) -> Self {
        self.versions = versions.to_vec();
        self
    }

    /// The same options with these transaction sets to pick from.
    pub fn with_transactions(mut self, transactions: &[X12Transaction]) -> Self {
        self.transactions = transactions.to_vec();
        self
    }
}

/// X12 004010 interchanges of 204 load tenders and 214 status messages,
/// about `target_len` bytes in all, each interchange with its own control
/// number and one functional group of a few transaction sets. Envelopes are
/// consistent, so a check finds nothing. The same as [`x12_with`] with
/// [`X12Options::default`].
///
/// # Examples
///
/// ```
/// let data = ediguard::generate::x12(7, 50_000);
/// assert!(data.len() >= 50_000);
/// assert!(ediguard::check(&data, &ediguard::Options::default()).unwrap().is_ok());
/// ```
pub fn x12(seed: u64, target_len: usize) -> Vec<u8> {
    x12_with(seed, target_len, &X12Options::default())
}

/// X12 interchanges of the transaction sets and versions in `options`,
/// about `target_len` bytes in all, each interchange with its own control
/// number and one functional group of a few transaction sets of one kind.
/// Envelopes are consistent, so a check finds nothing.
///
/// # Examples
///
/// ```
/// use ediguard::generate::{x12_with, X12Options};
/// let data = x12_with(7, 50_000, &X12Options::mixed());
/// assert!(data.windows(6).any(|w| w == b"*00501"));
/// assert!(ediguard::check(&data, &ediguard::Options::default()).unwrap().is_ok());
/// ```
pub fn x12_with(seed: u64, target_len: usize, options: &X12Options) -> Vec<u8> {
    let defaults = X12Options::default();
    let versions = if options.versions.is_empty() {
        &defaults.versions
    } else {
        &options.versions
    };
    let kinds = if options.transactions.is_empty() {
        &defaults.transactions
    } else {
        &options.transactions
    };
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(target_len + 4096);
    let mut icn: u32 = 0;
    while out.len() < target_len {
        let (isa11, isa12, gs08) = versions[icn as usize % versions.len()].envelope();
        icn += 1;
        let sets = 1 + rng.below(4) as u32;
        let kind = *rng.pick(kinds);
        let (st01, gs01) = kind.codes();
        out.extend_from_slice(
            format!(
                "ISA*00*          *00*          *ZZ*GLPAPER        *ZZ*NLFX           *261117*0850*{isa11}*{isa12}*{icn:09}*0*P*>~\n\
                 GS*{gs01}*GLPAPER*NLFX*20261117*0850*{icn}*X*{gs08}~\n"
            )
            .as_bytes(),
        );
        for st in 1..=sets {
            let body = match kind {
                X12Transaction::LoadTender204 => tender(&mut rng, icn, st),
                X12Transaction::Status214 => status(&mut rng, icn, st),
                X12Transaction::ShipNotice856 => ship_notice(&mut rng, icn, st),
            };
            let count = body.iter().filter(|&&b| b == b'~').count() + 2;
            out.extend_from_slice(format!("ST*{st01}*{st:04}~\n").as_bytes());
            out.extend_from_slice(&body);
            out.extend_from_slice(format!("SE*{count}*{st:04}~\n").as_bytes());
        }
        out.extend_from_slice(format!("GE*{sets}*{icn}~\nIEA*1*{icn:09}~\n").as_bytes());
    }
    out
}

const PRODUCTS: &[(&str, &str)] = &[
    ("PT-2210", "PAPER TOWELS 2 PLY"),
    ("BT-1180", "BATH TISSUE 12 ROLL"),
    ("NP-0450", "NAPKINS 250 CT"),
    ("FT-0900", "FACIAL TISSUE 3 PACK"),
];

/// An 856 body: BSN, then the HL hierarchy shipment (S) -> order (O) ->
/// pack (P) -> item (I), HL01 numbered from 1 and HL02 naming the parent,
/// closed by CTT01 = the number of HL segments.
fn ship_notice(rng: &mut Rng, icn: u32, st: u32) -> Vec<u8> {
    let (city, state, zip) = *rng.pick(CITIES);
    let mut s = format!(
        "BSN*00*SH{icn:06}{st:02}*20261117*0850*0001~\nHL*1**S~\nTD1*PLT*{}****G*{}*LB~\n\
         TD5*B*2*NLFX*M~\nREF*BM*BOL{:06}~\nDTM*011*20261117~\n\
         N1*SF*GREAT LAKES PAPER CO*92*GLP01~\nN4*TOLEDO*OH*43611*US~\n\
         N1*ST*STOP DOCK*92*{:06}~\nN4*{city}*{state}*{zip}*US~\n",
        1 + rng.below(26),
        1_000 + rng.below(40_000),
        rng.below(1_000_000),
        rng.below(1_000_000),
    );
    let mut hl = 1u32;
    let orders = 1 + rng.below(2);
    for _ in 0..orders {
        hl += 1;
        let order = hl;
        s.push_str(&format!(
            "HL*{order}*1*O~\nPRF*PO{:07}~\n",
            rng.below(10_000_000)
        ));
        let packs = 1 + rng.below(3);
        for _ in 0..packs {
            hl += 1;
            let pack = hl;
            s.push_str(&format!(
                "HL*{pack}*{order}*P~\nMAN*GM*00{:016}~\n",
                rng.next_u64() % 10_000_000_000_000_000
            ));
            let items = 1 + rng.below(3);
            for _ in 0..items {
                hl += 1;
                let (part, name) = *rng.pick(PRODUCTS);
                s.push_str(&format!(
                    "HL*{hl}*{pack}*I~\nLIN**VP*{part}~\nSN1**{}*CA~\nPID*F****{name}~\n",
                    1 + rng.below(48)
                ));
            }
        }
    }
    s.push_str(&format!("CTT*{hl}~\n"));
    s.into_bytes()
}

fn tender(rng: &mut Rng, icn: u32, st: u32) -> Vec<u8> {
    let mut s = format!(
        "B2**NLFX**SH{icn:06}{st:02}**PP~\nB2A*00~\nL11*BOL{:06}*BM~\nL11*PRO{:06}*CN~\nG62*64*20261116*1*1400~\n",
        rng.below(1_000_000),
        rng.below(1_000_000)
    );
    let stops = 2 + rng.below(3);
    for stop in 1..=stops {
        let (city, state, zip) = *rng.pick(CITIES);
        let reason = if stop == 1 { "LD" } else { "UL" };
        s.push_str(&format!(
            "S5*{stop}*{reason}*{}*L*{}*PLT~\nG62*{}*20261117*{}*{:04}~\nN1*{}*STOP {stop} DOCK*93*{:06}~\nN3*{} INDUSTRIAL PKWY~\nN4*{city}*{state}*{zip}*US~\n",
            18_000 + rng.below(2_000),
            10 + rng.below(20),
            if stop == 1 { "69" } else { "70" },
            if stop == 1 { "I" } else { "G" },
            800 + rng.below(900),
            if stop == 1 { "SH" } else { "CN" },
            rng.below(1_000_000),
            100 + rng.below(9_000),
        ));
    }
    s.push_str(&format!(
        "L3*{}*G***{}~\n",
        18_000 + rng.below(2_000),
        100_000 + rng.below(200_000)
    ));
    s.into_bytes()
}

fn status(rng: &mut Rng, icn: u32, st: u32) -> Vec<u8> {
    let mut s = format!(
        "B10*PRO{:06}*SH{icn:06}{st:02}*NLFX~\nL11*BOL{:06}*BM~\nN1*SH*GREAT LAKES PAPER CO*93*GLP01~\nN4*TOLEDO*OH*43611*US~\n",
        rng.below(1_000_000),
        rng.below(1_000_000)
    );
    let events = 1 + rng.below(5);
    for e in 0..events {
        let (city, state, _) = *rng.pick(CITIES);
        s.push_str(&format!(
            "LX*{}~\nAT7*{}*NS***20261117*{:04}*ET~\nMS1*{city}*{state}*US~\nMS2*NLFX*TR5530*TL~\nL11*T1042*TL~\n",
            e + 1,
            STATUS[e as usize % STATUS.len()],
            800 + rng.below(900),
        ));
    }
    s.into_bytes()
}

const EDIFACT_TYPES: &[&str] = &["IFTMIN", "IFTSTA", "CUSCAR"];

/// UN/EDIFACT interchanges of IFTMIN, IFTSTA and CUSCAR messages (D:01B),
/// about `target_len` bytes in all. Every other interchange has a UNA
/// service string advice; free text carries escaped delimiters (`?'`, `?+`,
/// `?:`, `??`). Envelopes are consistent, so a check finds nothing.
///
/// # Examples
///
/// ```
/// let data = ediguard::generate::edifact(3, 20_000);
/// assert!(data.len() >= 20_000);
/// assert!(data.starts_with(b"UNA:+.? '"));
/// ```
pub fn edifact(seed: u64, target_len: usize) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(target_len + 4096);
    let mut icr: u32 = 0;
    while out.len() < target_len {
        icr += 1;
        if icr % 2 == 1 {
            out.extend_from_slice(b"UNA:+.? '");
        }
        out.extend_from_slice(
            format!("UNB+UNOC:3+NLFX:ZZZ+GLPAPER:ZZZ+261117:0850+{icr:08}'\n").as_bytes(),
        );
        let messages = 1 + rng.below(4) as u32;
        for m in 1..=messages {
            let kind = *rng.pick(EDIFACT_TYPES);
            let body = edifact_body(&mut rng, kind, icr, m);
            let count = body.iter().filter(|&&b| b == b'\'').count()
                - body.windows(2).filter(|w| w == b"?'").count()
                + 2;
            out.extend_from_slice(format!("UNH+{m:06}+{kind}:D:01B:UN'\n").as_bytes());
            out.extend_from_slice(&body);
            out.extend_from_slice(format!("UNT+{count}+{m:06}'\n").as_bytes());
        }
        out.extend_from_slice(format!("UNZ+{messages}+{icr:08}'\n").as_bytes());
    }
    out
}

fn edifact_body(rng: &mut Rng, kind: &str, icr: u32, m: u32) -> Vec<u8> {
    let (city, _, zip) = *rng.pick(CITIES);
    let mut s = format!(
        "BGM+{}+SH{icr:06}{m:02}+9'\nDTM+137:202611170850:203'\nRFF+BM:BOL{:06}'\n\
         NAD+CZ+GLPAPER::ZZZ++GREAT LAKES PAPER CO+1200 INDUSTRIAL PKWY+TOLEDO++43611+US'\n\
         NAD+CN+BGF01::ZZZ++O?'HARA ?+ BLUEGRASS FOODS DC+400 DISTRIBUTION DR+LOUISVILLE++40218+US'\n",
        match kind {
            "IFTMIN" => "610",
            "IFTSTA" => "77",
            _ => "785",
        },
        rng.below(1_000_000),
    );
    let items = 1 + rng.below(6);
    for i in 1..=items {
        s.push_str(&format!(
            "CNI+{i}+BOL{:06}'\nSTS+1+{}'\nLOC+175+{zip}::ZZZ:{city}'\nDTM+334:2026111{}{:04}:203'\n\
             FTX+AAI+++PALLETS 22?: PAPER TOWELS, RATIO 1??2'\nMEA+AAE+G+KGM:{}'\nEQD+TE+TR5530'\n",
            rng.below(1_000_000),
            rng.below(30),
            rng.below(8),
            800 + rng.below(900),
            8_000 + rng.below(1_000),
        ));
    }
    s.into_bytes()
}

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use crate::eld::write::{Certification, Cmv, EnginePower, Event, Header, Login, OutputFile, User};
use crate::eld::{Coordinate, EngineHours};

/// A latitude/longitude pair in decimal degrees.
pub type Position = (f64, f64);

/// A small simulator of one driver in one truck that appends consistent ELD
/// records to an [`OutputFile`]: sequence IDs in order, odometer and engine
/// hours that only grow, accumulated miles and elapsed hours within each
/// ignition cycle, an intermediate log every hour of driving
/// (Appendix A §4.5.1.2), certifications and logins. Used by the sample
/// program and by the ELD generator.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use ediguard::generate::EldSim;
/// let mut sim = EldSim::new(EldSim::header_for("Whitaker", "Dale", "dwhitaker", "T1042", "3AKJHHDRXNSNA4512"), 0x100, 412_306.0, 152_304, (41.62, -83.60));
/// let day = NaiveDate::from_ymd_opt(2026, 11, 10).unwrap();
/// sim.round_trip(day, (39.96, -82.99), 141.0, 6);
/// let bytes = sim.finish(day.and_hms_opt(16, 0, 0).unwrap()).to_bytes();
/// let report = ediguard::check(&bytes, &ediguard::Options::default()).unwrap();
/// assert!(report.findings().is_empty(), "{:?}", report.findings());
/// ```
#[derive(Clone, Debug)]
pub struct EldSim {
    /// The file being built.
    pub file: OutputFile,
    seq: u16,
    /// The truck's odometer, miles.
    pub odometer: f64,
    /// Total engine hours at the last shut-down, in tenths.
    pub engine_base: u32,
    power_up: Option<(NaiveDateTime, f64)>,
    /// Where the truck is.
    pub pos: Position,
    home: Position,
    /// The CMV order number of the truck being driven.
    cmv: u8,
}

impl EldSim {
    /// A header for a driver and truck with the sample carrier's other
    /// values.
    pub fn header_for(
        last: &str,
        first: &str,
        username: &str,
        power_unit: &str,
        vin: &str,
    ) -> Header {
        Header {
            driver_last_name: last.into(),
            driver_first_name: first.into(),
            driver_username: username.into(),
            licence_state: "OH".into(),
            licence_number: "WH123456".into(),
            power_unit: power_unit.into(),
            vin: vin.into(),
            trailers: "TR5530".into(),
            usdot_number: "3141592".into(),
            carrier_name: "Northline Freight LLC".into(),
            multiday_basis: 8,
            period_start: NaiveTime::MIN,
            time_zone_offset: 5,
            shipping_document: "BOL778812".into(),
            exempt: false,
            registration_id: "NLF1".into(),
            eld_identifier: "ELD001".into(),
            authentication_value: "SAMPLEAUTHENTICATIONVALUE0000000".into(),
            ..Header::default()
        }
    }

    /// A simulator for the driver and truck of `header`, starting with
    /// sequence ID `seq + 1`, the odometer and engine hours (tenths) given,
    /// at `home`. The User List gets the driver and the unidentified
    /// driver, the CMV List the truck.
    pub fn new(header: Header, seq: u16, odometer: f64, engine_base: u32, home: Position) -> Self {
        let users = vec![
            User {
                order: 1,
                account_type: b'D',
                last_name: header.driver_last_name.clone(),
                first_name: header.driver_first_name.clone(),
            },
            User {
                order: 2,
                account_type: b'D',
                last_name: "Unidentified".into(),
                first_name: "Driver".into(),
            },
        ];
        let cmvs = vec![Cmv {
            order: 1,
            power_unit: header.power_unit.clone(),
            vin: header.vin.clone(),
        }];
        EldSim {
            file: OutputFile {
                header,
                users,
                cmvs,
                ..OutputFile::default()
            },
            seq,
            odometer,
            engine_base,
            power_up: None,
            pos: home,
            home,
            cmv: 1,
        }
    }

    /// The driver changes to another truck (between ignition cycles): it
    /// becomes the top of the CMV List, with the next order number, and the
    /// header's power unit and VIN; `odometer` and `engine_base` (tenths)
    /// are its own totals. `None` when the CMV List already holds 99 trucks
    /// (the largest order number, §7.37).
    pub fn change_truck(
        &mut self,
        power_unit: &str,
        vin: &str,
        odometer: f64,
        engine_base: u32,
    ) -> Option<()> {
        let order = self.file.cmvs.iter().map(|c| c.order).max().unwrap_or(0) + 1;
        if order > 99 {
            return None;
        }
        self.file.cmvs.insert(
            0,
            Cmv {
                order,
                power_unit: power_unit.into(),
                vin: vin.into(),
            },
        );
        self.file.header.power_unit = power_unit.into();
        self.file.header.vin = vin.into();
        self.cmv = order;
        self.odometer = odometer;
        self.engine_base = engine_base;
        self.power_up = None;
        Some(())
    }

    /// The next sequence ID (wrapping at 65,536, as §7.24 allows).
    pub fn next_id(&mut self) -> u16 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }

    fn engine_total(&self, t: NaiveDateTime) -> u32 {
        self.engine_base + self.elapsed(t).unwrap_or(0)
    }

    fn elapsed(&self, t: NaiveDateTime) -> Option<u32> {
        self.power_up
            .map(|(p, _)| u32::try_from((t - p).num_minutes().max(0) / 6).unwrap_or(u32::MAX))
    }

    fn accumulated(&self) -> Option<u32> {
        self.power_up.map(|(_, o)| (self.odometer - o) as u32)
    }

    fn event(&mut self, t: NaiveDateTime, event_type: u8, code: u8, origin: u8) {
        let sequence_id = self.next_id();
        let username = self.file.header.driver_username.clone();
        self.file.events.push(Event {
            sequence_id,
            status: 1,
            origin,
            event_type,
            event_code: code,
            at: t,
            miles: self.accumulated(),
            engine_hours: self.elapsed(t).map(EngineHours::from_tenths),
            latitude: Coordinate::degrees(self.pos.0),
            longitude: Coordinate::degrees(self.pos.1),
            distance_since_last_valid: 0,
            cmv_order: self.cmv,
            user_order: 1,
            malfunction: false,
            diagnostic: false,
            username,
        });
    }

    /// A duty status the driver selects (origin 2: entered by the driver);
    /// codes per Table 6: 1 off duty, 2 sleeper, 3 driving, 4 on duty.
    pub fn status(&mut self, t: NaiveDateTime, code: u8) {
        self.event(t, 1, code, 2);
    }

    /// A login (code 1) or logout (code 2) of the driver.
    pub fn login(&mut self, t: NaiveDateTime, code: u8) {
        let sequence_id = self.next_id();
        let username = self.file.header.driver_username.clone();
        let total_engine_hours = Some(EngineHours::from_tenths(self.engine_total(t)));
        self.file.logins.push(Login {
            sequence_id,
            event_code: code,
            username,
            at: t,
            total_miles: Some(self.odometer as u32),
            total_engine_hours,
        });
    }

    /// Engine power-up (`up`) or shut-down, starting or ending an ignition
    /// cycle.
    pub fn engine(&mut self, t: NaiveDateTime, up: bool) {
        if up {
            self.power_up = Some((t, self.odometer));
        }
        let sequence_id = self.next_id();
        let h = &self.file.header;
        let record = EnginePower {
            sequence_id,
            event_code: if up { 1 } else { 3 },
            at: t,
            total_miles: self.odometer as u32,
            total_engine_hours: EngineHours::from_tenths(self.engine_total(t)),
            latitude: Coordinate::degrees(self.pos.0),
            longitude: Coordinate::degrees(self.pos.1),
            power_unit: h.power_unit.clone(),
            vin: h.vin.clone(),
            trailers: h.trailers.clone(),
            shipping_document: h.shipping_document.clone(),
        };
        self.file.engine_power.push(record);
        if !up {
            self.engine_base = self.engine_total(t);
            self.power_up = None;
        }
    }

    /// Driving from `start` to `end` towards `dest` over `miles`: the
    /// automatic driving record, then an intermediate log every hour
    /// (§4.5.1.2).
    pub fn drive(&mut self, start: NaiveDateTime, end: NaiveDateTime, dest: Position, miles: f64) {
        self.event(start, 1, 3, 1);
        let (from, odo0) = (self.pos, self.odometer);
        let total = (end - start).num_seconds().max(1) as f64;
        let mut t = start + TimeDelta::hours(1);
        while t < end {
            let k = (t - start).num_seconds() as f64 / total;
            self.pos = (
                from.0 + (dest.0 - from.0) * k,
                from.1 + (dest.1 - from.1) * k,
            );
            self.odometer = odo0 + miles * k;
            self.event(t, 2, 1, 1);
            t += TimeDelta::hours(1);
        }
        self.pos = dest;
        self.odometer = odo0 + miles;
    }

    /// The driver certifies the records of `day`.
    pub fn certify(&mut self, t: NaiveDateTime, day: NaiveDate) {
        let sequence_id = self.next_id();
        self.file.certifications.push(Certification {
            sequence_id,
            event_code: 1,
            at: t,
            certified_date: day,
            cmv_order: Some(self.cmv),
        });
    }

    /// A day's round trip from home to `far` and back, starting at
    /// `start_hour` (0-17): login, power-up, on duty, drive, on duty at the
    /// stop, drive home, power-down, off duty, logout, and the certification
    /// of the day.
    pub fn round_trip(&mut self, day: NaiveDate, far: Position, miles: f64, start_hour: u32) {
        let h = start_hour.min(17);
        let at = |hh: u32, mm: u32| day.and_hms_opt(hh, mm, 0).unwrap_or_default();
        let home = self.home;
        self.login(at(h, 0), 1);
        self.engine(at(h, 5), true);
        self.status(at(h, 5), 4);
        self.drive(at(h, 20), at(h + 2, 40), far, miles);
        self.status(at(h + 2, 40), 4);
        self.drive(at(h + 3, 30), at(h + 5, 50), home, miles);
        self.status(at(h + 5, 50), 4);
        self.engine(at(h + 6, 0), false);
        self.status(at(h + 6, 5), 1);
        self.login(at(h + 6, 8), 2);
        self.certify(at(h + 6, 6), day);
    }

    /// A day on a local delivery route from `start_hour` (0-12): login,
    /// power-up and on duty, then for each stop a short drive of `legs[k]`
    /// minutes (1 to 40) and `at_stop` minutes (1 to 60) on duty there,
    /// the drive back, power-down, off duty, the certification of the day
    /// and logout. Each stop is `miles_per_leg` further along a loop around
    /// home. Stops that would run the day past 23:00 are left out.
    pub fn route_day(
        &mut self,
        day: NaiveDate,
        start_hour: u32,
        legs: &[u32],
        at_stop: u32,
        miles_per_leg: f64,
    ) {
        let at = |minutes: u32| {
            day.and_hms_opt(0, 0, 0).unwrap_or_default() + TimeDelta::minutes(i64::from(minutes))
        };
        let home = self.home;
        let at_stop = at_stop.clamp(1, 60);
        let mut t = start_hour.min(12) * 60;
        self.login(at(t), 1);
        self.engine(at(t + 5), true);
        self.status(at(t + 5), 4);
        t += 15;
        for (k, &leg) in legs.iter().enumerate() {
            let leg = leg.clamp(1, 40);
            // Room for this stop and the way home (30 minutes) by 23:00.
            if t + leg + at_stop + 30 + 15 > 23 * 60 {
                break;
            }
            let angle = std::f64::consts::TAU * k as f64 / legs.len() as f64;
            let dest = (home.0 + 0.2 * angle.sin(), home.1 + 0.2 * angle.cos());
            self.drive(at(t), at(t + leg), dest, miles_per_leg);
            t += leg;
            self.status(at(t), 4);
            t += at_stop;
        }
        self.drive(at(t), at(t + 30), home, miles_per_leg);
        t += 30;
        self.status(at(t), 4);
        self.engine(at(t + 5), false);
        self.status(at(t + 10), 1);
        self.certify(at(t + 11), day);
        self.login(at(t + 12), 2);
    }

    /// Finishes the file: the header's current date, time, position and
    /// totals, and every section newest first.
    pub fn finish(self, current: NaiveDateTime) -> OutputFile {
        let mut file = self.file;
        file.header.current = current;
        file.header.latitude = Coordinate::degrees(self.pos.0);
        file.header.longitude = Coordinate::degrees(self.pos.1);
        file.header.total_miles = Some(self.odometer as u32);
        file.header.total_engine_hours = Some(EngineHours::from_tenths(self.engine_base));
        file.sort_newest_first();
        file
    }
}

const LAST_NAMES: &[&str] = &[
    "Whitaker",
    "Alvarez",
    "Okafor",
    "Lindqvist",
    "Brennan",
    "Nakamura",
];

/// ELD output files, one per driver and truck, each eight days of round
/// trips, about `target_len` bytes in all. Each file checks clean.
///
/// # Examples
///
/// ```
/// let files = ediguard::generate::eld_files(5, 40_000);
/// assert!(files.iter().map(Vec::len).sum::<usize>() >= 40_000);
/// for f in &files {
///     assert!(ediguard::check(f, &ediguard::Options::default()).unwrap().is_ok());
/// }
/// ```
pub fn eld_files(seed: u64, target_len: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(seed);
    let mut files = Vec::new();
    let mut total = 0;
    let first_day = NaiveDate::from_ymd_opt(2026, 11, 10).unwrap_or_default();
    let mut n = 0u32;
    while total < target_len {
        n += 1;
        let last = *rng.pick(LAST_NAMES);
        let header = EldSim::header_for(
            last,
            "Sam",
            &format!("{}{n}", last.to_ascii_lowercase()),
            &format!("T{:04}", 1000 + n % 9000),
            "3AKJHHDRXNSNA4512",
        );
        let home = (41.62, -83.60);
        let mut sim = EldSim::new(
            header,
            rng.below(65_536) as u16,
            100_000.0 + rng.below(500_000) as f64,
            100_000 + rng.below(100_000) as u32,
            home,
        );
        for d in 0..8 {
            let day = first_day + TimeDelta::days(d);
            let far = (home.0 - 0.5 - rng.below(200) as f64 / 100.0, home.1 + 0.5);
            sim.round_trip(
                day,
                far,
                40.0 + rng.below(160) as f64,
                5 + rng.below(8) as u32,
            );
        }
        let current = (first_day + TimeDelta::days(7))
            .and_hms_opt(23, 0, 0)
            .unwrap_or_default();
        let bytes = sim.finish(current).to_bytes();
        total += bytes.len();
        files.push(bytes);
    }
    files
}

/// One ELD output file of about `target_len` bytes (within a few percent;
/// less when the dates run out, near 150 MB): one local delivery driver's records day
/// after day from November 2026, 30 to 50 stops a day, a new truck every
/// 1,000 days (so that totals stay within their fields). Real files hold 8 days
/// to 6 months; this one is for measuring a single large file. It checks
/// clean.
///
/// # Examples
///
/// ```
/// let file = ediguard::generate::eld_file(5, 200_000);
/// assert!((190_000..210_000).contains(&file.len()), "{}", file.len());
/// let report = ediguard::check(&file, &ediguard::Options::default()).unwrap();
/// assert!(report.is_ok(), "{:?}", report.findings());
/// ```
pub fn eld_file(seed: u64, target_len: usize) -> Vec<u8> {
    const DAYS_PER_TRUCK: i64 = 1000;
    let mut rng = Rng::new(seed);
    let first_day = NaiveDate::from_ymd_opt(2026, 11, 10).unwrap_or_default();
    // MMDDYY dates end with 2099 (§7.8).
    let last_day = NaiveDate::from_ymd_opt(2099, 12, 30).unwrap_or_default();
    let truck = |rng: &mut Rng, n: u32| {
        let mut vin = format!("3AKJHHDR0NSN{:05}", rng.below(100_000)).into_bytes();
        vin[8] = crate::integrity::eld::vin_check_digit(&vin).unwrap_or(b'0');
        (
            format!("T{:04}", 1000 + n),
            String::from_utf8(vin).unwrap_or_default(),
            10_000.0 + rng.below(50_000) as f64,
            10_000 + rng.below(20_000) as u32,
        )
    };
    let (unit, vin, odometer, engine) = truck(&mut rng, 0);
    let header = EldSim::header_for("Brennan", "Sam", "sbrennan", &unit, &vin);
    let home = (41.62, -83.60);
    let mut sim = EldSim::new(header, rng.below(65_536) as u16, odometer, engine, home);
    // Each day adds a few kilobytes; the header and lists are counted once.
    let (mut day, mut days, mut estimate) = (first_day, 0i64, 2_000usize);
    while estimate < target_len && day < last_day {
        if days > 0 && days % DAYS_PER_TRUCK == 0 {
            let (unit, vin, odometer, engine) = truck(&mut rng, (days / DAYS_PER_TRUCK) as u32);
            if sim.change_truck(&unit, &vin, odometer, engine).is_none() {
                break;
            }
        }
        let stops = 30 + rng.below(21) as usize;
        let legs: Vec<u32> = (0..stops).map(|_| 4 + rng.below(9) as u32).collect();
        let before = sim.file.events.len();
        sim.route_day(
            day,
            5 + rng.below(4) as u32,
            &legs,
            6,
            1.0 + rng.below(3) as f64,
        );
        // Rows measured on generated files: 64 bytes per Event List row,
        // 92 per engine row, 47 per login row, 34 per certification.
        estimate += (sim.file.events.len() - before) * 64 + 2 * 92 + 2 * 47 + 34;
        day += TimeDelta::days(1);
        days += 1;
    }
    let current = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    sim.finish(current).to_bytes()
}
