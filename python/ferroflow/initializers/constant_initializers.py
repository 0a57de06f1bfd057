"""The ``Initializer`` base class and the deterministic initializers: Zeros, Ones, Constant, Identity."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..framework.tensor import Tensor
from ._random import as_shape, resolve_dtype, to_tensor


class Initializer:
    """Base class: ``init(shape, dtype=None)`` returns a tensor of that shape and dtype (float32 by default)."""

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        raise NotImplementedError(
            f"Initializer subclasses must implement the `__call__()` method. Received: initializer={self}"
        )

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Initializer:
        return cls(**config)

    def clone(self) -> Initializer:
        return self.__class__.from_config(self.get_config())


class Zeros(Initializer):
    """All zeros."""

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        d = resolve_dtype(dtype)
        return to_tensor(np.zeros(as_shape(shape)), d)


class Ones(Initializer):
    """All ones."""

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        d = resolve_dtype(dtype)
        return to_tensor(np.ones(as_shape(shape)), d)


class Constant(Initializer):
    """Every element equal to the scalar ``value``."""

    def __init__(self, value: float = 0.0) -> None:
        if isinstance(value, Tensor):
            value = value.numpy()
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value.item()
        elif isinstance(value, np.generic):
            value = value.item()
        self.value = value

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        d = resolve_dtype(dtype)
        return to_tensor(np.broadcast_to(np.asarray(self.value), as_shape(shape)), d)

    def get_config(self) -> dict:
        value = self.value.tolist() if isinstance(self.value, np.ndarray) else self.value
        return {"value": value}


class Identity(Initializer):
    """``gain`` times the identity matrix; only for 2D shapes."""

    def __init__(self, gain: float = 1.0) -> None:
        self.gain = gain

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        shape = as_shape(shape)
        if len(shape) != 2:
            raise ValueError(
                "Identity matrix initializer can only be used for 2D matrices. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        d = resolve_dtype(dtype)
        return to_tensor(self.gain * np.eye(*shape), d)

    def get_config(self) -> dict:
        return {"gain": self.gain}
