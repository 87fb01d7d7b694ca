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
/// The calling thread is one of the `threads`: while the next result in
/// order is not ready, it works on the next index nobody has taken, so
/// `threads` threads share the work with `threads - 1` spawned. At most
/// four results per thread wait for `each` at once: threads pause rather
/// than run further ahead, so the memory held by waiting results stays
/// bounded when `each` is slow or an early input is large. With one thread
/// (or one item) everything runs on the calling thread, in order.
///
/// A thread is woken only when it has something to do: the caller when
/// the result it waits for is stored, a spawned thread when the window it
/// waits on moves. Handing over thousands of small results (8 KiB ELD
/// files take some 25 us each) would otherwise cost a wake-up and a
/// context switch per result and thread.
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
            caller_waits: false,
            workers_waiting: 0,
        }),
        ready: Condvar::new(),
        room: Condvar::new(),
        window,
        count,
    };
    let (shared, work) = (&shared, &work);
    std::thread::scope(|scope| {
        // The calling thread is the last of `threads`.
        for _ in 1..threads {
            scope.spawn(move || {
                let _stop = StopOnPanic(shared);
                while let Some(i) = shared.claim() {
                    let value = work(i);
                    shared.finish(i, value);
                }
            });
        }
        let _stop = StopOnPanic(shared);
        for i in 0..count {
            let value = loop {
                match shared.next_step(i) {
                    Step::Ready(value) => break value,
                    // The result the caller waits for: no need to store it.
                    Step::Work(j) if j == i => break work(j),
                    Step::Work(j) => {
                        let value = work(j);
                        shared.finish(j, value);
                    }
                    // A spawned thread panicked; the scope passes it on.
                    Step::Stopped => return,
                }
            };
            each(i, value);
        }
    });
}

struct Shared<T> {
    state: Mutex<State<T>>,
    /// The caller waits here for the result it is to hand over next.
    ready: Condvar,
    /// Spawned threads wait here while the window is full.
    room: Condvar,
    window: usize,
    count: usize,
}

struct State<T> {
    /// The next index to work on.
    next: usize,
    /// How many results have been taken (or are being made) for `each`.
    delivered: usize,
    /// Finished results, result `i` at `i % window`; indices in
    /// `delivered..delivered + window` never share a slot.
    slots: Vec<Option<T>>,
    /// Set when a thread panicked: nobody takes or waits any longer.
    stopped: bool,
    /// The caller waits on `ready` for result `delivered`.
    caller_waits: bool,
    /// How many spawned threads wait on `room`.
    workers_waiting: usize,
}

/// What the calling thread does next.
enum Step<T> {
    /// Hand this result over.
    Ready(T),
    /// Work on this index.
    Work(usize),
    /// The batch stopped.
    Stopped,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // A panic never happens while the lock is held, but a poisoned
        // lock must not turn one panic into a cascade.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait<'a>(&self, on: &Condvar, guard: MutexGuard<'a, State<T>>) -> MutexGuard<'a, State<T>> {
        on.wait(guard).unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the next index if the window has room for it.
    fn take_next(&self, state: &mut State<T>) -> Option<usize> {
        if state.next < self.count && state.next < state.delivered + self.window {
            state.next += 1;
            Some(state.next - 1)
        } else {
            None
        }
    }

    /// For a spawned thread: the next index to work on, waiting while the
    /// window is full; `None` when every index is taken or the batch
    /// stopped.
    fn claim(&self) -> Option<usize> {
        let mut state = self.lock();
        loop {
            if state.stopped || state.next >= self.count {
                return None;
            }
            if let Some(i) = self.take_next(&mut state) {
                return Some(i);
            }
            state.workers_waiting += 1;
            state = self.wait(&self.room, state);
            state.workers_waiting -= 1;
        }
    }

    /// Stores result `i`, waking the caller only if it waits for this one.
    fn finish(&self, i: usize, value: T) {
        let mut state = self.lock();
        state.slots[i % self.window] = Some(value);
        let wake = state.caller_waits && i == state.delivered;
        drop(state);
        if wake {
            self.ready.notify_one();
        }
    }

    /// For the calling thread, about to hand over result `i`: that result
    /// if it is ready, else an index to work on, else waits for it.
    fn next_step(&self, i: usize) -> Step<T> {
        let mut state = self.lock();
        loop {
            if state.stopped {
                return Step::Stopped;
            }
            let ready = state.slots[i % self.window].take();
            let step = match ready {
                Some(value) => Step::Ready(value),
                None => match self.take_next(&mut state) {
                    Some(j) => Step::Work(j),
                    None => {
                        state.caller_waits = true;
                        state = self.wait(&self.ready, state);
                        state.caller_waits = false;
                        continue;
                    }
                },
            };
            // Result `i` is in hand or being made here: the window moves.
            let moves = matches!(step, Step::Ready(_)) || matches!(step, Step::Work(j) if j == i);
            let wake = moves && state.workers_waiting > 0;
            if moves {
                state.delivered = i + 1;
            }
            drop(state);
            if wake {
                self.room.notify_all();
            }
            return step;
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
            self.0.ready.notify_all();
            self.0.room.notify_all();
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
    fn the_calling_thread_shares_the_work() {
        // Two threads: one spawned, and the caller, which works while the
        // result it is to hand over next is not ready.
        let caller = std::thread::current().id();
        let ids = Mutex::new(Vec::new());
        map_in_order(
            40,
            n(2),
            |_| {
                ids.lock().unwrap().push(std::thread::current().id());
                std::thread::sleep(Duration::from_millis(1));
            },
            |_, ()| {},
        );
        let ids = ids.into_inner().unwrap();
        let mine = ids.iter().filter(|&&id| id == caller).count();
        assert!(mine > 0 && mine < 40, "the caller did {mine} of 40 items");
        let distinct: std::collections::HashSet<_> = ids.into_iter().collect();
        assert_eq!(
            distinct.len(),
            2,
            "two threads in all, the caller one of them"
        );
    }

    #[test]
    fn many_tiny_items_arrive_in_order() {
        // Items far quicker than a wake-up: a lost wake-up would hang here,
        // and a result handed over twice or out of order would show.
        for threads in [2, 3, 8] {
            let mut next = 0;
            map_in_order(
                20_000,
                n(threads),
                |i| i ^ 0x5555,
                |i, v| {
                    assert_eq!((i, v), (next, next ^ 0x5555));
                    next += 1;
                },
            );
            assert_eq!(next, 20_000, "{threads} threads");
        }
    }

    #[test]
    fn a_panic_on_the_calling_thread_is_passed_on_without_a_hang() {
        let caller = std::thread::current().id();
        let result = std::panic::catch_unwind(|| {
            map_in_order(
                1000,
                n(2),
                |_| {
                    std::thread::sleep(Duration::from_micros(50));
                    assert_ne!(std::thread::current().id(), caller, "boom");
                },
                |_, ()| {},
            );
        });
        assert!(result.is_err());
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
