//! Every third-party X12 sample in `../shared/corpora/x12` goes through
//! parse and check without panicking, and the envelope facts that
//! `SOURCES.md` states for named files hold. Skips (with a message) when
//! the corpus or a file is absent.

mod common;

use common::of;
use ediguard::x12::{Interchange, Parser};
use ediguard::{ErrorKind, Options, Report};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/x12");

fn read(name: &str) -> Option<Vec<u8>> {
    let path = format!("{DIR}/{name}");
    match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!("skipping {name}: {path} is absent");
            None
        }
    }
}

fn report(input: &[u8]) -> Report {
    ediguard::integrity::x12::check(input, &Options::default()).expect("readable X12")
}

fn interchanges(input: &[u8]) -> Vec<Interchange<'_>> {
    Parser::new(input)
        .interchanges()
        .map(|r| r.expect("readable"))
        .collect()
}

/// (ISA, GS, ST) counts.
fn shape(input: &[u8]) -> (usize, usize, usize) {
    let r = report(input);
    (r.counts.interchanges, r.counts.groups, r.counts.messages)
}

#[test]
fn every_file_parses_and_checks_without_panic() {
    let Ok(dir) = std::fs::read_dir(DIR) else {
        eprintln!("skipping: {DIR} is absent");
        return;
    };
    let mut seen = 0;
    for entry in dir {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let input = std::fs::read(&path).unwrap();
        let parsed: Vec<_> = Parser::new(&input).interchanges().collect();
        match ediguard::integrity::x12::check(&input, &Options::default()) {
            Ok(r) => {
                assert!(r.counts.interchanges >= 1, "{name}");
                assert_eq!(parsed.len(), r.counts.interchanges, "{name}");
                for f in r.findings() {
                    assert!(f.location.offset <= input.len(), "{name}: {f:?}");
                }
            }
            Err(e) => {
                assert_eq!(name, "badx12__files__errors__bad_file.edi", "{e}");
                assert_eq!(e.kind(), ErrorKind::Unrecognized);
            }
        }
        seen += 1;
    }
    assert!(seen > 0);
}

#[test]
fn edinet_204_se01_says_41_for_38_segments() {
    let Some(input) = read("edinet__indice.Edi.Tests__204-MGCTLYST-SAMPLE.EDI") else {
        return;
    };
    assert_eq!(interchanges(&input)[0].terminator(), b"\n");
    let r = report(&input);
    let f = of(&r, "segment_count_mismatch");
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("38"), Some("41"))
    );
}

#[test]
fn staedi_three_interchanges_in_one_stream() {
    let Some(input) = read("staedi__x12__simple997-multiple-interchanges.edi") else {
        return;
    };
    assert_eq!(shape(&input), (3, 3, 3));
    assert!(report(&input).is_ok());
}

#[test]
fn staedi_two_groups_three_sets() {
    let Some(input) = read("staedi__x12__invoice810_po850_dual.edi") else {
        return;
    };
    assert_eq!(shape(&input), (1, 2, 3));
    let ic = &interchanges(&input)[0];
    assert_eq!(ic.delimiters().component, b'>');
    assert_eq!(ic.delimiters().repetition, None);
    let ids: Vec<_> = ic
        .groups()
        .flat_map(|g| {
            g.transaction_sets()
                .map(|s| s.id().to_vec())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(ids.len(), 3);
}

#[test]
fn edinet_214_bom_and_line_break_inside_isa() {
    let Some(input) = read("edinet__indice.Edi.Tests__x12.214.edi") else {
        return;
    };
    let r = report(&input);
    assert_eq!(of(&r, "byte_order_mark").len(), 1);
    assert!(!interchanges(&input)[0].is_isa_fixed_width());
    let f = of(&r, "line_break_in_segment");
    assert_eq!(f[0].location.segment, Some(0));
    assert_eq!(shape(&input), (1, 1, 1));
}

#[test]
fn x12parser_156_interchanges() {
    let Some(input) = read("x12parser__test-files__835__profee-multiple.edi") else {
        return;
    };
    assert_eq!(shape(&input), (156, 156, 156));
}

#[test]
fn staedi_ellipsis_terminator() {
    let Some(input) = read("staedi__x12__issue109__ts214_ellipses_segterm.edi") else {
        return;
    };
    let ic = &interchanges(&input)[0];
    assert_eq!(ic.terminator(), "\u{2026}".as_bytes());
    assert_eq!(ic.version(), b"00400");
    let r = report(&input);
    assert_eq!((r.counts.groups, r.counts.messages), (1, 1));
    assert!(r.is_ok(), "{:?}", r.findings());
}

#[test]
fn stupidedi_control_character_delimiters_and_empty_group() {
    let Some(input) = read("stupidedi__QM214__pass__gh-189.edi") else {
        return;
    };
    let ic = &interchanges(&input)[0];
    let d = ic.delimiters();
    assert_eq!(
        (d.element, d.component, ic.terminator()),
        (0x1E, 0x1D, &b"\n"[..])
    );
    let r = report(&input);
    assert_eq!(of(&r, "invalid_character").len(), 0);
    // GE01 = 1 but the group holds no ST.
    assert_eq!(of(&r, "message_count_mismatch").len(), 1);
}

#[test]
fn staedi_ta1_only_interchange() {
    let Some(input) = read("staedi__wiki__x12_interchange_ack.txt") else {
        return;
    };
    let r = report(&input);
    assert_eq!(shape(&input), (1, 0, 0));
    assert!(
        of(&r, "interchange_acknowledgment")[0]
            .message
            .contains("A (accepted)")
    );
    // IEA01 = 1 although no functional group is present.
    assert_eq!(of(&r, "group_count_mismatch").len(), 1);
}

#[test]
fn lfh_271_se02_differs_from_st02() {
    let Some(input) = read("lfh__271_005010X279A1__subscriber-health-benefit-check-error.271")
    else {
        return;
    };
    let r = report(&input);
    let f = of(&r, "control_number_mismatch");
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("4321"), Some("4323"))
    );
}

#[test]
fn x12types_310_counts_and_control_numbers_differ() {
    let Some(input) = read("x12types__test-data__004010_310.edi") else {
        return;
    };
    let r = report(&input);
    let f = of(&r, "segment_count_mismatch");
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("46"), Some("49"))
    );
    let cn: Vec<_> = of(&r, "control_number_mismatch")
        .iter()
        .map(|f| f.message.split(' ').next().unwrap().to_owned())
        .collect();
    assert!(
        cn.contains(&"SE02".to_owned()) && cn.contains(&"GE02".to_owned()),
        "{cn:?}"
    );
}

#[test]
fn nodex12_856_hyphen_repetition_separator_in_00406() {
    let Some(input) = read("nodex12__test-data__856.edi") else {
        return;
    };
    let ic = &interchanges(&input)[0];
    assert_eq!(ic.version(), b"00406");
    assert_eq!(ic.delimiters().repetition, Some(b'-'));
}

#[test]
fn staedi_837_newline_terminator_backquote_repetition() {
    let Some(input) = read("staedi__x12__sample837-HL-nested.edi") else {
        return;
    };
    let ic = &interchanges(&input)[0];
    assert_eq!(ic.terminator(), b"\n");
    assert_eq!(ic.delimiters().repetition, Some(b'`'));
    assert_eq!(shape(&input), (1, 1, 2));
}

#[test]
fn staedi_invalid999_se01_16_for_18() {
    let Some(input) = read("staedi__x12__invalid999.edi") else {
        return;
    };
    let f = of(&report(&input), "segment_count_mismatch")
        .iter()
        .map(|f| (f.expected.clone(), f.found.clone()))
        .collect::<Vec<_>>();
    assert_eq!(f, [(Some("18".to_owned()), Some("16".to_owned()))]);
}

#[test]
fn nodex12_fat_file_two_interchanges() {
    let Some(input) = read("nodex12__test-data__850_fat.edi") else {
        return;
    };
    assert_eq!(shape(&input), (2, 2, 2));
}

#[test]
fn moov_820_unpadded_isa_tilde_component_backslash_terminator() {
    let Some(input) = read("moovx12__examples__example_stp_820__sample.txt") else {
        return;
    };
    let ic = &interchanges(&input)[0];
    assert!(!ic.is_isa_fixed_width());
    assert_eq!(
        (ic.delimiters().component, ic.terminator()),
        (b'~', &b"\\"[..])
    );
    let r = report(&input);
    assert!(!of(&r, "isa_malformed").is_empty());
    assert_eq!(of(&r, "segment_count_mismatch").len(), 0);
}

#[test]
fn badx12_isa_only_has_no_trailer() {
    let Some(input) = read("badx12__files__errors__segment_terminator.edi") else {
        return;
    };
    let r = report(&input);
    assert_eq!(of(&r, "missing_trailer").len(), 1);
}
