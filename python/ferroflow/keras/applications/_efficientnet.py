"""The EfficientNet family's builder (Tan & Le, 2019): mobile inverted-bottleneck blocks with squeeze-and-excite,
swish activations and stochastic depth, scaled in width, depth and input size by one coefficient; layer for layer
as Keras 3 builds it. The input rescaling and normalization are layers of the model, so images go in as 0-255."""

from __future__ import annotations

import copy
import math
from typing import Any, Optional

from ferroflow.keras import backend, layers

from . import _model_tail, _util

__all__ = ["efficientnet"]

_BASE_URL = "https://storage.googleapis.com/keras-applications/"
_WEIGHTS_ERROR = (
    "The `weights` argument should be either `None` (random initialization), `imagenet` (pre-training "
    "on ImageNet), or the path to the weights file to be loaded."
)
_CLASSES_ERROR = 'If using `weights="imagenet"` with `include_top` as true, `classes` should be 1000'
_HASHES = {
    "b0": ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "b1": ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "b2": ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
    "b3": ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
    "b4": ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
    "b5": ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
    "b6": ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
    "b7": ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"),
}
# (kernel size, repeats, filters in, filters out, expand ratio, strides) of the seven stages; all use
# squeeze-and-excite with ratio 0.25 and identity skips.
_STAGES = [
    (3, 1, 32, 16, 1, 1),
    (3, 2, 16, 24, 6, 2),
    (5, 2, 24, 40, 6, 2),
    (3, 3, 40, 80, 6, 2),
    (5, 3, 80, 112, 6, 1),
    (5, 4, 112, 192, 6, 2),
    (3, 1, 192, 320, 6, 1),
]
_DEFAULT_BLOCKS_ARGS = [
    dict(kernel_size=k, repeats=r, filters_in=i, filters_out=o, expand_ratio=e, id_skip=True, strides=s, se_ratio=0.25)
    for k, r, i, o, e, s in _STAGES
]
_CONV_INIT = {
    "class_name": "VarianceScaling",
    "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"},
}
_DENSE_INIT = {
    "class_name": "VarianceScaling",
    "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"},
}
# Keras rescales by 1 / sqrt(stddev) for the pretrained weights (which were trained that way).
_IMAGENET_STDDEV_RGB = [0.229, 0.224, 0.225]


def _bn_axis() -> int:
    return 3 if backend.image_data_format() == "channels_last" else 1


def _block(
    inputs: Any, activation: Any, drop_rate: float, name: str, filters_in: int, filters_out: int, kernel_size: int,
    strides: int, expand_ratio: int, se_ratio: float, id_skip: bool,
) -> Any:  # fmt: skip
    """Expand (1x1), depthwise conv, squeeze-and-excite, project (1x1); a residual add (with per-sample
    dropout, stochastic depth) when the shape is kept."""
    axis = _bn_axis()
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(
            filters, 1, padding="same", use_bias=False, kernel_initializer=_CONV_INIT, name=f"{name}expand_conv"
        )(x)
        x = layers.BatchNormalization(axis=axis, name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    if strides == 2:
        x = layers.ZeroPadding2D(padding=_util.correct_pad(x, kernel_size), name=f"{name}dwconv_pad")(x)
    x = layers.DepthwiseConv2D(
        kernel_size, strides=strides, padding="valid" if strides == 2 else "same", use_bias=False,
        depthwise_initializer=_CONV_INIT, name=f"{name}dwconv",
    )(x)  # fmt: skip
    x = layers.BatchNormalization(axis=axis, name=f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        filters_se = max(1, int(filters_in * se_ratio))
        se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
        se = layers.Reshape((filters, 1, 1) if axis == 1 else (1, 1, filters), name=f"{name}se_reshape")(se)
        se = layers.Conv2D(
            filters_se, 1, padding="same", activation=activation, kernel_initializer=_CONV_INIT,
            name=f"{name}se_reduce",
        )(se)  # fmt: skip
        se = layers.Conv2D(
            filters, 1, padding="same", activation="sigmoid", kernel_initializer=_CONV_INIT, name=f"{name}se_expand"
        )(se)
        x = layers.multiply([x, se], name=f"{name}se_excite")
    x = layers.Conv2D(
        filters_out, 1, padding="same", use_bias=False, kernel_initializer=_CONV_INIT, name=f"{name}project_conv"
    )(x)
    x = layers.BatchNormalization(axis=axis, name=f"{name}project_bn")(x)
    if id_skip and strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def _top(x: Any, dropout_rate: float) -> Any:
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    if dropout_rate > 0:
        x = layers.Dropout(dropout_rate, name="top_dropout")(x)
    return x


def efficientnet(
    width_coefficient: float, depth_coefficient: float, default_size: int, dropout_rate: float = 0.2,
    drop_connect_rate: float = 0.2, depth_divisor: int = 8, activation: Any = "swish", blocks_args: Any = "default",
    name: str = "efficientnet", include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
    input_shape: Any = None, pooling: Optional[str] = None, classes: int = 1000, classifier_activation: Any = "softmax",
    weights_name: Optional[str] = None,
) -> Any:  # fmt: skip
    """Keras's ``EfficientNet``: the B0 network scaled by ``width_coefficient`` and ``depth_coefficient``."""
    if blocks_args == "default":
        blocks_args = _DEFAULT_BLOCKS_ARGS
    img_input = _model_tail.model_input(
        weights, include_top, classes, input_tensor, input_shape, default_size, 32, (_WEIGHTS_ERROR, _CLASSES_ERROR)
    )
    axis = _bn_axis()

    def round_filters(filters: float, divisor: int = depth_divisor) -> int:
        filters *= width_coefficient
        new_filters = max(divisor, int(filters + divisor / 2) // divisor * divisor)
        if new_filters < 0.9 * filters:  # rounding down must not lose more than 10%
            new_filters += divisor
        return int(new_filters)

    def round_repeats(repeats: int) -> int:
        return int(math.ceil(depth_coefficient * repeats))

    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=axis)(x)
    if weights == "imagenet":
        x = layers.Rescaling([1.0 / math.sqrt(stddev) for stddev in _IMAGENET_STDDEV_RGB])(x)
    x = layers.ZeroPadding2D(padding=_util.correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(
        round_filters(32), 3, strides=2, padding="valid", use_bias=False, kernel_initializer=_CONV_INIT,
        name="stem_conv",
    )(x)  # fmt: skip
    x = layers.BatchNormalization(axis=axis, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)
    blocks_args = copy.deepcopy(blocks_args)
    b = 0
    blocks = float(sum(round_repeats(args["repeats"]) for args in blocks_args))
    for i, args in enumerate(blocks_args):
        if args["repeats"] <= 0:
            raise ValueError(
                f"The number of repeats in `EfficientNet` must be > 0. Received: repeats={args['repeats']}"
            )
        args["filters_in"] = round_filters(args["filters_in"])
        args["filters_out"] = round_filters(args["filters_out"])
        for j in range(round_repeats(args.pop("repeats"))):
            if j > 0:
                args["strides"] = 1
                args["filters_in"] = args["filters_out"]
            x = _block(x, activation, drop_connect_rate * b / blocks, name=f"block{i + 1}{chr(j + 97)}_", **args)
            b += 1
    x = layers.Conv2D(
        round_filters(1280), 1, padding="same", use_bias=False, kernel_initializer=_CONV_INIT, name="top_conv"
    )(x)
    x = layers.BatchNormalization(axis=axis, name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    x = _model_tail.classify_or_pool(
        x, include_top, pooling, classes, classifier_activation, weights,
        head=lambda x: _top(x, dropout_rate), pool_names=("avg_pool", "max_pool"),
        predictions=lambda: layers.Dense(
            classes, activation=classifier_activation, kernel_initializer=_DENSE_INIT, name="predictions"
        ),
    )  # fmt: skip
    fname, file_hash = None, None
    if weights == "imagenet":
        fname = name + (".h5" if include_top else "_notop.h5")
        file_hash = _HASHES[weights_name][0 if include_top else 1]
    return _model_tail.finish(img_input, input_tensor, x, name, weights, fname, _BASE_URL, file_hash)
