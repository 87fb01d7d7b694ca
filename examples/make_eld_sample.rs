//! Writes `examples/data/eld-T1042.csv` (an eight-day ELD output file for
//! the driver and truck of `examples/data/SHIPMENT.md`) and
//! `examples/data/eld-T1042-tampered.csv` (the same file with an edited
//! driving record and a broken line check value).
//!
//! Run with `cargo run --example make_eld_sample`. The §4.8.2.2 file name
//! of the clean file is printed; the samples are named after the power unit
//! so that the other example documents can refer to them.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use ediguard::eld::write::{
    Annotation, Certification, Cmv, EnginePower, Event, Header, Login, OutputFile, User,
};
use ediguard::eld::{Coordinate, EngineHours};

type Pos = (f64, f64);

const TERMINAL: Pos = (41.6205, -83.6021); // Northline Freight yard, Toledo (invented)
const SHIPPER: Pos = (41.6528, -83.5379);
const CINCINNATI: Pos = (39.1031, -84.5120);
const CONSIGNEE: Pos = (38.1937, -85.6566);
const COLUMBUS: Pos = (39.9612, -82.9988);
const DETROIT: Pos = (42.3314, -83.0458);

struct Sim {
    file: OutputFile,
    seq: u16,
    odometer: f64,
    engine_base: u32,
    power_up: Option<(NaiveDateTime, f64)>,
    pos: Pos,
}

fn at(day: u32, h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, day)
        .and_then(|d| d.and_hms_opt(h, m, 0))
        .expect("valid sample time")
}

impl Sim {
    fn next_id(&mut self) -> u16 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }

    fn engine_total(&self, t: NaiveDateTime) -> u32 {
        self.engine_base + self.elapsed(t).unwrap_or(0)
    }

    fn elapsed(&self, t: NaiveDateTime) -> Option<u32> {
        self.power_up
            .map(|(p, _)| ((t - p).num_minutes().max(0) / 6) as u32)
    }

    fn accumulated(&self) -> Option<u32> {
        self.power_up.map(|(_, o)| (self.odometer - o) as u32)
    }

    fn event(&mut self, t: NaiveDateTime, event_type: u8, code: u8, origin: u8) {
        let sequence_id = self.next_id();
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
            cmv_order: 1,
            user_order: 1,
            malfunction: false,
            diagnostic: false,
            username: "dwhitaker".into(),
        });
    }

    /// A duty status the driver selects (origin 2: entered by the driver).
    fn status(&mut self, t: NaiveDateTime, code: u8) {
        self.event(t, 1, code, 2);
    }

    fn login(&mut self, t: NaiveDateTime, code: u8) {
        let sequence_id = self.next_id();
        self.file.logins.push(Login {
            sequence_id,
            event_code: code,
            username: "dwhitaker".into(),
            at: t,
            total_miles: Some(self.odometer as u32),
            total_engine_hours: Some(EngineHours::from_tenths(self.engine_total(t))),
        });
    }

    fn engine(&mut self, t: NaiveDateTime, up: bool) {
        if up {
            self.power_up = Some((t, self.odometer));
        }
        let sequence_id = self.next_id();
        self.file.engine_power.push(EnginePower {
            sequence_id,
            event_code: if up { 1 } else { 3 },
            at: t,
            total_miles: self.odometer as u32,
            total_engine_hours: EngineHours::from_tenths(self.engine_total(t)),
            latitude: Coordinate::degrees(self.pos.0),
            longitude: Coordinate::degrees(self.pos.1),
            power_unit: "T1042".into(),
            vin: "3AKJHHDRXNSNA4512".into(),
            trailers: "TR5530".into(),
            shipping_document: "BOL778812".into(),
        });
        if !up {
            self.engine_base = self.engine_total(t);
            self.power_up = None;
        }
    }

    /// Driving from `start` to `end` towards `dest` over `miles`: the
    /// automatic driving record, then an intermediate log every hour
    /// (§4.5.1.2).
    fn drive(&mut self, start: NaiveDateTime, end: NaiveDateTime, dest: Pos, miles: f64) {
        self.event(start, 1, 3, 1);
        let (from, odo0) = (self.pos, self.odometer);
        let total = (end - start).num_seconds() as f64;
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

    fn certify(&mut self, t: NaiveDateTime, day: NaiveDate) {
        let sequence_id = self.next_id();
        self.file.certifications.push(Certification {
            sequence_id,
            event_code: 1,
            at: t,
            certified_date: day,
            cmv_order: Some(1),
        });
    }

    /// A round trip to `far` and back: pre-trip, drive, on duty at the
    /// stop, drive home, off duty.
    fn round_trip(&mut self, day: u32, far: Pos, miles: f64, start_hour: u32) {
        let h = start_hour;
        self.login(at(day, h, 0), 1);
        self.engine(at(day, h, 5), true);
        self.status(at(day, h, 5), 4);
        self.drive(at(day, h, 20), at(day, h + 2, 40), far, miles);
        self.status(at(day, h + 2, 40), 4);
        self.drive(at(day, h + 3, 30), at(day, h + 5, 50), TERMINAL, miles);
        self.status(at(day, h + 5, 50), 4);
        self.engine(at(day, h + 6, 0), false);
        self.status(at(day, h + 6, 5), 1);
        self.login(at(day, h + 6, 8), 2);
        let date = at(day, 0, 0).date();
        self.certify(at(day, h + 6, 6), date);
    }
}

fn header() -> Header {
    Header {
        driver_last_name: "Whitaker".into(),
        driver_first_name: "Dale".into(),
        driver_username: "dwhitaker".into(),
        licence_state: "OH".into(),
        licence_number: "WH123456".into(),
        power_unit: "T1042".into(),
        vin: "3AKJHHDRXNSNA4512".into(),
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

/// The clean eight-day file.
fn sample() -> OutputFile {
    let mut sim = Sim {
        file: OutputFile {
            header: header(),
            users: vec![
                User {
                    order: 1,
                    account_type: b'D',
                    last_name: "Whitaker".into(),
                    first_name: "Dale".into(),
                },
                User {
                    order: 2,
                    account_type: b'D',
                    last_name: "Unidentified".into(),
                    first_name: "Driver".into(),
                },
            ],
            cmvs: vec![Cmv {
                order: 1,
                power_unit: "T1042".into(),
                vin: "3AKJHHDRXNSNA4512".into(),
            }],
            ..OutputFile::default()
        },
        seq: 0x1A3F,
        odometer: 412_306.0,
        engine_base: 152_304,
        power_up: None,
        pos: TERMINAL,
    };
    // The last duty status before the period (FMCSA guidance Q084).
    sim.status(at(9, 16, 10), 1);
    // Tuesday to Friday: Toledo - Columbus and back.
    for day in 10..=12 {
        sim.round_trip(day, COLUMBUS, 141.0, 6);
    }
    // Thursday evening: a yard move nobody logged in for (12 minutes,
    // below the 30 minutes of diagnostic 5).
    let (t0, t1) = (at(12, 19, 0), at(12, 19, 12));
    let id = sim.next_id();
    sim.file.engine_power.push(EnginePower {
        sequence_id: id,
        event_code: 1,
        at: t0,
        total_miles: sim.odometer as u32,
        total_engine_hours: EngineHours::from_tenths(sim.engine_base),
        latitude: Coordinate::degrees(TERMINAL.0),
        longitude: Coordinate::degrees(TERMINAL.1),
        power_unit: "T1042".into(),
        vin: "3AKJHHDRXNSNA4512".into(),
        trailers: String::new(),
        shipping_document: String::new(),
    });
    for (t, code, miles, hours) in [(t0, 3u8, 0u32, 0u32), (t1, 4, 1, 2)] {
        let sequence_id = sim.next_id();
        sim.file.unidentified.push(Event {
            sequence_id,
            status: 1,
            origin: 1,
            event_type: 1,
            event_code: code,
            at: t,
            miles: Some(miles),
            engine_hours: Some(EngineHours::from_tenths(hours)),
            latitude: Coordinate::degrees(TERMINAL.0),
            longitude: Coordinate::degrees(TERMINAL.1),
            distance_since_last_valid: 0,
            cmv_order: 1,
            user_order: 0,
            malfunction: false,
            diagnostic: false,
            username: "unidentified".into(),
        });
    }
    sim.odometer += 1.0;
    sim.engine_base += 2;
    let id = sim.next_id();
    sim.file.engine_power.push(EnginePower {
        sequence_id: id,
        event_code: 3,
        at: t1 + TimeDelta::minutes(1),
        total_miles: sim.odometer as u32,
        total_engine_hours: EngineHours::from_tenths(sim.engine_base),
        latitude: Coordinate::degrees(TERMINAL.0),
        longitude: Coordinate::degrees(TERMINAL.1),
        power_unit: "T1042".into(),
        vin: "3AKJHHDRXNSNA4512".into(),
        trailers: String::new(),
        shipping_document: String::new(),
    });
    sim.round_trip(13, COLUMBUS, 141.0, 6);
    // Monday: a short Detroit run; the tender arrives at 14:00.
    sim.round_trip(16, DETROIT, 58.0, 7);
    // Tuesday 2026-11-17: the shipment.
    sim.login(at(17, 7, 30), 1);
    sim.engine(at(17, 7, 35), true);
    sim.status(at(17, 7, 35), 4);
    sim.drive(at(17, 7, 50), at(17, 8, 5), SHIPPER, 6.0);
    sim.status(at(17, 8, 5), 4); // arrived at shipper (X3)
    sim.drive(at(17, 8, 50), at(17, 12, 10), CINCINNATI, 200.0); // departed loaded (AF)
    sim.status(at(17, 12, 10), 4); // fuel at Cincinnati (X6)
    sim.drive(at(17, 12, 25), at(17, 14, 35), CONSIGNEE, 100.0);
    sim.status(at(17, 14, 35), 4); // arrived at consignee (X1); delivered 15:20 (D1)
    sim.engine(at(17, 15, 25), false);
    sim.status(at(17, 15, 30), 1);
    sim.login(at(17, 15, 40), 2);
    sim.certify(at(17, 15, 35), at(17, 0, 0).date());
    let current = at(17, 16, 0);
    let mut file = sim.file;
    file.header.current = current;
    file.header.latitude = Coordinate::degrees(CONSIGNEE.0);
    file.header.longitude = Coordinate::degrees(CONSIGNEE.1);
    file.header.total_miles = Some(sim.odometer as u32);
    file.header.total_engine_hours = Some(EngineHours::from_tenths(sim.engine_base));
    file.sort_newest_first();
    file
}

/// The tampered copy: the driver turned the first hour of the automatic
/// driving after Cincinnati into off-duty time (an edit that shortens
/// driving, §4.3.2.8.2(b)), and one digit of the 08:50 driving line was
/// changed by hand without its check values.
fn tampered(clean: &OutputFile) -> Vec<u8> {
    let mut file = clean.clone();
    let target = at(17, 12, 25);
    let max_id = file.events.iter().map(|e| e.sequence_id).max().unwrap_or(0);
    let mut edited = None;
    for e in &mut file.events {
        if e.at == target && e.event_type == 1 && e.event_code == 3 {
            e.status = 2;
            edited = Some(e.clone());
        }
    }
    if let Some(orig) = edited {
        let id = max_id.wrapping_add(1);
        file.events.push(Event {
            sequence_id: id,
            status: 1,
            origin: 2,
            event_code: 1,
            ..orig.clone()
        });
        file.annotations.push(Annotation {
            sequence_id: id,
            username: "dwhitaker".into(),
            comment: "was on break".into(),
            at: at(17, 16, 5),
            location_description: String::new(),
        });
    }
    file.sort_newest_first();
    let mut bytes = file.to_bytes();
    // Hand edit: accumulated miles 6 -> 9 on the 08:50 driving line.
    let needle = b",1,1,1,3,111726,085000,6,";
    if let Some(i) = bytes.windows(needle.len()).position(|w| w == needle) {
        let digit = i + needle.len() - 2;
        bytes[digit] = b'9';
    }
    bytes
}

fn main() -> std::io::Result<()> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data");
    let clean = sample();
    std::fs::write(format!("{dir}/eld-T1042.csv"), clean.to_bytes())?;
    std::fs::write(format!("{dir}/eld-T1042-tampered.csv"), tampered(&clean))?;
    let created = at(17, 0, 0).date();
    println!(
        "wrote eld-T1042.csv (FMCSA file name {}.csv) and eld-T1042-tampered.csv",
        clean.file_name(created, "")
    );
    Ok(())
}
