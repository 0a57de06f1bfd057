//! Builds the record-parsing ops (`strings.parse_feature`, `strings.decode_csv_column`,
//! `strings.serialize_tensor`, `strings.parse_tensor`) from their Python names and attributes.

use crate::op::Attrs;
use crate::tensor::PyTensor;
use ferroflow_core::records::csv::CsvColumn;
use ferroflow_core::records::parse_example::{FeatureKind, FeatureSpec};
use ferroflow_core::records::RecordOp;
use ferroflow_core::{ByteString, DType, Tensor};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// A bytes or str attribute, empty when absent.
fn bytes_attr(a: &Attrs, key: &str) -> PyResult<ByteString> {
    Ok(crate::string_ops::bytes_attr(a, key)?.unwrap_or_default())
}

fn tensor_attr(a: &Attrs, key: &str) -> PyResult<Option<Tensor>> {
    a.get(key)?.map(|v| Ok(v.cast::<PyTensor>()?.get().tensor.clone())).transpose()
}

fn usize_list(a: &Attrs, key: &str) -> PyResult<Vec<usize>> {
    Ok(a.get(key)?.map(|v| v.extract::<Vec<usize>>()).transpose()?.unwrap_or_default())
}

pub fn parse(name: &str, a: &Attrs) -> PyResult<RecordOp> {
    Ok(match name {
        "parse_feature" => {
            let shape = usize_list(a, "shape")?;
            let kind: String = a.req("kind")?.extract()?;
            let kind = match kind.as_str() {
                "fixed" => FeatureKind::Fixed { shape, default: tensor_attr(a, "default")? },
                "sequence" => FeatureKind::Sequence { shape, default: tensor_attr(a, "default")? },
                "var_values" => FeatureKind::VarLenValues,
                "var_indices" => FeatureKind::VarLenIndices,
                "var_shape" => FeatureKind::VarLenDenseShape { witness: false },
                "var_witness" => FeatureKind::VarLenDenseShape { witness: true },
                "list_fixed" => FeatureKind::ListFixed { shape, allow_missing: a.bool("allow_missing")? },
                "list_var_values" => FeatureKind::ListVarValues,
                "list_var_indices" => FeatureKind::ListVarIndices,
                "list_var_shape" => FeatureKind::ListVarDenseShape { witness: false },
                "list_var_witness" => FeatureKind::ListVarDenseShape { witness: true },
                other => return Err(PyValueError::new_err(format!("unknown feature kind '{other}'"))),
            };
            let dtype = a.dtype("dtype")?.unwrap_or(DType::F32);
            RecordOp::ParseFeature(FeatureSpec { key: bytes_attr(a, "key")?, dtype, kind })
        }
        "decode_csv_column" => {
            let delim = bytes_attr(a, "field_delim")?;
            let delim = match delim.as_bytes() {
                [] => b',',
                [d] => *d,
                _ => return Err(PyValueError::new_err("field_delim should be only 1 char")),
            };
            RecordOp::DecodeCsv(CsvColumn {
                field: a.i64("field", 0)? as usize,
                num_fields: a.i64("num_fields", 1)? as usize,
                at_least: a.bool("at_least")?,
                dtype: a.dtype("dtype")?.unwrap_or(DType::Str),
                default: tensor_attr(a, "default")?,
                delim,
                use_quote: a.bool("use_quote_delim")?,
                na_value: bytes_attr(a, "na_value")?,
            })
        }
        "serialize_tensor" => RecordOp::SerializeTensor,
        "parse_tensor" => RecordOp::ParseTensor { out_type: a.dtype("out_type")?.unwrap_or(DType::F32) },
        other => return Err(PyValueError::new_err(format!("unknown op 'strings.{other}'"))),
    })
}
