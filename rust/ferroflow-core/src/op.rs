//! The primitive operations: one enum shared by graph building, eager execution and gradient rules.

use crate::dtype::DType;
use crate::shape::Shape;
use crate::tensor::Tensor;
use crate::variable::VarHandle;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Exp,
    Log,
    Sqrt,
    Rsqrt,
    Square,
    Abs,
    Sign,
    Tanh,
    Sigmoid,
    Relu,
    Reciprocal,
    Floor,
    Ceil,
    Round,
    Sin,
    Cos,
    Log1p,
    Expm1,
    Softplus,
    LogicalNot,
    // Computed in f64 by `kernels::special`.
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Asinh,
    Acosh,
    Atanh,
    Erf,
    Erfc,
    Erfinv,
    Lgamma,
    Digamma,
    /// The derivative of digamma (polygamma of order 1); it has no gradient itself.
    Trigamma,
    /// `~x` of an integer tensor (TensorFlow's `Invert`).
    Invert,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    Maximum,
    Minimum,
    LogicalAnd,
    LogicalOr,
    /// atan2(y, x): the angle of the point (x, y), from input 0 = y and input 1 = x.
    Atan2,
    /// Bitwise ops of integer tensors (`kernels::bitwise`); shifts clamp the amount to [0, bits - 1].
    BitwiseAnd,
    BitwiseOr,
    BitwiseXor,
    LeftShift,
    RightShift,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReduceOp {
    Sum,
    Mean,
    Max,
    Min,
    Prod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignKind {
    Set,
    Add,
    Sub,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distribution {
    /// Uniform on [0, 1).
    Uniform,
    /// Standard normal.
    Normal,
}

/// One component of a Python subscript (`x[1, :3, ..., None]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SliceSpec {
    Index(i64),
    Range { start: Option<i64>, stop: Option<i64>, step: i64 },
    NewAxis,
    Ellipsis,
}

/// A primitive operation with its attributes. Every node of a graph holds one.
#[derive(Debug, Clone)]
pub enum Op {
    // -- sources
    /// A value baked into the graph.
    Const(Tensor),
    /// A value supplied at run time through a feed.
    Placeholder {
        dtype: DType,
        shape: Shape,
    },
    /// Reads a variable's current value.
    ReadVariable(VarHandle),
    /// Writes input 0 into the variable (set, add or subtract) and outputs the new value.
    Assign {
        var: VarHandle,
        kind: AssignKind,
    },
    /// Random numbers with the shape of input 0; `counter` advances on every run so each step differs
    /// while the sequence stays a pure function of `seed`. A `stateless` op (`tf.random.stateless_*`)
    /// never advances it: every run gives the same numbers.
    RandomLike {
        dist: Distribution,
        seed: u64,
        dtype: DType,
        counter: Arc<AtomicU64>,
        stateless: bool,
    },
    /// Inverted dropout's scaled keep-mask shaped like input 0 (`1/(1-rate)` or 0), from the same stream as
    /// a `RandomLike` uniform with this seed; `counter` advances on every run.
    DropoutMask {
        rate: f64,
        seed: u64,
        dtype: DType,
        counter: Arc<AtomicU64>,
    },
    /// Fused Adam step (Keras's form) on `var` with slots `m` and `v`, in place. Inputs: gradient, then
    /// the step size `alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)` as a scalar. Outputs an empty tensor.
    ApplyAdam {
        var: VarHandle,
        m: VarHandle,
        v: VarHandle,
        beta_1: f64,
        beta_2: f64,
        epsilon: f64,
    },
    /// Fused SGD step in place: without momentum `var -= lr * g`; with it (slot `m`) Keras's
    /// `m = momentum * m - lr * g; var += m` (Nesterov: `var += momentum * m - lr * g`). Inputs: gradient, lr.
    ApplySgd {
        var: VarHandle,
        m: Option<VarHandle>,
        momentum: f64,
        nesterov: bool,
    },
    /// Fused Adagrad step in place, Keras's form: `acc += g^2; var -= lr * g / sqrt(acc + epsilon)` (TF1's
    /// `AdagradOptimizer` is `epsilon = 0`). Inputs: gradient, lr. Outputs an empty tensor.
    ApplyAdagrad {
        var: VarHandle,
        acc: VarHandle,
        epsilon: f64,
    },
    /// Runs all inputs for their effects and outputs an empty float32 tensor (`tf.group`, `minimize`).
    Group,
    /// Input 0 unchanged, once the other inputs have run (`tf.control_dependencies`): a consumer of the
    /// output pulls the control inputs into every plan that needs it.
    AfterControls,

    // -- elementwise
    Unary(UnaryOp),
    Binary(BinaryOp),
    Compare(CompareOp),
    /// `where(cond, x, y)` with broadcasting.
    Select,
    Cast(DType),
    /// A tensor shaped like input 0 filled with `value` (zeros_like, ones_like).
    FillLike {
        value: f64,
        dtype: Option<DType>,
    },
    Identity,
    /// Gradient of `Relu`: input 0 (the incoming gradient) where input 1 (the relu's input) is positive,
    /// else 0, in one pass instead of a comparison, a fill and a select.
    ReluGrad,
    /// Identity forward and backward; fails when input 0 holds NaN or Inf (`tf.debugging.check_numerics`).
    CheckNumerics {
        message: String,
    },
    /// Identity forward, zero gradient.
    StopGradient,
    /// Identity forward and backward, with a static shape refined to `dims` (None: any size); fails when the
    /// value's shape does not fit them (`tf.ensure_shape`).
    EnsureShape {
        dims: Vec<Option<usize>>,
    },

    // -- linear algebra
    /// Matrix product over the last two axes; leading axes broadcast.
    MatMul {
        transpose_a: bool,
        transpose_b: bool,
    },

    /// A `tf.strings` / `tf.io` op on string tensors (or producing them); none has a gradient.
    Strings(crate::string_op::StringOp),

    // -- reductions
    Reduce {
        op: ReduceOp,
        axes: Option<Vec<i64>>,
        keepdims: bool,
    },
    ArgMax {
        axis: i64,
        output_type: DType,
    },
    ArgMin {
        axis: i64,
        output_type: DType,
    },
    /// Gradient helper: reshapes input 0 (the gradient of a reduction of input 1 over `axes`) to the
    /// reduced-with-keepdims shape and broadcasts it to input 1's shape.
    UnreduceLike {
        axes: Option<Vec<i64>>,
        keepdims: bool,
    },
    /// Gradient helper: sums input 0 over the axes along which input 1 was broadcast, giving input 1's shape.
    ReduceToShapeOf,

    // -- shapes
    /// Reshape to a static target; one entry may be -1.
    Reshape {
        shape: Vec<i64>,
    },
    /// Reshape input 0 to input 1's run-time shape.
    ReshapeLike,
    Transpose {
        perm: Option<Vec<usize>>,
    },
    ExpandDims {
        axis: i64,
    },
    Squeeze {
        axes: Option<Vec<i64>>,
    },
    /// Broadcast input 0 to a static shape.
    BroadcastTo {
        shape: Vec<usize>,
    },
    /// Broadcast input 0 to input 1's run-time shape.
    BroadcastLike,
    Concat {
        axis: i64,
    },
    /// Gradient of `Concat`: input 0 is the gradient of the concatenation, inputs 1.. are the original
    /// concat inputs; outputs the part of input 0 that belongs to original input `index`.
    ConcatSplit {
        axis: i64,
        index: usize,
    },
    StridedSlice {
        specs: Vec<SliceSpec>,
    },
    /// Gradient of `StridedSlice`: scatters input 0 into zeros shaped like input 1.
    StridedSliceGrad {
        specs: Vec<SliceSpec>,
    },
    /// `tf.image.resize` of `[n, h, w, c]` images to `[n, height, width, c]`; the input size is read at run time.
    Resize {
        height: usize,
        width: usize,
        method: crate::kernels::resize_weights::ResizeMethod,
        antialias: bool,
    },
    /// Gradient of `Resize`: input 0 (the gradient of the resized images) spread back onto images shaped like
    /// input 1.
    ResizeGrad {
        method: crate::kernels::resize_weights::ResizeMethod,
        antialias: bool,
    },
    /// Convolution and pooling of NHWC images, and their gradients.
    Conv(crate::conv_op::ConvOp),
    /// Batch normalization over every axis but the last, and its gradients.
    BatchNorm(crate::batch_norm_op::BatchNormOp),
    Complex(crate::complex_op::ComplexOp),
    /// `tf.fill(dims, value)`: input 0 the 1-D integer shape, known only when the graph runs, input 1 the
    /// scalar every element takes. Fills of a static shape are constants instead.
    Fill,
    /// `tf.range(start, limit, delta)` from three scalar inputs known only when the graph runs.
    Range {
        dtype: DType,
    },
    /// `tf.gather(params, indices, axis)`.
    Gather {
        axis: i64,
    },
    /// Input 0 (`[n, ...]`) with row input 1 (a scalar index) replaced by input 2: a `TensorArray` write.
    WriteRow,
    /// One fused LSTM step: inputs the pre-activations `[batch, 4 units]` (gates i, f, c, o) and the state
    /// `[batch, units]`; output `[h | c']` (`[batch, 2 units]`). Sigmoid gates, tanh cell (Keras's defaults).
    LstmCell,
    /// The gradient of `LstmCell` (inputs z, c and the gradient of `[h | c']`) for z, or for c (`wrt_state`).
    LstmCellGrad {
        wrt_state: bool,
    },
    /// A whole LSTM sequence (`kernels::lstm_sequence`): inputs the projections `[T, B, 4u]`, `h0`, `c0`
    /// and the recurrent kernel; output `[T, B, 6u]`, per step `[h | c | z]`, or for `inference` `[T, B,
    /// 2u]`, `[h | c]` (the pre-activations are kept only for the backward pass).
    LstmSequence {
        inference: bool,
    },
    /// The backward pass of `LstmSequence`: inputs its four inputs, its output and the gradients of the
    /// output (`[T, B, 6u]`), of every step's `h` (`[T, B, u]`), of the last `h` and of the last `c`
    /// (`[B, u]` each), each of them possibly a scalar standing for a filled tensor; result `[T, B, 4u]`,
    /// each step's pre-activation gradient, then (`with_states`) a row `[dh0 | dc0 | 0]`.
    LstmSequenceGrad {
        with_states: bool,
    },
    /// The recurrent kernel's gradient from `h0`, the `LstmSequence` output and the `LstmSequenceGrad` result.
    LstmSequenceWeightGrad,
    /// The int32 permutation sorting each row (the last axis), ties in input order: behind `tf.sort`,
    /// `tf.argsort` and `tf.math.top_k`, which gather with it.
    ArgSort {
        descending: bool,
    },
    /// `tf.unique` of a 1-D tensor: where each distinct value first appears (int64, `positions`), or each
    /// element's index among the distinct values (`out_idx`).
    Unique {
        positions: bool,
        out_idx: DType,
    },
    /// Gradient of `Gather`: scatters-adds input 0 (at indices input 1) into zeros shaped like input 2.
    GatherGrad {
        axis: i64,
    },
    OneHot {
        depth: usize,
        on_value: f64,
        off_value: f64,
        axis: i64,
        dtype: DType,
    },
    /// `tf.shape(x)` as an int32 (or int64) vector.
    ShapeOf {
        out_type: DType,
    },

    // -- neural network
    Softmax {
        axis: i64,
    },
    LogSoftmax {
        axis: i64,
    },
    /// The gradient of `Softmax` over the last axis, `y * (g - sum(g * y))` per row, from the incoming
    /// gradient (input 0) and the softmax's output (input 1), in one pass (`kernels::softmax_grad`).
    SoftmaxGrad,
    /// Per-example loss from logits (input 0, `[..., classes]`) and integer labels (input 1, `[...]`).
    SparseSoftmaxCrossEntropy,
    /// Per-example loss from logits (input 0) and a probability distribution (input 1), same shape.
    SoftmaxCrossEntropy,

    // -- decompositions (`kernels::decompositions`: outputs packed into one tensor)
    /// Symmetric eigendecomposition of `[..., n, n]` (lower triangle) as `[..., n + 1, n]`.
    Eigh,
    /// The gradient of `Eigh` from its packed output (input 0) and the incoming gradient (input 1).
    EighGrad,
    /// Thin SVD of `[..., m, n]` as `[..., 1 + m + n, min(m, n)]`.
    Svd,
    /// The gradient of `Svd` from its input (0), packed output (1) and the incoming gradient (2).
    SvdGrad,

    // -- control flow (`control_flow`): loops and conditionals over sub-graphs, and their results
    Control(crate::control_flow::ControlOp),
}

impl Op {
    /// The TensorFlow-style op type shown in node names and error messages (`MatMul`, `Add`, ...).
    pub fn type_name(&self) -> String {
        match self {
            Op::Const(_) => "Const".into(),
            Op::Placeholder { .. } => "Placeholder".into(),
            Op::ReadVariable(_) => "ReadVariableOp".into(),
            Op::Assign { kind, .. } => match kind {
                AssignKind::Set => "AssignVariableOp",
                AssignKind::Add => "AssignAddVariableOp",
                AssignKind::Sub => "AssignSubVariableOp",
            }
            .into(),
            Op::RandomLike { dist, .. } => match dist {
                Distribution::Uniform => "RandomUniform",
                Distribution::Normal => "RandomStandardNormal",
            }
            .into(),
            Op::Group => "NoOp".into(),
            Op::AfterControls => "Identity".into(),
            Op::DropoutMask { .. } => "DropoutMask".into(),
            Op::ApplyAdam { .. } => "ResourceApplyAdam".into(),
            Op::ApplySgd { .. } => "ResourceApplyGradientDescent".into(),
            Op::ApplyAdagrad { .. } => "ResourceApplyAdagradV2".into(),
            Op::Unary(u) => format!("{u:?}"),
            Op::Binary(b) => match b {
                BinaryOp::Add => "AddV2".into(),
                BinaryOp::Mul => "Mul".into(),
                BinaryOp::Div => "RealDiv".into(),
                other => format!("{other:?}"),
            },
            Op::Compare(c) => format!("{c:?}"),
            Op::Select => "SelectV2".into(),
            Op::Cast(_) => "Cast".into(),
            Op::FillLike { .. } => "Fill".into(),
            Op::Identity => "Identity".into(),
            Op::CheckNumerics { .. } => "CheckNumerics".into(),
            Op::ReluGrad => "ReluGrad".into(),
            Op::SoftmaxGrad => "SoftmaxGrad".into(),
            Op::StopGradient => "StopGradient".into(),
            Op::EnsureShape { .. } => "EnsureShape".into(),
            Op::MatMul { .. } => "MatMul".into(),
            Op::Strings(s) => s.type_name().into(),
            Op::Conv(c) => c.type_name().into(),
            Op::BatchNorm(b) => b.type_name().into(),
            Op::Complex(c) => c.type_name().into(),
            Op::Reduce { op, .. } => format!("{op:?}"),
            Op::ArgMax { .. } => "ArgMax".into(),
            Op::ArgMin { .. } => "ArgMin".into(),
            Op::UnreduceLike { .. } => "UnreduceLike".into(),
            Op::ReduceToShapeOf => "ReduceToShapeOf".into(),
            Op::Reshape { .. } | Op::ReshapeLike => "Reshape".into(),
            Op::Transpose { .. } => "Transpose".into(),
            Op::ExpandDims { .. } => "ExpandDims".into(),
            Op::Squeeze { .. } => "Squeeze".into(),
            Op::BroadcastTo { .. } | Op::BroadcastLike => "BroadcastTo".into(),
            Op::Concat { .. } => "ConcatV2".into(),
            Op::ConcatSplit { .. } => "Slice".into(),
            Op::StridedSlice { .. } => "StridedSlice".into(),
            Op::StridedSliceGrad { .. } => "StridedSliceGrad".into(),
            Op::Resize { .. } => "Resize".into(),
            Op::Range { .. } => "Range".into(),
            Op::Fill => "Fill".into(),
            Op::ResizeGrad { .. } => "ResizeGrad".into(),
            Op::Gather { .. } => "GatherV2".into(),
            Op::GatherGrad { .. } => "GatherGrad".into(),
            Op::WriteRow => "TensorListSetItem".into(),
            Op::ArgSort { .. } => "ArgSort".into(),
            Op::LstmCell => "LSTMBlockCell".into(),
            Op::LstmCellGrad { .. } => "LSTMBlockCellGrad".into(),
            Op::LstmSequence { .. } => "BlockLSTM".into(),
            Op::LstmSequenceGrad { .. } => "BlockLSTMGrad".into(),
            Op::LstmSequenceWeightGrad => "BlockLSTMWeightGrad".into(),
            Op::Unique { .. } => "Unique".into(),
            Op::OneHot { .. } => "OneHot".into(),
            Op::ShapeOf { .. } => "Shape".into(),
            Op::Softmax { .. } => "Softmax".into(),
            Op::LogSoftmax { .. } => "LogSoftmax".into(),
            Op::SparseSoftmaxCrossEntropy => "SparseSoftmaxCrossEntropyWithLogits".into(),
            Op::SoftmaxCrossEntropy => "SoftmaxCrossEntropyWithLogits".into(),
            Op::Eigh => "SelfAdjointEigV2".into(),
            Op::EighGrad => "SelfAdjointEigV2Grad".into(),
            Op::Svd => "Svd".into(),
            Op::SvdGrad => "SvdGrad".into(),
            Op::Control(c) => c.type_name().into(),
        }
    }

    /// Ops whose result changes from run to run or which change state: never pruned by value caching.
    pub fn is_stateful(&self) -> bool {
        if let Op::Control(c) = self {
            return c.is_stateful();
        }
        matches!(
            self,
            Op::ReadVariable(_)
                | Op::Assign { .. }
                | Op::RandomLike { .. }
                | Op::DropoutMask { .. }
                | Op::Placeholder { .. }
        )
    }
}
