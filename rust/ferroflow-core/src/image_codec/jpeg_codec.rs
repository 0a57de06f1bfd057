//! JPEG through `zune-jpeg` (decoding) and `jpeg-encoder` (encoding, with TensorFlow's defaults: 4:2:0 chroma, 300 dpi).

use super::channels::convert;
use super::JpegOptions;
use crate::byte_string::ByteString;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::tensor::Tensor;
use jpeg_encoder::{ColorType, Encoder, PixelDensity, PixelDensityUnit, SamplingFactor};
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

/// JPEG's own limit on either side.
const MAX_SIDE: usize = u16::MAX as usize;

fn invalid(size: usize, e: impl std::fmt::Display) -> Error {
    Error::invalid(format!("Invalid JPEG data or crop window, data size {size}: {e}"))
}

fn options(out: ColorSpace) -> DecoderOptions {
    DecoderOptions::default().set_max_width(MAX_SIDE).set_max_height(MAX_SIDE).jpeg_set_out_colorspace(out)
}

/// A decoder for RGB output whose headers are read: (decoder, height, width, components).
fn rgb_decoder(data: &[u8]) -> Result<(JpegDecoder<&[u8]>, usize, usize, usize)> {
    let mut decoder = JpegDecoder::new_with_options(data, options(ColorSpace::RGB));
    decoder.decode_headers().map_err(|e| invalid(data.len(), format!("{e:?}")))?;
    let info = decoder.info().ok_or_else(|| invalid(data.len(), "no header"))?;
    Ok((decoder, info.height as usize, info.width as usize, info.components as usize))
}

/// Height, width and number of components, read from the header.
pub(super) fn header_shape(data: &[u8]) -> Result<(usize, usize, usize)> {
    rgb_decoder(data).map(|(_, h, w, c)| (h, w, c))
}

pub(super) fn decode(data: &[u8], channels: usize, dtype: DType) -> Result<Tensor> {
    let (rgb, h, w, components) = rgb_decoder(data)?;
    if channels == 4 {
        return Err(Error::invalid("JPEG does not support 4 channels"));
    }
    let to = match channels {
        0 if components == 1 => 1,
        0 => 3,
        c => c,
    };
    // Gray output is the luma plane itself, as libjpeg gives it (a gray file is widened after);
    // everything else decodes as RGB, with the decoder that read the headers (reading them builds the
    // Huffman tables, a good part of a small image's decoding time).
    let gray = to == 1 || components == 1;
    let from = if gray { 1 } else { 3 };
    crate::tensor::ensure_allocatable::<u8>(h.saturating_mul(w).saturating_mul(from))?;
    let mut decoder = if gray { JpegDecoder::new_with_options(data, options(ColorSpace::Luma)) } else { rgb };
    let pixels = decoder.decode().map_err(|e| invalid(data.len(), format!("{e:?}")))?;
    let pixels = convert(pixels, from, to);
    match dtype {
        DType::U8 => Tensor::from_vec(&[h, w, to], pixels),
        _ => Tensor::from_vec(&[h, w, to], pixels.into_iter().map(|b| b as u16 * 257).collect::<Vec<u16>>()),
    }
}

pub(super) fn encode(image: &Tensor, o: &JpegOptions) -> Result<Tensor> {
    let (h, w, c) = super::image_dims("EncodeJpeg", image, &[1, 3])?;
    if h == 0 || w == 0 || h > MAX_SIDE || w > MAX_SIDE {
        return Err(Error::invalid(format!(
            "EncodeJpeg: image must have between 1 and {MAX_SIDE} rows and columns, received {h}x{w}"
        )));
    }
    if o.quality > 100 {
        return Err(Error::invalid(format!("EncodeJpeg: quality must be in [0,100], got {}", o.quality)));
    }
    let pixels: Vec<u8> = image
        .array::<u8>()
        .map_err(|_| Error::dtype(format!("EncodeJpeg expects a uint8 image, received {}", image.dtype())))?
        .iter()
        .copied()
        .collect();
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, o.quality.max(1));
    encoder.set_sampling_factor(if o.chroma_downsampling {
        SamplingFactor::F_2_2
    } else {
        SamplingFactor::F_1_1
    });
    encoder.set_progressive(o.progressive);
    encoder.set_optimized_huffman_tables(o.optimize_size);
    if let Some((inches, x, y)) = o.density {
        let unit = if inches { PixelDensityUnit::Inches } else { PixelDensityUnit::Centimeters };
        encoder.set_density(PixelDensity { density: (x, y), unit });
    }
    if !o.xmp_metadata.is_empty() {
        let segment = [&b"http://ns.adobe.com/xap/1.0/\0"[..], &o.xmp_metadata].concat();
        encoder
            .add_app_segment(1, segment)
            .map_err(|e| Error::invalid(format!("EncodeJpeg: xmp_metadata cannot be written: {e}")))?;
    }
    let color = if c == 1 { ColorType::Luma } else { ColorType::Rgb };
    encoder
        .encode(&pixels, w as u16, h as u16, color)
        .map_err(|e| Error::internal(format!("EncodeJpeg failed: {e}")))?;
    Ok(Tensor::scalar(ByteString::from(out)))
}
