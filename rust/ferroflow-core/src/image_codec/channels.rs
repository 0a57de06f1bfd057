//! Converting decoded pixels between gray, gray+alpha, RGB and RGBA, as the decoders' `channels` asks.

/// A pixel component: uint8 or uint16, with its opaque alpha value.
pub(super) trait Component: Copy + Default {
    const OPAQUE: Self;
    fn to_u32(self) -> u32;
    /// Only called with values that fit (a weighted mean of components).
    fn from_u32(v: u32) -> Self;
}

impl Component for u8 {
    const OPAQUE: u8 = u8::MAX;
    fn to_u32(self) -> u32 {
        self as u32
    }
    fn from_u32(v: u32) -> u8 {
        v as u8
    }
}

impl Component for u16 {
    const OPAQUE: u16 = u16::MAX;
    fn to_u32(self) -> u32 {
        self as u32
    }
    fn from_u32(v: u32) -> u16 {
        v as u16
    }
}

/// ITU-R BT.601 luma in libpng's 15-bit fixed point, truncated, as TensorFlow's PNG decoder gives it.
fn luma<T: Component>(r: T, g: T, b: T) -> T {
    const R: u64 = 9798; // 0.299 * 2^15
    const G: u64 = 19235; // 0.587 * 2^15
    const B: u64 = (1 << 15) - R - G;
    let sum = R * r.to_u32() as u64 + G * g.to_u32() as u64 + B * b.to_u32() as u64;
    T::from_u32((sum >> 15) as u32)
}

/// `pixels` (interleaved, `from` components each) with `to` components each: gray is copied to RGB,
/// RGB becomes gray by its luma, alpha is dropped or added opaque. `to == from` returns the input.
pub(super) fn convert<T: Component>(pixels: Vec<T>, from: usize, to: usize) -> Vec<T> {
    if from == to {
        return pixels;
    }
    let n = pixels.len() / from;
    let mut out = Vec::with_capacity(n * to);
    for p in pixels.chunks_exact(from) {
        let (color, alpha) = match from {
            1 => ([p[0], p[0], p[0]], T::OPAQUE),
            2 => ([p[0], p[0], p[0]], p[1]),
            3 => ([p[0], p[1], p[2]], T::OPAQUE),
            _ => ([p[0], p[1], p[2]], p[3]),
        };
        let gray = if from <= 2 { p[0] } else { luma(color[0], color[1], color[2]) };
        match to {
            1 => out.push(gray),
            2 => out.extend_from_slice(&[gray, alpha]),
            3 => out.extend_from_slice(&color),
            _ => out.extend_from_slice(&[color[0], color[1], color[2], alpha]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::convert;

    #[test]
    fn gray_rgb_and_alpha_round_trips() {
        assert_eq!(convert(vec![7u8, 9], 1, 3), vec![7, 7, 7, 9, 9, 9]);
        assert_eq!(convert(vec![7u8], 1, 4), vec![7, 7, 7, 255]);
        assert_eq!(convert(vec![1u8, 2, 3, 4], 4, 3), vec![1, 2, 3]);
        assert_eq!(convert(vec![255u8, 0, 0], 3, 1), vec![76]);
        assert_eq!(convert(vec![9u8, 8, 2, 19, 0, 11], 3, 1), vec![7, 6]);
        assert_eq!(convert(vec![5u16, 6], 2, 4), vec![5, 5, 5, 6]);
    }
}
