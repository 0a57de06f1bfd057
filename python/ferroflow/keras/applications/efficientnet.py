"""``keras.applications.efficientnet``: EfficientNetB0 ... EfficientNetB7 (Tan & Le, 2019), layer for layer as
Keras 3 builds them, so Keras's pretrained files load by layer order. The models rescale and normalize their
inputs themselves: they take images with values in [0, 255], and ``preprocess_input`` returns its input.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from . import _model_tail
from ._efficientnet import efficientnet as _efficientnet
from .imagenet_utils import decode_predictions as _decode

__all__ = [
    "EfficientNetB0",
    "EfficientNetB1",
    "EfficientNetB2",
    "EfficientNetB3",
    "EfficientNetB4",
    "EfficientNetB5",
    "EfficientNetB6",
    "EfficientNetB7",
    "decode_predictions",
    "preprocess_input",
]


def _variant(key: str, width: float, depth: float, size: int, dropout: float, params: str) -> Callable[..., Any]:
    """The public builder of one variant, with Keras's signature and defaults."""
    doc = (
        f"EfficientNet{key.upper()} ({params} parameters with the 1000-class top): width x{width}, depth x{depth}, "
        f"default input {size}x{size}, top dropout {dropout}. Inputs: images with values in [0, 255]."
    )

    def build(args: _model_tail.ModelArgs) -> Any:
        return _efficientnet(width, depth, size, dropout, weights_name=key, **args._asdict())

    return _model_tail.public_builder(f"EfficientNet{key.upper()}", f"efficientnet{key}", __name__, doc, build)


EfficientNetB0 = _variant("b0", 1.0, 1.0, 224, 0.2, "5,330,571")
EfficientNetB1 = _variant("b1", 1.0, 1.1, 240, 0.2, "7,856,239")
EfficientNetB2 = _variant("b2", 1.1, 1.2, 260, 0.3, "9,177,569")
EfficientNetB3 = _variant("b3", 1.2, 1.4, 300, 0.3, "12,320,535")
EfficientNetB4 = _variant("b4", 1.4, 1.8, 380, 0.4, "19,466,823")
EfficientNetB5 = _variant("b5", 1.6, 2.2, 456, 0.4, "30,562,527")
EfficientNetB6 = _variant("b6", 1.8, 2.6, 528, 0.5, "43,265,143")
EfficientNetB7 = _variant("b7", 2.0, 3.1, 600, 0.5, "66,658,687")


def preprocess_input(x: Any, data_format: Optional[str] = None) -> Any:
    """Returns ``x`` unchanged: the EfficientNet models rescale and normalize their inputs themselves (kept, as
    in Keras, so that code calling every application's ``preprocess_input`` works)."""
    return x


def decode_predictions(preds: Any, top: int = 5) -> list:
    return _decode(preds, top=top)


decode_predictions.__doc__ = _decode.__doc__

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
