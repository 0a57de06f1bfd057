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

/// Flushes denormals on the current thread until dropped, then restores the previous setting: for work
/// that runs inline on a caller's thread (which may be Python's main thread, whose own float semantics
/// must not change).
pub struct FlushDenormalsScope {
    #[cfg(target_arch = "x86_64")]
    saved: u32,
    #[cfg(target_arch = "aarch64")]
    saved: u64,
}

impl FlushDenormalsScope {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        #[cfg(target_arch = "x86_64")]
        {
            let mut saved: u32 = 0;
            // SAFETY: reads this thread's MXCSR into a local.
            unsafe { std::arch::asm!("stmxcsr [{}]", in(reg) &mut saved, options(nostack)) };
            flush_denormals_on_this_thread();
            FlushDenormalsScope { saved }
        }
        #[cfg(target_arch = "aarch64")]
        {
            let saved: u64;
            // SAFETY: reads this thread's FPCR.
            unsafe { std::arch::asm!("mrs {}, fpcr", out(reg) saved, options(nomem, nostack)) };
            flush_denormals_on_this_thread();
            FlushDenormalsScope { saved }
        }
        #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
        FlushDenormalsScope {}
    }
}

impl Drop for FlushDenormalsScope {
    fn drop(&mut self) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: restores the MXCSR value this thread had when the scope began.
        unsafe {
            std::arch::asm!("ldmxcsr [{}]", in(reg) &self.saved, options(nostack, readonly))
        };
        #[cfg(target_arch = "aarch64")]
        // SAFETY: restores the FPCR value this thread had when the scope began.
        unsafe {
            std::arch::asm!("msr fpcr, {}", in(reg) self.saved, options(nomem, nostack))
        };
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
        // A scope flushes only while it lives.
        {
            let _scope = super::FlushDenormalsScope::new();
            if cfg!(any(target_arch = "x86_64", target_arch = "aarch64")) {
                assert_eq!(std::hint::black_box(tiny) * std::hint::black_box(1e-3f32), 0.0);
            }
        }
        assert!(std::hint::black_box(tiny) * std::hint::black_box(1e-3f32) > 0.0);
    }
}
