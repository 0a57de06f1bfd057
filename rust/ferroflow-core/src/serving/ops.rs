//! Builds core ops from the names and JSON attributes of `graph.json` nodes (the stateless ops a forward pass uses).

use crate::batch_norm_op::BatchNormOp;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::op::{Op, SliceSpec};
use crate::op_names::{binary, compare, reduction, unary};
use serde_json::{Map, Value};

/// Op names (the Python-side names) the loader turns into ops, besides `placeholder`, `const` and
/// `ops_image::IMAGE_OPS`. `ferroflow.models.export.SUPPORTED_OPS` lists the same names and those.
pub const SUPPORTED_OPS: &[&str] = &[
    "neg",
    "exp",
    "log",
    "sqrt",
    "rsqrt",
    "square",
    "abs",
    "sign",
    "tanh",
    "sigmoid",
    "relu",
    "reciprocal",
    "floor",
    "ceil",
    "round",
    "sin",
    "cos",
    "log1p",
    "expm1",
    "softplus",
    "logical_not",
    "add",
    "sub",
    "mul",
    "div",
    "floordiv",
    "mod",
    "pow",
    "maximum",
    "minimum",
    "logical_and",
    "logical_or",
    "equal",
    "not_equal",
    "less",
    "less_equal",
    "greater",
    "greater_equal",
    "reduce_sum",
    "reduce_mean",
    "reduce_max",
    "reduce_min",
    "reduce_prod",
    "select",
    "cast",
    "fill_like",
    "identity",
    "stop_gradient",
    "matmul",
    "argmax",
    "argmin",
    "reshape",
    "reshape_like",
    "transpose",
    "expand_dims",
    "squeeze",
    "broadcast_to",
    "broadcast_like",
    "concat",
    "strided_slice",
    "gather",
    "one_hot",
    "shape",
    "softmax",
    "log_softmax",
    "sparse_softmax_cross_entropy",
    "softmax_cross_entropy",
    "layer_norm",
];

pub use super::ops_image::IMAGE_OPS;

/// Whether the loader builds op `name` (besides `placeholder` and `const`).
pub fn is_supported(name: &str) -> bool {
    SUPPORTED_OPS.contains(&name) || IMAGE_OPS.contains(&name)
}

/// Typed access to a node's attributes; errors name the attribute and what it held.
pub(super) struct Attrs<'a>(&'a Map<String, Value>);

impl Attrs<'_> {
    pub(super) fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }
    pub(super) fn bad(&self, key: &str, expected: &str) -> Error {
        let received = self.0.get(key).map_or_else(|| "nothing".to_string(), |v| v.to_string());
        Error::invalid(format!("attribute '{key}' must be {expected}, received {received}"))
    }
    pub(super) fn req(&self, key: &str) -> Result<&Value> {
        self.get(key).ok_or_else(|| Error::invalid(format!("missing attribute '{key}'")))
    }
    pub(super) fn i64(&self, key: &str, default: i64) -> Result<i64> {
        self.get(key).map_or(Ok(default), |v| v.as_i64().ok_or_else(|| self.bad(key, "an integer")))
    }
    pub(super) fn usize(&self, key: &str) -> Result<usize> {
        let v = self.req(key)?;
        v.as_u64()
            .and_then(|u| usize::try_from(u).ok())
            .ok_or_else(|| self.bad(key, "a non-negative integer"))
    }
    fn f64(&self, key: &str, default: f64) -> Result<f64> {
        self.get(key).map_or(Ok(default), |v| v.as_f64().ok_or_else(|| self.bad(key, "a number")))
    }
    pub(super) fn bool(&self, key: &str) -> Result<bool> {
        self.get(key).map_or(Ok(false), |v| v.as_bool().ok_or_else(|| self.bad(key, "true or false")))
    }
    pub(super) fn dtype(&self, key: &str) -> Result<Option<DType>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => DType::parse(v.as_str().ok_or_else(|| self.bad(key, "a dtype name"))?).map(Some),
        }
    }
    fn i64_list(&self, key: &str, v: &Value) -> Result<Vec<i64>> {
        let items = v.as_array().ok_or_else(|| self.bad(key, "a list of integers"))?;
        items.iter().map(|x| x.as_i64().ok_or_else(|| self.bad(key, "a list of integers"))).collect()
    }
    pub(super) fn usize_list(&self, key: &str) -> Result<Vec<usize>> {
        let v = self.req(key)?;
        let items = v.as_array().ok_or_else(|| self.bad(key, "a list of non-negative integers"))?;
        items
            .iter()
            .map(|x| {
                x.as_u64()
                    .and_then(|u| usize::try_from(u).ok())
                    .ok_or_else(|| self.bad(key, "a list of non-negative integers"))
            })
            .collect()
    }
    /// An axis list: absent (all axes), one integer, or a list of integers.
    fn axes(&self, key: &str) -> Result<Option<Vec<i64>>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.as_i64() {
                Some(single) => Ok(Some(vec![single])),
                None => self.i64_list(key, v).map(Some),
            },
        }
    }
}

/// The op for node type `name` with `attrs`, or an error naming the op when it is unknown or malformed.
pub fn parse_op(name: &str, attrs: &Map<String, Value>) -> Result<Op> {
    let a = Attrs(attrs);
    if let Some(u) = unary(name) {
        return Ok(Op::Unary(u));
    }
    if let Some(b) = binary(name) {
        return Ok(Op::Binary(b));
    }
    if let Some(c) = compare(name) {
        return Ok(Op::Compare(c));
    }
    if let Some(r) = reduction(name) {
        return Ok(Op::Reduce { op: r, axes: a.axes("axis")?, keepdims: a.bool("keepdims")? });
    }
    if let Some(op) = super::ops_image::parse(name, &a)? {
        return Ok(op);
    }
    Ok(match name {
        "select" => Op::Select,
        "cast" => Op::Cast(a.dtype("dtype")?.ok_or_else(|| Error::invalid("missing attribute 'dtype'"))?),
        "fill_like" => Op::FillLike { value: a.f64("value", 0.0)?, dtype: a.dtype("dtype")? },
        "identity" => Op::Identity,
        "stop_gradient" => Op::StopGradient,
        "matmul" => Op::MatMul { transpose_a: a.bool("transpose_a")?, transpose_b: a.bool("transpose_b")? },
        "argmax" => {
            Op::ArgMax { axis: a.i64("axis", 0)?, output_type: a.dtype("output_type")?.unwrap_or(DType::I64) }
        }
        "argmin" => {
            Op::ArgMin { axis: a.i64("axis", 0)?, output_type: a.dtype("output_type")?.unwrap_or(DType::I64) }
        }
        "reshape" => Op::Reshape { shape: a.i64_list("shape", a.req("shape")?)? },
        "reshape_like" => Op::ReshapeLike,
        "transpose" => {
            Op::Transpose { perm: if a.get("perm").is_some() { Some(a.usize_list("perm")?) } else { None } }
        }
        "expand_dims" => Op::ExpandDims { axis: a.i64("axis", 0)? },
        "squeeze" => Op::Squeeze { axes: a.axes("axis")? },
        "broadcast_to" => Op::BroadcastTo { shape: a.usize_list("shape")? },
        "broadcast_like" => Op::BroadcastLike,
        "concat" => Op::Concat { axis: a.i64("axis", 0)? },
        "strided_slice" => Op::StridedSlice { specs: slice_specs(&a)? },
        "gather" => Op::Gather { axis: a.i64("axis", 0)? },
        "one_hot" => Op::OneHot {
            depth: usize::try_from(a.i64("depth", 0)?)
                .map_err(|_| a.bad("depth", "a non-negative integer"))?,
            on_value: a.f64("on_value", 1.0)?,
            off_value: a.f64("off_value", 0.0)?,
            axis: a.i64("axis", -1)?,
            dtype: a.dtype("dtype")?.unwrap_or(DType::F32),
        },
        "shape" => Op::ShapeOf { out_type: a.dtype("out_type")?.unwrap_or(DType::I32) },
        "softmax" => Op::Softmax { axis: a.i64("axis", -1)? },
        "log_softmax" => Op::LogSoftmax { axis: a.i64("axis", -1)? },
        "sparse_softmax_cross_entropy" => Op::SparseSoftmaxCrossEntropy,
        "softmax_cross_entropy" => Op::SoftmaxCrossEntropy,
        "layer_norm" => Op::BatchNorm(BatchNormOp::LayerNorm { epsilon: a.f64("epsilon", 1e-3)? }),
        other => {
            return Err(Error::invalid(format!(
                "unknown op '{other}': a saved model may use placeholder, const, {} and {}",
                SUPPORTED_OPS.join(", "),
                IMAGE_OPS.join(", ")
            )))
        }
    })
}

/// Slice specs as JSON lists: `["index", i]`, `["range", start, stop, step]`, `["newaxis"]`, `["ellipsis"]`.
fn slice_specs(a: &Attrs) -> Result<Vec<SliceSpec>> {
    let bad = || {
        a.bad(
            "specs",
            "a list of [\"index\", i], [\"range\", start, stop, step], [\"newaxis\"] or [\"ellipsis\"]",
        )
    };
    let items = a.req("specs")?.as_array().ok_or_else(bad)?;
    let opt = |v: Option<&Value>| -> Result<Option<i64>> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(x) => x.as_i64().map(Some).ok_or_else(bad),
        }
    };
    items
        .iter()
        .map(|item| {
            let parts = item.as_array().ok_or_else(bad)?;
            Ok(match parts.first().and_then(Value::as_str) {
                Some("index") => SliceSpec::Index(opt(parts.get(1))?.ok_or_else(bad)?),
                Some("range") => SliceSpec::Range {
                    start: opt(parts.get(1))?,
                    stop: opt(parts.get(2))?,
                    step: opt(parts.get(3))?.unwrap_or(1),
                },
                Some("newaxis") => SliceSpec::NewAxis,
                Some("ellipsis") => SliceSpec::Ellipsis,
                _ => return Err(bad()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::op::ReduceOp;
    use serde_json::json;

    fn attrs(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn every_supported_name_parses() {
        let full = attrs(json!({
            "dtype": "float32", "shape": [2, 3], "specs": [["range", null, 2, 1], ["index", 0]], "perm": [1, 0]
        }));
        for name in SUPPORTED_OPS {
            assert!(parse_op(name, &full).is_ok(), "{name}");
        }
        let image = attrs(json!({
            "strides": [1, 2], "dilations": [1, 1], "padding": [[0, 1], [1, 0]], "ksize": [2, 2],
            "height": 4, "width": 5, "method": "bilinear", "dtype": "int32", "shape": [null, 3],
            "rank": 2, "fft_length": [8]
        }));
        for name in IMAGE_OPS {
            assert!(parse_op(name, &image).is_ok(), "{name}");
        }
        let e = parse_op("conv2d", &attrs(json!({"padding": "FULL"}))).unwrap_err();
        assert!(e.message.contains("'padding' must be"), "{}", e.message);
    }

    #[test]
    fn attributes_are_read() {
        match parse_op("matmul", &attrs(json!({"transpose_a": false, "transpose_b": true}))).unwrap() {
            Op::MatMul { transpose_a: false, transpose_b: true } => {}
            other => panic!("{other:?}"),
        }
        match parse_op("reduce_mean", &attrs(json!({"axis": -1, "keepdims": true}))).unwrap() {
            Op::Reduce { op: ReduceOp::Mean, axes: Some(a), keepdims: true } => assert_eq!(a, vec![-1]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_ops_and_bad_attributes_are_errors() {
        let e = parse_op("assign", &Map::new()).unwrap_err();
        assert!(e.message.contains("unknown op 'assign'") && e.message.contains("matmul"), "{}", e.message);
        let e = parse_op("softmax", &attrs(json!({"axis": "last"}))).unwrap_err();
        assert!(e.message.contains("'axis' must be an integer, received \"last\""), "{}", e.message);
        let e = parse_op("cast", &attrs(json!({"dtype": "float8_e4m3fn"}))).unwrap_err();
        assert!(e.message.contains("float8_e4m3fn"), "{}", e.message);
    }
}
