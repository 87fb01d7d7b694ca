//! One test per envelope rule: an input that triggers it (with the location
//! asserted) and the corrected input that does not.

mod common;

use common::{check, interchange, isa, of};

fn good() -> String {
    interchange("000000001", &["B10*PRO1*SH1*NLFX", "LX*1"])
}

fn assert_clean(s: &str, rule: &str) {
    let report = check(s.as_bytes());
    assert!(
        of(&report, rule).is_empty(),
        "{rule}: {:?}",
        report.findings()
    );
    assert!(report.is_ok(), "{:?}", report.findings());
}

#[test]
fn control_number_mismatch() {
    assert_clean(&good(), "control_number_mismatch");
    let s = good()
        .replace("SE*4*0001", "SE*4*0002")
        .replace("GE*1*1", "GE*1*01")
        .replace("IEA*1*000000001", "IEA*1*000000009");
    let report = check(s.as_bytes());
    let f = of(&report, "control_number_mismatch");
    let at: Vec<_> = f
        .iter()
        .map(|f| (f.location.segment, f.location.element))
        .collect();
    // IEA (segment 7), SE (5), GE (6): the interchange trailer is judged first.
    assert_eq!(
        at,
        [(Some(7), Some(2)), (Some(6), Some(2)), (Some(5), Some(2))]
    );
    // "01" and "1" are not identical (X12: "must be identical").
    assert_eq!(f[1].expected.as_deref(), Some("1"));
    assert_eq!(f[1].found.as_deref(), Some("01"));
}

#[test]
fn segment_count_mismatch() {
    assert_clean(&good(), "segment_count_mismatch");
    let s = good().replace("SE*4*", "SE*41*");
    let report = check(s.as_bytes());
    let f = of(&report, "segment_count_mismatch");
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].location.segment, f[0].location.element),
        (Some(5), Some(1))
    );
    assert_eq!(f[0].expected.as_deref(), Some("4"));
    let s = good().replace("SE*4*", "SE*X*");
    assert_eq!(of(&check(s.as_bytes()), "segment_count_mismatch").len(), 1);
}

#[test]
fn message_count_mismatch() {
    assert_clean(&good(), "message_count_mismatch");
    let s = good().replace("GE*1*1", "GE*2*1");
    let report = check(s.as_bytes());
    let f = of(&report, "message_count_mismatch");
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].location.segment, f[0].location.element),
        (Some(6), Some(1))
    );
}

#[test]
fn group_count_mismatch() {
    assert_clean(&good(), "group_count_mismatch");
    let s = good().replace("IEA*1*", "IEA*0*");
    let report = check(s.as_bytes());
    let f = of(&report, "group_count_mismatch");
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].location.segment, f[0].location.element),
        (Some(7), Some(1))
    );
    assert_eq!(f[0].found.as_deref(), Some("0"));
}

#[test]
fn duplicate_control_number() {
    // Two interchanges with different ISA13 and sets with different ST02 are clean.
    let mut clean = good();
    clean.push_str(&interchange("000000002", &["LX*1"]));
    assert_clean(&clean, "duplicate_control_number");

    // ISA13 repeated in the input (same sender and receiver).
    let mut s = good();
    s.push_str(&interchange("000000001", &["LX*1"]));
    let report = check(s.as_bytes());
    let f = of(&report, "duplicate_control_number");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].location.offset, good().len() + 90);
    assert_eq!(
        (f[0].location.segment, f[0].location.element),
        (Some(0), Some(13))
    );

    // GS06 repeated in an interchange, ST02 repeated in a group.
    let mut s = isa('*', '>', 'U', "00401", "000000001", "~");
    s.push_str(
        "GS*QM*S*R*20240101*1200*7*X*004010~ST*214*0001~SE*2*0001~ST*214*0001~SE*2*0001~GE*2*7~",
    );
    s.push_str("GS*QM*S*R*20240101*1200*7*X*004010~ST*214*0001~SE*2*0001~GE*1*7~IEA*2*000000001~");
    let report = check(s.as_bytes());
    let f = of(&report, "duplicate_control_number");
    let at: Vec<_> = f
        .iter()
        .map(|f| (f.location.segment, f.location.element))
        .collect();
    assert_eq!(at, [(Some(4), Some(2)), (Some(7), Some(6))]);
}

#[test]
fn duplicate_key_is_the_trimmed_envelope_ids() {
    // An unpadded ISA with the same ids and control number as a padded
    // one is the same interchange key (ids are compared trimmed).
    let unpadded =
        "ISA*00**00**ZZ*SENDER*ZZ*RECEIVER*240101*1200*U*00401*000000001*0*P*>~IEA*0*000000001~";
    let padded = interchange("000000001", &["LX*1"]);
    let s = format!("{padded}{unpadded}");
    let report = check(s.as_bytes());
    let f = of(&report, "duplicate_control_number");
    assert_eq!(f.len(), 1, "{:?}", report.findings());
    assert_eq!(
        f[0].location.offset,
        padded.len() + unpadded.find("000000001").unwrap()
    );
    assert!(f[0].message.ends_with("at byte 90"), "{}", f[0].message);

    // Any one of the five ids differing makes another key, also when the
    // ids run together the same way ("SENDERA" + "B" vs "SENDER" + "AB").
    let other = [
        "ISA*00**00**ZZ*SENDER*ZZ*RECEIVER*240101*1200*U*00401*000000002*0*P*>~IEA*0*000000002~",
        "ISA*00**00**01*SENDER*ZZ*RECEIVER*240101*1200*U*00401*000000001*0*P*>~IEA*0*000000001~",
        "ISA*00**00**ZZ*SENDERX*ZZ*RECEIVER*240101*1200*U*00401*000000001*0*P*>~IEA*0*000000001~",
        "ISA*00**00**ZZ*SENDER*12*RECEIVER*240101*1200*U*00401*000000001*0*P*>~IEA*0*000000001~",
        "ISA*00**00**ZZ*SENDER*ZZ*RECEIVERX*240101*1200*U*00401*000000001*0*P*>~IEA*0*000000001~",
        "ISA*00**00**ZZ*SENDERA*B*RECEIVER*240101*1200*U*00401*000000001*0*P*>~IEA*0*000000001~",
        "ISA*00**00**ZZ*SENDER*AB*RECEIVER*240101*1200*U*00401*000000001*0*P*>~IEA*0*000000001~",
    ];
    let s = format!("{padded}{}", other.concat());
    let report = check(s.as_bytes());
    assert_eq!(report.counts.interchanges, 8);
    assert!(
        of(&report, "duplicate_control_number").is_empty(),
        "{:?}",
        report.findings()
    );
    // ... and each of them twice is one duplicate each.
    let s = format!("{}{}", other.concat(), other.concat());
    let report = check(s.as_bytes());
    assert_eq!(of(&report, "duplicate_control_number").len(), other.len());
}

#[test]
fn missing_trailer() {
    assert_clean(&good(), "missing_trailer");
    // Truncated after LX: SE, GE and IEA are all missing; the next
    // interchange is still read.
    let g = good();
    let cut = &g[..g.find("SE*").unwrap()];
    let s = format!("{cut}{}", interchange("000000002", &["LX*1"]));
    let report = check(s.as_bytes());
    let f = of(&report, "missing_trailer");
    let at: Vec<_> = f
        .iter()
        .map(|f| (f.location.offset, f.location.segment))
        .collect();
    assert_eq!(
        at,
        [
            (0, Some(0)),
            (106, Some(1)),
            (g.find("ST*").unwrap(), Some(2))
        ]
    );
    assert_eq!(report.counts.interchanges, 2);
    assert_eq!(report.counts.messages, 2);
}

#[test]
fn invalid_character() {
    assert_clean(&good(), "invalid_character");
    let s = good().replace("SH1", "SH\x071");
    let report = check(s.as_bytes());
    let f = of(&report, "invalid_character");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].location.offset, s.find('\x07').unwrap());
    assert_eq!(
        (f[0].location.segment, f[0].location.element),
        (Some(3), Some(2))
    );
}

#[test]
fn isa_malformed() {
    assert_clean(&good(), "isa_malformed");
    let s = good()
        .replacen("000000001", "00000000A", 1)
        .replacen("00401", "0040X", 1);
    let report = check(s.as_bytes());
    let f = of(&report, "isa_malformed");
    let elements: Vec<_> = f.iter().map(|f| f.location.element).collect();
    assert_eq!(elements, [Some(12), Some(13)]);
    assert_eq!(f[1].location.offset, 90);
    let s = good().replacen("SENDER         ", "SENDER ", 1);
    let f = of(&check(s.as_bytes()), "isa_malformed").len();
    assert_eq!(f, 1);
}

#[test]
fn invalid_date() {
    assert_clean(&good(), "invalid_date");
    let s = good()
        .replacen("240101", "240231", 1)
        .replacen("20240101", "2024013", 1);
    let report = check(s.as_bytes());
    let f = of(&report, "invalid_date");
    let at: Vec<_> = f
        .iter()
        .map(|f| (f.location.segment, f.location.element))
        .collect();
    assert_eq!(at, [(Some(0), Some(9)), (Some(1), Some(4))]);
}

#[test]
fn invalid_time() {
    assert_clean(&good(), "invalid_time");
    let s = good().replacen("*1200*", "*1260*", 2);
    let report = check(s.as_bytes());
    let f = of(&report, "invalid_time");
    let at: Vec<_> = f
        .iter()
        .map(|f| (f.location.segment, f.location.element))
        .collect();
    assert_eq!(at, [(Some(0), Some(10)), (Some(1), Some(5))]);
    // GS05 may carry seconds and decimal seconds.
    assert_clean(
        &good().replacen("20240101*1200", "20240101*12000055", 1),
        "invalid_time",
    );
}

#[test]
fn unexpected_segment() {
    assert_clean(&good(), "unexpected_segment");
    // Data between SE and GE, and an ST outside any GS.
    let s = good()
        .replace("GE*1*1~", "N1*SH*X~N3*Y~GE*1*1~")
        .replace("IEA*1*", "ST*214*0009~SE*2*0009~IEA*1*");
    let report = check(s.as_bytes());
    let f = of(&report, "unexpected_segment");
    let at: Vec<_> = f.iter().map(|f| f.location.segment).collect();
    // The run N1, N3 is reported once, at N1; then the ST outside GS.
    assert_eq!(at, [Some(6), Some(9)]);
    assert!(f[1].message.contains("outside a functional group"));
}

#[test]
fn counts_are_filled() {
    let mut s = good();
    s.push_str(&interchange("000000002", &["LX*1", "LX*2"]));
    let report = check(s.as_bytes());
    let c = report.counts;
    assert_eq!(
        (c.interchanges, c.groups, c.messages, c.segments),
        (2, 2, 2, 8 + 8)
    );
}

#[test]
fn example_documents_check_clean() {
    for name in ["204-load-tender.x12", "214-status.x12"] {
        let path = format!("{}/examples/data/{name}", env!("CARGO_MANIFEST_DIR"));
        let input = std::fs::read(&path).unwrap();
        let report = ediguard::check(&input, &ediguard::Options::default()).unwrap();
        assert!(report.is_ok(), "{name}: {:?}", report.findings());
        assert_eq!(report.counts.messages, 1, "{name}");
    }
}
