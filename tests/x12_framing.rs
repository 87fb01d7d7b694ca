//! One test per X12 row of the framing table in `edi-pitfalls.md`.

mod common;

use common::{check, interchange, isa, of, rules};
use ediguard::x12::Parser;
use ediguard::{ErrorKind, Options};

fn first(input: &[u8]) -> ediguard::x12::Interchange<'_> {
    Parser::new(input).interchanges().next().unwrap().unwrap()
}

#[test]
fn isa11_letter_is_not_a_repetition_separator() {
    // 00501 with ISA11 = U: a letter is never a repetition separator.
    let mut s = isa('*', '>', 'U', "00501", "000000001", "~");
    s.push_str("GS*QM*S*R*20240101*1200*1*X*005010~ST*214*0001~N1*SH*ACME UNLIMITED~SE*3*0001~GE*1*1~IEA*1*000000001~");
    let ic = first(s.as_bytes());
    assert_eq!(ic.delimiters().repetition, None);
    let n1 = ic.segments().find(|s| s.is(b"N1")).unwrap();
    assert_eq!(n1.element(2).unwrap().repetitions().count(), 1);
    assert!(check(s.as_bytes()).is_ok());
}

#[test]
fn isa11_symbol_is_a_repetition_separator_only_from_00402() {
    let new = isa('*', '>', '^', "00501", "000000001", "~");
    assert_eq!(first(new.as_bytes()).delimiters().repetition, Some(b'^'));
    let at = isa('*', '>', '^', "00402", "000000001", "~");
    assert_eq!(first(at.as_bytes()).delimiters().repetition, Some(b'^'));
    let old = isa('*', '>', '^', "00401", "000000001", "~");
    assert_eq!(first(old.as_bytes()).delimiters().repetition, None);
}

#[test]
fn newline_is_the_segment_terminator_when_isa_says_so() {
    for term in ["\n", "\r"] {
        let mut s = isa('*', '>', 'U', "00401", "000000001", term);
        for seg in [
            "GS*QM*S*R*20240101*1200*1*X*004010",
            "ST*214*0001",
            "B10*1*2*NLFX",
            "SE*3*0001",
            "GE*1*1",
            "IEA*1*000000001",
        ] {
            s.push_str(seg);
            s.push_str(term);
        }
        let ic = first(s.as_bytes());
        assert_eq!(ic.terminator(), term.as_bytes());
        assert_eq!(ic.segment_count(), 7, "{term:?}");
        let report = check(s.as_bytes());
        assert!(report.is_ok(), "{:?}", report.findings());
    }
}

#[test]
fn crlf_after_terminators_is_skipped_and_reported_once() {
    let s = interchange("000000001", &["B10*1*2*NLFX", "LX*1"]).replace('~', "~\r\n");
    let ic = first(s.as_bytes());
    let tags: Vec<_> = ic.segments().map(|s| s.tag().to_vec()).collect();
    assert!(
        tags.iter()
            .all(|t| !t.contains(&b'\r') && !t.contains(&b'\n'))
    );
    let report = check(s.as_bytes());
    let breaks = of(&report, "line_breaks");
    assert_eq!(breaks.len(), 1);
    assert_eq!(breaks[0].location.offset, 106);
    assert!(report.is_ok());
}

#[test]
fn hard_wrapped_segment_is_a_line_break_in_segment() {
    let s = interchange("000000001", &["N1*SH*GREAT LAKES\nPAPER"]);
    let report = check(s.as_bytes());
    let f = of(&report, "line_break_in_segment");
    assert_eq!(f.len(), 1);
    let at = s.find("LAKES\n").unwrap() + 5;
    assert_eq!(f[0].location.offset, at);
    assert_eq!(f[0].location.segment, Some(3));
    assert_eq!(f[0].location.element, Some(2));
}

#[test]
fn several_interchanges_with_different_delimiters() {
    let mut s = interchange("000000001", &["LX*1"]);
    s.push_str(
        &interchange("000000002", &["LX*1"])
            .replace('*', "|")
            .replace('~', "!"),
    );
    let all: Vec<_> = Parser::new(s.as_bytes())
        .interchanges()
        .map(Result::unwrap)
        .collect();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].delimiters().element, b'*');
    assert_eq!(
        (all[1].delimiters().element, all[1].delimiters().segment),
        (b'|', b'!')
    );
    assert_eq!(all[1].control_number(), b"000000002");
    let report = check(s.as_bytes());
    assert!(report.is_ok(), "{:?}", report.findings());
    assert_eq!(report.counts.interchanges, 2);
}

#[test]
fn bom_is_skipped_and_reported() {
    let mut s = b"\xEF\xBB\xBF".to_vec();
    s.extend_from_slice(interchange("000000001", &["LX*1"]).as_bytes());
    let report = check(&s);
    assert_eq!(rules(&report), ["byte_order_mark"]);
    assert_eq!(first(&s).span().start, 3);
}

#[test]
fn leading_junk_is_reported_with_offset_and_parsing_continues() {
    let s = format!("EXPORT 2024-01-01\n{}", interchange("000000001", &["LX*1"]));
    let report = check(s.as_bytes());
    let f = of(&report, "leading_junk");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].location.offset, 0);
    assert_eq!(report.counts.messages, 1);
    assert_eq!(of(&report, "unexpected_segment").len(), 0);
}

#[test]
fn isa_inside_data_does_not_start_an_interchange() {
    let s = interchange(
        "000000001",
        &["NTE*GEN*ISA*00*IS NOT A HEADER", "N1*SH*ISA"],
    );
    let all: Vec<_> = Parser::new(s.as_bytes()).interchanges().collect();
    assert_eq!(all.len(), 1);
    let report = check(s.as_bytes());
    assert!(report.is_ok(), "{:?}", report.findings());
}

#[test]
fn multi_byte_terminator_is_taken_whole() {
    let ell = "\u{2026}";
    let s = interchange("000000001", &["LX*1"]).replace('~', &format!("{ell}\n"));
    let ic = first(s.as_bytes());
    assert_eq!(ic.terminator(), ell.as_bytes());
    assert_eq!(ic.segment_count(), 7);
    let report = check(s.as_bytes());
    assert!(report.is_ok(), "{:?}", report.findings());
}

#[test]
fn control_character_delimiters_are_accepted() {
    let s = interchange("000000001", &["LX*1", "N1*SH*A>B"])
        .replace('*', "\x1E")
        .replace('>', "\x1D")
        .replace('~', "\x15");
    let ic = first(s.as_bytes());
    assert_eq!(
        (ic.delimiters().element, ic.delimiters().component),
        (0x1E, 0x1D)
    );
    let report = check(s.as_bytes());
    assert!(report.is_ok(), "{:?}", report.findings());
}

#[test]
fn unpadded_isa_is_reported_and_its_delimiters_are_still_found() {
    let s = "ISA*00* *00* *ZZ*SENDER*ZZ*RECEIVER*240101*1200*U*00401*000000001*0*P*>~GS*QM*S*R*20240101*1200*1*X*004010~ST*214*0001~SE*2*0001~GE*1*1~IEA*1*000000001~";
    let ic = first(s.as_bytes());
    assert!(!ic.is_isa_fixed_width());
    assert_eq!(ic.delimiters().component, b'>');
    assert_eq!(ic.sender_id(), b"SENDER");
    let report = check(s.as_bytes());
    let f = of(&report, "isa_malformed");
    let elements: Vec<_> = f.iter().map(|f| f.location.element.unwrap()).collect();
    assert_eq!(elements, [2, 4, 6, 8]);
    assert!(f[2].message.contains("ISA06 is 6 bytes"));
    assert_eq!(report.counts.messages, 1);
}

#[test]
fn isa_too_short_for_its_delimiters_is_an_error() {
    let err = ediguard::integrity::x12::check(b"ISA*00*  *00", &Options::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
    let err = ediguard::integrity::x12::check(b"bad_file\n", &Options::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unrecognized);
}

#[test]
fn ebcdic_input_is_an_unsupported_encoding() {
    let err = ediguard::check(b"\xC9\xE2\xC1\x5C\xF0\xF0", &Options::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedEncoding);
}

#[test]
fn bytes_outside_the_character_set_are_named_with_offset() {
    let s = interchange("000000001", &["N1*SH*CAF\u{c9}"]);
    let report = check(s.as_bytes());
    let f = of(&report, "invalid_character");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].location.offset, s.find("CAF").unwrap() + 3);
    assert_eq!(f[0].found.as_deref(), Some("0xC3"));
}

#[test]
fn ta1_at_the_top_of_an_interchange_is_an_acknowledgment() {
    let mut s = isa('*', ':', '^', "00501", "000000001", "~");
    s.push_str("TA1*000000050*200229*1200*R*022~IEA*0*000000001~");
    let ic = first(s.as_bytes());
    assert_eq!(ic.acknowledgments().count(), 1);
    let report = check(s.as_bytes());
    assert_eq!(rules(&report), ["interchange_acknowledgment"]);
    let f = &report.findings()[0];
    assert!(f.message.contains("R (rejected)"), "{}", f.message);
    assert_eq!((f.location.segment, f.location.element), (Some(1), Some(4)));
}

#[test]
fn empty_segments_and_trailing_separators_are_accepted() {
    let s = interchange("000000001", &["N1*SH*ACME**", "LX"]);
    let ic = first(s.as_bytes());
    let n1 = ic.segment(3).unwrap();
    assert_eq!(n1.element_count(), 4);
    assert!(n1.element(4).unwrap().is_empty());
    assert!(check(s.as_bytes()).is_ok());
}

#[test]
fn trailing_data_after_the_last_interchange_is_reported() {
    let s = format!("{}\nEND OF FILE\n", interchange("000000001", &["LX*1"]));
    let report = check(s.as_bytes());
    let f = of(&report, "trailing_data");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].location.offset, s.find("END OF").unwrap());
}
