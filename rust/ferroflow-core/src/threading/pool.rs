//! The pool's lifecycle: built on first use with the requested thread count, and built anew in a forked child.
//!
//! The pool is reached without a lock (an atomic pointer to a leaked record), so a `fork` made while another
//! thread is looking it up cannot leave the child waiting on a lock that no thread of the child will ever
//! release. A record names the process that built it: a child made by `fork` has none of the parent's
//! worker threads, finds the parent's record stale and builds its own pool, as PyTorch and OpenBLAS do. The
//! parent's record is left allocated in the child (dropping its pool would signal threads that do not exist
//! there).
//!
//! "Stale" is decided by a fork count that a `pthread_atfork` handler raises in every child, not by the
//! pid: `getpid` is a system call, and the look-up runs several times per one-sample prediction (about
//! 0.3 us of a 7 us run through the C API). Where the handler cannot be registered, the pid decides.

use std::sync::atomic::{AtomicPtr, AtomicU32, AtomicU8, AtomicUsize, Ordering};

struct Current {
    pid: u32,
    forks: u32,
    pool: rayon::ThreadPool,
}

static CURRENT: AtomicPtr<Current> = AtomicPtr::new(std::ptr::null_mut());
/// The pid of the process whose thread is building a pool right now (0: none). A value from another
/// process is stale (it was copied by `fork` mid-build) and counts as free.
static BUILDING: AtomicU32 = AtomicU32::new(0);
static REQUESTED_THREADS: AtomicUsize = AtomicUsize::new(0);
/// Forks that led to this process (raised in the child by the handler `register_fork_handler` registers).
static FORKS: AtomicU32 = AtomicU32::new(0);

/// Whether the fork handler is registered (then `FORKS` tells a child from its parent): 0 not tried yet,
/// 1 registered, 2 failed. An atomic rather than a `OnceLock`: a `fork` in the middle of a `OnceLock`'s
/// initialisation would leave the child's look-ups waiting for a thread it does not have.
static HANDLER: AtomicU8 = AtomicU8::new(0);

/// Registers the fork handler; called only by the thread building a pool (see `BUILDING`), before the record
/// is visible, so a fork after the record exists is always counted.
fn register_fork_handler() {
    if HANDLER.load(Ordering::Acquire) != 0 {
        return; // inherited from the parent along with the handler itself
    }
    #[cfg(unix)]
    let registered = {
        extern "C" fn in_child() {
            // Async-signal-safe: one atomic add, in the child's only thread.
            FORKS.fetch_add(1, Ordering::AcqRel);
        }
        // SAFETY: registers a handler that touches only an atomic; no other precondition.
        unsafe { libc::pthread_atfork(None, None, Some(in_child)) == 0 }
    };
    #[cfg(not(unix))]
    let registered = false;
    HANDLER.store(if registered { 1 } else { 2 }, Ordering::Release);
}

/// The pool of this process, built on first use.
pub fn pool() -> &'static rayon::ThreadPool {
    if let Some(current) = current() {
        return current;
    }
    let pid = std::process::id();
    loop {
        if let Some(current) = current() {
            return current;
        }
        let seen = BUILDING.load(Ordering::Acquire);
        let free = seen == 0 || seen != pid;
        if free && BUILDING.compare_exchange(seen, pid, Ordering::AcqRel, Ordering::Acquire).is_ok() {
            // Another thread may have finished building between the check above and the claim.
            if current().is_none() {
                register_fork_handler();
                let forks = FORKS.load(Ordering::Acquire);
                let record = Box::leak(Box::new(Current { pid, forks, pool: build(wanted_threads()) }));
                CURRENT.store(record, Ordering::Release);
            }
            BUILDING.store(0, Ordering::Release);
        } else {
            std::thread::yield_now(); // another thread of this process is building it (a few hundred us)
        }
    }
}

/// This process's pool, if it has built one.
fn current() -> Option<&'static rayon::ThreadPool> {
    let ptr = CURRENT.load(Ordering::Acquire);
    // SAFETY: records are leaked, never freed: a non-null pointer stays valid for the process's lifetime.
    let current = unsafe { ptr.as_ref() }?;
    let ours = if HANDLER.load(Ordering::Acquire) == 1 {
        current.forks == FORKS.load(Ordering::Acquire)
    } else {
        current.pid == std::process::id()
    };
    ours.then_some(&current.pool)
}

fn build(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("ferroflow-{i}"))
        .start_handler(|_| crate::denormals::flush_denormals_on_this_thread())
        .build()
        .unwrap_or_else(|_| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .thread_name(|i| format!("ferroflow-{i}"))
                .start_handler(|_| crate::denormals::flush_denormals_on_this_thread())
                .build()
                .expect("a one-thread pool always builds")
        })
}

/// Asks for `n` intra-op threads (0 = the default). It takes effect when this process has not built its
/// pool yet (before the first op, or in a forked child before its first op), as in TensorFlow; afterwards
/// only a request for the current count succeeds. Returns whether the request holds.
pub fn set_num_threads(n: usize) -> bool {
    match current() {
        Some(pool) => n == 0 || n == pool.current_num_threads(),
        None => {
            REQUESTED_THREADS.store(n, Ordering::Relaxed);
            true
        }
    }
}

/// The number of threads of the pool (building it if needed).
pub fn num_threads() -> usize {
    if in_pool() {
        return rayon::current_num_threads();
    }
    pool().current_num_threads()
}

/// Whether the calling thread is one of the pool's workers (then work runs on it directly).
pub fn in_pool() -> bool {
    rayon::current_thread_index().is_some()
}

/// How many threads a kernel running on the calling thread may split its work across: the pool's size on
/// a worker, 1 elsewhere (a small op run inline on a caller's thread stays there).
pub fn current_threads() -> usize {
    if in_pool() {
        rayon::current_num_threads()
    } else {
        1
    }
}

/// `set_num_threads`, else `RAYON_NUM_THREADS`, else one thread per core the process may use.
fn wanted_threads() -> usize {
    let requested = REQUESTED_THREADS.load(Ordering::Relaxed);
    if requested > 0 {
        return requested;
    }
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}
