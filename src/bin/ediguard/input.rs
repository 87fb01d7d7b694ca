//! Input files as bytes: memory-mapped when they are regular files, read
//! into memory otherwise (pipes, FIFOs, character devices) or on request.
//!
//! Why map: a mapped file is checked straight from the page cache, with no
//! copy. Its pages still count toward the process's resident set (peak RSS
//! stays near the file's size), but they are clean page-cache pages that
//! the kernel can drop and read again under memory pressure, where a read
//! copy is anonymous memory that has to stay. Reading costs a copy of the
//! whole file first (about 0.6 s per GB from the page cache here).
//!
//! The cost: a mapped file that another process truncates while it is
//! being checked makes the next access past the new end fail with SIGBUS,
//! which ends the process; and bytes changed by another process while
//! mapped are seen changing. `--no-mmap` reads instead, for files that
//! may be written to while ediguard runs.

// The one place in the crate where `unsafe` is allowed: `Mmap::map`, whose
// contract (nobody changes the file while mapped) no code can promise.
#![allow(unsafe_code)]

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::ops::Deref;
use std::path::Path;

use memmap2::{Advice, Mmap};

/// The bytes of one input file.
pub(crate) enum Input {
    /// A regular file mapped read-only.
    Mapped(Mmap),
    /// Everything else, read whole.
    Read(Vec<u8>),
}

impl Deref for Input {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Input::Mapped(map) => map,
            Input::Read(bytes) => bytes,
        }
    }
}

/// How to open inputs.
#[derive(Clone, Copy)]
pub(crate) struct Load {
    /// Map regular files (false: read every file).
    pub(crate) map: bool,
    /// A progress line on stderr for large inputs, when stderr is a
    /// terminal (only when one file is checked at a time, so that lines
    /// from several threads do not overwrite each other).
    pub(crate) progress: bool,
}

/// Why a file could not be opened.
pub(crate) enum OpenError {
    Io(io::Error),
    /// Longer than the limit (the file's length, in bytes).
    TooLong,
}

const PROGRESS_OVER: u64 = 64 << 20;

/// Opens `path` as bytes, refusing a file longer than `max_len` before
/// mapping or reading it.
pub(crate) fn open(path: &Path, max_len: usize, load: Load) -> Result<Input, OpenError> {
    let file = File::open(path).map_err(OpenError::Io)?;
    let meta = file.metadata().map_err(OpenError::Io)?;
    let len = meta.len();
    if len > max_len as u64 {
        return Err(OpenError::TooLong);
    }
    let show = load.progress && len > PROGRESS_OVER && io::stderr().is_terminal();
    let input = if load.map && meta.is_file() {
        // SAFETY: the map is read-only and lives in the returned `Input`,
        // which the caller drops before the file could matter again. The
        // contract of `Mmap::map` is that the file is not changed while
        // mapped; ediguard cannot enforce that against other processes. A
        // truncation ends the process with SIGBUS rather than reading out of
        // bounds, and a concurrent write is seen as changing bytes; both are
        // documented (README, `--no-mmap`). Measured reason: mapping avoids
        // copying the file (0.6 s per GB) and keeps its pages reclaimable.
        let map = unsafe { Mmap::map(&file) }.map_err(OpenError::Io)?;
        // Only a hint: the check reads front to back.
        let _ = map.advise(Advice::Sequential);
        Input::Mapped(map)
    } else {
        Input::Read(read(file, path, len, show).map_err(OpenError::Io)?)
    };
    if show {
        eprint!("\r{}: checking...   \r", path.display());
        let _ = io::stderr().flush();
    }
    Ok(input)
}

/// Reads a whole file into one buffer sized from its metadata (peak memory
/// stays near the file size), with a progress line when `show`.
fn read(mut file: File, path: &Path, len: u64, show: bool) -> io::Result<Vec<u8>> {
    const CHUNK: u64 = 8 << 20;
    let mut buf = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    loop {
        let before = buf.len();
        let n = (&mut file).take(CHUNK).read_to_end(&mut buf)?;
        if show {
            let pct = (buf.len() as u64 * 100).checked_div(len).unwrap_or(100);
            eprint!("\r{}: reading {pct:>3}%", path.display());
        }
        if n == 0 || buf.len() == before {
            break;
        }
    }
    Ok(buf)
}
