//! NaN/Inf hunting (the role of tfdbg's `has_inf_or_nan`): an optional check after every op, and the
//! `CheckNumerics` op. When the global switch is off the executor pays one relaxed atomic load per op.

use crate::error::{Error, Result};
use crate::tensor::{Tensor, TensorData};
use std::sync::atomic::{AtomicBool, Ordering};

static CHECK_EVERY_OP: AtomicBool = AtomicBool::new(false);

/// Turns the check after every op on or off (`ferroflow.debugging.enable_check_numerics`).
pub fn set_check_every_op(enabled: bool) {
    CHECK_EVERY_OP.store(enabled, Ordering::Relaxed);
}

pub fn check_every_op() -> bool {
    CHECK_EVERY_OP.load(Ordering::Relaxed)
}

/// "NaN" or "Inf" for the first non-finite value of a float tensor; None for finite or non-float tensors.
pub fn first_non_finite(t: &Tensor) -> Option<&'static str> {
    fn scan<T: Copy>(
        values: impl Iterator<Item = T>,
        is_nan: impl Fn(T) -> bool,
        finite: impl Fn(T) -> bool,
    ) -> Option<&'static str> {
        for v in values {
            if !finite(v) {
                return Some(if is_nan(v) { "NaN" } else { "Inf" });
            }
        }
        None
    }
    match t.data() {
        TensorData::F32(a) => scan(a.iter().copied(), f32::is_nan, f32::is_finite),
        TensorData::F64(a) => scan(a.iter().copied(), f64::is_nan, f64::is_finite),
        _ => None,
    }
}

/// The error for an op whose output is not finite, naming the first input that already was not.
/// `describe(i)` names input `i` (its node name in a graph, or its position in eager mode).
pub fn non_finite_output(
    op_type: &str,
    node_name: &str,
    bad: &str,
    inputs: &[Tensor],
    describe: impl Fn(usize) -> String,
) -> Error {
    let culprit = inputs.iter().enumerate().find_map(|(i, t)| first_non_finite(t).map(|kind| (i, kind)));
    let origin = match culprit {
        Some((i, kind)) => format!("input {i} ({}) already contained {kind}", describe(i)),
        None => "all its inputs were finite, so this op produced it".to_string(),
    };
    Error::invalid(format!("check_numerics: {op_type} '{node_name}' produced {bad} in its output; {origin}"))
}

/// The `CheckNumerics` op: passes `t` through, or fails with `message` when it holds NaN or Inf.
pub fn check_numerics(t: &Tensor, message: &str) -> Result<Tensor> {
    match first_non_finite(t) {
        None => Ok(t.clone()),
        Some(kind) => Err(Error::invalid(format!("{message} : Tensor had {kind} values"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nan_and_inf_and_names_the_bad_input() {
        let ok = Tensor::from_vec(&[2], vec![1.0f32, 2.0]).unwrap();
        let nan = Tensor::from_vec(&[2], vec![1.0f32, f32::NAN]).unwrap();
        let inf = Tensor::from_vec(&[1], vec![f64::INFINITY]).unwrap();
        assert_eq!(first_non_finite(&ok), None);
        assert_eq!(first_non_finite(&nan), Some("NaN"));
        assert_eq!(first_non_finite(&inf), Some("Inf"));
        let e = non_finite_output("MatMul", "dense/MatMul", "NaN", &[ok.clone(), nan.clone()], |i| {
            format!("#{i}")
        });
        assert!(e.message.contains("MatMul 'dense/MatMul' produced NaN"), "{}", e.message);
        assert!(e.message.contains("input 1 (#1) already contained NaN"), "{}", e.message);
        let e = non_finite_output("Log", "log", "Inf", std::slice::from_ref(&ok), |i| format!("#{i}"));
        assert!(e.message.contains("inputs were finite"), "{}", e.message);
        assert!(check_numerics(&ok, "m").is_ok());
        assert!(check_numerics(&nan, "bad weights").unwrap_err().message.starts_with("bad weights"));
    }
}
