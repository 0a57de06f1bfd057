//! Times f32 GEMM from the `gemm` crate, `matrixmultiply` and ndarray's `dot` on the shapes of one MNIST
//! training step (forward and both gradient products), at batch 32 and 256, on 1 and 2 threads.

use std::time::Instant;

/// (m, k, n, transpose_a, transpose_b, label): C[m,n] = op(A) op(B).
const SHAPES: [(usize, usize, usize, bool, bool, &str); 5] = [
    (0, 784, 512, false, false, "x @ W1"),
    (0, 512, 10, false, false, "h @ W2"),
    (784, 0, 512, true, false, "x^T @ dh (dW1)"),
    (512, 0, 10, true, false, "h^T @ dy (dW2)"),
    (0, 10, 512, false, true, "dy @ W2^T (dh)"),
];

fn time_it(mut f: impl FnMut()) -> f64 {
    for _ in 0..20 {
        f();
    }
    let reps = 300;
    let t = Instant::now();
    for _ in 0..reps {
        f();
    }
    t.elapsed().as_secs_f64() / reps as f64 * 1e6
}

fn main() {
    for batch in [32usize, 256] {
        println!("\nbatch {batch}: microseconds per product (GFLOP/s)");
        println!("{:<18} {:>18} {:>18} {:>18} {:>18}", "product", "gemm 1 thread", "gemm 2 threads", "matrixmultiply", "ndarray dot");
        for &(m0, k0, n, ta, tb, label) in &SHAPES {
            let m = if m0 == 0 { batch } else { m0 };
            let k = if k0 == 0 { batch } else { k0 };
            let a: Vec<f32> = (0..m * k).map(|i| (i % 7) as f32 * 0.1).collect();
            let b: Vec<f32> = (0..k * n).map(|i| (i % 5) as f32 * 0.1).collect();
            let mut c = vec![0f32; m * n];
            // Row and column strides of op(A) [m x k] and op(B) [k x n] in row-major storage.
            let (a_rs, a_cs) = if ta { (1isize, m as isize) } else { (k as isize, 1) };
            let (b_rs, b_cs) = if tb { (1isize, k as isize) } else { (n as isize, 1) };
            let flops = 2.0 * (m * n * k) as f64;
            let mut run_gemm = |par: gemm::Parallelism| {
                // SAFETY: the slices hold m*k, k*n and m*n elements and the strides stay inside them.
                unsafe {
                    gemm::gemm(m, n, k, c.as_mut_ptr(), 1, n as isize, false, a.as_ptr(), a_cs, a_rs, b.as_ptr(), b_cs, b_rs, 0.0, 1.0, false, false, false, par)
                }
            };
            let g1 = time_it(|| run_gemm(gemm::Parallelism::None));
            let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
            let g2 = pool.install(|| time_it(|| run_gemm(gemm::Parallelism::Rayon(2))));
            let mut c2 = vec![0f32; m * n];
            let mm = time_it(|| unsafe {
                // SAFETY: as above.
                matrixmultiply::sgemm(m, k, n, 1.0, a.as_ptr(), a_rs, a_cs, b.as_ptr(), b_rs, b_cs, 0.0, c2.as_mut_ptr(), n as isize, 1)
            });
            let av = ndarray::Array2::from_shape_vec((if ta { k } else { m }, if ta { m } else { k }), a.clone()).unwrap();
            let bv = ndarray::Array2::from_shape_vec((if tb { n } else { k }, if tb { k } else { n }), b.clone()).unwrap();
            let nd = time_it(|| {
                let x = if ta { av.t() } else { av.view() };
                let y = if tb { bv.t() } else { bv.view() };
                std::hint::black_box(x.dot(&y));
            });
            let cell = |us: f64| format!("{us:8.1} ({:5.1})", flops / us / 1e3);
            println!("{label:<18} {:>18} {:>18} {:>18} {:>18}", cell(g1), cell(g2), cell(mm), cell(nd));
        }
    }
}
