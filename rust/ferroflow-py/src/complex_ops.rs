//! Builds `Op::Complex` from the Python name `complex.<op>` and its attributes (`rank`, `fft_length`).

use crate::op::Attrs;
use ferroflow_core::complex_op::ComplexOp;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

fn lengths(a: &Attrs) -> PyResult<Vec<usize>> {
    let v: Vec<i64> = a.req("fft_length")?.extract()?;
    if v.is_empty() || v.len() > 3 || v.iter().any(|&n| n <= 0) {
        return Err(PyValueError::new_err(format!(
            "fft_length must hold 1 to 3 positive lengths, received {v:?}"
        )));
    }
    Ok(v.into_iter().map(|n| n as usize).collect())
}

fn rank(a: &Attrs) -> PyResult<usize> {
    match a.i64("rank", 1)? {
        r @ 1..=3 => Ok(r as usize),
        r => Err(PyValueError::new_err(format!("an FFT runs over 1, 2 or 3 axes, received {r}"))),
    }
}

pub(crate) fn parse(name: &str, a: &Attrs) -> PyResult<ComplexOp> {
    Ok(match name {
        "make" => ComplexOp::Make,
        "real" => ComplexOp::Real,
        "imag" => ComplexOp::Imag,
        "conj" => ComplexOp::Conj,
        "angle" => ComplexOp::Angle,
        "abs" => ComplexOp::Abs,
        "fft" => ComplexOp::Fft { rank: rank(a)?, inverse: false },
        "ifft" => ComplexOp::Fft { rank: rank(a)?, inverse: true },
        "rfft" => ComplexOp::Rfft { lengths: lengths(a)? },
        "irfft" => ComplexOp::Irfft { lengths: lengths(a)? },
        other => return Err(PyValueError::new_err(format!("unknown complex op '{other}'"))),
    })
}
