//! Records and their formats: TFRecord files (framing, compression, streaming readers, a writer),
//! `tf.train.Example` and `TensorProto` wire formats, CSV, and the graph ops that parse them.

pub mod compression;
pub mod crc;
pub mod csv;
pub mod example;
pub mod framing;
pub mod parse_example;
pub mod sequence_example;
pub mod sources;
pub mod tensor_proto;
pub mod wire;
pub mod writer;

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::shape::Shape;
use crate::tensor::Tensor;

/// The record-parsing ops, carried by `StringOp::Record` (their inputs and outputs are string tensors).
#[derive(Debug, Clone)]
pub enum RecordOp {
    /// One key of `tf.io.parse_example` / `parse_single_example`.
    ParseFeature(parse_example::FeatureSpec),
    /// One column of `tf.io.decode_csv`.
    DecodeCsv(csv::CsvColumn),
    /// `tf.io.serialize_tensor`: any tensor to a scalar string.
    SerializeTensor,
    /// `tf.io.parse_tensor`: a scalar string to a tensor of `out_type`, shape known only when run.
    ParseTensor { out_type: DType },
}

impl RecordOp {
    pub fn type_name(&self) -> &'static str {
        match self {
            RecordOp::ParseFeature(_) => "ParseExampleV2",
            RecordOp::DecodeCsv(_) => "DecodeCSV",
            RecordOp::SerializeTensor => "SerializeTensor",
            RecordOp::ParseTensor { .. } => "ParseTensor",
        }
    }
}

fn one_input<'a, T>(op: &RecordOp, inputs: &'a [T]) -> Result<&'a T> {
    match inputs {
        [x] => Ok(x),
        _ => Err(Error::invalid(format!("{} expects 1 input, received {}", op.type_name(), inputs.len()))),
    }
}

fn strings_in(op: &RecordOp, d: DType) -> Result<()> {
    if d != DType::Str {
        return Err(Error::dtype(format!("{} expects a string tensor, received {d}", op.type_name())));
    }
    Ok(())
}

pub fn infer(op: &RecordOp, inputs: &[(&Shape, DType)]) -> Result<(Shape, DType)> {
    let &(s, d) = one_input(op, inputs)?;
    match op {
        RecordOp::SerializeTensor => Ok((Shape::known(&[]), DType::Str)),
        RecordOp::ParseTensor { out_type } => {
            strings_in(op, d)?;
            Ok((Shape::unknown(), *out_type))
        }
        RecordOp::ParseFeature(spec) => {
            strings_in(op, d)?;
            parse_example::infer(spec, s)
        }
        RecordOp::DecodeCsv(col) => {
            strings_in(op, d)?;
            Ok((s.clone(), col.dtype))
        }
    }
}

pub fn compute(op: &RecordOp, inputs: &[Tensor]) -> Result<Tensor> {
    let x = one_input(op, inputs)?;
    match op {
        RecordOp::SerializeTensor => Ok(Tensor::scalar(crate::ByteString::from(tensor_proto::serialize(x)))),
        RecordOp::ParseTensor { out_type } => {
            let a = x.array::<crate::ByteString>().map_err(|_| {
                Error::dtype(format!("ParseTensor expects a string tensor, received {}", x.dtype()))
            })?;
            match (a.ndim(), a.iter().next()) {
                (0, Some(s)) => tensor_proto::parse(s, *out_type),
                _ => Err(Error::invalid(format!(
                    "ParseTensor expects a scalar string, received shape {}",
                    crate::shape::fmt_dims(a.shape())
                ))),
            }
        }
        RecordOp::ParseFeature(spec) => parse_example::compute(spec, x),
        RecordOp::DecodeCsv(col) => csv::decode_column(col, x),
    }
}
