//! One named test per EDIFACT row of the framing table in
//! `edi-pitfalls.md`.

use ediguard::{ErrorKind, Limits, Options, Report, Severity, check, edifact};

fn report(input: &[u8]) -> Report {
    check(input, &Options::default()).unwrap()
}

fn rules(r: &Report) -> Vec<(&'static str, usize)> {
    r.findings()
        .iter()
        .map(|f| (f.rule, f.location.offset))
        .collect()
}

const ONE: &[u8] = b"UNB+UNOA:3+A+B+261117:1600+1'UNH+1+X:D:01B:UN'BGM+1'UNT+3+1'UNZ+1+1'";

#[test]
fn crlf_after_each_terminator_is_framing_info() {
    let input =
        b"UNB+UNOA:3+A+B+261117:1600+1'\r\nUNH+1+X:D:01B:UN'\r\nBGM+1'\nUNT+3+1'\r\nUNZ+1+1'\r\n";
    let r = report(input);
    assert_eq!(rules(&r), [("line_breaks", 29)]);
    assert_eq!(r.findings()[0].severity, Severity::Info);
    assert!(r.findings()[0].message.contains("4 places"));
    // Never data: BGM's element is "1", without the line break.
    let parsed = edifact::parse(input, &Limits::default()).unwrap();
    let bgm = parsed.interchanges()[0].segments().nth(2).unwrap();
    assert_eq!(bgm.offset(), 50);
    assert_eq!(bgm.element(1).unwrap().as_bytes(), b"1");
}

#[test]
fn hard_wrapped_line_break_inside_segment_is_named() {
    let input =
        b"UNB+UNOA:3+A+B+261117:1600+1'UNH+1+X:D:01B:UN'FTX+AAI+++WRAPPED\nTEXT'UNT+3+1'UNZ+1+1'";
    let r = report(input);
    assert_eq!(rules(&r), [("line_break_in_segment", 63)]);
    assert!(r.findings()[0].message.contains("LF inside segment FTX"));
    assert_eq!(r.findings()[0].location.segment, Some(2));
}

#[test]
fn several_interchanges_with_different_delimiters() {
    let input = b"UNB+UNOA:3+A+B+261117:1600+1'UNZ+0+1'UNA=*.? ~UNB*UNOA=3*A*B*261117=1600*2~UNH*1*X=D=01B=UN~FTX*A+B:C~UNT*3*1~UNZ*1*2~";
    let parsed = edifact::parse(input, &Limits::default()).unwrap();
    let ics = parsed.interchanges();
    assert_eq!(ics.len(), 2);
    assert_eq!(ics[0].delimiters().element, b'+');
    assert_eq!(ics[1].delimiters().element, b'*');
    let ftx = ics[1].segments().nth(2).unwrap();
    // '+' and ':' are data under the second interchange's delimiters.
    assert_eq!(ftx.element(1).unwrap().as_bytes(), b"A+B:C");
    assert!(report(input).findings().is_empty());
}

#[test]
fn una_before_every_concatenated_unb() {
    let input = b"UNA:+.? 'UNB+UNOA:3+A+B+261117:1600+1'UNZ+0+1'UNA:+,? 'UNB+UNOA:3+A+B+261117:1600+2'UNZ+0+2'UNA|^.! #UNB^UNOA|3^A^B^261117|1600^3#UNZ^0^3#";
    let parsed = edifact::parse(input, &Limits::default()).unwrap();
    let ics = parsed.interchanges();
    assert_eq!(ics.len(), 3);
    assert_eq!(ics[0].una_offset(), Some(0));
    assert_eq!(ics[1].decimal_mark(), b',');
    assert_eq!(ics[2].delimiters().segment, b'#');
    assert_eq!(ics[2].delimiters().release, Some(b'!'));
    assert_eq!(ics[2].control_reference().as_deref(), Some(&b"3"[..]));
    assert!(report(input).findings().is_empty());
}

#[test]
fn bom_and_export_header_before_una() {
    let mut input = b"\xEF\xBB\xBFEXPORT 2026-11-17 FILE 7\n".to_vec();
    let una_at = input.len();
    input.extend_from_slice(b"UNA:+.? '");
    input.extend_from_slice(ONE);
    let r = report(&input);
    assert_eq!(rules(&r), [("byte_order_mark", 0), ("leading_junk", 3)]);
    assert_eq!(r.findings()[1].severity, Severity::Warning);
    assert!(
        r.findings()[1]
            .message
            .starts_with(&format!("{} bytes", una_at - 3))
    );
    assert_eq!(r.counts.messages, 1);
}

#[test]
fn unb_inside_data_is_not_a_header() {
    let input = b"UNB+UNOA:3+A+B+261117:1600+1'UNH+1+X:D:01B:UN'FTX+AAI+++SEE UNB+UNOA:3 AND UNH+2'UNT+3+1'UNZ+1+1'";
    let r = report(input);
    assert!(r.findings().is_empty(), "{:?}", r.findings());
    assert_eq!((r.counts.interchanges, r.counts.messages), (1, 1));
}

#[test]
fn release_character_corner_cases() {
    // `??` is a literal `?` and does not release the next `+`; `?'` at the
    // end of a value is a literal apostrophe; `?` before an ordinary
    // character just makes it data.
    let input = b"UNB+UNOA:3+A+B+261117:1600+1'UNH+1+X:D:01B:UN'FTX+A??+B?'+?C'UNT+3+1'UNZ+1+1'";
    let parsed = edifact::parse(input, &Limits::default()).unwrap();
    let ftx = parsed.interchanges()[0].segments().nth(2).unwrap();
    let values: Vec<Vec<u8>> = ftx.elements().map(|e| e.value().into_owned()).collect();
    assert_eq!(values, [&b"A?"[..], b"B'", b"C"]);
    assert!(matches!(
        ftx.element(1).unwrap().value(),
        std::borrow::Cow::Owned(_)
    ));
    assert!(report(input).findings().is_empty());
}

#[test]
fn control_character_and_del_delimiters() {
    // NAK (0x15) as segment terminator, DEL (0x7F) as element separator.
    let input = b"UNA:\x7f.? \x15UNB\x7fUNOA:3\x7fA\x7fB\x7f261117:1600\x7f1\x15UNZ\x7f0\x7f1\x15";
    let parsed = edifact::parse(input, &Limits::default()).unwrap();
    let ic = &parsed.interchanges()[0];
    assert_eq!(
        (ic.delimiters().segment, ic.delimiters().element),
        (0x15, 0x7F)
    );
    assert!(ic.trailer().is_some());
    assert!(report(input).findings().is_empty());
    // Level B information separators without UNA.
    let unob = b"UNB\x1dUNOB\x1f3\x1dA\x1dB\x1d261117\x1f1600\x1d1\x1cUNZ\x1d0\x1d1\x1c";
    assert!(report(unob).findings().is_empty());
}

#[test]
fn ebcdic_input_is_unsupported_encoding() {
    // "UNB" in EBCDIC.
    let err = check(b"\xE4\xD5\xC2\x4E\xE4\xD5\xD6\xC1", &Options::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedEncoding);
}

#[test]
fn character_set_checked_against_unb() {
    let unoa = b"UNB+UNOA:3+A+B+261117:1600+1'UNH+1+X:D:01B:UN'FTX+abc'UNT+3+1'UNZ+1+1'";
    let r = report(unoa);
    assert_eq!(rules(&r), [("invalid_character", 50)]);
    assert_eq!(r.findings()[0].found.as_deref(), Some("0x61"));
    let unoc_latin1 =
        b"UNB+UNOC:3+A+B+261117:1600+1'UNH+1+X:D:01B:UN'FTX+M\xFCller'UNT+3+1'UNZ+1+1'";
    assert!(report(unoc_latin1).findings().is_empty());
    let unoy_bad = b"UNB+UNOY:3+A+B+261117:1600+1'UNH+1+X:D:01B:UN'FTX+M\xFCller'UNT+3+1'UNZ+1+1'";
    assert_eq!(rules(&report(unoy_bad)), [("invalid_character", 51)]);
    let unoy_good = "UNB+UNOY:3+A+B+261117:1600+1'UNH+1+X:D:01B:UN'FTX+Müller'UNT+3+1'UNZ+1+1'";
    assert!(report(unoy_good.as_bytes()).findings().is_empty());
}

#[test]
fn ung_une_groups_are_supported() {
    let input = b"UNB+UNOA:3+A+B+261117:1600+1'UNG+IFTSTA+A+B+261117:1600+7+UN+D:01B'UNH+1+IFTSTA:D:01B:UN'UNT+2+1'UNH+2+IFTSTA:D:01B:UN'UNT+2+2'UNE+2+7'UNZ+1+1'";
    let parsed = edifact::parse(input, &Limits::default()).unwrap();
    let ic = &parsed.interchanges()[0];
    let g = ic.groups().next().unwrap();
    assert_eq!(g.reference().as_deref(), Some(&b"7"[..]));
    assert_eq!(g.messages().count(), 2);
    assert!(g.messages().all(|m| m.group_index() == Some(0)));
    let r = report(input);
    assert!(r.findings().is_empty(), "{:?}", r.findings());
    assert_eq!((r.counts.groups, r.counts.messages), (1, 2));
}

#[test]
fn empty_segments_and_trailing_separators_are_accepted() {
    let input =
        b"UNB+UNOA:3+A+B+261117:1600+1'UNH+1+X:D:01B:UN'SRC'DTM+137:2024::'UNT+4+1'UNZ+1+1'";
    let r = report(input);
    assert!(r.findings().is_empty(), "{:?}", r.findings());
    let parsed = edifact::parse(input, &Limits::default()).unwrap();
    let dtm = parsed.interchanges()[0].segments().nth(3).unwrap();
    assert_eq!(dtm.element(1).unwrap().components().count(), 4);
}

#[test]
fn other_dialect_trailer_tags_do_not_end_a_message() {
    let input =
        b"UNB+UNOA:3+A+B+261117:1600+1'UNH+1+X:D:01B:UN'IEA+1:525'END+1'SE+3+1'UNT+5+1'UNZ+1+1'";
    let r = report(input);
    assert!(r.findings().is_empty(), "{:?}", r.findings());
}

#[test]
fn bare_messages_are_parsed_and_reported() {
    let input = b"UNH+1+X:D:01B:UN'BGM+1'UNT+3+1'UNH+2+X:D:01B:UN'UNT+2+2'";
    let r = report(input);
    assert_eq!(rules(&r), [("bare_message", 0)]);
    assert_eq!(r.findings()[0].severity, Severity::Warning);
    assert_eq!((r.counts.interchanges, r.counts.messages), (0, 2));
}
