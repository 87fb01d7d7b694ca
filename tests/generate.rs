//! The synthetic input generator (feature `generate`): X12 in both
//! versions with 204, 214 and 856 transaction sets, checked clean, and
//! deterministic from the seed.
#![cfg(feature = "generate")]

use ediguard::generate::{X12Options, X12Transaction, X12Version, x12, x12_with};
use ediguard::{Options, Severity, check, x12::Parser};

/// Every finding of at least warning severity, for an assertion message.
fn problems(data: &[u8]) -> Vec<String> {
    check(data, &Options::default())
        .expect("generated input is readable")
        .findings()
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| format!("{} at {}: {}", f.rule, f.location.offset, f.message))
        .collect()
}

/// ST01, GS08, ISA12 and ISA11 of one transaction set.
struct SetInfo(Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>);

/// What every transaction set in `data` is.
fn sets(data: &[u8]) -> Vec<SetInfo> {
    let mut out = Vec::new();
    for ic in Parser::new(data).interchanges() {
        let ic = ic.expect("interchange parses");
        for g in ic.groups() {
            for set in g.transaction_sets() {
                out.push(SetInfo(
                    set.id().to_vec(),
                    g.version().to_vec(),
                    ic.version().to_vec(),
                    ic.isa_element(11).to_vec(),
                ));
            }
        }
    }
    out
}

#[test]
fn mixed_x12_checks_clean_with_every_set_and_both_versions() {
    let data = x12_with(11, 400_000, &X12Options::mixed());
    assert!(data.len() >= 400_000);
    assert_eq!(problems(&data), Vec::<String>::new());
    let sets = sets(&data);
    for id in [&b"204"[..], b"214", b"856"] {
        assert!(sets.iter().any(|s| s.0 == id), "no {id:?} set");
    }
    for (gs08, isa12, isa11) in [
        (&b"004010"[..], &b"00401"[..], &b"U"[..]),
        (b"005010", b"00501", b"^"),
    ] {
        assert!(
            sets.iter()
                .any(|s| s.1 == gs08 && s.2 == isa12 && s.3 == isa11),
            "no {gs08:?} interchange with ISA12 {isa12:?} and ISA11 {isa11:?}"
        );
    }
    // A version is the same in ISA12 and GS08 within each interchange.
    assert!(sets.iter().all(|s| s.1.starts_with(&s.2)));
}

#[test]
fn each_version_and_set_alone_checks_clean() {
    for version in [X12Version::V004010, X12Version::V005010] {
        for kind in [
            X12Transaction::LoadTender204,
            X12Transaction::Status214,
            X12Transaction::ShipNotice856,
        ] {
            let options = X12Options::default()
                .with_versions(&[version])
                .with_transactions(&[kind]);
            let data = x12_with(3, 60_000, &options);
            assert_eq!(
                problems(&data),
                Vec::<String>::new(),
                "{version:?} {kind:?}"
            );
            let sets = sets(&data);
            assert!(!sets.is_empty());
            let gs08: &[u8] = match version {
                X12Version::V004010 => b"004010",
                X12Version::V005010 => b"005010",
            };
            assert!(sets.iter().all(|s| s.1 == gs08), "{version:?}");
        }
    }
}

#[test]
fn ship_notice_hierarchy_is_consistent() {
    let options = X12Options::default().with_transactions(&[X12Transaction::ShipNotice856]);
    let data = x12_with(5, 80_000, &options);
    let mut checked = 0;
    for ic in Parser::new(&data).interchanges() {
        let ic = ic.unwrap();
        for g in ic.groups() {
            assert_eq!(g.functional_id(), b"SH");
            for set in g.transaction_sets() {
                // HL01 counts from 1; HL02 names an earlier HL whose level
                // is the one above (S <- O <- P <- I); CTT01 counts the HLs.
                let mut levels: Vec<u8> = Vec::new();
                let mut ctt = None;
                for seg in set.segments() {
                    let el = |n: usize| seg.element(n).map(|e| e.as_bytes()).unwrap_or(b"");
                    if seg.is(b"HL") {
                        let id: usize = std::str::from_utf8(el(1)).unwrap().parse().unwrap();
                        assert_eq!(id, levels.len() + 1);
                        let level = el(3)[0];
                        let parent_level = match level {
                            b'S' => None,
                            b'O' => Some(b'S'),
                            b'P' => Some(b'O'),
                            b'I' => Some(b'P'),
                            other => panic!("HL03 {}", other as char),
                        };
                        match parent_level {
                            None => assert_eq!(el(2), b""),
                            Some(p) => {
                                let parent: usize =
                                    std::str::from_utf8(el(2)).unwrap().parse().unwrap();
                                assert!(parent < id);
                                assert_eq!(levels[parent - 1], p);
                            }
                        }
                        levels.push(level);
                    } else if seg.is(b"CTT") {
                        ctt = Some(el(1).to_vec());
                    }
                }
                assert!(levels.contains(&b'I'));
                assert_eq!(ctt, Some(levels.len().to_string().into_bytes()));
                checked += 1;
            }
        }
    }
    assert!(checked > 10, "only {checked} ship notices");
}

#[test]
fn generation_is_deterministic_from_the_seed() {
    let mixed = X12Options::mixed();
    assert_eq!(x12_with(9, 30_000, &mixed), x12_with(9, 30_000, &mixed));
    assert_ne!(x12_with(9, 30_000, &mixed), x12_with(10, 30_000, &mixed));
    assert_eq!(x12(9, 30_000), x12_with(9, 30_000, &X12Options::default()));
    // Empty lists fall back to the defaults rather than panicking.
    let empty = X12Options::default()
        .with_versions(&[])
        .with_transactions(&[]);
    assert_eq!(x12_with(9, 30_000, &empty), x12(9, 30_000));
}

#[test]
fn one_large_eld_file_checks_clean() {
    use ediguard::eld::{EldFile, SectionKind};
    use ediguard::generate::eld_file;
    let data = eld_file(4, 600_000);
    let len = data.len();
    assert!((570_000..630_000).contains(&len), "{len} bytes");
    assert_eq!(problems(&data), Vec::<String>::new());
    assert!(data == eld_file(4, 600_000), "the same seed, other bytes");
    // (Seeds that differ only in the lowest bit give the same generator.)
    assert!(data != eld_file(6, 600_000), "another seed, the same bytes");
    // One driver and one truck; each day's stops in the Event List.
    let file = EldFile::parse(&data, &ediguard::Limits::default()).unwrap();
    let count = |kind| file.section(kind).map_or(0, |s| s.records().count());
    assert_eq!(count(SectionKind::CmvList), 1);
    let days = count(SectionKind::Certifications);
    assert!(days > 60, "{days} days");
    assert!(count(SectionKind::EventList) > 60 * days, "{days} days");
}

#[test]
fn a_driver_changes_trucks_and_the_file_still_checks_clean() {
    use chrono::NaiveDate;
    use ediguard::generate::EldSim;
    let header = EldSim::header_for("Okafor", "Ada", "aokafor", "T2001", "3AKJHHDRXNSNA4512");
    let mut sim = EldSim::new(header, 0xFFF0, 250_000.0, 80_000, (41.62, -83.60));
    let first = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    let legs = [9, 5, 12, 7];
    for d in 0..3 {
        sim.route_day(first + chrono::TimeDelta::days(d), 6, &legs, 6, 2.0);
    }
    // The new truck's totals are lower than the old one's: each CMV's
    // totals are judged on their own.
    sim.change_truck("T2002", "1M8GDM9AXKP042788", 12_000.0, 9_000)
        .unwrap();
    for d in 3..5 {
        sim.route_day(first + chrono::TimeDelta::days(d), 6, &legs, 6, 2.0);
    }
    let data = sim
        .finish(
            NaiveDate::from_ymd_opt(2027, 3, 6)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
        )
        .to_bytes();
    assert_eq!(problems(&data), Vec::<String>::new());
    let text = String::from_utf8(data).unwrap();
    // The new truck heads the CMV List and the header, with order 2.
    assert!(
        text.contains("CMV List:\r\n2,T2002,1M8GDM9AXKP042788,"),
        "{text}"
    );
    assert!(text.contains("\r\n1,T2001,3AKJHHDRXNSNA4512,"), "{text}");
    assert!(text.contains("\r\nT2002,1M8GDM9AXKP042788,"), "{text}");
}

#[test]
fn one_large_eld_file_gives_one_report_on_one_thread_or_several() {
    use std::num::NonZeroUsize;
    // About 90,000 rows: the Event List is read in blocks and the
    // consistency rules run apart. Damaged rows here and there (a changed
    // digit breaks a line check value; a repeated line repeats a sequence
    // ID; a swapped pair breaks the order) take the full checks.
    let mut data = ediguard::generate::eld_file(8, 6 << 20);
    let text = String::from_utf8(data.clone()).unwrap();
    let mut lines: Vec<&str> = text.split("\r\n").collect();
    let events = lines.iter().position(|l| *l == "ELD Event List:").unwrap() + 1;
    for k in [10, 20_000, 20_001, 51_234] {
        let i = events + k;
        if k == 20_001 {
            lines.swap(i, i + 1);
        }
        if k == 51_234 {
            lines[i + 1] = lines[i];
        }
    }
    let mut joined = lines.join("\r\n");
    // A changed digit in row 10.
    let row10 = joined.find(lines[events + 10]).unwrap();
    let digit = row10 + joined[row10..].find(',').unwrap() + 1;
    joined.replace_range(
        digit..digit + 1,
        if &joined[digit..digit + 1] == "1" {
            "2"
        } else {
            "1"
        },
    );
    data = joined.into_bytes();
    let one = Options::default().with_threads(NonZeroUsize::MIN);
    let two = Options::default().with_threads(NonZeroUsize::new(2).unwrap());
    let a = check(&data, &one).unwrap();
    let b = check(&data, &two).unwrap();
    let rules: std::collections::BTreeSet<&str> = a.findings().iter().map(|f| f.rule).collect();
    for rule in [
        "line_check_value_mismatch",
        "eld_duplicate_sequence_id",
        "eld_record_order",
    ] {
        assert!(rules.contains(rule), "{rule} not in {rules:?}");
    }
    assert_eq!(a.to_json(), b.to_json());
}
