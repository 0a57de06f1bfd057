//! Matrix products against a naive product: every transpose, batch broadcasting, each kernel path, the thread split.

use super::*;

fn naive(a: &[f64], b: &[f64], m: usize, k: usize, n: usize) -> Vec<f64> {
    let mut out = vec![0.0; m * n];
    for i in 0..m {
        for j in 0..n {
            out[i * n + j] = (0..k).map(|p| a[i * k + p] * b[p * n + j]).sum();
        }
    }
    out
}

fn transpose(x: &[f64], rows: usize, cols: usize) -> Vec<f64> {
    let mut t = vec![0.0; x.len()];
    for r in 0..rows {
        for c in 0..cols {
            t[c * rows + r] = x[r * cols + c];
        }
    }
    t
}

fn values(n: usize, seed: f64) -> Vec<f64> {
    (0..n).map(|i| ((i as f64 * 0.37 + seed).sin() * 3.0).round() / 2.0).collect()
}

#[test]
fn every_transpose_combination_matches_a_naive_product() {
    let (m, k, n) = (5, 7, 3);
    let a = values(m * k, 0.1);
    let b = values(k * n, 0.7);
    let want = naive(&a, &b, m, k, n);
    for ta in [false, true] {
        for tb in [false, true] {
            let at = if ta {
                Tensor::from_vec(&[k, m], transpose(&a, m, k))
            } else {
                Tensor::from_vec(&[m, k], a.clone())
            };
            let bt = if tb {
                Tensor::from_vec(&[n, k], transpose(&b, k, n))
            } else {
                Tensor::from_vec(&[k, n], b.clone())
            };
            let (at, bt) = (at.unwrap(), bt.unwrap());
            let out = matmul(&at, &bt, ta, tb).unwrap();
            assert_eq!(out.shape(), &[m, n]);
            assert_eq!(out.to_f64_vec(), want, "ta={ta} tb={tb}");
            // float32 takes the narrow-product kernels (n = 3) where AVX-512 exists.
            let f32_of =
                |t: &Tensor| Tensor::from_vec(t.shape(), t.to_f64_vec().iter().map(|&v| v as f32).collect());
            let out = matmul(&f32_of(&at).unwrap(), &f32_of(&bt).unwrap(), ta, tb).unwrap();
            assert_eq!(out.to_f64_vec(), want, "float32 ta={ta} tb={tb}");
        }
    }
}

#[test]
fn transposed_weight_takes_the_split_path_correctly() {
    // A gradient's dy · Wᵀ at a recurrent layer's size (64 x 512 by (128 x 512)ᵀ), where the transposed
    // weight is copied to rows for the split product.
    let (m, k, n) = (64, 512, 128);
    let a = values(m * k, 0.3);
    let b_stored = values(n * k, 0.9);
    let want = naive(&a, &transpose(&b_stored, n, k), m, k, n);
    let af = Tensor::from_vec(&[m, k], a.iter().map(|&v| v as f32).collect()).unwrap();
    let bf = Tensor::from_vec(&[n, k], b_stored.iter().map(|&v| v as f32).collect()).unwrap();
    let out = crate::threading::install(|| matmul(&af, &bf, false, true)).unwrap();
    for (g, w) in out.to_f64_vec().iter().zip(&want) {
        assert!((g - w).abs() < 1e-3 * (1.0 + w.abs()), "{g} vs {w}");
    }
}

#[test]
fn large_f32_product_uses_the_parallel_path_correctly() {
    let (m, k, n) = (64, 96, 80);
    let a = values(m * k, 0.3);
    let b = values(k * n, 0.9);
    let want = naive(&a, &b, m, k, n);
    let af = Tensor::from_vec(&[m, k], a.iter().map(|&v| v as f32).collect()).unwrap();
    let bf = Tensor::from_vec(&[k, n], b.iter().map(|&v| v as f32).collect()).unwrap();
    let out = crate::threading::install(|| matmul(&af, &bf, false, false)).unwrap();
    for (g, w) in out.to_f64_vec().iter().zip(&want) {
        assert!((g - w).abs() < 1e-3, "{g} vs {w}");
    }
}

#[test]
fn few_row_products_split_along_the_shared_dimension_match_a_naive_product() {
    let (m, k, n) = (8, 3001, 180); // k not a multiple of the thread count
    assert!(crate::threading::num_threads() < 2 || crate::threading::install(|| split_k_pays(m, n, k, true)));
    let (a, b) = (values(m * k, 0.4), values(k * n, 0.8));
    let want = naive(&a, &b, m, k, n);
    for (ta, tb) in [(false, false), (true, true)] {
        let at = if ta { transpose(&a, m, k) } else { a.clone() };
        let bt = if tb { transpose(&b, k, n) } else { b.clone() };
        let (a_shape, b_shape) = (if ta { [k, m] } else { [m, k] }, if tb { [n, k] } else { [k, n] });
        let af = Tensor::from_vec(&a_shape, at.iter().map(|&v| v as f32).collect());
        let bf = Tensor::from_vec(&b_shape, bt.iter().map(|&v| v as f32).collect());
        let (af, bf) = (af.unwrap(), bf.unwrap());
        let out = crate::threading::install(|| matmul(&af, &bf, ta, tb)).unwrap();
        assert_eq!(out.to_f64_vec(), want, "ta={ta} tb={tb}");
        // Off the pool (a small plan run on its caller's thread) the parts run in turn: same bits.
        let inline = matmul(&af, &bf, ta, tb).unwrap();
        assert_eq!(inline.to_f64_vec(), out.to_f64_vec(), "inline ta={ta} tb={tb}");
    }
}

#[test]
fn one_row_products_split_per_thread_match_a_naive_product() {
    // A one-sample prediction through Dense(128) on 784 inputs (100K multiply-adds, split from 64K), and
    // one below the threshold, with k not a multiple of the thread count; exact values (small integers).
    for (k, n) in [(784, 128), (785, 100), (200, 100)] {
        if !crate::kernels::skinny::available() {
            // (AVX-512 CPUs split all three for locality.)
            let split = crate::threading::install(|| split_k_pays(1, n, k, true));
            assert_eq!(split, crate::threading::num_threads() > 1 && n * k >= 1 << 16, "k={k} n={n}");
        }
        let (a, b) = (values(k, 0.4), values(k * n, 0.8));
        let want = naive(&a, &b, 1, k, n);
        let af = Tensor::from_vec(&[1, k], a.iter().map(|&v| v as f32).collect()).unwrap();
        let bf = Tensor::from_vec(&[k, n], b.iter().map(|&v| v as f32).collect()).unwrap();
        let pooled = crate::threading::install(|| matmul(&af, &bf, false, false)).unwrap();
        assert_eq!(pooled.to_f64_vec(), want, "k={k} n={n}");
        assert_eq!(matmul(&af, &bf, false, false).unwrap().to_f64_vec(), want, "inline k={k} n={n}");
    }
}

#[test]
fn a_product_has_the_same_bits_on_the_pool_and_on_a_callers_thread() {
    // Values whose sums round: a different order of the partial sums would change the low bits.
    let (m, k, n) = (1, 784, 512);
    let a: Vec<f32> = (0..m * k).map(|i| ((i as f32) * 0.618).sin() * 1.37).collect();
    let b: Vec<f32> = (0..k * n).map(|i| ((i as f32) * 0.271).cos() * 0.11).collect();
    let af = Tensor::from_vec(&[m, k], a).unwrap();
    let bf = Tensor::from_vec(&[k, n], b).unwrap();
    let pooled = crate::threading::install(|| matmul(&af, &bf, false, false)).unwrap();
    let inline = matmul(&af, &bf, false, false).unwrap();
    assert_eq!(pooled.to_f64_vec(), inline.to_f64_vec());
}

#[test]
fn small_batched_products_run_in_parallel_with_the_same_results() {
    // 12 products of 40 x 24 by (40 x 24)ᵀ, attention's shape scaled down: whole products per thread
    // on the pool, one after another on a caller's thread; both match a naive product bit for bit.
    let (batch, m, k, n) = (12, 40, 24, 40);
    let a = values(batch * m * k, 0.1);
    let b = values(batch * n * k, 0.9);
    let at = Tensor::from_vec(&[batch, m, k], a.clone()).unwrap();
    let bt = Tensor::from_vec(&[batch, n, k], b.clone()).unwrap();
    let pooled = crate::threading::install(|| matmul(&at, &bt, false, true)).unwrap().to_f64_vec();
    let inline = matmul(&at, &bt, false, true).unwrap().to_f64_vec();
    assert_eq!(pooled, inline);
    for i in 0..batch {
        let want =
            naive(&a[i * m * k..(i + 1) * m * k], &transpose(&b[i * n * k..(i + 1) * n * k], n, k), m, k, n);
        assert_eq!(&pooled[i * m * n..(i + 1) * m * n], &want[..], "product {i}");
    }
}

#[test]
fn small_float32_batched_products_with_b_by_rows_match_a_naive_product() {
    // Attention's weights-times-values shape and ragged ones (rows not a multiple of the 8-row tile, columns
    // not of a vector), `a` stored by rows and by columns: the register tiles where AVX-512 runs them.
    for (batch, m, k, n) in [(8, 128, 128, 32), (6, 13, 5, 37), (6, 40, 64, 100)] {
        let a = values(batch * m * k, 0.3);
        let b = values(batch * k * n, 0.8);
        let f32s = |v: &[f64]| v.iter().map(|&x| x as f32).collect::<Vec<f32>>();
        let bt = Tensor::from_vec(&[batch, k, n], f32s(&b)).unwrap();
        for ta in [false, true] {
            let stored: Vec<f64> = (0..batch)
                .flat_map(|i| {
                    let ai = &a[i * m * k..(i + 1) * m * k];
                    if ta {
                        transpose(ai, m, k)
                    } else {
                        ai.to_vec()
                    }
                })
                .collect();
            let dims = if ta { [batch, k, m] } else { [batch, m, k] };
            let at = Tensor::from_vec(&dims, f32s(&stored)).unwrap();
            let out = matmul(&at, &bt, ta, false).unwrap().to_f64_vec();
            for i in 0..batch {
                let want = naive(&a[i * m * k..(i + 1) * m * k], &b[i * k * n..(i + 1) * k * n], m, k, n);
                assert_eq!(&out[i * m * n..(i + 1) * m * n], &want[..], "{m}x{k}x{n} ta={ta} product {i}");
            }
        }
    }
}

#[test]
fn products_split_for_weight_locality_match_a_naive_product() {
    // 80 rows and a 300 x 150 weight: split along the shared dimension where AVX-512 runs the tiles,
    // with an output large enough for the partial sums to split across threads too.
    let (m, k, n) = (80, 301, 900);
    let tiles = crate::kernels::skinny::available() && crate::threading::num_threads() > 1;
    let pays = |m, f32_rows| crate::threading::install(|| split_k_pays(m, n, k, f32_rows));
    assert_eq!(pays(m, true), tiles);
    assert!(!pays(m, false), "float64 or a transposed weight: gemm");
    assert!(!pays(200, true), "more rows than half the shared side: gemm");
    let (a, b) = (values(m * k, 0.4), values(k * n, 0.8));
    let want = naive(&a, &b, m, k, n);
    let af = Tensor::from_vec(&[m, k], a.iter().map(|&v| v as f32).collect()).unwrap();
    let bf = Tensor::from_vec(&[k, n], b.iter().map(|&v| v as f32).collect()).unwrap();
    let out = crate::threading::install(|| matmul(&af, &bf, false, false)).unwrap();
    assert_eq!(out.to_f64_vec(), want);
}

#[test]
fn a_stack_times_one_matrix_matches_a_product_per_matrix() {
    // [3, 70, 90] · [90, 40] (and the weight stored transposed) runs as one 210-row product.
    let (batch, m, k, n) = (3, 70, 90, 40);
    let (a, b) = (values(batch * m * k, 0.3), values(k * n, 0.7));
    for tb in [false, true] {
        let rhs = if tb {
            Tensor::from_vec(&[n, k], transpose(&b, k, n)).unwrap()
        } else {
            Tensor::from_vec(&[k, n], b.clone()).unwrap()
        };
        let out = matmul(&Tensor::from_vec(&[batch, m, k], a.clone()).unwrap(), &rhs, false, tb).unwrap();
        assert_eq!(out.shape(), &[batch, m, n]);
        let ov = out.to_f64_vec();
        for i in 0..batch {
            let want = naive(&a[i * m * k..(i + 1) * m * k], &b, m, k, n);
            for (got, want) in ov[i * m * n..(i + 1) * m * n].iter().zip(&want) {
                assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "tb={tb}: {got} against {want}");
            }
        }
    }
}

#[test]
fn batch_axes_broadcast() {
    let a = Tensor::from_vec(&[2, 1, 2, 3], values(12, 0.2)).unwrap();
    let b = Tensor::from_vec(&[3, 3, 2], values(18, 0.5)).unwrap();
    let out = matmul(&a, &b, false, false).unwrap();
    assert_eq!(out.shape(), &[2, 3, 2, 2]);
    let av = a.to_f64_vec();
    let bv = b.to_f64_vec();
    let ov = out.to_f64_vec();
    for i in 0..2 {
        for j in 0..3 {
            let want = naive(&av[i * 6..i * 6 + 6], &bv[j * 6..j * 6 + 6], 2, 3, 2);
            assert_eq!(&ov[(i * 3 + j) * 4..(i * 3 + j) * 4 + 4], &want[..]);
        }
    }
}

#[test]
fn ints_and_errors() {
    let a = Tensor::from_vec(&[2, 2], vec![1i32, 2, 3, 4]).unwrap();
    let out = matmul(&a, &a, false, false).unwrap();
    assert_eq!(out.to_i64_vec(), vec![7, 10, 15, 22]);
    let b = Tensor::from_vec(&[3, 2], vec![0f32; 6]).unwrap();
    let c = Tensor::from_vec(&[3, 2], vec![0f32; 6]).unwrap();
    let e = matmul(&b, &c, false, false).unwrap_err();
    assert!(e.message.contains("(3, 2)"), "{}", e.message);
    assert!(matmul(&a, &b, false, false).is_err());
}
