//! `tf.fill(dims, value)` with a shape known only when the graph runs: its shape rule and kernel.

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::shape::Shape;
use crate::tensor::Tensor;

/// The static shape of `Fill`: one unknown dimension per element of `dims` (its values are run-time).
pub fn fill_shape(dims: &Shape, dims_dtype: DType, value: &Shape) -> Result<Shape> {
    if !matches!(dims_dtype, DType::I32 | DType::I64) {
        return Err(Error::dtype(format!("fill expects int32 or int64 dims, received {dims_dtype}")));
    }
    if let Some(rank) = dims.rank().filter(|&r| r != 1) {
        return Err(Error::invalid(format!("dims must be a vector, got a tensor of rank {rank}")));
    }
    if let Some(rank) = value.rank().filter(|&r| r != 0) {
        return Err(Error::invalid(format!("value must be a scalar, got a tensor of rank {rank}")));
    }
    Ok(match dims.to_concrete() {
        Some(d) => Shape::unknown_of_rank(d[0]),
        None => Shape::unknown(),
    })
}

/// A tensor of shape `dims` whose every element is the scalar `value`, of `value`'s dtype.
pub fn fill(dims: &Tensor, value: &Tensor) -> Result<Tensor> {
    // TensorFlow's messages (its `Fill` kernel's), shapes written without spaces as it writes them.
    let dims_text =
        |s: &[usize]| format!("[{}]", s.iter().map(usize::to_string).collect::<Vec<_>>().join(","));
    if dims.rank() != 1 {
        return Err(Error::invalid(format!(
            "dims must represent a vector, got shape {}",
            dims_text(dims.shape())
        )));
    }
    if value.rank() != 0 {
        return Err(Error::invalid(format!(
            "value must represent a scalar, got shape {}",
            dims_text(value.shape())
        )));
    }
    let wanted = dims.to_i64_vec();
    let mut shape = Vec::with_capacity(wanted.len());
    for &d in &wanted {
        shape.push(usize::try_from(d).map_err(|_| Error::invalid(format!("Dimension {d} must be >= 0")))?);
    }
    super::shape_ops::broadcast_to(value, &shape)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_the_run_time_shape_with_the_value_and_its_dtype() {
        let dims = Tensor::from_vec(&[2], vec![2i64, 3]).unwrap();
        let out = fill(&dims, &Tensor::scalar(7i32)).unwrap();
        assert_eq!(out.shape(), &[2, 3]);
        assert_eq!(out.dtype(), DType::I32);
        assert_eq!(out.to_i64_vec(), vec![7; 6]);
        let empty = fill(&Tensor::from_vec(&[2], vec![0i32, 4]).unwrap(), &Tensor::scalar(1.5f32)).unwrap();
        assert_eq!(empty.shape(), &[0, 4]);
    }

    #[test]
    fn bad_dims_and_values_are_invalid_arguments() {
        let neg = Tensor::from_vec(&[1], vec![-1i32]).unwrap();
        assert!(fill(&neg, &Tensor::scalar(1.0f32)).unwrap_err().to_string().contains("must be >= 0"));
        let dims = Tensor::from_vec(&[1], vec![2i32]).unwrap();
        let vector = Tensor::from_vec(&[2], vec![1.0f32, 2.0]).unwrap();
        assert!(fill(&dims, &vector)
            .unwrap_err()
            .to_string()
            .contains("value must represent a scalar, got shape [2]"));
        let shape = fill_shape(&Shape::from_dims(vec![Some(3)]), DType::I32, &Shape::known(&[])).unwrap();
        assert_eq!(shape.rank(), Some(3));
        assert!(fill_shape(&Shape::known(&[3]), DType::F32, &Shape::known(&[])).is_err());
    }
}
