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
//! product to recompute it). The backward op returns `[T + 1, B, 4u]`: the gradients of every `z_t` (the
//! gradient of `x`), then a row `[dh0 | dc0 | 0]`.

use super::lstm_cell::{lstm_cell, lstm_cell_grad};
use super::matmul::matmul;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::shape::Shape;
use crate::tensor::{Element, Tensor, TensorData};

/// `(steps, batch, units)` of `x: [T, B, 4u]`, `h0`/`c0: [B, u]` and `U: [u, 4u]`, checked.
fn dims(x: &Tensor, h0: &Tensor, c0: &Tensor, w: &Tensor) -> Result<(usize, usize, usize)> {
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

/// The float types the sequence runs in.
trait SeqFloat: Element + std::ops::Add<Output = Self> {}
impl SeqFloat for f32 {}
impl SeqFloat for f64 {}

/// A tensor's elements, borrowed (tensors are stored in standard layout; copied only if one is not).
fn elements<T: Element>(t: &Tensor) -> Result<std::borrow::Cow<'_, [T]>> {
    let a = t.array::<T>()?;
    Ok(match a.as_slice() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(a.iter().copied().collect()),
    })
}

/// Rows of `[rows, width]` data, columns `from..from + n`, gathered into `[rows, n]`.
fn columns<T: Element>(data: &[T], width: usize, from: usize, n: usize) -> Vec<T> {
    let mut out = Vec::with_capacity(data.len() / width.max(1) * n);
    for row in data.chunks_exact(width) {
        out.extend_from_slice(&row[from..from + n]);
    }
    out
}

fn forward_typed<T: SeqFloat>(x: &Tensor, h0: &Tensor, c0: &Tensor, w: &Tensor) -> Result<Tensor> {
    let (steps, batch, u) = dims(x, h0, c0, w)?;
    let xv = elements::<T>(x)?;
    let (mut h, mut c) = (h0.clone(), c0.clone());
    let mut out = Vec::with_capacity(steps * batch * 6 * u);
    for s in 0..steps {
        let recurrent = matmul(&h, w, false, false)?;
        let x_t = &xv[s * batch * 4 * u..(s + 1) * batch * 4 * u];
        let z: Vec<T> = x_t.iter().zip(elements::<T>(&recurrent)?.iter()).map(|(&a, &b)| a + b).collect();
        let z = Tensor::from_vec(&[batch, 4 * u], z)?;
        let hc = lstm_cell(&z, &c)?;
        let (hcv, zv) = (elements::<T>(&hc)?, elements::<T>(&z)?);
        for r in 0..batch {
            out.extend_from_slice(&hcv[r * 2 * u..(r + 1) * 2 * u]);
            out.extend_from_slice(&zv[r * 4 * u..(r + 1) * 4 * u]);
        }
        h = Tensor::from_vec(&[batch, u], columns(&hcv, 2 * u, 0, u))?;
        c = Tensor::from_vec(&[batch, u], columns(&hcv, 2 * u, u, u))?;
    }
    Tensor::from_vec(&[steps, batch, 6 * u], out)
}

/// `[T + 1, B, 4u]`: the gradient of each step's pre-activations, then `[dh0 | dc0 | 0]`, given `y` and
/// the gradient `g` of `y`.
fn backward_typed<T: SeqFloat>(inputs: &[Tensor]) -> Result<Tensor> {
    let (x, h0, c0, w, y, g) = (&inputs[0], &inputs[1], &inputs[2], &inputs[3], &inputs[4], &inputs[5]);
    let (steps, batch, u) = dims(x, h0, c0, w)?;
    let want = [steps, batch, 6 * u];
    if y.shape() != want || g.shape() != want {
        return Err(Error::invalid(format!(
            "BlockLSTMGrad expects the output and its gradient of shape {want:?}, received {:?} and {:?}",
            y.shape(),
            g.shape()
        )));
    }
    let (yv, gv) = (elements::<T>(y)?, elements::<T>(g)?);
    let at = |s: usize| s * batch * 6 * u..(s + 1) * batch * 6 * u;
    let mut dz_all = vec![T::default(); (steps + 1) * batch * 4 * u];
    let (mut dh, mut dc) = (vec![T::default(); batch * u], vec![T::default(); batch * u]);
    for s in (0..steps).rev() {
        let (ys, gs) = (&yv[at(s)], &gv[at(s)]);
        // The gradient of this step's [h | c'] from its own output and from the step after it.
        let mut g2 = Vec::with_capacity(batch * 2 * u);
        for (r, row) in gs.chunks_exact(6 * u).enumerate() {
            g2.extend(row[..u].iter().zip(&dh[r * u..(r + 1) * u]).map(|(&a, &b)| a + b));
            g2.extend(row[u..2 * u].iter().zip(&dc[r * u..(r + 1) * u]).map(|(&a, &b)| a + b));
        }
        let g2 = Tensor::from_vec(&[batch, 2 * u], g2)?;
        let z = Tensor::from_vec(&[batch, 4 * u], columns(ys, 6 * u, 2 * u, 4 * u))?;
        let c_prev = if s == 0 {
            c0.clone()
        } else {
            Tensor::from_vec(&[batch, u], columns(&yv[at(s - 1)], 6 * u, u, u))?
        };
        let dz_cell = lstm_cell_grad(&z, &c_prev, &g2, false)?;
        let dz_cell = elements::<T>(&dz_cell)?;
        let dz_step = &mut dz_all[s * batch * 4 * u..(s + 1) * batch * 4 * u];
        for ((out, row), cell) in
            dz_step.chunks_exact_mut(4 * u).zip(gs.chunks_exact(6 * u)).zip(dz_cell.chunks_exact(4 * u))
        {
            for ((o, &a), &b) in out.iter_mut().zip(cell).zip(&row[2 * u..]) {
                *o = a + b;
            }
        }
        dc = elements::<T>(&lstm_cell_grad(&z, &c_prev, &g2, true)?)?.into_owned();
        let dz = Tensor::from_vec(&[batch, 4 * u], dz_step.to_vec())?;
        dh = elements::<T>(&matmul(&dz, w, false, true)?)?.into_owned();
    }
    let last = &mut dz_all[steps * batch * 4 * u..];
    for (r, row) in last.chunks_exact_mut(4 * u).enumerate() {
        row[..u].copy_from_slice(&dh[r * u..(r + 1) * u]);
        row[u..2 * u].copy_from_slice(&dc[r * u..(r + 1) * u]);
    }
    Tensor::from_vec(&[steps + 1, batch, 4 * u], dz_all)
}

/// The recurrent kernel's gradient `sum_t h_{t-1}^T dz_t` from `h0`, `y` and the backward op's result.
fn weight_grad_typed<T: SeqFloat>(h0: &Tensor, y: &Tensor, dz: &Tensor) -> Result<Tensor> {
    let (hs, ys, ds) = (h0.shape(), y.shape(), dz.shape());
    let ok = hs.len() == 2 && ys.len() == 3 && ds.len() == 3 && ys[1] == hs[0] && ys[2] == 6 * hs[1];
    if !ok || ds != [ys[0] + 1, hs[0], 4 * hs[1]] {
        return Err(Error::invalid(format!(
            "BlockLSTMWeightGrad expects h0 [batch, units], the output [steps, batch, 6 units] and the \
             gradient [steps + 1, batch, 4 units], received {hs:?}, {ys:?} and {ds:?}"
        )));
    }
    let (steps, batch, u) = (ys[0], hs[0], hs[1]);
    let yv = elements::<T>(y)?;
    let mut h_prev = elements::<T>(h0)?.into_owned();
    if steps > 1 {
        h_prev.extend(columns(&yv[..(steps - 1) * batch * 6 * u], 6 * u, 0, u));
    }
    let h_prev = Tensor::from_vec(&[steps * batch, u], h_prev)?;
    let dz = Tensor::from_vec(&[steps * batch, 4 * u], elements::<T>(dz)?[..steps * batch * 4 * u].to_vec())?;
    matmul(&h_prev, &dz, true, false)
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

/// `y = [h | c | z]` per step of the sequence `x` from the states `h0`, `c0` with the recurrent kernel `w`.
pub fn lstm_sequence(x: &Tensor, h0: &Tensor, c0: &Tensor, w: &Tensor) -> Result<Tensor> {
    by_dtype!("BlockLSTM", x, forward_typed::<f32>(x, h0, c0, w), forward_typed::<f64>(x, h0, c0, w))
}

/// The backward op: inputs `x, h0, c0, w, y` and the gradient of `y`.
pub fn lstm_sequence_grad(inputs: &[Tensor]) -> Result<Tensor> {
    by_dtype!("BlockLSTMGrad", inputs[0], backward_typed::<f32>(inputs), backward_typed::<f64>(inputs))
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

/// Static shape and dtype of the three ops (`which`: 0 forward, 1 backward, 2 weight gradient).
pub(crate) fn infer(inputs: &[(&Shape, DType)], which: u8) -> Result<(Shape, DType)> {
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
        0 => (Shape::from_dims(vec![steps, batch, units.map(|u| 6 * u)]), dtype),
        _ => (Shape::from_dims(vec![steps.map(|t| t + 1), batch, units.map(|u| 4 * u)]), dtype),
    })
}

#[cfg(test)]
#[path = "lstm_sequence_tests.rs"]
mod tests;
