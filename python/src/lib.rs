//! `ediguard._native`: the compiled half of the `ediguard` Python package.
//!
//! A thin shell over the `ediguard` crate: argument handling, type
//! conversion and nothing else. Each concern is a module, so parse views
//! (`Document`, `Interchange`, `Segment`, ...) arrive as new modules that
//! register themselves in [`_native`] without touching the others:
//!
//! - [`input`] holds what every function accepts (bytes-like or a path);
//! - [`errors`] holds the exception hierarchy and the conversion of Rust errors;
//! - [`options`] holds `Options`;
//! - [`report`] holds `Report`, `Finding`, `Counts`;
//! - [`testing`] holds a private hook that builds reports for tests;
//! - [`index`] holds the structure index a parsed `Document` keeps;
//! - [`views`] holds `parse`, `parse_x12`, `parse_edifact` and the views
//!   (`Document`, `Interchange`, `Group`, `Message`, `Segment`, `Element`,
//!   `Component`);
//! - [`eld`] holds `parse_eld`, `EldFile`, `EldSection`, `EldRecord`,
//!   `FieldError` and the three ELD check value functions;
//! - [`sign`] holds EDISIG signatures (`Key`, `KeyRing`, `sign`, `verify`,
//!   `Verifier`, `Verified`, `SignatureError`) and `secure_edifact`;
//! - [`autack`] holds `autack_generate` and `autack_verify` (AUTACK
//!   messages that secure whole interchanges);
//! - [`ledger`] holds the control-number ledgers (`Ledger`, `SqliteLedger`,
//!   `LedgerError`).
//!
//! Work on the input (reading a path, detecting, checking) runs with the
//! interpreter released (`Python::detach`), so threads run in parallel.

#![forbid(unsafe_code)]

mod autack;
mod eld;
mod errors;
mod index;
mod input;
mod ledger;
mod options;
mod report;
mod sign;
mod testing;
mod views;

use std::sync::Arc;

use ediguard::format::SNIFF_LEN;
use pyo3::prelude::*;

use crate::errors::{EdiguardError, Failure, LimitError, ParseError, ValidationError};
use crate::input::Input;
use crate::options::PyOptions;
use crate::report::{PyCounts, PyFinding, PyReport};
use crate::sign::PyKeyRing;
use crate::views::{
    PyComponent, PyDocument, PyElement, PyGroup, PyInterchange, PyMessage, PySegment,
};

/// Detects the format of `data`: "x12", "edifact" or "eld".
///
/// Raises `ParseError` when the input is none of them.
#[pyfunction]
fn detect(py: Python<'_>, data: Input) -> PyResult<&'static str> {
    // Detection looks at most SNIFF_LEN bytes, so a path is read no further.
    data.with_bytes(py, SNIFF_LEN, |bytes| {
        ediguard::detect(bytes)
            .map(|f| f.as_str())
            .map_err(|e| Failure::edi(e, bytes))
    })
}

/// Checks `data` and returns a `Report` with every finding.
///
/// With `keyring`, the in-band security checks (EDIFACT USH..UST groups,
/// AUTACK, X12.58) also run with its keys, so HMAC security groups are
/// verified instead of reported unverified.
///
/// Raises `ParseError` for input that cannot be read at all and
/// `LimitError` when a limit of `options` is exceeded.
#[pyfunction]
#[pyo3(signature = (data, options=None, keyring=None))]
fn check(
    py: Python<'_>,
    data: Input,
    options: Option<Bound<'_, PyOptions>>,
    keyring: Option<Bound<'_, PyKeyRing>>,
) -> PyResult<PyReport> {
    let default = ediguard::Options::default();
    let options = options.as_ref().map_or(&default, |o| &o.get().inner);
    // The key ring travels in the options, as `Options::with_keyring`
    // gives it to the Rust API and the CLI.
    let keyed;
    let options = match &keyring {
        Some(k) => {
            keyed = options.clone().with_keyring(Arc::clone(&k.get().inner));
            &keyed
        }
        None => options,
    };
    let report = data.with_bytes(py, options.limits.max_input_len, |bytes| {
        ediguard::check(bytes, options).map_err(|e| Failure::edi(e, bytes))
    })?;
    PyReport::new(py, report)
}

/// Every rule as (code, default severity, summary), in documentation order.
#[pyfunction]
fn rules() -> Vec<(&'static str, &'static str, &'static str)> {
    ediguard::rules::ALL
        .iter()
        .map(|r| (r.code, r.severity.as_str(), r.summary))
        .collect()
}

/// The native module; `ediguard/__init__.py` re-exports it.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("EdiguardError", py.get_type::<EdiguardError>())?;
    m.add("ParseError", py.get_type::<ParseError>())?;
    m.add("LimitError", py.get_type::<LimitError>())?;
    m.add("ValidationError", py.get_type::<ValidationError>())?;
    m.add_class::<PyOptions>()?;
    m.add_class::<PyReport>()?;
    m.add_class::<PyFinding>()?;
    m.add_class::<PyCounts>()?;
    m.add_function(wrap_pyfunction!(detect, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(rules, m)?)?;
    m.add_class::<PyDocument>()?;
    m.add_class::<PyInterchange>()?;
    m.add_class::<PyGroup>()?;
    m.add_class::<PyMessage>()?;
    m.add_class::<PySegment>()?;
    m.add_class::<PyElement>()?;
    m.add_class::<PyComponent>()?;
    m.add_function(wrap_pyfunction!(views::parse, m)?)?;
    m.add_function(wrap_pyfunction!(views::parse_x12, m)?)?;
    m.add_function(wrap_pyfunction!(views::parse_edifact, m)?)?;
    m.add("FieldError", py.get_type::<eld::FieldError>())?;
    m.add_class::<eld::PyEldFile>()?;
    m.add_class::<eld::PyEldSection>()?;
    m.add_class::<eld::PyEldRecord>()?;
    m.add_function(wrap_pyfunction!(eld::parse_eld, m)?)?;
    m.add_function(wrap_pyfunction!(eld::eld_line_check_value, m)?)?;
    m.add_function(wrap_pyfunction!(eld::eld_event_check_value, m)?)?;
    m.add_function(wrap_pyfunction!(eld::eld_file_check_value, m)?)?;
    m.add("SignatureError", py.get_type::<sign::SignatureError>())?;
    m.add_class::<sign::PyKey>()?;
    m.add_class::<PyKeyRing>()?;
    m.add_class::<sign::PyVerified>()?;
    m.add_class::<sign::PyVerifier>()?;
    m.add_function(wrap_pyfunction!(sign::sign, m)?)?;
    m.add_function(wrap_pyfunction!(sign::verify, m)?)?;
    m.add_function(wrap_pyfunction!(sign::secure_edifact, m)?)?;
    m.add_function(wrap_pyfunction!(autack::autack_generate, m)?)?;
    m.add_function(wrap_pyfunction!(autack::autack_verify, m)?)?;
    m.add("LedgerError", py.get_type::<ledger::LedgerError>())?;
    m.add_class::<ledger::PyLedger>()?;
    m.add_class::<ledger::PySqliteLedger>()?;
    // Private: set as an attribute so that it stays out of `__all__`.
    m.setattr(
        "_report_for_tests",
        wrap_pyfunction!(testing::_report_for_tests, m)?,
    )?;
    Ok(())
}
