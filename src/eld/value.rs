//! Typed field values and the error a typed accessor returns.

use std::fmt;

/// Why a field could not be read as the type asked for. A bad field never
/// blocks the rest of the file: each accessor returns its own `Result`.
///
/// # Examples
///
/// ```
/// use ediguard::eld::{Field, FieldError};
/// let field = Field::new(b"1399", 0, 1);
/// assert_eq!(field.time(), Err(FieldError::Syntax));
/// assert_eq!(Field::new(b"", 0, 1).time(), Err(FieldError::Blank));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldError {
    /// The line has no such field (too few fields, or the layout has no
    /// field of that name).
    Absent,
    /// The field is empty.
    Blank,
    /// The field's characters or length do not fit the format.
    Syntax,
    /// The field has the right form but its value is out of range (month
    /// 13, latitude 91.00).
    OutOfRange,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FieldError::Absent => "field absent",
            FieldError::Blank => "field blank",
            FieldError::Syntax => "field malformed",
            FieldError::OutOfRange => "field out of range",
        })
    }
}

impl std::error::Error for FieldError {}

/// A latitude or longitude (Appendix A §7.31, §7.33): decimal degrees with
/// one (reduced precision, §4.7.3) or two decimals, or one of the special
/// single-character values of §4.3.1.6 and §4.6.1.4.
///
/// # Examples
///
/// ```
/// use ediguard::eld::Coordinate;
/// let c = Coordinate::degrees(-83.5379);
/// assert_eq!(c.to_string(), "-83.54");
/// assert_eq!(Coordinate::reduced(41.65).to_string(), "41.7");
/// assert_eq!(Coordinate::NoFix.to_string(), "X");
/// assert_eq!(c.as_degrees(), Some(-83.54));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Coordinate {
    /// Decimal degrees: `scaled` is the value times 10^`decimals`
    /// (`decimals` is 1 or 2).
    Degrees {
        /// The value times 10^`decimals`.
        scaled: i32,
        /// 2 for conventional precision, 1 for reduced precision.
        decimals: u8,
    },
    /// `X`: no valid position in the last 5 miles and none entered.
    NoFix,
    /// `M`: entered manually by the driver (the text is in the Driver's
    /// Location Description).
    Manual,
    /// `E`: a positioning compliance malfunction is active.
    Malfunction,
}

impl Coordinate {
    /// Conventional precision (two decimals), rounded.
    pub fn degrees(value: f64) -> Coordinate {
        Coordinate::Degrees {
            scaled: round_scaled(value * 100.0),
            decimals: 2,
        }
    }

    /// Reduced precision (one decimal, §4.7.3 personal conveyance), rounded.
    pub fn reduced(value: f64) -> Coordinate {
        Coordinate::Degrees {
            scaled: round_scaled(value * 10.0),
            decimals: 1,
        }
    }

    /// The value in degrees, when it is a number.
    pub fn as_degrees(self) -> Option<f64> {
        match self {
            Coordinate::Degrees { scaled, decimals } => {
                Some(f64::from(scaled) / if decimals == 1 { 10.0 } else { 100.0 })
            }
            _ => None,
        }
    }

    /// True for one-decimal (reduced precision) values.
    pub fn is_reduced(self) -> bool {
        matches!(self, Coordinate::Degrees { decimals: 1, .. })
    }

    /// Parses a latitude (`longitude == false`) or a longitude.
    pub(crate) fn parse(bytes: &[u8], longitude: bool) -> Result<Coordinate, FieldError> {
        match bytes {
            [] => return Err(FieldError::Blank),
            b"X" => return Ok(Coordinate::NoFix),
            b"M" => return Ok(Coordinate::Manual),
            b"E" => return Ok(Coordinate::Malfunction),
            _ => {}
        }
        let (negative, rest) = match bytes.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, bytes),
        };
        // Digits, a dot, one or two digits: the dot is third or second
        // from the end (any other dot leaves a non-digit below).
        let n = rest.len();
        let (dot, frac_len) = match rest {
            [.., b'.', _, _] => (n - 3, 2),
            [.., b'.', _] => (n - 2, 1),
            _ => return Err(FieldError::Syntax),
        };
        let max_int = if longitude { 3 } else { 2 };
        if dot == 0 || dot > max_int {
            return Err(FieldError::Syntax);
        }
        let mut digits = 0i32;
        for (i, &b) in rest.iter().enumerate() {
            let d = b.wrapping_sub(b'0');
            if d <= 9 {
                digits = digits * 10 + i32::from(d);
            } else if i != dot {
                return Err(FieldError::Syntax);
            }
        }
        let (decimals, unit) = if frac_len == 1 { (1, 10) } else { (2, 100) };
        let scaled = if negative { -digits } else { digits };
        // Longitude -180.00 is written as 180.00 (§7.33: -179.99 to 180.00).
        let (min, max) = if longitude {
            (-180 * unit + 1, 180 * unit)
        } else {
            (-90 * unit, 90 * unit)
        };
        if scaled < min || scaled > max {
            return Err(FieldError::OutOfRange);
        }
        Ok(Coordinate::Degrees { scaled, decimals })
    }
}

fn round_scaled(v: f64) -> i32 {
    let r = v.round();
    if r.is_nan() {
        0
    } else {
        r.clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32
    }
}

impl fmt::Display for Coordinate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Coordinate::Degrees { scaled, decimals } => {
                let unit = if decimals == 1 { 10 } else { 100 };
                let sign = if scaled < 0 { "-" } else { "" };
                let abs = scaled.unsigned_abs();
                write!(
                    f,
                    "{sign}{}.{:0w$}",
                    abs / unit,
                    abs % unit,
                    w = usize::from(decimals)
                )
            }
            Coordinate::NoFix => f.write_str("X"),
            Coordinate::Manual => f.write_str("M"),
            Coordinate::Malfunction => f.write_str("E"),
        }
    }
}

/// Engine hours in tenths of an hour (Appendix A §7.19: 0.0 to 99,999.9).
///
/// # Examples
///
/// ```
/// use ediguard::eld::EngineHours;
/// assert_eq!(EngineHours::from_tenths(12345).to_string(), "1234.5");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct EngineHours(u32);

impl EngineHours {
    /// The largest value §7.19 allows (99,999.9 h).
    pub const MAX: EngineHours = EngineHours(999_999);

    /// Engine hours from tenths of an hour.
    pub const fn from_tenths(tenths: u32) -> Self {
        EngineHours(tenths)
    }

    /// The value in tenths of an hour.
    pub const fn tenths(self) -> u32 {
        self.0
    }
}

impl fmt::Display for EngineHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The reading of §7.31 and §7.33 spelled out with splits, as an oracle.
    fn oracle(bytes: &[u8], longitude: bool) -> Result<Coordinate, FieldError> {
        match bytes {
            [] => return Err(FieldError::Blank),
            b"X" => return Ok(Coordinate::NoFix),
            b"M" => return Ok(Coordinate::Manual),
            b"E" => return Ok(Coordinate::Malfunction),
            _ => {}
        }
        let (negative, rest) = match bytes.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, bytes),
        };
        let text = std::str::from_utf8(rest).map_err(|_| FieldError::Syntax)?;
        let (int, frac) = text.split_once('.').ok_or(FieldError::Syntax)?;
        let max_int = if longitude { 3 } else { 2 };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(int) || int.len() > max_int || !digits(frac) || frac.len() > 2 {
            return Err(FieldError::Syntax);
        }
        let magnitude: i32 = format!("{int}{frac}")
            .parse()
            .map_err(|_| FieldError::Syntax)?;
        let scaled = if negative { -magnitude } else { magnitude };
        let unit = if frac.len() == 1 { 10 } else { 100 };
        let (min, max) = if longitude {
            (-180 * unit + 1, 180 * unit)
        } else {
            (-90 * unit, 90 * unit)
        };
        if !(min..=max).contains(&scaled) {
            return Err(FieldError::OutOfRange);
        }
        Ok(Coordinate::Degrees {
            scaled,
            decimals: frac.len() as u8,
        })
    }

    proptest! {
        #[test]
        fn parse_agrees_with_the_oracle(
            bytes in prop::collection::vec(prop::sample::select(b"0123456789.-+XME ".to_vec()), 0..9),
            longitude in any::<bool>(),
        ) {
            prop_assert_eq!(Coordinate::parse(&bytes, longitude), oracle(&bytes, longitude));
        }
    }

    #[test]
    fn parse_table() {
        let cases: &[(&[u8], bool, Result<Coordinate, FieldError>)] = &[
            (
                b"38.19",
                false,
                Ok(Coordinate::Degrees {
                    scaled: 3819,
                    decimals: 2,
                }),
            ),
            (
                b"-85.7",
                true,
                Ok(Coordinate::Degrees {
                    scaled: -857,
                    decimals: 1,
                }),
            ),
            (
                b"180.00",
                true,
                Ok(Coordinate::Degrees {
                    scaled: 18000,
                    decimals: 2,
                }),
            ),
            (b"-180.00", true, Err(FieldError::OutOfRange)),
            (b"1..5", true, Err(FieldError::Syntax)),
            (b".55", false, Err(FieldError::Syntax)),
            (b"1.2.3", true, Err(FieldError::Syntax)),
            (b"100.0", false, Err(FieldError::Syntax)),
            (b"5", false, Err(FieldError::Syntax)),
            (b"-", false, Err(FieldError::Syntax)),
        ];
        for &(bytes, longitude, expected) in cases {
            assert_eq!(Coordinate::parse(bytes, longitude), expected, "{bytes:?}");
            assert_eq!(oracle(bytes, longitude), expected, "{bytes:?}");
        }
    }
}
