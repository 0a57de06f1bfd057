//! Fourier transforms against direct sums of the definition, and the real transforms' round trip.

use super::*;
use crate::tensor::Tensor;

fn dft(x: &[Complex<f64>], inverse: bool) -> Vec<Complex<f64>> {
    let n = x.len();
    let sign = if inverse { 1.0 } else { -1.0 };
    (0..n)
        .map(|k| {
            let s: Complex<f64> = (0..n)
                .map(|t| {
                    x[t] * Complex::from_polar(
                        1.0,
                        sign * 2.0 * std::f64::consts::PI * (k * t) as f64 / n as f64,
                    )
                })
                .sum();
            if inverse {
                s / n as f64
            } else {
                s
            }
        })
        .collect()
}

fn values(t: &Tensor) -> Vec<Complex<f64>> {
    t.array::<Complex<f64>>().unwrap().iter().copied().collect()
}

#[test]
fn fft_matches_the_definition_on_rows_and_prime_lengths() {
    for n in [1usize, 2, 7, 8, 12, 97] {
        let x: Vec<Complex<f64>> =
            (0..2 * n).map(|i| Complex::new((i as f64).sin(), (i as f64 * 0.3).cos())).collect();
        let t = Tensor::from_vec(&[2, n], x.clone()).unwrap();
        for inverse in [false, true] {
            let got = values(&fft(&t, 1, inverse).unwrap());
            for row in 0..2 {
                let want = dft(&x[row * n..(row + 1) * n], inverse);
                for (g, w) in got[row * n..(row + 1) * n].iter().zip(&want) {
                    assert!((g - w).norm() < 1e-9, "n={n} inverse={inverse}: {g} vs {w}");
                }
            }
        }
    }
}

#[test]
fn fft2d_is_two_one_dimensional_transforms() {
    let x: Vec<Complex<f64>> = (0..12).map(|i| Complex::new(i as f64, -(i as f64) / 3.0)).collect();
    let t = Tensor::from_vec(&[3, 4], x.clone()).unwrap();
    let rows = fft(&t, 1, false).unwrap();
    let cols = crate::kernels::shape_ops::transpose(&rows, None).unwrap();
    let both = crate::kernels::shape_ops::transpose(&fft(&cols, 1, false).unwrap(), None).unwrap();
    let direct = fft(&t, 2, false).unwrap();
    for (a, b) in values(&both).iter().zip(values(&direct)) {
        assert!((a - b).norm() < 1e-9);
    }
}

#[test]
fn irfft_inverts_rfft_for_even_and_odd_lengths_with_cropping_and_padding() {
    for n in [5usize, 8] {
        let x: Vec<f64> = (0..n).map(|i| (i as f64 * 1.3).cos() + 0.1 * i as f64).collect();
        let t = Tensor::from_vec(&[1, n], x.clone()).unwrap();
        let spectrum = rfft(&t, &[n]).unwrap();
        assert_eq!(spectrum.shape(), &[1, n / 2 + 1]);
        let back = irfft(&spectrum, &[n]).unwrap().to_f64_vec();
        for (a, b) in back.iter().zip(&x) {
            assert!((a - b).abs() < 1e-9);
        }
        // A longer fft_length pads the input with zeros.
        let padded = rfft(&t, &[n + 3]).unwrap();
        assert_eq!(padded.shape(), &[1, (n + 3) / 2 + 1]);
    }
}
