"""``keras.backend``: the few global settings everyday code touches."""

from __future__ import annotations

from typing import Any

import numpy as _np

from ..layers._util import clear_session as _clear_names

_settings = {"floatx": "float32", "epsilon": 1e-7, "image_data_format": "channels_last"}


def clear_session(free_memory: bool = True) -> None:
    """Resets automatic layer names, so the next ``Dense`` is ``dense`` again."""
    _clear_names()


def floatx() -> str:
    return _settings["floatx"]


def set_floatx(value: str) -> None:
    if value not in ("float16", "float32", "float64", "bfloat16"):
        raise ValueError(f"Unknown `floatx` value: {value}. Expected one of float16, float32, float64")
    _settings["floatx"] = value


def epsilon() -> float:
    return _settings["epsilon"]


def set_epsilon(value: float) -> None:
    _settings["epsilon"] = float(value)


def image_data_format() -> str:
    return _settings["image_data_format"]


def set_image_data_format(data_format: str) -> None:
    """Sets the layout that image layers made with ``data_format=None`` use: ``"channels_last"`` or
    ``"channels_first"`` (any case)."""
    data_format = str(data_format).lower()
    if data_format not in {"channels_first", "channels_last"}:
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            f"Received: data_format={data_format}"
        )
    _settings["image_data_format"] = data_format


def random_normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Any = None) -> Any:
    """Keras's legacy ``backend.random_normal``: ``tf.random.normal`` in ``floatx()``, with an op seed drawn
    from NumPy's generator when none is given, as Keras does."""
    from .. import random as _random

    if seed is None:
        seed = _np.random.randint(10e6)
    return _random.normal(shape, mean=mean, stddev=stddev, dtype=dtype or floatx(), seed=seed)


def random_uniform(shape: Any, minval: float = 0.0, maxval: float = 1.0, dtype: Any = None, seed: Any = None) -> Any:
    """Keras's legacy ``backend.random_uniform``: ``tf.random.uniform`` in ``floatx()``, seeded as ``random_normal``."""
    from .. import random as _random

    if seed is None:
        seed = _np.random.randint(10e6)
    return _random.uniform(shape, minval=minval, maxval=maxval, dtype=dtype or floatx(), seed=seed)


def get_value(x: Any) -> Any:
    """The value of a tensor or variable as NumPy (``optimizer.learning_rate`` gives a ``np.float32``); anything
    that is not a tensor is returned as it is."""
    from ..framework.tensor import Tensor as _Tensor
    from ..framework.variables import Variable as _Variable

    if not isinstance(x, (_Tensor, _Variable)):
        return x
    from ..framework import context as _context

    with _context.eager_scope():
        return x.numpy()


def batch_get_value(tensors: Any) -> list:
    """``[get_value(x) for x in tensors]``."""
    return [get_value(x) for x in tensors]


def set_value(x: Any, value: Any) -> None:
    """Assigns ``value`` (converted to ``x``'s dtype) to the variable ``x``."""
    x.assign(_np.asarray(value, dtype=x.dtype.as_numpy_dtype))


def batch_set_value(tuples: Any) -> None:
    """``set_value(x, value)`` for each ``(x, value)`` pair."""
    for x, value in tuples:
        set_value(x, value)


def backend() -> str:
    return "ferroflow"


def ctc_batch_cost(y_true: Any, y_pred: Any, input_length: Any, label_length: Any) -> Any:
    """CTC loss ``(batch, 1)`` of labels ``y_true`` ``(batch, max_label_length)`` (the first ``label_length``
    of each row count) under softmax outputs ``y_pred`` ``(batch, frames, classes)``, the blank the last
    class; ``input_length`` and ``label_length`` are ``(batch, 1)``."""
    from ..ops import array_ops as _array_ops
    from ..ops import math_ops as _math_ops
    from ..ops.ctc_ops import _dense_loss_as_sparse_kernel

    label_length = _array_ops.cast(_array_ops.squeeze(label_length, axis=-1), "int32")
    input_length = _array_ops.cast(_array_ops.squeeze(input_length, axis=-1), "int32")
    labels = _array_ops.cast(y_true, "int32")
    log_probs = _math_ops.log(_math_ops.add(_array_ops.transpose(y_pred, [1, 0, 2]), epsilon()))
    loss = _dense_loss_as_sparse_kernel(labels, log_probs, label_length, input_length)
    return _array_ops.expand_dims(loss, 1)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
