//! Fast Fourier transforms over a tensor's innermost axes (`tf.signal.fft`, `rfft`, `irfft` and their
//! gradients), on rustfft's planned transforms.
//!
//! Real transforms run as complex ones on the real input: simpler than a real-to-complex plan, and the
//! half spectrum is what is kept. Inverse transforms are normalized by `1/n`, as TensorFlow's are.

use super::complex::Part;
use crate::error::{Error, Result};
use crate::tensor::{Complex, Tensor, TensorData};
use ndarray::{ArrayD, Axis, IxDyn, Slice};
use rayon::prelude::*;
use rustfft::num_traits::Zero;
use rustfft::{FftDirection, FftPlanner};

/// Transforms `a` in place along each of `axes`; `inverse` also scales by `1 / prod(lengths)`.
fn transform<T: Part>(a: &mut ArrayD<Complex<T>>, axes: &[usize], inverse: bool) {
    let direction = if inverse { FftDirection::Inverse } else { FftDirection::Forward };
    let mut planner = FftPlanner::<T>::new();
    let last = a.ndim().saturating_sub(1);
    for &ax in axes {
        let n = a.shape()[ax];
        if n <= 1 || a.is_empty() {
            continue;
        }
        let plan = planner.plan_fft(n, direction);
        match a.as_slice_mut() {
            // Contiguous rows: transform batches of rows in parallel, each batch in one call.
            Some(s) if ax == last => {
                let rows_per_task = (1 << 14) / n + 1;
                s.par_chunks_mut(n * rows_per_task).for_each(|chunk| plan.process(chunk));
            }
            _ => {
                let mut buf = vec![Complex::new(T::zero(), T::zero()); n];
                for mut lane in a.lanes_mut(Axis(ax)) {
                    buf.iter_mut().zip(lane.iter()).for_each(|(b, &v)| *b = v);
                    plan.process(&mut buf);
                    lane.iter_mut().zip(&buf).for_each(|(v, &b)| *v = b);
                }
            }
        }
    }
    if inverse {
        let n: usize = axes.iter().map(|&ax| a.shape()[ax]).product();
        if n > 1 {
            let scale = T::one() / T::from_usize(n).unwrap_or_else(T::one);
            a.par_mapv_inplace(|v| v * scale);
        }
    }
}

/// `a` cropped or zero-padded on its innermost axes to `lengths` (TensorFlow's `fft_length` rule).
fn fit_inner<T: Clone + Zero>(a: &ArrayD<T>, lengths: &[usize]) -> ArrayD<T> {
    let rank = a.ndim();
    let first = rank - lengths.len();
    let mut shape = a.shape().to_vec();
    shape[first..].copy_from_slice(lengths);
    if shape == a.shape() {
        return a.clone();
    }
    let mut out = ArrayD::from_elem(IxDyn(&shape), T::zero());
    let common: Vec<usize> = a.shape().iter().zip(&shape).map(|(&x, &y)| x.min(y)).collect();
    let cut = |ax: ndarray::AxisDescription| Slice::from(0..common[ax.axis.index()]);
    out.slice_each_axis_mut(cut).assign(&a.slice_each_axis(cut));
    out
}

fn inner_axes(rank: usize, count: usize) -> Result<Vec<usize>> {
    if rank < count {
        return Err(Error::invalid(format!(
            "a {count}-D FFT needs a tensor of rank >= {count}, received rank {rank}"
        )));
    }
    Ok((rank - count..rank).collect())
}

/// `fft`/`ifft` (and the 2-D and 3-D forms) of a complex tensor over its innermost `rank` axes.
pub fn fft(x: &Tensor, rank: usize, inverse: bool) -> Result<Tensor> {
    let axes = inner_axes(x.rank(), rank)?;
    macro_rules! go {
        ($a:expr) => {{
            let mut a = $a.as_standard_layout().into_owned();
            transform(&mut a, &axes, inverse);
            Ok(Tensor::from_array(a))
        }};
    }
    match x.data() {
        TensorData::C64(a) => go!(a),
        TensorData::C128(a) => go!(a),
        _ => {
            Err(Error::dtype(format!("fft expects a complex64 or complex128 tensor, received {}", x.dtype())))
        }
    }
}

fn rfft_typed<T: Part>(a: &ArrayD<T>, lengths: &[usize]) -> Result<Tensor>
where
    Complex<T>: crate::tensor::Element,
{
    let axes = inner_axes(a.ndim(), lengths.len())?;
    let fitted = fit_inner(a, lengths);
    let mut c = fitted.mapv(|v| Complex::new(v, T::zero()));
    transform(&mut c, &axes, false);
    let last = a.ndim() - 1;
    let half = lengths[lengths.len() - 1] / 2 + 1;
    let kept = c.slice_axis(Axis(last), Slice::from(0..half.min(c.shape()[last])));
    Ok(Tensor::from_array(kept.as_standard_layout().into_owned()))
}

/// `rfft` over the innermost `lengths.len()` axes: the input fitted to `lengths`, and the
/// `lengths[-1] / 2 + 1` non-negative frequencies of the last axis.
pub fn rfft(x: &Tensor, lengths: &[usize]) -> Result<Tensor> {
    match x.data() {
        TensorData::F32(a) => rfft_typed(a, lengths),
        TensorData::F64(a) => rfft_typed(a, lengths),
        _ => Err(Error::dtype(format!("rfft expects a float32 or float64 tensor, received {}", x.dtype()))),
    }
}

fn irfft_typed<T: Part>(z: &ArrayD<Complex<T>>, lengths: &[usize]) -> Result<Tensor>
where
    Complex<T>: crate::tensor::Element,
{
    let axes = inner_axes(z.ndim(), lengths.len())?;
    let n = lengths[lengths.len() - 1];
    let mut half_lengths = lengths.to_vec();
    *half_lengths.last_mut().expect("an FFT has at least one axis") = n / 2 + 1;
    let mut half = fit_inner(z, &half_lengths);
    // The outer axes first (ordinary inverse transforms), then the last axis from its half spectrum.
    transform(&mut half, &axes[..axes.len() - 1], true);
    let last = z.ndim() - 1;
    let mut shape = half.shape().to_vec();
    shape[last] = n;
    let mut full = ArrayD::from_elem(IxDyn(&shape), Complex::new(T::zero(), T::zero()));
    for (mut out, row) in full.lanes_mut(Axis(last)).into_iter().zip(half.lanes(Axis(last))) {
        for k in 0..row.len().min(n) {
            out[k] = row[k];
            // Hermitian symmetry of a real signal's spectrum: X[n - k] = conj(X[k]).
            if k > 0 && n - k > k {
                out[n - k] = row[k].conj();
            }
        }
    }
    transform(&mut full, &[last], true);
    Ok(Tensor::from_array(full.mapv(|v| v.re)))
}

/// `irfft`: the real signals of `lengths` whose half spectra (last axis) and spectra (other axes) are `z`.
pub fn irfft(z: &Tensor, lengths: &[usize]) -> Result<Tensor> {
    match z.data() {
        TensorData::C64(a) => irfft_typed(a, lengths),
        TensorData::C128(a) => irfft_typed(a, lengths),
        _ => Err(Error::dtype(format!(
            "irfft expects a complex64 or complex128 tensor, received {}",
            z.dtype()
        ))),
    }
}

fn rfft_grad_typed<T: Part>(g: &ArrayD<Complex<T>>, x_shape: &[usize], lengths: &[usize]) -> Result<Tensor>
where
    Complex<T>: crate::tensor::Element,
{
    let axes = inner_axes(g.ndim(), lengths.len())?;
    // The adjoint of "transform, keep the half spectrum": zero the dropped frequencies, transform back
    // unnormalized (n times the inverse), keep the real part, and undo the fitting to `lengths`.
    let mut full = fit_inner(g, lengths);
    let n: usize = lengths.iter().product();
    transform(&mut full, &axes, true);
    let scale = T::from_usize(n).unwrap_or_else(T::one);
    let real = full.mapv(|v| v.re * scale);
    let first = x_shape.len() - lengths.len();
    Ok(Tensor::from_array(fit_inner(&real, &x_shape[first..])))
}

/// The gradient of `rfft` with respect to its real input `x`, given the gradient `g` of its output.
pub fn rfft_grad(g: &Tensor, x: &Tensor, lengths: &[usize]) -> Result<Tensor> {
    match g.data() {
        TensorData::C64(a) => rfft_grad_typed(a, x.shape(), lengths),
        TensorData::C128(a) => rfft_grad_typed(a, x.shape(), lengths),
        _ => Err(Error::dtype(format!("rfft's gradient must be complex, received {}", g.dtype()))),
    }
}

/// The gradient of `irfft` with respect to its complex input `z`: the forward transform of `g`, with
/// the frequencies that stand for two (their conjugates were dropped) counted twice, over `prod(lengths)`.
pub fn irfft_grad(g: &Tensor, z: &Tensor, lengths: &[usize]) -> Result<Tensor> {
    let spectrum = rfft(g, lengths)?;
    let n = lengths[lengths.len() - 1];
    let size: usize = lengths.iter().product();
    macro_rules! weigh {
        ($a:expr, $t:ty) => {{
            let mut a = $a.clone();
            let last = a.ndim() - 1;
            let bins = a.shape()[last];
            for (k, mut col) in a.axis_iter_mut(Axis(last)).enumerate() {
                let twice = k > 0 && !(n % 2 == 0 && k == bins - 1);
                let w = if twice { 2.0 } else { 1.0 } / size as f64;
                col.mapv_inplace(|v| v * (w as $t));
            }
            let first = z.rank() - lengths.len();
            Ok(Tensor::from_array(fit_inner(&a, &z.shape()[first..])))
        }};
    }
    match spectrum.data() {
        TensorData::C64(a) => weigh!(a, f32),
        TensorData::C128(a) => weigh!(a, f64),
        _ => Err(Error::internal("rfft returned a real tensor")),
    }
}

#[cfg(test)]
#[path = "fft_tests.rs"]
mod tests;
