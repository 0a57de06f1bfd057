//! `WriteRow`: a tensor with one row (along axis 0) replaced, in the buffer itself when the plan hands it over.
//!
//! A `TensorArray` in a loop is a buffer that every iteration writes one row of. Composed from a mask and a
//! select, each write read and wrote the whole buffer, so n writes cost O(n²); here a write whose buffer
//! nobody else holds touches one row.

use crate::error::{Error, Result};
use crate::shape::fmt_dims;
use crate::tensor::{Tensor, TensorData};

/// Checks the operands and returns the row's element offset and length.
fn row_span(buffer: &Tensor, index: &Tensor, value: &Tensor) -> Result<(usize, usize)> {
    let shape = buffer.shape();
    if shape.is_empty() || shape[1..] != *value.shape() {
        return Err(Error::invalid(format!(
            "write_row: a value of shape {} cannot be a row of a buffer of shape {}",
            fmt_dims(value.shape()),
            fmt_dims(shape)
        )));
    }
    if buffer.dtype() != value.dtype() {
        return Err(Error::dtype(format!(
            "write_row: a {} value cannot be written into a {} buffer",
            value.dtype(),
            buffer.dtype()
        )));
    }
    let i = match (index.dtype(), index.len()) {
        (crate::DType::I32 | crate::DType::I64, 1) => index.to_i64_vec()[0],
        _ => {
            return Err(Error::invalid(format!(
                "write_row expects a scalar int32 or int64 index, received {} of shape {}",
                index.dtype(),
                fmt_dims(index.shape())
            )))
        }
    };
    if i < 0 || i as usize >= shape[0] {
        return Err(Error::out_of_range(format!(
            "write_row: index {i} is outside the buffer's {} rows",
            shape[0]
        )));
    }
    let len = value.len();
    Ok((i as usize * len, len))
}

fn copy_into(dst: &mut TensorData, src: &TensorData, at: usize, len: usize) -> Result<()> {
    macro_rules! rows {
        ($($v:ident),*) => {
            match (dst, src) {
                $((TensorData::$v(d), TensorData::$v(s)) => {
                    let d = d.as_slice_mut().ok_or_else(|| Error::internal("write_row: buffer is not contiguous"))?;
                    let s = s.as_slice().ok_or_else(|| Error::internal("write_row: value is not contiguous"))?;
                    d[at..at + len].clone_from_slice(s);
                })*
                _ => return Err(Error::internal("write_row: dtypes differ")),
            }
        };
    }
    rows!(F32, F64, I32, I64, Bool, U8, I8, I16, U16, U32, U64, Str);
    Ok(())
}

/// `buffer` with row `index` replaced by `value`, in a new buffer.
pub fn write_row(buffer: &Tensor, index: &Tensor, value: &Tensor) -> Result<Tensor> {
    let (at, len) = row_span(buffer, index, value)?;
    let mut data = buffer.data().clone();
    copy_into(&mut data, value.data(), at, len)?;
    Ok(Tensor::new(data))
}

/// `write_row` into `args[0]`'s own buffer when the plan handed over its only reference; None otherwise.
pub fn write_row_in_place(args: &mut [Tensor]) -> Option<Result<Tensor>> {
    let [buffer, index, value] = args else { return None };
    let span = row_span(buffer, index, value);
    let (at, len) = match span {
        Ok(span) => span,
        Err(e) => return Some(Err(e)),
    };
    let data = buffer.get_mut()?;
    Some(copy_into(data, value.data(), at, len).map(|()| buffer.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_one_row_in_place_or_in_a_copy() {
        let buffer = Tensor::from_vec(&[3, 2], vec![0.0f32; 6]).unwrap();
        let value = Tensor::from_vec(&[2], vec![1.0f32, 2.0]).unwrap();
        let copy = write_row(&buffer, &Tensor::scalar(1i32), &value).unwrap();
        assert_eq!(copy.to_f64_vec(), vec![0.0, 0.0, 1.0, 2.0, 0.0, 0.0]);
        assert_eq!(buffer.to_f64_vec(), vec![0.0; 6]);
        let mut args = [buffer, Tensor::scalar(2i64), value];
        let written = write_row_in_place(&mut args).unwrap().unwrap();
        assert_eq!(written.to_f64_vec(), vec![0.0, 0.0, 0.0, 0.0, 1.0, 2.0]);
        let held = args[0].clone();
        assert!(write_row_in_place(&mut args).is_none(), "a shared buffer is not written in place");
        drop(held);
        let err = write_row(&args[0], &Tensor::scalar(3i32), &args[2]).unwrap_err();
        assert!(err.to_string().contains("outside"), "{err}");
    }
}
