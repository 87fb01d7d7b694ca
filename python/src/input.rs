//! What every function accepts as input: `bytes`, `bytearray`,
//! `memoryview`, or a path (`str` or `os.PathLike`).
//!
//! `bytes` are borrowed without a copy (`PyBackedBytes`); `bytearray` and
//! `memoryview` are copied once, since their contents could change while
//! the interpreter is released. Paths are read in Rust with the interpreter
//! released, never more than the limit that applies plus one byte.

use std::fs::File;
use std::io::Read;
use std::path::PathBuf;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyByteArray, PyBytes, PyMemoryView, PyString};

use crate::errors::Failure;

/// Input of any accepted type.
pub(crate) enum Input {
    /// The bytes themselves.
    Bytes(PyBackedBytes),
    /// A file to read.
    Path(PathBuf),
}

impl<'a, 'py> FromPyObject<'a, 'py> for Input {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>() {
            return Ok(Input::Bytes(obj.extract::<PyBackedBytes>()?));
        }
        if obj.is_instance_of::<PyMemoryView>() {
            let bytes = obj.call_method0("tobytes")?;
            return Ok(Input::Bytes(bytes.extract::<PyBackedBytes>()?));
        }
        if obj.is_instance_of::<PyString>() || obj.hasattr("__fspath__")? {
            return Ok(Input::Path(obj.extract::<PathBuf>()?));
        }
        let name = obj
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "?".to_owned());
        Err(PyTypeError::new_err(format!(
            "expected bytes, bytearray, memoryview, str or os.PathLike, got {name}"
        )))
    }
}

impl Input {
    /// Runs `f` on the input's bytes with the interpreter released; a path
    /// is read there too, at most `max_len + 1` bytes (so that a length
    /// check on the result still sees an input over `max_len`).
    pub(crate) fn with_bytes<T, F>(&self, py: Python<'_>, max_len: usize, f: F) -> PyResult<T>
    where
        T: Send,
        F: Send + FnOnce(&[u8]) -> Result<T, Failure>,
    {
        py.detach(move || self.use_bytes(max_len, f))
            .map_err(|failure| failure.into_pyerr(py))
    }

    /// [`Input::with_bytes`] for work that already runs with the
    /// interpreter released (several inputs on worker threads): `f` runs
    /// on the calling thread.
    pub(crate) fn use_bytes<T, F>(&self, max_len: usize, f: F) -> Result<T, Failure>
    where
        F: FnOnce(&[u8]) -> Result<T, Failure>,
    {
        match self {
            Input::Bytes(bytes) => f(bytes),
            Input::Path(path) => f(&read_bounded(path, max_len)?),
        }
    }
}

/// Bytes a `Document` owns: the caller's `bytes` object itself (no copy),
/// or what was read from a path.
pub(crate) enum Owned {
    /// Borrowed from a Python `bytes` (or copied once from a `bytearray`
    /// or `memoryview`).
    Python(PyBackedBytes),
    /// Read from a file.
    Read(Box<[u8]>),
}

impl std::ops::Deref for Owned {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Owned::Python(b) => b,
            Owned::Read(b) => b,
        }
    }
}

impl Input {
    /// Takes ownership of the input's bytes: `bytes` are kept without a
    /// copy, a path is read with the interpreter released (at most
    /// `max_len + 1` bytes, as in [`Input::with_bytes`]).
    pub(crate) fn into_owned(self, py: Python<'_>, max_len: usize) -> PyResult<Owned> {
        match self {
            Input::Bytes(bytes) => Ok(Owned::Python(bytes)),
            Input::Path(path) => py
                .detach(move || read_bounded(&path, max_len))
                .map(|v| Owned::Read(v.into_boxed_slice()))
                .map_err(|failure| failure.into_pyerr(py)),
        }
    }
}

fn read_bounded(path: &PathBuf, max_len: usize) -> Result<Vec<u8>, Failure> {
    let io = |error| Failure::Io {
        error,
        path: path.clone(),
    };
    let file = File::open(path).map_err(io)?;
    let limit = u64::try_from(max_len).unwrap_or(u64::MAX).saturating_add(1);
    // The file's length is a hint only (it may change while being read).
    let hint = file.metadata().map_or(0, |m| m.len()).min(limit);
    let mut data = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(limit).read_to_end(&mut data).map_err(io)?;
    Ok(data)
}
