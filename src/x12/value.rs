//! Typed envelope values: dates, times, numbers.

use chrono::{NaiveDate, NaiveTime};

/// A typed envelope value that could not be read (a date that is not a
/// date, a count that is not a number).
///
/// # Examples
///
/// ```
/// let err = ediguard::x12::parse_ccyymmdd(b"20240231").unwrap_err();
/// assert!(err.to_string().contains("20240231"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what}: {found:?} {reason}")]
pub struct ValueError {
    what: &'static str,
    found: String,
    reason: &'static str,
}

impl ValueError {
    fn new(what: &'static str, found: &[u8], reason: &'static str) -> Self {
        ValueError {
            what,
            found: String::from_utf8_lossy(found).into_owned(),
            reason,
        }
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0')))
}

/// Reads an unsigned decimal number, ignoring surrounding spaces (X12.6
/// data element type N0: digits only). Used for the counts in SE01, GE01
/// and IEA01.
///
/// # Examples
///
/// ```
/// assert_eq!(ediguard::x12::parse_count(b"0042"), Ok(42));
/// assert!(ediguard::x12::parse_count(b"4x").is_err());
/// ```
pub fn parse_count(b: &[u8]) -> Result<u64, ValueError> {
    let t = b.trim_ascii();
    if t.is_empty() || t.len() > 18 || !t.iter().all(u8::is_ascii_digit) {
        return Err(ValueError::new("count", b, "is not a number"));
    }
    Ok(t.iter().fold(0u64, |n, &d| n * 10 + u64::from(d - b'0')))
}

/// Reads a YYMMDD date (ISA09, X12.5: "Date of the interchange", type DT
/// of six digits). Years 00-69 are 2000-2069 and 70-99 are 1970-1999.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// assert_eq!(ediguard::x12::parse_yymmdd(b"240229"), Ok(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()));
/// assert!(ediguard::x12::parse_yymmdd(b"230229").is_err());
/// ```
pub fn parse_yymmdd(b: &[u8]) -> Result<NaiveDate, ValueError> {
    let bad = || ValueError::new("YYMMDD date", b, "is not a valid date");
    if b.len() != 6 {
        return Err(bad());
    }
    let yy = digits(&b[..2]).ok_or_else(bad)?;
    let year = if yy < 70 { 2000 + yy } else { 1900 + yy };
    let month = digits(&b[2..4]).ok_or_else(bad)?;
    let day = digits(&b[4..6]).ok_or_else(bad)?;
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(bad)
}

/// Reads a CCYYMMDD date (GS04 from version 004010 on, X12.6 type DT of
/// eight digits).
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// assert_eq!(ediguard::x12::parse_ccyymmdd(b"20261117"), Ok(NaiveDate::from_ymd_opt(2026, 11, 17).unwrap()));
/// assert!(ediguard::x12::parse_ccyymmdd(b"2026111").is_err());
/// ```
pub fn parse_ccyymmdd(b: &[u8]) -> Result<NaiveDate, ValueError> {
    let bad = || ValueError::new("CCYYMMDD date", b, "is not a valid date");
    if b.len() != 8 {
        return Err(bad());
    }
    let year = digits(&b[..4]).ok_or_else(bad)?;
    let month = digits(&b[4..6]).ok_or_else(bad)?;
    let day = digits(&b[6..8]).ok_or_else(bad)?;
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(bad)
}

/// Reads an X12 time: HHMM (ISA10), or HHMM, HHMMSS, HHMMSSD or HHMMSSDD
/// (GS05, X12.6 type TM: "expressed in 24-hour clock time as follows: HHMM,
/// or HHMMSS, or HHMMSSD, or HHMMSSDD"). Decimal seconds become
/// milliseconds.
///
/// # Examples
///
/// ```
/// use chrono::NaiveTime;
/// assert_eq!(ediguard::x12::parse_time(b"1435"), Ok(NaiveTime::from_hms_opt(14, 35, 0).unwrap()));
/// assert_eq!(ediguard::x12::parse_time(b"14350912"), Ok(NaiveTime::from_hms_milli_opt(14, 35, 9, 120).unwrap()));
/// assert!(ediguard::x12::parse_time(b"2460").is_err());
/// ```
pub fn parse_time(b: &[u8]) -> Result<NaiveTime, ValueError> {
    let bad = || ValueError::new("HHMM[SS[D[D]]] time", b, "is not a valid time");
    if !(b.len() == 4 || (6..=8).contains(&b.len())) {
        return Err(bad());
    }
    let h = digits(&b[..2]).ok_or_else(bad)?;
    let m = digits(&b[2..4]).ok_or_else(bad)?;
    let s = if b.len() >= 6 {
        digits(&b[4..6]).ok_or_else(bad)?
    } else {
        0
    };
    let milli = match b.get(6..) {
        Some(d) if !d.is_empty() => {
            let v = digits(d).ok_or_else(bad)?;
            if d.len() == 1 { v * 100 } else { v * 10 }
        }
        _ => 0,
    };
    NaiveTime::from_hms_milli_opt(h, m, s, milli).ok_or_else(bad)
}

/// Reads an HHMM time only (ISA10).
pub(crate) fn parse_hhmm(b: &[u8]) -> Result<NaiveTime, ValueError> {
    if b.len() != 4 {
        return Err(ValueError::new("HHMM time", b, "is not a valid time"));
    }
    parse_time(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_table() {
        let cases: &[(&[u8], bool)] = &[
            (b"0000", true),
            (b"2359", true),
            (b"2400", false),
            (b"1260", false),
            (b"123", false),
            (b"12345", false),
            (b"123456", true),
            (b"123460", false),
            (b"1234567", true),
            (b"123456789", false),
            (b"12a4", false),
            (b"", false),
        ];
        for (input, ok) in cases {
            assert_eq!(parse_time(input).is_ok(), *ok, "{input:?}");
        }
        assert!(parse_hhmm(b"123456").is_err());
    }

    #[test]
    fn date_table() {
        let cases: &[(&[u8], bool, bool)] = &[
            // (input, ok as YYMMDD, ok as CCYYMMDD)
            (b"240101", true, false),
            (b"241301", false, false),
            (b"240132", false, false),
            (b"000229", true, false),
            (b"20240229", false, true),
            (b"20230229", false, false),
            (b"2024-1-1", false, false),
            (b"      ", false, false),
        ];
        for (input, yy, cc) in cases {
            assert_eq!(parse_yymmdd(input).is_ok(), *yy, "{input:?}");
            assert_eq!(parse_ccyymmdd(input).is_ok(), *cc, "{input:?}");
        }
    }

    #[test]
    fn count_table() {
        assert_eq!(parse_count(b" 7 "), Ok(7));
        assert_eq!(parse_count(b"000000001"), Ok(1));
        assert!(parse_count(b"").is_err());
        assert!(parse_count(b"-1").is_err());
        assert!(parse_count(b"1234567890123456789").is_err());
    }
}
