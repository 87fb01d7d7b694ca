//! Checking one large input in parts on several threads.
//!
//! The input is cut at likely interchange boundaries (guessed by a
//! format's `boundary` function); each part is read by its own thread from
//! its boundary up to the next, and the format joins the parts' results.
//! A guess is confirmed by the part before it, which reads up to it and
//! says whether it stopped there; a guess inside data costs time, never a
//! different answer, as the join then falls back to one pass.

/// Runs `run(from, stop)` for each part of `input` at once: up to
/// `threads` parts at least `part_min` bytes apart, the first from 0, each
/// stopping where the next starts (`None` for the last). The runs come
/// back in input order; `None` when no boundary was found.
pub(crate) fn run_parts<R: Send>(
    input: &[u8],
    threads: usize,
    part_min: usize,
    boundary: impl Fn(&[u8], usize) -> Option<usize>,
    run: impl Fn(usize, Option<usize>) -> R + Sync,
) -> Option<Vec<R>> {
    let mut starts = vec![0];
    for k in 1..threads {
        let from = (input.len() / threads * k).max(starts.last().copied().unwrap_or(0) + part_min);
        if let Some(at) = boundary(input, from) {
            starts.push(at);
        }
    }
    if starts.len() < 2 {
        return None;
    }
    let run = &run;
    let starts = &starts;
    Some(std::thread::scope(|scope| {
        let handles: Vec<_> = starts
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, &from)| scope.spawn(move || run(from, starts.get(i + 1).copied())))
            .collect();
        let mut runs = vec![run(0, starts.get(1).copied())];
        for h in handles {
            // A panic in a part is a bug; it is raised here as it would be
            // in one pass.
            runs.push(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        runs
    }))
}

/// A xorshift generator from `seed` (made odd), for the generated inputs
/// of the formats' parts tests.
#[cfg(test)]
pub(crate) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut x = seed | 1;
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    }
}
