//! Indexing kernels: Python-style strided slicing (and its gradient), gather (and scatter-add), one-hot.

use super::zeros_vec;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::infer::range_len;
use crate::op::SliceSpec;
use crate::shape::{fmt_dims, normalize_axis};
use crate::tensor::{try_vec, Element, Storable, Tensor, TensorData};
use ndarray::{ArrayD, IxDyn, SliceInfo, SliceInfoElem};

type Info = SliceInfo<Vec<SliceInfoElem>, IxDyn, IxDyn>;

/// Translates Python subscripts into ndarray slice elements for an input of `shape`.
fn slice_info(shape: &[usize], specs: &[SliceSpec]) -> Result<Info> {
    if specs.iter().filter(|s| matches!(s, SliceSpec::Ellipsis)).count() > 1 {
        return Err(Error::invalid("an index can only have a single ellipsis ('...')"));
    }
    let consuming =
        specs.iter().filter(|s| matches!(s, SliceSpec::Index(_) | SliceSpec::Range { .. })).count();
    if consuming > shape.len() {
        return Err(Error::invalid(format!(
            "too many indices for a tensor of shape {}: {} dimensions, {consuming} indexed",
            fmt_dims(shape),
            shape.len()
        )));
    }
    let mut elems = Vec::new();
    let mut axis = 0;
    let full = |n: usize| SliceInfoElem::Slice { start: 0, end: Some(n as isize), step: 1 };
    for spec in specs {
        match spec {
            SliceSpec::NewAxis => elems.push(SliceInfoElem::NewAxis),
            SliceSpec::Ellipsis => {
                for _ in 0..shape.len() - consuming {
                    elems.push(full(shape[axis]));
                    axis += 1;
                }
            }
            SliceSpec::Index(i) => {
                let n = shape[axis] as i64;
                if *i < -n || *i >= n {
                    return Err(Error::out_of_range(format!(
                        "index {i} is out of bounds for axis {axis} with size {n}"
                    )));
                }
                elems.push(SliceInfoElem::Index(if *i < 0 { i + n } else { *i } as isize));
                axis += 1;
            }
            SliceSpec::Range { start, stop, step } => {
                if *step == 0 {
                    return Err(Error::invalid("slice step cannot be zero"));
                }
                let n = shape[axis] as i64;
                let count = range_len(n, *start, *stop, *step) as i64;
                elems.push(if count == 0 {
                    SliceInfoElem::Slice { start: 0, end: Some(0), step: 1 }
                } else {
                    let norm = |v: i64| if v < 0 { v + n } else { v };
                    let first = if *step > 0 {
                        start.map_or(0, |s| norm(s).clamp(0, n))
                    } else {
                        start.map_or(n - 1, |s| norm(s).clamp(-1, n - 1))
                    };
                    let last = first + (count - 1) * step;
                    if *step > 0 {
                        SliceInfoElem::Slice {
                            start: first as isize,
                            end: Some(last as isize + 1),
                            step: *step as isize,
                        }
                    } else {
                        // ndarray walks a negative step backwards from the end of [start, end).
                        SliceInfoElem::Slice {
                            start: last as isize,
                            end: Some(first as isize + 1),
                            step: *step as isize,
                        }
                    }
                });
                axis += 1;
            }
        }
    }
    while axis < shape.len() {
        elems.push(full(shape[axis]));
        axis += 1;
    }
    Info::try_from(elems).map_err(|e| Error::internal(e.to_string()))
}

/// NumPy basic indexing: `x[1, :3, ::-1, None, ...]`.
pub fn strided_slice(x: &Tensor, specs: &[SliceSpec]) -> Result<Tensor> {
    let info = slice_info(x.shape(), specs)?;
    Ok(crate::map_array!(x, a => crate::kernels::layout::standard_copy(a.slice(info.clone()))))
}

/// The gradient of a strided slice: `g` written into zeros of the sliced input's shape.
pub fn strided_slice_grad(g: &Tensor, shape: &[usize], specs: &[SliceSpec]) -> Result<Tensor> {
    let info = slice_info(shape, specs)?;
    fn go<T: Storable>(g: &ArrayD<T>, shape: &[usize], info: &Info) -> Result<Tensor> {
        let mut out = ArrayD::from_shape_vec(IxDyn(shape), zeros_vec::<T>(shape)?)
            .map_err(|e| Error::internal(e.to_string()))?;
        let mut view = out.slice_mut(info.clone());
        if view.shape() != g.shape() {
            return Err(Error::invalid(format!(
                "slice gradient of shape {} does not match the slice shape {}",
                fmt_dims(g.shape()),
                fmt_dims(view.shape())
            )));
        }
        view.assign(g);
        Ok(Tensor::from_array(out))
    }
    crate::with_array!(g, a => go(a, shape, &info))
}

fn indices_of(t: &Tensor, what: &str) -> Result<Vec<i64>> {
    match t.dtype() {
        DType::I32 | DType::I64 => Ok(t.to_i64_vec()),
        other => Err(Error::dtype(format!("{what} expects int32 or int64 indices, received {other}"))),
    }
}

/// (outer, size of `axis`, inner) element counts around `axis`.
fn split_at_axis(shape: &[usize], ax: usize) -> (usize, usize, usize) {
    (shape[..ax].iter().product(), shape[ax], shape[ax + 1..].iter().product())
}

/// `tf.gather(params, indices, axis)`; an index outside the axis is an error naming it.
pub fn gather(params: &Tensor, indices: &Tensor, axis: i64) -> Result<Tensor> {
    let ax = normalize_axis(axis, params.rank())?;
    let idx = indices_of(indices, "gather")?;
    let (outer, n, inner) = split_at_axis(params.shape(), ax);
    for &i in &idx {
        if i < 0 || i as usize >= n {
            return Err(Error::out_of_range(format!(
                "gather index {i} is out of range for axis {ax} with size {n}"
            )));
        }
    }
    let mut shape = params.shape()[..ax].to_vec();
    shape.extend_from_slice(indices.shape());
    shape.extend_from_slice(&params.shape()[ax + 1..]);
    fn go<T: Storable>(
        a: &ArrayD<T>,
        idx: &[i64],
        outer: usize,
        n: usize,
        inner: usize,
        shape: &[usize],
    ) -> Result<Tensor> {
        let src = a.as_slice().ok_or_else(|| Error::internal("gather input is not contiguous"))?;
        let mut out = Vec::new();
        out.try_reserve_exact(outer * idx.len() * inner)
            .map_err(|_| Error::out_of_memory("cannot allocate the gather output"))?;
        for o in 0..outer {
            for &i in idx {
                let start = (o * n + i as usize) * inner;
                out.extend_from_slice(&src[start..start + inner]);
            }
        }
        Tensor::from_vec(shape, out)
    }
    crate::with_array!(params, a => go(a, &idx, outer, n, inner, &shape))
}

/// The gradient of gather: rows of `g` added into zeros of `shape` at `indices` (repeats accumulate).
pub fn gather_grad(g: &Tensor, indices: &Tensor, shape: &[usize], axis: i64) -> Result<Tensor> {
    let ax = normalize_axis(axis, shape.len())?;
    let idx = indices_of(indices, "gather")?;
    let (outer, n, inner) = split_at_axis(shape, ax);
    if g.len() != outer * idx.len() * inner {
        return Err(Error::invalid(format!(
            "gather gradient of shape {} does not match",
            fmt_dims(g.shape())
        )));
    }
    fn go<T: Element + std::ops::Add<Output = T>>(
        a: &ArrayD<T>,
        idx: &[i64],
        dims: (usize, usize, usize),
        shape: &[usize],
    ) -> Result<Tensor> {
        let (outer, n, inner) = dims;
        let src = a.as_slice().ok_or_else(|| Error::internal("gather gradient is not contiguous"))?;
        let mut out = zeros_vec::<T>(shape)?;
        for o in 0..outer {
            for (j, &i) in idx.iter().enumerate() {
                if i < 0 || i as usize >= n {
                    return Err(Error::out_of_range(format!(
                        "gather index {i} is out of range for size {n}"
                    )));
                }
                let dst = (o * n + i as usize) * inner;
                let from = (o * idx.len() + j) * inner;
                for k in 0..inner {
                    out[dst + k] = out[dst + k] + src[from + k];
                }
            }
        }
        Tensor::from_vec(shape, out)
    }
    match g.data() {
        TensorData::F32(a) => go(a, &idx, (outer, n, inner), shape),
        TensorData::F64(a) => go(a, &idx, (outer, n, inner), shape),
        TensorData::I32(a) => go(a, &idx, (outer, n, inner), shape),
        TensorData::I64(a) => go(a, &idx, (outer, n, inner), shape),
        _ => Err(Error::dtype(format!(
            "gather gradient expects float32, float64, int32 or int64, received {}",
            g.dtype()
        ))),
    }
}

/// `tf.one_hot`: indices outside `[0, depth)` give a row of `off`, as in TensorFlow.
pub fn one_hot(idx: &Tensor, depth: usize, on: f64, off: f64, axis: i64, dtype: DType) -> Result<Tensor> {
    let indices = indices_of(idx, "one_hot")?;
    let rank = idx.rank();
    let at = if axis == -1 { rank } else { normalize_axis(axis, rank + 1)? };
    let mut last_shape = idx.shape().to_vec();
    last_shape.push(depth);
    let n = crate::tensor::checked_len(&last_shape, dtype)?;
    let mut flat = try_vec(n, off)?;
    for (row, &i) in indices.iter().enumerate() {
        if i >= 0 && (i as usize) < depth {
            flat[row * depth + i as usize] = on;
        }
    }
    let t = Tensor::from_vec(&last_shape, flat)?;
    let t = super::super::elementwise::cast(&t, dtype)?;
    if at == rank {
        return Ok(t);
    }
    // Move the new last axis to `at`.
    let mut perm: Vec<usize> = (0..rank).collect();
    perm.insert(at, rank);
    super::transpose(&t, Some(&perm))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(shape: &[usize]) -> Tensor {
        let n = shape.iter().product::<usize>();
        Tensor::from_vec(shape, (0..n).map(|v| v as f64).collect()).unwrap()
    }

    fn r(start: Option<i64>, stop: Option<i64>, step: i64) -> SliceSpec {
        SliceSpec::Range { start, stop, step }
    }

    #[test]
    fn slices_like_python() {
        let x = t(&[10]);
        assert_eq!(
            strided_slice(&x, &[r(None, None, -1)]).unwrap().to_f64_vec(),
            (0..10).rev().map(|v| v as f64).collect::<Vec<_>>()
        );
        assert_eq!(strided_slice(&x, &[r(Some(8), Some(2), -2)]).unwrap().to_f64_vec(), vec![8.0, 6.0, 4.0]);
        assert_eq!(strided_slice(&x, &[r(Some(-3), None, 1)]).unwrap().to_f64_vec(), vec![7.0, 8.0, 9.0]);
        assert_eq!(strided_slice(&x, &[r(Some(7), Some(2), 1)]).unwrap().shape(), &[0]);
        let y = t(&[2, 3, 4]);
        let s = strided_slice(&y, &[SliceSpec::Ellipsis, SliceSpec::Index(-1), SliceSpec::NewAxis]).unwrap();
        assert_eq!(s.shape(), &[2, 3, 1]);
        assert_eq!(s.to_f64_vec(), vec![3.0, 7.0, 11.0, 15.0, 19.0, 23.0]);
        let e = strided_slice(&y, &[SliceSpec::Index(5)]).unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::OutOfRange);
    }

    #[test]
    fn slice_gradient_scatters_into_zeros() {
        let g = Tensor::from_vec(&[3], vec![1.0f64, 2.0, 3.0]).unwrap();
        let out = strided_slice_grad(&g, &[10], &[r(Some(8), Some(2), -2)]).unwrap();
        let mut want = vec![0.0; 10];
        want[8] = 1.0;
        want[6] = 2.0;
        want[4] = 3.0;
        assert_eq!(out.to_f64_vec(), want);
    }

    #[test]
    fn gather_and_its_gradient() {
        let p = t(&[3, 2]);
        let i = Tensor::from_vec(&[2], vec![2i64, 0]).unwrap();
        assert_eq!(gather(&p, &i, 0).unwrap().to_f64_vec(), vec![4.0, 5.0, 0.0, 1.0]);
        assert!(gather(&p, &i, 1).is_err());
        let i2 = Tensor::from_vec(&[3], vec![1i32, 1, 0]).unwrap();
        let g = Tensor::from_vec(&[3, 2], vec![1.0f64; 6]).unwrap();
        assert_eq!(
            gather_grad(&g, &i2, &[3, 2], 0).unwrap().to_f64_vec(),
            vec![1.0, 1.0, 2.0, 2.0, 0.0, 0.0]
        );
    }

    #[test]
    fn one_hot_axes_and_out_of_range() {
        let i = Tensor::from_vec(&[3], vec![0i64, 2, 5]).unwrap();
        let o = one_hot(&i, 3, 1.0, 0.0, -1, DType::F32).unwrap();
        assert_eq!(o.shape(), &[3, 3]);
        assert_eq!(o.to_f64_vec(), vec![1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]);
        let o0 = one_hot(&i, 3, 1.0, 0.0, 0, DType::F32).unwrap();
        assert_eq!(o0.to_f64_vec(), vec![1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0]);
    }
}
