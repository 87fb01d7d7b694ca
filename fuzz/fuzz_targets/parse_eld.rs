//! Any bytes through the ELD output file parser and checker. Invariants:
//! every record (section titles included) slices the input at its offset,
//! holds no line break, and records come in increasing offset and line
//! order; every field slices the input inside its record, fields increase
//! in offset and position, and joined with commas they give the record
//! back; every finding of the ELD checker lies within the input.
#![no_main]

use ediguard::eld::EldFile;
use ediguard::{Limits, Options, integrity};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(file) = EldFile::parse(data, &Limits::default()) else {
        return;
    };
    assert_eq!(file.as_bytes(), data);
    let mut last: Option<(usize, u32)> = None;
    let mut records = 0usize;
    for section in file.sections() {
        assert_eq!(section.len(), section.records().len());
        let rows = section.title().into_iter().chain(section.records());
        for record in rows {
            records += 1;
            let bytes = record.as_bytes();
            let start = record.offset();
            assert_eq!(
                data.get(start..start + bytes.len()),
                Some(bytes),
                "record slices the input"
            );
            assert!(
                !bytes.contains(&b'\n') && !bytes.contains(&b'\r'),
                "record holds a line break"
            );
            if let Some((offset, line)) = last {
                assert!(
                    start > offset || (start == offset && bytes.is_empty()),
                    "offsets increase"
                );
                assert!(record.line_index() > line, "lines increase");
            }
            last = Some((start, record.line_index()));
            let mut joined: Vec<u8> = Vec::with_capacity(bytes.len());
            let mut prev: Option<(usize, u32)> = None;
            for field in record.fields() {
                let f = field.as_bytes();
                let at = field.offset();
                assert!(
                    at >= start && at + f.len() <= start + bytes.len(),
                    "field inside record"
                );
                assert_eq!(&data[at..at + f.len()], f, "field slices the input");
                if let Some((o, p)) = prev {
                    assert!(at > o, "field offsets increase");
                    assert_eq!(field.position(), p + 1, "positions increase by one");
                    joined.push(b',');
                }
                prev = Some((at, field.position()));
                joined.extend_from_slice(f);
            }
            assert_eq!(joined, bytes, "fields joined give the record");
            assert_eq!(record.field_count(), record.fields().count());
        }
    }
    assert!(
        records <= file.line_count(),
        "{records} records from {} lines",
        file.line_count()
    );
    if let Ok(report) = integrity::eld::check(data, &Options::default()) {
        for f in report.findings() {
            assert!(f.location.offset <= data.len(), "{f:?}");
        }
    }
});
