//! AUTACK (ISO 9735-6, `edi-security.md` §1.7): `autack_generate` and
//! `autack_verify`, over the crate's `integrity::autack`.
//!
//! Every input is taken (bytes without a copy, paths read with the
//! interpreter released) before one released section hashes them all.
//! An error in one of the referenced interchanges is raised with its line
//! and column in that input, and its index as `input`.

use ediguard::integrity::autack::{self, AutackParams};
use ediguard::integrity::edifact_security::Filter;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyMemoryView, PyString};

use crate::errors::{EdiguardError, Failure};
use crate::input::{Input, Owned};
use crate::options::PyOptions;
use crate::report::PyReport;
use crate::sign::{KeyArg, PyKeyRing, named_key};

/// The referenced interchanges: a sequence of inputs. One input on its own
/// is refused, since iterating over `bytes` or a `str` would misread it.
fn referenced(py: Python<'_>, items: &Bound<'_, PyAny>, max_len: usize) -> PyResult<Vec<Owned>> {
    let single = items.is_instance_of::<PyBytes>()
        || items.is_instance_of::<PyByteArray>()
        || items.is_instance_of::<PyMemoryView>()
        || items.is_instance_of::<PyString>()
        || items.hasattr("__fspath__")?;
    if single {
        return Err(PyTypeError::new_err(
            "interchanges must be a sequence of inputs (bytes or paths); wrap one in a list",
        ));
    }
    items
        .try_iter()?
        .map(|item| item?.extract::<Input>()?.into_owned(py, max_len))
        .collect()
}

/// The library's error as the Python exception: `ParseError` or
/// `LimitError` located in the input it names (`autack`, when it names
/// none, for `autack_verify`).
fn located(error: ediguard::Error, inputs: &[Owned], autack: &[u8]) -> Failure {
    let input = error
        .input()
        .and_then(|i| inputs.get(i))
        .map_or(autack, |o| &o[..]);
    Failure::edi(error, input)
}

/// Generates an AUTACK interchange (UNB, one AUTACK message, UNZ, syntax
/// version 4) that secures every interchange in `interchanges` (scope 3,
/// UNB to UNZ) and returns its bytes.
///
/// `control_reference` is the AUTACK's UNB 0020 (1 to 14 characters),
/// `date` and `time` its UNB date `CCYYMMDD` and time `HHMM`. Without a key
/// each value is a SHA-256 (integrity against accidental change only);
/// with `key_id` and `key` (a `Key`, or secret bytes of at least 32) an
/// HMAC-SHA256 that the receiver checks with `key_id` from its `KeyRing`.
/// `filter` writes the values as "hex" or "base64".
///
/// Raises `ParseError` (with `input`, the index in `interchanges`) when an
/// input holds no interchange or one without UNB and UNZ, `LimitError` over
/// a limit, `EdiguardError` for a bad date, time or control reference, and
/// `ValueError` for an unknown filter.
#[pyfunction]
#[pyo3(signature = (interchanges, control_reference, date, time, key_id=None, key=None, filter="hex"))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn autack_generate<'py>(
    py: Python<'py>,
    interchanges: &Bound<'py, PyAny>,
    control_reference: &str,
    date: &str,
    time: &str,
    key_id: Option<&str>,
    key: Option<KeyArg<'_>>,
    filter: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let filter = Filter::parse(filter).ok_or_else(|| {
        PyValueError::new_err(format!("filter must be 'hex' or 'base64', got {filter:?}"))
    })?;
    let key = named_key(key_id, key.as_ref())?;
    let mut params = match &key {
        Some((kid, k)) => AutackParams::hmac_sha256(control_reference, date, time, kid, k),
        None => AutackParams::sha256(control_reference, date, time),
    };
    params = params.with_filter(filter);
    let max = ediguard::Limits::default().max_input_len;
    let inputs = referenced(py, interchanges, max)?;
    let out = py.detach(|| {
        let slices: Vec<&[u8]> = inputs.iter().map(|o| &o[..]).collect();
        autack::generate(&slices, &params)
    });
    match out {
        Ok(bytes) => Ok(PyBytes::new(py, &bytes)),
        // No input named: the arguments themselves are wrong.
        Err(e) if e.input().is_none() => Err(EdiguardError::new_err(e.message().to_owned())),
        Err(e) => Err(located(e, &inputs, &[]).into_pyerr(py)),
    }
}

/// Verifies every AUTACK message in `autack` against the interchanges in
/// `interchanges` (each exactly as received: values are recomputed over
/// these bytes) and returns a `Report` whose findings (rules `autack_*`)
/// are located in `autack`.
///
/// HMAC values are checked with the keys of `keyring`; without one they
/// are reported `autack_unverified`. `options` sets severities, disabled
/// rules and limits. Raises `ParseError` or `LimitError` for an input that
/// cannot be read at all (with `input` set when it is one of
/// `interchanges`).
#[pyfunction]
#[pyo3(signature = (autack, interchanges, keyring=None, options=None))]
pub(crate) fn autack_verify(
    py: Python<'_>,
    autack: Input,
    interchanges: &Bound<'_, PyAny>,
    keyring: Option<Bound<'_, PyKeyRing>>,
    options: Option<Bound<'_, PyOptions>>,
) -> PyResult<PyReport> {
    let default = ediguard::Options::default();
    let options = options.as_ref().map_or(&default, |o| &o.get().inner);
    let ring = keyring.as_ref().map(|k| &*k.get().inner);
    let max = options.limits.max_input_len;
    let autack = autack.into_owned(py, max)?;
    let inputs = referenced(py, interchanges, max)?;
    let report = py.detach(|| {
        let slices: Vec<&[u8]> = inputs.iter().map(|o| &o[..]).collect();
        autack::verify(&autack, &slices, ring, options)
    });
    match report {
        Ok(report) => PyReport::new(py, report),
        Err(e) => Err(located(e, &inputs, &autack).into_pyerr(py)),
    }
}
