//! Checking many inputs at once, on all cores, with results in input order.
//!
//! [`check_many`] checks a slice of inputs and returns one result per input.
//! [`map_in_order`] is the engine under it, for callers that load inputs
//! themselves (the CLI maps files, the Python package reads paths) or must
//! act on results in input order while later inputs are still being
//! checked (printing, order-dependent state such as a control-number
//! ledger).
//!
//! Each thread takes the next index as it becomes free, so a slow input
//! never holds back the others, and results wait in a small window until
//! every earlier one has been handed over. The standard library's scoped
//! threads, a mutex and a condition variable are enough for this; no
//! thread pool stays behind after a call.

use std::num::NonZeroUsize;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::{Options, Report, Result};

/// Checks every input with [`crate::check`] on up to
/// [`Options::threads`] threads and returns the results in the order of
/// `inputs`, each exactly what `check` returns for it alone.
///
/// # Examples
///
/// ```
/// use std::num::NonZeroUsize;
/// use ediguard::{check_many, Options};
/// let good = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~IEA*0*000000001~";
/// let inputs: Vec<&[u8]> = vec![good, b"not EDI", good];
/// let options = Options::default().with_threads(NonZeroUsize::new(2).unwrap());
/// let results = check_many(&inputs, &options);
/// assert_eq!(results.len(), 3);
/// assert!(results[0].as_ref().unwrap().is_ok());
/// assert!(results[1].is_err());
/// assert_eq!(results[2].as_ref().unwrap().counts.interchanges, 1);
/// ```
pub fn check_many<B>(inputs: &[B], options: &Options) -> Vec<Result<Report>>
where
    B: AsRef<[u8]> + Sync,
{
    let mut results = Vec::with_capacity(inputs.len());
    // The batch spreads over the cores; each input is checked on one.
    let each = per_input(options, inputs.len());
    map_in_order(
        inputs.len(),
        options.threads(),
        |i| crate::check(inputs[i].as_ref(), &each),
        |_, result| results.push(result),
    );
    results
}

/// The options each input of a batch of `count` is checked with: one
/// thread per input when the batch itself spreads over several, so threads
/// do not multiply.
pub fn per_input(options: &Options, count: usize) -> Options {
    if count > 1 && options.threads().get() > 1 {
        options.clone().with_threads(NonZeroUsize::MIN)
    } else {
        options.clone()
    }
}

/// Runs `work(i)` for every `i` in `0..count` on up to `threads` threads
/// and hands each result to `each(i, result)` on the calling thread, in
/// ascending order of `i`, as soon as it and every earlier result are
/// ready.
///
/// At most four results per thread wait for `each` at once: workers pause
/// rather than run further ahead, so the memory held by waiting results
/// stays bounded when `each` is slow or an early input is large. With one
/// thread (or one item) everything runs on the calling thread, in order.
///
/// A panic in `work` or `each` stops the other threads from taking new
/// items and is passed on to the caller once they have finished.
///
/// # Examples
///
/// ```
/// use std::num::NonZeroUsize;
/// use ediguard::batch::map_in_order;
/// let mut seen = Vec::new();
/// map_in_order(5, NonZeroUsize::new(3).unwrap(), |i| i * i, |i, square| seen.push((i, square)));
/// assert_eq!(seen, [(0, 0), (1, 1), (2, 4), (3, 9), (4, 16)]);
/// ```
pub fn map_in_order<T, W, E>(count: usize, threads: NonZeroUsize, work: W, mut each: E)
where
    T: Send,
    W: Fn(usize) -> T + Sync,
    E: FnMut(usize, T),
{
    let threads = threads.get().min(count);
    if threads <= 1 {
        for i in 0..count {
            each(i, work(i));
        }
        return;
    }
    let window = threads.saturating_mul(4);
    let shared = Shared {
        state: Mutex::new(State {
            next: 0,
            delivered: 0,
            slots: (0..window).map(|_| None).collect(),
            stopped: false,
        }),
        changed: Condvar::new(),
    };
    let (shared, work) = (&shared, &work);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(move || {
                let _stop = StopOnPanic(shared);
                while let Some(i) = shared.claim(count, window) {
                    let value = work(i);
                    shared.lock().slots[i % window] = Some(value);
                    shared.changed.notify_all();
                }
            });
        }
        let _stop = StopOnPanic(shared);
        for i in 0..count {
            // None: a worker panicked; the scope passes its panic on.
            let Some(value) = shared.take(i, window) else {
                return;
            };
            each(i, value);
        }
    });
}

struct Shared<T> {
    state: Mutex<State<T>>,
    changed: Condvar,
}

struct State<T> {
    /// The next index to hand to a worker.
    next: usize,
    /// How many results have been taken for `each`.
    delivered: usize,
    /// Finished results, result `i` at `i % window`; indices in
    /// `delivered..delivered + window` never share a slot.
    slots: Vec<Option<T>>,
    /// Set when a thread panicked: nobody takes or waits any longer.
    stopped: bool,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // A panic never happens while the lock is held, but a poisoned
        // lock must not turn one panic into a cascade.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait<'a>(&self, guard: MutexGuard<'a, State<T>>) -> MutexGuard<'a, State<T>> {
        self.changed
            .wait(guard)
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The next index to work on, waiting while the window is full; `None`
    /// when every index is taken or the batch stopped.
    fn claim(&self, count: usize, window: usize) -> Option<usize> {
        let mut state = self.lock();
        loop {
            if state.stopped || state.next >= count {
                return None;
            }
            if state.next < state.delivered + window {
                let i = state.next;
                state.next += 1;
                return Some(i);
            }
            state = self.wait(state);
        }
    }

    /// Result `i`, waiting until it is ready; `None` when the batch stopped.
    fn take(&self, i: usize, window: usize) -> Option<T> {
        let mut state = self.lock();
        loop {
            if let Some(value) = state.slots[i % window].take() {
                state.delivered = i + 1;
                drop(state);
                self.changed.notify_all();
                return Some(value);
            }
            if state.stopped {
                return None;
            }
            state = self.wait(state);
        }
    }
}

/// Stops the batch when the thread holding it unwinds, so that no other
/// thread waits forever for a result that will never come.
struct StopOnPanic<'a, T>(&'a Shared<T>);

impl<T> Drop for StopOnPanic<'_, T> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.lock().stopped = true;
            self.0.changed.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn n(threads: usize) -> NonZeroUsize {
        NonZeroUsize::new(threads).unwrap()
    }

    #[test]
    fn results_arrive_in_order_whatever_the_timing() {
        for threads in [1, 2, 3, 8] {
            for count in [0, 1, 2, 7, 50] {
                let mut seen = Vec::new();
                map_in_order(
                    count,
                    n(threads),
                    |i| {
                        // Early items are slowest, so later ones finish first.
                        std::thread::sleep(Duration::from_micros(((count - i) % 5) as u64 * 200));
                        i * 10
                    },
                    |i, v| seen.push((i, v)),
                );
                let expected: Vec<_> = (0..count).map(|i| (i, i * 10)).collect();
                assert_eq!(seen, expected, "{threads} threads, {count} items");
            }
        }
    }

    #[test]
    fn workers_stay_within_the_window() {
        // `each` is slow on item 0; while item i is handed over, workers
        // may have started items up to i + 4 x threads, no further.
        let threads = 2;
        let started = AtomicUsize::new(0);
        let mut max_ahead = 0;
        map_in_order(
            100,
            n(threads),
            |_| started.fetch_add(1, Ordering::SeqCst),
            |i, _| {
                if i == 0 {
                    std::thread::sleep(Duration::from_millis(50));
                }
                max_ahead = max_ahead.max(started.load(Ordering::SeqCst) - i);
            },
        );
        assert_eq!(started.load(Ordering::SeqCst), 100);
        assert!(max_ahead <= 4 * threads + 1, "{max_ahead} items started");
        assert!(
            max_ahead > 4,
            "the slow consumer should let workers run ahead"
        );
    }

    #[test]
    fn all_threads_take_part() {
        let ids = Mutex::new(std::collections::HashSet::new());
        map_in_order(
            40,
            n(2),
            |_| {
                ids.lock().unwrap().insert(std::thread::current().id());
                std::thread::sleep(Duration::from_millis(2));
            },
            |_, ()| {},
        );
        assert_eq!(ids.lock().unwrap().len(), 2);
    }

    #[test]
    fn a_panicking_worker_is_passed_on_without_a_hang() {
        let result = std::panic::catch_unwind(|| {
            map_in_order(1000, n(2), |i| assert_ne!(i, 3, "boom"), |_, ()| {});
        });
        assert!(result.is_err());
    }

    #[test]
    fn a_panicking_consumer_is_passed_on_without_a_hang() {
        let result = std::panic::catch_unwind(|| {
            map_in_order(1000, n(2), |i| i, |i, _| assert_ne!(i, 3, "boom"));
        });
        assert!(result.is_err());
    }
}
