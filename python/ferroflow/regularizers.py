"""``keras.regularizers``: weight penalties (L1, L2, L1L2, orthogonal) and their lookup by name.

A regularizer maps a weight to a scalar loss built from ops, so it works eagerly and in graphs.
Keras's L2 is ``l2 * sum(square(x))``, without the 0.5 of ``tf.nn.l2_loss``.
"""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from .framework.ops import convert_to_tensor
from .framework.tensor import Tensor
from .ops import array_ops, math_ops
from .saving.object_table import ObjectTable


def _validate_penalty(value: Any, name: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (float, int, np.floating, np.integer))
        or math.isinf(value)
        or math.isnan(value)
        or value < 0
    ):
        raise ValueError(f"Invalid value for argument {name}: expected a non-negative float. Received: {name}={value}")
    return float(value)


class Regularizer:
    """Base class: ``reg(weight)`` returns a scalar penalty added to the model's loss."""

    def __call__(self, x: Any) -> Any:
        return 0.0

    def get_config(self) -> dict:
        raise NotImplementedError(f"{type(self).__name__} does not implement get_config()")

    @classmethod
    def from_config(cls, config: dict) -> Regularizer:
        return cls(**config)


class L1L2(Regularizer):
    """``l1 * sum(abs(x)) + l2 * sum(square(x))``."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1 = _validate_penalty(0.0 if l1 is None else l1, "l1")
        self.l2 = _validate_penalty(0.0 if l2 is None else l2, "l2")

    def __call__(self, x: Any) -> Tensor:
        x = convert_to_tensor(x)
        total = convert_to_tensor(0.0, dtype=x.dtype)
        if self.l1:
            total = math_ops.add(total, math_ops.multiply(math_ops.reduce_sum(math_ops.abs(x)), self.l1))
        if self.l2:
            total = math_ops.add(total, math_ops.multiply(math_ops.reduce_sum(math_ops.square(x)), self.l2))
        return total

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """``l1 * sum(abs(x))``."""

    def __init__(self, l1: float = 0.01) -> None:
        # Keras 3 keeps ``l1`` as a float32 tensor (its config then holds the float32 value, 0.005 ->
        # 0.004999999888241291); L2 and L1L2 keep Python floats.
        self.l1 = convert_to_tensor(_validate_penalty(0.01 if l1 is None else l1, "l1"), dtype="float32")

    def __call__(self, x: Any) -> Tensor:
        x = convert_to_tensor(x)
        return math_ops.multiply(array_ops.cast(self.l1, x.dtype), math_ops.reduce_sum(math_ops.abs(x)))

    def get_config(self) -> dict:
        return {"l1": float(self.l1)}


class L2(Regularizer):
    """``l2 * sum(square(x))``."""

    def __init__(self, l2: float = 0.01) -> None:
        self.l2 = _validate_penalty(0.01 if l2 is None else l2, "l2")

    def __call__(self, x: Any) -> Tensor:
        return math_ops.multiply(math_ops.reduce_sum(math_ops.square(convert_to_tensor(x))), self.l2)

    def get_config(self) -> dict:
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """``factor`` times the mean absolute cosine similarity between distinct rows (or columns) of a 2D weight."""

    def __init__(self, factor: float = 0.01, mode: str = "rows") -> None:
        self.factor = _validate_penalty(factor, "factor")
        if mode not in ("rows", "columns"):
            raise ValueError(
                f"Invalid value for argument `mode`. Expected one of {{'rows', 'columns'}}. Received: mode={mode}"
            )
        self.mode = mode

    def __call__(self, x: Any) -> Tensor:
        x = convert_to_tensor(x)
        if len(x.shape) != 2:
            raise ValueError(
                f"Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape={tuple(x.shape)}"
            )
        if self.mode == "rows":
            x = math_ops.l2_normalize(x, axis=1)
            product = math_ops.matmul(x, x, transpose_b=True)
            size = int(x.shape[0])
        else:
            x = math_ops.l2_normalize(x, axis=0)
            product = math_ops.matmul(x, x, transpose_a=True)
            size = int(x.shape[1])
        off_diagonal = math_ops.multiply(product, convert_to_tensor(1.0 - np.eye(size), dtype=x.dtype))
        num_pairs = size * (size - 1.0) / 2.0
        return math_ops.multiply(math_ops.reduce_sum(math_ops.abs(off_diagonal)), self.factor * 0.5 / num_pairs)

    def get_config(self) -> dict:
        return {"factor": self.factor, "mode": self.mode}


# Keras exports the classes under snake_case names too: ``keras.regularizers.l2 is L2``.
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

ALL_OBJECTS_DICT = {cls.__name__: cls for cls in (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)}
ALL_OBJECTS_DICT.update(l1=L1, l2=L2, l1_l2=L1L2, orthogonal_regularizer=OrthogonalRegularizer)


_TABLE = ObjectTable("regularizer", "Regularizer", "keras.regularizers", ALL_OBJECTS_DICT)


def serialize(regularizer: Any) -> Any:
    """Keras's config dict: ``{"module", "class_name", "config", "registered_name"}``."""
    return _TABLE.serialize(regularizer)


def deserialize(config: Any, custom_objects: Optional[dict] = None) -> Any:
    """A regularizer from a name (default arguments) or a config dict made by ``serialize``."""
    return _TABLE.deserialize(config, custom_objects)


def get(identifier: Any) -> Optional[Any]:
    """Resolves None, a name, a config dict, a class or a callable to a regularizer."""
    return _TABLE.get(identifier, deserialize, "None, a name, a config dict, a Regularizer class or a callable")


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("ALL_OBJECTS_DICT", "ObjectTable", "Tensor", "convert_to_tensor"))
