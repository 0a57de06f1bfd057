//! Convolution and pooling of NHWC images: the attributes of one `Op::Conv` node, their geometry and shape rules.
//!
//! Images are `[batch, height, width, channels]` and filters `[kh, kw, in_channels / groups, out_channels]`
//! (TensorFlow's layouts); NCHW, 1-D and 3-D forms are built from these by the Python side. SAME padding is
//! resolved against the size an image has when the op runs, so an unknown height or width is fine.

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::shape::{Dim, Shape};

/// How the borders are padded: not at all, to keep `ceil(size / stride)` outputs, or by given amounts
/// `[[top, bottom], [left, right]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Padding {
    Valid,
    Same,
    Explicit([[usize; 2]; 2]),
}

/// Where a filter or pooling window visits: strides, dilations and padding along height and width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub strides: [usize; 2],
    pub dilations: [usize; 2],
    pub padding: Padding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolKind {
    Max,
    Avg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConvOp {
    /// `tf.nn.conv2d`: inputs are the images and the filter.
    Conv2D(Window),
    /// The gradient of `Conv2D` with respect to its images (and `conv2d_transpose`): inputs are the output
    /// gradient, the filter and the images' size, as TensorFlow's `input_sizes` (an int32 or int64 vector of
    /// four values, known when the graph runs) or as a float tensor of that shape.
    Conv2DBackpropInput(Window),
    /// The gradient of `Conv2D` with respect to its filter: inputs are the images, the output gradient and
    /// the filter (read for its shape).
    Conv2DBackpropFilter(Window),
    /// `tf.nn.max_pool2d` / `avg_pool2d` with a `size` window: input is the images.
    Pool { kind: PoolKind, size: [usize; 2], window: Window },
    /// The gradient of `Pool`: inputs are the output gradient and the images.
    PoolGrad { kind: PoolKind, size: [usize; 2], window: Window },
    /// The gradient of max pooling's `PoolGrad` with respect to its output gradient: inputs are that
    /// gradient (shaped like the images) and the images; the output has the pooled shape.
    MaxPoolGradGrad { size: [usize; 2], window: Window },
}

impl ConvOp {
    pub fn type_name(&self) -> &'static str {
        match self {
            ConvOp::Conv2D(_) => "Conv2D",
            ConvOp::Conv2DBackpropInput(_) => "Conv2DBackpropInput",
            ConvOp::Conv2DBackpropFilter(_) => "Conv2DBackpropFilter",
            ConvOp::Pool { kind: PoolKind::Max, .. } => "MaxPool",
            ConvOp::Pool { kind: PoolKind::Avg, .. } => "AvgPool",
            ConvOp::PoolGrad { kind: PoolKind::Max, .. } => "MaxPoolGrad",
            ConvOp::PoolGrad { kind: PoolKind::Avg, .. } => "AvgPoolGrad",
            ConvOp::MaxPoolGradGrad { .. } => "MaxPoolGradGrad",
        }
    }

    pub fn arity(&self) -> usize {
        match self {
            ConvOp::Pool { .. } => 1,
            ConvOp::Conv2D(_) | ConvOp::PoolGrad { .. } | ConvOp::MaxPoolGradGrad { .. } => 2,
            ConvOp::Conv2DBackpropInput(_) | ConvOp::Conv2DBackpropFilter(_) => 3,
        }
    }

    /// Which inputs a gradient flows into (the ones read for their shape never receive one).
    pub fn differentiable_inputs(&self) -> Vec<bool> {
        match self {
            ConvOp::Conv2D(_) => vec![true, true],
            ConvOp::Conv2DBackpropInput(_) | ConvOp::Conv2DBackpropFilter(_) => vec![true, true, false],
            ConvOp::Pool { .. } => vec![true],
            ConvOp::PoolGrad { .. } | ConvOp::MaxPoolGradGrad { .. } => vec![true, false],
        }
    }
}

/// The output size along one axis and the padding before its first element, for an input of `input`
/// elements and a window of `kernel` taps.
pub fn axis_geometry(
    input: usize,
    kernel: usize,
    stride: usize,
    dilation: usize,
    padding: Padding,
    axis: usize,
) -> Result<(usize, usize)> {
    let span = (kernel.max(1) - 1) * dilation + 1;
    let (padded, before) = match padding {
        Padding::Valid => (input, 0),
        Padding::Same => {
            let out = input.div_ceil(stride);
            let total = ((out.max(1) - 1) * stride + span).saturating_sub(input);
            return Ok((out, total / 2));
        }
        Padding::Explicit(p) => (input + p[axis][0] + p[axis][1], p[axis][0]),
    };
    if padded < span {
        let which = ["height", "width"][axis];
        return Err(Error::invalid(format!(
            "Computed output size would be negative: the {which} {padded} (padding included) is smaller than the \
             window's extent {span}"
        )));
    }
    Ok(((padded - span) / stride + 1, before))
}

fn check_window(w: &Window) -> Result<()> {
    if w.strides.contains(&0) || w.dilations.contains(&0) {
        return Err(Error::invalid(format!(
            "strides and dilations must be positive, received strides {:?} and dilations {:?}",
            w.strides, w.dilations
        )));
    }
    if w.strides.iter().any(|&s| s > 1) && w.dilations.iter().any(|&d| d > 1) {
        return Err(Error::invalid(
            "strides > 1 together with dilations > 1 are not supported (as in TensorFlow's conv2d)",
        ));
    }
    Ok(())
}

fn dims4(s: &Shape, what: &str) -> Result<[Dim; 4]> {
    match &s.dims {
        None => Ok([None; 4]),
        Some(d) if d.len() == 4 => Ok([d[0], d[1], d[2], d[3]]),
        Some(_) => Err(Error::invalid(format!("{what} must be 4-dimensional, received shape {s}"))),
    }
}

fn out_dim(
    input: Dim,
    kernel: Dim,
    stride: usize,
    dilation: usize,
    padding: Padding,
    axis: usize,
) -> Result<Dim> {
    match (input, kernel) {
        (Some(i), Some(k)) => Ok(Some(axis_geometry(i, k, stride, dilation, padding, axis)?.0)),
        (Some(i), None) if padding == Padding::Same => Ok(Some(i.div_ceil(stride))),
        _ => Ok(None),
    }
}

/// float16 passes too: the kernels run on float32 copies of it (`kernels::half_precision`).
fn require_float(what: &str, d: DType) -> Result<()> {
    if d.is_float() {
        Ok(())
    } else {
        Err(Error::dtype(format!("{what} expects float16, float32 or float64 values, received {d}")))
    }
}

/// The output shape and dtype of `op` on inputs of the given shapes and dtypes.
pub(crate) fn infer(op: &ConvOp, inputs: &[(&Shape, DType)]) -> Result<(Shape, DType)> {
    let name = op.type_name();
    if inputs.len() != op.arity() {
        return Err(Error::invalid(format!(
            "{name} expects {} inputs, received {}",
            op.arity(),
            inputs.len()
        )));
    }
    // The size input of Conv2DBackpropInput may be an integer vector; every other input is a float tensor.
    let sized_by_vector = matches!(op, ConvOp::Conv2DBackpropInput(_)) && inputs[2].1.is_index();
    let values = if sized_by_vector { &inputs[..2] } else { inputs };
    for &(_, d) in values {
        require_float(name, d)?;
    }
    if values.iter().any(|&(_, d)| d != values[0].1) {
        let list: Vec<String> = values.iter().map(|(_, d)| d.to_string()).collect();
        return Err(Error::dtype(format!(
            "{name} expects inputs of one dtype, received {}",
            list.join(", ")
        )));
    }
    let d = inputs[0].1;
    match op {
        ConvOp::Conv2D(w) => {
            check_window(w)?;
            let [n, h, wd, c] = dims4(inputs[0].0, "conv2d input")?;
            let [kh, kw, cin, cout] = dims4(inputs[1].0, "conv2d filter")?;
            if let (Some(c), Some(cin), Some(cout)) = (c, cin, cout) {
                if cin == 0 || c % cin != 0 || cout % (c / cin).max(1) != 0 {
                    return Err(Error::invalid(format!(
                        "conv2d: the input depth {c} must be a multiple of the filter's input depth {cin}, and the \
                         filter's output depth {cout} a multiple of the number of groups {}",
                        c.checked_div(cin).unwrap_or(0)
                    )));
                }
            }
            let oh = out_dim(h, kh, w.strides[0], w.dilations[0], w.padding, 0)?;
            let ow = out_dim(wd, kw, w.strides[1], w.dilations[1], w.padding, 1)?;
            Ok((Shape::from_dims(vec![n, oh, ow, cout]), d))
        }
        ConvOp::Conv2DBackpropInput(w) if sized_by_vector => {
            check_window(w)?;
            if inputs[2].0.dims.as_ref().is_some_and(|v| v.len() != 1 || v[0].is_some_and(|n| n != 4)) {
                return Err(Error::invalid(format!(
                    "conv2d_backprop_input expects input_sizes of four values, received shape {}",
                    inputs[2].0
                )));
            }
            Ok((Shape::from_dims(vec![None; 4]), d)) // the values arrive when the graph runs
        }
        ConvOp::Conv2DBackpropInput(w) | ConvOp::Conv2DBackpropFilter(w) => {
            check_window(w)?;
            Ok((inputs[2].0.clone(), d))
        }
        ConvOp::Pool { size, window, .. } | ConvOp::MaxPoolGradGrad { size, window } => {
            check_window(window)?;
            if size.contains(&0) {
                return Err(Error::invalid(format!(
                    "the pooling window must be positive, received {size:?}"
                )));
            }
            let images = if matches!(op, ConvOp::MaxPoolGradGrad { .. }) { inputs[1].0 } else { inputs[0].0 };
            let [n, h, wd, c] = dims4(images, "pooling input")?;
            let oh = out_dim(h, Some(size[0]), window.strides[0], 1, window.padding, 0)?;
            let ow = out_dim(wd, Some(size[1]), window.strides[1], 1, window.padding, 1)?;
            Ok((Shape::from_dims(vec![n, oh, ow, c]), d))
        }
        ConvOp::PoolGrad { .. } => Ok((inputs[1].0.clone(), d)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_padding_keeps_ceil_of_size_over_stride_with_the_extra_pad_after() {
        // TensorFlow: 5 inputs, 3 taps, stride 2 -> 3 outputs, total pad 2 (1 before, 1 after).
        assert_eq!(axis_geometry(5, 3, 2, 1, Padding::Same, 0).unwrap(), (3, 1));
        // 6 inputs, 3 taps, stride 2 -> 3 outputs, total pad 1: 0 before, 1 after.
        assert_eq!(axis_geometry(6, 3, 2, 1, Padding::Same, 0).unwrap(), (3, 0));
        // dilation 2 widens 3 taps to 5
        assert_eq!(axis_geometry(7, 3, 1, 2, Padding::Same, 1).unwrap(), (7, 2));
    }

    #[test]
    fn valid_and_explicit_padding() {
        assert_eq!(axis_geometry(28, 3, 1, 1, Padding::Valid, 0).unwrap(), (26, 0));
        assert_eq!(axis_geometry(7, 2, 2, 1, Padding::Valid, 0).unwrap(), (3, 0));
        assert_eq!(axis_geometry(5, 3, 1, 1, Padding::Explicit([[2, 1], [0, 0]]), 0).unwrap(), (6, 2));
        assert!(axis_geometry(2, 3, 1, 1, Padding::Valid, 0).is_err());
    }
}
