"""Helpers of the layer base: automatic names, input shapes for ``build``, JSON-friendly shapes."""

from __future__ import annotations

import contextlib
import re
import threading
import warnings
from typing import Any, Iterator

from ..framework import nest

_uids: dict = {}


def to_snake_case(name: str) -> str:
    # Keras 3's rule: a capital starts a word only before lowercase letters (ConvLSTM2D -> conv_lstm2d).
    intermediate = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    return insecure if insecure[0] != "_" else "private" + insecure


def unique_name(base: str) -> str:
    n = _uids.get(base, 0)
    _uids[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def clear_session() -> None:
    """Resets the automatic layer names (``dense``, ``dense_1`` ...), like ``keras.backend.clear_session``."""
    _uids.clear()


def is_keras_tensor(x: Any) -> bool:
    return getattr(x, "_is_keras_tensor", False)


def shapes_of(inputs: Any) -> Any:
    """Input shapes as Keras passes them to ``build``: a tuple, or a structure of tuples."""
    return nest.map_structure(lambda t: tuple(t.shape) if hasattr(t, "shape") else None, inputs)


def jsonable_shape(shape: Any) -> Any:
    if isinstance(shape, dict):
        return {k: jsonable_shape(v) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple, dict)):
        return [jsonable_shape(s) for s in shape]
    return None if shape is None else list(shape)


def tuple_shape(shape: Any) -> Any:
    if isinstance(shape, dict):
        return {k: tuple_shape(v) for k, v in shape.items()}
    if isinstance(shape, list) and shape and isinstance(shape[0], (list, dict)):
        return [tuple_shape(s) for s in shape]
    return tuple(shape)


def warn_input_shape(layer: Any) -> None:
    """Keras 3's warning, word for word (it does not name the layer)."""
    warnings.warn(
        "Do not pass an `input_shape`/`input_dim` argument to a layer. When using Sequential "
        "models, prefer using an `Input(shape)` object as the first layer in the model instead.",
        UserWarning,
        stacklevel=3,
    )


_replay = threading.local()


@contextlib.contextmanager
def replaying_node() -> Iterator[None]:
    """Within: layer calls replay (or trace) a functional graph's recorded call, whose positional arguments
    may hold Python constants the graph was built with; Keras's positional-argument check is for user calls."""
    _replay.depth = getattr(_replay, "depth", 0) + 1
    try:
        yield
    finally:
        _replay.depth -= 1


def is_replaying_node() -> bool:
    return getattr(_replay, "depth", 0) > 0
