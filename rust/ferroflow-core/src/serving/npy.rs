//! Reading and writing tensors in NumPy's `.npy` format (little-endian, C order), the weight files of a saved model.

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::shape::fmt_dims;
use crate::tensor::{Tensor, TensorData};
use std::path::Path;

const MAGIC: &[u8] = b"\x93NUMPY";

/// The `descr` NumPy writes for each dtype on a little-endian machine; strings have none (NumPy
/// stores object arrays only by pickling them).
fn descr(dtype: DType) -> Option<&'static str> {
    Some(match dtype {
        DType::F32 => "<f4",
        DType::F64 => "<f8",
        DType::I32 => "<i4",
        DType::I64 => "<i8",
        DType::Bool => "|b1",
        DType::U8 => "|u1",
        DType::I8 => "|i1",
        DType::I16 => "<i2",
        DType::U16 => "<u2",
        DType::U32 => "<u4",
        DType::U64 => "<u8",
        DType::F16 => "<f2",
        DType::C64 => "<c8",
        DType::C128 => "<c16",
        // NumPy has no bfloat16: its files would hold opaque 2-byte records ('<V2').
        DType::Str | DType::BF16 => return None,
    })
}

fn parse_descr(s: &str) -> Option<DType> {
    DType::ALL.into_iter().find(|&d| descr(d) == Some(s))
}

/// Reads a `.npy` file into a tensor; errors name the file and what was wrong with it.
pub fn read_npy(path: &Path) -> Result<Tensor> {
    let bytes =
        std::fs::read(path).map_err(|e| Error::invalid(format!("cannot read {}: {e}", path.display())))?;
    parse_npy(&bytes).map_err(|e| e.context(path.display()))
}

/// Parses the bytes of a `.npy` file (format versions 1 to 3).
pub fn parse_npy(bytes: &[u8]) -> Result<Tensor> {
    if bytes.len() < 10 || &bytes[..6] != MAGIC {
        return Err(Error::invalid("not a .npy file (the magic string \\x93NUMPY is missing)"));
    }
    let (header_len, start): (usize, usize) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => {
            (u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize, 12)
        }
        v => return Err(Error::invalid(format!("unsupported .npy format version {v}; expected 1, 2 or 3"))),
    };
    let end = start
        .checked_add(header_len)
        .filter(|&e| e <= bytes.len())
        .ok_or_else(|| Error::invalid(format!("truncated .npy header ({header_len} bytes announced)")))?;
    let header = std::str::from_utf8(&bytes[start..end])
        .map_err(|_| Error::invalid("the .npy header is not valid text"))?;
    let descr_str = header_value(header, "descr")?;
    let descr_str = descr_str.trim().trim_matches(|c| c == '\'' || c == '"');
    let dtype = parse_descr(descr_str).ok_or_else(|| {
        Error::dtype(format!(
            "unsupported .npy dtype '{descr_str}'; expected a little-endian number or bool type such as <f4, <i8, |u1 or |b1"
        ))
    })?;
    match header_value(header, "fortran_order")?.trim() {
        "False" => {}
        "True" => {
            return Err(Error::invalid("Fortran-ordered .npy data is not supported; save a C-ordered array"))
        }
        other => return Err(Error::invalid(format!("bad fortran_order '{other}' in the .npy header"))),
    }
    let shape = parse_shape(header_value(header, "shape")?)?;
    let data = &bytes[end..];
    let n = shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d));
    let expected = n.and_then(|n| n.checked_mul(dtype.size_of()));
    if expected != Some(data.len()) {
        return Err(Error::invalid(format!(
            "the .npy header says {dtype} of shape {} but the file holds {} data bytes",
            fmt_dims(&shape),
            data.len()
        )));
    }
    Tensor::from_raw_bytes(dtype, &shape, data, true)
}

/// The text of `key`'s value in the header's Python dict literal, up to the next top-level comma.
fn header_value<'a>(header: &'a str, key: &str) -> Result<&'a str> {
    let missing = || Error::invalid(format!("the .npy header has no '{key}' entry: {}", header.trim()));
    let at = header.find(&format!("'{key}'")).ok_or_else(missing)?;
    let rest = &header[at + key.len() + 2..];
    let colon = rest.find(':').ok_or_else(missing)?;
    let rest = &rest[colon + 1..];
    let mut depth = 0i32;
    for (i, c) in rest.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' | '}' if depth == 0 => return Ok(&rest[..i]),
            _ => {}
        }
    }
    Err(missing())
}

fn parse_shape(text: &str) -> Result<Vec<usize>> {
    let inner = text.trim().strip_prefix('(').and_then(|t| t.strip_suffix(')'));
    let inner =
        inner.ok_or_else(|| Error::invalid(format!("bad shape '{}' in the .npy header", text.trim())))?;
    inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<usize>().map_err(|_| Error::invalid(format!("bad dimension '{s}' in the .npy header")))
        })
        .collect()
}

/// The bytes of a version 1.0 `.npy` file holding `t`, readable by `numpy.load`.
pub fn encode_npy(t: &Tensor) -> Result<Vec<u8>> {
    let descr = descr(t.dtype()).ok_or_else(|| {
        Error::dtype(format!(
            "a {} tensor cannot be stored as .npy: only numbers (not bfloat16) and bools can",
            t.dtype()
        ))
    })?;
    let dims: Vec<String> = t.shape().iter().map(|d| d.to_string()).collect();
    let shape = if dims.len() == 1 { format!("({},)", dims[0]) } else { format!("({})", dims.join(", ")) };
    let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
    // NumPy pads the header with spaces so that the data starts on a 64-byte boundary.
    let unpadded = MAGIC.len() + 4 + header.len() + 1;
    header.push_str(&" ".repeat((64 - unpadded % 64) % 64));
    header.push('\n');
    let mut out = Vec::with_capacity(MAGIC.len() + 4 + header.len() + t.len() * t.dtype().size_of());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[1, 0]);
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    match t.data() {
        TensorData::F32(a) => a.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
        TensorData::F64(a) => a.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
        TensorData::I32(a) => a.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
        TensorData::I64(a) => a.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
        TensorData::U8(a) => a.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
        TensorData::I8(a) => a.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
        TensorData::I16(a) => a.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
        TensorData::U16(a) => a.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
        TensorData::U32(a) => a.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
        TensorData::U64(a) => a.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
        TensorData::Bool(a) => a.iter().for_each(|&v| out.push(v as u8)),
        TensorData::F16(a) => a.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
        TensorData::C64(a) => {
            a.iter().for_each(|v| [v.re, v.im].iter().for_each(|p| out.extend_from_slice(&p.to_le_bytes())))
        }
        TensorData::C128(a) => {
            a.iter().for_each(|v| [v.re, v.im].iter().for_each(|p| out.extend_from_slice(&p.to_le_bytes())))
        }
        TensorData::Str(_) | TensorData::BF16(_) => {} // no .npy descr: returned an error above
    }
    Ok(out)
}

/// Writes `t` to `path` as a `.npy` file.
pub fn write_npy(path: &Path, t: &Tensor) -> Result<()> {
    std::fs::write(path, encode_npy(t)?)
        .map_err(|e| Error::invalid(format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_every_dtype() {
        let cases = [
            Tensor::from_vec(&[2, 3], vec![1.5f32, -2.0, 0.0, 3.25, 1e-8, 7.0]).unwrap(),
            Tensor::from_vec(&[3], vec![1.0f64, 2.0, -3.5]).unwrap(),
            Tensor::from_vec(&[2, 1], vec![-4i32, 9]).unwrap(),
            Tensor::from_vec(&[], vec![1i64 << 40]).unwrap(),
            Tensor::from_vec(&[2], vec![true, false]).unwrap(),
        ];
        for t in cases {
            let bytes = encode_npy(&t).unwrap();
            assert_eq!((bytes.len() - t.len() * t.dtype().size_of()) % 64, 0);
            let back = parse_npy(&bytes).unwrap();
            assert_eq!(back.dtype(), t.dtype());
            assert_eq!(back.shape(), t.shape());
            assert_eq!(back.to_f64_vec(), t.to_f64_vec());
        }
    }

    #[test]
    fn reads_a_header_written_by_numpy() {
        // numpy.save(f, numpy.arange(6, dtype='<i4').reshape(2, 3)) writes exactly this header.
        let header = "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }";
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&[1, 0]);
        let padded = format!("{header:<117}\n");
        bytes.extend_from_slice(&(padded.len() as u16).to_le_bytes());
        bytes.extend_from_slice(padded.as_bytes());
        for v in 0i32..6 {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        let t = parse_npy(&bytes).unwrap();
        assert_eq!(t.shape(), &[2, 3]);
        assert_eq!(t.to_i64_vec(), vec![0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn bad_files_are_errors() {
        assert!(parse_npy(b"PK\x03\x04 not npy").unwrap_err().message.contains("magic"));
        let t = Tensor::from_vec(&[4], vec![1.0f32; 4]).unwrap();
        let bytes = encode_npy(&t).unwrap();
        let e = parse_npy(&bytes[..bytes.len() - 1]).unwrap_err();
        assert!(e.message.contains("(4,)") && e.message.contains("15 data bytes"), "{}", e.message);
        let mut big_endian = bytes.clone();
        let at = big_endian.windows(3).position(|w| w == b"<f4").unwrap();
        big_endian[at] = b'>';
        let e = parse_npy(&big_endian).unwrap_err();
        assert!(e.message.contains(">f4"), "{}", e.message);
    }
}
