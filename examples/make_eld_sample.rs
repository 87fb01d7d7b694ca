//! Writes `examples/data/eld-T1042.csv` (an eight-day ELD output file for
//! the driver and truck of `examples/data/SHIPMENT.md`) and
//! `examples/data/eld-T1042-tampered.csv` (the same file with an edited
//! driving record and a broken line check value).
//!
//! Run with `cargo run --features generate --example make_eld_sample`. The §4.8.2.2 file name
//! of the clean file is printed; the samples are named after the power unit
//! so that the other example documents can refer to them.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use ediguard::eld::write::{Annotation, EnginePower, Event, OutputFile};
use ediguard::eld::{Coordinate, EngineHours};
use ediguard::generate::{EldSim, Position};

type Pos = Position;

const TERMINAL: Pos = (41.6205, -83.6021); // Northline Freight yard, Toledo (invented)
const SHIPPER: Pos = (41.6528, -83.5379);
const CINCINNATI: Pos = (39.1031, -84.5120);
const CONSIGNEE: Pos = (38.1937, -85.6566);
const COLUMBUS: Pos = (39.9612, -82.9988);
const DETROIT: Pos = (42.3314, -83.0458);

fn at(day: u32, h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, day)
        .and_then(|d| d.and_hms_opt(h, m, 0))
        .expect("valid sample time")
}

fn date(day: u32) -> NaiveDate {
    at(day, 0, 0).date()
}

/// The clean eight-day file.
fn sample() -> OutputFile {
    let header = EldSim::header_for(
        "Whitaker",
        "Dale",
        "dwhitaker",
        "T1042",
        "3AKJHHDRXNSNA4512",
    );
    let mut sim = EldSim::new(header, 0x1A3F, 412_306.0, 152_304, TERMINAL);
    // The last duty status before the period (FMCSA guidance Q084).
    sim.status(at(9, 16, 10), 1);
    // Tuesday to Friday: Toledo - Columbus and back.
    for day in 10..=12 {
        sim.round_trip(date(day), COLUMBUS, 141.0, 6);
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
    sim.round_trip(date(13), COLUMBUS, 141.0, 6);
    // Monday: a short Detroit run; the tender arrives at 14:00.
    sim.round_trip(date(16), DETROIT, 58.0, 7);
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
    sim.finish(at(17, 16, 0))
}

/// The tampered copy: the driver turned the first hour of the automatic
/// driving after Cincinnati into off-duty time (an edit that shortens
/// driving, §4.3.2.8.2(b)), and one digit of the 08:50 driving line was
/// changed by hand without its check values.
fn tampered(clean: &OutputFile) -> Vec<u8> {
    let mut file = clean.clone();
    let target = at(17, 12, 25);
    // The ELD gives the edit the next free sequence ID of the whole file.
    let max_id = file
        .events
        .iter()
        .chain(&file.unidentified)
        .map(|e| e.sequence_id)
        .chain(file.logins.iter().map(|l| l.sequence_id))
        .chain(file.engine_power.iter().map(|p| p.sequence_id))
        .chain(file.certifications.iter().map(|c| c.sequence_id))
        .max()
        .unwrap_or(0);
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
