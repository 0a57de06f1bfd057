//! `tf.io.parse_example` / `parse_single_example`, one op per feature key: fixed-length, fixed-length
//! sequence and variable-length (values, indices, dense shape) features of serialized Examples.

use super::example::{find_feature, FeatureValues};
use super::sequence_example::{find_feature_list, FeatureList};
use crate::byte_string::ByteString;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::shape::{Dim, Shape};
use crate::tensor::Tensor;
use ndarray::ArrayD;

/// What a parse op reads of one key and what it outputs.
#[derive(Debug, Clone)]
pub enum FeatureKind {
    /// `FixedLenFeature(shape, dtype, default_value)`: `default` has `shape` (None: required).
    Fixed {
        shape: Vec<usize>,
        default: Option<Tensor>,
    },
    /// `FixedLenSequenceFeature(shape, dtype, allow_missing=True)`: rows of `shape`, padded with the
    /// scalar `default` (zero or "" when None) across a batch.
    Sequence {
        shape: Vec<usize>,
        default: Option<Tensor>,
    },
    /// `VarLenFeature`'s parts: the values, their int64 indices, and the dense shape; with `witness`, a
    /// float32 tensor of no elements shaped `[*dense_shape, 0]` instead (how a graph learns the shape).
    VarLenValues,
    VarLenIndices,
    VarLenDenseShape {
        witness: bool,
    },
    /// A SequenceExample's feature list, one step per row: `[steps, *shape]` (no steps when missing and
    /// `allow_missing`).
    ListFixed {
        shape: Vec<usize>,
        allow_missing: bool,
    },
    /// A feature list of any number of values per step, as a SparseTensor `[steps, longest]`.
    ListVarValues,
    ListVarIndices,
    ListVarDenseShape {
        witness: bool,
    },
}

impl FeatureKind {
    fn is_list(&self) -> bool {
        matches!(
            self,
            FeatureKind::ListFixed { .. }
                | FeatureKind::ListVarValues
                | FeatureKind::ListVarIndices
                | FeatureKind::ListVarDenseShape { .. }
        )
    }
}

#[derive(Debug, Clone)]
pub struct FeatureSpec {
    pub key: ByteString,
    pub dtype: DType,
    pub kind: FeatureKind,
}

fn key_text(key: &ByteString) -> String {
    String::from_utf8_lossy(key).into_owned()
}

fn dtype_name(d: DType) -> &'static str {
    match d {
        DType::Str => "string",
        DType::F32 => "float",
        _ => "int64",
    }
}

pub(super) fn infer(spec: &FeatureSpec, input: &Shape) -> Result<(Shape, DType)> {
    if !matches!(spec.dtype, DType::Str | DType::I64 | DType::F32) {
        return Err(Error::dtype(format!(
            "Feature {}: dtype must be tf.string, tf.int64 or tf.float32, received {}",
            key_text(&spec.key),
            spec.dtype
        )));
    }
    let batch: Option<Vec<Dim>> = match input.dims.as_deref() {
        None => None,
        Some([]) => Some(vec![]),
        Some([n]) => Some(vec![*n]),
        Some(_) => {
            return Err(Error::invalid(format!(
                "serialized must be a scalar or a vector, received shape {input}"
            )))
        }
    };
    if spec.kind.is_list() && batch.as_ref().is_some_and(|b| !b.is_empty()) {
        return Err(Error::invalid(format!(
            "a SequenceExample is parsed one at a time: serialized must be a scalar, received shape {input}"
        )));
    }
    let Some(batch) = batch else {
        let d = if matches!(
            spec.kind,
            FeatureKind::VarLenIndices
                | FeatureKind::VarLenDenseShape { witness: false }
                | FeatureKind::ListVarIndices
                | FeatureKind::ListVarDenseShape { witness: false }
        ) {
            DType::I64
        } else {
            spec.dtype
        };
        return Ok((Shape::unknown(), d));
    };
    let known = |s: &[usize]| s.iter().map(|&d| Some(d)).collect::<Vec<Dim>>();
    Ok(match &spec.kind {
        FeatureKind::Fixed { shape, .. } => (Shape::from_dims([batch, known(shape)].concat()), spec.dtype),
        FeatureKind::Sequence { shape, .. } => {
            (Shape::from_dims([batch, vec![None], known(shape)].concat()), spec.dtype)
        }
        FeatureKind::VarLenValues => (Shape::from_dims(vec![None]), spec.dtype),
        FeatureKind::VarLenIndices => (Shape::from_dims(vec![None, Some(batch.len() + 1)]), DType::I64),
        FeatureKind::VarLenDenseShape { witness: false } => (Shape::known(&[batch.len() + 1]), DType::I64),
        FeatureKind::VarLenDenseShape { witness: true } => {
            (Shape::from_dims([batch, vec![None, Some(0)]].concat()), DType::F32)
        }
        FeatureKind::ListFixed { shape, .. } => {
            (Shape::from_dims([vec![None], known(shape)].concat()), spec.dtype)
        }
        FeatureKind::ListVarValues => (Shape::from_dims(vec![None]), spec.dtype),
        FeatureKind::ListVarIndices => (Shape::from_dims(vec![None, Some(2)]), DType::I64),
        FeatureKind::ListVarDenseShape { witness: false } => (Shape::known(&[2]), DType::I64),
        FeatureKind::ListVarDenseShape { witness: true } => {
            (Shape::from_dims(vec![None, None, Some(0)]), DType::F32)
        }
    })
}

/// Values of one dtype gathered across records.
enum Column {
    Str(Vec<ByteString>),
    F32(Vec<f32>),
    I64(Vec<i64>),
}

impl Column {
    fn new(d: DType) -> Column {
        match d {
            DType::Str => Column::Str(Vec::new()),
            DType::F32 => Column::F32(Vec::new()),
            _ => Column::I64(Vec::new()),
        }
    }

    /// Appends the feature's values; Err(received type) when its type is not the column's.
    fn push(&mut self, v: &FeatureValues<&[u8]>) -> std::result::Result<(), &'static str> {
        match (self, v) {
            (Column::Str(c), FeatureValues::Bytes(b)) => c.extend(b.iter().map(|s| ByteString::from(*s))),
            (Column::F32(c), FeatureValues::Floats(f)) => c.extend_from_slice(f),
            (Column::I64(c), FeatureValues::Ints(i)) => c.extend_from_slice(i),
            (_, other) => return Err(other.kind_name()),
        }
        Ok(())
    }

    /// Appends `n` copies of the element at `index` of `t` (which has the column's dtype), or the zero value.
    fn push_fill(&mut self, t: Option<&Tensor>, index: usize, n: usize) -> Result<()> {
        let bad = || Error::internal("parse_example: default value of the wrong dtype");
        match self {
            Column::Str(c) => {
                let v = t.map(|t| t.array::<ByteString>().map(|a| a.iter().nth(index).cloned())).transpose();
                let v = v.map_err(|_| bad())?.flatten().unwrap_or_default();
                c.extend(std::iter::repeat_n(v, n));
            }
            Column::F32(c) => {
                let v = t.map(|t| t.array::<f32>().map(|a| a.iter().nth(index).copied())).transpose();
                c.extend(std::iter::repeat_n(v.map_err(|_| bad())?.flatten().unwrap_or(0.0), n));
            }
            Column::I64(c) => {
                let v = t.map(|t| t.array::<i64>().map(|a| a.iter().nth(index).copied())).transpose();
                c.extend(std::iter::repeat_n(v.map_err(|_| bad())?.flatten().unwrap_or(0), n));
            }
        }
        Ok(())
    }

    /// Appends all of `t`'s elements.
    fn push_all(&mut self, t: &Tensor) -> Result<()> {
        for i in 0..t.len() {
            self.push_fill(Some(t), i, 1)?;
        }
        Ok(())
    }

    fn into_tensor(self, shape: &[usize]) -> Result<Tensor> {
        match self {
            Column::Str(v) => Tensor::from_vec(shape, v),
            Column::F32(v) => Tensor::from_vec(shape, v),
            Column::I64(v) => Tensor::from_vec(shape, v),
        }
    }
}

fn mismatch(key: &str, index: usize, received: &str, expected: DType) -> Error {
    Error::invalid(format!(
        "Name: <unknown>, Key: {key}, Index: {index}.  Data types don't match. Data type: {received} but \
         expected type: {}",
        dtype_name(expected)
    ))
}

/// The parsed feature of every record in `serialized` (a scalar or a vector of serialized Examples).
pub(super) fn compute(spec: &FeatureSpec, serialized: &Tensor) -> Result<Tensor> {
    let records: &ArrayD<ByteString> = serialized.array::<ByteString>().map_err(|_| {
        Error::dtype(format!("ParseExample expects serialized strings, received {}", serialized.dtype()))
    })?;
    let batch: Vec<usize> = match records.ndim() {
        0 => vec![],
        1 => vec![records.len()],
        _ => {
            return Err(Error::invalid(format!(
                "serialized must be a scalar or a vector, received rank {}",
                records.ndim()
            )))
        }
    };
    let key = key_text(&spec.key);
    if spec.kind.is_list() {
        let rec = records.iter().next().filter(|_| records.ndim() == 0);
        let rec = rec.ok_or_else(|| {
            Error::invalid("a SequenceExample is parsed one at a time: serialized must be a scalar")
        })?;
        let steps = find_feature_list(rec, &spec.key).map_err(|e| e.context(format!("Key: {key}")))?;
        return compute_list(spec, &key, steps);
    }
    let mut found = Vec::with_capacity(records.len());
    for rec in records.iter() {
        let f = find_feature(rec, &spec.key).map_err(|e| e.context(format!("Key: {key}")))?;
        found.push(f.filter(|v| !matches!(v, FeatureValues::None)));
    }
    let mut col = Column::new(spec.dtype);
    let type_check = |col: &mut Column, i: usize, v: &FeatureValues<&[u8]>| {
        col.push(v).map_err(|received| mismatch(&key, i, received, spec.dtype))
    };
    match &spec.kind {
        FeatureKind::Fixed { shape, default } => {
            let want: usize = shape.iter().product();
            for (i, f) in found.iter().enumerate() {
                match (f, default) {
                    (Some(v), _) => {
                        if v.len() != want {
                            return Err(Error::invalid(format!(
                                "Name: <unknown>, Key: {key}, Index: {i}.  Number of {} values != expected.  \
                                 Values size: {} but output shape: [{}]",
                                dtype_name(spec.dtype),
                                v.len(),
                                shape.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(",")
                            )));
                        }
                        type_check(&mut col, i, v)?;
                    }
                    (None, Some(d)) => col.push_all(d)?,
                    (None, None) => {
                        return Err(Error::invalid(format!(
                        "Name: <unknown>, Feature: {key} (data type: {}) is required but could not be found.",
                        dtype_name(spec.dtype)
                    )))
                    }
                }
            }
            col.into_tensor(&[batch, shape.clone()].concat())
        }
        FeatureKind::Sequence { shape, default } => {
            let row: usize = shape.iter().product::<usize>().max(1);
            let mut rows = Vec::with_capacity(found.len());
            for (i, f) in found.iter().enumerate() {
                let n = f.as_ref().map_or(0, |v| v.len());
                if n % row != 0 {
                    return Err(Error::invalid(format!(
                        "Name: <unknown>, Key: {key}, Index: {i}.  Number of {} values is not a multiple of \
                         the row size {row}: {n}",
                        dtype_name(spec.dtype)
                    )));
                }
                rows.push(n / row);
            }
            let longest = rows.iter().copied().max().unwrap_or(0);
            for (i, (f, &r)) in found.iter().zip(&rows).enumerate() {
                if let Some(v) = f {
                    type_check(&mut col, i, v)?;
                }
                col.push_fill(default.as_ref(), 0, (longest - r) * row)?;
            }
            col.into_tensor(&[batch, vec![longest], shape.clone()].concat())
        }
        FeatureKind::VarLenValues => {
            for (i, f) in found.iter().enumerate() {
                if let Some(v) = f {
                    type_check(&mut col, i, v)?;
                }
            }
            let n = match &col {
                Column::Str(v) => v.len(),
                Column::F32(v) => v.len(),
                Column::I64(v) => v.len(),
            };
            col.into_tensor(&[n])
        }
        FeatureKind::VarLenIndices => {
            let mut idx = Vec::new();
            for (b, f) in found.iter().enumerate() {
                for j in 0..f.as_ref().map_or(0, |v| v.len()) {
                    if !batch.is_empty() {
                        idx.push(b as i64);
                    }
                    idx.push(j as i64);
                }
            }
            let rank = batch.len() + 1;
            Tensor::from_vec(&[idx.len() / rank, rank], idx)
        }
        FeatureKind::ListFixed { .. }
        | FeatureKind::ListVarValues
        | FeatureKind::ListVarIndices
        | FeatureKind::ListVarDenseShape { .. } => {
            Err(Error::internal("feature lists are parsed by compute_list"))
        }
        FeatureKind::VarLenDenseShape { witness } => {
            let longest = found.iter().map(|f| f.as_ref().map_or(0, |v| v.len())).max().unwrap_or(0);
            dense_shape(batch.iter().copied().chain([longest]).collect(), *witness)
        }
    }
}

/// One feature list of a single SequenceExample.
fn compute_list(spec: &FeatureSpec, key: &str, steps: Option<FeatureList<&[u8]>>) -> Result<Tensor> {
    let mut col = Column::new(spec.dtype);
    let missing = steps.is_none();
    let steps = steps.unwrap_or_default();
    match &spec.kind {
        FeatureKind::ListFixed { shape, allow_missing } => {
            if missing && !allow_missing {
                return Err(Error::invalid(format!(
                    "Name: <unknown>, Feature list '{key}' is required but could not be found.  Did you mean to \
                     include it in feature_list_dense_missing_assumed_empty or feature_list_dense_defaults?"
                )));
            }
            let want: usize = shape.iter().product();
            for (t, step) in steps.iter().enumerate() {
                if step.len() != want {
                    return Err(Error::invalid(format!(
                        "Name: <unknown>, Key: {key}, Index: {t}.  Number of {} values != expected.  values \
                         size: {} but output shape: [{}]",
                        dtype_name(spec.dtype),
                        step.len(),
                        shape.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(",")
                    )));
                }
                col.push(step).map_err(|received| mismatch(key, t, received, spec.dtype))?;
            }
            col.into_tensor(&[vec![steps.len()], shape.clone()].concat())
        }
        FeatureKind::ListVarValues => {
            for (t, step) in steps.iter().enumerate() {
                if !matches!(step, FeatureValues::None) {
                    col.push(step).map_err(|received| mismatch(key, t, received, spec.dtype))?;
                }
            }
            let n = steps.iter().map(|s| s.len()).sum::<usize>();
            col.into_tensor(&[n])
        }
        FeatureKind::ListVarIndices => {
            let mut idx = Vec::new();
            for (t, step) in steps.iter().enumerate() {
                for j in 0..step.len() {
                    idx.extend([t as i64, j as i64]);
                }
            }
            Tensor::from_vec(&[idx.len() / 2, 2], idx)
        }
        FeatureKind::ListVarDenseShape { witness } => {
            let longest = steps.iter().map(|s| s.len()).max().unwrap_or(0);
            dense_shape(vec![steps.len(), longest], *witness)
        }
        _ => Err(Error::internal("compute_list called for an Example feature")),
    }
}

/// A SparseTensor's dense shape as int64, or its witness: float32 zeros shaped `[*dims, 0]`.
fn dense_shape(dims: Vec<usize>, witness: bool) -> Result<Tensor> {
    if witness {
        let shape: Vec<usize> = dims.into_iter().chain([0]).collect();
        return Tensor::zeros(DType::F32, &shape);
    }
    let dims: Vec<i64> = dims.into_iter().map(|d| d as i64).collect();
    Tensor::from_vec(&[dims.len()], dims)
}
