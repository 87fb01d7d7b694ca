//! The three ELD check values of 49 CFR 395 Subpart B, Appendix A §4.4.5,
//! as pure functions.
//!
//! All three start from the Table 3 character mapping ([`char_value`]): "the
//! numeric value of each character", which is the ASCII code minus 48 for
//! `1`-`9`, `A`-`Z` and `a`-`z`, and 0 for everything else.
//!
//! # Limits of the check values
//!
//! The check values are sums, not hashes (§4.4.5 calls them "check values",
//! not authentication). Consequently:
//!
//! - changing a character into another with the same Table 3 value is not
//!   caught: `0` to `.`, `-` to `;`, a space to `0` (all map to 0);
//! - swapping two characters inside a line is not caught;
//! - anyone can recompute them after a deliberate edit.
//!
//! They catch accidental corruption and naive hand edits only.

/// The Table 3 numeric value of one character (§4.4.5, Table 3): `1`-`9` are
/// 1-9, `A`-`Z` are 17-42, `a`-`z` are 49-74, and every other character
/// (`0`, space, punctuation, anything non-ASCII) is 0.
///
/// # Examples
///
/// ```
/// use ediguard::eld::check_value::char_value;
/// assert_eq!(char_value(b'1'), 1);
/// assert_eq!(char_value(b'A'), 17);
/// assert_eq!(char_value(b'z'), 74);
/// assert_eq!(char_value(b'0'), 0);
/// assert_eq!(char_value(b'.'), 0);
/// ```
pub const fn char_value(byte: u8) -> u8 {
    match byte {
        b'1'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => byte - b'0',
        _ => 0,
    }
}

const TABLE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = char_value(i as u8);
        i += 1;
    }
    t
};

/// The sum of the Table 3 values of `bytes`, modulo 2^32.
///
/// # Examples
///
/// ```
/// use ediguard::eld::check_value::mapped_sum;
/// assert_eq!(mapped_sum(b"SMITH,JOHN"), 260);
/// ```
pub fn mapped_sum(bytes: &[u8]) -> u32 {
    // Sum in u32 per 16 MiB chunk-free loop: each value is at most 74, so a
    // u32 cannot overflow before 58 million bytes; wrapping_add keeps it
    // total for longer inputs (only the low bits are used).
    bytes.iter().fold(0u32, |acc, &b| {
        acc.wrapping_add(u32::from(TABLE[b as usize]))
    })
}

/// The Line Data Check Value of §4.4.5.2: "the sum of the numeric values of
/// all individual characters making up the line", keeping the low 8 bits,
/// rotated left three times, XOR `0x96`.
///
/// `line` is the output line up to and including the comma that precedes
/// the check value (the comma maps to 0, so including it or not gives the
/// same result). Title lines and the two `End of File:` lines carry no line
/// check value.
///
/// Because the value is a sum over Table 3 values, replacing a character by
/// another with the same value (`0` by `.`, `-` by `;`) or swapping two
/// characters is not caught (see the module documentation).
///
/// # Examples
///
/// Vectors from eld-spec.md §3.5:
///
/// ```
/// use ediguard::eld::check_value::line_check_value;
/// assert_eq!(line_check_value(b""), 0x96);
/// assert_eq!(line_check_value(b"SMITH,JOHN"), 0xB6);
/// assert_eq!(line_check_value(b"Smith,John,jsmith,CT,W8569238,"), 0x40);
/// // The limit: `0` and `.` both map to 0.
/// assert_eq!(line_check_value(b"1.5,"), line_check_value(b"105,"));
/// ```
pub fn line_check_value(line: &[u8]) -> u8 {
    line_check_value_of_sum(mapped_sum(line))
}

/// [`line_check_value`] from the Table 3 sum of the line, for callers that
/// add the sum up in parts.
pub(crate) fn line_check_value_of_sum(sum: u32) -> u8 {
    (sum as u8).rotate_left(3) ^ 0x96
}

/// The Event Data Check Value of §4.4.5.1: the Table 3 sum of the event's
/// ten elements "event type, event code, event date, event time, vehicle
/// miles, engine hours, event latitude, event longitude, CMV number, and ELD
/// username", keeping the low 8 bits, rotated left three times, XOR `0xC3`.
///
/// `elements` are the ten elements as written in the file, in that order
/// (the order does not change a sum, but keep it for clarity). The CMV
/// number is the power unit number joined from the CMV List; the username
/// is the record's ELD username, which the output file does not carry for
/// most records.
///
/// The same limits as [`line_check_value`] apply.
///
/// # Examples
///
/// ```
/// use ediguard::eld::check_value::event_check_value;
/// let elements: [&[u8]; 10] = [
///     b"1", b"1", b"090426", b"060000", b"45", b"1.5", b"41.32", b"-72.93", b"101", b"jsmith",
/// ];
/// assert_eq!(event_check_value(&elements), 0x26);
/// assert_eq!(event_check_value(&[&b""[..]; 10]), 0xC3);
/// ```
pub fn event_check_value(elements: &[&[u8]]) -> u8 {
    let sum = elements
        .iter()
        .fold(0u32, |acc, e| acc.wrapping_add(mapped_sum(e)));
    event_check_value_of_sum(sum)
}

/// [`event_check_value`] from the Table 3 sum of the ten elements, for
/// callers that add the sum up in parts.
pub(crate) fn event_check_value_of_sum(sum: u32) -> u8 {
    (sum as u8).rotate_left(3) ^ 0xC3
}

/// The File Data Check Value of §4.4.5.3: the sum of every line data check
/// value in the file (each read as a byte), keeping the low 16 bits; "the
/// three-consecutive circular shift left (rotate no carry -left) operation"
/// applied to each byte separately; XOR `0x969C`.
///
/// # Examples
///
/// ```
/// use ediguard::eld::check_value::file_check_value;
/// assert_eq!(file_check_value([]), 0x969C);
/// assert_eq!(file_check_value([0xFF, 0xFF]), 0x9E6B);
/// assert_eq!(file_check_value([0xFF; 300]), 0xC73A);
/// ```
pub fn file_check_value(line_check_values: impl IntoIterator<Item = u8>) -> u16 {
    let sum = line_check_values
        .into_iter()
        .fold(0u16, |acc, v| acc.wrapping_add(u16::from(v)));
    let [hi, lo] = sum.to_be_bytes();
    u16::from_be_bytes([hi.rotate_left(3), lo.rotate_left(3)]) ^ 0x969C
}

/// Formats a byte as two upper-case hex digits (the form of §7.21 and
/// §7.32).
///
/// # Examples
///
/// ```
/// assert_eq!(ediguard::eld::check_value::hex2(0x0F), *b"0F");
/// ```
pub const fn hex2(v: u8) -> [u8; 2] {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    [HEX[(v >> 4) as usize], HEX[(v & 15) as usize]]
}

/// Formats a 16-bit value as four upper-case hex digits (§7.27).
///
/// # Examples
///
/// ```
/// assert_eq!(ediguard::eld::check_value::hex4(0x969C), *b"969C");
/// ```
pub const fn hex4(v: u16) -> [u8; 4] {
    let [a, b] = hex2((v >> 8) as u8);
    let [c, d] = hex2(v as u8);
    [a, b, c, d]
}

/// Parses exactly two hex digits (either case) into a byte.
///
/// # Examples
///
/// ```
/// use ediguard::eld::check_value::parse_hex2;
/// assert_eq!(parse_hex2(b"c4"), Some(0xC4));
/// assert_eq!(parse_hex2(b"C"), None);
/// ```
pub fn parse_hex2(bytes: &[u8]) -> Option<u8> {
    match bytes {
        [a, b] => Some(hex_digit(*a)? << 4 | hex_digit(*b)?),
        _ => None,
    }
}

/// Parses exactly four hex digits (either case) into a 16-bit value.
///
/// # Examples
///
/// ```
/// use ediguard::eld::check_value::parse_hex4;
/// assert_eq!(parse_hex4(b"969c"), Some(0x969C));
/// assert_eq!(parse_hex4(b"969"), None);
/// ```
pub fn parse_hex4(bytes: &[u8]) -> Option<u16> {
    match bytes {
        [a, b, c, d] => Some(u16::from_be_bytes([
            parse_hex2(&[*a, *b])?,
            parse_hex2(&[*c, *d])?,
        ])),
        _ => None,
    }
}

pub(crate) const fn hex_digit(b: u8) -> Option<u8> {
    // A table rather than three ranges: check values and sequence IDs mix
    // digits and letters, which branches would mispredict.
    match HEX[b as usize] {
        NOT_HEX => None,
        v => Some(v),
    }
}

const NOT_HEX: u8 = 0xFF;

/// `HEX[b]`: the value of the hex digit `b`, or `NOT_HEX`.
const HEX: [u8; 256] = {
    let mut t = [NOT_HEX; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'A' as usize + i] = 10 + i as u8;
        t[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every vector of eld-spec.md §3.5.
    #[test]
    fn line_vectors() {
        let cases: &[(&[u8], u32, u8)] = &[
            (b"", 0, 0x96),
            (b"A", 17, 0x1E),
            (b"SMITH,JOHN", 260, 0xB6),
            (b",E", 21, 0x3E),
            (b"z", 74, 0xC4),
            (b"Z9", 51, 0x0F),
            (b"Smith,John,jsmith,CT,W8569238", 986, 0x40),
            (b"1,D,Smith,John", 505, 0x59),
        ];
        for &(input, sum, cv) in cases {
            assert_eq!(mapped_sum(input), sum, "{input:?}");
            assert_eq!(line_check_value(input), cv, "{input:?}");
            // The comma before the check value maps to 0.
            let mut with_comma = input.to_vec();
            with_comma.push(b',');
            assert_eq!(line_check_value(&with_comma), cv, "{input:?},");
        }
    }

    #[test]
    fn event_vectors() {
        assert_eq!(event_check_value(&[&b""[..]; 10]), 0xC3);
        let a: [&[u8]; 10] = [
            b"1", b"1", b"090426", b"060000", b"45", b"1.5", b"41.32", b"-72.93", b"101", b"jsmith",
        ];
        let sum: u32 = a.iter().map(|e| mapped_sum(e)).sum();
        assert_eq!(sum, 444);
        assert_eq!(event_check_value(&a), 0x26);
        let b: [&[u8]; 10] = [
            b"2", b"2", b"090626", b"100000", b"45", b"1.5", b"X", b"X", b"101", b"jsmith",
        ];
        let sum: u32 = b.iter().map(|e| mapped_sum(e)).sum();
        assert_eq!(sum, 492);
        assert_eq!(event_check_value(&b), 0xA4);
    }

    #[test]
    fn file_vectors() {
        assert_eq!(file_check_value([]), 0x969C);
        assert_eq!(file_check_value([0x01]), 0x9694);
        assert_eq!(file_check_value([0xFF, 0xFF]), 0x9E6B);
        assert_eq!(file_check_value([0x96, 0x96, 0x96]), 0x9E8A);
        assert_eq!(file_check_value([0xFF; 300]), 0xC73A);
    }

    #[test]
    fn table3_every_byte() {
        for b in 0..=255u8 {
            let expected = if b.is_ascii_alphanumeric() && b != b'0' {
                b - 48
            } else {
                0
            };
            assert_eq!(char_value(b), expected, "byte {b}");
        }
    }

    #[test]
    fn hex_digit_of_every_byte() {
        for b in 0..=255u8 {
            let expected = (b as char).to_digit(16).map(|v| v as u8);
            assert_eq!(hex_digit(b), expected, "byte {b}");
        }
    }

    #[test]
    fn hex_round_trip() {
        for v in 0..=255u8 {
            assert_eq!(parse_hex2(&hex2(v)), Some(v));
            assert_eq!(parse_hex2(&hex2(v).to_ascii_lowercase()), Some(v));
        }
        for v in [0u16, 1, 0x969C, 0xFFFF, 0x1234] {
            assert_eq!(parse_hex4(&hex4(v)), Some(v));
        }
        assert_eq!(parse_hex2(b"G0"), None);
        assert_eq!(parse_hex4(b"12345"), None);
    }
}
