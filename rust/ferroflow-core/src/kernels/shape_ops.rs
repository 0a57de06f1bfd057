//! stub: replaced by the real kernels
use crate::{dtype::DType, error::{Error, Result}, op::SliceSpec, tensor::Tensor};
pub fn reshape(_x: &Tensor, _shape: &[i64]) -> Result<Tensor> { Err(Error::internal("todo")) }
pub fn reshape_to(_x: &Tensor, _shape: &[usize]) -> Result<Tensor> { Err(Error::internal("todo")) }
pub fn transpose(_x: &Tensor, _perm: Option<&[usize]>) -> Result<Tensor> { Err(Error::internal("todo")) }
pub fn expand_dims(_x: &Tensor, _axis: i64) -> Result<Tensor> { Err(Error::internal("todo")) }
pub fn squeeze(_x: &Tensor, _axes: Option<&[i64]>) -> Result<Tensor> { Err(Error::internal("todo")) }
pub fn broadcast_to(_x: &Tensor, _shape: &[usize]) -> Result<Tensor> { Err(Error::internal("todo")) }
pub fn concat(_xs: &[Tensor], _axis: i64) -> Result<Tensor> { Err(Error::internal("todo")) }
pub fn concat_split(_g: &Tensor, _originals: &[Tensor], _axis: i64, _index: usize) -> Result<Tensor> { Err(Error::internal("todo")) }
pub fn strided_slice(_x: &Tensor, _specs: &[SliceSpec]) -> Result<Tensor> { Err(Error::internal("todo")) }
pub fn strided_slice_grad(_g: &Tensor, _shape: &[usize], _specs: &[SliceSpec]) -> Result<Tensor> { Err(Error::internal("todo")) }
pub fn gather(_params: &Tensor, _indices: &Tensor, _axis: i64) -> Result<Tensor> { Err(Error::internal("todo")) }
pub fn gather_grad(_g: &Tensor, _indices: &Tensor, _shape: &[usize], _axis: i64) -> Result<Tensor> { Err(Error::internal("todo")) }
pub fn one_hot(_idx: &Tensor, _depth: usize, _on: f64, _off: f64, _axis: i64, _dtype: DType) -> Result<Tensor> { Err(Error::internal("todo")) }
pub fn shape_of(_x: &Tensor, _out: DType) -> Result<Tensor> { Err(Error::internal("todo")) }
