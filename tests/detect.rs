//! Format detection through the top-level `check`.

use ediguard::{ErrorKind, Format, Options, check, detect};

const ISA: &str = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~IEA*0*000000001~";

#[test]
fn junk_glued_to_the_isa_is_reported_and_checking_goes_on() {
    let input = format!("EXPORT BATCH 7 {ISA}");
    let report = check(input.as_bytes(), &Options::default()).unwrap();
    assert_eq!(report.format, Some(Format::X12));
    assert_eq!(report.counts.interchanges, 1);
    let junk = report
        .findings()
        .iter()
        .find(|f| f.rule == "leading_junk")
        .expect("leading_junk finding");
    assert_eq!(junk.location.offset, 0);
}

#[test]
fn ebcdic_and_utf16_are_unsupported_encodings() {
    for input in [&b"\xC9\xE2\xC1\x5C\xF0\xF0"[..], b"\xFF\xFEI\0S\0A\0"] {
        assert_eq!(
            detect(input).unwrap_err().kind(),
            ErrorKind::UnsupportedEncoding
        );
    }
}

#[test]
fn isa_inside_a_word_is_not_a_header() {
    assert_eq!(
        detect(b"PAID BY VISA*1234").unwrap_err().kind(),
        ErrorKind::Unrecognized
    );
}
