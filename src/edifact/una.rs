//! The UNA service string advice and the default service characters.

use crate::syntax::Delimiters;

/// The UNA service string advice: `UNA` followed by six service characters
/// (ISO 9735-1 §9 / ISO 9735 v4 clause 7.3: "UNA1 component data element
/// separator, UNA2 data element separator, UNA3 decimal mark, UNA4 release
/// character, UNA5 repetition separator (reserved, space, in versions 1 to
/// 3), UNA6 segment terminator").
///
/// # Examples
///
/// ```
/// use ediguard::edifact::ServiceStringAdvice;
/// let una = ServiceStringAdvice::parse(b"UNA=*.? ~UNB").unwrap();
/// assert_eq!((una.component, una.element, una.segment), (b'=', b'*', b'~'));
/// assert_eq!(&una.to_bytes(), b"UNA=*.? ~");
/// let d = una.delimiters(3);
/// assert_eq!(d.release, Some(b'?'));
/// assert_eq!(d.repetition, None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ServiceStringAdvice {
    /// UNA1: component data element separator.
    pub component: u8,
    /// UNA2: data element separator.
    pub element: u8,
    /// UNA3: decimal mark.
    pub decimal_mark: u8,
    /// UNA4: release character (space: none).
    pub release: u8,
    /// UNA5: repetition separator in syntax version 4; reserved (space) in
    /// versions 1 to 3.
    pub repetition: u8,
    /// UNA6: segment terminator.
    pub segment: u8,
}

/// Why a UNA could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnaError {
    /// Fewer than nine bytes remain.
    TooShort,
    /// A service character is a letter or a digit (the UNA is shorter or
    /// longer than nine bytes).
    Alphanumeric,
    /// Two separators are the same byte.
    NotDistinct,
}

impl UnaError {
    /// A sentence for a finding.
    pub const fn as_str(self) -> &'static str {
        match self {
            UnaError::TooShort => "UNA is shorter than 9 bytes",
            UnaError::Alphanumeric => {
                "UNA service character is a letter or digit (UNA is not 9 bytes)"
            }
            UnaError::NotDistinct => "UNA separators are not distinct",
        }
    }
}

impl ServiceStringAdvice {
    /// The level A/C defaults `:+.? '` (ISO 9735-1 Annex A).
    pub const DEFAULT: ServiceStringAdvice = ServiceStringAdvice {
        component: b':',
        element: b'+',
        decimal_mark: b'.',
        release: b'?',
        repetition: b' ',
        segment: b'\'',
    };

    /// Length of a UNA, tag included.
    pub const LEN: usize = 9;

    /// Reads a UNA from the start of `bytes` (which begin with `UNA`).
    pub fn parse(bytes: &[u8]) -> Result<ServiceStringAdvice, UnaError> {
        let Some(&[_, _, _, c, e, dm, r, rep, s]) = bytes.get(..Self::LEN) else {
            return Err(UnaError::TooShort);
        };
        if [c, e, dm, r, rep, s].iter().any(u8::is_ascii_alphanumeric) {
            return Err(UnaError::Alphanumeric);
        }
        let una = ServiceStringAdvice {
            component: c,
            element: e,
            decimal_mark: dm,
            release: r,
            repetition: rep,
            segment: s,
        };
        if !una.delimiters(4).are_distinct() {
            return Err(UnaError::NotDistinct);
        }
        Ok(una)
    }

    /// The UNA as the nine bytes it is written with.
    pub fn to_bytes(&self) -> [u8; 9] {
        [
            b'U',
            b'N',
            b'A',
            self.component,
            self.element,
            self.decimal_mark,
            self.release,
            self.repetition,
            self.segment,
        ]
    }

    /// The delimiters in force for syntax `version`: the repetition
    /// separator only exists from version 4 on, and a space release
    /// character means none.
    pub fn delimiters(&self, version: u8) -> Delimiters {
        Delimiters {
            segment: self.segment,
            element: self.element,
            component: self.component,
            repetition: (version >= 4 && self.repetition != b' ').then_some(self.repetition),
            release: (self.release != b' ').then_some(self.release),
        }
    }

    /// The service characters a writer declares for `delimiters`.
    pub fn from_delimiters(delimiters: &Delimiters, decimal_mark: u8) -> ServiceStringAdvice {
        ServiceStringAdvice {
            component: delimiters.component,
            element: delimiters.element,
            decimal_mark,
            release: delimiters.release.unwrap_or(b' '),
            repetition: delimiters.repetition.unwrap_or(b' '),
            segment: delimiters.segment,
        }
    }
}

/// The information separators of syntax level B (ISO 9735-1 Annex A,
/// level B defaults): IS4 (0x1C) segment terminator, IS3 (0x1D) data element
/// separator, IS1 (0x1F) component separator, IS2 (0x1E) repetition
/// separator (version 4), no release character.
pub const LEVEL_B_DEFAULT: Delimiters = Delimiters {
    segment: 0x1C,
    element: 0x1D,
    component: 0x1F,
    repetition: None,
    release: None,
};

/// The service characters implied when no UNA precedes a UNB: level B
/// information separators when the byte after `UNB` is IS3 (0x1D), else the
/// level A/C defaults `:+.? '`; version 4 adds the repetition separator
/// (`*`, or IS2 for level B).
///
/// # Examples
///
/// ```
/// use ediguard::edifact::default_delimiters;
/// assert_eq!(default_delimiters(false, 4).repetition, Some(b'*'));
/// assert_eq!(default_delimiters(false, 3).repetition, None);
/// assert_eq!(default_delimiters(true, 3).segment, 0x1C);
/// ```
pub fn default_delimiters(level_b: bool, version: u8) -> Delimiters {
    let mut d = if level_b {
        LEVEL_B_DEFAULT
    } else {
        Delimiters::EDIFACT_DEFAULT
    };
    if version >= 4 {
        d.repetition = Some(if level_b { 0x1E } else { b'*' });
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn una_table() {
        type Case<'a> = (&'a [u8], Result<[u8; 9], UnaError>);
        let cases: &[Case<'_>] = &[
            (b"UNA:+.? '", Ok(*b"UNA:+.? '")),
            (b"UNA:+.? 'UNB", Ok(*b"UNA:+.? '")),
            (b"UNA=*.? ~", Ok(*b"UNA=*.? ~")),
            (b"UNA:+.\\*'", Ok(*b"UNA:+.\\*'")),
            (b"UNA:+.?'", Err(UnaError::TooShort)),
            (b"UNA:+.?'UNB", Err(UnaError::Alphanumeric)),
            (b"UNA:::? '", Err(UnaError::NotDistinct)),
            (b"UNA", Err(UnaError::TooShort)),
        ];
        for (input, want) in cases {
            let got = ServiceStringAdvice::parse(input).map(|u| u.to_bytes());
            assert_eq!(got, *want, "{:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn delimiters_by_version() {
        let una = ServiceStringAdvice::parse(b"UNA:+.?*'").unwrap();
        assert_eq!(una.delimiters(3).repetition, None);
        assert_eq!(una.delimiters(4).repetition, Some(b'*'));
        let no_release = ServiceStringAdvice::parse(b"UNA:+.  '").unwrap();
        assert_eq!(no_release.delimiters(4).release, None);
    }
}
