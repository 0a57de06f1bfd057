//! stub
use crate::{dtype::DType, error::Result, op::Op, shape::Shape};
pub fn infer(_op: &Op, _inputs: &[(&Shape, DType)]) -> Result<(Shape, DType)> { Ok((Shape::unknown(), DType::F32)) }
