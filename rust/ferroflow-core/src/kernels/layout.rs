//! Copying a strided view (a transpose, a reversed or stepped slice, a broadcast) or a matrix's transpose into row-major order.

use ndarray::{ArrayD, ArrayViewD, Dimension, Ix1, Ix2, Ix3, Ix4, Ix5, Ix6, IxDyn};
use std::borrow::Cow;

/// The elements of `a` in row-major order: borrowed when it is stored that way (every tensor the core
/// makes), copied otherwise. Kernels that work on flat slices read their inputs through it.
pub fn row_major<T: Clone>(a: &ArrayD<T>) -> Cow<'_, [T]> {
    match a.as_slice() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(a.iter().cloned().collect()),
    }
}

/// Side of the square tiles `transpose_into` copies: 16 float32 rows read and 16 columns written touch 16
/// cache lines each, which stay in L1 while the tile is copied.
const TRANSPOSE_TILE: usize = 16;

/// Writes the transpose of the `rows` x `cols` matrix `src` (row `r` starting at `r * stride`) into `dst`,
/// `cols` x `rows` row-major.
///
/// Copied element by element, the writes of one source row land `rows` elements apart, one cache line each,
/// and a weight of 512 columns evicts its own lines before the next row returns to them; tile by tile both
/// sides stay within a few lines (a 128 x 512 float32 transpose took about 70 us element by element).
pub fn transpose_into<T: Copy>(src: &[T], (rows, cols, stride): (usize, usize, usize), dst: &mut [T]) {
    assert!(dst.len() >= rows * cols, "transpose_into: destination smaller than the matrix");
    assert!(
        rows == 0 || src.len() >= (rows - 1) * stride + cols,
        "transpose_into: source smaller than the matrix"
    );
    for r0 in (0..rows).step_by(TRANSPOSE_TILE) {
        let r1 = (r0 + TRANSPOSE_TILE).min(rows);
        for c0 in (0..cols).step_by(TRANSPOSE_TILE) {
            let c1 = (c0 + TRANSPOSE_TILE).min(cols);
            for r in r0..r1 {
                let row = &src[r * stride + c0..r * stride + c1];
                for (c, &v) in (c0..c1).zip(row) {
                    dst[c * rows + r] = v;
                }
            }
        }
    }
}

/// Rows shorter than this take the element walk of `standard_copy` in `transposed`: copying them one by
/// one costs more per element than it saves.
const MIN_ROW_COPY: usize = 8;

/// `a` with its axes permuted by `perm`, as a new row-major array. A permutation that keeps the last axis
/// (`[0, 2, 1, 3]` moving attention's heads first, `[1, 0, 2]` making a sequence time-major) copies whole
/// rows of that axis: ndarray's element walk took 0.3-0.45 ms for a 4 MB `[0, 2, 1, 3]` in a Transformer
/// step and 0.55 ms for an LSTM's 0.8 MB input.
pub fn transposed<T: Clone>(a: &ArrayD<T>, perm: &[usize]) -> ArrayD<T> {
    let rank = a.ndim();
    let shape = a.shape();
    match a.as_slice() {
        Some(src) if rank >= 2 && perm[rank - 1] == rank - 1 && shape[rank - 1] >= MIN_ROW_COPY => {
            let dims: Vec<usize> = perm.iter().map(|&p| shape[p]).collect();
            let rows = permuted_rows(src, &shape[..rank - 1], &perm[..rank - 1], shape[rank - 1]);
            ArrayD::from_shape_vec(IxDyn(&dims), rows).expect("the permuted rows fill the permuted shape")
        }
        _ => standard_copy(a.view().permuted_axes(IxDyn(perm))),
    }
}

/// The rows (`inner` elements each) of a row-major array whose other axes are `outer`, in the order of
/// those axes permuted by `perm`.
fn permuted_rows<T: Clone>(src: &[T], outer: &[usize], perm: &[usize], inner: usize) -> Vec<T> {
    // Each source axis's stride in rows, then the output axes' sizes and source strides.
    let mut stride = vec![0; outer.len()];
    let mut s = 1;
    for ax in (0..outer.len()).rev() {
        stride[ax] = s;
        s *= outer[ax];
    }
    let sizes: Vec<usize> = perm.iter().map(|&p| outer[p]).collect();
    let steps: Vec<usize> = perm.iter().map(|&p| stride[p]).collect();
    let rows: usize = sizes.iter().product();
    let mut out = Vec::with_capacity(rows * inner);
    let (mut index, mut row) = (vec![0; sizes.len()], 0);
    for _ in 0..rows {
        out.extend_from_slice(&src[row * inner..(row + 1) * inner]);
        // The next output row: an odometer over the output axes, moving the source row along.
        for ax in (0..sizes.len()).rev() {
            index[ax] += 1;
            row += steps[ax];
            if index[ax] < sizes[ax] {
                break;
            }
            row -= steps[ax] * sizes[ax];
            index[ax] = 0;
        }
    }
    out
}

/// The elements of `view` in row-major order as a new array.
///
/// ndarray walks a dynamic-rank view one element at a time through a heap-shaped index (about 20 ns per
/// element); converted to a fixed rank it runs the innermost axis as a plain strided loop, an order of
/// magnitude faster. Ranks above six keep the dynamic walk.
pub fn standard_copy<T: Clone>(view: ArrayViewD<'_, T>) -> ArrayD<T> {
    if view.is_standard_layout() {
        return view.to_owned();
    }
    fn fixed<T: Clone, D: Dimension>(view: &ArrayViewD<'_, T>) -> Option<ArrayD<T>> {
        let v = view.view().into_dimensionality::<D>().ok()?;
        Some(v.as_standard_layout().into_owned().into_dyn())
    }
    let copied = match view.ndim() {
        1 => fixed::<T, Ix1>(&view),
        2 => fixed::<T, Ix2>(&view),
        3 => fixed::<T, Ix3>(&view),
        4 => fixed::<T, Ix4>(&view),
        5 => fixed::<T, Ix5>(&view),
        6 => fixed::<T, Ix6>(&view),
        _ => None,
    };
    copied.unwrap_or_else(|| view.as_standard_layout().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{s, Array, IxDyn};

    #[test]
    fn transpose_into_matches_an_element_walk_for_ragged_tiles() {
        // Sizes that are not multiples of the tile, a row stride wider than the rows, and an empty matrix.
        for &(rows, cols, stride) in &[(1, 1, 1), (5, 37, 40), (33, 17, 17), (128, 512, 512), (0, 4, 4)] {
            let src: Vec<f32> = (0..rows * stride).map(|i| i as f32).collect();
            let mut dst = vec![-1.0f32; rows * cols];
            transpose_into(&src, (rows, cols, stride), &mut dst);
            for r in 0..rows {
                for c in 0..cols {
                    assert_eq!(
                        dst[c * rows + r],
                        src[r * stride + c],
                        "({rows}, {cols}, {stride}) at {r}, {c}"
                    );
                }
            }
        }
    }

    #[test]
    fn transposed_rows_match_the_element_walk() {
        // Permutations keeping the last axis (the row copies), others, short rows and an empty axis.
        let cases: &[(&[usize], &[usize])] = &[
            (&[2, 3, 4, 8], &[0, 2, 1, 3]),
            (&[5, 3, 16], &[1, 0, 2]),
            (&[2, 3, 4, 9], &[2, 0, 1, 3]),
            (&[4, 8], &[0, 1]),
            (&[3, 4, 8], &[2, 1, 0]),
            (&[3, 2, 4], &[1, 0, 2]),
            (&[0, 3, 8], &[1, 0, 2]),
        ];
        for &(shape, perm) in cases {
            let n = shape.iter().product::<usize>() as i64;
            let a = ndarray::Array::from_shape_vec(IxDyn(shape), (0..n).collect()).unwrap();
            let want = a.view().permuted_axes(IxDyn(perm)).as_standard_layout().into_owned();
            assert_eq!(transposed(&a, perm), want, "{shape:?} by {perm:?}");
        }
    }

    #[test]
    fn row_major_borrows_standard_arrays_and_copies_others() {
        let a = Array::from_shape_vec(IxDyn(&[2, 3]), vec![1, 2, 3, 4, 5, 6]).unwrap();
        assert!(matches!(row_major(&a), Cow::Borrowed(_)));
        let t = a.t().to_owned();
        let reversed = a.slice(s![.., ..;-1]).to_owned().into_dyn();
        assert_eq!(&*row_major(&reversed), &[3, 2, 1, 6, 5, 4]);
        assert_eq!(&*row_major(&t.into_dyn()), &[1, 4, 2, 5, 3, 6]);
    }

    #[test]
    fn matches_the_dynamic_walk_for_every_rank() {
        for rank in 1..=7 {
            let shape: Vec<usize> = (0..rank).map(|i| 2 + i % 3).collect();
            let n: usize = shape.iter().product();
            let a = Array::from_shape_vec(IxDyn(&shape), (0..n as i64).collect()).unwrap();
            let reversed: Vec<usize> = (0..rank).rev().collect();
            let t = a.view().permuted_axes(IxDyn(&reversed));
            assert_eq!(standard_copy(t.view()), t.as_standard_layout().into_owned());
            let mut flipped = a.view();
            flipped.invert_axis(ndarray::Axis(rank - 1));
            assert_eq!(standard_copy(flipped.view()), flipped.as_standard_layout().into_owned());
        }
        let b = Array::from_shape_vec((4, 5), (0..20).collect()).unwrap().into_dyn();
        let stepped = b.slice(s![..;2, ..;-2]).into_dyn();
        assert_eq!(standard_copy(stepped.view()), stepped.as_standard_layout().into_owned());
    }
}
