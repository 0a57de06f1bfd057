"""``keras.utils``: ``to_categorical``, ``set_random_seed``, ``Progbar``, the dataset makers and splitter ..."""

from __future__ import annotations

import random
from typing import Any, Optional

import numpy as np

from ..layers.feature_space import FeatureSpace
from ..models.registry import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from ..models.train_step import pack_x_y_sample_weight, unpack_x_y_sample_weight
from ..saving.serialization_lib import deserialize_keras_object, serialize_keras_object
from ..utils import Progbar, get_file
from ..utils.audio_dataset import audio_dataset_from_directory
from ..utils.config import Config
from ..utils.dataset_split import split_dataset
from ..utils.image_dataset import image_dataset_from_directory
from ..utils.image_utils import array_to_img, img_to_array, load_img, save_img
from ..utils.io_utils import disable_interactive_logging, enable_interactive_logging, is_interactive_logging_enabled
from ..utils.keras_tensors import get_source_inputs, standardize_dtype
from ..utils.model_plot import model_to_dot, plot_model
from ..utils.py_dataset import PyDataset, Sequence
from ..utils.sequence_padding import pad_sequences
from ..utils.text_dataset import text_dataset_from_directory
from ..utils.timeseries_dataset import timeseries_dataset_from_array

__all__ = [
    "Config",
    "CustomObjectScope",
    "FeatureSpace",
    "Progbar",
    "PyDataset",
    "Sequence",
    "array_to_img",
    "audio_dataset_from_directory",
    "clear_session",
    "custom_object_scope",
    "deserialize_keras_object",
    "disable_interactive_logging",
    "enable_interactive_logging",
    "get_custom_objects",
    "get_file",
    "get_registered_name",
    "get_registered_object",
    "get_source_inputs",
    "image_dataset_from_directory",
    "img_to_array",
    "is_interactive_logging_enabled",
    "is_keras_tensor",
    "load_img",
    "model_to_dot",
    "normalize",
    "pack_x_y_sample_weight",
    "pad_sequences",
    "plot_model",
    "register_keras_serializable",
    "save_img",
    "serialize_keras_object",
    "set_random_seed",
    "split_dataset",
    "standardize_dtype",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
    "to_categorical",
    "unpack_x_y_sample_weight",
]


def to_categorical(x: Any, num_classes: Optional[int] = None) -> np.ndarray:
    """One-hot encodes integer class labels: ``(n,)`` -> ``(n, num_classes)`` float32."""
    x = np.asarray(x, dtype="int64")
    shape = x.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if num_classes is None:
        num_classes = int(x.max()) + 1
    out = np.zeros((x.shape[0], num_classes), dtype="float32")
    out[np.arange(x.shape[0]), x] = 1
    return out.reshape(shape + (num_classes,))


def normalize(x: Any, axis: int = -1, order: int = 2) -> Any:
    """``x`` divided by its ``order``-norm along ``axis``: a NumPy array for a NumPy array (zero norms left as
    1), else a tensor (``keras.ops.normalize``)."""
    if isinstance(x, np.ndarray):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        return x / np.expand_dims(norm, axis or -1)
    from .ops import normalize as _normalize

    return _normalize(x, axis=axis, order=order)


def clear_session(free_memory: bool = True) -> None:
    """Resets Keras's state (automatic layer names, the default graph), as ``keras.backend.clear_session``."""
    from .backend import clear_session as _clear

    _clear(free_memory)


def is_keras_tensor(x: Any) -> bool:
    """Whether ``x`` is a symbolic ``KerasTensor`` (from ``keras.Input`` or a layer called on one)."""
    from ..layers._util import is_keras_tensor as _is

    return bool(_is(x))


def set_random_seed(seed: int) -> None:
    """Seeds Python, NumPy and ferroflow (ops and initializers) in one call."""
    if not isinstance(seed, int):
        raise ValueError(f"Expected `seed` argument to be an integer. Received: seed={seed} (of type {type(seed)})")
    random.seed(seed)
    np.random.seed(seed)
    from ..ops.random_ops import set_seed

    set_seed(seed)
    try:
        from ..initializers import set_global_seed
    except ImportError:
        return
    set_global_seed(seed)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
