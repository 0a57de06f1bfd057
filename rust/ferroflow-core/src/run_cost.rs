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

/// Nanoseconds occupy the low 40 bits (18 minutes), then one bit says whether the run was on the caller's
/// thread, and rows take the high 23: one atomic, so concurrent runs of a plan never read a torn record.
const NANOS_BITS: u32 = 40;
const NANOS_MASK: u64 = (1 << NANOS_BITS) - 1;
const INLINE_BIT: u64 = 1 << NANOS_BITS;
const ROWS_SHIFT: u32 = NANOS_BITS + 1;
const ROWS_MAX: u64 = (1 << (64 - ROWS_SHIFT)) - 1;

/// The last measured run of a plan: nanoseconds, where it ran, and the rows it ran on (0 = none yet).
#[derive(Debug, Default)]
pub struct RunCost(AtomicU64);

impl Clone for RunCost {
    fn clone(&self) -> Self {
        RunCost(AtomicU64::new(self.0.load(Ordering::Relaxed)))
    }
}

impl RunCost {
    /// Whether a run on `rows` rows should stay on the calling thread: its estimate is below
    /// `INLINE_BELOW`, or below twice that when the last run already stayed (serial times are the longer
    /// ones, and a run preempted once should not send the next one through a sleeping worker). Unknown
    /// (nothing measured yet) counts as large, so the first run goes to the pool and is measured there.
    pub fn is_small(&self, rows: usize) -> bool {
        let packed = self.0.load(Ordering::Relaxed);
        let (nanos, last_rows) = (packed & NANOS_MASK, packed >> ROWS_SHIFT);
        if last_rows == 0 {
            return false;
        }
        // Work grows about linearly with the rows; fewer rows than measured are taken to cost the same
        // (fixed per-run costs dominate small runs).
        let scale = (rows.max(1) as u64).div_ceil(last_rows);
        let limit = INLINE_BELOW.as_nanos() as u64 * if packed & INLINE_BIT != 0 { 2 } else { 1 };
        nanos.saturating_mul(scale) < limit
    }

    /// Records a run on `rows` rows that took `elapsed`, on the caller's thread (`inline`) or on the pool.
    pub fn record(&self, rows: usize, elapsed: Duration, inline: bool) {
        let nanos = (elapsed.as_nanos() as u64).min(NANOS_MASK);
        let rows = (rows.max(1) as u64).min(ROWS_MAX);
        let inline = if inline { INLINE_BIT } else { 0 };
        self.0.store(rows << ROWS_SHIFT | inline | nanos, Ordering::Relaxed);
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
        cost.record(1, Duration::from_micros(10), false);
        assert!(cost.is_small(1));
        assert!(cost.is_small(5), "5 rows at 10 us a row is 50 us");
        assert!(!cost.is_small(64), "64 rows at 10 us a row is 640 us");
        cost.record(64, Duration::from_micros(640), false);
        assert!(!cost.is_small(1), "fewer rows than measured are taken to cost the measured run");
        cost.record(1, Duration::from_micros(12), false);
        assert!(cost.is_small(1), "a run on the pool measures the small case afresh");
    }

    #[test]
    fn a_run_that_stayed_inline_keeps_doing_so_up_to_twice_the_limit() {
        let cost = RunCost::default();
        cost.record(8, Duration::from_micros(150), true);
        assert!(cost.is_small(8), "150 us on the caller's thread: stays there");
        cost.record(8, Duration::from_micros(150), false);
        assert!(!cost.is_small(8), "150 us on the pool: stays on the pool");
        cost.record(8, Duration::from_micros(250), true);
        assert!(!cost.is_small(8), "250 us serial: worth the pool");
    }

    #[test]
    fn extreme_values_saturate_instead_of_wrapping() {
        let cost = RunCost::default();
        cost.record(usize::MAX, Duration::from_secs(10_000), true);
        assert!(!cost.is_small(1));
        assert!(!cost.is_small(usize::MAX));
    }
}
