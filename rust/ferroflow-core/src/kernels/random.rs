//! Counter-based random tensors: each element is a pure hash of (seed, step, index), so any thread count gives the same values.

use super::elementwise::fast::{parallel, CHUNK};
use crate::buffer_pool::overwritable;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::op::Distribution;
use crate::tensor::{checked_len, try_alloc, Tensor};
use rayon::prelude::*;

pub(crate) const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The splitmix64 finaliser: a bijection on u64 with full avalanche.
#[inline(always)]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Two 64-bit keys for one (seed, step) stream. Hashing the step through the seed's key (instead of
/// adding it to the counter) keeps the streams of consecutive steps from overlapping.
fn keys(seed: u64, step: u64) -> (u64, u64) {
    let k0 = mix(seed ^ 0x6A09_E667_F3BC_C908);
    let k1 = mix(k0 ^ mix(step.wrapping_add(GOLDEN)));
    (k0, k1)
}

/// 64 random bits for element `i`: two rounds of mixing keyed by both keys.
#[inline(always)]
fn bits((k0, k1): (u64, u64), i: u64) -> u64 {
    mix(mix(i.wrapping_mul(GOLDEN) ^ k1).wrapping_add(k0))
}

/// A uniform f64 in [0, 1) from the top 53 bits.
#[inline(always)]
fn unit_f64(b: u64) -> f64 {
    (b >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform f32 in [0, 1) from the top 24 bits (never rounds up to 1.0).
#[inline(always)]
fn unit_f32(b: u64) -> f32 {
    (b >> 40) as f32 * (1.0 / (1u64 << 24) as f32)
}

/// Box-Muller for the pair starting at even index `i`: both outputs of the transform are used, so
/// element `i` gets the cosine branch and `i + 1` the sine branch.
#[inline(always)]
fn normal_pair(k: (u64, u64), i: u64) -> (f64, f64) {
    // (0, 1] so the logarithm is finite.
    let u1 = ((bits(k, i) >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64);
    let u2 = unit_f64(bits(k, i + 1));
    let r = (-2.0 * u1.ln()).sqrt();
    let (s, c) = (std::f64::consts::TAU * u2).sin_cos();
    (r * c, r * s)
}

/// Fills `d`, whose first element has global index `start` (even), with values from `dist`.
fn fill<T: Copy>(
    d: &mut [T],
    start: u64,
    k: (u64, u64),
    dist: Distribution,
    conv: impl Fn(f64) -> T,
    unit: impl Fn(u64) -> T,
) {
    match dist {
        Distribution::Uniform => {
            for (j, v) in d.iter_mut().enumerate() {
                *v = unit(bits(k, start + j as u64));
            }
        }
        Distribution::Normal => {
            let mut pairs = d.chunks_exact_mut(2);
            let mut i = start;
            for p in &mut pairs {
                let (a, b) = normal_pair(k, i);
                (p[0], p[1]) = (conv(a), conv(b));
                i += 2;
            }
            if let [last] = pairs.into_remainder() {
                *last = conv(normal_pair(k, i).0);
            }
        }
    }
}

fn generate<T: crate::tensor::Element>(
    shape: &[usize],
    k: (u64, u64),
    dist: Distribution,
    conv: impl Fn(f64) -> T + Sync,
    unit: impl Fn(u64) -> T + Sync,
) -> Result<Tensor> {
    let mut out = try_alloc::<T>(checked_len(shape, T::DTYPE)?)?;
    if parallel(out.len()) {
        // CHUNK is even, so no Box-Muller pair straddles two tasks.
        out.par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(c, d)| fill(d, (c * CHUNK) as u64, k, dist, &conv, &unit));
    } else {
        fill(&mut out, 0, k, dist, &conv, &unit);
    }
    Tensor::from_vec(shape, out)
}

/// A float tensor of `shape` drawn from `dist`; `step` selects an independent stream for each run
/// of the same op, and the values depend only on (seed, step, element index).
pub fn random(dist: Distribution, dtype: DType, shape: &[usize], seed: u64, step: u64) -> Result<Tensor> {
    let k = keys(seed, step);
    match dtype {
        DType::F32 => generate(shape, k, dist, |v| v as f32, unit_f32),
        DType::F64 => generate(shape, k, dist, |v| v, unit_f64),
        _ => Err(Error::dtype(format!("random values must be float32 or float64, received {dtype}"))),
    }
}

/// Inverted dropout's mask in one pass: `1 / (1 - rate)` where the element's 32-bit draw is at least
/// `rate * 2^32`, else 0. Each draw is the top half of one splitmix64 output (a multiply-xorshift
/// finaliser of a Weyl sequence keyed by (seed, step)), a quarter of the hashing of
/// `random(Uniform, ...)`: a batch-256 mask took 160 us with the full hash, as long as the layer's
/// matrix product. The mask depends only on (seed, step, index), not on the thread split.
pub fn dropout_mask(dtype: DType, shape: &[usize], rate: f64, seed: u64, step: u64) -> Result<Tensor> {
    let mask = MaskKey::new(rate, seed, step)?;
    fn masked<T: crate::tensor::Element>(
        shape: &[usize],
        fill: impl Fn(&mut [T], usize) + Sync,
    ) -> Result<Tensor> {
        let mut out = try_alloc::<T>(checked_len(shape, T::DTYPE)?)?;
        if parallel(out.len()) {
            out.par_chunks_mut(CHUNK).enumerate().for_each(|(c, d)| fill(d, c * CHUNK));
        } else {
            fill(&mut out, 0);
        }
        Tensor::from_vec(shape, out)
    }
    match dtype {
        DType::F32 => masked(shape, |d: &mut [f32], start| mask.fill_f32(d, start)),
        DType::F64 => masked(shape, |d: &mut [f64], start| mask.fill(d, start, mask.scale)),
        _ => Err(Error::dtype(format!("dropout needs a float32 or float64 tensor, received {dtype}"))),
    }
}

/// `x * dropout_mask(F32, x.shape(), rate, seed, step)` and that mask, in one pass over float32 `x`: each
/// part's mask is multiplied while it is in L1, and the parts split across threads from 2^16 elements
/// (the hashing, not memory, bounds it).
pub fn dropout_apply(x: &Tensor, rate: f64, seed: u64, step: u64) -> Result<(Tensor, Tensor)> {
    let mask = MaskKey::new(rate, seed, step)?;
    let xa = x.array::<f32>()?;
    let Some(xs) = xa.as_slice() else {
        let m = dropout_mask(DType::F32, x.shape(), rate, seed, step)?;
        return Ok((super::elementwise::binary(crate::op::BinaryOp::Mul, x, &m)?, m));
    };
    // Both are written whole below.
    let (mut out, mut ms) = (overwritable::<f32>(xs.len())?, overwritable::<f32>(xs.len())?);
    let part = |(c, (o, m)): (usize, (&mut [f32], &mut [f32]))| {
        mask.fill_f32(m, c * CHUNK);
        let xs = &xs[c * CHUNK..c * CHUNK + o.len()];
        super::simd::vectorized(|| {
            for ((o, &m), &x) in o.iter_mut().zip(&*m).zip(xs) {
                *o = x * m;
            }
        })
    };
    if xs.len() >= 1 << 16 && crate::threading::current_threads() > 1 {
        out.par_chunks_mut(CHUNK).zip(ms.par_chunks_mut(CHUNK)).enumerate().for_each(part);
    } else {
        out.chunks_mut(CHUNK).zip(ms.chunks_mut(CHUNK)).enumerate().for_each(part);
    }
    Ok((Tensor::from_vec(x.shape(), out)?, Tensor::from_vec(x.shape(), ms)?))
}

/// What a dropout mask of one (seed, step) is drawn from.
struct MaskKey {
    key: u64,
    /// Smallest kept draw: P(draw >= threshold) = 1 - rate, up to 2^-32.
    threshold: u64,
    scale: f64,
}

impl MaskKey {
    fn new(rate: f64, seed: u64, step: u64) -> Result<MaskKey> {
        if !(0.0..1.0).contains(&rate) {
            return Err(Error::invalid(format!("dropout rate must be in [0, 1), received {rate}")));
        }
        let (_, key) = keys(seed, step);
        Ok(MaskKey { key, threshold: (rate * 4_294_967_296.0).ceil() as u64, scale: 1.0 / (1.0 - rate) })
    }

    /// The mask of elements `start..start + d.len()`.
    fn fill<T: crate::tensor::Element>(&self, d: &mut [T], start: usize, scale: T) {
        let (key, threshold) = (self.key, self.threshold);
        crate::kernels::simd::vectorized(|| {
            for (j, v) in d.iter_mut().enumerate() {
                let draw = mix(key.wrapping_add(((start + j) as u64).wrapping_mul(GOLDEN))) >> 32;
                *v = if draw >= threshold { scale } else { T::default() };
            }
        })
    }

    fn fill_f32(&self, d: &mut [f32], start: usize) {
        let scale = self.scale as f32;
        if !super::dropout_simd::fill_f32(d, start, self.key, self.threshold, scale) {
            self.fill(d, start, scale);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn moments(v: &[f64]) -> (f64, f64) {
        let n = v.len() as f64;
        let m = v.iter().sum::<f64>() / n;
        (m, v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n)
    }

    #[test]
    fn dropout_mask_keeps_a_fraction_of_one_minus_rate_scaled() {
        for dtype in [DType::F32, DType::F64] {
            for rate in [0.2, 0.5, 0.9] {
                let m = dropout_mask(dtype, &[3, 50_001], rate, 7, 3).unwrap().to_f64_vec();
                let scale =
                    if dtype == DType::F32 { (1.0 / (1.0 - rate)) as f32 as f64 } else { 1.0 / (1.0 - rate) };
                assert!(m.iter().all(|&v| v == 0.0 || v == scale));
                let kept = m.iter().filter(|&&v| v != 0.0).count() as f64 / m.len() as f64;
                // 150K draws: the standard error of the kept fraction is below 0.0013.
                assert!((kept - (1.0 - rate)).abs() < 0.006, "rate {rate}: kept {kept}");
                // Neighbouring elements are independent.
                let both = m.chunks_exact(2).filter(|p| p[0] != 0.0 && p[1] != 0.0).count() as f64;
                assert!((both / (m.len() / 2) as f64 - (1.0 - rate).powi(2)).abs() < 0.01);
            }
        }
        let mask =
            |len: usize, step: u64| dropout_mask(DType::F32, &[len], 0.5, 7, step).unwrap().to_f64_vec();
        // The same (seed, step) gives the same mask whatever the length or thread split; steps differ.
        let long = mask(600_001, 1);
        let short = mask(1001, 1);
        assert_eq!(&long[..1001], &short[..]);
        assert_eq!(mask(600_001, 1), long);
        assert_ne!(mask(1001, 2), short);
        assert!(dropout_mask(DType::F32, &[2], 1.0, 0, 0).is_err());
        assert!(dropout_mask(DType::I32, &[2], 0.5, 0, 0).is_err());
    }

    #[test]
    fn the_vectorized_float32_mask_equals_the_portable_one() {
        for rate in [0.2f64, 0.5, 0.999_999_999_9] {
            let (_, key) = keys(11, 4);
            let threshold = (rate * 4_294_967_296.0).ceil() as u64;
            for (len, start) in [(1000, 0), (37, 5), (16, 1 << 40), (0, 3)] {
                let mut fast = vec![f32::NAN; len];
                if !super::super::dropout_simd::fill_f32(&mut fast, start, key, threshold, 1.25) {
                    return; // no AVX-512 here
                }
                let mut want = vec![f32::NAN; len];
                MaskKey { key, threshold, scale: 1.25 }.fill(&mut want, start, 1.25f32);
                assert_eq!(fast, want, "rate {rate}, {len} from {start}");
            }
        }
    }

    #[test]
    fn uniform_moments_and_range() {
        for dtype in [DType::F32, DType::F64] {
            let v = random(Distribution::Uniform, dtype, &[200, 1000], 42, 0).unwrap().to_f64_vec();
            assert!(v.iter().all(|&x| (0.0..1.0).contains(&x)));
            let (m, var) = moments(&v);
            // Standard errors: ~0.0006 for the mean, ~0.0002 for the variance.
            assert!((m - 0.5).abs() < 0.003, "{m}");
            assert!((var - 1.0 / 12.0).abs() < 0.001, "{var}");
        }
    }

    #[test]
    fn normal_moments() {
        for dtype in [DType::F32, DType::F64] {
            let t = random(Distribution::Normal, dtype, &[100_001], 7, 3).unwrap();
            assert_eq!(t.dtype(), dtype);
            let v = t.to_f64_vec();
            assert!(v.iter().all(|x| x.is_finite()));
            let (m, var) = moments(&v);
            assert!(m.abs() < 0.015, "{m}");
            assert!((var - 1.0).abs() < 0.02, "{var}");
            let tail = v.iter().filter(|x| x.abs() > 1.96).count() as f64 / v.len() as f64;
            assert!((tail - 0.05).abs() < 0.005, "{tail}");
        }
    }

    #[test]
    fn deterministic_across_threads_and_streams_differ() {
        let shape = [300, 301];
        let a = random(Distribution::Normal, DType::F32, &shape, 1, 5).unwrap().to_f64_vec();
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let b = one.install(|| random(Distribution::Normal, DType::F32, &shape, 1, 5).unwrap().to_f64_vec());
        let c = crate::threading::install(|| random(Distribution::Normal, DType::F32, &shape, 1, 5).unwrap());
        assert_eq!(a, b);
        assert_eq!(a, c.to_f64_vec());
        // A prefix of a bigger tensor is the smaller tensor: the value depends only on the index.
        let small = random(Distribution::Uniform, DType::F64, &[10], 9, 0).unwrap().to_f64_vec();
        let big = random(Distribution::Uniform, DType::F64, &[300_000], 9, 0).unwrap().to_f64_vec();
        assert_eq!(&big[..10], &small[..]);
        let next = random(Distribution::Uniform, DType::F64, &[300_000], 9, 1).unwrap().to_f64_vec();
        let other = random(Distribution::Uniform, DType::F64, &[300_000], 10, 0).unwrap().to_f64_vec();
        assert!(big.iter().zip(&next).filter(|(x, y)| x == y).count() < 5);
        assert!(big.iter().zip(&other).filter(|(x, y)| x == y).count() < 5);
        // Consecutive steps are uncorrelated.
        let (mb, vb) = moments(&big);
        let (mn, vn) = moments(&next);
        let cov = big.iter().zip(&next).map(|(x, y)| (x - mb) * (y - mn)).sum::<f64>() / big.len() as f64;
        assert!((cov / (vb * vn).sqrt()).abs() < 0.02);
    }

    #[test]
    fn int_dtypes_and_empty_shapes() {
        let e = random(Distribution::Uniform, DType::I32, &[3], 0, 0).unwrap_err();
        assert_eq!(e.kind, ErrorKind::DType);
        assert_eq!(random(Distribution::Normal, DType::F32, &[0, 4], 0, 0).unwrap().shape(), &[0, 4]);
        assert_eq!(random(Distribution::Normal, DType::F64, &[], 0, 0).unwrap().len(), 1);
    }
}
