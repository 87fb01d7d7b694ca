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
//! interpreter released (`Python::detach`), so threads run in parallel;
//! `check_many` spreads one batch over all cores itself.

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

use std::borrow::Cow;
use std::num::NonZeroUsize;
use std::sync::Arc;

use ediguard::format::SNIFF_LEN;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyMemoryView, PyString};

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
    let options = with_keyring(options, keyring.as_ref());
    let report = data.with_bytes(py, options.limits.max_input_len, |bytes| {
        check_bytes(bytes, &options)
    })?;
    PyReport::new(py, report)
}

/// The options with the key ring in them, as `Options::with_keyring` gives
/// it to the Rust API and the CLI.
fn with_keyring<'o>(
    options: &'o ediguard::Options,
    keyring: Option<&Bound<'_, PyKeyRing>>,
) -> Cow<'o, ediguard::Options> {
    match keyring {
        Some(k) => Cow::Owned(options.clone().with_keyring(Arc::clone(&k.get().inner))),
        None => Cow::Borrowed(options),
    }
}

/// What `check` does to one input's bytes, without the interpreter.
fn check_bytes(bytes: &[u8], options: &ediguard::Options) -> Result<ediguard::Report, Failure> {
    ediguard::check(bytes, options).map_err(|e| Failure::edi(e, bytes))
}

/// Checks many inputs on all cores and returns their reports in the order
/// of `inputs`, each what `check` returns for that input alone.
///
/// `inputs` is an iterable of what `check` accepts (bytes-like or paths).
/// The checks run on up to `threads` threads (default: one per core) with
/// the interpreter released for the whole batch; paths are read on those
/// threads too. By default the first failure in input order is raised
/// after all inputs have been checked; with `return_exceptions=True` a
/// failed input's place in the list holds its exception instead
/// (`ParseError`, `LimitError` or an `OSError`), as `asyncio.gather` does.
#[pyfunction]
#[pyo3(signature = (inputs, options=None, keyring=None, *, threads=None, return_exceptions=false))]
fn check_many<'py>(
    py: Python<'py>,
    inputs: &Bound<'py, PyAny>,
    options: Option<Bound<'py, PyOptions>>,
    keyring: Option<Bound<'py, PyKeyRing>>,
    threads: Option<i64>,
    return_exceptions: bool,
) -> PyResult<Bound<'py, PyList>> {
    if inputs.is_instance_of::<PyString>()
        || inputs.is_instance_of::<PyBytes>()
        || inputs.is_instance_of::<PyByteArray>()
        || inputs.is_instance_of::<PyMemoryView>()
    {
        return Err(PyTypeError::new_err(
            "check_many takes an iterable of inputs (bytes or paths); check one input with check()",
        ));
    }
    let inputs = inputs
        .try_iter()?
        .map(|item| item?.extract::<Input>())
        .collect::<PyResult<Vec<Input>>>()?;
    let threads = match threads {
        None => std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN),
        Some(n) => usize::try_from(n)
            .ok()
            .and_then(NonZeroUsize::new)
            .ok_or_else(|| PyValueError::new_err(format!("threads must be >= 1, got {n}")))?,
    };
    let default = ediguard::Options::default();
    let options = options.as_ref().map_or(&default, |o| &o.get().inner);
    let options = &*with_keyring(options, keyring.as_ref());
    let options = &ediguard::batch::per_input(&options.clone().with_threads(threads), inputs.len());
    let max_len = options.limits.max_input_len;
    let results = py.detach(|| {
        let mut results = Vec::with_capacity(inputs.len());
        ediguard::batch::map_in_order(
            inputs.len(),
            threads,
            |i| inputs[i].use_bytes(max_len, |bytes| check_bytes(bytes, options)),
            |_, result| results.push(result),
        );
        results
    });
    let list = PyList::empty(py);
    for result in results {
        match result {
            Ok(report) => list.append(PyReport::new(py, report)?)?,
            Err(failure) if return_exceptions => list.append(failure.into_pyerr(py).value(py))?,
            Err(failure) => return Err(failure.into_pyerr(py)),
        }
    }
    Ok(list)
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
    m.add_function(wrap_pyfunction!(check_many, m)?)?;
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
