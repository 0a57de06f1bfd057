//! The fused LSTM cell: gates, new state and output of one step in one pass (TensorFlow's LSTMBlockCell).
//!
//! A step written as separate ops slices the pre-activations four ways, runs three sigmoids and two tanhs
//! and five products and sums, and its gradient as many more, each a pass over memory and a dispatch; at
//! the sizes of recurrent models (a batch of 64 by 128 units) the dispatches and slices dominated the step.
//! Here `z` holds the pre-activations `[i | f | c | o]` (Keras's gate order) of shape `[batch, 4 units]`;
//! the gates are sigmoid(i), sigmoid(f), tanh(c), sigmoid(o), the state `c' = f c + i g` and the output
//! `h = o tanh(c')`. The forward result is `[h | c']` (`[batch, 2 units]`); the gradient is two ops, one for
//! `z` and one for the previous state, each recomputing the gates (cheaper than storing them).

use super::fast_math::exp_f32;
use super::layout::row_major;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::shape::Shape;
use crate::tensor::{Tensor, TensorData};
use rayon::prelude::*;

/// The float types the cell runs in, with their activations.
trait CellFloat: Copy + Send + Sync + Default + PartialOrd {
    fn sigmoid(self) -> Self;
    fn tanh(self) -> Self;
    fn one() -> Self;
    fn mul(self, o: Self) -> Self;
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
}

impl CellFloat for f32 {
    #[inline(always)]
    fn sigmoid(self) -> f32 {
        // exp_f32 saturates to inf for large arguments, so the quotient goes to 0 without NaN.
        1.0 / (1.0 + exp_f32(-self))
    }
    #[inline(always)]
    fn tanh(self) -> f32 {
        // 1 - 2 / (e^2x + 1) loses relative precision near 0, where the odd series is exact to float32
        // for |x| < 0.25; both are computed so that the loop stays branch-free and vectorizes.
        let x2 = self * self;
        let series = self
            * (1.0 + x2 * (-1.0 / 3.0 + x2 * (2.0 / 15.0 + x2 * (-17.0 / 315.0 + x2 * (62.0 / 2835.0)))));
        let wide = 1.0 - 2.0 / (exp_f32(2.0 * self) + 1.0);
        if x2 < 0.0625 {
            series
        } else {
            wide
        }
    }
    fn one() -> f32 {
        1.0
    }
    fn mul(self, o: f32) -> f32 {
        self * o
    }
    fn add(self, o: f32) -> f32 {
        self + o
    }
    fn sub(self, o: f32) -> f32 {
        self - o
    }
}

impl CellFloat for f64 {
    fn sigmoid(self) -> f64 {
        if self >= 0.0 {
            1.0 / (1.0 + (-self).exp())
        } else {
            let e = self.exp();
            e / (1.0 + e)
        }
    }
    fn tanh(self) -> f64 {
        f64::tanh(self)
    }
    fn one() -> f64 {
        1.0
    }
    fn mul(self, o: f64) -> f64 {
        self * o
    }
    fn add(self, o: f64) -> f64 {
        self + o
    }
    fn sub(self, o: f64) -> f64 {
        self - o
    }
}

/// One row's pre-activations cut into the four gates' slices, each exactly `u` long: with every slice's
/// length known, the loops over units drop their bounds checks and vectorize.
struct Row<'a, T> {
    i: &'a [T],
    f: &'a [T],
    g: &'a [T],
    o: &'a [T],
    c: &'a [T],
}

impl<'a, T: CellFloat> Row<'a, T> {
    fn new(z: &'a [T], c: &'a [T], r: usize, u: usize) -> Self {
        let z = &z[r * 4 * u..(r + 1) * 4 * u];
        let (i, rest) = z.split_at(u);
        let (f, rest) = rest.split_at(u);
        let (g, o) = rest.split_at(u);
        Row { i, f, g, o, c: &c[r * u..(r + 1) * u] }
    }

    /// The gates and new state of unit `j`: (i, f, g, o, c').
    #[inline(always)]
    fn gates(&self, j: usize) -> (T, T, T, T, T) {
        let (i, f) = (self.i[j].sigmoid(), self.f[j].sigmoid());
        let (g, o) = (self.g[j].tanh(), self.o[j].sigmoid());
        (i, f, g, o, f.mul(self.c[j]).add(i.mul(g)))
    }
}

/// Checks `z: [batch, 4u]` and `c: [batch, u]` (and `g: [batch, 2u]`); returns `(batch, u)`.
fn dims(z: &Tensor, c: &Tensor, g: Option<&Tensor>) -> Result<(usize, usize)> {
    let (zs, cs) = (z.shape(), c.shape());
    if zs.len() != 2 || cs.len() != 2 || zs[0] != cs[0] || zs[1] != 4 * cs[1] {
        return Err(Error::invalid(format!(
            "LSTMBlockCell expects pre-activations [batch, 4 units] and a state [batch, units], received {zs:?} and {cs:?}"
        )));
    }
    if let Some(g) = g {
        if g.shape() != [cs[0], 2 * cs[1]] {
            return Err(Error::invalid(format!(
                "LSTMBlockCellGrad expects a gradient of shape [{}, {}], received {:?}",
                cs[0],
                2 * cs[1],
                g.shape()
            )));
        }
    }
    Ok((cs[0], cs[1]))
}

/// Rows at a time, on the pool when the step is large enough to pay for it.
fn for_rows<T: CellFloat>(
    out: &mut [T],
    width: usize,
    batch: usize,
    u: usize,
    row: impl Fn(usize, &mut [T]) + Sync,
) {
    if width == 0 {
        return;
    }
    if batch * u >= 1 << 13 {
        out.par_chunks_mut(width).enumerate().for_each(|(r, o)| row(r, o));
    } else {
        out.chunks_mut(width).enumerate().for_each(|(r, o)| row(r, o));
    }
}

/// `[h | c']` of one row (`out`, `2 u`) from its pre-activations `z` (`4 u`) and previous state `c` (`u`).
fn forward_row<T: CellFloat>(z: &[T], c: &[T], out: &mut [T], u: usize) {
    let row = Row::new(z, c, 0, u);
    let (h, c_new) = out.split_at_mut(u);
    let (h, c_new) = (&mut h[..u], &mut c_new[..u]);
    for j in 0..u {
        let (_, _, _, og, cn) = row.gates(j);
        h[j] = og.mul(cn.tanh());
        c_new[j] = cn;
    }
}

fn forward<T: CellFloat>(z: &[T], c: &[T], batch: usize, u: usize) -> Vec<T> {
    let mut out = vec![T::default(); batch * 2 * u];
    for_rows(&mut out, 2 * u, batch, u, |r, o| {
        forward_row(&z[r * 4 * u..(r + 1) * 4 * u], &c[r * u..(r + 1) * u], o, u)
    });
    out
}

/// One row's gradients given the row `g` (`2 u`) of the gradient of `[h | c']`: for `z` into `dz` (`4 u`)
/// and for the previous state into `dc_prev` (`u`), each where given.
fn backward_row<T: CellFloat>(
    z: &[T],
    c: &[T],
    g: &[T],
    dz: Option<&mut [T]>,
    dc_prev: Option<&mut [T]>,
    u: usize,
) {
    let row = Row::new(z, c, 0, u);
    let one = T::one();
    let (dh, dc_in) = g[..2 * u].split_at(u);
    let (dh, dc_in) = (&dh[..u], &dc_in[..u]);
    // dL/dc' from both outputs: directly, and through h = o tanh(c').
    let dc = |j: usize, og: T, cn: T| dc_in[j].add(dh[j].mul(og).mul(one.sub(cn.tanh().mul(cn.tanh()))));
    if let Some(out) = dc_prev {
        for (j, out) in out[..u].iter_mut().enumerate() {
            let (_, f, _, og, cn) = row.gates(j);
            *out = dc(j, og, cn).mul(f);
        }
    }
    let Some(o) = dz else { return };
    let (di, rest) = o.split_at_mut(u);
    let (df, rest) = rest.split_at_mut(u);
    let (dg, d_o) = rest.split_at_mut(u);
    let (di, df, dg, d_o) = (&mut di[..u], &mut df[..u], &mut dg[..u], &mut d_o[..u]);
    for j in 0..u {
        let (i, f, gg, og, cn) = row.gates(j);
        let d = dc(j, og, cn);
        di[j] = d.mul(gg).mul(i).mul(one.sub(i));
        df[j] = d.mul(row.c[j]).mul(f).mul(one.sub(f));
        dg[j] = d.mul(i).mul(one.sub(gg.mul(gg)));
        d_o[j] = dh[j].mul(cn.tanh()).mul(og).mul(one.sub(og));
    }
}

/// The gradient with respect to `z` (`wrt_state` false, `[batch, 4u]`) or to the previous state (`[batch, u]`).
fn backward<T: CellFloat>(z: &[T], c: &[T], g: &[T], batch: usize, u: usize, wrt_state: bool) -> Vec<T> {
    let width = if wrt_state { u } else { 4 * u };
    let mut out = vec![T::default(); batch * width];
    for_rows(&mut out, width, batch, u, |r, o| {
        let (zr, cr, gr) =
            (&z[r * 4 * u..(r + 1) * 4 * u], &c[r * u..(r + 1) * u], &g[r * 2 * u..(r + 1) * 2 * u]);
        if wrt_state {
            backward_row(zr, cr, gr, None, Some(o), u)
        } else {
            backward_row(zr, cr, gr, Some(o), None, u)
        }
    });
    out
}

/// One row of the cell and of its gradient, for kernels that keep their own buffers (the BlockLSTM
/// sequence): for float32 the vectorized rows where the CPU has them (`lstm_cell_f32.rs`), else the
/// portable ones.
pub(super) trait CellRows: Copy + Default + Send + Sync {
    /// `[h | c']` (`out`, `2 u`) from `z` (`4 u`) and `c` (`u`).
    fn cell_row(z: &[Self], c: &[Self], out: &mut [Self], u: usize);
    /// The gradients for `z` (`dz`, `4 u`) and for the previous state (`dc_prev`, `u`) given `g` (`2 u`).
    fn cell_grad_row(z: &[Self], c: &[Self], g: &[Self], dz: &mut [Self], dc_prev: &mut [Self], u: usize);
}

impl CellRows for f64 {
    fn cell_row(z: &[f64], c: &[f64], out: &mut [f64], u: usize) {
        forward_row(z, c, out, u)
    }
    fn cell_grad_row(z: &[f64], c: &[f64], g: &[f64], dz: &mut [f64], dc_prev: &mut [f64], u: usize) {
        backward_row(z, c, g, Some(dz), Some(dc_prev), u)
    }
}

/// `[h | c']` of one LSTM step from the pre-activations `z` and the previous state `c`.
pub fn lstm_cell(z: &Tensor, c: &Tensor) -> Result<Tensor> {
    let (batch, u) = dims(z, c, None)?;
    let shape = [batch, 2 * u];
    match (z.data(), c.data()) {
        (TensorData::F32(zz), TensorData::F32(cc)) => {
            Tensor::from_vec(&shape, forward_f32(&row_major(zz), &row_major(cc), batch, u))
        }
        (TensorData::F64(zz), TensorData::F64(cc)) => {
            Tensor::from_vec(&shape, forward(&row_major(zz), &row_major(cc), batch, u))
        }
        _ => Err(Error::dtype(format!(
            "LSTMBlockCell expects float32 or float64 tensors of one dtype, received {} and {}",
            z.dtype(),
            c.dtype()
        ))),
    }
}

/// The gradient of `lstm_cell(z, c)` given the gradient `g` of `[h | c']`: for `z`, or for `c` (`wrt_state`).
pub fn lstm_cell_grad(z: &Tensor, c: &Tensor, g: &Tensor, wrt_state: bool) -> Result<Tensor> {
    let (batch, u) = dims(z, c, Some(g))?;
    let shape = [batch, if wrt_state { u } else { 4 * u }];
    match (z.data(), c.data(), g.data()) {
        (TensorData::F32(zz), TensorData::F32(cc), TensorData::F32(gg)) => Tensor::from_vec(
            &shape,
            backward_f32(&row_major(zz), &row_major(cc), &row_major(gg), batch, u, wrt_state),
        ),
        (TensorData::F64(zz), TensorData::F64(cc), TensorData::F64(gg)) => Tensor::from_vec(
            &shape,
            backward(&row_major(zz), &row_major(cc), &row_major(gg), batch, u, wrt_state),
        ),
        _ => Err(Error::dtype(format!(
            "LSTMBlockCellGrad expects float32 or float64 tensors of one dtype, received {}, {} and {}",
            z.dtype(),
            c.dtype(),
            g.dtype()
        ))),
    }
}

/// Static shapes: `[batch, 2 units]` for the cell (`grad` None), `[batch, 4 units]` or `[batch, units]` for
/// its gradient with respect to z or to the state.
pub(crate) fn infer(inputs: &[(&Shape, DType)], grad: Option<bool>) -> Result<(Shape, DType)> {
    let (z, c) = (inputs[0], inputs[1]);
    let what = if grad.is_some() { "LSTMBlockCellGrad" } else { "LSTMBlockCell" };
    if !matches!(z.1, DType::F32 | DType::F64) || inputs.iter().any(|i| i.1 != z.1) {
        let got: Vec<String> = inputs.iter().map(|i| i.1.to_string()).collect();
        return Err(Error::dtype(format!(
            "{what} expects float32 or float64 inputs of one dtype, received {got:?}"
        )));
    }
    let dim = |s: &Shape, k: usize| s.dims.as_ref().and_then(|d| d.get(k).copied()).flatten();
    for (s, name) in [(z.0, "pre-activations"), (c.0, "state")] {
        if s.rank().is_some_and(|r| r != 2) {
            return Err(Error::invalid(format!("{what} expects a rank-2 {name} tensor, received shape {s}")));
        }
    }
    let units = dim(c.0, 1).or_else(|| dim(z.0, 1).map(|w| w / 4));
    if let (Some(w), Some(u)) = (dim(z.0, 1), dim(c.0, 1)) {
        if w != 4 * u {
            return Err(Error::invalid(format!(
                "{what} expects pre-activations [batch, 4 units] for a state [batch, units], received {} and {}",
                z.0, c.0
            )));
        }
    }
    let batch = dim(z.0, 0).or(dim(c.0, 0));
    let width = match grad {
        None => units.map(|u| 2 * u),
        Some(false) => units.map(|u| 4 * u),
        Some(true) => units,
    };
    Ok((Shape::from_dims(vec![batch, width]), z.1))
}

#[path = "lstm_cell_f32.rs"]
mod f32_rows;
use f32_rows::{backward_f32, forward_f32};

#[cfg(test)]
#[path = "lstm_cell_tests.rs"]
mod tests;
