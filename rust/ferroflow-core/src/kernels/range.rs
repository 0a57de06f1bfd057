//! `tf.range` whose bounds are tensors known only when the graph runs (`tf.range(tf.shape(x)[0])`).

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::shape::fmt_dims;
use crate::tensor::{ensure_allocatable, Tensor};

fn scalar(t: &Tensor, what: &str) -> Result<f64> {
    match t.first_f64() {
        Some(v) if t.len() == 1 && t.rank() == 0 => Ok(v),
        _ => Err(Error::invalid(format!(
            "range expects a scalar {what}, received shape {}",
            fmt_dims(t.shape())
        ))),
    }
}

/// `start, start + delta, ...` up to `limit` (exclusive), in `dtype`; TensorFlow's errors for a zero delta
/// and for bounds in the wrong order.
pub fn range(start: &Tensor, limit: &Tensor, delta: &Tensor, dtype: DType) -> Result<Tensor> {
    let (s, l, d) = (scalar(start, "start")?, scalar(limit, "limit")?, scalar(delta, "delta")?);
    if d == 0.0 {
        return Err(Error::invalid("Requires delta != 0"));
    }
    if (d > 0.0 && s > l) || (d < 0.0 && s < l) {
        let (order, sign) = if d > 0.0 { ("start <= limit", ">") } else { ("start >= limit", "<") };
        return Err(Error::invalid(format!("Requires {order} when delta {sign} 0: {s}/{l}")));
    }
    let count = if dtype.is_float() {
        ((l - s) / d).ceil() as usize
    } else {
        let (s, l, d) = (s as i64, l as i64, d as i64);
        ((l - s).unsigned_abs() as usize).div_ceil(d.unsigned_abs() as usize)
    };
    ensure_allocatable::<f64>(count)?;
    let values: Vec<f64> = (0..count).map(|i| s + i as f64 * d).collect();
    let out = Tensor::from_vec(&[count], values)?;
    if dtype == DType::F64 {
        return Ok(out);
    }
    super::elementwise::cast(&out, dtype)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(v: f64) -> Tensor {
        Tensor::scalar(v)
    }

    #[test]
    fn counts_like_numpy_arange_and_refuses_what_tensorflow_refuses() {
        assert_eq!(range(&t(0.0), &t(5.0), &t(2.0), DType::I32).unwrap().to_i64_vec(), vec![0, 2, 4]);
        assert_eq!(range(&t(5.0), &t(-1.0), &t(-3.0), DType::I64).unwrap().to_i64_vec(), vec![5, 2]);
        assert_eq!(range(&t(0.5), &t(1.0), &t(0.2), DType::F32).unwrap().shape(), &[3]);
        assert_eq!(range(&t(3.0), &t(3.0), &t(1.0), DType::I32).unwrap().shape(), &[0]);
        assert!(range(&t(0.0), &t(3.0), &t(0.0), DType::I32).unwrap_err().message.contains("delta != 0"));
        assert!(range(&t(4.0), &t(3.0), &t(1.0), DType::I32).unwrap_err().message.contains("start <= limit"));
        let v = Tensor::from_vec(&[2], vec![1.0f64, 2.0]).unwrap();
        assert!(range(&t(0.0), &v, &t(1.0), DType::I32).unwrap_err().message.contains("scalar limit"));
    }
}
