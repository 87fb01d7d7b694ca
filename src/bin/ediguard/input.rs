//! Input files as bytes: memory-mapped when they are regular files of
//! [`MAP_FROM`] bytes or more, read into memory otherwise (small files,
//! pipes, FIFOs, character devices) or on request.
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
//!
//! Why read small files: mapping costs three system calls (mmap, madvise,
//! munmap) and a page fault per page where a read costs one call, and
//! every munmap in a process with several threads interrupts the other
//! cores to flush their TLBs. Opening, loading and scanning 8 KiB files
//! took 12.6 us each mapped and 5.9 us read on one thread, 16.2 us and
//! 3.2 us on two; the two cost the same near 256 KiB and mapping wins from
//! 512 KiB up (2 MiB: 94 us mapped, 188 us read).

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

/// Regular files shorter than this are read, not mapped (see the module
/// documentation for the measurement).
pub(crate) const MAP_FROM: u64 = 256 << 10;

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
    let input = if load.map && meta.is_file() && len >= MAP_FROM {
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
        Input::Read(read(file, path, len, meta.is_file(), max_len, show)?)
    };
    if show {
        eprint!("\r{}: checking...   \r", path.display());
        let _ = io::stderr().flush();
    }
    Ok(input)
}

/// Reads a file into one buffer sized from its metadata (peak memory stays
/// near the file size), with a progress line when `show`.
///
/// A regular file that states a length is read up to that length, as a
/// map would see it: one read call for a small file (`read_to_end` would
/// read 8 KiB at a time and then once more to find the end), and never
/// more than the length checked against the limit however the file grows
/// meanwhile. Anything else (a pipe, or a file such as those under `/proc`
/// that states no length) is read to its end, and refused once it passes
/// `max_len`.
fn read(
    mut file: File,
    path: &Path,
    len: u64,
    regular: bool,
    max_len: usize,
    show: bool,
) -> Result<Vec<u8>, OpenError> {
    const CHUNK: usize = 8 << 20;
    if !(regular && len > 0) {
        let mut buf = Vec::new();
        // One byte past the limit tells a file that is too long.
        let upto = (max_len as u64).saturating_add(1);
        file.take(upto)
            .read_to_end(&mut buf)
            .map_err(OpenError::Io)?;
        if buf.len() > max_len {
            return Err(OpenError::TooLong);
        }
        return Ok(buf);
    }
    // `len` is at most `max_len`, so it fits; zeroed by the allocator.
    let mut buf = vec![0; usize::try_from(len).unwrap_or(0)];
    let mut got = 0;
    while got < buf.len() {
        let end = buf.len().min(got.saturating_add(CHUNK));
        match file.read(&mut buf[got..end]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(OpenError::Io(e)),
        }
        if show {
            let pct = (got as u64 * 100).checked_div(len).unwrap_or(100);
            eprint!("\r{}: reading {pct:>3}%", path.display());
        }
    }
    // The file shrank since its metadata was read.
    buf.truncate(got);
    Ok(buf)
}
