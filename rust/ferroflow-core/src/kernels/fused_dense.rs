//! A dense layer's elementwise work fused into one pass: the bias and relu applied to the product's rows
//! while they are still in cache (forward), and dropout's mask with relu's gradient (backward).
//!
//! Unfused, a batch-256 `Dense(512, relu)` wrote and re-read its 512 KB product twice more (bias add,
//! relu) and its gradient twice (dropout's multiply, relu's gradient), each pass on one thread. Each
//! result here is bit-identical to the separate ops': the same float operations in the same order.

use super::elementwise::fast::parallel;
use super::in_place::{relu as relu_of, update_chunks_from, update_rows, zip_update, FUSED_PARALLEL};
use crate::error::Result;
use crate::tensor::{Tensor, TensorData};

/// `relu(x·w + bias)` (or without the relu) for float32 `x: [..., m, k]`, `w: [k, n]`, `bias: [n]`; None
/// when the operands are not of that form (the caller then runs the separate ops, which report any error).
pub fn dense_forward(x: &Tensor, w: &Tensor, bias: &Tensor, relu: bool) -> Option<Result<Tensor>> {
    let (TensorData::F32(_), TensorData::F32(wa), TensorData::F32(ba)) = (x.data(), w.data(), bias.data())
    else {
        return None;
    };
    let n = *wa.shape().get(1)?;
    if x.rank() < 2 || wa.ndim() != 2 || ba.shape() != [n] || n == 0 {
        return None;
    }
    let bs = ba.as_slice()?;
    let mut out = match super::matmul::matmul(x, w, false, false) {
        Ok(out) => out,
        Err(e) => return Some(Err(e)),
    };
    let rows = out.f32_slice_mut()?;
    if relu {
        update_rows(parallel(rows.len()), rows, n, |r| zip_update(r, bs, |v, b| relu_of(v + b)));
    } else {
        update_rows(parallel(rows.len()), rows, n, |r| zip_update(r, bs, |v, b| v + b));
    }
    Some(Ok(out))
}

/// `x > 0 ? g * mask : 0` for float32 tensors of one shape (relu's gradient of dropout's gradient),
/// written into `g`'s buffer when the plan handed over its only reference. None for other operands.
pub fn masked_relu_grad(args: &mut [Tensor]) -> Option<Result<Tensor>> {
    let [g, mask, x] = args else { return None };
    if g.shape() != mask.shape() || g.shape() != x.shape() {
        return None;
    }
    let (TensorData::F32(ma), TensorData::F32(xa), TensorData::F32(_)) = (mask.data(), x.data(), g.data())
    else {
        return None;
    };
    let (ms, xs) = (ma.as_slice()?, xa.as_slice()?);
    #[inline(always)]
    fn masked(g: f32, m: f32, x: f32) -> f32 {
        if x > 0.0 {
            g * m
        } else {
            0.0
        }
    }
    if let Some(gs) = g.f32_slice_mut() {
        update_chunks_from(gs.len() >= FUSED_PARALLEL, gs, |at, d| {
            let (ms, xs) = (&ms[at..at + d.len()], &xs[at..at + d.len()]);
            super::simd::vectorized(|| {
                for ((d, &m), &x) in d.iter_mut().zip(ms).zip(xs) {
                    *d = masked(*d, m, x);
                }
            })
        });
        return Some(Ok(g.clone()));
    }
    let TensorData::F32(ga) = g.data() else { return None };
    let gs = ga.as_slice()?;
    let mut out = match crate::buffer_pool::overwritable::<f32>(gs.len()) {
        Ok(out) => out,
        Err(e) => return Some(Err(e)),
    };
    update_chunks_from(out.len() >= FUSED_PARALLEL, &mut out, |at, d| {
        let (gs, ms, xs) = (&gs[at..at + d.len()], &ms[at..at + d.len()], &xs[at..at + d.len()]);
        super::simd::vectorized(|| {
            for (((d, &g), &m), &x) in d.iter_mut().zip(gs).zip(ms).zip(xs) {
                *d = masked(g, m, x);
            }
        })
    });
    Some(Tensor::from_vec(g.shape(), out))
}
