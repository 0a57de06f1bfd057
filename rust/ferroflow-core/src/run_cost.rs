//! How long a plan's recent run took, so that a small plan runs on the caller's thread instead of paying the hand-off to the pool.
//!
//! Handing a run to a pool worker and waiting for it costs a wake-up on each side (tens of microseconds
//! when the worker sleeps), as much as a one-sample predict or a tiny model's training step takes in all.
//! A plan remembers how long its last run took and for how many rows; a run whose estimate is below
//! `INLINE_BELOW` stays on the calling thread, where its kernels run serially (`current_threads() == 1`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Runs estimated to take less than this run on the caller's thread. A sleeping worker takes 20-40 us to
/// wake and the caller as long to be woken; below ~100 us of serial work the two threads cannot win that back.
pub const INLINE_BELOW: Duration = Duration::from_micros(100);

/// Nanoseconds occupy the low 40 bits (18 minutes), rows the high 24: one atomic, so concurrent runs of the
/// same plan never read a torn pair.
const NANOS_BITS: u32 = 40;
const NANOS_MASK: u64 = (1 << NANOS_BITS) - 1;
const ROWS_MAX: u64 = (1 << (64 - NANOS_BITS)) - 1;

/// The last measured run of a plan: nanoseconds and the rows it ran on (0 = none yet).
#[derive(Debug, Default)]
pub struct RunCost(AtomicU64);

impl Clone for RunCost {
    fn clone(&self) -> Self {
        RunCost(AtomicU64::new(self.0.load(Ordering::Relaxed)))
    }
}

impl RunCost {
    /// Whether a run on `rows` rows is expected to take less than `INLINE_BELOW` on one thread. Unknown
    /// (nothing measured yet) counts as large, so the first run goes to the pool and is measured there.
    pub fn is_small(&self, rows: usize) -> bool {
        let packed = self.0.load(Ordering::Relaxed);
        let (nanos, last_rows) = (packed & NANOS_MASK, packed >> NANOS_BITS);
        if last_rows == 0 {
            return false;
        }
        // Work grows about linearly with the rows; fewer rows than measured are taken to cost the same
        // (fixed per-run costs dominate small runs).
        let scale = (rows.max(1) as u64).div_ceil(last_rows);
        nanos.saturating_mul(scale) < INLINE_BELOW.as_nanos() as u64
    }

    /// Records a run on `rows` rows that took `elapsed`, on the pool or on the caller. A plan whose run
    /// takes about `INLINE_BELOW` may then alternate between the two; either costs about the same there.
    pub fn record(&self, rows: usize, elapsed: Duration) {
        let nanos = (elapsed.as_nanos() as u64).min(NANOS_MASK);
        let rows = (rows.max(1) as u64).min(ROWS_MAX);
        self.0.store(rows << NANOS_BITS | nanos, Ordering::Relaxed);
    }
}

/// The rows of a run: the largest leading dimension among its feeds (1 for scalars or no feeds).
pub fn rows_of(feeds: &[crate::tensor::Tensor]) -> usize {
    feeds.iter().filter_map(|t| t.shape().first().copied()).max().unwrap_or(1).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_plans_go_to_the_pool_and_small_ones_stay_inline() {
        let cost = RunCost::default();
        assert!(!cost.is_small(1));
        cost.record(1, Duration::from_micros(10));
        assert!(cost.is_small(1));
        assert!(cost.is_small(5), "5 rows at 10 us a row is 50 us");
        assert!(!cost.is_small(64), "64 rows at 10 us a row is 640 us");
        cost.record(64, Duration::from_micros(640));
        assert!(!cost.is_small(1), "fewer rows than measured are taken to cost the measured run");
        cost.record(1, Duration::from_micros(12));
        assert!(cost.is_small(1), "a run on the pool measures the small case afresh");
    }

    #[test]
    fn extreme_values_saturate_instead_of_wrapping() {
        let cost = RunCost::default();
        cost.record(usize::MAX, Duration::from_secs(10_000));
        assert!(!cost.is_small(1));
        assert!(!cost.is_small(usize::MAX));
    }
}
