//! Any bytes through `ediguard::check` (format detection and every rule).
//! Invariants: no panic; every finding's offset lies within the input; the
//! report's line/column agree with a recount from the offset.
#![no_main]

use ediguard::{LineIndex, Options, check};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(report) = check(data, &Options::default()) else {
        return;
    };
    let index = LineIndex::new(data);
    for f in report.findings() {
        let loc = f.location;
        assert!(
            loc.offset <= data.len(),
            "{f:?} outside input of {}",
            data.len()
        );
        let (line, column) = index.line_col(loc.offset);
        assert_eq!((loc.line, loc.column), (Some(line), Some(column)), "{f:?}");
    }
});
