//! Keeping the pool's other threads polling for work during a loop of plan runs (the fit and predict loops).
//!
//! A rayon worker that finds no work sleeps after a few dozen yields, and waking it cost 10-50 us in a
//! virtual machine: in a batch-32 step, whose few parallel kernels are separated by tens of microseconds
//! of small single-threaded ops, that cost was paid at every parallel kernel. While a loop holds a
//! `KeepWarm`, each other worker runs a spinner job that executes whatever the pool is given (helper
//! parts, stolen halves of splits, other callers' plans) and polls in between, as BLAS and TensorFlow
//! thread pools do.
//!
//! A spinner only ever delays work, never blocks it for good: it stops once no plan step has run for
//! `LIFETIME` (the deadline moves with every step of a loop holding a `KeepWarm`, `note_progress`; it
//! outlives the loop by that much, the gap to the loop's next visit to the pool) and in any case after
//! `MAX_AGE`. That
//! bound matters because a worker waiting inside a rayon `join` may pick up its spinner job on top of the
//! half it waits for; the spinner then ends within those bounds and the half resumes. When idle, a
//! spinner yields its core to the OS every few polls, so on a busy machine another process (or a thread
//! of ours sharing the core) gets to run.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long a spinner outlives the last plan step...
const LIFETIME: Duration = Duration::from_millis(2);
/// ... and how long it runs at most (a loop's next batch starts another).
const MAX_AGE: Duration = Duration::from_millis(50);

/// Active `KeepWarm` guards in the process.
static GUARDS: AtomicUsize = AtomicUsize::new(0);
/// Spinners running now.
static SPINNERS: AtomicUsize = AtomicUsize::new(0);
/// Until when (nanoseconds since `epoch()`) spinners keep polling.
static DEADLINE: AtomicU64 = AtomicU64::new(0);
/// When spinners were last asked for (nanoseconds since `epoch()`, or `NEVER`), so they are asked for at
/// most twice a lifetime.
static LAST_SPAWN: AtomicU64 = AtomicU64::new(NEVER);
const NEVER: u64 = u64::MAX;

thread_local! {
    /// Whether this worker runs a spinner already (a second one, picked up inside the first, returns).
    static SPINNING: Cell<bool> = const { Cell::new(false) };
    /// How many plan runs or loops this thread is inside: a spinner picked up in their waits returns.
    static BUSY: Cell<u32> = const { Cell::new(0) };
}

/// Marks the calling thread as running a plan (or a loop of them) until dropped. A rayon worker waiting
/// inside a plan's kernel may pick up a spinner job meant for its idle moments; on a marked thread the
/// spinner returns at once instead of holding the plan up until its deadline.
pub struct Busy(std::marker::PhantomData<*const ()>);

/// See `Busy`.
pub fn busy() -> Busy {
    BUSY.with(|b| b.set(b.get() + 1));
    Busy(std::marker::PhantomData)
}

impl Drop for Busy {
    fn drop(&mut self) {
        BUSY.with(|b| b.set(b.get() - 1));
    }
}

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn now_ns() -> u64 {
    epoch().elapsed().as_nanos() as u64
}

/// While alive, the pool's other threads poll for work instead of sleeping, and the thread holding it
/// counts as busy (see `Busy`).
pub struct KeepWarm {
    _busy: Busy,
}

impl Drop for KeepWarm {
    fn drop(&mut self) {
        GUARDS.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Keeps the pool's other threads polling for work until the guard drops (None with a one-thread pool).
pub fn keep_warm() -> Option<KeepWarm> {
    if super::num_threads() < 2 {
        return None;
    }
    GUARDS.fetch_add(1, Ordering::AcqRel);
    LAST_SPAWN.store(NEVER, Ordering::Release);
    keep_polling();
    Some(KeepWarm { _busy: busy() })
}

/// Whether some of the pool's threads are polling for work now (a part handed to them starts at once).
pub(super) fn spinning() -> bool {
    SPINNERS.load(Ordering::Acquire) > 0
}

/// While a loop holds a `KeepWarm`, moves the spinners' deadline on and replaces spinners that have ended.
/// The executor calls it at every plan step, so a step longer than `LIFETIME` keeps its helpers polling and
/// the loops need no calls of their own. One atomic load when no loop is running.
#[inline]
pub fn note_progress() {
    if GUARDS.load(Ordering::Relaxed) > 0 {
        keep_polling();
    }
}

fn keep_polling() {
    let now = now_ns();
    DEADLINE.store(now + LIFETIME.as_nanos() as u64, Ordering::Release);
    let wanted = super::num_threads().saturating_sub(1);
    let last = LAST_SPAWN.load(Ordering::Acquire);
    let due = last == NEVER || now.saturating_sub(last) >= LIFETIME.as_nanos() as u64 / 2;
    if SPINNERS.load(Ordering::Acquire) < wanted
        && due
        && LAST_SPAWN.compare_exchange(last, now, Ordering::AcqRel, Ordering::Acquire).is_ok()
    {
        spawn_spinners(wanted);
    }
}

/// Starts spinners on up to `wanted` of the pool's threads: one fewer than the pool has, so that with a
/// caller outside the pool (the C API's, running a small plan itself) caller and spinners together take
/// no more threads than the machine has cores.
fn spawn_spinners(wanted: usize) {
    let caller = rayon::current_thread_index();
    super::pool().spawn_broadcast(move |ctx| {
        // Never on the thread that asked: it runs the loop.
        if Some(ctx.index()) == caller || BUSY.with(|b| b.get()) > 0 || SPINNING.with(|s| s.replace(true)) {
            return;
        }
        if SPINNERS.fetch_add(1, Ordering::AcqRel) >= wanted {
            SPINNERS.fetch_sub(1, Ordering::AcqRel);
            SPINNING.with(|s| s.set(false));
            return;
        }
        spin();
        SPINNERS.fetch_sub(1, Ordering::AcqRel);
        SPINNING.with(|s| s.set(false));
    });
}

fn spin() {
    let started = now_ns();
    let end_of_life = started + MAX_AGE.as_nanos() as u64;
    let mut idle = 0u32;
    loop {
        if rayon::yield_now() == Some(rayon::Yield::Executed) {
            idle = 0;
            continue;
        }
        idle += 1;
        if idle.is_multiple_of(16) {
            let now = now_ns();
            // Past the loop's end the spinner lingers until the deadline: the next stretch of batches
            // (after a Python callback) or the next prediction then starts without waking a worker.
            if now >= DEADLINE.load(Ordering::Acquire) || now >= end_of_life {
                return;
            }
            std::thread::yield_now();
        } else {
            std::hint::spin_loop();
        }
    }
}
