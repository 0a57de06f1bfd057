//! Reading MNIST's IDX files (unsigned bytes, optionally gzip-compressed), as `ferroflow.datasets` does in Python.

use flate2::read::GzDecoder;
use std::io::Read;
use std::path::{Path, PathBuf};

/// An IDX array of unsigned bytes: its dimensions and its data in C order.
#[derive(Debug)]
pub struct IdxArray {
    pub dims: Vec<usize>,
    pub data: Vec<u8>,
}

/// `dir/name`, or `dir/name.gz` when only the compressed file is there.
pub fn find(dir: &Path, name: &str) -> Result<PathBuf, String> {
    let plain = dir.join(name);
    let gz = dir.join(format!("{name}.gz"));
    if plain.is_file() {
        Ok(plain)
    } else if gz.is_file() {
        Ok(gz)
    } else {
        Err(format!("neither {} nor {} exists", plain.display(), gz.display()))
    }
}

/// Reads an IDX file of rank `ndim`, decompressing it when it starts with the gzip magic bytes.
pub fn load(path: &Path, ndim: usize) -> Result<IdxArray, String> {
    let raw = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        GzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| format!("{}: corrupt or truncated gzip data ({e})", path.display()))?;
        out
    } else {
        raw
    };
    parse(&bytes, ndim).map_err(|e| format!("{}: {e}", path.display()))
}

/// Header: two zero bytes, type code 0x08 (unsigned byte), the rank, then one big-endian u32 per dimension.
fn parse(bytes: &[u8], ndim: usize) -> Result<IdxArray, String> {
    let header_len = 4 + 4 * ndim;
    if bytes.len() < header_len {
        return Err(format!("truncated IDX header ({} of {header_len} bytes)", bytes.len()));
    }
    if bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08 || bytes[3] as usize != ndim {
        return Err(format!(
            "bad IDX magic number 0x{:02x}{:02x}{:02x}{:02x}, expected 0x000008{ndim:02x} (unsigned bytes, rank {ndim})",
            bytes[0], bytes[1], bytes[2], bytes[3]
        ));
    }
    let dims: Vec<usize> = bytes[4..header_len]
        .chunks_exact(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize)
        .collect();
    let expected: usize = dims.iter().product();
    let data = &bytes[header_len..];
    if data.len() != expected {
        return Err(format!(
            "header says shape {dims:?} ({expected} bytes), the file holds {} bytes",
            data.len()
        ));
    }
    Ok(IdxArray { dims, data: data.to_vec() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates() {
        let mut bytes = vec![0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3];
        bytes.extend_from_slice(&[1, 2, 3, 4, 5, 6]);
        let a = parse(&bytes, 2).unwrap();
        assert_eq!(a.dims, vec![2, 3]);
        assert_eq!(a.data, vec![1, 2, 3, 4, 5, 6]);
        assert!(parse(&bytes[..bytes.len() - 1], 2).unwrap_err().contains("holds 5 bytes"));
        assert!(parse(&bytes, 1).unwrap_err().contains("magic"));
    }
}
