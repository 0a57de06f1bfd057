//! The weight gradient of a dense layer fused into its Adam step: `dW = xᵀ·dy` is computed a block of rows
//! at a time into a small scratch buffer and applied at once, so the full gradient is never written out.
//!
//! Training a dense layer is memory-bound: a 784x512 kernel's gradient is 1.6 MB written by the matrix
//! product and read back by Adam, on top of the parameter and both moments. Fused, each gradient block
//! lives only in the core's cache, which removes about a fifth of the step's memory traffic. With AVX-512
//! the gradient never leaves registers: `skinny::adam_rows` applies each register tile as it is computed.

use super::skinny::{adam_rows, AdamStep};
use crate::error::{Error, Result};
use crate::tensor::{Tensor, TensorData};
use crate::variable::VarHandle;

/// Rows of the gradient computed per block: 128 rows of 512 floats is 256 KB of scratch, well inside L2.
const ROWS_PER_BLOCK: usize = 128;
/// Pieces of a large layer's update per pool thread (see `threading::for_each_part`): matches the split of
/// the next step's product with this weight (`matmul::split_k_product`) for a batch of a few rows.
pub(super) const PIECES_PER_THREAD: usize = 4;

/// Parameters from which the update is split across threads whatever the product's size.
const PARALLEL_ELEMENTS: usize = 1 << 16;

/// A float32 operand of the fused product read as a row-major matrix: a contiguous tensor's elements with
/// its rows and columns, which may be those of a reshape of it (`relabelled`).
pub struct Rows<'a> {
    data: &'a [f32],
    rows: usize,
    cols: usize,
}

impl<'a> Rows<'a> {
    /// A contiguous float32 matrix as it is.
    pub fn of(t: &'a Tensor) -> Option<Rows<'a>> {
        let dims = t.shape().to_vec();
        Rows::relabelled(t, &dims)
    }

    /// A contiguous float32 tensor read as the matrix `dims` (`[rows, cols]`, as many elements).
    pub fn relabelled(t: &'a Tensor, dims: &[usize]) -> Option<Rows<'a>> {
        let TensorData::F32(a) = t.data() else { return None };
        let (&[rows, cols], data) = (dims, a.as_slice()?) else { return None };
        (rows * cols == data.len()).then_some(Rows { data, rows, cols })
    }
}

/// `var -= Adam(xᵀ·dy)` for `x: [k, m]`, `dy: [k, n]` and `var, m_slot, v_slot: [m, n]`, all float32.
/// Returns None when the operands are not of that form (the caller then runs the two ops separately).
pub fn matmul_t_adam(
    x: Rows<'_>,
    dy: Rows<'_>,
    alpha: &Tensor,
    (var, m_slot, v_slot): (&VarHandle, &VarHandle, &VarHandle),
    (beta_1, beta_2, epsilon): (f64, f64, f64),
) -> Option<Result<Tensor>> {
    let ((k, m), (k2, n)) = ((x.rows, x.cols), (dy.rows, dy.cols));
    if k != k2 || alpha.len() != 1 {
        return None;
    }
    let (xs, gs) = (x.data, dy.data);
    let a = alpha.first_f64()? as f32;
    let (b1, b2, eps) = (1.0 - beta_1 as f32, 1.0 - beta_2 as f32, epsilon as f32);
    let run = || -> Result<()> {
        m_slot.update_in_place::<f32>(|ma| {
            v_slot.update_in_place::<f32>(|va| {
                var.update_in_place::<f32>(|pa| {
                    if pa.shape() != [m, n] || ma.shape() != [m, n] || va.shape() != [m, n] {
                        return Err(Error::invalid(format!(
                            "gradient of shape ({m}, {n}) does not match variable '{}' of shape {:?}",
                            var.name(),
                            pa.shape()
                        )));
                    }
                    if m * n == 0 {
                        return Ok(());
                    }
                    let p = pa.as_slice_mut().ok_or_else(|| Error::internal("variable is not contiguous"))?;
                    let ms = ma.as_slice_mut().ok_or_else(|| Error::internal("slot is not contiguous"))?;
                    let vs = va.as_slice_mut().ok_or_else(|| Error::internal("slot is not contiguous"))?;
                    // Thread i updates the i-th contiguous part of the rows, a block at a time: the same
                    // part the next step's product with this weight reads on that thread (see
                    // `matmul::split_k_product`), so the fresh rows are still in that core's cache. Small
                    // layers stay on the calling thread: waking the other one costs more than their update.
                    let small = m * n < PARALLEL_ELEMENTS && m * n * k < super::matmul_narrow::PARALLEL_FLOPS;
                    // Several pieces per thread, so that when one thread is held up (another program on
                    // its core) the others take its pieces that have not started.
                    let threads = if small { 1 } else { crate::threading::current_threads() };
                    let pieces = if small { 1 } else { (threads * PIECES_PER_THREAD).min(m.max(1)) };
                    if pieces > 1 && rereads_dy(n, k) {
                        return whole_then_adam(xs, gs, (m, n, k), (p, ms, vs), (a, b1, b2, eps));
                    }
                    use crate::threading::split_rows;
                    let parts = split_rows(p, n, pieces).into_iter().zip(split_rows(ms, n, pieces));
                    let parts: Vec<_> = parts.zip(split_rows(vs, n, pieces)).collect();
                    crate::threading::for_each_piece(parts, |i, ((p, ms), vs)| {
                        let row0 = crate::threading::part(m, i, pieces).start;
                        let step =
                            AdamStep { alpha: a, one_minus_beta_1: b1, one_minus_beta_2: b2, epsilon: eps };
                        // With AVX-512 the gradient tiles go straight from registers into the update.
                        let narrow = super::matmul_narrow::applies(n, k);
                        if !narrow && adam_rows(xs, gs, (m, n, k), row0, (&mut *p, &mut *ms, &mut *vs), step)
                        {
                            return;
                        }
                        let mut grad = vec![0f32; ROWS_PER_BLOCK.min(p.len() / n) * n];
                        let blocks = p.chunks_mut(ROWS_PER_BLOCK * n).zip(ms.chunks_mut(ROWS_PER_BLOCK * n));
                        for (b, ((p, ms), vs)) in blocks.zip(vs.chunks_mut(ROWS_PER_BLOCK * n)).enumerate() {
                            let first = row0 + b * ROWS_PER_BLOCK;
                            let grad = &mut grad[..p.len()];
                            adam_block(xs, gs, (m, n, k), first, (p, ms, vs), grad, (a, b1, b2, eps));
                        }
                    });
                    Ok(())
                })
            })
        })
    };
    Some(run().and_then(|()| Tensor::zeros(crate::DType::F32, &[0])))
}

/// Bytes of `dy` from which it is read from memory rather than a core's cache (about its L2).
const CACHED_DY_BYTES: usize = 1 << 20;

/// Whether splitting the gradient by rows would make each piece stream (and `gemm` pack) a `dy` too large
/// for the cache: every piece reads all of it. Such products are computed whole, reading `dy` once. Two
/// shapes met this: the input projection of a recurrent layer over all steps (an LSTM(128) over 100 steps
/// at batch 64 with 32 features: 8 pieces of 4 rows each read a 13 MB `dy`), and a Transformer's
/// feed-forward layers (`x` and `dy` of 4096 rows: each of 8 pieces packed the 16 MB `dy` again, and the
/// fused update took about 1.5x the forward product's time). A dense layer at a batch of a few hundred
/// (`dy` of some hundred KB) keeps the fused blocks.
fn rereads_dy(n: usize, k: usize) -> bool {
    k * n * std::mem::size_of::<f32>() > CACHED_DY_BYTES
}

/// The whole gradient as one product (split along `k` across threads where it pays, reading `dy` once),
/// then Adam over it: writing the gradient out costs far less than reading `dy` once per piece.
fn whole_then_adam(
    xs: &[f32],
    gs: &[f32],
    (m, n, k): (usize, usize, usize),
    (p, ms, vs): (&mut [f32], &mut [f32], &mut [f32]),
    (a, b1, b2, eps): (f32, f32, f32, f32),
) -> Result<()> {
    let mut grad = crate::tensor::try_alloc::<f32>(m * n)?;
    super::matmul::product_into((xs, 1, m as isize), (gs, n as isize, 1), (m, n, k), &mut grad)?;
    adam_update(p, ms, vs, &grad, (a, b1, b2, eps));
    Ok(())
}

/// Adam's update of `p` with its moments `ms`, `vs` from the gradient `grad`.
#[inline(always)]
fn adam_update(
    p: &mut [f32],
    ms: &mut [f32],
    vs: &mut [f32],
    grad: &[f32],
    (a, b1, b2, eps): (f32, f32, f32, f32),
) {
    super::simd::vectorized(|| {
        for (((p, m), v), &g) in p.iter_mut().zip(ms.iter_mut()).zip(vs.iter_mut()).zip(grad) {
            *m += (g - *m) * b1;
            *v += (g * g - *v) * b2;
            *p -= a * *m / (v.sqrt() + eps);
        }
    });
}

/// Computes rows `first..first + p.len() / n` of `xᵀ·dy` into `grad` (the narrow-product kernel or
/// `gemm`) and applies Adam to those rows.
#[inline(always)]
fn adam_block(
    xs: &[f32],
    gs: &[f32],
    (m, n, k): (usize, usize, usize),
    first: usize,
    (p, ms, vs): (&mut [f32], &mut [f32], &mut [f32]),
    grad: &mut [f32],
    (a, b1, b2, eps): (f32, f32, f32, f32),
) {
    let rows = p.len() / n;
    if super::matmul_narrow::applies(n, k) {
        use super::matmul_narrow::{product, Strided};
        let xt = Strided { data: &xs[first..], row_stride: 1, col_stride: m };
        let dy = Strided { data: gs, row_stride: n, col_stride: 1 };
        product(xt, dy, (rows, n, k), grad);
    } else {
        // SAFETY: rows first..first+rows of xᵀ are columns of the contiguous [k, m] `xs` (row stride 1,
        // column stride m from offset `first`), `gs` is a contiguous [k, n] matrix, and `grad` is an
        // unaliased rows x n buffer.
        unsafe {
            let xt = (xs[first..].as_ptr(), 1, m as isize);
            super::matmul::gemm_product(
                grad,
                (rows, n, k),
                xt,
                (gs.as_ptr(), n as isize, 1),
                gemm::Parallelism::None,
            );
        }
    }
    adam_update(p, ms, vs, grad, (a, b1, b2, eps));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::{matmul::matmul, optim::apply_adam};

    #[test]
    fn fused_step_equals_matmul_then_adam() {
        // 300 rows: two full blocks and a partial one; 9 columns take the narrow-product kernel, 40
        // columns the register-tile one (where AVX-512 exists).
        // 2048 x 8 by 2048 x 256: a tall product with a short gradient, computed whole (`rereads_dy`).
        for (k, m, n) in [(5, 300, 9), (20, 300, 40), (2048, 8, 256)] {
            fused_equals_separate(k, m, n);
        }
    }

    fn fused_equals_separate(k: usize, m: usize, n: usize) {
        let values = |len: usize, s: f32| (0..len).map(|i| (i as f32 * 0.37 + s).sin()).collect::<Vec<_>>();
        let x = Tensor::from_vec(&[k, m], values(k * m, 0.1)).unwrap();
        let dy = Tensor::from_vec(&[k, n], values(k * n, 0.7)).unwrap();
        let alpha = Tensor::scalar(0.01f32);
        let make = || {
            let w = VarHandle::with_value("w", Tensor::from_vec(&[m, n], values(m * n, 1.3)).unwrap());
            let mv = VarHandle::with_value("m", Tensor::from_vec(&[m, n], values(m * n, 2.0)).unwrap());
            let vv = VarHandle::with_value("v", Tensor::from_vec(&[m, n], vec![0.5f32; m * n]).unwrap());
            (w, mv, vv)
        };
        let (w1, m1, v1) = make();
        let (w2, m2, v2) = make();
        let betas = (0.9, 0.999, 1e-7);
        crate::threading::install(|| {
            let g = matmul(&x, &dy, true, false).unwrap();
            apply_adam(&w1, &m1, &v1, &g, &alpha, betas).unwrap();
            matmul_t_adam(Rows::of(&x).unwrap(), Rows::of(&dy).unwrap(), &alpha, (&w2, &m2, &v2), betas)
                .unwrap()
                .unwrap();
        });
        for (a, b) in [(&w1, &w2), (&m1, &m2), (&v1, &v2)] {
            let (a, b) = (a.read().unwrap().to_f64_vec(), b.read().unwrap().to_f64_vec());
            for (x, y) in a.iter().zip(&b) {
                assert!((x - y).abs() <= 1e-6 * (1.0 + x.abs()), "{x} vs {y}");
            }
        }
        // Not float32 [k, m] / [k, n]: the caller falls back to the separate ops.
        let bad = Tensor::from_vec(&[k * m], values(k * m, 0.1)).unwrap();
        assert!(Rows::of(&bad).is_none_or(|b| matmul_t_adam(
            b,
            Rows::of(&dy).unwrap(),
            &alpha,
            (&w2, &m2, &v2),
            betas
        )
        .is_none()));
    }

    /// A [m, n] weight of 0.3 and its two Adam slots at zero.
    fn weight_and_slots(m: usize, n: usize) -> (VarHandle, VarHandle, VarHandle) {
        let w = VarHandle::with_value("w", Tensor::from_vec(&[m, n], vec![0.3f32; m * n]).unwrap());
        let mv = VarHandle::with_value("m", Tensor::zeros(crate::DType::F32, &[m, n]).unwrap());
        let vv = VarHandle::with_value("v", Tensor::zeros(crate::DType::F32, &[m, n]).unwrap());
        (w, mv, vv)
    }

    fn placeholder(shape: &[usize]) -> crate::op::Op {
        crate::op::Op::Placeholder { dtype: crate::DType::F32, shape: crate::shape::Shape::known(shape) }
    }

    #[test]
    fn plans_fuse_the_gradient_product_and_keep_its_operands_alive_for_later_readers() {
        use crate::graph::Graph;
        use crate::op::{Op, ReduceOp};
        let (k, m, n) = (4, 150, 6);
        let x = Tensor::from_vec(&[k, m], (0..k * m).map(|i| (i as f32 * 0.11).cos()).collect()).unwrap();
        let dy = Tensor::from_vec(&[k, n], (0..k * n).map(|i| (i as f32 * 0.23).sin()).collect()).unwrap();
        let run = |fused: bool| {
            let (w, mv, vv) = weight_and_slots(m, n);
            let mut g = Graph::new();
            let xp = g.add(placeholder(&[k, m]), &[], "x").unwrap();
            let dyp = g.add(placeholder(&[k, n]), &[], "dy").unwrap();
            let mm = g.add(Op::MatMul { transpose_a: true, transpose_b: false }, &[xp, dyp], "mm").unwrap();
            // x's last reader in node order sits between the product and the update: the fused step,
            // which reads x later, must keep it alive.
            let sum =
                g.add(Op::Reduce { op: ReduceOp::Sum, axes: None, keepdims: false }, &[xp], "sum").unwrap();
            let alpha = g.add(Op::Const(Tensor::scalar(0.01f32)), &[], "alpha").unwrap();
            let adam_op =
                Op::ApplyAdam { var: w.clone(), m: mv, v: vv, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 };
            let adam = g.add(adam_op, &[mm, alpha], "adam").unwrap();
            let fetches = if fused { vec![adam, sum] } else { vec![adam, sum, mm] }; // fetching mm blocks fusion
            let plan = crate::exec::Plan::new(&g, &fetches, &[xp, dyp]).unwrap();
            let out = plan.run(&g, &[x.clone(), dy.clone()]).unwrap();
            (w.read().unwrap().to_f64_vec(), out[1].to_f64_vec(), plan.num_steps())
        };
        let (w_fused, sum_fused, steps_fused) = run(true);
        let (w_plain, sum_plain, steps_plain) = run(false);
        assert_eq!(steps_fused + 1, steps_plain, "the product is folded into the Adam step");
        assert_eq!(sum_fused, sum_plain);
        for (a, b) in w_fused.iter().zip(&w_plain) {
            assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        }
    }

    /// A dense layer on a sequence: both operands reach the product through reshapes to rows, which fold into
    /// the fused step (its kernel reads their inputs' buffers); the update equals the separate ops'.
    #[test]
    fn reshapes_to_rows_fold_into_the_fused_step() {
        use crate::graph::Graph;
        use crate::op::Op;
        let (b, t, m, n) = (3, 50, 40, 24);
        let x =
            Tensor::from_vec(&[b, t, m], (0..b * t * m).map(|i| (i as f32 * 0.11).cos()).collect()).unwrap();
        let dy =
            Tensor::from_vec(&[b, t, n], (0..b * t * n).map(|i| (i as f32 * 0.23).sin()).collect()).unwrap();
        let run = |fused: bool| {
            let (w, mv, vv) = weight_and_slots(m, n);
            let mut g = Graph::new();
            let xp = g.add(placeholder(&[b, t, m]), &[], "x").unwrap();
            let dyp = g.add(placeholder(&[b, t, n]), &[], "dy").unwrap();
            // dy's reshape first in node order: the step finds its operands whatever the members' order.
            let rows_dy = g.add(Op::Reshape { shape: vec![-1, n as i64] }, &[dyp], "rows_dy").unwrap();
            let rows_x =
                g.add(Op::Reshape { shape: vec![b as i64 * t as i64, -1] }, &[xp], "rows_x").unwrap();
            let mm = g
                .add(Op::MatMul { transpose_a: true, transpose_b: false }, &[rows_x, rows_dy], "mm")
                .unwrap();
            let alpha = g.add(Op::Const(Tensor::scalar(0.01f32)), &[], "alpha").unwrap();
            let adam_op =
                Op::ApplyAdam { var: w.clone(), m: mv, v: vv, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 };
            let adam = g.add(adam_op, &[mm, alpha], "adam").unwrap();
            let fetches = if fused { vec![adam] } else { vec![adam, mm, rows_x, rows_dy] };
            let plan = crate::exec::Plan::new(&g, &fetches, &[xp, dyp]).unwrap();
            plan.run(&g, &[x.clone(), dy.clone()]).unwrap();
            (w.read().unwrap().to_f64_vec(), plan.num_steps())
        };
        let (w_fused, steps_fused) = run(true);
        let (w_plain, steps_plain) = run(false);
        assert_eq!(steps_fused + 3, steps_plain, "both reshapes and the product fold into the Adam step");
        assert!(
            w_fused.iter().zip(&w_plain).any(|(a, _)| (a - 0.3).abs() > 1e-3),
            "the update moved the weight"
        );
        for (a, b) in w_fused.iter().zip(&w_plain) {
            assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        }
    }
}
