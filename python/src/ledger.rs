//! Control-number ledgers: `Ledger` (in memory) and `SqliteLedger` (a
//! database file several processes may share), and the `LedgerError`
//! exception.
//!
//! `edi-security.md` §4.3 step 8: `(partner, receiver, control number) →
//! sha256`; the same number with the same digest is a duplicate, with a
//! different digest a conflict.

use std::path::PathBuf;

use ediguard::integrity::ledger::{self, LedgerError as RustLedgerError, MemoryLedger, Recorded};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::errors::EdiguardError;

create_exception!(
    ediguard,
    LedgerError,
    EdiguardError,
    "A ledger could not record: it is full, or its storage failed."
);

/// The outcome name of a record.
pub(crate) const fn outcome(r: Recorded) -> &'static str {
    match r {
        Recorded::New => "new",
        Recorded::Duplicate => "duplicate",
        Recorded::Conflict { .. } => "conflict",
    }
}

pub(crate) fn ledger_error(e: RustLedgerError) -> PyErr {
    LedgerError::new_err(e.to_string())
}

fn digest(sha256: &[u8]) -> PyResult<[u8; 32]> {
    <[u8; 32]>::try_from(sha256).map_err(|_| {
        PyValueError::new_err(format!(
            "sha256 must be 32 bytes (a digest), got {}",
            sha256.len()
        ))
    })
}

/// Records with the interpreter released (SQLite may wait on a lock held
/// by another process).
fn record(
    py: Python<'_>,
    ledger: &(dyn ledger::Ledger + Sync),
    partner: &str,
    receiver: &str,
    control_number: &str,
    sha256: &[u8],
) -> PyResult<&'static str> {
    let digest = digest(sha256)?;
    py.detach(|| ledger.record(partner, receiver, control_number, &digest))
        .map(outcome)
        .map_err(ledger_error)
}

/// A control-number ledger in memory, bounded to `capacity` entries; it
/// lives as long as this object.
#[pyclass(name = "Ledger", module = "ediguard", frozen)]
pub(crate) struct PyLedger {
    pub(crate) inner: MemoryLedger,
    capacity: usize,
}

#[pymethods]
impl PyLedger {
    #[new]
    #[pyo3(signature = (capacity=1_000_000))]
    fn new(capacity: usize) -> Self {
        PyLedger {
            inner: MemoryLedger::new(capacity),
            capacity,
        }
    }

    /// Records `sha256` (32 bytes) for (partner, receiver, control_number)
    /// unless the number is known; returns "new", "duplicate" (known with
    /// the same digest) or "conflict" (known with a different digest).
    /// Raises `LedgerError` when full.
    fn record(
        &self,
        py: Python<'_>,
        partner: &str,
        receiver: &str,
        control_number: &str,
        sha256: &[u8],
    ) -> PyResult<&'static str> {
        record(py, &self.inner, partner, receiver, control_number, sha256)
    }

    /// Most entries kept.
    #[getter]
    fn capacity(&self) -> usize {
        self.capacity
    }

    /// The number of entries.
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Ledger entries={} capacity={}>",
            self.inner.len(),
            self.capacity
        )
    }
}

/// A control-number ledger in an SQLite database file (created when
/// missing): it survives restarts and several processes may share it.
#[pyclass(name = "SqliteLedger", module = "ediguard", frozen)]
pub(crate) struct PySqliteLedger {
    pub(crate) inner: ledger::SqliteLedger,
    path: PathBuf,
}

#[pymethods]
impl PySqliteLedger {
    #[new]
    fn new(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let inner = py
            .detach(|| ledger::SqliteLedger::open(&path))
            .map_err(ledger_error)?;
        Ok(PySqliteLedger { inner, path })
    }

    /// Records like `Ledger.record`, atomically across processes.
    fn record(
        &self,
        py: Python<'_>,
        partner: &str,
        receiver: &str,
        control_number: &str,
        sha256: &[u8],
    ) -> PyResult<&'static str> {
        record(py, &self.inner, partner, receiver, control_number, sha256)
    }

    /// The database file.
    #[getter]
    fn path(&self) -> PathBuf {
        self.path.clone()
    }

    fn __repr__(&self) -> String {
        format!("<SqliteLedger path={:?}>", self.path.display().to_string())
    }
}

/// Either ledger, as `verify` takes it.
pub(crate) enum AnyLedger<'py> {
    /// In memory.
    Memory(Bound<'py, PyLedger>),
    /// SQLite.
    Sqlite(Bound<'py, PySqliteLedger>),
}

impl<'a, 'py> FromPyObject<'a, 'py> for AnyLedger<'py> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(l) = obj.cast::<PyLedger>() {
            return Ok(AnyLedger::Memory(l.to_owned()));
        }
        if let Ok(l) = obj.cast::<PySqliteLedger>() {
            return Ok(AnyLedger::Sqlite(l.to_owned()));
        }
        Err(pyo3::exceptions::PyTypeError::new_err(
            "ledger must be an ediguard.Ledger or ediguard.SqliteLedger",
        ))
    }
}

impl AnyLedger<'_> {
    /// The Rust ledger behind it.
    pub(crate) fn as_dyn(&self) -> &(dyn ledger::Ledger + Sync) {
        match self {
            AnyLedger::Memory(l) => &l.get().inner,
            AnyLedger::Sqlite(l) => &l.get().inner,
        }
    }
}
