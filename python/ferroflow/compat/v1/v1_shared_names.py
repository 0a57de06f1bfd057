"""The names ``dir(tf.compat.v1)`` lists that are ferroflow's TF2 objects unchanged (``matmul``, ``Tensor``,
``float32`` ...): ``tf.compat.v1.<name>`` resolves them to the top-level ``ferroflow`` name, and ``dir`` lists
them as TensorFlow 2.21 does. (The submodules TensorFlow also lists there, such as ``linalg``, are reached as
``tf.linalg``.)"""

# fmt: off
SHARED = (
    "DType", "GradientTape", "Module", "RaggedTensor", "RaggedTensorSpec", "SparseTensor", "SparseTensorSpec",
    "Tensor", "TensorArray", "TensorShape", "TensorSpec", "UnconnectedGradients", "VariableAggregation",
    "VariableSynchronization", "abs", "acos", "acosh", "add", "add_n", "argsort", "as_dtype", "asin", "asinh",
    "atan", "atan2", "atanh", "betainc", "bool", "broadcast_dynamic_shape", "broadcast_static_shape",
    "broadcast_to", "cast", "ceil", "clip_by_global_norm", "clip_by_norm", "clip_by_value", "complex", "complex128",
    "complex64", "concat", "control_dependencies", "conv2d_backprop_filter_v2", "conv2d_backprop_input_v2", "cos",
    "cosh", "cumprod", "cumsum", "custom_gradient", "depth_to_space", "device", "div", "divide", "double",
    "dynamic_partition", "dynamic_stitch", "einsum", "ensure_shape", "equal", "exp", "extract_image_patches", "eye",
    "fill", "float32", "float64", "floor", "floordiv", "foldl", "foldr", "function", "get_logger",
    "get_static_value", "gradients", "greater", "greater_equal", "group", "hessians", "histogram_fixed_width",
    "histogram_fixed_width_bins", "identity", "identity_n", "igamma", "igammac", "init_scope", "int16", "int32",
    "int64", "int8", "is_symbolic_tensor", "is_tensor", "lbeta", "less", "less_equal", "linspace", "log",
    "logical_and", "logical_not", "logical_or", "map_fn", "matmul", "maximum", "meshgrid", "minimum", "multiply",
    "name_scope", "negative", "newaxis", "no_op", "not_equal", "numpy_function", "one_hot", "ones", "polygamma",
    "pow", "print", "py_function", "random_gamma", "random_normal", "random_poisson", "random_shuffle",
    "random_uniform", "range", "rank", "realdiv", "recompute_grad", "repeat", "required_space_to_batch_paddings",
    "reshape", "reverse", "roll", "round", "saturate_cast", "scalar_mul", "scan", "scatter_nd", "searchsorted",
    "sequence_mask", "shape_n", "sigmoid", "sign", "sin", "sinh", "slice", "sort", "space_to_batch_nd",
    "space_to_depth", "split", "sqrt", "square", "stack", "stop_gradient", "strided_slice", "string", "subtract",
    "switch_case", "tan", "tanh", "tensor_scatter_nd_add", "tensor_scatter_nd_max", "tensor_scatter_nd_min",
    "tensor_scatter_nd_sub", "tensor_scatter_nd_update", "tensordot", "tile", "truediv", "truncated_normal",
    "truncatediv", "truncatemod", "tuple", "uint16", "uint32", "uint64", "uint8", "unique", "unique_with_counts",
    "unravel_index", "unstack", "vectorized_map", "zeros", "zeta",
)
# fmt: on
