//! The fused LSTM cell against a step written out in float64, and its gradients against finite differences.

use super::{lstm_cell, lstm_cell_grad};
use crate::tensor::Tensor;

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// `[h | c']` of one row by the textbook formulas.
fn reference(z: &[f64], c: &[f64], u: usize) -> Vec<f64> {
    let mut h = vec![0.0; u];
    let mut cn = vec![0.0; u];
    for j in 0..u {
        let (i, f, g, o) = (sigmoid(z[j]), sigmoid(z[u + j]), z[2 * u + j].tanh(), sigmoid(z[3 * u + j]));
        cn[j] = f * c[j] + i * g;
        h[j] = o * cn[j].tanh();
    }
    h.into_iter().chain(cn).collect()
}

fn inputs(batch: usize, u: usize, scale: f64) -> (Vec<f64>, Vec<f64>) {
    let z: Vec<f64> = (0..batch * 4 * u).map(|k| ((k * 7919 % 2003) as f64 / 2003.0 - 0.5) * scale).collect();
    let c: Vec<f64> = (0..batch * u).map(|k| ((k * 104729 % 1009) as f64 / 1009.0 - 0.5) * 2.0).collect();
    (z, c)
}

#[test]
fn float32_and_float64_match_the_formulas_on_every_path() {
    // 64 x 128 takes the parallel path; scale 12 reaches saturated gates, and many values sit near 0.
    // 37 and 5 units leave a partial vector of lanes in the AVX-512 rows.
    for (batch, u, scale) in [(3, 5, 1.0), (64, 128, 12.0), (2, 7, 0.01), (2, 37, 4.0), (1, 16, 2.0)] {
        // Inputs exactly representable in float32, so that both paths compute from the same values.
        let (z, c) = inputs(batch, u, scale);
        let z: Vec<f64> = z.iter().map(|&v| v as f32 as f64).collect();
        let c: Vec<f64> = c.iter().map(|&v| v as f32 as f64).collect();
        let want: Vec<f64> =
            (0..batch).flat_map(|r| reference(&z[r * 4 * u..][..4 * u], &c[r * u..][..u], u)).collect();
        let got64 = lstm_cell(
            &Tensor::from_vec(&[batch, 4 * u], z.clone()).unwrap(),
            &Tensor::from_vec(&[batch, u], c.clone()).unwrap(),
        )
        .unwrap();
        let z32: Vec<f32> = z.iter().map(|&v| v as f32).collect();
        let c32: Vec<f32> = c.iter().map(|&v| v as f32).collect();
        let got32 = lstm_cell(
            &Tensor::from_vec(&[batch, 4 * u], z32).unwrap(),
            &Tensor::from_vec(&[batch, u], c32).unwrap(),
        )
        .unwrap();
        for ((a, b), w) in got64.to_f64_vec().iter().zip(got32.to_f64_vec()).zip(&want) {
            assert!((a - w).abs() <= 1e-14 * w.abs().max(1.0), "float64 {a} vs {w}");
            // Absolute for small values: c' = f c + i g can cancel terms of order 1, which float32 holds to
            // about 1e-7 each.
            assert!((b - w).abs() <= 1e-6 * w.abs().max(1.0), "float32 {b} vs {w}");
        }
    }
}

#[test]
fn gradients_match_finite_differences() {
    let (batch, u) = (3, 4);
    let (z, c) = inputs(batch, u, 3.0);
    let weights: Vec<f64> = (0..batch * 2 * u).map(|k| (k as f64 * 0.37).sin()).collect();
    let loss = |z: &[f64], c: &[f64]| -> f64 {
        let out = lstm_cell(
            &Tensor::from_vec(&[batch, 4 * u], z.to_vec()).unwrap(),
            &Tensor::from_vec(&[batch, u], c.to_vec()).unwrap(),
        )
        .unwrap();
        out.to_f64_vec().iter().zip(&weights).map(|(a, w)| a * w).sum()
    };
    let (zt, ct) = (
        Tensor::from_vec(&[batch, 4 * u], z.clone()).unwrap(),
        Tensor::from_vec(&[batch, u], c.clone()).unwrap(),
    );
    let g = Tensor::from_vec(&[batch, 2 * u], weights.clone()).unwrap();
    let dz = lstm_cell_grad(&zt, &ct, &g, false).unwrap().to_f64_vec();
    let dc = lstm_cell_grad(&zt, &ct, &g, true).unwrap().to_f64_vec();
    let eps = 1e-6;
    for k in 0..z.len() {
        let (mut up, mut down) = (z.clone(), z.clone());
        up[k] += eps;
        down[k] -= eps;
        let numeric = (loss(&up, &c) - loss(&down, &c)) / (2.0 * eps);
        assert!((dz[k] - numeric).abs() < 1e-8, "dz[{k}] {} vs {numeric}", dz[k]);
    }
    for k in 0..c.len() {
        let (mut up, mut down) = (c.clone(), c.clone());
        up[k] += eps;
        down[k] -= eps;
        let numeric = (loss(&z, &up) - loss(&z, &down)) / (2.0 * eps);
        assert!((dc[k] - numeric).abs() < 1e-8, "dc[{k}] {} vs {numeric}", dc[k]);
    }
}

#[test]
fn float32_gradients_match_float64_on_every_path() {
    for (batch, u, scale) in [(3, 5, 1.0), (64, 128, 12.0), (2, 37, 4.0), (1, 16, 0.05)] {
        let (z, c) = inputs(batch, u, scale);
        let g: Vec<f64> = (0..batch * 2 * u).map(|k| (k as f64 * 0.37).sin()).collect();
        let exact = |v: &[f64]| -> Vec<f64> { v.iter().map(|&x| x as f32 as f64).collect() };
        let (z, c, g) = (exact(&z), exact(&c), exact(&g));
        let as32 = |v: &[f64]| -> Vec<f32> { v.iter().map(|&x| x as f32).collect() };
        let t64 = |shape: &[usize], v: &[f64]| Tensor::from_vec(shape, v.to_vec()).unwrap();
        let t32 = |shape: &[usize], v: &[f64]| Tensor::from_vec(shape, as32(v)).unwrap();
        for wrt_state in [false, true] {
            let (zs, cs, gs) = ([batch, 4 * u], [batch, u], [batch, 2 * u]);
            let want = lstm_cell_grad(&t64(&zs, &z), &t64(&cs, &c), &t64(&gs, &g), wrt_state).unwrap();
            let got = lstm_cell_grad(&t32(&zs, &z), &t32(&cs, &c), &t32(&gs, &g), wrt_state).unwrap();
            for (a, w) in got.to_f64_vec().iter().zip(want.to_f64_vec()) {
                assert!(
                    (a - w).abs() <= 2e-6 * w.abs().max(1.0),
                    "{batch}x{u} wrt_state={wrt_state}: {a} vs {w}"
                );
            }
        }
    }
}

#[test]
fn bad_shapes_and_dtypes_are_errors() {
    let z = Tensor::from_vec(&[2, 8], vec![0.0f32; 16]).unwrap();
    assert!(lstm_cell(&z, &Tensor::from_vec(&[2, 3], vec![0.0f32; 6]).unwrap()).is_err());
    assert!(lstm_cell(&z, &Tensor::from_vec(&[2, 2], vec![0.0f64; 4]).unwrap()).is_err());
    let c = Tensor::from_vec(&[2, 2], vec![0.0f32; 4]).unwrap();
    assert!(lstm_cell_grad(&z, &c, &Tensor::from_vec(&[2, 3], vec![0.0f32; 6]).unwrap(), false).is_err());
}

/// Every vectorized row set this CPU can run (not only the one `lstm_cell` picks) against the portable
/// rows, at unit counts with full vectors, a partial last vector of 8 or 16 lanes, and fewer than 8 units.
#[cfg(target_arch = "x86_64")]
#[test]
fn every_instruction_set_matches_the_portable_rows() {
    use super::super::{lstm_cell_avx2 as avx2, lstm_cell_avx512 as avx512};
    use super::{backward_row, forward_row};
    type Rows =
        (fn(&[f32], &[f32], &mut [f32], usize), fn(&[f32], &[f32], &[f32], &mut [f32], &mut [f32], usize));
    let mut sets: Vec<(&str, Rows)> = Vec::new();
    if avx2::available() {
        sets.push(("avx2", (avx2::forward_row, avx2::backward_row_both)));
    }
    if avx512::available() {
        sets.push(("avx512", (avx512::forward_row, avx512::backward_row_both)));
    }
    for (name, (forward, backward_both)) in sets {
        for (u, scale) in [(128, 12.0), (37, 4.0), (5, 1.0), (24, 0.05), (1, 30.0)] {
            let (z, c) = inputs(1, u, scale);
            let z: Vec<f32> = z.iter().map(|&v| v as f32).collect();
            let c: Vec<f32> = c.iter().map(|&v| v as f32).collect();
            let g: Vec<f32> = (0..2 * u).map(|k| (k as f32 * 0.37).sin()).collect();
            let (mut want, mut got) = (vec![0f32; 2 * u], vec![0f32; 2 * u]);
            forward_row(&z, &c, &mut want, u);
            forward(&z, &c, &mut got, u);
            let (mut dz_want, mut dc_want, mut dz_got, mut dc_got) =
                (vec![0f32; 4 * u], vec![0f32; u], vec![0f32; 4 * u], vec![0f32; u]);
            backward_row(&z, &c, &g, Some(&mut dz_want[..]), Some(&mut dc_want[..]), u);
            backward_both(&z, &c, &g, &mut dz_got, &mut dc_got, u);
            let pairs =
                want.iter().zip(&got).chain(dz_want.iter().zip(&dz_got)).chain(dc_want.iter().zip(&dc_got));
            for (k, (w, a)) in pairs.enumerate() {
                assert!((a - w).abs() <= 2e-6 * w.abs().max(1.0), "{name} {u} units, value {k}: {a} vs {w}");
            }
        }
    }
}
