//! `Options`: per-rule severity overrides, disabled rules and limits.

use std::collections::{BTreeMap, BTreeSet};

use ediguard::{Limits, Severity, rules};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFrozenSet, PyMapping, PyString};

/// How `check` runs. Immutable; every argument is keyword-only.
///
/// `severity` maps rule codes to "error", "warning" or "info"; `disabled`
/// lists rule codes to switch off; `max_findings` caps the findings kept
/// (later ones are counted in `Report.dropped`); `max_input_len` caps the
/// input length in bytes (over it, `check` raises `LimitError`). Unknown
/// rule codes and severities raise `ValueError`.
#[pyclass(name = "Options", module = "ediguard", frozen)]
pub(crate) struct PyOptions {
    pub(crate) inner: ediguard::Options,
    severity: BTreeMap<String, Severity>,
    disabled: BTreeSet<String>,
}

fn known_rule(code: &str) -> PyResult<()> {
    match rules::lookup(code) {
        Some(_) => Ok(()),
        None => Err(PyValueError::new_err(format!(
            "unknown rule {code:?} (see ediguard.rules())"
        ))),
    }
}

fn non_negative(name: &str, value: Option<i64>) -> PyResult<Option<usize>> {
    value
        .map(|v| {
            usize::try_from(v)
                .map_err(|_| PyValueError::new_err(format!("{name} must be >= 0, got {v}")))
        })
        .transpose()
}

#[pymethods]
impl PyOptions {
    #[new]
    #[pyo3(signature = (*, severity=None, disabled=None, max_findings=None, max_input_len=None))]
    fn new(
        severity: Option<&Bound<'_, PyAny>>,
        disabled: Option<&Bound<'_, PyAny>>,
        max_findings: Option<i64>,
        max_input_len: Option<i64>,
    ) -> PyResult<Self> {
        let mut inner = ediguard::Options::default();
        let mut overrides = BTreeMap::new();
        if let Some(map) = severity {
            let map = map.cast::<PyMapping>().map_err(|_| {
                PyTypeError::new_err("severity must be a mapping of rule code to severity")
            })?;
            for item in map.items()?.iter() {
                let (rule, level): (String, String) = item.extract()?;
                known_rule(&rule)?;
                let level = Severity::parse(&level).ok_or_else(|| {
                    PyValueError::new_err(format!(
                        "unknown severity {level:?} for rule {rule:?} (error, warning, info)"
                    ))
                })?;
                inner = inner.with_severity(&rule, level);
                overrides.insert(rule, level);
            }
        }
        let mut off = BTreeSet::new();
        if let Some(codes) = disabled {
            if codes.is_instance_of::<PyString>() {
                return Err(PyTypeError::new_err(
                    "disabled must be an iterable of rule codes, not a str",
                ));
            }
            for code in codes.try_iter()? {
                let code: String = code?.extract()?;
                known_rule(&code)?;
                inner = inner.without_rule(&code);
                off.insert(code);
            }
        }
        let mut limits = Limits::default();
        if let Some(n) = non_negative("max_findings", max_findings)? {
            limits.max_findings = n;
        }
        if let Some(n) = non_negative("max_input_len", max_input_len)? {
            limits.max_input_len = n;
        }
        Ok(PyOptions {
            inner: inner.with_limits(limits),
            severity: overrides,
            disabled: off,
        })
    }

    /// The severity overrides, rule code to "error", "warning" or "info".
    #[getter]
    fn severity<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (rule, level) in &self.severity {
            dict.set_item(rule, level.as_str())?;
        }
        Ok(dict)
    }

    /// The disabled rule codes.
    #[getter]
    fn disabled<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyFrozenSet>> {
        PyFrozenSet::new(py, &self.disabled)
    }

    /// Most findings kept in a report.
    #[getter]
    fn max_findings(&self) -> usize {
        self.inner.limits.max_findings
    }

    /// Largest input accepted, in bytes.
    #[getter]
    fn max_input_len(&self) -> usize {
        self.inner.limits.max_input_len
    }

    fn __repr__(&self) -> String {
        let severity: Vec<String> = self
            .severity
            .iter()
            .map(|(r, s)| format!("'{r}': '{s}'"))
            .collect();
        let disabled: Vec<String> = self.disabled.iter().map(|r| format!("'{r}'")).collect();
        format!(
            "Options(severity={{{}}}, disabled=[{}], max_findings={}, max_input_len={})",
            severity.join(", "),
            disabled.join(", "),
            self.inner.limits.max_findings,
            self.inner.limits.max_input_len
        )
    }
}
