//! Shape kernels: reshape, transpose, expand/squeeze, broadcast, concat, slicing, gather and one-hot.

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::map_array;
use crate::shape::{broadcast_dims, fmt_dims, normalize_axes, normalize_axis};
use crate::tensor::{try_alloc, Storable, Tensor, TensorData};
use ndarray::{ArrayD, ArrayViewD, Axis, IxDyn, Slice};

#[path = "shape_ops_index.rs"]
mod index;
pub use index::{gather, gather_grad, one_hot, strided_slice, strided_slice_grad};

/// Re-labels the dimensions of a contiguous array without moving data (the storage is copied only
/// when another tensor still shares it).
fn with_shape(x: &Tensor, shape: &[usize]) -> Result<Tensor> {
    let n: usize = shape.iter().product();
    if n != x.len() {
        return Err(Error::invalid(format!(
            "cannot reshape a tensor of shape {} ({} elements) into shape {} ({n} elements)",
            fmt_dims(x.shape()),
            x.len(),
            fmt_dims(shape)
        )));
    }
    fn relabel<T: Storable>(a: &ArrayD<T>, shape: &[usize]) -> Result<Tensor> {
        let owned = a.to_shape(IxDyn(shape)).map_err(|e| Error::internal(e.to_string()))?.into_owned();
        Ok(Tensor::from_array(owned))
    }
    crate::with_array!(x, a => relabel(a, shape))
}

/// `tf.reshape` with at most one `-1`.
pub fn reshape(x: &Tensor, shape: &[i64]) -> Result<Tensor> {
    with_shape(x, &reshape_target(x, shape)?)
}

/// The dimensions `shape` (at most one `-1`) names for `x`.
pub(crate) fn reshape_target(x: &Tensor, shape: &[i64]) -> Result<Vec<usize>> {
    let known: i64 = shape.iter().filter(|&&d| d >= 0).product();
    let wild = shape.iter().filter(|&&d| d == -1).count();
    if wild > 1 || shape.iter().any(|&d| d < -1) {
        return Err(Error::invalid(format!(
            "invalid reshape target {shape:?}: at most one -1 and no other negative dimension"
        )));
    }
    let total = x.len() as i64;
    if wild == 1 {
        if known == 0 || total % known != 0 {
            return Err(Error::invalid(format!(
                "cannot reshape a tensor of shape {} ({total} elements) into shape {shape:?}",
                fmt_dims(x.shape())
            )));
        }
        Ok(shape.iter().map(|&d| if d == -1 { (total / known) as usize } else { d as usize }).collect())
    } else {
        Ok(shape.iter().map(|&d| d as usize).collect())
    }
}

pub fn reshape_to(x: &Tensor, shape: &[usize]) -> Result<Tensor> {
    with_shape(x, shape)
}

/// `reshape` without copying when `x` is the only owner of its storage: the array is relabelled in place.
/// None (and `x` untouched) when it is shared.
pub fn reshape_reusing(x: &mut Tensor, shape: &[i64]) -> Option<Result<Tensor>> {
    match reshape_target(x, shape) {
        Ok(dims) => reshape_to_reusing(x, &dims),
        Err(e) => Some(Err(e)),
    }
}

/// `reshape_to` without copying when `x` is the only owner of its storage (else None, `x` untouched).
pub fn reshape_to_reusing(x: &mut Tensor, shape: &[usize]) -> Option<Result<Tensor>> {
    if shape.iter().product::<usize>() != x.len() {
        return None; // `with_shape` reports the mismatch
    }
    x.get_mut()?;
    let owned = std::mem::replace(x, Tensor::scalar(false)).try_unwrap().ok()?;
    fn relabel<T: Storable>(a: ArrayD<T>, shape: &[usize]) -> Result<Tensor> {
        // A standard-layout owned array takes the new dimensions without moving its elements.
        let a = a.into_shape_with_order(IxDyn(shape)).map_err(|e| Error::internal(e.to_string()))?;
        Ok(Tensor::from_array(a))
    }
    Some(match owned {
        TensorData::F32(a) => relabel(a, shape),
        TensorData::F64(a) => relabel(a, shape),
        TensorData::I32(a) => relabel(a, shape),
        TensorData::I64(a) => relabel(a, shape),
        TensorData::Bool(a) => relabel(a, shape),
        TensorData::U8(a) => relabel(a, shape),
        TensorData::I8(a) => relabel(a, shape),
        TensorData::I16(a) => relabel(a, shape),
        TensorData::U16(a) => relabel(a, shape),
        TensorData::U32(a) => relabel(a, shape),
        TensorData::U64(a) => relabel(a, shape),
        TensorData::Str(a) => relabel(a, shape),
        TensorData::C64(a) => relabel(a, shape),
        TensorData::C128(a) => relabel(a, shape),
        TensorData::F16(a) => relabel(a, shape),
        TensorData::BF16(a) => relabel(a, shape),
    })
}

pub fn transpose(x: &Tensor, perm: Option<&[usize]>) -> Result<Tensor> {
    let rank = x.rank();
    let perm: Vec<usize> = perm.map_or_else(|| (0..rank).rev().collect(), |p| p.to_vec());
    let mut seen = vec![false; rank];
    if perm.len() != rank || perm.iter().any(|&p| p >= rank || std::mem::replace(&mut seen[p], true)) {
        return Err(Error::invalid(format!(
            "transpose perm {perm:?} is not a permutation of the axes of shape {}",
            fmt_dims(x.shape())
        )));
    }
    Ok(map_array!(x, a => crate::kernels::layout::transposed(a, &perm)))
}

/// `tf.ensure_shape` at run time: `x` itself when its shape fits `dims` (None matches any size).
pub fn ensure_shape(x: &Tensor, dims: &[Option<usize>]) -> Result<Tensor> {
    let expected = crate::shape::Shape::from_dims(dims.to_vec());
    if !expected.accepts(x.shape()) {
        let want: Vec<String> = dims.iter().map(|d| d.map_or("?".into(), |v| v.to_string())).collect();
        return Err(Error::invalid(format!(
            "Shape of tensor {} is not compatible with expected shape [{}].",
            fmt_dims(x.shape()),
            want.join(",")
        )));
    }
    Ok(x.clone())
}

pub fn expand_dims(x: &Tensor, axis: i64) -> Result<Tensor> {
    let at = normalize_axis(axis, x.rank() + 1).map_err(|_| {
        Error::invalid(format!(
            "expand_dims axis {axis} is out of range for shape {}; expected an axis in [{}, {}]",
            fmt_dims(x.shape()),
            -(x.rank() as i64) - 1,
            x.rank()
        ))
    })?;
    let mut shape = x.shape().to_vec();
    shape.insert(at, 1);
    with_shape(x, &shape)
}

pub fn squeeze(x: &Tensor, axes: Option<&[i64]>) -> Result<Tensor> {
    let shape = x.shape();
    let keep: Vec<usize> = match axes {
        None => shape.iter().copied().filter(|&d| d != 1).collect(),
        Some(list) => {
            let axes = normalize_axes(Some(list), shape.len())?;
            for &ax in &axes {
                if shape[ax] != 1 {
                    return Err(Error::invalid(format!(
                        "cannot squeeze axis {ax} of shape {}: its size is {}, expected 1",
                        fmt_dims(shape),
                        shape[ax]
                    )));
                }
            }
            shape.iter().enumerate().filter(|(i, _)| !axes.contains(i)).map(|(_, &d)| d).collect()
        }
    };
    with_shape(x, &keep)
}

pub fn broadcast_to(x: &Tensor, shape: &[usize]) -> Result<Tensor> {
    let b = broadcast_dims(x.shape(), shape)?;
    if b != shape {
        return Err(Error::invalid(format!(
            "cannot broadcast shape {} to {}",
            fmt_dims(x.shape()),
            fmt_dims(shape)
        )));
    }
    if x.shape() == shape {
        return Ok(x.clone());
    }
    fn go<T: Storable>(a: &ArrayD<T>, shape: &[usize]) -> Result<Tensor> {
        // ndarray's copy below allocates infallibly: check the size first.
        crate::tensor::ensure_allocatable::<T>(crate::tensor::checked_len(shape, T::DTYPE)?)?;
        let v = a
            .broadcast(IxDyn(shape))
            .ok_or_else(|| Error::internal("broadcast failed after a shape check"))?;
        Ok(Tensor::from_array(crate::kernels::layout::standard_copy(v)))
    }
    crate::with_array!(x, a => go(a, shape))
}

/// `tf.concat(values, axis)`.
pub fn concat(xs: &[Tensor], axis: i64) -> Result<Tensor> {
    let first =
        xs.first().ok_or_else(|| Error::invalid("concat expects at least one tensor, received none"))?;
    let rank = first.rank();
    if rank == 0 {
        return Err(Error::invalid("concat cannot join scalars: give the tensors at least one dimension"));
    }
    let ax = normalize_axis(axis, rank)?;
    for (i, x) in xs.iter().enumerate() {
        if x.dtype() != first.dtype() {
            return Err(Error::dtype(format!(
                "concat expects tensors of one dtype: input 0 is {}, input {i} is {}",
                first.dtype(),
                x.dtype()
            )));
        }
        let ok = x.rank() == rank && (0..rank).all(|k| k == ax || x.shape()[k] == first.shape()[k]);
        if !ok {
            return Err(Error::invalid(format!(
                "concat along axis {axis}: input {i} has shape {}, incompatible with input 0's shape {}",
                fmt_dims(x.shape()),
                fmt_dims(first.shape())
            )));
        }
    }
    fn go<T: Storable>(xs: &[Tensor], ax: usize) -> Result<Tensor> {
        // ndarray's concatenate allocates infallibly: check the total size first.
        let total = xs.iter().try_fold(0usize, |acc, x| acc.checked_add(x.len()));
        crate::tensor::ensure_allocatable::<T>(total.unwrap_or(usize::MAX))?;
        let views: Vec<ArrayViewD<'_, T>> =
            xs.iter().map(|x| x.array::<T>().map(|a| a.view())).collect::<Result<_>>()?;
        let out = ndarray::concatenate(Axis(ax), &views).map_err(|e| Error::invalid(e.to_string()))?;
        Ok(Tensor::from_array(out))
    }
    match first.dtype() {
        DType::F32 => go::<f32>(xs, ax),
        DType::F64 => go::<f64>(xs, ax),
        DType::I32 => go::<i32>(xs, ax),
        DType::I64 => go::<i64>(xs, ax),
        DType::Bool => go::<bool>(xs, ax),
        DType::U8 => go::<u8>(xs, ax),
        DType::I8 => go::<i8>(xs, ax),
        DType::I16 => go::<i16>(xs, ax),
        DType::U16 => go::<u16>(xs, ax),
        DType::U32 => go::<u32>(xs, ax),
        DType::U64 => go::<u64>(xs, ax),
        DType::Str => go::<crate::ByteString>(xs, ax),
        DType::C64 => go::<crate::tensor::Complex<f32>>(xs, ax),
        DType::C128 => go::<crate::tensor::Complex<f64>>(xs, ax),
        DType::F16 => go::<crate::tensor::f16>(xs, ax),
        DType::BF16 => go::<crate::tensor::bf16>(xs, ax),
    }
}

/// The part of a concat gradient `g` that belongs to `originals[index]`.
pub fn concat_split(g: &Tensor, originals: &[Tensor], axis: i64, index: usize) -> Result<Tensor> {
    let ax = normalize_axis(axis, g.rank())?;
    let target =
        originals.get(index).ok_or_else(|| Error::invalid(format!("concat input {index} does not exist")))?;
    let begin: usize = originals[..index].iter().map(|t| t.shape().get(ax).copied().unwrap_or(0)).sum();
    let size = target.shape().get(ax).copied().unwrap_or(0);
    if begin + size > g.shape()[ax] {
        return Err(Error::invalid("concat gradient is smaller than its inputs"));
    }
    Ok(
        map_array!(g, a => crate::kernels::layout::standard_copy(a.slice_axis(Axis(ax), Slice::from(begin..begin + size)))),
    )
}

/// `tf.shape(x)` as a 1-D int32 or int64 tensor.
pub fn shape_of(x: &Tensor, out: DType) -> Result<Tensor> {
    let dims = x.shape();
    match out {
        DType::I32 => {
            let v: Vec<i32> = dims
                .iter()
                .map(|&d| i32::try_from(d).map_err(|_| Error::invalid("dimension exceeds int32")))
                .collect::<Result<_>>()?;
            Tensor::from_vec(&[dims.len()], v)
        }
        DType::I64 => Tensor::from_vec(&[dims.len()], dims.iter().map(|&d| d as i64).collect()),
        other => Err(Error::dtype(format!("shape out_type must be int32 or int64, received {other}"))),
    }
}

/// Zeros of `shape` in the element type `T` (for gradient scatters).
fn zeros_vec<T: Storable>(shape: &[usize]) -> Result<Vec<T>> {
    let n = crate::tensor::checked_len(shape, T::DTYPE)?;
    try_alloc::<T>(n)
}
