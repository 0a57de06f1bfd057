//! Large float32 buffers of a plan's dead intermediates, kept for the kernels that overwrite every
//! element of their output: a training step's large outputs then skip the allocator's zero fill.
//!
//! Every fresh output used to be zero-filled by `try_alloc` before the kernel overwrote it. For a
//! batch-256 `Dense(512)` step that is four 512 KB fills on one thread (the product, dropout's output
//! and mask, the input gradient), about 15 us each in the step profile: the buffers mimalloc hands back
//! are no longer in cache. A buffer taken from here holds stale values instead, which is sound because
//! only a tensor's sole owner gives its storage back, and only kernels that write all of it take one.

use crate::dtype::DType;
use crate::error::Result;
use crate::tensor::{try_alloc, Element, Tensor, TensorData};
use ndarray::{ArrayD, IxDyn};
use std::sync::Mutex;

/// Buffers below this many elements are left to the allocator: zero-filling them costs little.
const MIN_LEN: usize = 1 << 14;
/// At most this many buffers are kept (a dense layer's training step cycles through four or five)...
const MAX_BUFFERS: usize = 8;
/// ... and at most this many bytes, so a finished run holds on to little memory.
const MAX_BYTES: usize = 32 << 20;

static POOL: Mutex<Vec<Vec<f32>>> = Mutex::new(Vec::new());

/// The pool's lock, tried a bounded number of times: a pool held elsewhere for long is skipped (the buffer
/// is dropped, or a fresh one allocated), so no kernel blocks here, and a child forked while another
/// thread held the lock still runs.
fn lock_briefly() -> Option<std::sync::MutexGuard<'static, Vec<Vec<f32>>>> {
    for _ in 0..1000 {
        match POOL.try_lock() {
            Ok(pool) => return Some(pool),
            Err(std::sync::TryLockError::Poisoned(p)) => return Some(p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => std::hint::spin_loop(),
        }
    }
    None
}

/// Keeps `t`'s storage for reuse when `t` is a large float32 tensor and its only owner; otherwise (and
/// when the pool is full, for the oldest buffer) simply drops it.
pub fn give_back(t: Tensor) {
    if t.dtype() != DType::F32 || t.len() < MIN_LEN || t.len() * 4 > MAX_BYTES {
        return;
    }
    let Ok(TensorData::F32(a)) = t.try_unwrap() else { return };
    let n = a.len();
    if !a.is_standard_layout() {
        return;
    }
    let (buffer, offset) = a.into_raw_vec_and_offset();
    if offset.unwrap_or(0) != 0 || buffer.len() != n {
        return; // a view into a longer allocation: its length would not match a request
    }
    keep(buffer);
}

/// Keeps a kernel's own scratch buffer (a partial product, say) for reuse when it is large float32.
pub fn give_back_vec<T: Element>(buffer: Vec<T>) {
    let n = buffer.len();
    if T::DTYPE != DType::F32 || n < MIN_LEN || n * 4 > MAX_BYTES {
        return;
    }
    // T is float32: `Element::wrap` and `unwrap` convert without copying.
    if let Ok(a) = ArrayD::from_shape_vec(IxDyn(&[n]), buffer) {
        if let TensorData::F32(a) = T::wrap(a) {
            keep(a.into_raw_vec_and_offset().0);
        }
    }
}

fn keep(buffer: Vec<f32>) {
    let Some(mut pool) = lock_briefly() else { return };
    pool.push(buffer);
    while pool.len() > MAX_BUFFERS || pool.iter().map(|b| b.len() * 4).sum::<usize>() > MAX_BYTES {
        pool.remove(0);
    }
}

/// A buffer of `n` elements with unspecified contents (a dead intermediate's values, or zeros), for a
/// kernel that writes every element before anything reads it.
pub fn overwritable<T: Element>(n: usize) -> Result<Vec<T>> {
    if T::DTYPE == DType::F32 && n >= MIN_LEN {
        if let Some(buffer) = take_f32(n) {
            // The buffer is float32 and T is float32: `Element::unwrap` converts without copying.
            if let Ok(a) = ArrayD::from_shape_vec(IxDyn(&[n]), buffer) {
                if let Ok(a) = T::unwrap(TensorData::F32(a)) {
                    return Ok(a.into_raw_vec_and_offset().0);
                }
            }
        }
    }
    try_alloc(n)
}

fn take_f32(n: usize) -> Option<Vec<f32>> {
    let mut pool = lock_briefly()?;
    let at = pool.iter().rposition(|b| b.len() == n)?;
    Some(pool.swap_remove(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_sole_owners_large_float32_storage_is_reused() {
        let n = MIN_LEN + 7; // a length no other test uses, so parallel tests do not interfere
        let t = Tensor::from_vec(&[n], vec![1.5f32; n]).unwrap();
        let shared = t.clone();
        give_back(t); // `shared` still reads it: not taken
        assert_eq!(shared.to_f64_vec()[0], 1.5);
        assert!(take_f32(n).is_none());
        give_back(shared);
        let reused = overwritable::<f32>(n).unwrap();
        assert_eq!((reused.len(), reused[0]), (n, 1.5), "the dead tensor's buffer, stale values and all");
        assert!(take_f32(n).is_none(), "handed out once");
        give_back_vec(reused);
        assert_eq!(overwritable::<f32>(n).unwrap()[0], 1.5, "a kernel's scratch buffer, given back");
        give_back_vec(vec![2.0f64; n]);
        assert_eq!(overwritable::<f64>(n).unwrap(), vec![0.0; n]);
        // Other dtypes and small tensors are not kept; requests for them are zero-filled allocations.
        give_back(Tensor::from_vec(&[n], vec![2.0f64; n]).unwrap());
        assert_eq!(overwritable::<f64>(n).unwrap(), vec![0.0; n]);
        give_back(Tensor::from_vec(&[5], vec![3.0f32; 5]).unwrap());
        assert_eq!(overwritable::<f32>(5).unwrap(), vec![0.0; 5]);
    }
}
