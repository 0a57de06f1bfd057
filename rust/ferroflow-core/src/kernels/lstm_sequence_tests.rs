//! The whole-sequence LSTM against the recursion written out in float64, and its gradients against
//! finite differences.

use super::lstm_sequence_weight_grad;
use crate::tensor::Tensor;

/// The training form, `[h | c | z]` per step.
fn lstm_sequence(x: &Tensor, h0: &Tensor, c0: &Tensor, w: &Tensor) -> crate::error::Result<Tensor> {
    super::lstm_sequence(x, h0, c0, w, true)
}

/// The backward op given only a dense gradient of the whole output (the compact ones absent).
fn lstm_sequence_grad(inputs: &[Tensor]) -> crate::error::Result<Tensor> {
    let mut all = inputs.to_vec();
    let zero = Tensor::zeros(inputs[0].dtype(), &[]).unwrap();
    all.extend([zero.clone(), zero.clone(), zero]);
    super::lstm_sequence_grad(&all, true)
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn data(n: usize, seed: usize, scale: f64) -> Vec<f64> {
    (0..n).map(|k| (((k + seed) * 7919 % 2003) as f64 / 2003.0 - 0.5) * scale).collect()
}

/// `[T, B, 6u]` by the textbook recursion.
fn reference(x: &[f64], h0: &[f64], c0: &[f64], w: &[f64], t: usize, b: usize, u: usize) -> Vec<f64> {
    let (mut h, mut c) = (h0.to_vec(), c0.to_vec());
    let mut out = Vec::new();
    for s in 0..t {
        let (mut hn, mut cn) = (vec![0.0; b * u], vec![0.0; b * u]);
        let mut zs = vec![0.0; b * 4 * u];
        for r in 0..b {
            for k in 0..4 * u {
                zs[r * 4 * u + k] =
                    x[(s * b + r) * 4 * u + k] + (0..u).map(|j| h[r * u + j] * w[j * 4 * u + k]).sum::<f64>();
            }
            for j in 0..u {
                let z = &zs[r * 4 * u..(r + 1) * 4 * u];
                let (i, f, g, o) =
                    (sigmoid(z[j]), sigmoid(z[u + j]), z[2 * u + j].tanh(), sigmoid(z[3 * u + j]));
                cn[r * u + j] = f * c[r * u + j] + i * g;
                hn[r * u + j] = o * cn[r * u + j].tanh();
            }
            out.extend_from_slice(&hn[r * u..(r + 1) * u]);
            out.extend_from_slice(&cn[r * u..(r + 1) * u]);
            out.extend_from_slice(&zs[r * 4 * u..(r + 1) * 4 * u]);
        }
        h = hn;
        c = cn;
    }
    out
}

struct Case {
    t: usize,
    b: usize,
    u: usize,
    x: Vec<f64>,
    h0: Vec<f64>,
    c0: Vec<f64>,
    w: Vec<f64>,
}

impl Case {
    fn new(t: usize, b: usize, u: usize) -> Case {
        let x = data(t * b * 4 * u, 1, 3.0);
        let (h0, c0, w) = (data(b * u, 2, 1.0), data(b * u, 3, 2.0), data(u * 4 * u, 4, 1.0));
        Case { t, b, u, x, h0, c0, w }
    }

    fn tensors(&self, x: &[f64], h0: &[f64], c0: &[f64], w: &[f64]) -> [Tensor; 4] {
        let (t, b, u) = (self.t, self.b, self.u);
        [
            Tensor::from_vec(&[t, b, 4 * u], x.to_vec()).unwrap(),
            Tensor::from_vec(&[b, u], h0.to_vec()).unwrap(),
            Tensor::from_vec(&[b, u], c0.to_vec()).unwrap(),
            Tensor::from_vec(&[u, 4 * u], w.to_vec()).unwrap(),
        ]
    }
}

#[test]
fn forward_matches_the_recursion() {
    let k = Case::new(4, 3, 5);
    let [x, h0, c0, w] = k.tensors(&k.x, &k.h0, &k.c0, &k.w);
    let y = lstm_sequence(&x, &h0, &c0, &w).unwrap();
    assert_eq!(y.shape(), [4, 3, 30]);
    let want = reference(&k.x, &k.h0, &k.c0, &k.w, k.t, k.b, k.u);
    for (a, b) in y.to_f64_vec().iter().zip(&want) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }
}

#[test]
fn gradients_match_finite_differences() {
    let k = Case::new(3, 2, 3);
    let n = k.t * k.b * 6 * k.u;
    // Weights on every part of y, z included, so each path of the backward pass is checked.
    let gw = data(n, 5, 2.0);
    let loss = |x: &[f64], h0: &[f64], c0: &[f64], w: &[f64]| -> f64 {
        reference(x, h0, c0, w, k.t, k.b, k.u).iter().zip(&gw).map(|(a, b)| a * b).sum()
    };
    let [x, h0, c0, w] = k.tensors(&k.x, &k.h0, &k.c0, &k.w);
    let y = lstm_sequence(&x, &h0, &c0, &w).unwrap();
    let g = Tensor::from_vec(&[k.t, k.b, 6 * k.u], gw.clone()).unwrap();
    let ext = lstm_sequence_grad(&[x, h0.clone(), c0, w, y.clone(), g]).unwrap();
    assert_eq!(ext.shape(), [k.t + 1, k.b, 4 * k.u]);
    let dw = lstm_sequence_weight_grad(&h0, &y, &ext).unwrap().to_f64_vec();
    let ext = ext.to_f64_vec();
    let (b, u) = (k.b, k.u);
    let dx = &ext[..k.t * b * 4 * u];
    let last = &ext[k.t * b * 4 * u..];
    let dh0: Vec<f64> = (0..b).flat_map(|r| last[r * 4 * u..r * 4 * u + u].to_vec()).collect();
    let dc0: Vec<f64> = (0..b).flat_map(|r| last[r * 4 * u + u..r * 4 * u + 2 * u].to_vec()).collect();
    let eps = 1e-6;
    let check = |which: usize, analytic: &[f64]| {
        let base = [&k.x, &k.h0, &k.c0, &k.w][which];
        for (i, a) in analytic.iter().enumerate() {
            let (mut up, mut down) = (base.clone(), base.clone());
            up[i] += eps;
            down[i] -= eps;
            let args = |v: &Vec<f64>| {
                let mut a = [k.x.clone(), k.h0.clone(), k.c0.clone(), k.w.clone()];
                a[which] = v.clone();
                a
            };
            let (p, m) = (args(&up), args(&down));
            let numeric = (loss(&p[0], &p[1], &p[2], &p[3]) - loss(&m[0], &m[1], &m[2], &m[3])) / (2.0 * eps);
            assert!(
                (a - numeric).abs() < 1e-7 * numeric.abs().max(1.0),
                "input {which}[{i}]: {a} vs {numeric}"
            );
        }
    };
    check(0, dx);
    check(1, &dh0);
    check(2, &dc0);
    check(3, &dw);
}

#[test]
fn float32_matches_float64_at_a_models_size() {
    // 64 x 128 is the size of a recurrent model's step, where the cell's vectorized rows run.
    let k = Case::new(3, 64, 128);
    let f32s = |v: &[f64]| -> Vec<f32> { v.iter().map(|&a| a as f32).collect() };
    let exact = |v: &[f64]| -> Vec<f64> { f32s(v).iter().map(|&a| a as f64).collect() };
    let (x, h0, c0) = (exact(&k.x), exact(&k.h0), exact(&k.c0));
    let w: Vec<f64> = exact(&k.w).iter().map(|a| a * 0.1).collect();
    let [tx, th, tc, tw] = k.tensors(&x, &h0, &c0, &w);
    let want = lstm_sequence(&tx, &th, &tc, &tw).unwrap().to_f64_vec();
    let t32 = |shape: &[usize], v: &[f64]| Tensor::from_vec(shape, f32s(v)).unwrap();
    let got = lstm_sequence(
        &t32(&[3, 64, 512], &x),
        &t32(&[64, 128], &h0),
        &t32(&[64, 128], &c0),
        &t32(&[128, 512], &w),
    )
    .unwrap()
    .to_f64_vec();
    for (a, b) in got.iter().zip(&want) {
        assert!((a - b).abs() < 2e-5 * b.abs().max(1.0), "{a} vs {b}");
    }
}

/// Batches split into several row groups (37 rows: uneven groups, partial register tiles; 53 and 64 rows:
/// more groups than threads on two threads) and unit counts whose gate columns leave a partial weight panel:
/// float64 against the recursion, float32 (the packed panels where the CPU takes them) against float64,
/// forward, backward and the weight gradient.
#[test]
fn row_groups_and_partial_panels_match_float64() {
    for (t, b, u) in [(4, 37, 13), (2, 64, 128), (3, 16, 4), (3, 53, 13)] {
        let k = Case::new(t, b, u);
        let exact =
            |v: &[f64], scale: f64| -> Vec<f64> { v.iter().map(|&a| (a * scale) as f32 as f64).collect() };
        let (x, h0, c0, w) = (exact(&k.x, 1.0), exact(&k.h0, 1.0), exact(&k.c0, 1.0), exact(&k.w, 0.3));
        let g = exact(&data(t * b * 6 * u, 6, 1.0), 1.0);
        let want_y = reference(&x, &h0, &c0, &w, t, b, u);
        let run = |f32s: bool| -> [Vec<f64>; 3] {
            let tensor = |shape: &[usize], v: &[f64]| {
                if f32s {
                    Tensor::from_vec(shape, v.iter().map(|&a| a as f32).collect()).unwrap()
                } else {
                    Tensor::from_vec(shape, v.to_vec()).unwrap()
                }
            };
            let (tx, th, tc, tw) = (
                tensor(&[t, b, 4 * u], &x),
                tensor(&[b, u], &h0),
                tensor(&[b, u], &c0),
                tensor(&[u, 4 * u], &w),
            );
            let y = lstm_sequence(&tx, &th, &tc, &tw).unwrap();
            let dz =
                lstm_sequence_grad(&[tx, th.clone(), tc, tw, y.clone(), tensor(&[t, b, 6 * u], &g)]).unwrap();
            let dw = lstm_sequence_weight_grad(&th, &y, &dz).unwrap();
            [y.to_f64_vec(), dz.to_f64_vec(), dw.to_f64_vec()]
        };
        let [y64, dz64, dw64] = run(false);
        for (a, w) in y64.iter().zip(&want_y) {
            assert!((a - w).abs() < 1e-12, "{t}x{b}x{u} float64 {a} vs {w}");
        }
        let [y32, dz32, dw32] = run(true);
        for (what, got, want) in [("y", &y32, &y64), ("dz", &dz32, &dz64), ("dw", &dw32, &dw64)] {
            let scale = want.iter().fold(1f64, |m, v| m.max(v.abs()));
            for (i, (a, w)) in got.iter().zip(want.iter()).enumerate() {
                assert!((a - w).abs() < 1e-4 * scale, "{t}x{b}x{u} {what}[{i}]: {a} vs {w}");
            }
        }
    }
}

#[test]
fn bad_shapes_are_errors() {
    let k = Case::new(2, 2, 3);
    let [x, h0, c0, _] = k.tensors(&k.x, &k.h0, &k.c0, &k.w);
    let w = Tensor::from_vec(&[3, 3], vec![0.0; 9]).unwrap();
    let e = lstm_sequence(&x, &h0, &c0, &w).unwrap_err();
    assert!(e.message.contains("recurrent kernel [units, 4 units]"), "{}", e.message);
}

/// The compact gradients (every step's `h`, the last `h` and `c`) give what the same values placed in a
/// dense gradient of the whole output give, with and without the states' row, float64 and float32
/// (row groups at batch 37, the vectorized cell at 64 x 128).
#[test]
fn compact_gradients_match_the_dense_gradient() {
    for (t, b, u) in [(3, 37, 5), (2, 64, 128)] {
        let k = Case::new(t, b, u);
        let [x, h0, c0, w] = k.tensors(&k.x, &k.h0, &k.c0, &k.w);
        let (hs, lh, lc) = (data(t * b * u, 7, 1.0), data(b * u, 8, 1.0), data(b * u, 9, 1.0));
        let mut dense = vec![0.0; t * b * 6 * u];
        for s in 0..t {
            for r in 0..b {
                let row = (s * b + r) * 6 * u;
                for j in 0..u {
                    dense[row + j] += hs[(s * b + r) * u + j];
                    if s + 1 == t {
                        dense[row + j] += lh[r * u + j];
                        dense[row + u + j] += lc[r * u + j];
                    }
                }
            }
        }
        for f32s in [false, true] {
            let cast = |t: &Tensor| {
                if f32s {
                    Tensor::from_vec(t.shape(), t.to_f64_vec().iter().map(|&a| a as f32).collect()).unwrap()
                } else {
                    t.clone()
                }
            };
            let (x, h0, c0, w) = (cast(&x), cast(&h0), cast(&c0), cast(&w));
            let y = lstm_sequence(&x, &h0, &c0, &w).unwrap();
            let tensor = |shape: &[usize], v: &[f64]| cast(&Tensor::from_vec(shape, v.to_vec()).unwrap());
            let want = lstm_sequence_grad(&[
                x.clone(),
                h0.clone(),
                c0.clone(),
                w.clone(),
                y.clone(),
                tensor(&[t, b, 6 * u], &dense),
            ])
            .unwrap()
            .to_f64_vec();
            let zero = cast(&Tensor::zeros(crate::dtype::DType::F64, &[]).unwrap());
            let compact =
                [x, h0, c0, w, y, zero, tensor(&[t, b, u], &hs), tensor(&[b, u], &lh), tensor(&[b, u], &lc)];
            let with_states = super::lstm_sequence_grad(&compact, true).unwrap();
            assert_eq!(with_states.shape(), [t + 1, b, 4 * u]);
            let without = super::lstm_sequence_grad(&compact, false).unwrap();
            assert_eq!(without.shape(), [t, b, 4 * u]);
            let tol = if f32s { 1e-5 } else { 1e-12 };
            for (got, rows) in [(with_states.to_f64_vec(), t + 1), (without.to_f64_vec(), t)] {
                for (i, (a, e)) in got.iter().zip(&want[..rows * b * 4 * u]).enumerate() {
                    assert!(
                        (a - e).abs() <= tol * e.abs().max(1.0),
                        "{t}x{b}x{u} f32={f32s} [{i}]: {a} vs {e}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_gradient_of_the_wrong_shape_is_an_error() {
    let k = Case::new(2, 2, 3);
    let [x, h0, c0, w] = k.tensors(&k.x, &k.h0, &k.c0, &k.w);
    let y = lstm_sequence(&x, &h0, &c0, &w).unwrap();
    let zero = Tensor::zeros(crate::dtype::DType::F64, &[]).unwrap();
    let bad = Tensor::zeros(crate::dtype::DType::F64, &[2, 4]).unwrap();
    let e = super::lstm_sequence_grad(&[x, h0, c0, w, y, zero.clone(), zero.clone(), bad, zero], false)
        .unwrap_err();
    assert!(e.message.contains("the last h of shape [2, 3]"), "{}", e.message);
}

/// The inference form is the training form's `[h | c]` columns, float64 and float32 (row groups and the
/// vectorized cell at 64 x 128).
#[test]
fn the_inference_form_is_h_and_c_of_the_training_form() {
    for (t, b, u) in [(4, 37, 5), (3, 64, 128)] {
        let k = Case::new(t, b, u);
        let w: Vec<f64> = k.w.iter().map(|a| a * 0.3).collect();
        let [x, h0, c0, w] = k.tensors(&k.x, &k.h0, &k.c0, &w);
        let to32 = |t: &Tensor| {
            Tensor::from_vec(t.shape(), t.to_f64_vec().iter().map(|&a| a as f32).collect()).unwrap()
        };
        for f32s in [false, true] {
            let [x, h0, c0, w] = if f32s {
                [&x, &h0, &c0, &w].map(to32)
            } else {
                [x.clone(), h0.clone(), c0.clone(), w.clone()]
            };
            let full = lstm_sequence(&x, &h0, &c0, &w).unwrap().to_f64_vec();
            let hc = super::lstm_sequence(&x, &h0, &c0, &w, false).unwrap();
            assert_eq!(hc.shape(), [t, b, 2 * u]);
            let want: Vec<f64> = full.chunks(6 * u).flat_map(|row| row[..2 * u].to_vec()).collect();
            assert_eq!(hc.to_f64_vec(), want, "{t}x{b}x{u} f32={f32s}");
        }
    }
}
