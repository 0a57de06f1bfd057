//! Batch normalization over every axis but the last (channels-last), and layer normalization over the last:
//! the forms of `Op::BatchNorm` and their shape rules.
//!
//! Composed from elementwise ops, a training step of `BatchNormalization` made about a dozen passes over
//! its activations forward and backward (a ResNet step spent as long there as in its convolutions). These
//! ops do it in two passes each way: the batch moments, then the normalization; backward, the two channel
//! sums, then the input gradient. Moments travel packed as one `[2, C]` tensor (mean, then variance), since
//! a node has one output.

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::shape::{Dim, Shape};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BatchNormOp {
    /// The mean and biased variance of each channel of `x` (`[..., C]`) over all leading axes, as `[2, C]`.
    Moments,
    /// The gradient of `Moments`: inputs x, its moments and the moments' gradient `[2, C]`; output dx.
    MomentsGrad,
    /// `(x - mean) / sqrt(variance + epsilon) * gamma + beta` where input 1 holds x's own batch moments;
    /// inputs x, moments, gamma `[C]`, beta `[C]`. Its gradient with respect to x includes the path through
    /// the moments, so the moments input itself receives none.
    Training { epsilon: f64 },
    /// Channel sums for the gradient of `Training`: inputs dy, x, moments; output `[2, C]` holding
    /// `sum(dy)` (beta's gradient) and `sum(dy * x_hat)` (gamma's), with `x_hat` the normalized x.
    GradSums { epsilon: f64 },
    /// The input gradient of `Training`: inputs dy, x, moments, gamma and the `GradSums` output; output dx.
    GradInput { epsilon: f64 },
    /// Layer normalization over the last axis, `(x - mean) / sqrt(variance + epsilon) * gamma + beta` with
    /// each row's own moments: inputs x `[..., C]`, gamma `[C]`, beta `[C]` (`kernels::layer_norm`).
    LayerNorm { epsilon: f64 },
    /// The parameter gradients of `LayerNorm`: inputs dy, x; output `[2, C]` holding `sum(dy)` (beta's) and
    /// `sum(dy * x_hat)` (gamma's) over all rows.
    LayerNormGradSums { epsilon: f64 },
    /// The input gradient of `LayerNorm`: inputs dy, x, gamma; output dx.
    LayerNormGradInput { epsilon: f64 },
}

impl BatchNormOp {
    pub fn type_name(&self) -> &'static str {
        match self {
            BatchNormOp::Moments => "BatchNormMoments",
            BatchNormOp::MomentsGrad => "BatchNormMomentsGrad",
            BatchNormOp::Training { .. } => "FusedBatchNorm",
            BatchNormOp::GradSums { .. } => "FusedBatchNormGradSums",
            BatchNormOp::GradInput { .. } => "FusedBatchNormGradInput",
            BatchNormOp::LayerNorm { .. } => "LayerNorm",
            BatchNormOp::LayerNormGradSums { .. } => "LayerNormGradSums",
            BatchNormOp::LayerNormGradInput { .. } => "LayerNormGradInput",
        }
    }

    pub fn arity(&self) -> usize {
        match self {
            BatchNormOp::Moments => 1,
            BatchNormOp::LayerNormGradSums { .. } => 2,
            BatchNormOp::MomentsGrad
            | BatchNormOp::GradSums { .. }
            | BatchNormOp::LayerNorm { .. }
            | BatchNormOp::LayerNormGradInput { .. } => 3,
            BatchNormOp::Training { .. } => 4,
            BatchNormOp::GradInput { .. } => 5,
        }
    }

    /// Which inputs a gradient flows into: `Training`'s moments input is accounted for by its own rule.
    pub fn differentiable_inputs(&self) -> Vec<bool> {
        match self {
            BatchNormOp::Training { .. } => vec![true, false, true, true],
            other => vec![true; other.arity()],
        }
    }
}

/// The channel count of each input, in the order the op's inputs are checked: `x`-like tensors give
/// their last axis, `[2, C]` moments or sums their second, `[C]` parameters their only one.
fn channels(what: &str, s: &Shape, layout: Layout) -> Result<Dim> {
    let Some(dims) = &s.dims else { return Ok(None) };
    let ok = match layout {
        Layout::Activations => !dims.is_empty(),
        Layout::Packed => dims.len() == 2 && dims[0].is_none_or(|d| d == 2),
        Layout::Vector => dims.len() == 1,
    };
    if !ok {
        let expected = match layout {
            Layout::Activations => "a tensor of rank >= 1 with channels last",
            Layout::Packed => "a [2, channels] tensor",
            Layout::Vector => "a [channels] vector",
        };
        return Err(Error::invalid(format!(
            "batch normalization's {what} must be {expected}, received shape {s}"
        )));
    }
    Ok(*dims.last().expect("checked non-empty"))
}

#[derive(Clone, Copy)]
enum Layout {
    Activations,
    Packed,
    Vector,
}

/// The output shape and dtype of `op` on inputs of the given shapes and dtypes.
pub(crate) fn infer(op: &BatchNormOp, inputs: &[(&Shape, DType)]) -> Result<(Shape, DType)> {
    let name = op.type_name();
    if inputs.len() != op.arity() {
        return Err(Error::invalid(format!(
            "{name} expects {} inputs, received {}",
            op.arity(),
            inputs.len()
        )));
    }
    let d = inputs[0].1;
    // float16 runs on float32 copies (`kernels::half_precision`).
    if !d.is_float() {
        return Err(Error::dtype(format!("{name} expects float16, float32 or float64 values, received {d}")));
    }
    if let Some(&(_, other)) = inputs.iter().find(|(_, t)| *t != d) {
        return Err(Error::dtype(format!("{name} expects inputs of one dtype, received {d} and {other}")));
    }
    use Layout::*;
    let (roles, like): (&[(&str, Layout)], usize) = match op {
        BatchNormOp::Moments => (&[("input", Activations)], usize::MAX),
        BatchNormOp::MomentsGrad => (&[("input", Activations), ("moments", Packed), ("gradient", Packed)], 0),
        BatchNormOp::Training { .. } => {
            (&[("input", Activations), ("moments", Packed), ("scale", Vector), ("offset", Vector)], 0)
        }
        BatchNormOp::GradSums { .. } => {
            (&[("gradient", Activations), ("input", Activations), ("moments", Packed)], usize::MAX)
        }
        BatchNormOp::LayerNorm { .. } => {
            (&[("input", Activations), ("scale", Vector), ("offset", Vector)], 0)
        }
        BatchNormOp::LayerNormGradSums { .. } => {
            (&[("gradient", Activations), ("input", Activations)], usize::MAX)
        }
        BatchNormOp::LayerNormGradInput { .. } => {
            (&[("gradient", Activations), ("input", Activations), ("scale", Vector)], 1)
        }
        BatchNormOp::GradInput { .. } => (
            &[
                ("gradient", Activations),
                ("input", Activations),
                ("moments", Packed),
                ("scale", Vector),
                ("sums", Packed),
            ],
            1,
        ),
    };
    let mut known: Dim = None;
    for (&(what, layout), &(s, _)) in roles.iter().zip(inputs) {
        if let Some(c) = channels(what, s, layout)? {
            if known.is_some_and(|k| k != c) {
                return Err(Error::invalid(format!(
                    "{name}: the {what} has {c} channels where the other inputs have {}",
                    known.unwrap_or(0)
                )));
            }
            known = Some(c);
        }
    }
    if matches!(
        op,
        BatchNormOp::GradSums { .. }
            | BatchNormOp::GradInput { .. }
            | BatchNormOp::LayerNormGradSums { .. }
            | BatchNormOp::LayerNormGradInput { .. }
    ) {
        let (a, b) = (inputs[0].0, inputs[1].0);
        if a.merge(b).is_err() {
            return Err(Error::invalid(format!(
                "{name}: the gradient's shape {a} differs from the input's {b}"
            )));
        }
    }
    Ok(if like == usize::MAX {
        (Shape::from_dims(vec![Some(2), known]), d)
    } else {
        (inputs[like].0.clone(), d)
    })
}
