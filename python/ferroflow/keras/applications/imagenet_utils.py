"""``keras.applications.imagenet_utils``: the ImageNet input preprocessing the pretrained models were trained
with, and the decoding of their 1000-class predictions into WordNet ids and names.

``decode_predictions`` needs Keras's ``imagenet_class_index.json``; it is read from Keras's cache
(``$KERAS_HOME/models``, default ``~/.keras/models``), downloaded there when the network allows.
"""

from __future__ import annotations

import json
from typing import Any, Optional

import numpy as np

__all__ = ["decode_predictions", "preprocess_input"]

_CLASS_INDEX: Optional[dict] = None
_CLASS_INDEX_URL = "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
_CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"
_CAFFE_MEAN = [103.939, 116.779, 123.68]  # BGR
_TORCH_MEAN = [0.485, 0.456, 0.406]
_TORCH_STD = [0.229, 0.224, 0.225]


def preprocess_input(x: Any, data_format: Optional[str] = None, mode: str = "caffe") -> Any:
    """Preprocesses a batch of images (values in [0, 255]) as the ImageNet models expect.

    ``mode``: "caffe" (RGB to BGR, minus the ImageNet channel means, no scaling), "tf" (scaled to [-1, 1])
    or "torch" (scaled to [0, 1], then normalized by the ImageNet channel means and deviations). A float
    NumPy array is modified in place, as in Keras; use ``np.copy(x)`` to keep it.
    """
    from ferroflow.keras import backend

    if mode not in {"caffe", "tf", "torch"}:
        raise ValueError(f"Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode={mode}")
    if data_format is None:
        data_format = backend.image_data_format()
    elif data_format not in {"channels_first", "channels_last"}:
        raise ValueError(
            "Expected data_format to be one of `channels_first` or `channels_last`. "
            f"Received: data_format={data_format}"
        )
    if isinstance(x, np.ndarray):
        return _preprocess_numpy(x, data_format, mode)
    return _preprocess_tensor(x, data_format, mode)


def _channel_axis(ndim: int, data_format: str) -> int:
    if data_format == "channels_first":
        return 0 if ndim == 3 else 1
    return ndim - 1


def _preprocess_numpy(x: np.ndarray, data_format: str, mode: str) -> np.ndarray:
    from ferroflow.keras import backend

    if not issubclass(x.dtype.type, np.floating):
        x = x.astype(backend.floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    axis = _channel_axis(x.ndim, data_format)
    shape = [1] * x.ndim
    shape[axis] = 3
    if mode == "torch":
        x /= 255.0
        x -= np.reshape(_TORCH_MEAN, shape).astype(x.dtype)
        x /= np.reshape(_TORCH_STD, shape).astype(x.dtype)
        return x
    index = [slice(None)] * x.ndim
    index[axis] = slice(None, None, -1)
    x = x[tuple(index)]
    x -= np.reshape(_CAFFE_MEAN, shape).astype(x.dtype)
    return x


def _preprocess_tensor(x: Any, data_format: str, mode: str) -> Any:
    import ferroflow as tf

    if not tf.is_tensor(x) and not getattr(x, "_is_keras_tensor", False):
        x = tf.convert_to_tensor(x)
    if not x.dtype.is_floating:
        x = tf.cast(x, "float32")
    if mode == "tf":
        return x / 127.5 - 1.0
    ndim = len(x.shape)
    axis = _channel_axis(ndim, data_format)
    shape = [1] * ndim
    shape[axis] = 3
    if mode == "torch":
        x = x / 255.0
        mean = tf.convert_to_tensor(np.reshape(_TORCH_MEAN, shape), dtype=x.dtype)
        std = tf.convert_to_tensor(np.reshape(_TORCH_STD, shape), dtype=x.dtype)
        return (x - mean) / std
    x = tf.reverse(x, axis=[axis])
    return x - tf.convert_to_tensor(np.reshape(_CAFFE_MEAN, shape), dtype=x.dtype)


def _class_index() -> dict:
    global _CLASS_INDEX
    if _CLASS_INDEX is None:
        from ._util import cache_file

        path = cache_file("imagenet_class_index.json", _CLASS_INDEX_URL, _CLASS_INDEX_HASH, what="ImageNet class index")
        with open(path) as f:
            _CLASS_INDEX = json.load(f)
    return _CLASS_INDEX


def decode_predictions(preds: Any, top: int = 5) -> list:
    """Decodes a batch of ImageNet predictions (shape ``(samples, 1000)``) into, per sample, the ``top``
    ``(class_name, class_description, score)`` tuples, best first."""
    if len(preds.shape) != 2 or preds.shape[1] != 1000:
        raise ValueError(
            "`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape (samples, 1000)). "
            f"Received array with shape: {preds.shape}"
        )
    index = _class_index()
    preds = np.asarray(preds.numpy() if hasattr(preds, "numpy") else preds)
    results = []
    for pred in preds:
        top_indices = pred.argsort()[-top:][::-1]
        result = [tuple(index[str(i)]) + (pred[i],) for i in top_indices]
        result.sort(key=lambda r: r[2], reverse=True)
        results.append(result)
    return results


_PREPROCESS_DOC = """Preprocesses a batch of images (values in [0, 255]) for this model ({mode}).

A float NumPy array is modified in place, as in Keras. ``data_format``: None (the global image data
format), "channels_last" or "channels_first"; anything else is a ValueError.
"""

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())


def model_functions(mode: str, mode_doc: str, module: str) -> tuple:
    """A model module's ``preprocess_input`` (this ``mode``; ``mode_doc`` explains it) and
    ``decode_predictions``, as its own functions (named in ``module``)."""

    def preprocess_input(x: Any, data_format: Optional[str] = None) -> Any:
        return _preprocess(x, data_format=data_format, mode=mode)

    def decode_predictions(preds: Any, top: int = 5) -> list:
        return _decode(preds, top=top)

    preprocess_input.__doc__ = _PREPROCESS_DOC.format(mode=mode_doc)
    decode_predictions.__doc__ = _decode.__doc__
    for fn in (preprocess_input, decode_predictions):
        fn.__module__, fn.__qualname__ = module, fn.__name__
    return preprocess_input, decode_predictions


_preprocess, _decode = preprocess_input, decode_predictions
