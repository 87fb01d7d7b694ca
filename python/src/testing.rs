//! A private hook for tests: `_native._report_for_tests` builds a `Report`
//! from findings given in Python, through the same Rust path the checkers
//! use (`Report::push` with `Options`, then `Report::resolve_lines`). It
//! lets the tests exercise findings, severity overrides, disabled rules,
//! `max_findings` and line resolution before every checker has landed. Not
//! part of the public API (not in `__all__`, not in the stub).

use ediguard::{Finding, Location, Report, rules};
use pyo3::exceptions::{PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::options::PyOptions;
use crate::report::PyReport;

fn optional<'py, T: for<'a> FromPyObject<'a, 'py>>(
    d: &Bound<'py, PyDict>,
    key: &str,
) -> PyResult<Option<T>> {
    match d.get_item(key)? {
        Some(v) if !v.is_none() => Ok(Some(v.extract().map_err(Into::into)?)),
        _ => Ok(None),
    }
}

fn required<'py, T: for<'a> FromPyObject<'a, 'py>>(
    d: &Bound<'py, PyDict>,
    key: &str,
) -> PyResult<T> {
    optional(d, key)?.ok_or_else(|| PyKeyError::new_err(key.to_owned()))
}

/// Builds a report for `data` (used for the format and line numbers) from
/// dicts with keys `rule`, `offset`, `message` and optionally `segment`,
/// `element`, `component`, `repetition`, `field`, `expected`, `found`.
#[pyfunction]
#[pyo3(signature = (data, findings, options=None))]
pub(crate) fn _report_for_tests(
    py: Python<'_>,
    data: &[u8],
    findings: Vec<Bound<'_, PyDict>>,
    options: Option<Bound<'_, PyOptions>>,
) -> PyResult<PyReport> {
    let default = ediguard::Options::default();
    let options = options.as_ref().map_or(&default, |o| &o.get().inner);
    let mut report = Report::new(ediguard::detect(data).ok());
    for d in &findings {
        let code: String = required(d, "rule")?;
        let rule = rules::lookup(&code)
            .ok_or_else(|| PyValueError::new_err(format!("unknown rule {code:?}")))?;
        let mut location = Location::at(required(d, "offset")?);
        if let Some(v) = optional(d, "segment")? {
            location = location.with_segment(v);
        }
        if let Some(v) = optional(d, "element")? {
            location = location.with_element(v);
        }
        if let Some(v) = optional(d, "component")? {
            location = location.with_component(v);
        }
        if let Some(v) = optional(d, "repetition")? {
            location = location.with_repetition(v);
        }
        if let Some(v) = optional(d, "field")? {
            location = location.with_field(v);
        }
        let mut finding = Finding::new(rule, location, required::<String>(d, "message")?);
        let expected: Option<String> = optional(d, "expected")?;
        let found: Option<String> = optional(d, "found")?;
        if let (Some(e), Some(f)) = (expected, found) {
            finding = finding.expected_found(e, f);
        }
        report.push(options, finding);
    }
    report.resolve_lines(data);
    PyReport::new(py, report)
}
