//! Complex numbers and Fourier transforms: the forms of `Op::Complex` and their shape and dtype rules.

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::infer::require;
use crate::shape::{broadcast_shapes, Shape};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComplexOp {
    /// `tf.complex(real, imag)`: two float tensors of one dtype, broadcast.
    Make,
    Real,
    Imag,
    Conj,
    Angle,
    /// `|x|` of a complex tensor, as a float tensor (`tf.abs` on complex numbers).
    Abs,
    /// `fft`/`ifft` over the innermost `rank` axes (1, 2 or 3).
    Fft {
        rank: usize,
        inverse: bool,
    },
    /// `rfft` over the innermost `lengths.len()` axes, the input fitted to `lengths`.
    Rfft {
        lengths: Vec<usize>,
    },
    /// `irfft` producing real signals of `lengths` on the innermost axes.
    Irfft {
        lengths: Vec<usize>,
    },
    /// Gradients: inputs the output's gradient and the forward input (for its shape).
    RfftGrad {
        lengths: Vec<usize>,
    },
    IrfftGrad {
        lengths: Vec<usize>,
    },
}

impl ComplexOp {
    pub fn type_name(&self) -> &'static str {
        match self {
            ComplexOp::Make => "Complex",
            ComplexOp::Real => "Real",
            ComplexOp::Imag => "Imag",
            ComplexOp::Conj => "Conj",
            ComplexOp::Angle => "Angle",
            ComplexOp::Abs => "ComplexAbs",
            ComplexOp::Fft { rank: 1, inverse: false } => "FFT",
            ComplexOp::Fft { rank: 2, inverse: false } => "FFT2D",
            ComplexOp::Fft { inverse: false, .. } => "FFT3D",
            ComplexOp::Fft { rank: 1, inverse: true } => "IFFT",
            ComplexOp::Fft { rank: 2, inverse: true } => "IFFT2D",
            ComplexOp::Fft { inverse: true, .. } => "IFFT3D",
            ComplexOp::Rfft { lengths } => ["RFFT", "RFFT2D", "RFFT3D"][lengths.len().clamp(1, 3) - 1],
            ComplexOp::Irfft { lengths } => ["IRFFT", "IRFFT2D", "IRFFT3D"][lengths.len().clamp(1, 3) - 1],
            ComplexOp::RfftGrad { .. } => "RFFTGrad",
            ComplexOp::IrfftGrad { .. } => "IRFFTGrad",
        }
    }

    pub fn arity(&self) -> usize {
        match self {
            ComplexOp::Make | ComplexOp::RfftGrad { .. } | ComplexOp::IrfftGrad { .. } => 2,
            _ => 1,
        }
    }

    /// Which inputs a gradient flows into: the gradient ops' second input only lends its shape.
    pub fn differentiable_inputs(&self) -> Vec<bool> {
        match self {
            ComplexOp::RfftGrad { .. } | ComplexOp::IrfftGrad { .. } => vec![true, false],
            other => vec![true; other.arity()],
        }
    }
}

fn complex(what: &str, d: DType) -> Result<()> {
    require(d.is_complex(), || format!("{what} expects a complex64 or complex128 tensor, received {d}"))
}

fn float(what: &str, d: DType) -> Result<()> {
    require(d.is_float(), || format!("{what} expects a float32 or float64 tensor, received {d}"))
}

/// `s` with its innermost `lengths.len()` dimensions replaced by `lengths`, the last one by `last`.
fn with_inner(what: &str, s: &Shape, lengths: &[usize], last: usize) -> Result<Shape> {
    let Some(dims) = &s.dims else { return Ok(Shape::unknown()) };
    if dims.len() < lengths.len() {
        return Err(Error::invalid(format!(
            "{what} over {} axes needs a tensor of rank >= {}, received shape {s}",
            lengths.len(),
            lengths.len()
        )));
    }
    if lengths.contains(&0) {
        return Err(Error::invalid(format!("{what}: fft_length must be positive, received {lengths:?}")));
    }
    let mut out = dims.clone();
    let first = dims.len() - lengths.len();
    for (i, &n) in lengths.iter().enumerate() {
        out[first + i] = Some(n);
    }
    *out.last_mut().expect("rank checked above") = Some(last);
    Ok(Shape::from_dims(out))
}

/// The output shape and dtype of `op` given its inputs' shapes and dtypes.
pub fn infer(op: &ComplexOp, inputs: &[(&Shape, DType)]) -> Result<(Shape, DType)> {
    let (s0, d0) = inputs[0];
    let name = op.type_name();
    Ok(match op {
        ComplexOp::Make => {
            let (s1, d1) = inputs[1];
            float(name, d0)?;
            require(d0 == d1, || {
                format!("complex expects real and imag of one dtype, received {d0} and {d1}")
            })?;
            (broadcast_shapes(s0, s1)?, d0.complex_of().expect("a float dtype"))
        }
        ComplexOp::Real | ComplexOp::Imag | ComplexOp::Angle | ComplexOp::Abs => {
            complex(name, d0)?;
            (s0.clone(), d0.real_part())
        }
        ComplexOp::Conj => {
            complex(name, d0)?;
            (s0.clone(), d0)
        }
        ComplexOp::Fft { rank, .. } => {
            complex(name, d0)?;
            if let Some(r) = s0.rank() {
                require(r >= *rank, || {
                    format!("{name} expects a tensor of rank >= {rank}, received shape {s0}")
                })
                .map_err(|e| Error::invalid(e.message))?;
            }
            (s0.clone(), d0)
        }
        ComplexOp::Rfft { lengths } => {
            float(name, d0)?;
            let last = lengths.last().copied().unwrap_or(1) / 2 + 1;
            (with_inner(name, s0, lengths, last)?, d0.complex_of().expect("a float dtype"))
        }
        ComplexOp::Irfft { lengths } => {
            complex(name, d0)?;
            (with_inner(name, s0, lengths, lengths.last().copied().unwrap_or(1))?, d0.real_part())
        }
        ComplexOp::RfftGrad { .. } => {
            complex(name, d0)?;
            (inputs[1].0.clone(), d0.real_part())
        }
        ComplexOp::IrfftGrad { .. } => {
            float(name, d0)?;
            (inputs[1].0.clone(), d0.complex_of().expect("a float dtype"))
        }
    })
}
