//! Builds `Op::Strings` from the Python name `strings.<op>` and its attributes.

use crate::op::Attrs;
use ferroflow_core::string_op::{NumberFormat, StringOp};
use ferroflow_core::{ByteString, DType};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use std::sync::Arc;

/// A bytes or str attribute (str is encoded as UTF-8).
pub(crate) fn bytes_attr(a: &Attrs, key: &str) -> PyResult<Option<ByteString>> {
    match a.get(key)? {
        None => Ok(None),
        Some(v) => {
            if let Ok(b) = v.cast::<PyBytes>() {
                Ok(Some(ByteString::from(b.as_bytes())))
            } else if let Ok(s) = v.cast::<PyString>() {
                Ok(Some(ByteString::from(s.to_cow()?.as_ref())))
            } else {
                Err(PyValueError::new_err(format!("'{key}' must be bytes or str, received {v}")))
            }
        }
    }
}

fn regex_attr(a: &Attrs, key: &str, full_match: bool) -> PyResult<Arc<regex::bytes::Regex>> {
    let pattern: String = a.req(key)?.extract()?;
    let pattern = if full_match { format!("^(?:{pattern})$") } else { pattern };
    regex::bytes::Regex::new(&pattern)
        .map(Arc::new)
        .map_err(|e| PyValueError::new_err(format!("Invalid pattern: {pattern}, error: {e}")))
}

fn unit_is_utf8(a: &Attrs) -> PyResult<bool> {
    match a.get("unit")?.map(|v| v.extract::<String>()).transpose()?.as_deref() {
        None | Some("BYTE") => Ok(false),
        Some("UTF8_CHAR") => Ok(true),
        Some(other) => {
            Err(PyValueError::new_err(format!("unit must be 'BYTE' or 'UTF8_CHAR', received '{other}'")))
        }
    }
}

pub fn parse(name: &str, a: &Attrs) -> PyResult<StringOp> {
    let out_type = |default: DType| -> PyResult<DType> { Ok(a.dtype("out_type")?.unwrap_or(default)) };
    Ok(match name {
        "length" => StringOp::Length { utf8: unit_is_utf8(a)? },
        "lower" => StringOp::Lower { utf8: a.bool("utf8")? },
        "upper" => StringOp::Upper { utf8: a.bool("utf8")? },
        "strip" => StringOp::Strip,
        "join" => StringOp::Join { separator: bytes_attr(a, "separator")?.unwrap_or_default() },
        "reduce_join" => StringOp::ReduceJoin {
            axes: a.axes("axis")?,
            keepdims: a.bool("keepdims")?,
            separator: bytes_attr(a, "separator")?.unwrap_or_default(),
        },
        "regex_replace" => StringOp::RegexReplace {
            regex: regex_attr(a, "pattern", false)?,
            rewrite: bytes_attr(a, "rewrite")?.unwrap_or_default(),
            global: a.bool("replace_global")?,
        },
        "regex_full_match" => StringOp::RegexFullMatch { regex: regex_attr(a, "pattern", true)? },
        "substr" => StringOp::Substr { utf8: unit_is_utf8(a)? },
        "format" => StringOp::Format {
            pieces: a.req("pieces")?.extract::<Vec<Vec<u8>>>()?.into_iter().map(ByteString::from).collect(),
            summarize: a.i64("summarize", 3)?,
        },
        "to_number" => StringOp::ToNumber { out_type: out_type(DType::F32)? },
        "as_string" => {
            let fill: String = a.get("fill")?.map(|v| v.extract()).transpose()?.unwrap_or_default();
            let mut chars = fill.chars();
            let fill = match (chars.next(), chars.next()) {
                (None, _) => ' ',
                (Some(c), None) => c,
                _ => {
                    return Err(PyValueError::new_err(format!(
                        "Fill string must be one or fewer characters: {fill}"
                    )))
                }
            };
            StringOp::AsString(NumberFormat {
                precision: a.i64("precision", -1)?,
                scientific: a.bool("scientific")?,
                shortest: a.bool("shortest")?,
                width: a.i64("width", -1)?,
                fill,
            })
        }
        "split_values" | "split_row_splits" => {
            let (sep, maxsplit) = (bytes_attr(a, "sep")?, a.i64("maxsplit", -1)?);
            if name == "split_values" {
                StringOp::SplitValues { sep, maxsplit }
            } else {
                StringOp::SplitRowSplits { sep, maxsplit }
            }
        }
        "decode_raw" => StringOp::DecodeRaw {
            out_type: out_type(DType::U8)?,
            little_endian: a.get("little_endian")?.is_none_or(|v| v.is_truthy().unwrap_or(true)),
        },
        "unicode_decode_values" => {
            StringOp::UnicodeDecodeValues { replacement: a.i64("replacement", 0xFFFD)? as i32 }
        }
        "unicode_decode_row_splits" => StringOp::UnicodeDecodeRowSplits,
        "unicode_encode" => StringOp::UnicodeEncode,
        "read_file" => StringOp::ReadFile,
        other => match crate::image_codec_ops::parse(other, a)? {
            Some(image) => StringOp::Image(image),
            None => StringOp::Record(crate::record_ops::parse(other, a)?),
        },
    })
}
