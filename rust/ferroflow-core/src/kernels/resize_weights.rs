//! The interpolation weights of `tf.image.resize` along one axis, computed as TensorFlow 2's kernels do.
//!
//! Every method but nearest is linear and separable: output `o` of an axis is a weighted sum of a short run
//! of inputs. `AxisTaps` holds, for each output, where its run starts and the run's weights. Positions are
//! computed in f32 as TensorFlow's kernels compute them, so that the weights round the same way.

use crate::error::{Error, Result};

/// `tf.image.ResizeMethod`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResizeMethod {
    Bilinear,
    Nearest,
    Bicubic,
    Area,
    Lanczos3,
    Lanczos5,
    Gaussian,
    MitchellCubic,
}

impl ResizeMethod {
    /// The method of a `tf.image.resize` name ("bilinear", "nearest", ...).
    pub fn parse(name: &str) -> Result<ResizeMethod> {
        Ok(match name {
            "bilinear" => ResizeMethod::Bilinear,
            "nearest" => ResizeMethod::Nearest,
            "bicubic" => ResizeMethod::Bicubic,
            "area" => ResizeMethod::Area,
            "lanczos3" => ResizeMethod::Lanczos3,
            "lanczos5" => ResizeMethod::Lanczos5,
            "gaussian" => ResizeMethod::Gaussian,
            "mitchellcubic" => ResizeMethod::MitchellCubic,
            other => return Err(Error::invalid(format!("Resize method is not implemented: {other}"))),
        })
    }
}

/// For each output index, the first input index of its run and the run's weights.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisTaps {
    pub starts: Vec<usize>,
    /// `offsets[o]..offsets[o + 1]` indexes `weights` for output `o`.
    pub offsets: Vec<usize>,
    pub weights: Vec<f64>,
}

impl AxisTaps {
    /// The run of output `o`: (first input index, weights).
    pub fn run(&self, o: usize) -> (usize, &[f64]) {
        (self.starts[o], &self.weights[self.offsets[o]..self.offsets[o + 1]])
    }

    pub fn outputs(&self) -> usize {
        self.starts.len()
    }

    /// Builds the runs from dense rows of `(index, weight)` pairs (indices in `0..n_in`, possibly repeated).
    fn from_pairs(n_in: usize, rows: impl Iterator<Item = Vec<(usize, f64)>>) -> AxisTaps {
        let mut taps = AxisTaps { starts: Vec::new(), offsets: vec![0], weights: Vec::new() };
        for pairs in rows {
            let lo = pairs.iter().map(|p| p.0).min().unwrap_or(0).min(n_in.saturating_sub(1));
            let hi = pairs.iter().map(|p| p.0).max().unwrap_or(lo).max(lo);
            let mut run = vec![0.0; hi - lo + 1];
            for (i, w) in pairs {
                run[i - lo] += w;
            }
            taps.starts.push(lo);
            taps.weights.extend(run);
            taps.offsets.push(taps.weights.len());
        }
        taps
    }
}

/// The input index nearest output `o` (half-pixel centres, rounding down as TensorFlow 2 does).
pub fn nearest_index(n_in: usize, n_out: usize, o: usize) -> usize {
    let scale = n_in as f32 / n_out as f32;
    (((o as f32 + 0.5) * scale).floor() as usize).min(n_in - 1)
}

/// The weights of one axis resized from `n_in` to `n_out` (both positive) by `method`.
pub fn axis_taps(method: ResizeMethod, antialias: bool, n_in: usize, n_out: usize) -> AxisTaps {
    match (method, antialias) {
        (ResizeMethod::Nearest, _) => {
            AxisTaps::from_pairs(n_in, (0..n_out).map(|o| vec![(nearest_index(n_in, n_out, o), 1.0)]))
        }
        (ResizeMethod::Bilinear, false) => bilinear(n_in, n_out),
        (ResizeMethod::Bicubic, false) => bicubic(n_in, n_out),
        (ResizeMethod::Area, _) => area(n_in, n_out),
        (m, _) => scale_and_translate(n_in, n_out, m, antialias),
    }
}

/// `(o + 0.5) * n_in / n_out - 0.5` in f32: the input position sampled by output `o`.
fn half_pixel(n_in: usize, n_out: usize, o: usize) -> f32 {
    (o as f32 + 0.5) * (n_in as f32 / n_out as f32) - 0.5
}

fn bilinear(n_in: usize, n_out: usize) -> AxisTaps {
    AxisTaps::from_pairs(
        n_in,
        (0..n_out).map(|o| {
            let pos = half_pixel(n_in, n_out, o);
            let lerp = (pos - pos.floor()) as f64;
            let lower = (pos.floor().max(0.0)) as usize;
            let upper = (pos.ceil() as i64).clamp(0, n_in as i64 - 1) as usize;
            vec![(lower.min(n_in - 1), 1.0 - lerp), (upper, lerp)]
        }),
    )
}

/// TensorFlow's ResizeBicubic (Keys, a = -0.5): coefficients from its 1024-entry table, taps outside the
/// image dropped and the rest renormalised.
fn bicubic(n_in: usize, n_out: usize) -> AxisTaps {
    const TABLE: i64 = 1024;
    let a = -0.5f32;
    let near = |i: i64| {
        let x = i as f32 / TABLE as f32;
        ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0
    };
    let far = |i: i64| {
        let x = i as f32 / TABLE as f32 + 1.0;
        ((a * x - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a
    };
    AxisTaps::from_pairs(
        n_in,
        (0..n_out).map(|o| {
            let pos = half_pixel(n_in, n_out, o);
            let base = pos.floor() as i64;
            let offset = ((pos - pos.floor()) * TABLE as f32).round_ties_even() as i64;
            let taps = [
                (base - 1, far(offset)),
                (base, near(offset)),
                (base + 1, near(TABLE - offset)),
                (base + 2, far(TABLE - offset)),
            ];
            let inside = |t: i64| t >= 0 && t < n_in as i64;
            let total: f64 = taps.iter().filter(|(t, _)| inside(*t)).map(|&(_, w)| w as f64).sum();
            let total = if total.abs() > 0.0 { total } else { 1.0 };
            taps.iter().filter(|(t, _)| inside(*t)).map(|&(t, w)| (t as usize, w as f64 / total)).collect()
        }),
    )
}

/// TensorFlow's ResizeArea: each output averages the input cells its box `[o * s, (o + 1) * s)` covers,
/// partly covered cells in proportion.
fn area(n_in: usize, n_out: usize) -> AxisTaps {
    let scale = n_in as f32 / n_out as f32;
    AxisTaps::from_pairs(
        n_in,
        (0..n_out).map(|o| {
            let (lo, hi) = (o as f32 * scale, (o + 1) as f32 * scale);
            let (first, end) = (lo.floor() as usize, hi.ceil() as usize);
            (first..end.max(first + 1))
                .map(|i| {
                    let f = i as f32;
                    let covered = if f < lo {
                        if f + 1.0 > hi {
                            scale
                        } else {
                            f + 1.0 - lo
                        }
                    } else if f + 1.0 > hi {
                        hi - f
                    } else {
                        1.0
                    };
                    (i.min(n_in - 1), (covered / scale) as f64)
                })
                .collect()
        }),
    )
}

fn cubic(x: f64, b: f64, c: f64) -> f64 {
    let x = x.abs();
    if x < 1.0 {
        ((12.0 - 9.0 * b - 6.0 * c) * x.powi(3) + (-18.0 + 12.0 * b + 6.0 * c) * x * x + (6.0 - 2.0 * b))
            / 6.0
    } else if x < 2.0 {
        ((-b - 6.0 * c) * x.powi(3)
            + (6.0 * b + 30.0 * c) * x * x
            + (-12.0 * b - 48.0 * c) * x
            + (8.0 * b + 24.0 * c))
            / 6.0
    } else {
        0.0
    }
}

/// Lanczos in f32 (TensorFlow's pi, 3.14159265359, is `PI` in f32), so that the weights round as its
/// kernel's do.
fn lanczos(x: f32, radius: f32) -> f32 {
    let pi = std::f32::consts::PI;
    let x = x.abs();
    if x > radius {
        0.0
    } else if x <= 1e-3 {
        1.0
    } else {
        radius * (pi * x).sin() * (pi * x / radius).sin() / (pi * pi * x * x)
    }
}

/// The kernel of a ScaleAndTranslate method at distance `x`, and its radius.
fn kernel(method: ResizeMethod) -> (fn(f32) -> f32, f32) {
    match method {
        ResizeMethod::Bilinear => (|x| (1.0 - x.abs()).max(0.0), 1.0),
        ResizeMethod::Bicubic => (|x| cubic(x as f64, 0.0, 0.5) as f32, 2.0),
        ResizeMethod::MitchellCubic => (|x| cubic(x as f64, 1.0 / 3.0, 1.0 / 3.0) as f32, 2.0),
        ResizeMethod::Lanczos3 => (|x| lanczos(x, 3.0), 3.0),
        ResizeMethod::Lanczos5 => (|x| lanczos(x, 5.0), 5.0),
        ResizeMethod::Gaussian => (|x| if x.abs() >= 1.5 { 0.0 } else { (-(x * x) / 0.5).exp() }, 1.5),
        ResizeMethod::Nearest | ResizeMethod::Area => (|_| 0.0, 0.0), // not reached: own weights
    }
}

/// TensorFlow's ScaleAndTranslate weights (zero translation); `antialias` widens the kernel when shrinking.
fn scale_and_translate(n_in: usize, n_out: usize, method: ResizeMethod, antialias: bool) -> AxisTaps {
    let (f, radius) = kernel(method);
    let inv_scale = 1.0f32 / (n_out as f32 / n_in as f32);
    let kernel_scale = if antialias { inv_scale.max(1.0) } else { 1.0 };
    AxisTaps::from_pairs(
        n_in,
        (0..n_out).map(|o| {
            let sample = (o as f32 + 0.5) * inv_scale;
            if sample < 0.0 || sample > n_in as f32 {
                return Vec::new();
            }
            let start = (sample - radius * kernel_scale - 0.5).ceil() as i64;
            let end = (sample + radius * kernel_scale - 0.5).floor() as i64;
            let last = n_in as i64 - 1;
            let (start, end) = (start.clamp(0, last) as usize, end.clamp(0, last) as usize + 1);
            let w: Vec<f32> =
                (start..end).map(|i| f(((i as f32 + 0.5 - sample) * (1.0 / kernel_scale)).abs())).collect();
            let total: f32 = w.iter().sum();
            let norm = if total.abs() >= 1000.0 * f32::MIN_POSITIVE { total } else { 1.0 };
            (start..end).zip(w).map(|(i, w)| (i, (w / norm) as f64)).collect()
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dense(t: &AxisTaps, n_in: usize) -> Vec<Vec<f64>> {
        (0..t.outputs())
            .map(|o| {
                let mut row = vec![0.0; n_in];
                let (s, w) = t.run(o);
                for (k, w) in w.iter().enumerate() {
                    row[s + k] += w;
                }
                row
            })
            .collect()
    }

    #[test]
    fn bilinear_halving_averages_pairs_and_doubling_interpolates() {
        let half = dense(&axis_taps(ResizeMethod::Bilinear, false, 4, 2), 4);
        assert_eq!(half, vec![vec![0.5, 0.5, 0.0, 0.0], vec![0.0, 0.0, 0.5, 0.5]]);
        let double = dense(&axis_taps(ResizeMethod::Bilinear, false, 2, 4), 2);
        assert_eq!(double, vec![vec![1.0, 0.0], vec![0.75, 0.25], vec![0.25, 0.75], vec![0.0, 1.0]]);
    }

    #[test]
    fn every_method_keeps_a_constant_image_constant() {
        use ResizeMethod::*;
        for m in [Bilinear, Nearest, Bicubic, Area, Lanczos3, Lanczos5, Gaussian, MitchellCubic] {
            for antialias in [false, true] {
                for (n_in, n_out) in [(7, 3), (3, 7), (5, 5), (64, 32), (1, 4)] {
                    for row in dense(&axis_taps(m, antialias, n_in, n_out), n_in) {
                        let sum: f64 = row.iter().sum();
                        assert!((sum - 1.0).abs() < 1e-5, "{m:?} {antialias} {n_in}->{n_out}: {row:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn area_weighs_partly_covered_cells() {
        let t = dense(&axis_taps(ResizeMethod::Area, false, 3, 2), 3);
        let want = [[2.0 / 3.0, 1.0 / 3.0, 0.0], [0.0, 1.0 / 3.0, 2.0 / 3.0]];
        for (row, want) in t.iter().zip(want) {
            for (g, w) in row.iter().zip(want) {
                assert!((g - w).abs() < 1e-6, "{t:?}");
            }
        }
        assert_eq!(ResizeMethod::parse("cubic").unwrap_err().kind, crate::error::ErrorKind::InvalidArgument);
    }
}
