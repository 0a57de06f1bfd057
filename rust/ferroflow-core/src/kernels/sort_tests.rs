//! ArgSort and Unique against hand-worked orders: ties, NaN, signed zeros, strings, and the parallel row path.

use super::{argsort, unique};
use crate::byte_string::ByteString;
use crate::dtype::DType;
use crate::tensor::Tensor;

fn ints(t: &Tensor) -> Vec<i64> {
    t.to_f64_vec().into_iter().map(|v| v as i64).collect()
}

#[test]
fn ties_keep_input_order_and_nan_sorts_last() {
    let x = Tensor::from_vec(&[2, 4], vec![3.0f32, 1.0, 3.0, f32::NAN, 2.0, 2.0, -1.0, 2.0]).unwrap();
    assert_eq!(ints(&argsort(&x, false).unwrap()), vec![1, 0, 2, 3, 2, 0, 1, 3]);
    assert_eq!(ints(&argsort(&x, true).unwrap()), vec![3, 0, 2, 1, 0, 1, 3, 2]);
    assert_eq!(argsort(&x, false).unwrap().dtype(), DType::I32);
}

#[test]
fn many_rows_sort_in_parallel_like_one_by_one() {
    let (rows, len) = (512, 64);
    let data: Vec<i64> = (0..rows * len).map(|i| ((i * 7919) % 1009) as i64).collect();
    let got = ints(&argsort(&Tensor::from_vec(&[rows, len], data.clone()).unwrap(), true).unwrap());
    for (row, idx) in data.chunks(len).zip(got.chunks(len)) {
        let mut want: Vec<i64> = (0..len as i64).collect();
        want.sort_by(|&i, &j| row[j as usize].cmp(&row[i as usize]));
        assert_eq!(idx, &want[..]);
    }
}

#[test]
fn unique_orders_by_first_appearance() {
    let x = Tensor::from_vec(&[7], vec![1.0f64, -0.0, 0.0, f64::NAN, 1.0, f64::NAN, 5.0]).unwrap();
    assert_eq!(ints(&unique(&x, true, DType::I32).unwrap()), vec![0, 1, 3, 5, 6]);
    assert_eq!(ints(&unique(&x, false, DType::I32).unwrap()), vec![0, 1, 1, 2, 0, 3, 4]);
    let words: Vec<ByteString> =
        ["b", "a", "b"].iter().map(|s| ByteString::from(s.as_bytes().to_vec())).collect();
    let s = Tensor::from_vec(&[3], words).unwrap();
    assert_eq!(ints(&unique(&s, false, DType::I64).unwrap()), vec![0, 1, 0]);
    assert!(unique(&Tensor::from_vec(&[1, 1], vec![1i32]).unwrap(), true, DType::I32).is_err());
}
