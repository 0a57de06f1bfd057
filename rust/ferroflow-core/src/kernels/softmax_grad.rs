//! The gradient of a last-axis softmax, `y * (g - sum(g * y))` per row, in one pass over each row.
//!
//! Composed, it took four ops (a product, a row sum, a difference, a product), each streaming attention's
//! `[batch, heads, query, key]` tensors from memory; here each row is read while in cache.

use super::elementwise::Num;
use super::layer_norm::{lane_sum, per_row};
use super::layout::row_major;
use crate::error::{Error, Result};
use crate::shape::fmt_dims;
use crate::tensor::{Tensor, TensorData};

/// `g` is the incoming gradient, `y` the softmax's output; both of one shape and float dtype.
pub fn softmax_grad(g: &Tensor, y: &Tensor) -> Result<Tensor> {
    if g.shape() != y.shape() {
        return Err(Error::invalid(format!(
            "SoftmaxGrad expects a gradient shaped like the softmax's output {}, received {}",
            fmt_dims(y.shape()),
            fmt_dims(g.shape())
        )));
    }
    match (g.data(), y.data()) {
        (TensorData::F32(g), TensorData::F32(y)) => typed(&row_major(g), &row_major(y), y.shape()),
        (TensorData::F64(g), TensorData::F64(y)) => typed(&row_major(g), &row_major(y), y.shape()),
        _ => Err(Error::dtype(format!(
            "SoftmaxGrad expects two float32 or float64 tensors, received {} and {}",
            g.dtype(),
            y.dtype()
        ))),
    }
}

fn typed<T: Num + Send + Sync>(g: &[T], y: &[T], shape: &[usize]) -> Result<Tensor> {
    let c = shape.last().copied().unwrap_or(1);
    // Every element is written below: a reused buffer skips the zero fill (see `buffer_pool`).
    let mut out = crate::buffer_pool::overwritable::<T>(y.len())?;
    per_row(y, &mut out, c, |r, yr, o| {
        let gr = &g[r * c..(r + 1) * c];
        let s = T::from_f64(lane_sum(c, |j| gr[j].mul(yr[j])));
        for j in 0..c {
            o[j] = yr[j].mul(gr[j].sub(s));
        }
    });
    Tensor::from_vec(shape, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_composed_formula() {
        for (rows, c) in [(2048, 128), (5, 3), (1, 1)] {
            let v = |k: usize, s: f32| {
                (0..k).map(|i| ((i * 29 % 97) as f32 / 48.0 - 1.0) * s).collect::<Vec<f32>>()
            };
            let (g, y) = (v(rows * c, 2.0), v(rows * c, 0.5));
            let out = softmax_grad(
                &Tensor::from_vec(&[rows, c], g.clone()).unwrap(),
                &Tensor::from_vec(&[rows, c], y.clone()).unwrap(),
            )
            .unwrap();
            let got = out.array::<f32>().unwrap().as_slice().unwrap().to_vec();
            for r in 0..rows {
                let s: f64 = (0..c).map(|j| g[r * c + j] as f64 * y[r * c + j] as f64).sum();
                for j in 0..c {
                    let want = y[r * c + j] as f64 * (g[r * c + j] as f64 - s);
                    assert!((got[r * c + j] as f64 - want).abs() < 1e-5 * (1.0 + want.abs()), "{rows}x{c}");
                }
            }
        }
    }
}
