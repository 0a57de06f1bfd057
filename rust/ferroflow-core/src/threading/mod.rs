//! The intra-op thread pool: entered from any thread, work split among whichever threads are free, rebuilt after fork.
//!
//! Rules every kernel follows (see `DESIGN.md`, "Threads and processes"): work handed to the pool can be
//! run by any of its threads, and no step waits for one particular thread; the caller's thread is never a
//! pool member; a forked child builds its own pool.

mod enter;
mod pool;
mod split;
mod warm;

pub use enter::install;
pub use pool::{current_threads, in_pool, num_threads, pool, set_num_threads};
pub use split::{for_each_part, for_each_piece, split_rows};
pub use warm::{busy, keep_warm, note_progress, Busy, KeepWarm};

/// Below this many elements an elementwise kernel stays on the calling thread: splitting costs more. At
/// 2^16 a batch-256 step's 131K-element ops ran slower on two threads than on one (waking the idle
/// worker and sharing memory bandwidth cost more than half the work); 2^18 made that epoch 9% faster.
pub const PARALLEL_THRESHOLD: usize = 1 << 18;

/// The `i`-th of `n` contiguous parts of `0..len`, as equal as possible (the first `len % n` parts are
/// one longer).
pub fn part(len: usize, i: usize, n: usize) -> std::ops::Range<usize> {
    let (base, extra) = (len / n, len % n);
    let start = i * base + i.min(extra);
    start..start + base + usize::from(i < extra)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn parts_cover_the_range_in_order() {
        for (len, n) in [(784, 2), (10, 3), (2, 4), (0, 2)] {
            let parts: Vec<_> = (0..n).map(|i| part(len, i, n)).collect();
            assert_eq!(parts[0].start, 0);
            assert_eq!(parts[n - 1].end, len);
            for w in parts.windows(2) {
                assert_eq!(w[0].end, w[1].start);
                assert!(w[0].len() >= w[1].len() && w[0].len() <= w[1].len() + 1);
            }
        }
    }

    /// Runs `for_each_part` on the pool and returns, per part, how often it ran.
    fn run_parts(parts: usize) -> Vec<usize> {
        let counts: Vec<AtomicUsize> = (0..parts).map(|_| AtomicUsize::new(0)).collect();
        install(|| {
            for_each_part(parts, |i| {
                counts[i].fetch_add(1, Ordering::Relaxed);
            })
        });
        counts.iter().map(|c| c.load(Ordering::Relaxed)).collect()
    }

    #[test]
    fn every_part_runs_exactly_once_from_any_thread() {
        for parts in [0, 1, 2, 3, 7, 64] {
            assert_eq!(run_parts(parts), vec![1; parts]);
        }
        // Many threads entering the pool at once, each splitting its own work: nothing waits for a thread
        // that is busy with another caller's parts.
        let handles: Vec<_> = (0..16)
            .map(|t| {
                std::thread::spawn(move || {
                    (0..200).all(|r| run_parts(1 + (t + r) % 5) == vec![1; 1 + (t + r) % 5])
                })
            })
            .collect();
        assert!(handles.into_iter().all(|h| h.join().unwrap()));
    }

    #[test]
    fn parts_run_while_every_worker_is_blocked_elsewhere() {
        // Every worker but one waits on a gate; a split started on the remaining one still finishes (its
        // caller claims the parts nobody took), which a broadcast to every thread could not.
        let n = num_threads();
        let gate = std::sync::Arc::new((std::sync::Mutex::new(false), std::sync::Condvar::new()));
        let blocked = std::sync::Arc::new(AtomicUsize::new(0));
        for _ in 1..n {
            let (gate, blocked) = (gate.clone(), blocked.clone());
            pool().spawn(move || {
                blocked.fetch_add(1, Ordering::AcqRel);
                let (lock, cv) = &*gate;
                let mut open = lock.lock().unwrap();
                while !*open {
                    open = cv.wait(open).unwrap();
                }
            });
        }
        while blocked.load(Ordering::Acquire) < n - 1 {
            std::thread::yield_now();
        }
        assert_eq!(run_parts(n.max(2)), vec![1; n.max(2)]);
        *gate.0.lock().unwrap() = true;
        gate.1.notify_all();
    }

    #[test]
    fn a_panicking_part_resumes_on_the_caller_after_the_others_end() {
        let ran = AtomicUsize::new(0);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            install(|| {
                for_each_part(4, |i| {
                    ran.fetch_add(1, Ordering::Relaxed);
                    assert_ne!(i, 2, "part two fails");
                })
            })
        }));
        assert!(caught.is_err());
        assert_eq!(ran.load(Ordering::Relaxed), 4);
        assert_eq!(install(|| 7), 7, "the pool still serves after a panic");
    }

    #[test]
    fn kernels_run_while_the_other_threads_are_kept_warm() {
        install(|| {
            let warm = keep_warm();
            assert_eq!(warm.is_some(), num_threads() > 1);
            for _ in 0..100 {
                note_progress();
                assert_eq!(run_parts(num_threads()), vec![1; num_threads()]);
            }
        });
        assert_eq!(run_parts(3), vec![1; 3]);
    }

    #[test]
    fn a_caller_outside_the_pool_shares_parts_with_spinning_workers() {
        // A plan run on its caller's thread (a one-sample prediction through the C API) holding a
        // `KeepWarm`: the caller claims parts alongside the spinning workers, each part runs once, a panic
        // resumes on the caller, and the pool still serves afterwards.
        let warm = keep_warm();
        assert!(!in_pool());
        for round in 0..200 {
            note_progress();
            let parts = 1 + round % 9;
            let counts: Vec<AtomicUsize> = (0..parts).map(|_| AtomicUsize::new(0)).collect();
            for_each_part(parts, |i| {
                counts[i].fetch_add(1, Ordering::Relaxed);
            });
            assert!(counts.iter().all(|c| c.load(Ordering::Relaxed) == 1), "round {round}");
        }
        // The last part fails: every part runs whether a spinner helped (parts claimed on both sides) or not
        // (no spinner up yet: the parts run in order on the caller, and a panic ends the sequence).
        let ran = AtomicUsize::new(0);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            for_each_part(6, |i| {
                ran.fetch_add(1, Ordering::Relaxed);
                assert_ne!(i, 5, "the last part fails");
            })
        }));
        assert!(caught.is_err());
        assert_eq!(ran.load(Ordering::Relaxed), 6);
        drop(warm);
        assert_eq!(install(|| 7), 7);
    }

    #[test]
    fn outside_the_pool_kernels_see_one_thread() {
        assert_eq!(current_threads(), 1);
        assert!(!in_pool());
        assert_eq!(install(current_threads), num_threads());
    }
}
