//! Copying a strided view (a transpose, a reversed or stepped slice, a broadcast) into a standard-layout array.

use ndarray::{ArrayD, ArrayViewD, Dimension, Ix1, Ix2, Ix3, Ix4, Ix5, Ix6};

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
