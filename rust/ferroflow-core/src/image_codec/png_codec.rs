//! PNG through the `png` crate: palettes, low bit depths and transparency expand as libpng does for TensorFlow.

use super::channels::{convert, Component};
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::tensor::{Storable, Tensor};
use png::{BitDepth, ColorType, DeflateCompression, Limits, Transformations};
use std::io::Cursor;

/// Decoding may allocate this much: enough for any image a tensor here can hold.
const DECODE_LIMIT_BYTES: usize = 1 << 34;

fn invalid(size: usize, e: impl std::fmt::Display) -> Error {
    Error::invalid(format!("Invalid PNG data, size {size}: {e}"))
}

pub(super) fn decode(data: &[u8], channels: usize, dtype: DType) -> Result<Tensor> {
    let mut decoder = png::Decoder::new_with_limits(Cursor::new(data), Limits { bytes: DECODE_LIMIT_BYTES });
    decoder.set_transformations(Transformations::EXPAND);
    let mut reader = decoder.read_info().map_err(|e| invalid(data.len(), e))?;
    let size = reader.output_buffer_size().ok_or_else(|| invalid(data.len(), "the image is too large"))?;
    crate::tensor::ensure_allocatable::<u8>(size)?;
    let mut buf = vec![0u8; size];
    let info = reader.next_frame(&mut buf).map_err(|e| invalid(data.len(), e))?;
    buf.truncate(info.buffer_size());
    let (h, w, from) = (info.height as usize, info.width as usize, info.color_type.samples());
    let sixteen = info.bit_depth == BitDepth::Sixteen;
    let to = if channels == 0 { from } else { channels };
    match dtype {
        // 16-bit samples keep their high byte, as libpng's strip_16.
        DType::U8 if sixteen => {
            shaped(h, w, to, convert(buf.chunks_exact(2).map(|b| b[0]).collect(), from, to))
        }
        DType::U8 => shaped(h, w, to, convert(buf, from, to)),
        // 8-bit samples scale by 257 so that 255 becomes 65535, as libpng's expand_16.
        _ if sixteen => {
            let v: Vec<u16> = buf.chunks_exact(2).map(|b| u16::from_be_bytes([b[0], b[1]])).collect();
            shaped(h, w, to, convert(v, from, to))
        }
        _ => shaped(h, w, to, convert(buf.iter().map(|&b| b as u16 * 257).collect(), from, to)),
    }
}

fn shaped<T: Storable + Component>(h: usize, w: usize, c: usize, pixels: Vec<T>) -> Result<Tensor> {
    Tensor::from_vec(&[h, w, c], pixels)
}

pub(super) fn encode(image: &Tensor, compression: i64) -> Result<Tensor> {
    let (h, w, c) = super::image_dims("EncodePng", image, &[1, 2, 3, 4])?;
    if !(-1..=9).contains(&compression) {
        return Err(Error::invalid(format!("EncodePng: compression should be in [-1,9], got {compression}")));
    }
    if h == 0 || w == 0 || h > u32::MAX as usize || w > u32::MAX as usize {
        return Err(Error::invalid(format!("EncodePng: cannot encode an image of {h}x{w} pixels")));
    }
    let (bytes, depth) = match image.dtype() {
        DType::U8 => (image.array::<u8>()?.iter().copied().collect::<Vec<u8>>(), BitDepth::Eight),
        DType::U16 => {
            let a = image.array::<u16>()?;
            (a.iter().flat_map(|v| v.to_be_bytes()).collect(), BitDepth::Sixteen)
        }
        d => return Err(Error::dtype(format!("EncodePng cannot encode a {d} image"))),
    };
    let color = match c {
        1 => ColorType::Grayscale,
        2 => ColorType::GrayscaleAlpha,
        3 => ColorType::Rgb,
        _ => ColorType::Rgba,
    };
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w as u32, h as u32);
    encoder.set_color(color);
    encoder.set_depth(depth);
    encoder.set_deflate_compression(match compression {
        -1 => DeflateCompression::Level(6),
        0 => DeflateCompression::NoCompression,
        n => DeflateCompression::Level(n as u8),
    });
    let fail = |e: png::EncodingError| Error::internal(format!("EncodePng failed: {e}"));
    let mut writer = encoder.write_header().map_err(fail)?;
    writer.write_image_data(&bytes).map_err(fail)?;
    writer.finish().map_err(fail)?;
    Ok(Tensor::scalar(crate::byte_string::ByteString::from(out)))
}
