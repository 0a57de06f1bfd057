//! Tests of `conv`: im2col + product against a direct loop, and both gradients as exact adjoints.

use super::*;
use crate::conv_op::Padding;

/// A deterministic pseudo-random tensor of f64 values in [-1, 1).
fn values(shape: &[usize], seed: u64) -> Tensor {
    let n: usize = shape.iter().product();
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let v = (0..n)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
        })
        .collect();
    Tensor::from_vec(shape, v).unwrap()
}

fn data(t: &Tensor) -> Vec<f64> {
    t.to_f64_vec()
}

/// The convolution written as its definition: a sum over taps and channels for every output.
fn direct(x: &Tensor, f: &Tensor, w: &Window) -> Vec<f64> {
    let g = Geometry::new(x.shape(), f.shape(), w).unwrap();
    let (xs, fs) = (data(x), data(f));
    let cpg = g.cout / g.groups;
    let mut out = vec![0.0; g.n * g.oh * g.ow * g.cout];
    for b in 0..g.n {
        for oy in 0..g.oh {
            for ox in 0..g.ow {
                for co in 0..g.cout {
                    let group = co / cpg;
                    let mut acc = 0.0;
                    for ky in 0..g.kh {
                        for kx in 0..g.kw {
                            if let Some((iy, ix)) = g.source(oy, ox, ky, kx) {
                                for ci in 0..g.cin {
                                    let xv = xs[((b * g.h + iy) * g.w + ix) * g.c + group * g.cin + ci];
                                    acc += xv * fs[((ky * g.kw + kx) * g.cin + ci) * g.cout + co];
                                }
                            }
                        }
                    }
                    out[((b * g.oh + oy) * g.ow + ox) * g.cout + co] = acc;
                }
            }
        }
    }
    out
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn window(strides: [usize; 2], dilations: [usize; 2], padding: Padding) -> Window {
    Window { strides, dilations, padding }
}

/// (input shape, filter shape, window): strides, dilations, SAME with odd sizes, explicit padding, groups,
/// and batches large enough that the test limit splits them into chunks.
fn cases() -> Vec<([usize; 4], [usize; 4], Window)> {
    vec![
        ([2, 5, 5, 1], [3, 3, 1, 2], window([1, 1], [1, 1], Padding::Valid)),
        ([3, 7, 6, 2], [3, 3, 2, 4], window([2, 2], [1, 1], Padding::Same)),
        ([2, 8, 9, 3], [3, 2, 3, 5], window([1, 1], [2, 2], Padding::Same)),
        ([2, 6, 5, 2], [2, 3, 2, 3], window([1, 2], [1, 1], Padding::Explicit([[2, 1], [0, 3]]))),
        ([2, 6, 6, 4], [3, 3, 2, 6], window([1, 1], [1, 1], Padding::Same)),
        ([3, 5, 5, 3], [3, 3, 1, 6], window([2, 1], [1, 1], Padding::Valid)),
        ([1, 4, 4, 2], [1, 1, 2, 3], window([1, 1], [1, 1], Padding::Valid)),
        ([9, 12, 12, 3], [5, 5, 3, 8], window([1, 1], [1, 1], Padding::Same)),
    ]
}

#[test]
fn forward_matches_the_direct_sum() {
    for (i, (xs, fs, w)) in cases().into_iter().enumerate() {
        let (x, f) = (values(&xs, 1 + i as u64), values(&fs, 100 + i as u64));
        let got = conv2d(&x, &f, &w).unwrap();
        let want = direct(&x, &f, &w);
        assert_eq!(got.len(), want.len(), "case {i}");
        for (a, b) in data(&got).iter().zip(&want) {
            assert!((a - b).abs() < 1e-12, "case {i}: {a} vs {b}");
        }
    }
}

#[test]
fn chunks_side_by_side_on_the_pool_give_the_same_bits_as_one_thread() {
    // Inside the pool the chunks of a batch run on several threads, and the filter gradient is summed in
    // per-thread parts; on the caller's thread everything runs in order. The bits must not differ.
    for (i, (xs, fs, w)) in cases().into_iter().enumerate() {
        let (x, f) = (values(&xs, 40 + i as u64), values(&fs, 50 + i as u64));
        let all = |x: &Tensor, f: &Tensor| {
            let y = conv2d(x, f, &w).unwrap();
            let dy = values(y.shape(), 60 + i as u64);
            let dx = conv2d_backprop_input(&dy, f, x.shape(), &w).unwrap();
            let df = conv2d_backprop_filter(x, &dy, f.shape(), &w).unwrap();
            [data(&y), data(&dx), data(&df)]
        };
        let serial = all(&x, &f);
        let pooled = crate::threading::install(|| all(&x, &f));
        assert_eq!(serial, pooled, "case {i}");
    }
}

/// Float32 against float64, on the caller's thread and on the pool (the same bits): shared sides of 27 and 9
/// (3x3 over 3 channels and over 1: one image, and a batch split into chunks), 50, and grouped.
#[test]
fn float32_matches_float64() {
    let same = window([1, 1], [1, 1], Padding::Same);
    let valid = window([1, 1], [1, 1], Padding::Valid);
    let cases = [
        ([4, 10, 10, 3], [3, 3, 3, 8], same),
        ([1, 28, 28, 1], [3, 3, 1, 32], valid),
        ([9, 28, 28, 1], [3, 3, 1, 32], valid),
        ([2, 9, 9, 2], [5, 5, 2, 17], same),
        ([2, 8, 8, 4], [3, 3, 2, 6], valid),
    ];
    for (i, (xs, fs, w)) in cases.into_iter().enumerate() {
        let (x, f) = (values(&xs, 7 + i as u64), values(&fs, 8 + i as u64));
        let want = data(&conv2d(&x, &f, &w).unwrap());
        let cast = |t: &Tensor| super::super::elementwise::cast(t, crate::DType::F32).unwrap();
        let (x32, f32s) = (cast(&x), cast(&f));
        let got = data(&conv2d(&x32, &f32s, &w).unwrap());
        for (a, b) in got.iter().zip(&want) {
            assert!((a - b).abs() < 1e-5 * b.abs().max(1.0), "case {i}: {a} vs {b}");
        }
        let pooled = data(&crate::threading::install(|| conv2d(&x32, &f32s, &w).unwrap()));
        assert_eq!(got, pooled, "case {i}");
    }
}

#[test]
fn gradients_are_the_adjoints_of_the_convolution() {
    // <conv(x, f), dy> = <x, backprop_input(dy, f)> = <f, backprop_filter(x, dy)>
    for (i, (xs, fs, w)) in cases().into_iter().enumerate() {
        let (x, f) = (values(&xs, 10 + i as u64), values(&fs, 20 + i as u64));
        let y = conv2d(&x, &f, &w).unwrap();
        let dy = values(y.shape(), 30 + i as u64);
        let forward = dot(&data(&y), &data(&dy));
        let dx = conv2d_backprop_input(&dy, &f, x.shape(), &w).unwrap();
        let df = conv2d_backprop_filter(&x, &dy, f.shape(), &w).unwrap();
        assert_eq!(dx.shape(), x.shape());
        assert_eq!(df.shape(), f.shape());
        assert!((dot(&data(&x), &data(&dx)) - forward).abs() < 1e-9, "case {i}: input gradient");
        assert!((dot(&data(&f), &data(&df)) - forward).abs() < 1e-9, "case {i}: filter gradient");
    }
}

#[test]
fn mismatched_shapes_are_errors() {
    let w = window([1, 1], [1, 1], Padding::Valid);
    assert!(
        conv2d(&values(&[1, 5, 5, 3], 1), &values(&[3, 3, 2, 4], 2), &w).is_err(),
        "3 channels, 2 per group"
    );
    assert!(
        conv2d(&values(&[1, 2, 2, 1], 1), &values(&[3, 3, 1, 1], 2), &w).is_err(),
        "filter larger than image"
    );
    assert!(conv2d(&values(&[5, 5, 1], 1), &values(&[3, 3, 1, 1], 2), &w).is_err(), "3-D input");
    let dy = values(&[1, 2, 2, 1], 3);
    assert!(
        conv2d_backprop_input(&dy, &values(&[3, 3, 1, 1], 2), &[1, 5, 5, 1], &w).is_err(),
        "wrong dy shape"
    );
}

#[test]
fn input_sizes_come_from_an_integer_vector_or_a_tensors_shape() {
    let sizes = Tensor::from_vec(&[4], vec![1i32, 5, 5, 2]).unwrap();
    assert_eq!(input_sizes(&sizes).unwrap(), vec![1, 5, 5, 2]);
    assert_eq!(input_sizes(&values(&[1, 5, 5, 2], 1)).unwrap(), vec![1, 5, 5, 2]);
    assert!(input_sizes(&Tensor::from_vec(&[3], vec![1i64, 5, 5]).unwrap()).is_err());
    assert!(input_sizes(&Tensor::from_vec(&[4], vec![1i64, -5, 5, 2]).unwrap()).is_err());
    let (f, w) = (values(&[3, 3, 2, 4], 2), window([2, 2], [1, 1], Padding::Same));
    let dy = values(&[1, 3, 3, 4], 3);
    let by_vector = conv2d_backprop_input(&dy, &f, &input_sizes(&sizes).unwrap(), &w).unwrap();
    assert_eq!(by_vector.shape(), &[1, 5, 5, 2]);
}

/// The direct float32 kernels (`conv_direct`, `conv_winograd`) with their bias and relu, against the float64
/// definition: every
/// tile width (cout 8, 16, 24, 64), few taps at any batch, many taps on one image (a real model's second
/// layer), strides, dilations, SAME with odd sizes, explicit padding, tiles inside the image and tiles
/// reaching into the padding or cut short at a row's end, and
/// NaN passing through relu as the relu kernel lets it.
#[test]
fn direct_float32_kernel_matches_the_definition() {
    let same = window([1, 1], [1, 1], Padding::Same);
    let cases = [
        ([1, 13, 13, 32], [3, 3, 32, 64], window([1, 1], [1, 1], Padding::Valid)),
        ([1, 13, 13, 32], [3, 3, 32, 64], window([1, 1], [1, 1], Padding::Valid)),
        ([3, 28, 28, 1], [3, 3, 1, 32], window([1, 1], [1, 1], Padding::Valid)),
        ([2, 9, 11, 3], [3, 3, 3, 24], window([2, 2], [1, 1], Padding::Same)),
        ([1, 10, 9, 5], [3, 2, 5, 16], window([1, 1], [2, 2], Padding::Same)),
        ([1, 7, 8, 4], [2, 3, 4, 8], window([1, 2], [1, 1], Padding::Explicit([[2, 1], [0, 3]]))),
        ([1, 5, 7, 64], [3, 3, 64, 16], same),
        ([2, 1, 1, 2], [3, 3, 2, 8], same),
        ([1, 9, 20, 3], [3, 3, 3, 16], window([2, 2], [1, 1], Padding::Valid)),
        ([1, 12, 16, 5], [3, 2, 5, 24], window([1, 1], [2, 2], Padding::Valid)),
        ([1, 30, 30, 32], [3, 3, 32, 64], window([1, 1], [1, 1], Padding::Valid)),
    ];
    for (i, (xs, fs, w)) in cases.into_iter().enumerate() {
        let g = Geometry::new(&xs, &fs, &w).unwrap();
        if !super::super::conv_direct::takes(&g) {
            assert!(!super::super::skinny_avx2::available(), "case {i} should take the direct kernel");
            continue;
        }
        // Cases 1 (the convnet's second layer, finite), 6 (SAME, odd sizes) and 10 (planes side by side on the
        // pool) run by Winograd's F(2x2, 3x3); case 0, the same layer with a NaN, falls back to the direct kernel.
        assert_eq!(super::super::conv_winograd::takes(&g), [0, 1, 6, 10].contains(&i), "case {i}");
        let (mut x, f, bias) = (values(&xs, 70 + i as u64), values(&fs, 80 + i as u64), values(&[fs[3]], 90));
        if i == 0 {
            let mut v = data(&x);
            v[5 * 13 * 32 + 4 * 32 + 3] = f64::NAN; // reaches every output of pixels around (5, 4)
            x = Tensor::from_vec(&xs, v).unwrap();
        }
        let cast = |t: &Tensor| super::super::elementwise::cast(t, crate::DType::F32).unwrap();
        for relu in [false, true] {
            let got = data(&conv2d_bias(&cast(&x), &cast(&f), &cast(&bias), &w, relu).unwrap().unwrap());
            let (sums, b) = (direct(&x, &f, &w), data(&bias));
            for (j, (a, s)) in got.iter().zip(&sums).enumerate() {
                let y = s + b[j % fs[3]];
                let want = if relu && y < 0.0 { 0.0 } else { y };
                if want.is_nan() {
                    assert!(a.is_nan(), "case {i} relu {relu} at {j}: {a} instead of NaN");
                } else {
                    assert!(
                        (a - want).abs() < 1e-5 * want.abs().max(1.0),
                        "case {i} relu {relu} at {j}: {a} vs {want}"
                    );
                }
            }
            let pooled =
                crate::threading::install(|| conv2d_bias(&cast(&x), &cast(&f), &cast(&bias), &w, relu));
            let bits = |v: &[f64]| v.iter().map(|a| a.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&data(&pooled.unwrap().unwrap())), "case {i}: the pool's bits");
        }
    }
}
