//! Fused optimizer steps that update a variable and its slots in place in one pass over the parameters.
//!
//! Written out as separate elementwise ops, one Adam step reads and writes each parameter about a dozen
//! times; fused, it streams through the parameter, gradient and slots once.

use crate::error::{Error, Result};
use crate::tensor::{Element, Tensor};
use crate::variable::VarHandle;
use ndarray::ArrayD;

/// Above this many elements an update splits across the pool: splitting pays on big layers only.
const CHUNK: usize = 1 << 15;

fn scalar_of(t: &Tensor, what: &str) -> Result<f64> {
    if t.len() != 1 {
        return Err(Error::invalid(format!("{what} must be a scalar, received shape {:?}", t.shape())));
    }
    t.first_f64().ok_or_else(|| Error::internal("empty scalar"))
}

fn contiguous<'a, T: Element>(a: &'a ArrayD<T>, what: &str) -> Result<&'a [T]> {
    a.as_slice().ok_or_else(|| Error::internal(format!("{what} is not contiguous")))
}

fn check_len(n: usize, g: usize, var: &VarHandle) -> Result<()> {
    if n != g {
        return Err(Error::invalid(format!(
            "gradient with {g} elements does not match variable '{}' with {n} elements",
            var.name()
        )));
    }
    Ok(())
}

/// Keras's Adam step, fused: `m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2); var -= alpha m / (sqrt(v) + eps)`.
pub fn apply_adam(
    var: &VarHandle,
    m: &VarHandle,
    v: &VarHandle,
    grad: &Tensor,
    alpha: &Tensor,
    (beta_1, beta_2, epsilon): (f64, f64, f64),
) -> Result<Tensor> {
    let alpha = scalar_of(alpha, "Adam's step size")?;
    match grad.dtype() {
        crate::DType::F32 => {
            let g = contiguous(grad.array::<f32>()?, "gradient")?;
            let (a, b1, b2, eps) = (alpha as f32, 1.0 - beta_1 as f32, 1.0 - beta_2 as f32, epsilon as f32);
            adam_typed(var, m, v, g, move |p: &mut f32, m: &mut f32, v: &mut f32, g: f32| {
                *m += (g - *m) * b1;
                *v += (g * g - *v) * b2;
                *p -= a * *m / (v.sqrt() + eps);
            })?;
        }
        crate::DType::F64 => {
            let g = contiguous(grad.array::<f64>()?, "gradient")?;
            let (a, b1, b2, eps) = (alpha, 1.0 - beta_1, 1.0 - beta_2, epsilon);
            adam_typed(var, m, v, g, move |p: &mut f64, m: &mut f64, v: &mut f64, g: f64| {
                *m += (g - *m) * b1;
                *v += (g * g - *v) * b2;
                *p -= a * *m / (v.sqrt() + eps);
            })?;
        }
        other => return Err(Error::dtype(format!("Adam expects float gradients, received {other}"))),
    }
    Tensor::zeros(crate::DType::F32, &[0])
}

fn adam_typed<T: Element>(
    var: &VarHandle,
    m: &VarHandle,
    v: &VarHandle,
    g: &[T],
    step: impl Fn(&mut T, &mut T, &mut T, T) + Sync,
) -> Result<()> {
    m.update_in_place::<T>(|ma| {
        v.update_in_place::<T>(|va| {
            var.update_in_place::<T>(|pa| {
                let n = pa.len();
                check_len(n, g.len(), var)?;
                check_len(ma.len(), n, m)?;
                check_len(va.len(), n, v)?;
                let p = pa.as_slice_mut().ok_or_else(|| Error::internal("variable is not contiguous"))?;
                let ms = ma.as_slice_mut().ok_or_else(|| Error::internal("slot is not contiguous"))?;
                let vs = va.as_slice_mut().ok_or_else(|| Error::internal("slot is not contiguous"))?;
                // Zipped iterators, not indexing: no bounds checks, so the loop vectorizes.
                let update = |p: &mut [T], m: &mut [T], v: &mut [T], g: &[T]| {
                    crate::kernels::simd::vectorized(|| {
                        for (((p, m), v), &g) in p.iter_mut().zip(m.iter_mut()).zip(v.iter_mut()).zip(g) {
                            step(p, m, v, g);
                        }
                    })
                };
                // The variable's locks are held here: `for_each_part` never runs another pool job while it
                // waits, so a job that reads this variable cannot block on top of this update.
                let threads = if n > CHUNK { crate::threading::current_threads() } else { 1 };
                use crate::threading::split_rows;
                let parts = split_rows(p, 1, threads).into_iter().zip(split_rows(ms, 1, threads));
                let parts: Vec<_> = parts.zip(split_rows(vs, 1, threads)).collect();
                crate::threading::for_each_piece(parts, |i, ((p, m), v)| {
                    update(p, m, v, &g[crate::threading::part(n, i, threads)])
                });
                Ok(())
            })
        })
    })
}

/// Plain or momentum SGD, fused and in place, with Keras's update rules.
pub fn apply_sgd(
    var: &VarHandle,
    m: Option<&VarHandle>,
    grad: &Tensor,
    lr: &Tensor,
    momentum: f64,
    nesterov: bool,
) -> Result<Tensor> {
    let lr = scalar_of(lr, "the learning rate")?;
    match grad.dtype() {
        crate::DType::F32 => sgd_typed(
            var,
            m,
            contiguous(grad.array::<f32>()?, "gradient")?,
            lr as f32,
            momentum as f32,
            nesterov,
        )?,
        crate::DType::F64 => {
            sgd_typed(var, m, contiguous(grad.array::<f64>()?, "gradient")?, lr, momentum, nesterov)?
        }
        other => return Err(Error::dtype(format!("SGD expects float gradients, received {other}"))),
    }
    Tensor::zeros(crate::DType::F32, &[0])
}

fn sgd_typed<T>(
    var: &VarHandle,
    m: Option<&VarHandle>,
    g: &[T],
    lr: T,
    momentum: T,
    nesterov: bool,
) -> Result<()>
where
    T: Element + num_traits_like::Real,
{
    var.update_in_place::<T>(|pa| {
        check_len(pa.len(), g.len(), var)?;
        let p = pa.as_slice_mut().ok_or_else(|| Error::internal("variable is not contiguous"))?;
        match m {
            None => p.iter_mut().zip(g).for_each(|(p, &g)| *p = *p - lr * g),
            Some(mv) => mv.update_in_place::<T>(|ma| {
                check_len(ma.len(), p.len(), mv)?;
                let ms = ma.as_slice_mut().ok_or_else(|| Error::internal("slot is not contiguous"))?;
                for ((p, m), &g) in p.iter_mut().zip(ms.iter_mut()).zip(g) {
                    *m = momentum * *m - lr * g;
                    *p = if nesterov { *p + momentum * *m - lr * g } else { *p + *m };
                }
                Ok(())
            })?,
        }
        Ok(())
    })
}

/// Keras's Adagrad, fused and in place: `acc += g^2; var -= lr * g / sqrt(acc + epsilon)`.
pub fn apply_adagrad(
    var: &VarHandle,
    acc: &VarHandle,
    grad: &Tensor,
    lr: &Tensor,
    epsilon: f64,
) -> Result<Tensor> {
    let lr = scalar_of(lr, "the learning rate")?;
    match grad.dtype() {
        crate::DType::F32 => {
            adagrad_typed(var, acc, contiguous(grad.array::<f32>()?, "gradient")?, lr as f32, epsilon as f32)?
        }
        crate::DType::F64 => {
            adagrad_typed(var, acc, contiguous(grad.array::<f64>()?, "gradient")?, lr, epsilon)?
        }
        other => return Err(Error::dtype(format!("Adagrad expects float gradients, received {other}"))),
    }
    Tensor::zeros(crate::DType::F32, &[0])
}

fn adagrad_typed<T>(var: &VarHandle, acc: &VarHandle, g: &[T], lr: T, epsilon: T) -> Result<()>
where
    T: Element + num_traits_like::Real,
{
    acc.update_in_place::<T>(|aa| {
        var.update_in_place::<T>(|pa| {
            check_len(pa.len(), g.len(), var)?;
            check_len(aa.len(), pa.len(), acc)?;
            let p = pa.as_slice_mut().ok_or_else(|| Error::internal("variable is not contiguous"))?;
            let a = aa.as_slice_mut().ok_or_else(|| Error::internal("slot is not contiguous"))?;
            crate::kernels::simd::vectorized(|| {
                for ((p, a), &g) in p.iter_mut().zip(a.iter_mut()).zip(g) {
                    *a = *a + g * g;
                    *p = *p - lr * g / (*a + epsilon).sqrt();
                }
            });
            Ok(())
        })
    })
}

mod num_traits_like {
    //! The arithmetic the SGD and Adagrad kernels need, for f32 and f64.
    pub trait Real:
        Copy
        + std::ops::Add<Output = Self>
        + std::ops::Sub<Output = Self>
        + std::ops::Mul<Output = Self>
        + std::ops::Div<Output = Self>
    {
        fn sqrt(self) -> Self;
    }
    impl Real for f32 {
        fn sqrt(self) -> Self {
            f32::sqrt(self)
        }
    }
    impl Real for f64 {
        fn sqrt(self) -> Self {
            f64::sqrt(self)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shape::Shape;

    fn var(name: &str, v: Vec<f64>) -> VarHandle {
        VarHandle::with_value(name, Tensor::from_vec(&[v.len()], v).unwrap())
    }

    #[test]
    fn adam_matches_the_keras_formula() {
        let (p, m, v) = (var("p", vec![1.0, -2.0]), var("m", vec![0.1, 0.0]), var("v", vec![0.01, 0.0]));
        let g = Tensor::from_vec(&[2], vec![0.5, -1.0]).unwrap();
        apply_adam(&p, &m, &v, &g, &Tensor::scalar(0.01f64), (0.9, 0.999, 1e-7)).unwrap();
        let (m0, v0) = ([0.1, 0.0], [0.01, 0.0]);
        for i in 0..2 {
            let gi = g.to_f64_vec()[i];
            let mi = m0[i] + (gi - m0[i]) * 0.1;
            let vi = v0[i] + (gi * gi - v0[i]) * 0.001;
            let pi = [1.0, -2.0][i] - 0.01 * mi / (vi.sqrt() + 1e-7);
            assert!((m.read().unwrap().to_f64_vec()[i] - mi).abs() < 1e-15);
            assert!((v.read().unwrap().to_f64_vec()[i] - vi).abs() < 1e-15);
            assert!((p.read().unwrap().to_f64_vec()[i] - pi).abs() < 1e-15);
        }
    }

    #[test]
    fn large_adam_step_is_parallel_and_in_place() {
        let n = 3 * CHUNK + 5;
        let p = VarHandle::with_value("p", Tensor::from_vec(&[n], vec![1.0f32; n]).unwrap());
        let m = VarHandle::with_value("m", Tensor::zeros(crate::DType::F32, &[n]).unwrap());
        let v = VarHandle::with_value("v", Tensor::zeros(crate::DType::F32, &[n]).unwrap());
        let g = Tensor::from_vec(&[n], vec![2.0f32; n]).unwrap();
        crate::threading::install(|| apply_adam(&p, &m, &v, &g, &Tensor::scalar(0.1f32), (0.9, 0.999, 1e-7)))
            .unwrap();
        let want = 1.0 - 0.1 * 0.2 / ((0.004f32).sqrt() + 1e-7);
        let got = p.read().unwrap().to_f64_vec();
        assert!(got.iter().all(|&x| (x - want as f64).abs() < 1e-5), "{} vs {want}", got[0]);
    }

    #[test]
    fn sgd_with_and_without_momentum() {
        let p = var("p", vec![1.0]);
        apply_sgd(&p, None, &Tensor::from_vec(&[1], vec![2.0]).unwrap(), &Tensor::scalar(0.1f64), 0.0, false)
            .unwrap();
        assert!((p.read().unwrap().to_f64_vec()[0] - 0.8).abs() < 1e-15);
        let m = var("m", vec![0.5]);
        apply_sgd(
            &p,
            Some(&m),
            &Tensor::from_vec(&[1], vec![2.0]).unwrap(),
            &Tensor::scalar(0.1f64),
            0.9,
            true,
        )
        .unwrap();
        let mn = 0.9 * 0.5 - 0.2;
        assert!((m.read().unwrap().to_f64_vec()[0] - mn).abs() < 1e-15);
        assert!((p.read().unwrap().to_f64_vec()[0] - (0.8 + 0.9 * mn - 0.2)).abs() < 1e-15);
        let bad = VarHandle::new("u", crate::DType::F64, Shape::known(&[1]));
        assert!(apply_sgd(
            &bad,
            None,
            &Tensor::from_vec(&[1], vec![2.0]).unwrap(),
            &Tensor::scalar(0.1f64),
            0.0,
            false
        )
        .is_err());
    }
}
