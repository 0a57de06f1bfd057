//! The one rayon thread pool every kernel runs on, sized once from the environment or the Python config.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
static REQUESTED_THREADS: AtomicUsize = AtomicUsize::new(0);

/// Below this many elements an elementwise kernel stays on the calling thread: splitting costs more. At
/// 2^16 a batch-256 step's 131K-element ops ran slower on two threads than on one (waking the idle
/// worker and sharing memory bandwidth cost more than half the work); 2^18 made that epoch 9% faster.
pub const PARALLEL_THRESHOLD: usize = 1 << 18;

/// Asks for `n` intra-op threads (0 = default). Only effective before the pool is first used, as in
/// TensorFlow; returns whether the request took effect.
pub fn set_num_threads(n: usize) -> bool {
    if POOL.get().is_some() {
        return n == 0 || n == pool().current_num_threads();
    }
    REQUESTED_THREADS.store(n, Ordering::Relaxed);
    true
}

/// The number of threads of the pool (creating it if needed).
pub fn num_threads() -> usize {
    pool().current_num_threads()
}

/// The shared pool: `set_num_threads`, else `RAYON_NUM_THREADS`, else one thread per core.
pub fn pool() -> &'static rayon::ThreadPool {
    POOL.get_or_init(|| {
        let threads = wanted_threads();
        let mut builder = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("ferroflow-{i}"))
            .start_handler(|_| crate::denormals::flush_denormals_on_this_thread());
        // The process's main thread (where Python code usually runs) becomes one of the pool's threads, so
        // a plan run from it starts at once instead of waking a sleeping worker (10-30 us, which dominated
        // one-sample predict and tiny training steps). Other threads' work still goes to the spawned
        // workers, so there must be at least one: with a single thread the pool keeps its own.
        if threads >= 2 && is_process_main_thread() {
            builder = builder.use_current_thread();
        }
        builder.build().unwrap_or_else(|_| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .start_handler(|_| crate::denormals::flush_denormals_on_this_thread())
                .build()
                .expect("a one-thread pool always builds")
        })
    })
}

/// `set_num_threads`, else `RAYON_NUM_THREADS`, else one thread per core.
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

/// Whether the calling thread is the process's first thread (Linux: its thread id equals the process id).
fn is_process_main_thread() -> bool {
    std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|p| p.file_name().and_then(|t| t.to_str()).and_then(|t| t.parse::<u32>().ok()))
        .is_some_and(|tid| tid == std::process::id())
}

/// Runs `f` inside the shared pool, so nested rayon calls (kernels, gemm) use its threads. Denormals are
/// flushed while `f` runs, also when it runs inline on the caller's thread, whose setting is restored.
pub fn install<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    pool().install(|| {
        let _flush = crate::denormals::FlushDenormalsScope::new();
        f()
    })
}

/// Runs `f(i, n)` once on each of the pool's `n` threads and collects the results in thread order.
/// Thread `i` gets the same index on every call, so kernels that split a variable's rows by index (the
/// fused Adam step, then the next step's product with the updated weights) find their part in the
/// core's own cache instead of fetching it from the other core's.
pub fn on_each_thread<R: Send>(f: impl Fn(usize, usize) -> R + Sync) -> Vec<R> {
    pool().broadcast(|ctx| f(ctx.index(), ctx.num_threads()))
}

/// The `i`-th of `n` contiguous parts of `0..len`, as equal as possible (the first `len % n` parts are
/// one longer).
pub fn part(len: usize, i: usize, n: usize) -> std::ops::Range<usize> {
    let (base, extra) = (len / n, len % n);
    let start = i * base + i.min(extra);
    start..start + base + usize::from(i < extra)
}

/// While alive, the pool's other threads poll for work instead of sleeping (see `keep_warm`).
pub struct KeepWarm {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Drop for KeepWarm {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
    }
}

/// Keeps the pool's other threads polling for work until the guard drops, for a loop of plan runs (the
/// training batch loop). A rayon worker that finds no work sleeps after a few dozen yields, and waking it
/// costs 10-50 us in a virtual machine: in a batch-32 step, whose few parallel kernels are separated by
/// tens of microseconds of small single-threaded ops, that cost was paid at every parallel kernel. The
/// polling threads run whatever the pool is given (kernel broadcasts, stolen halves of splits), so
/// nothing waits on them; they spend their core while the loop runs, as BLAS and TF thread pools do.
pub fn keep_warm() -> Option<KeepWarm> {
    let pool = pool();
    if pool.current_num_threads() < 2 {
        return None;
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let caller = pool.current_thread_index();
    let flag = stop.clone();
    pool.spawn_broadcast(move |ctx| {
        // Never on the caller's own thread: it is the one that will set `stop`.
        if Some(ctx.index()) == caller {
            return;
        }
        while !flag.load(Ordering::Acquire) {
            if rayon::yield_now() != Some(rayon::Yield::Executed) {
                std::hint::spin_loop();
            }
        }
    });
    Some(KeepWarm { stop })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn kernels_run_while_the_other_threads_are_kept_warm() {
        let warm = keep_warm();
        assert_eq!(warm.is_some(), num_threads() > 1);
        for _ in 0..100 {
            assert_eq!(install(|| on_each_thread(|i, _| i)), (0..num_threads()).collect::<Vec<_>>());
        }
        drop(warm);
        assert_eq!(install(|| on_each_thread(|i, _| i)).len(), num_threads());
    }

    #[test]
    fn each_thread_runs_once_with_a_stable_index() {
        let first = install(|| on_each_thread(|i, n| (i, n, std::thread::current().id())));
        let second = install(|| on_each_thread(|i, n| (i, n, std::thread::current().id())));
        assert_eq!(first.len(), num_threads());
        assert_eq!(first, second);
        for (k, (i, n, _)) in first.iter().enumerate() {
            assert_eq!((*i, *n), (k, num_threads()));
        }
    }
}
