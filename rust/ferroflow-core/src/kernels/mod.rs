//! CPU kernels: `compute` evaluates one op on concrete input tensors; each op family lives in its own file.

pub mod batch_norm;
pub mod bitwise;
pub mod complex;
pub mod conv;
mod conv_direct;
mod conv_winograd;
mod decompositions;
mod dropout_simd;
pub mod elementwise;
pub mod fast_math;
pub mod fft;
pub mod fill;
pub mod fused_adam;
pub mod fused_dense;
pub mod half_precision;
pub mod in_place;
mod layer_norm;
pub mod layout;
pub mod lstm_cell;
#[cfg(target_arch = "x86_64")]
mod lstm_cell_avx2;
#[cfg(target_arch = "x86_64")]
mod lstm_cell_avx512;
pub mod lstm_sequence;
mod lstm_sequence_backward;
pub mod matmul;
pub mod matmul_narrow;
mod matmul_split_k;
pub mod nn;
pub mod optim;
mod packed_weight_avx2;
pub mod pool;
pub mod random;
pub mod range;
pub mod reduce;
mod relu_in_place;
pub mod resize;
pub mod resize_weights;
mod sequence_product;
pub mod shape_ops;
pub mod simd;
pub mod skinny;
mod skinny_avx2;
mod softmax_grad;
pub mod sort;
mod special;
pub mod strings;
pub mod write_row;

use crate::error::{Error, Result};
use crate::op::Op;
use crate::tensor::Tensor;

/// Evaluates `op` on `inputs`. Inputs have already passed shape and dtype inference, but kernels
/// still return errors (never panic) on anything that only shows at run time, such as label values.
pub fn compute(op: &Op, inputs: &[Tensor]) -> Result<Tensor> {
    if let Some(result) = half_precision::compute(op, inputs) {
        return result;
    }
    match op {
        Op::Const(t) => Ok(t.clone()),
        Op::Placeholder { .. } => {
            Err(Error::precondition("a placeholder was not fed: pass its value in feed_dict".to_string()))
        }
        Op::ReadVariable(var) => var.read(),
        Op::Assign { var, kind } => {
            let new = match kind {
                crate::op::AssignKind::Set => inputs[0].clone(),
                crate::op::AssignKind::Add => {
                    elementwise::binary(crate::op::BinaryOp::Add, &var.read()?, &inputs[0])?
                }
                crate::op::AssignKind::Sub => {
                    elementwise::binary(crate::op::BinaryOp::Sub, &var.read()?, &inputs[0])?
                }
            };
            var.write(new.clone())?;
            Ok(new)
        }
        Op::Group => Tensor::zeros(crate::DType::F32, &[0]),
        Op::ApplyAdam { var, m, v, beta_1, beta_2, epsilon } => {
            optim::apply_adam(var, m, v, &inputs[0], &inputs[1], (*beta_1, *beta_2, *epsilon))
        }
        Op::ApplyAdagrad { var, acc, epsilon } => {
            optim::apply_adagrad(var, acc, &inputs[0], &inputs[1], *epsilon)
        }
        Op::ApplySgd { var, m, momentum, nesterov } => {
            optim::apply_sgd(var, m.as_ref(), &inputs[0], &inputs[1], *momentum, *nesterov)
        }
        Op::RandomLike { dist, seed, dtype, counter, stateless } => {
            let step = if *stateless {
                counter.load(std::sync::atomic::Ordering::Relaxed)
            } else {
                counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            };
            random::random(*dist, *dtype, inputs[0].shape(), *seed, step)
        }
        Op::DropoutMask { rate, seed, dtype, counter } => {
            let step = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            random::dropout_mask(*dtype, inputs[0].shape(), *rate, *seed, step)
        }
        Op::MatMul { transpose_a, transpose_b } if complex::is_complex(&inputs[0]) => {
            complex::matmul(&inputs[0], &inputs[1], *transpose_a, *transpose_b)
        }
        Op::Reduce { op, axes, keepdims } if complex::is_complex(&inputs[0]) => {
            complex::reduce(*op, &inputs[0], axes.as_deref(), *keepdims)
        }
        // Linear in their first input: part by part.
        Op::UnreduceLike { axes, keepdims } if complex::is_complex(&inputs[0]) => {
            complex::per_part(&inputs[0], |p| {
                reduce::unreduce_like(p, &inputs[1], axes.as_deref(), *keepdims)
            })
        }
        Op::ReduceToShapeOf if complex::is_complex(&inputs[0]) => {
            complex::per_part(&inputs[0], |p| reduce::reduce_to_shape(p, inputs[1].shape()))
        }
        Op::Unary(u) => elementwise::unary(*u, &inputs[0]),
        Op::Binary(b) => elementwise::binary(*b, &inputs[0], &inputs[1]),
        Op::Compare(c) => elementwise::compare(*c, &inputs[0], &inputs[1]),
        Op::Select => elementwise::select(&inputs[0], &inputs[1], &inputs[2]),
        Op::Cast(d) => elementwise::cast(&inputs[0], *d),
        Op::FillLike { value, dtype } => {
            Tensor::full(dtype.unwrap_or(inputs[0].dtype()), inputs[0].shape(), *value)
        }
        Op::Identity | Op::StopGradient | Op::AfterControls => Ok(inputs[0].clone()),
        Op::ReluGrad => elementwise::relu_grad(&inputs[0], &inputs[1]),
        Op::SoftmaxGrad => softmax_grad::softmax_grad(&inputs[0], &inputs[1]),
        Op::EnsureShape { dims } => shape_ops::ensure_shape(&inputs[0], dims),
        Op::CheckNumerics { message } => crate::numerics::check_numerics(&inputs[0], message),
        Op::MatMul { transpose_a, transpose_b } => {
            matmul::matmul(&inputs[0], &inputs[1], *transpose_a, *transpose_b)
        }
        Op::Reduce { op, axes, keepdims } => reduce::reduce(*op, &inputs[0], axes.as_deref(), *keepdims),
        Op::ArgMax { axis, output_type } => reduce::arg_extreme(&inputs[0], *axis, *output_type, true),
        Op::ArgMin { axis, output_type } => reduce::arg_extreme(&inputs[0], *axis, *output_type, false),
        Op::UnreduceLike { axes, keepdims } => {
            reduce::unreduce_like(&inputs[0], &inputs[1], axes.as_deref(), *keepdims)
        }
        Op::ReduceToShapeOf => reduce::reduce_to_shape(&inputs[0], inputs[1].shape()),
        Op::Reshape { shape } => shape_ops::reshape(&inputs[0], shape),
        Op::ReshapeLike => shape_ops::reshape_to(&inputs[0], inputs[1].shape()),
        Op::Transpose { perm } => shape_ops::transpose(&inputs[0], perm.as_deref()),
        Op::ExpandDims { axis } => shape_ops::expand_dims(&inputs[0], *axis),
        Op::Squeeze { axes } => shape_ops::squeeze(&inputs[0], axes.as_deref()),
        Op::BroadcastTo { shape } => shape_ops::broadcast_to(&inputs[0], shape),
        Op::BroadcastLike => shape_ops::broadcast_to(&inputs[0], inputs[1].shape()),
        Op::Concat { axis } => shape_ops::concat(inputs, *axis),
        Op::ConcatSplit { axis, index } => shape_ops::concat_split(&inputs[0], &inputs[1..], *axis, *index),
        Op::StridedSlice { specs } => shape_ops::strided_slice(&inputs[0], specs),
        Op::Fill => fill::fill(&inputs[0], &inputs[1]),
        Op::Range { dtype } => range::range(&inputs[0], &inputs[1], &inputs[2], *dtype),
        Op::Resize { height, width, method, antialias } => {
            resize::resize(&inputs[0], [*height, *width], *method, *antialias)
        }
        Op::ResizeGrad { method, antialias } => {
            resize::resize_grad(&inputs[0], inputs[1].shape(), *method, *antialias)
        }
        Op::StridedSliceGrad { specs } => shape_ops::strided_slice_grad(&inputs[0], inputs[1].shape(), specs),
        Op::Gather { axis } => shape_ops::gather(&inputs[0], &inputs[1], *axis),
        Op::WriteRow => write_row::write_row(&inputs[0], &inputs[1], &inputs[2]),
        Op::LstmCell => lstm_cell::lstm_cell(&inputs[0], &inputs[1]),
        Op::LstmCellGrad { wrt_state } => {
            lstm_cell::lstm_cell_grad(&inputs[0], &inputs[1], &inputs[2], *wrt_state)
        }
        Op::LstmSequence { inference } => {
            lstm_sequence::lstm_sequence(&inputs[0], &inputs[1], &inputs[2], &inputs[3], !*inference)
        }
        Op::LstmSequenceGrad { with_states } => lstm_sequence::lstm_sequence_grad(inputs, *with_states),
        Op::LstmSequenceWeightGrad => {
            lstm_sequence::lstm_sequence_weight_grad(&inputs[0], &inputs[1], &inputs[2])
        }
        Op::ArgSort { descending } => sort::argsort(&inputs[0], *descending),
        Op::Unique { positions, out_idx } => sort::unique(&inputs[0], *positions, *out_idx),
        Op::GatherGrad { axis } => shape_ops::gather_grad(&inputs[0], &inputs[1], inputs[2].shape(), *axis),
        Op::OneHot { depth, on_value, off_value, axis, dtype } => {
            shape_ops::one_hot(&inputs[0], *depth, *on_value, *off_value, *axis, *dtype)
        }
        Op::ShapeOf { out_type } => shape_ops::shape_of(&inputs[0], *out_type),
        Op::Softmax { axis } => nn::softmax(&inputs[0], *axis, false),
        Op::LogSoftmax { axis } => nn::softmax(&inputs[0], *axis, true),
        Op::SparseSoftmaxCrossEntropy => nn::sparse_softmax_cross_entropy(&inputs[0], &inputs[1]),
        Op::SoftmaxCrossEntropy => nn::softmax_cross_entropy(&inputs[0], &inputs[1]),
        Op::Strings(s) => strings::compute(s, inputs),
        Op::Conv(c) => compute_conv(c, inputs),
        Op::BatchNorm(b) => batch_norm::compute(b, inputs),
        Op::Complex(c) => compute_complex(c, inputs),
        Op::Eigh => decompositions::eigh(&inputs[0]),
        Op::EighGrad => decompositions::grad::eigh_grad(&inputs[0], &inputs[1]),
        Op::Svd => decompositions::svd(&inputs[0]),
        Op::Control(c) => Err(Error::internal(format!(
            "a {} node runs only as a step of a graph's plan, not on its own",
            c.type_name()
        ))),
        Op::SvdGrad => decompositions::grad::svd_grad(&inputs[0], &inputs[1], &inputs[2]),
    }
}

fn compute_complex(op: &crate::complex_op::ComplexOp, inputs: &[Tensor]) -> Result<Tensor> {
    use crate::complex_op::ComplexOp;
    let x = &inputs[0];
    match op {
        ComplexOp::Make => complex::make(x, &inputs[1]),
        ComplexOp::Real => complex::real(x),
        ComplexOp::Imag => complex::imag(x),
        ComplexOp::Conj => complex::conj(x),
        ComplexOp::Angle => complex::angle(x),
        ComplexOp::Abs => complex::abs(x),
        ComplexOp::Fft { rank, inverse } => fft::fft(x, *rank, *inverse),
        ComplexOp::Rfft { lengths } => fft::rfft(x, lengths),
        ComplexOp::Irfft { lengths } => fft::irfft(x, lengths),
        ComplexOp::RfftGrad { lengths } => fft::rfft_grad(x, &inputs[1], lengths),
        ComplexOp::IrfftGrad { lengths } => fft::irfft_grad(x, &inputs[1], lengths),
    }
}

fn compute_conv(op: &crate::conv_op::ConvOp, inputs: &[Tensor]) -> Result<Tensor> {
    use crate::conv_op::ConvOp;
    match op {
        ConvOp::Conv2D(w) => conv::conv2d(&inputs[0], &inputs[1], w),
        ConvOp::Conv2DBackpropInput(w) => {
            conv::conv2d_backprop_input(&inputs[0], &inputs[1], &conv::input_sizes(&inputs[2])?, w)
        }
        ConvOp::Conv2DBackpropFilter(w) => {
            conv::conv2d_backprop_filter(&inputs[0], &inputs[1], inputs[2].shape(), w)
        }
        ConvOp::Pool { kind, size, window } => pool::pool2d(&inputs[0], *kind, *size, window),
        ConvOp::PoolGrad { kind, size, window } => {
            pool::pool2d_grad(&inputs[0], &inputs[1], *kind, *size, window)
        }
        ConvOp::MaxPoolGradGrad { size, window } => {
            pool::max_pool2d_grad_grad(&inputs[0], &inputs[1], *size, window)
        }
    }
}
