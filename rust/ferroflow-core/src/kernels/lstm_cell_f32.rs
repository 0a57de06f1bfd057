//! The fused LSTM cell's float32 rows: the AVX-512 or AVX2 ones chosen once for the CPU, else the portable ones.

use super::{backward, backward_row, forward, forward_row, CellRows};
#[cfg(target_arch = "x86_64")]
use rayon::prelude::*;

/// `[h | c']` of one row from `z` and `c`, given the unit count.
#[cfg(target_arch = "x86_64")]
type ForwardRow = fn(&[f32], &[f32], &mut [f32], usize);
/// One gradient row from `z`, `c` and `g`: for `z`, or for the previous state where the flag is set.
#[cfg(target_arch = "x86_64")]
type BackwardRow = fn(&[f32], &[f32], &[f32], &mut [f32], usize, bool);
/// Both gradient rows (`dz`, then the previous state's) in one pass.
#[cfg(target_arch = "x86_64")]
type BackwardBothRows = fn(&[f32], &[f32], &[f32], &mut [f32], &mut [f32], usize);

/// The vectorized float32 rows of one instruction set, chosen once for the CPU.
#[cfg(target_arch = "x86_64")]
pub(super) struct SimdRows {
    pub(super) forward: ForwardRow,
    pub(super) backward: BackwardRow,
    pub(super) backward_both: BackwardBothRows,
}

/// The AVX-512 rows where the CPU has AVX-512F, else the AVX2 ones where it has AVX2 and FMA, else None
/// (the portable rows).
#[cfg(target_arch = "x86_64")]
pub(super) fn simd_rows_for_cpu() -> Option<&'static SimdRows> {
    use super::super::{lstm_cell_avx2 as avx2, lstm_cell_avx512 as avx512};
    static AVX512: SimdRows = SimdRows {
        forward: avx512::forward_row,
        backward: avx512::backward_row,
        backward_both: avx512::backward_row_both,
    };
    static AVX2: SimdRows = SimdRows {
        forward: avx2::forward_row,
        backward: avx2::backward_row,
        backward_both: avx2::backward_row_both,
    };
    if avx512::available() {
        Some(&AVX512)
    } else if avx2::available() {
        Some(&AVX2)
    } else {
        None
    }
}

impl CellRows for f32 {
    fn cell_row(z: &[f32], c: &[f32], out: &mut [f32], u: usize) {
        #[cfg(target_arch = "x86_64")]
        if let Some(rows) = simd_rows_for_cpu() {
            return (rows.forward)(z, c, out, u);
        }
        forward_row(z, c, out, u)
    }
    fn cell_grad_row(z: &[f32], c: &[f32], g: &[f32], dz: &mut [f32], dc_prev: &mut [f32], u: usize) {
        #[cfg(target_arch = "x86_64")]
        if let Some(rows) = simd_rows_for_cpu() {
            return (rows.backward_both)(z, c, g, dz, dc_prev, u);
        }
        backward_row(z, c, g, Some(dz), Some(dc_prev), u)
    }
}

/// Runs `row(r, out_row)` over the rows of `out`. The vectorized rows are several times faster than the
/// portable ones, so the pool pays only for far larger steps than in `for_rows`.
#[cfg(target_arch = "x86_64")]
fn simd_rows(out: &mut [f32], width: usize, batch: usize, u: usize, row: impl Fn(usize, &mut [f32]) + Sync) {
    if width == 0 {
        return;
    }
    if batch * u >= 1 << 16 {
        out.par_chunks_mut(width).enumerate().for_each(|(r, o)| row(r, o));
    } else {
        out.chunks_mut(width).enumerate().for_each(|(r, o)| row(r, o));
    }
}

pub(super) fn forward_f32(z: &[f32], c: &[f32], batch: usize, u: usize) -> Vec<f32> {
    #[cfg(target_arch = "x86_64")]
    if let Some(rows) = simd_rows_for_cpu() {
        let mut out = vec![0.0; batch * 2 * u];
        simd_rows(&mut out, 2 * u, batch, u, |r, o| {
            (rows.forward)(&z[r * 4 * u..(r + 1) * 4 * u], &c[r * u..(r + 1) * u], o, u)
        });
        return out;
    }
    forward(z, c, batch, u)
}

pub(super) fn backward_f32(
    z: &[f32],
    c: &[f32],
    g: &[f32],
    batch: usize,
    u: usize,
    wrt_state: bool,
) -> Vec<f32> {
    #[cfg(target_arch = "x86_64")]
    if let Some(rows) = simd_rows_for_cpu() {
        let mut out = vec![0.0; batch * if wrt_state { u } else { 4 * u }];
        let width = out.len() / batch.max(1);
        simd_rows(&mut out, width, batch, u, |r, o| {
            let (zr, cr, gr) =
                (&z[r * 4 * u..(r + 1) * 4 * u], &c[r * u..(r + 1) * u], &g[r * 2 * u..(r + 1) * 2 * u]);
            (rows.backward)(zr, cr, gr, o, u, wrt_state)
        });
        return out;
    }
    backward(z, c, g, batch, u, wrt_state)
}
