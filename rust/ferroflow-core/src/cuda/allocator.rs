//! The caching device allocator: freed blocks are kept by size class and handed out again, so a training
//! loop in steady state makes no `cuMemAlloc` call (PyTorch's and TensorFlow's allocators do the same).

use crate::error::{Error, Result};
use cudarc::driver::{result, sys::CUdeviceptr};
use std::collections::HashMap;
use std::sync::Mutex;

/// Bytes in use (handed out and not yet returned) and their high-water mark since the last reset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemoryStats {
    pub current: usize,
    pub peak: usize,
    /// Bytes held from the driver: in use plus cached.
    pub reserved: usize,
}

#[derive(Default)]
struct State {
    idle: HashMap<usize, Vec<CUdeviceptr>>,
    stats: MemoryStats,
}

#[derive(Default)]
pub struct Allocator {
    state: Mutex<State>,
}

/// The size a request is served with: 512-byte steps up to 1 MiB, then for sizes in (2^k, 2^(k+1)] steps of
/// 2^k / 8 (at most 12.5% unused), so that slightly different sizes share blocks.
pub fn size_class(bytes: usize) -> usize {
    let bytes = bytes.max(1);
    if bytes <= 1 << 20 {
        return bytes.div_ceil(512) * 512;
    }
    let step = (1usize << (usize::BITS - 1 - (bytes - 1).leading_zeros())) / 8;
    bytes.div_ceil(step) * step
}

impl Allocator {
    /// A block of at least `bytes`, from the cache when one of its class is idle. The caller's context must be
    /// current on this thread. Work queued on the device's one compute stream before the block was returned
    /// finishes before work queued after it is handed out again, so reuse needs no synchronization.
    pub fn allocate(&self, bytes: usize, device_name: &str) -> Result<(CUdeviceptr, usize)> {
        let class = size_class(bytes);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let cached = state.idle.get_mut(&class).and_then(Vec::pop);
        let ptr = match cached {
            Some(ptr) => ptr,
            None => {
                // SAFETY: a plain allocation; the block is freed only by `empty_cache` or at exit.
                let fresh = unsafe { result::malloc_sync(class) };
                let ptr = match fresh {
                    Ok(ptr) => ptr,
                    Err(_) => {
                        // Out of memory with blocks idle in other classes: give those back and try once more.
                        Self::release_idle(&mut state);
                        unsafe { result::malloc_sync(class) }.map_err(|e| {
                            Error::out_of_memory(format!(
                                "{device_name} is out of memory allocating {class} bytes ({} in use): {e:?}",
                                state.stats.current
                            ))
                        })?
                    }
                };
                state.stats.reserved += class;
                ptr
            }
        };
        state.stats.current += class;
        state.stats.peak = state.stats.peak.max(state.stats.current);
        Ok((ptr, class))
    }

    /// Returns a block to the cache.
    pub fn release(&self, ptr: CUdeviceptr, class: usize) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.stats.current -= class;
        state.idle.entry(class).or_default().push(ptr);
    }

    /// Frees every idle block (the caller has synchronized the device).
    pub fn empty_cache(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        Self::release_idle(&mut state);
    }

    fn release_idle(state: &mut State) {
        for (class, ptrs) in state.idle.drain() {
            for ptr in ptrs {
                // SAFETY: idle blocks are owned by the cache alone.
                if unsafe { result::free_sync(ptr) }.is_ok() {
                    state.stats.reserved -= class;
                }
            }
        }
    }

    pub fn stats(&self) -> MemoryStats {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).stats
    }

    /// Starts the high-water mark again from the bytes in use now (`tf.config.experimental.reset_memory_stats`).
    pub fn reset_peak(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.stats.peak = state.stats.current;
    }
}

#[cfg(test)]
mod tests {
    use super::size_class;

    #[test]
    fn size_classes_round_up_with_bounded_waste() {
        assert_eq!(size_class(0), 512);
        assert_eq!(size_class(1), 512);
        assert_eq!(size_class(513), 1024);
        assert_eq!(size_class(1 << 20), 1 << 20);
        for bytes in [(1 << 20) + 1, 3_000_000, 100_000_000, 123_456_789] {
            let class = size_class(bytes);
            assert!(class >= bytes && (class - bytes) * 8 <= bytes, "{bytes} -> {class}");
            assert_eq!(size_class(class), class, "a class is its own class");
        }
    }
}
