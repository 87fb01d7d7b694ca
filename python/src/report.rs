//! `Report`, `Finding` and `Counts`: the results of `check`, immutable.
//!
//! A report's findings become Python objects once, when the report crosses
//! the boundary; `Report.findings` hands out a new list of those same
//! objects each time, so callers may change the list without changing the
//! report.

use ediguard::Severity;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyIterator, PyList};

use crate::errors::ValidationError;

/// Parses a JSON text into Python objects with the standard `json` module,
/// so `to_dict()` is exactly `json.loads(to_json())`.
fn json_to_python<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (text,))
}

/// One thing a rule found, with its exact location.
#[pyclass(name = "Finding", module = "ediguard", frozen, eq)]
#[derive(PartialEq)]
pub(crate) struct PyFinding {
    inner: ediguard::Finding,
}

#[pymethods]
impl PyFinding {
    /// The rule's stable snake_case code.
    #[getter]
    fn rule(&self) -> &'static str {
        self.inner.rule
    }

    /// "error", "warning" or "info" (after overrides).
    #[getter]
    fn severity(&self) -> &'static str {
        self.inner.severity.as_str()
    }

    /// What is wrong, for a person.
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }

    /// Byte offset into the input, 0-based.
    #[getter]
    fn offset(&self) -> usize {
        self.inner.location.offset
    }

    /// Line, 1-based.
    #[getter]
    fn line(&self) -> Option<u32> {
        self.inner.location.line
    }

    /// Column in bytes, 1-based.
    #[getter]
    fn column(&self) -> Option<u32> {
        self.inner.location.column
    }

    /// Segment ordinal within the interchange, 0-based.
    #[getter]
    fn segment(&self) -> Option<u32> {
        self.inner.location.segment
    }

    /// Element position within the segment, 1-based.
    #[getter]
    fn element(&self) -> Option<u32> {
        self.inner.location.element
    }

    /// Component position within the element, 1-based.
    #[getter]
    fn component(&self) -> Option<u32> {
        self.inner.location.component
    }

    /// Repetition position within the element, 1-based.
    #[getter]
    fn repetition(&self) -> Option<u32> {
        self.inner.location.repetition
    }

    /// Field position within an ELD line, 1-based.
    #[getter]
    fn field(&self) -> Option<u32> {
        self.inner.location.field
    }

    /// What the rule expected, where useful.
    #[getter]
    fn expected(&self) -> Option<&str> {
        self.inner.expected.as_deref()
    }

    /// What the input held, where useful.
    #[getter]
    fn found(&self) -> Option<&str> {
        self.inner.found.as_deref()
    }

    /// The finding as a dict, the same shape as in `Report.to_json()`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text =
            serde_json::to_string(&self.inner).map_err(|e| PyValueError::new_err(e.to_string()))?;
        json_to_python(py, &text)
    }

    fn __repr__(&self) -> String {
        let loc = &self.inner.location;
        let mut s = format!(
            "Finding(rule='{}', severity='{}', offset={}",
            self.inner.rule, self.inner.severity, loc.offset
        );
        for (name, value) in [
            ("line", loc.line),
            ("column", loc.column),
            ("segment", loc.segment),
            ("element", loc.element),
            ("component", loc.component),
            ("repetition", loc.repetition),
            ("field", loc.field),
        ] {
            if let Some(v) = value {
                s.push_str(&format!(", {name}={v}"));
            }
        }
        s.push_str(&format!(", message={:?})", self.inner.message));
        s
    }
}

/// Counts of what a check saw.
#[pyclass(name = "Counts", module = "ediguard", frozen, eq)]
#[derive(PartialEq)]
pub(crate) struct PyCounts {
    inner: ediguard::Counts,
}

#[pymethods]
impl PyCounts {
    /// Interchanges (X12, EDIFACT) or ELD files.
    #[getter]
    fn interchanges(&self) -> usize {
        self.inner.interchanges
    }

    /// Functional groups.
    #[getter]
    fn groups(&self) -> usize {
        self.inner.groups
    }

    /// Transaction sets (X12) or messages (EDIFACT).
    #[getter]
    fn messages(&self) -> usize {
        self.inner.messages
    }

    /// Segments (EDI) or lines (ELD).
    #[getter]
    fn segments(&self) -> usize {
        self.inner.segments
    }

    /// The counts as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("interchanges", self.inner.interchanges)?;
        d.set_item("groups", self.inner.groups)?;
        d.set_item("messages", self.inner.messages)?;
        d.set_item("segments", self.inner.segments)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        let c = &self.inner;
        format!(
            "Counts(interchanges={}, groups={}, messages={}, segments={})",
            c.interchanges, c.groups, c.messages, c.segments
        )
    }
}

/// The result of checking one input: every finding, never only the first.
#[pyclass(name = "Report", module = "ediguard", frozen)]
pub(crate) struct PyReport {
    inner: ediguard::Report,
    findings: Vec<Py<PyFinding>>,
}

impl PyReport {
    /// Moves a Rust report across the boundary, making its findings Python
    /// objects once.
    pub(crate) fn new(py: Python<'_>, inner: ediguard::Report) -> PyResult<Self> {
        let findings = inner
            .findings()
            .iter()
            .map(|f| Py::new(py, PyFinding { inner: f.clone() }))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyReport { inner, findings })
    }

    fn list_where<'py>(
        &self,
        py: Python<'py>,
        keep: impl Fn(&ediguard::Finding) -> bool,
    ) -> PyResult<Bound<'py, PyList>> {
        PyList::new(
            py,
            self.findings
                .iter()
                .zip(self.inner.findings())
                .filter(|(_, f)| keep(f))
                .map(|(p, _)| p.clone_ref(py)),
        )
    }
}

#[pymethods]
impl PyReport {
    /// Every finding, in the order found.
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.list_where(py, |_| true)
    }

    /// The findings of severity error.
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.list_where(py, |f| f.severity == Severity::Error)
    }

    /// True when no finding has severity error.
    #[getter]
    fn ok(&self) -> bool {
        self.inner.is_ok()
    }

    /// "x12", "edifact" or "eld".
    #[getter]
    fn format(&self) -> Option<&'static str> {
        self.inner.format.map(|f| f.as_str())
    }

    /// Counts of interchanges, groups, messages and segments.
    #[getter]
    fn counts(&self) -> PyCounts {
        PyCounts {
            inner: self.inner.counts,
        }
    }

    /// Findings not kept because `max_findings` was reached.
    #[getter]
    fn dropped(&self) -> usize {
        self.inner.dropped
    }

    /// How many findings have `severity` ("error", "warning" or "info").
    fn count(&self, severity: &str) -> PyResult<usize> {
        let severity = Severity::parse(severity).ok_or_else(|| {
            PyValueError::new_err(format!(
                "unknown severity {severity:?} (error, warning, info)"
            ))
        })?;
        Ok(self.inner.count(severity))
    }

    /// The report as JSON (the same text as the Rust `Report::to_json` and
    /// the command-line tool's reports).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The report as a dict: exactly `json.loads(report.to_json())`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_python(py, &self.inner.to_json())
    }

    /// Raises `ValidationError` (carrying this report as `.report`) when
    /// any finding has severity error; returns None otherwise.
    fn raise_for_errors(slf: &Bound<'_, Self>) -> PyResult<()> {
        let this = slf.get();
        let Some(first) = this.inner.errors().next() else {
            return Ok(());
        };
        let n = this.inner.count(Severity::Error);
        let loc = &first.location;
        let at = match (loc.line, loc.column) {
            (Some(l), Some(c)) => format!("line {l}, column {c}"),
            _ => format!("byte {}", loc.offset),
        };
        let plural = if n == 1 { "" } else { "s" };
        let err = ValidationError::new_err(format!(
            "{n} error{plural}; first: {} at {at}: {}",
            first.rule, first.message
        ));
        err.value(slf.py()).setattr("report", slf)?;
        Err(err)
    }

    fn __len__(&self) -> usize {
        self.findings.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyIterator>> {
        self.findings(py)?.try_iter()
    }

    fn __repr__(&self) -> String {
        let format = self.inner.format.map_or("None", |f| f.as_str());
        format!(
            "<Report format={format} ok={} findings={} errors={} warnings={} infos={} dropped={}>",
            if self.inner.is_ok() { "True" } else { "False" },
            self.findings.len(),
            self.inner.count(Severity::Error),
            self.inner.count(Severity::Warning),
            self.inner.count(Severity::Info),
            self.inner.dropped
        )
    }
}
