//! Flush-to-zero for the kernel threads: denormal floats make every operation on them ~100x slower.
//!
//! Adam's second moments and small activations decay into the denormal range during long training runs;
//! left alone, a step slows down several-fold after a few hundred steps. TensorFlow and PyTorch run their
//! kernels with the same setting (FTZ + DAZ on x86, FZ on aarch64); results differ only for values
//! below ~1e-38, which are flushed to zero.

/// Sets the current thread's floating-point control register to flush denormals to zero.
pub fn flush_denormals_on_this_thread() {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: reads and writes this thread's MXCSR only; bits 15 (FTZ) and 6 (DAZ) change how results
    // below the normal range are rounded, nothing else.
    unsafe {
        let mut csr: u32 = 0;
        std::arch::asm!("stmxcsr [{}]", in(reg) &mut csr, options(nostack));
        csr |= (1 << 15) | (1 << 6);
        std::arch::asm!("ldmxcsr [{}]", in(reg) &csr, options(nostack, readonly));
    }
    #[cfg(target_arch = "aarch64")]
    // SAFETY: sets bit 24 (FZ) of this thread's FPCR, which only affects denormal results.
    unsafe {
        let mut fpcr: u64;
        std::arch::asm!("mrs {}, fpcr", out(reg) fpcr, options(nomem, nostack));
        fpcr |= 1 << 24;
        std::arch::asm!("msr fpcr, {}", in(reg) fpcr, options(nomem, nostack));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn denormals_become_zero_on_a_flushed_thread() {
        let tiny = std::hint::black_box(1e-38f32);
        let scaled = std::thread::spawn(move || {
            super::flush_denormals_on_this_thread();
            std::hint::black_box(tiny) * std::hint::black_box(1e-3f32)
        })
        .join()
        .unwrap();
        if cfg!(any(target_arch = "x86_64", target_arch = "aarch64")) {
            assert_eq!(scaled, 0.0);
        }
        // This thread was not flushed: the same product is a denormal.
        assert!(std::hint::black_box(tiny) * std::hint::black_box(1e-3f32) > 0.0);
    }
}
