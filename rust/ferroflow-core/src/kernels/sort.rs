//! Sorting and de-duplication: `ArgSort` (the permutation behind tf.sort, tf.argsort and tf.math.top_k) and `Unique`.
//!
//! Only the permutation is a kernel: sorted values and the top k are gathers of it, so their gradients are the
//! gather's. Ties keep their original order in both directions, as TensorFlow's top_k does (the lower index
//! first), and NaN sorts above every number.

use crate::byte_string::ByteString;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::tensor::{Tensor, TensorData};
use ndarray::ArrayD;
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::HashMap;

/// A total order with NaN (the only value unequal to itself) above everything else.
fn total<T: PartialOrd>(a: &T, b: &T) -> Ordering {
    #[allow(clippy::eq_op)] // `x != x` is the dtype-generic NaN test
    a.partial_cmp(b).unwrap_or_else(|| (a != a).cmp(&(b != b)))
}

fn argsort_rows<T: PartialOrd + Copy + Send + Sync>(a: &ArrayD<T>, descending: bool) -> Result<Vec<i32>> {
    let len = *a
        .shape()
        .last()
        .ok_or_else(|| Error::invalid("sort expects a tensor of rank 1 or more, received a scalar"))?;
    if len > i32::MAX as usize {
        return Err(Error::invalid(format!(
            "sort: the last axis has {len} elements, more than int32 indexes"
        )));
    }
    let std = a.as_standard_layout();
    let data = std.as_slice().ok_or_else(|| Error::internal("standard layout array without a slice"))?;
    let mut out = vec![0i32; data.len()];
    if len == 0 {
        return Ok(out);
    }
    let sort_row = |(row, idx): (&[T], &mut [i32])| {
        for (k, v) in idx.iter_mut().enumerate() {
            *v = k as i32;
        }
        // A stable sort, so equal values keep ascending indices in both directions.
        if descending {
            idx.sort_by(|&i, &j| total(&row[j as usize], &row[i as usize]));
        } else {
            idx.sort_by(|&i, &j| total(&row[i as usize], &row[j as usize]));
        }
    };
    if data.len() >= 1 << 14 && data.len() / len > 1 {
        data.par_chunks(len).zip(out.par_chunks_mut(len)).for_each(sort_row);
    } else {
        data.chunks(len).zip(out.chunks_mut(len)).for_each(sort_row);
    }
    Ok(out)
}

/// The int32 permutation that sorts each row (the last axis) of `x`, ascending or descending.
pub fn argsort(x: &Tensor, descending: bool) -> Result<Tensor> {
    let idx = crate::with_numeric!(x, a => argsort_rows(a, descending)?,
        _ => return Err(Error::dtype(format!("sort expects a numeric tensor, received {}", x.dtype()))));
    Tensor::from_vec(x.shape(), idx)
}

/// Hash keys of values, equal exactly when the values compare equal (so 0.0 and -0.0 share a key); `None`
/// for NaN, which equals nothing and so is unique each time, as in TensorFlow.
trait UniqueKey {
    type Key: std::hash::Hash + Eq;
    fn key(&self) -> Option<Self::Key>;
}

macro_rules! integer_keys {
    ($($t:ty),*) => {$(
        impl UniqueKey for $t {
            type Key = $t;
            fn key(&self) -> Option<$t> {
                Some(*self)
            }
        }
    )*};
}
integer_keys!(i32, i64, u8, i8, i16, u16, u32, u64, bool);

macro_rules! float_keys {
    ($($t:ty => $bits:ty),*) => {$(
        impl UniqueKey for $t {
            type Key = $bits;
            fn key(&self) -> Option<$bits> {
                match self {
                    v if v.is_nan() => None,
                    v if *v == 0.0 => Some(0),
                    v => Some(v.to_bits()),
                }
            }
        }
    )*};
}
float_keys!(f32 => u32, f64 => u64);

impl UniqueKey for ByteString {
    type Key = ByteString;
    fn key(&self) -> Option<ByteString> {
        Some(self.clone())
    }
}

/// For each element, the index of its value among the distinct values in order of first appearance; and
/// the position of each distinct value's first appearance.
fn unique_typed<T: UniqueKey>(a: &ArrayD<T>) -> (Vec<usize>, Vec<usize>) {
    let mut seen: HashMap<T::Key, usize> = HashMap::new();
    let (mut idx, mut first) = (Vec::with_capacity(a.len()), Vec::new());
    for (pos, v) in a.iter().enumerate() {
        let next = first.len();
        let id = match v.key() {
            Some(k) => *seen.entry(k).or_insert(next),
            None => next,
        };
        if id == next {
            first.push(pos);
        }
        idx.push(id);
    }
    (idx, first)
}

/// `tf.unique` of a 1-D tensor. `positions`: where each distinct value first appears (int64), which a
/// gather turns into the distinct values; else each element's index into them, as `out_idx`.
pub fn unique(x: &Tensor, positions: bool, out_idx: DType) -> Result<Tensor> {
    if x.rank() != 1 {
        return Err(Error::invalid(format!("unique expects a 1-D tensor, received shape {:?}", x.shape())));
    }
    let (idx, first) = match x.data() {
        TensorData::F32(a) => unique_typed(a),
        TensorData::F64(a) => unique_typed(a),
        TensorData::I32(a) => unique_typed(a),
        TensorData::I64(a) => unique_typed(a),
        TensorData::Bool(a) => unique_typed(a),
        TensorData::U8(a) => unique_typed(a),
        TensorData::I8(a) => unique_typed(a),
        TensorData::I16(a) => unique_typed(a),
        TensorData::U16(a) => unique_typed(a),
        TensorData::U32(a) => unique_typed(a),
        TensorData::U64(a) => unique_typed(a),
        TensorData::Str(a) => unique_typed(a),
        // Distinctness survives widening: every half value is exactly a float32.
        TensorData::F16(_) | TensorData::BF16(_) => {
            return unique(&super::half_precision::widen(x)?, positions, out_idx)
        }
        TensorData::C64(_) | TensorData::C128(_) => {
            return Err(Error::dtype(format!("unique does not support {} tensors", x.dtype())))
        }
    };
    if positions {
        return Tensor::from_vec(&[first.len()], first.into_iter().map(|p| p as i64).collect());
    }
    match out_idx {
        DType::I64 => Tensor::from_vec(&[idx.len()], idx.into_iter().map(|i| i as i64).collect()),
        DType::I32 if first.len() <= i32::MAX as usize => {
            Tensor::from_vec(&[idx.len()], idx.into_iter().map(|i| i as i32).collect())
        }
        DType::I32 => {
            Err(Error::invalid(format!("unique: {} distinct values overflow int32 out_idx", first.len())))
        }
        other => Err(Error::dtype(format!("unique's out_idx must be int32 or int64, received {other}"))),
    }
}

#[cfg(test)]
#[path = "sort_tests.rs"]
mod tests;
