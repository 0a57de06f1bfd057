//! Entering the pool from any thread: the caller's closure runs on whichever worker is free while the caller waits.
//!
//! No thread of the caller's process is ever a pool member, so work handed to the pool never waits for a
//! thread that may be blocked elsewhere (in Python, in `join`, in a server's accept loop). rayon's own
//! `install` from outside the pool parks the caller on a condition variable, and waking it cost about 13
//! us per call here; a caller that spins a little first sees a one-sample prediction finish without
//! sleeping. Only one waiting caller spins at a time: with many callers (a thread pool serving requests)
//! the others park at once instead of taking the cores from the workers.

use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long the first waiting caller spins before parking: a small plan (a one-sample prediction, an
/// eager op) finishes within it; a longer one pays a wake-up that is small beside its own time...
const SPIN: Duration = Duration::from_micros(50);
/// ... after which it keeps checking, giving its core to any other runnable thread between checks, until
/// this long: a stretch of a few small training steps between two Python callbacks ends within it.
const YIELD: Duration = Duration::from_micros(250);

/// Callers waiting for the pool right now; only the first of them spins.
static WAITING: AtomicUsize = AtomicUsize::new(0);

/// Runs `f` on the pool and returns its result; panics in `f` resume on the caller. On a worker thread
/// (nested use) `f` runs right there. Denormals are flushed while `f` runs, as on every worker.
pub fn install<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    if super::in_pool() {
        return f();
    }
    run_on_pool(super::pool(), f)
}

struct Done {
    flag: AtomicBool,
    caller: std::thread::Thread,
}

/// The closure and, once run, its result, on the caller's stack.
type Slot<F, R> = (Option<F>, Option<std::thread::Result<R>>);

struct SlotPtr(*mut ());
// SAFETY: the pointer is only dereferenced by the one job that runs the slot's closure, while the caller
// waits for it (see `run_on_pool`); the closure and result it reaches are `Send`.
unsafe impl Send for SlotPtr {}

fn run_on_pool<F: FnOnce() -> R + Send, R: Send>(pool: &rayon::ThreadPool, f: F) -> R {
    let mut slot: Slot<F, R> = (Some(f), None);
    let ptr = SlotPtr(&mut slot as *mut Slot<F, R> as *mut ());
    let run: unsafe fn(*mut ()) = run_slot::<F, R>;
    let done = Arc::new(Done { flag: AtomicBool::new(false), caller: std::thread::current() });
    let signal = done.clone();
    pool.spawn(move || {
        let ptr = ptr;
        // SAFETY: `slot` lives on the caller's stack until `flag` is set below: the caller does not return
        // before it sees the flag, and nothing else reads or writes the slot meanwhile.
        unsafe { run(ptr.0) };
        signal.flag.store(true, Ordering::Release);
        signal.caller.unpark();
    });
    wait(&done.flag);
    match slot.1.take() {
        Some(Ok(value)) => value,
        Some(Err(panic)) => resume_unwind(panic),
        None => unreachable!("the pool job sets the result before it signals"),
    }
}

/// # Safety
/// `p` must point to a live `Slot<F, R>` that no one else accesses until this returns.
unsafe fn run_slot<F: FnOnce() -> R, R>(p: *mut ()) {
    // SAFETY: guaranteed by the caller.
    let slot = unsafe { &mut *(p as *mut Slot<F, R>) };
    if let Some(f) = slot.0.take() {
        slot.1 = Some(catch_unwind(AssertUnwindSafe(f)));
    }
}

fn wait(flag: &AtomicBool) {
    let first = WAITING.fetch_add(1, Ordering::AcqRel) == 0;
    if first {
        let start = Instant::now();
        'spin: while start.elapsed() < YIELD {
            for _ in 0..64 {
                if flag.load(Ordering::Acquire) {
                    break 'spin;
                }
                std::hint::spin_loop();
            }
            if start.elapsed() >= SPIN {
                std::thread::yield_now();
            }
        }
    }
    while !flag.load(Ordering::Acquire) {
        // The job unparks this thread after setting the flag; the timeout only bounds a lost race.
        std::thread::park_timeout(Duration::from_millis(5));
    }
    WAITING.fetch_sub(1, Ordering::AcqRel);
}
