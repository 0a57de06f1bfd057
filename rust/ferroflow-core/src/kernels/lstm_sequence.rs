//! A whole LSTM sequence in one op (TensorFlow's BlockLSTM): every step's recurrent product and fused cell,
//! and a backward pass whose recurrent-weight gradient is one product over all steps.
//!
//! Unrolled into the graph, a 100-step LSTM was some thousand nodes per training step: per step a product,
//! the cell, two slices and their gradients, and a weight gradient of its own that the next step's was
//! added to. Here the forward op runs the recursion natively and keeps each step's pre-activations, the
//! backward op walks it back producing every step's pre-activation gradient, and the weight gradient is
//! `H_prev^T DZ` with all steps stacked (one GEMM with `steps * batch` rows instead of `steps` small ones).
//!
//! Layout (time-major): `x` is `[T, B, 4u]` (the inputs' projections, gates i, f, c, o), `h0`, `c0` are
//! `[B, u]`, the recurrent kernel `U` is `[u, 4u]`. The output `y` is `[T, B, 6u]`: per step `[h | c | z]`,
//! `z = x_t + h_{t-1} U` being the step's pre-activations (an output so that the backward pass needs no
//! product to recompute it). The backward op (`lstm_sequence_backward.rs`) returns `[T, B, 4u]`: the
//! gradients of every `z_t` (the gradient of `x`), then, where the states' gradients are wanted, a row
//! `[dh0 | dc0 | 0]`.

use super::layout::row_major;
use super::lstm_cell::CellRows;
use super::lstm_sequence_backward::backward_typed;
use super::matmul::product_into;
use super::sequence_product::{group_step_rows, row_groups, StepProduct};
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::shape::Shape;
use crate::tensor::{try_alloc, Element, Tensor, TensorData};
use crate::threading::{for_each_piece, part};

/// `(steps, batch, units)` of `x: [T, B, 4u]`, `h0`/`c0: [B, u]` and `U: [u, 4u]`, checked.
pub(super) fn dims(x: &Tensor, h0: &Tensor, c0: &Tensor, w: &Tensor) -> Result<(usize, usize, usize)> {
    let (xs, hs, cs, ws) = (x.shape(), h0.shape(), c0.shape(), w.shape());
    let ok = xs.len() == 3
        && hs.len() == 2
        && hs == cs
        && ws.len() == 2
        && xs[1] == hs[0]
        && xs[2] == 4 * hs[1]
        && ws == [hs[1], 4 * hs[1]];
    if !ok {
        return Err(Error::invalid(format!(
            "BlockLSTM expects inputs [steps, batch, 4 units], states [batch, units] and a recurrent kernel \
             [units, 4 units], received {xs:?}, {hs:?}, {cs:?} and {ws:?}"
        )));
    }
    Ok((xs[0], xs[1], hs[1]))
}

/// The float types the sequence runs in: the cell's rows and the products for each.
pub(super) trait SeqFloat:
    Element + CellRows + StepProduct + std::ops::Add<Output = Self> + std::ops::AddAssign
{
}
impl SeqFloat for f32 {}
impl SeqFloat for f64 {}

/// A tensor's elements in row-major order, borrowed (the core stores tensors that way).
pub(super) fn elements<T: Element>(t: &Tensor) -> Result<std::borrow::Cow<'_, [T]>> {
    Ok(row_major(t.array::<T>()?))
}

/// The forward recursion, written straight into the output by row groups that each run every step on one
/// thread (`sequence_product.rs`; one group of all rows where the products split themselves): each step's
/// recurrent product goes into the group's reused buffer, the row loop adds the input projection to it
/// (the step's `z`, copied into the output's `z` columns where `keep_z`) and runs the cell into the
/// output's `[h | c]` columns; the next step's product reads `h` from there (row stride `6u`, or `2u`).
fn forward_typed<T: SeqFloat>(
    x: &Tensor,
    h0: &Tensor,
    c0: &Tensor,
    w: &Tensor,
    keep_z: bool,
) -> Result<Tensor> {
    let (steps, batch, u) = dims(x, h0, c0, w)?;
    let (xv, h0v, c0v, wv) = (elements::<T>(x)?, elements::<T>(h0)?, elements::<T>(c0)?, elements::<T>(w)?);
    let (width, gates) = (if keep_z { 6 * u } else { 2 * u }, 4 * u);
    // Every element is written (each step's h, c and z), so a dead intermediate's buffer serves.
    let mut y = crate::buffer_pool::overwritable::<T>(steps * batch * width)?;
    if !y.is_empty() {
        let weight = T::step_weight(&wv, (u, gates), (gates, 1))?;
        let groups = row_groups::<T>(batch, &weight);
        let mut work = Vec::with_capacity(groups);
        for (g, rows) in group_step_rows(&mut y, batch, width, groups).into_iter().enumerate() {
            work.push((rows, try_alloc::<T>(part(batch, g, groups).len() * gates)?));
        }
        let inputs = (&xv[..], &h0v[..], &c0v[..]);
        for_each_piece(work, |g, (mut rows, mut recurrent)| {
            let r0 = part(batch, g, groups).start;
            forward_rows(&mut rows, r0, inputs, &weight, (batch, u), &mut recurrent)
        });
    }
    Tensor::from_vec(&[steps, batch, width], y)
}

/// Every step of one row group starting at batch row `r0`: `rows[s]` is the group's `[h | c | z]` (or
/// `[h | c]`) rows of step s, `recurrent` its product buffer.
fn forward_rows<T: SeqFloat>(
    rows: &mut [&mut [T]],
    r0: usize,
    (xv, h0v, c0v): (&[T], &[T], &[T]),
    weight: &T::StepWeight,
    (batch, u): (usize, usize),
    recurrent: &mut [T],
) {
    let gates = 4 * u;
    let m = recurrent.len().checked_div(gates).unwrap_or(0);
    if m == 0 {
        return;
    }
    let width = rows.first().map_or(2 * u, |r| r.len() / m);
    for s in 0..rows.len() {
        let (done, rest) = rows.split_at_mut(s);
        let prev: Option<&[T]> = done.last().map(|p| &**p);
        let step = &mut *rest[0];
        match prev {
            Some(p) => T::step_product(weight, p, width, m, recurrent),
            None => T::step_product(weight, &h0v[r0 * u..], u, m, recurrent),
        }
        let x_t = &xv[(s * batch + r0) * gates..];
        for (i, row) in step.chunks_exact_mut(width).enumerate() {
            let (hc, z_out) = row.split_at_mut(2 * u);
            let z = &mut recurrent[i * gates..(i + 1) * gates];
            for (zo, &a) in z.iter_mut().zip(&x_t[i * gates..(i + 1) * gates]) {
                *zo += a;
            }
            if !z_out.is_empty() {
                z_out.copy_from_slice(z);
            }
            let c_prev = match prev {
                Some(p) => &p[i * width + u..i * width + 2 * u],
                None => &c0v[(r0 + i) * u..(r0 + i + 1) * u],
            };
            T::cell_row(z, c_prev, hc, u);
        }
    }
}

/// The recurrent kernel's gradient `sum_t h_{t-1}^T dz_t` from `h0`, `y` and the backward op's result: two
/// products, `h0^T dz_0` and one over all later steps reading each `h` in place from `y` (row stride `6u`).
fn weight_grad_typed<T: SeqFloat>(h0: &Tensor, y: &Tensor, dz: &Tensor) -> Result<Tensor> {
    let (hs, ys, ds) = (h0.shape(), y.shape(), dz.shape());
    let ok = hs.len() == 2 && ys.len() == 3 && ds.len() == 3 && ys[1] == hs[0] && ys[2] == 6 * hs[1];
    let dz_rows_ok = ok && (ds[0] == ys[0] || ds[0] == ys[0] + 1);
    if !dz_rows_ok || ds[1..] != [hs[0], 4 * hs[1]] {
        return Err(Error::invalid(format!(
            "BlockLSTMWeightGrad expects h0 [batch, units], the output [steps, batch, 6 units] and the \
             gradient [steps (+ 1), batch, 4 units], received {hs:?}, {ys:?} and {ds:?}"
        )));
    }
    let (steps, batch, u) = (ys[0], hs[0], hs[1]);
    let (h0v, yv, dzv) = (elements::<T>(h0)?, elements::<T>(y)?, elements::<T>(dz)?);
    let (width, gates) = (6 * u, 4 * u);
    let mut out = try_alloc::<T>(u * gates)?;
    if steps == 0 {
        return Tensor::from_vec(&[u, gates], out);
    }
    // h^T as an [u, rows] matrix: element (i, r) is row r's unit i.
    product_into((&h0v[..], 1, u as isize), (&dzv[..], gates as isize, 1), (u, gates, batch), &mut out)?;
    if steps > 1 {
        let mut later = try_alloc::<T>(u * gates)?;
        let rest = &dzv[batch * gates..steps * batch * gates];
        let rows = (steps - 1) * batch;
        product_into((&yv[..], 1, width as isize), (rest, gates as isize, 1), (u, gates, rows), &mut later)?;
        for (o, &l) in out.iter_mut().zip(&later) {
            *o += l;
        }
    }
    Tensor::from_vec(&[u, gates], out)
}

macro_rules! by_dtype {
    ($what:expr, $first:expr, $f32:expr, $f64:expr) => {
        match $first.data() {
            TensorData::F32(_) => $f32,
            TensorData::F64(_) => $f64,
            _ => Err(Error::dtype(format!(
                "{} expects float32 or float64 tensors, received {}",
                $what,
                $first.dtype()
            ))),
        }
    };
}

/// `y = [h | c | z]` per step of the sequence `x` from the states `h0`, `c0` with the recurrent kernel `w`;
/// without `keep_z` (inference: nothing differentiates it) `[h | c]`.
pub fn lstm_sequence(x: &Tensor, h0: &Tensor, c0: &Tensor, w: &Tensor, keep_z: bool) -> Result<Tensor> {
    by_dtype!(
        "BlockLSTM",
        x,
        forward_typed::<f32>(x, h0, c0, w, keep_z),
        forward_typed::<f64>(x, h0, c0, w, keep_z)
    )
}

/// The backward op (`lstm_sequence_backward.rs`): inputs `x, h0, c0, w, y` and the gradients of `y`
/// whole, of every step's `h` and of the last `h` and `c`; `with_states` adds the row `[dh0 | dc0 | 0]`.
pub fn lstm_sequence_grad(inputs: &[Tensor], with_states: bool) -> Result<Tensor> {
    by_dtype!(
        "BlockLSTMGrad",
        inputs[0],
        backward_typed::<f32>(inputs, with_states),
        backward_typed::<f64>(inputs, with_states)
    )
}

/// The recurrent kernel's gradient: inputs `h0`, `y` and the backward op's result.
pub fn lstm_sequence_weight_grad(h0: &Tensor, y: &Tensor, dz: &Tensor) -> Result<Tensor> {
    by_dtype!(
        "BlockLSTMWeightGrad",
        h0,
        weight_grad_typed::<f32>(h0, y, dz),
        weight_grad_typed::<f64>(h0, y, dz)
    )
}

/// Static shape and dtype of the three ops (`which`: 0 forward, 1 backward, 2 weight gradient; `flag` is
/// the forward op's `inference`, the backward op's `with_states`).
pub(crate) fn infer(inputs: &[(&Shape, DType)], which: u8, flag: bool) -> Result<(Shape, DType)> {
    let what = ["BlockLSTM", "BlockLSTMGrad", "BlockLSTMWeightGrad"][which as usize];
    let dtype = inputs[0].1;
    if !matches!(dtype, DType::F32 | DType::F64) || inputs.iter().any(|i| i.1 != dtype) {
        let got: Vec<String> = inputs.iter().map(|i| i.1.to_string()).collect();
        return Err(Error::dtype(format!(
            "{what} expects float32 or float64 inputs of one dtype, received {got:?}"
        )));
    }
    let dim = |s: &Shape, k: usize| s.dims.as_ref().and_then(|d| d.get(k).copied()).flatten();
    // Units from the states (h0 is input 0 of the weight gradient, input 1 otherwise).
    let state = if which == 2 { inputs[0].0 } else { inputs[1].0 };
    let units = dim(state, 1);
    if which == 2 {
        return Ok((Shape::from_dims(vec![units, units.map(|u| 4 * u)]), dtype));
    }
    let (steps, batch) = (dim(inputs[0].0, 0), dim(inputs[0].0, 1).or(dim(state, 0)));
    Ok(match which {
        0 => (Shape::from_dims(vec![steps, batch, units.map(|u| if flag { 2 * u } else { 6 * u })]), dtype),
        _ => {
            let rows = steps.map(|t| t + usize::from(flag));
            (Shape::from_dims(vec![rows, batch, units.map(|u| 4 * u)]), dtype)
        }
    })
}

#[cfg(test)]
#[path = "lstm_sequence_tests.rs"]
mod tests;
