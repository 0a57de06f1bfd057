//! The whole-sequence LSTM's backward pass: every step's pre-activation gradient, walked back from the
//! gradients that reach the sequence's output in the compact forms a recurrent layer produces them.
//!
//! A layer reads three things of the forward op's `[T, B, 6u]` output: every step's `h` (return_sequences)
//! and the last step's `h` and `c` (the final state). Their gradients arrive as separate inputs, `[T, B, u]`
//! and two `[B, u]`, so that no `[T, B, 6u]` tensor of zeros is made and summed for them (at an LSTM(128)
//! over 100 steps at batch 64 that was 23 MB zero-filled and read back each training step). A dense
//! gradient of the whole output is still accepted for any other use. Each of the four is either its
//! shape or a scalar standing for a tensor filled with it (zero: absent).

use super::lstm_sequence::{dims, elements, SeqFloat};
use super::sequence_product::{group_step_rows, row_groups};
use crate::error::{Error, Result};
use crate::tensor::{try_alloc, try_vec, Element, Tensor};
use crate::threading::{for_each_piece, part};
use std::borrow::Cow;

/// One gradient input: its elements in the full shape, or `None` where it is a scalar zero.
fn gradient_part<'t, T: SeqFloat>(t: &'t Tensor, want: &[usize], what: &str) -> Result<Option<Cow<'t, [T]>>> {
    if t.shape().is_empty() {
        let v = elements::<T>(t)?[0];
        if v == T::default() {
            return Ok(None);
        }
        return Ok(Some(Cow::Owned(try_vec(want.iter().product(), v)?)));
    }
    if t.shape() != want {
        return Err(Error::invalid(format!(
            "BlockLSTMGrad expects the gradient of {what} of shape {want:?} (or a scalar), received {:?}",
            t.shape()
        )));
    }
    Ok(Some(elements::<T>(t)?))
}

/// The gradients reaching the output: of all of it, of every step's `h`, of the last `h` and the last `c`.
struct OutputGrads<'t, T: Clone> {
    full: Option<Cow<'t, [T]>>,
    hs: Option<Cow<'t, [T]>>,
    last_h: Option<Cow<'t, [T]>>,
    last_c: Option<Cow<'t, [T]>>,
}

/// `[T (+ 1), B, 4u]`: the gradient of each step's pre-activations, then (`with_states`) `[dh0 | dc0 | 0]`.
/// Inputs: `x, h0, c0, w, y` and the output's gradients (see the module's comment). Row groups run backward
/// through every step on one thread each, as forward.
pub(super) fn backward_typed<T: SeqFloat>(inputs: &[Tensor], with_states: bool) -> Result<Tensor> {
    if inputs.len() != 9 {
        return Err(Error::invalid(format!("BlockLSTMGrad expects 9 inputs, received {}", inputs.len())));
    }
    let (x, h0, c0, w, y) = (&inputs[0], &inputs[1], &inputs[2], &inputs[3], &inputs[4]);
    let (steps, batch, u) = dims(x, h0, c0, w)?;
    let want = [steps, batch, 6 * u];
    if y.shape() != want {
        return Err(Error::invalid(format!(
            "BlockLSTMGrad expects the sequence's output of shape {want:?}, received {:?}",
            y.shape()
        )));
    }
    let grads = OutputGrads {
        full: gradient_part::<T>(&inputs[5], &want, "the output")?,
        hs: gradient_part::<T>(&inputs[6], &[steps, batch, u], "every step's h")?,
        last_h: gradient_part::<T>(&inputs[7], &[batch, u], "the last h")?,
        last_c: gradient_part::<T>(&inputs[8], &[batch, u], "the last c")?,
    };
    let (yv, c0v, wv) = (elements::<T>(y)?, elements::<T>(c0)?, elements::<T>(w)?);
    let gates = 4 * u;
    let rows_out = steps + usize::from(with_states);
    // Every element is written (each step's dz, the states' row in full), so a dead buffer serves.
    let mut dz_all = crate::buffer_pool::overwritable::<T>(rows_out * batch * gates)?;
    if batch > 0 && u > 0 {
        // U^T (element (i, j) is U[j, i]), prepared once for every step's dh product.
        let weight_t = T::step_weight(&wv, (gates, u), (1, gates))?;
        let groups = row_groups::<T>(batch, &weight_t);
        let mut work = Vec::with_capacity(groups);
        for (g, rows) in group_step_rows(&mut dz_all, batch, gates, groups).into_iter().enumerate() {
            let r = part(batch, g, groups);
            let initial = |last: &Option<Cow<[T]>>| match last {
                Some(v) => Ok(v[r.start * u..r.end * u].to_vec()),
                None => try_alloc::<T>(r.len() * u),
            };
            work.push((rows, initial(&grads.last_h)?, initial(&grads.last_c)?));
        }
        let context = Context { yv: &yv, c0v: &c0v, grads: &grads, steps, batch, u };
        for_each_piece(work, |g, (mut rows, mut dh, mut dc)| {
            let r0 = part(batch, g, groups).start;
            backward_rows(&mut rows, r0, &context, &weight_t, (&mut dh, &mut dc))
        });
    }
    Tensor::from_vec(&[rows_out, batch, gates], dz_all)
}

/// What every row group reads: the forward output, `c0`, the output's gradients and the sizes.
struct Context<'a, 't, T: Clone> {
    yv: &'a [T],
    c0v: &'a [T],
    grads: &'a OutputGrads<'t, T>,
    steps: usize,
    batch: usize,
    u: usize,
}

/// Every step, last first, of one row group starting at batch row `r0`: `rows[s]` is the group's rows of
/// step s's `dz` (`rows[steps]`, where present, receives `[dh0 | dc0 | 0]`); `dh`, `dc` carry the state
/// gradients back, starting from the last state's. Each step's rows run the cell's gradient (both outputs
/// in one pass), then one product carries the step's `dz` back to the previous `h`.
fn backward_rows<T: SeqFloat>(
    rows: &mut [&mut [T]],
    r0: usize,
    k: &Context<'_, '_, T>,
    weight_t: &T::StepWeight,
    (dh, dc): (&mut [T], &mut [T]),
) {
    let (u, batch) = (k.u, k.batch);
    let (width, gates) = (6 * u, 4 * u);
    let mut g2 = vec![T::default(); 2 * u];
    for s in (0..k.steps).rev() {
        let dz_step = &mut *rows[s];
        let m = dz_step.len() / gates;
        for i in 0..m {
            let row = s * batch + r0 + i;
            let r = row * width;
            // The gradient of this step's [h | c'] from its own output and from the step after it.
            g2[..u].copy_from_slice(&dh[i * u..(i + 1) * u]);
            g2[u..].copy_from_slice(&dc[i * u..(i + 1) * u]);
            if let Some(full) = &k.grads.full {
                add_into(&mut g2, &full[r..r + 2 * u]);
            }
            if let Some(hs) = &k.grads.hs {
                add_into(&mut g2[..u], &hs[row * u..(row + 1) * u]);
            }
            let c_prev = if s == 0 {
                &k.c0v[(r0 + i) * u..(r0 + i + 1) * u]
            } else {
                &k.yv[r - batch * width + u..r - batch * width + 2 * u]
            };
            let dz_r = &mut dz_step[i * gates..(i + 1) * gates];
            T::cell_grad_row(&k.yv[r + 2 * u..r + width], c_prev, &g2, dz_r, &mut dc[i * u..(i + 1) * u], u);
            if let Some(full) = &k.grads.full {
                add_into(dz_r, &full[r + 2 * u..r + width]);
            }
        }
        // dh_{t-1} = dz_t U^T.
        T::step_product(weight_t, dz_step, gates, m, dh);
    }
    if let Some(states) = rows.get_mut(k.steps) {
        for (i, row) in states.chunks_exact_mut(gates).enumerate() {
            row[..u].copy_from_slice(&dh[i * u..(i + 1) * u]);
            row[u..2 * u].copy_from_slice(&dc[i * u..(i + 1) * u]);
            row[2 * u..].fill(T::default());
        }
    }
}

fn add_into<T: Element + std::ops::AddAssign>(out: &mut [T], add: &[T]) {
    for (o, &a) in out.iter_mut().zip(add) {
        *o += a;
    }
}
