//! The one rayon thread pool every kernel runs on, sized once from the environment or the Python config.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
static REQUESTED_THREADS: AtomicUsize = AtomicUsize::new(0);

/// Below this many elements an elementwise kernel stays on the calling thread: splitting costs more.
pub const PARALLEL_THRESHOLD: usize = 1 << 16;

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
        let requested = REQUESTED_THREADS.load(Ordering::Relaxed);
        let mut builder = rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("ferroflow-{i}"))
            .start_handler(|_| crate::denormals::flush_denormals_on_this_thread());
        if requested > 0 {
            builder = builder.num_threads(requested);
        }
        // RAYON_NUM_THREADS is honoured by the builder itself when num_threads is not set.
        builder.build().unwrap_or_else(|_| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .start_handler(|_| crate::denormals::flush_denormals_on_this_thread())
                .build()
                .expect("a one-thread pool always builds")
        })
    })
}

/// Runs `f` inside the shared pool, so nested rayon calls (kernels, gemm) use its threads.
pub fn install<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    pool().install(f)
}
