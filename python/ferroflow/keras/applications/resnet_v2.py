"""``keras.applications.resnet_v2``: ResNet50V2, ResNet101V2 and ResNet152V2 (He et al., 2016, the
pre-activation networks), layer for layer as Keras 3 builds them, so Keras's pretrained files load by layer
order. Inputs are scaled to [-1, 1] (``preprocess_input``, "tf" mode)."""

from __future__ import annotations

import functools
from typing import Any, Callable

from ferroflow.keras import backend, layers

from . import _model_tail
from .imagenet_utils import model_functions as _model_functions
from .resnet import _resnet

__all__ = ["ResNet50V2", "ResNet101V2", "ResNet152V2", "decode_predictions", "preprocess_input"]

_HASHES = {
    "resnet50v2": ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "resnet101v2": ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
    "resnet152v2": ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
}


def _bn(name: str) -> Any:
    axis = 3 if backend.image_data_format() == "channels_last" else 1
    return layers.BatchNormalization(axis=axis, epsilon=1.001e-5, name=name)


def _block(x: Any, filters: int, stride: int = 1, conv_shortcut: bool = False, name: str = "") -> Any:
    """A pre-activation bottleneck block: BN-ReLU, then 1x1, 3x3 (stride), 1x1 to ``4 * filters``, added to the
    (projected, or max-pooled when strided) input."""
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(_bn(f"{name}_preact_bn")(x))
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    else:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = layers.Activation("relu", name=f"{name}_1_relu")(_bn(f"{name}_1_bn")(x))
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(filters, 3, strides=stride, use_bias=False, name=f"{name}_2_conv")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(_bn(f"{name}_2_bn")(x))
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def _stack(x: Any, filters: int, blocks: int, stride1: int = 2, name: str = "") -> Any:
    """Blocks whose first projects the shortcut and whose last strides (V2 downsamples at a stage's end)."""
    x = _block(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, blocks):
        x = _block(x, filters, name=f"{name}_block{i}")
    return _block(x, filters, stride=stride1, name=f"{name}_block{blocks}")


def _stacks(counts: tuple) -> Callable[[Any], Any]:
    def stack_fn(x: Any) -> Any:
        x = _stack(x, 64, counts[0], name="conv2")
        x = _stack(x, 128, counts[1], name="conv3")
        x = _stack(x, 256, counts[2], name="conv4")
        return _stack(x, 512, counts[3], stride1=1, name="conv5")

    return stack_fn


def _variant(key: str, counts: tuple, doc: str) -> Callable[..., Any]:
    """The public builder of one depth, with Keras's signature and defaults."""
    build = functools.partial(_resnet, _stacks(counts), True, _HASHES, key)
    return _model_tail.public_builder(f"ResNet{key[len('resnet') : -2]}V2", key, __name__, doc, build)


ResNet50V2 = _variant(
    "resnet50v2",
    (3, 4, 6, 3),
    """ResNet50V2 (25,613,800 parameters with the 1000-class top). Inputs: images preprocessed by
    ``keras.applications.resnet_v2.preprocess_input`` (scaled to [-1, 1]); at least 32x32.""",
)
ResNet101V2 = _variant("resnet101v2", (3, 4, 23, 3), "ResNet101V2: ResNet50V2 with 23 blocks in its fourth stage.")
ResNet152V2 = _variant("resnet152v2", (3, 8, 36, 3), "ResNet152V2: 8 blocks in the third stage and 36 in the fourth.")


preprocess_input, decode_predictions = _model_functions("tf", "tf: scaled from [0, 255] to [-1, 1]", __name__)

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
