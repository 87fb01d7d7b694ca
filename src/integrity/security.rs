//! One entry point for the in-band security checks: EDIFACT integrated
//! security (USH..UST, [`super::edifact_security`]), AUTACK recognition
//! ([`super::autack`]) and X12.58 ([`super::x12_security`]).
//!
//! [`check`] adds its findings to a report the caller already holds. AUTACKs
//! secure *other* interchanges (`edi-security.md` §1.7), which a single
//! input does not carry: they are reported as `autack_unverified` (info)
//! here and verified with [`super::autack::verify`].
//!
//! [`super::x12::check`] and [`super::edifact::check`] (and so
//! [`crate::check`]) already run these checks on every interchange holding
//! security segments; `check` gives those findings alone.

use crate::integrity::edisig::KeyRing;
use crate::integrity::{autack, edifact_security, x12_security};
use crate::rules;
use crate::{Finding, Format, Options, Report, Result, edifact, x12};

/// Runs the security checks that apply to `format` over `input`, adding
/// findings to `report`. `keys` resolves the key names of HMAC groups;
/// without it, HMAC groups are reported as `security_unverified` (info).
/// Formats without in-band security (ELD, others) add nothing.
///
/// # Errors
///
/// Only when the input cannot be parsed at all.
///
/// # Examples
///
/// ```
/// use ediguard::integrity::security::check;
/// use ediguard::{Format, Options, Report};
/// let input = b"UNB+UNOC:4+S+R+20240101:1200+1'UNH+1+IFTSTA:D:01B:UN'BGM+23'UST+1+1'UNT+4+1'UNZ+1+1'";
/// let mut report = Report::new(Some(Format::Edifact));
/// check(input, Format::Edifact, None, &Options::default(), &mut report).unwrap();
/// assert_eq!(report.findings()[0].rule, "security_unpaired_trailer");
/// ```
pub fn check(
    input: &[u8],
    format: Format,
    keys: Option<&KeyRing>,
    options: &Options,
    report: &mut Report,
) -> Result<()> {
    match format {
        Format::Edifact => {
            let mut interchanges = edifact::Parser::new(input)
                .with_limits(options.limits.clone())
                .interchanges();
            while let Some(ic) = interchanges.next() {
                let ic = ic?;
                edifact_interchange(input, &ic, keys, options, report);
                interchanges.recycle(ic);
            }
        }
        Format::X12 => {
            for ic in x12::parse(input, &options.limits)? {
                x12_security::check_interchange(&ic, options, report);
            }
        }
        _ => {}
    }
    Ok(())
}

/// The integrated security of one EDIFACT interchange, and an
/// `autack_unverified` finding for each AUTACK in it.
pub(crate) fn edifact_interchange(
    input: &[u8],
    ic: &edifact::Interchange<'_>,
    keys: Option<&KeyRing>,
    options: &Options,
    report: &mut Report,
) {
    edifact_security::verify_interchange(input, ic, keys, options, report);
    for m in ic.messages().filter(autack::is_autack) {
        if let Some(unh) = m.header() {
            report.push(
                options,
                Finding::new(
                    rules::AUTACK_UNVERIFIED,
                    unh.location(),
                    "AUTACK recognised; verify it with the interchanges it references (autack::verify)",
                ),
            );
        }
    }
}
