//! `tf.strings.format`: a template whose placeholders are replaced by summaries of tensors, printed as
//! TensorFlow prints them (`[[1 2]\n [3 4]]`, `[0 1 2 ... 7 8 9]`, floats with the fewest of 6 or 9 digits).

use super::number::c_general;
use crate::byte_string::ByteString;
use crate::error::{Error, Result};
use crate::tensor::{Tensor, TensorData};

/// A float as TensorFlow's `FloatToBuffer` / `DoubleToBuffer` print it: `%.{short}g` when that reads back
/// as the same value, else `%.{long}g`.
fn float_text(v: f64, short: usize, long: usize, single: bool) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let s = c_general(v, short);
    let same = if single {
        s.parse::<f32>().is_ok_and(|r| r == v as f32)
    } else {
        s.parse::<f64>().is_ok_and(|r| r == v)
    };
    if same {
        s
    } else {
        c_general(v, long)
    }
}

/// Every element of `t` as text, in row-major order.
fn element_texts(t: &Tensor) -> Vec<String> {
    match t.data() {
        TensorData::F32(a) => a.iter().map(|&v| float_text(v as f64, 6, 9, true)).collect(),
        TensorData::F64(a) => a.iter().map(|&v| float_text(v, 15, 17, false)).collect(),
        TensorData::Bool(a) => a.iter().map(|&v| if v { "1" } else { "0" }.to_string()).collect(),
        TensorData::Str(a) => {
            a.iter().map(|s| format!("\"{}\"", String::from_utf8_lossy(s.as_bytes()))).collect()
        }
        _ => t.to_i64_vec().iter().map(|v| v.to_string()).collect(),
    }
}

/// The nested-bracket summary of `texts` shaped `dims`: along each axis longer than `2 * summarize`, the
/// first and last `summarize` entries with `...` between (`summarize < 0` shows everything).
fn summary(dims: &[usize], texts: &[String], depth: usize, summarize: i64) -> String {
    let Some((&n, rest)) = dims.split_first() else { return texts[0].clone() };
    let inner: usize = rest.iter().product();
    let shown: Vec<Option<usize>> = match usize::try_from(summarize) {
        Ok(k) if n > 2 * k => (0..k).map(Some).chain([None]).chain((n - k..n).map(Some)).collect(),
        _ => (0..n).map(Some).collect(),
    };
    let parts: Vec<String> = shown
        .iter()
        .map(|i| match i {
            Some(i) if rest.is_empty() => texts[*i].clone(),
            Some(i) => summary(rest, &texts[i * inner..(i + 1) * inner], depth + 1, summarize),
            None => "...".into(),
        })
        .collect();
    let separator =
        if rest.is_empty() { " ".to_string() } else { "\n".repeat(rest.len()) + &" ".repeat(depth + 1) };
    format!("[{}]", parts.join(&separator))
}

/// The template's `pieces` with the summary of `inputs[i]` between pieces `i` and `i + 1`.
pub fn format(pieces: &[ByteString], summarize: i64, inputs: &[Tensor]) -> Result<Tensor> {
    if pieces.len() != inputs.len() + 1 {
        return Err(Error::invalid(format!(
            "The template expects {} tensors, but the inputs only has {}.",
            pieces.len().saturating_sub(1),
            inputs.len()
        )));
    }
    let mut out = pieces[0].as_bytes().to_vec();
    for (t, piece) in inputs.iter().zip(&pieces[1..]) {
        out.extend_from_slice(summary(t.shape(), &element_texts(t), 0, summarize).as_bytes());
        out.extend_from_slice(piece.as_bytes());
    }
    Ok(Tensor::scalar(ByteString::from(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &Tensor, summarize: i64) -> String {
        let out = format(&[ByteString::from(""), ByteString::from("")], summarize, std::slice::from_ref(t))
            .unwrap();
        String::from_utf8(out.array::<ByteString>().unwrap().iter().next().unwrap().as_bytes().to_vec())
            .unwrap()
    }

    #[test]
    fn prints_as_tensorflow_does() {
        // Expected strings are TensorFlow 2.21's.
        let r = Tensor::from_vec(&[10], (0..10).collect::<Vec<i32>>()).unwrap();
        assert_eq!(text(&r, 3), "[0 1 2 ... 7 8 9]");
        assert_eq!(text(&r, -1), "[0 1 2 3 4 5 6 7 8 9]");
        let m = Tensor::from_vec(&[2, 2], vec![1.5f32, 2.0, 3.0, 0.1234567]).unwrap();
        assert_eq!(text(&m, 3), "[[1.5 2]\n [3 0.123456702]]");
        let c = Tensor::from_vec(&[2, 3, 4], (0..24).collect::<Vec<i64>>()).unwrap();
        let want =
            "[[[0 1 2 3]\n  [4 5 6 7]\n  [8 9 10 11]]\n\n [[12 13 14 15]\n  [16 17 18 19]\n  [20 21 22 23]]]";
        assert_eq!(text(&c, 3), want);
        let big = Tensor::from_vec(&[10, 10], (0..100).collect::<Vec<i32>>()).unwrap();
        assert!(text(&big, 3).starts_with(
            "[[0 1 2 ... 7 8 9]\n [10 11 12 ... 17 18 19]\n [20 21 22 ... 27 28 29]\n ...\n [70"
        ));
        let f = Tensor::from_vec(&[5], vec![1e10f32, 1e-7, -0.0, f32::NAN, f32::INFINITY]).unwrap();
        assert_eq!(text(&f, 3), "[1e+10 1e-07 -0 nan inf]");
        assert_eq!(text(&Tensor::from_vec(&[1], vec![1.0f64 / 3.0]).unwrap(), 3), "[0.33333333333333331]");
        assert_eq!(text(&Tensor::from_vec(&[2], vec![true, false]).unwrap(), 3), "[1 0]");
        assert_eq!(text(&Tensor::scalar(3.25f32), 3), "3.25");
        assert_eq!(text(&Tensor::from_vec(&[0], Vec::<f32>::new()).unwrap(), 3), "[]");
        let e = format(&[ByteString::from("a"), ByteString::from("b"), ByteString::from("")], 3, &[r])
            .unwrap_err();
        assert!(e.message.contains("expects 2 tensors"));
    }
}
