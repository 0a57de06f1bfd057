//! The CPU's peak f32 multiply-add rate: independent FMA chains on 1..=N threads, no memory traffic.
//!
//! `cargo run --release --bin fma_peak` in `benchmarks/gemm`. No matrix product can beat this rate on the
//! same cores, so a step's products, counted in FLOPs, take at least FLOPs / this rate.

use std::time::Instant;

/// Multiply-adds per chain between clock reads, and independent chains per thread (enough to cover the
/// FMA latency of 4 cycles on two pipes).
const ROUNDS: usize = 200_000_000;
const CHAINS: usize = 12;

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn fmas_avx512(rounds: usize) -> f32 {
    use std::arch::x86_64::*;
    let mut acc = [_mm512_set1_ps(0.0); CHAINS];
    let (a, b) = (_mm512_set1_ps(0.999_999), _mm512_set1_ps(1e-7));
    for _ in 0..rounds {
        for c in acc.iter_mut() {
            *c = _mm512_fmadd_ps(*c, a, b);
        }
    }
    acc.iter().map(|c| _mm512_reduce_add_ps(*c)).sum()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn fmas_avx2(rounds: usize) -> f32 {
    use std::arch::x86_64::*;
    let mut acc = [_mm256_set1_ps(0.0); CHAINS];
    let (a, b) = (_mm256_set1_ps(0.999_999), _mm256_set1_ps(1e-7));
    for _ in 0..rounds {
        for c in acc.iter_mut() {
            *c = _mm256_fmadd_ps(*c, a, b);
        }
    }
    let mut out = [0f32; 8];
    acc.iter()
        .map(|c| {
            _mm256_storeu_ps(out.as_mut_ptr(), *c);
            out.iter().sum::<f32>()
        })
        .sum()
}

/// FLOPs one thread does in `rounds` (a multiply-add counts two).
fn run(width: usize, rounds: usize) -> (f64, f32) {
    let sum = unsafe {
        if width == 16 {
            fmas_avx512(rounds)
        } else {
            fmas_avx2(rounds)
        }
    };
    ((rounds * CHAINS * width * 2) as f64, sum)
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut widths = vec![];
    if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        widths.push(8);
    }
    if is_x86_feature_detected!("avx512f") {
        widths.push(16);
    }
    println!("f32 multiply-add peak, GFLOP/s (best of 3)");
    for &width in &widths {
        for threads in 1..=cores {
            let best = (0..3)
                .map(|_| {
                    let start = Instant::now();
                    let handles: Vec<_> = (0..threads)
                        .map(|_| std::thread::spawn(move || run(width, ROUNDS / width)))
                        .collect();
                    let flops: f64 = handles
                        .into_iter()
                        .map(|h| h.join().unwrap())
                        .map(|(f, s)| f + f64::from(s) * 0.0)
                        .sum();
                    flops / start.elapsed().as_secs_f64() / 1e9
                })
                .fold(0.0, f64::max);
            println!("{}-bit FMA, {threads} thread(s): {best:7.1}", width * 32);
        }
    }
}
