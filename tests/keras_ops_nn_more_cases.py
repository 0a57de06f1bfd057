"""Inputs for the keras.ops neural-network cases whose Keras 3 results ``keras_ops_nn_more_expected`` holds
(written by ``tests/data/record_keras_ops_nn_more.py``)."""

import numpy as np


def arr(shape, seed=0, dtype="float32"):
    """A deterministic array of ``shape``: values in [-1, 1] that differ from element to element."""
    n = int(np.prod(shape))
    return np.sin(np.arange(n) * 0.731 + seed * 1.3 + 0.2).reshape(shape).astype(dtype)


# name -> (keras.ops function, positional arrays, keyword arguments)
CASES = {
    "conv_transpose_2d_valid": ("conv_transpose", [arr((2, 4, 5, 3)), arr((3, 3, 2, 3), 1)], {}),
    "conv_transpose_2d_valid_s2": ("conv_transpose", [arr((2, 4, 5, 3)), arr((3, 3, 2, 3), 1)], {"strides": 2}),
    "conv_transpose_2d_same_s2": (
        "conv_transpose",
        [arr((1, 4, 3, 2)), arr((3, 2, 4, 2), 2)],
        {"strides": (2, 3), "padding": "same"},
    ),
    "conv_transpose_2d_same_outpad": (
        "conv_transpose",
        [arr((1, 4, 3, 2)), arr((3, 3, 2, 2), 3)],
        {"strides": 2, "padding": "same", "output_padding": 0},
    ),
    "conv_transpose_2d_valid_outpad": (
        "conv_transpose",
        [arr((1, 3, 3, 2)), arr((2, 2, 3, 2), 4)],
        {"strides": 3, "padding": "valid", "output_padding": (1, 2)},
    ),
    "conv_transpose_2d_channels_first": (
        "conv_transpose",
        [arr((2, 3, 4, 5)), arr((3, 2, 2, 3), 6)],
        {"strides": 2, "data_format": "channels_first"},
    ),
    "conv_transpose_1d": ("conv_transpose", [arr((2, 5, 3)), arr((3, 4, 3), 7)], {"strides": 2}),
    "conv_transpose_1d_same_first": (
        "conv_transpose",
        [arr((2, 3, 5)), arr((4, 2, 3), 8)],
        {"strides": 3, "padding": "same", "data_format": "channels_first"},
    ),
    "conv_transpose_3d": ("conv_transpose", [arr((1, 3, 2, 3, 2)), arr((2, 2, 3, 3, 2), 9)], {"strides": 2}),
    "conv_transpose_3d_same": (
        "conv_transpose",
        [arr((1, 2, 3, 2, 2)), arr((3, 2, 2, 2, 2), 10)],
        {"strides": (1, 2, 2), "padding": "same"},
    ),
    "adaptive_average_pool_2d": ("adaptive_average_pool", [arr((2, 7, 10, 3))], {"output_size": (3, 4)}),
    "adaptive_average_pool_2d_first": (
        "adaptive_average_pool",
        [arr((2, 3, 5, 6))],
        {"output_size": 4, "data_format": "channels_first"},
    ),
    "adaptive_average_pool_1d": ("adaptive_average_pool", [arr((2, 10, 3))], {"output_size": 6}),
    "adaptive_average_pool_3d": ("adaptive_average_pool", [arr((1, 5, 6, 7, 2))], {"output_size": (2, 3, 4)}),
    "adaptive_max_pool_2d": ("adaptive_max_pool", [arr((2, 7, 10, 3))], {"output_size": (3, 4)}),
    "adaptive_max_pool_2d_first": (
        "adaptive_max_pool",
        [arr((2, 3, 5, 6))],
        {"output_size": 4, "data_format": "channels_first"},
    ),
    "adaptive_max_pool_1d": ("adaptive_max_pool", [arr((2, 10, 3))], {"output_size": 6}),
    "adaptive_max_pool_3d": ("adaptive_max_pool", [arr((1, 5, 6, 7, 2))], {"output_size": (2, 3, 4)}),
    "unfold_basic": ("unfold", [arr((2, 3, 4, 5))], {"kernel_size": 2}),
    "unfold_strided": (
        "unfold",
        [arr((1, 2, 6, 7))],
        {"kernel_size": (3, 2), "dilation": (1, 2), "padding": 1, "stride": (2, 1)},
    ),
    "fold_basic": ("fold", [arr((2, 12, 12))], {"output_size": (4, 5), "kernel_size": 2}),
    "fold_strided": (
        "fold",
        [arr((1, 12, 12))],
        {"output_size": (6, 7), "kernel_size": (3, 2), "dilation": (1, 2), "padding": 1, "stride": (2, 2)},
    ),
    "attention": ("dot_product_attention", [arr((2, 3, 2, 4)), arr((2, 5, 2, 4), 1), arr((2, 5, 2, 4), 2)], {}),
    "attention_bias_scale": (
        "dot_product_attention",
        [arr((1, 3, 2, 4)), arr((1, 3, 2, 4), 1), arr((1, 3, 2, 4), 2), arr((1, 2, 3, 3), 3)],
        {"scale": 0.7},
    ),
    "attention_mask": (
        "dot_product_attention",
        [arr((2, 3, 2, 4)), arr((2, 4, 2, 4), 1), arr((2, 4, 2, 4), 2)],
        {"mask": (arr((2, 1, 3, 4), 4) > 0)},
    ),
    "attention_causal": (
        "dot_product_attention",
        [arr((1, 4, 2, 3)), arr((1, 4, 2, 3), 1), arr((1, 4, 2, 3), 2)],
        {"is_causal": True},
    ),
    "attention_gqa": ("dot_product_attention", [arr((1, 3, 4, 2)), arr((1, 5, 2, 2), 1), arr((1, 5, 2, 2), 2)], {}),
    "depth_to_space": ("depth_to_space", [arr((2, 2, 3, 8))], {"block_size": 2}),
    "depth_to_space_first": ("depth_to_space", [arr((1, 9, 2, 2))], {"block_size": 3, "data_format": "channels_first"}),
    "space_to_depth": ("space_to_depth", [arr((2, 4, 6, 3))], {"block_size": 2}),
    "space_to_depth_first": ("space_to_depth", [arr((1, 2, 6, 3))], {"block_size": 3, "data_format": "channels_first"}),
    "batch_normalization": (
        "batch_normalization",
        [arr((3, 4)), arr((4,), 1), arr((4,), 2) ** 2 + 0.1],
        {"axis": -1, "offset": arr((4,), 3), "scale": arr((4,), 4)},
    ),
    "batch_normalization_axis1": (
        "batch_normalization",
        [arr((2, 3, 4)), arr((3,), 1), arr((3,), 2) ** 2 + 0.1],
        {"axis": 1, "scale": arr((3,), 4), "epsilon": 0.01},
    ),
    "layer_normalization": ("layer_normalization", [arr((3, 5))], {}),
    "layer_normalization_affine": (
        "layer_normalization",
        [arr((2, 3, 4)), arr((4,), 1), arr((4,), 2)],
        {"epsilon": 0.01},
    ),
    "layer_normalization_axes": (
        "layer_normalization",
        [arr((2, 3, 4)), arr((3, 4), 1), arr((3, 4), 2)],
        {"axis": (1, 2)},
    ),
    "rms_normalization": ("rms_normalization", [arr((3, 5))], {}),
    "rms_normalization_scale": ("rms_normalization", [arr((2, 3, 4)), arr((4,), 1)], {"epsilon": 0.1}),
    "rms_normalization_axes": ("rms_normalization", [arr((2, 3, 4))], {"axis": (0, 2)}),
    "psnr": ("psnr", [arr((2, 4, 4, 3)), arr((2, 4, 4, 3), 1)], {"max_val": 1.0}),
    "psnr_max255": ("psnr", [arr((3, 5)) * 100, arr((3, 5), 2) * 100], {"max_val": 255.0}),
    "polar": ("polar", [arr((2, 3)), arr((2, 3), 1) * 3], {}),
}
