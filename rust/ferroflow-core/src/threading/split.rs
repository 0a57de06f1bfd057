//! Splitting a kernel into parts that whichever pool threads are free run, each thread taking its own part first.
//!
//! The dense-layer kernels split a weight's rows into one part per thread and want thread i to handle
//! part i on every step, so that the rows the fused Adam step just wrote are still in that core's cache
//! when the next product reads them. A broadcast gave that, but it waits for every thread of the pool,
//! and a thread that is busy elsewhere or descheduled by the OS stalls the step (or, if it never comes,
//! hangs it). Here the calling thread and helper jobs claim parts: each claims the part with its own
//! index first, then any part still unclaimed. The caller never waits for a part that no thread has
//! started, since it claims those itself; it only waits for parts that are running. While it waits it
//! does not run other pool jobs: a kernel may hold a variable's lock here, and a job that blocked on
//! that lock on top of it would never let it resume.

use std::any::Any;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Runs `f(i)` for every `i` in `0..parts`, in parallel on the pool when called from a pool thread and
/// `parts > 1`; with one part per thread, part `i` runs on thread `i` when that thread is free, and with
/// more, thread `t` takes the `t`-th block of them first. Outside the pool (a plan small enough to run on
/// its caller's thread, such as a one-sample prediction) the caller runs the parts itself, helped by the
/// pool only while its other threads are polling for work (`warm::spinning`): handing a part to a sleeping
/// worker costs a wake-up longer than such a part. A panic in any part resumes on the caller after every
/// started part ended.
pub fn for_each_part(parts: usize, f: impl Fn(usize) + Sync) {
    let outside = !super::in_pool();
    let threads = if !outside {
        rayon::current_num_threads()
    } else if parts > 1 && super::warm::spinning() {
        super::num_threads()
    } else {
        1
    };
    if parts <= 1 || threads < 2 {
        (0..parts).for_each(f);
        return;
    }
    let body: &(dyn Fn(usize) + Sync) = &f;
    // SAFETY: the lifetime is erased so that helper jobs (which must be 'static) can hold the pointer. A
    // helper dereferences it only after claiming a part, and this function returns only after every
    // claimed part has finished, so no dereference outlives `f`.
    let body: &'static (dyn Fn(usize) + Sync) = unsafe { std::mem::transmute(body) };
    let shared = Arc::new(Parts {
        claimed: (0..parts).map(|_| AtomicBool::new(false)).collect(),
        finished: AtomicUsize::new(0),
        panic: Mutex::new(None),
        body: BodyPtr(body),
    });
    // With several parts per thread, thread t starts at the t-th block of them: the same rows on every
    // step while no thread is held up, and the others' leftovers when one is (a busy core). A caller outside
    // the pool takes the first block and its helpers the next ones.
    let first_part = move |thread: usize| thread * parts / threads;
    for helper_index in 1..parts.min(threads) {
        let helper = shared.clone();
        if outside {
            super::pool().spawn(move || helper.run_claims(first_part(helper_index)));
        } else {
            rayon::spawn(move || helper.run_claims(first_part(rayon::current_thread_index().unwrap_or(0))));
        }
    }
    shared.run_claims(if outside { 0 } else { first_part(rayon::current_thread_index().unwrap_or(0)) });
    let mut spins = 0u32;
    while shared.finished.load(Ordering::Acquire) < parts {
        spins += 1;
        if spins.is_multiple_of(64) {
            // A helper running a part may share this core with us (a busy machine): let it run.
            std::thread::yield_now();
        } else {
            std::hint::spin_loop();
        }
    }
    let panic = shared.panic.lock().unwrap_or_else(|p| p.into_inner()).take();
    if let Some(panic) = panic {
        resume_unwind(panic);
    }
}

/// Runs `f(i, piece)` for each of `pieces`, split as `for_each_part` splits parts: piece `i` is moved to the
/// one thread that runs part `i` (the mutable slices of a kernel's output, say).
pub fn for_each_piece<P: Send>(pieces: Vec<P>, f: impl Fn(usize, P) + Sync) {
    let slots: Vec<Mutex<Option<P>>> = pieces.into_iter().map(|p| Mutex::new(Some(p))).collect();
    for_each_part(slots.len(), |i| {
        let piece = slots[i].lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(piece) = piece {
            f(i, piece);
        }
    });
}

/// `data` cut into `n` contiguous pieces of whole `row`-element rows, the rows divided as `part` divides them.
pub fn split_rows<T>(data: &mut [T], row: usize, n: usize) -> Vec<&mut [T]> {
    let rows = data.len() / row.max(1);
    let mut pieces = Vec::with_capacity(n);
    let mut rest = data;
    for i in 0..n {
        let (piece, tail) = std::mem::take(&mut rest).split_at_mut(super::part(rows, i, n).len() * row);
        pieces.push(piece);
        rest = tail;
    }
    pieces
}

struct BodyPtr(&'static (dyn Fn(usize) + Sync));

struct Parts {
    claimed: Vec<AtomicBool>,
    finished: AtomicUsize,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
    body: BodyPtr,
}

impl Parts {
    /// Claims and runs parts, `preferred` first, until none is left.
    fn run_claims(&self, preferred: usize) {
        let n = self.claimed.len();
        for offset in 0..n {
            let i = (preferred + offset) % n;
            if self.claimed[i].swap(true, Ordering::AcqRel) {
                continue;
            }
            let body = self.body.0;
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| body(i))) {
                self.panic.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(panic);
            }
            self.finished.fetch_add(1, Ordering::AcqRel);
        }
    }
}
