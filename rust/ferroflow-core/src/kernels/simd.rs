//! Runs a hot loop compiled for the best instruction set the CPU has (AVX-512, else AVX2+FMA, else baseline).
//!
//! Wheels target baseline x86-64 (SSE2), so plain loops vectorize only 4 lanes wide. `pulp`'s dispatch
//! (the runtime detection the `gemm` crate uses) inlines the loop into a function compiled with the
//! detected target features, so the same source runs 16 lanes wide where AVX-512 exists.

use std::sync::OnceLock;

fn arch() -> pulp::Arch {
    static ARCH: OnceLock<pulp::Arch> = OnceLock::new();
    *ARCH.get_or_init(pulp::Arch::new)
}

/// Calls `f` inside a function compiled for the detected SIMD level; `f` must be inlinable (a closure
/// over `#[inline(always)]` helpers) for the loop inside it to pick up the wider instructions.
#[inline(always)]
pub fn vectorized<R>(f: impl FnOnce() -> R) -> R {
    arch().dispatch(f)
}

#[cfg(test)]
mod tests {
    #[test]
    fn runs_the_closure_once_and_returns_its_value() {
        let mut calls = 0;
        let v: Vec<f32> = super::vectorized(|| {
            calls += 1;
            (0..100).map(|i| (i as f32).sqrt()).collect()
        });
        assert_eq!(calls, 1);
        assert_eq!(v[81], 9.0);
    }
}
