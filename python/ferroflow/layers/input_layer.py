"""``InputLayer`` and ``Input``: the entry points of a functional model."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .base_layer import Layer
from .keras_tensor import KerasTensor, Node


def _standardize_shape(shape: Any) -> tuple:
    """A batch shape as a tuple of non-negative ints and ``None``s, or a ``ValueError`` naming the bad entry."""
    try:
        if isinstance(shape, (str, bytes)):
            raise TypeError(shape)
        dims = tuple(shape)
    except TypeError:
        raise ValueError(f"Cannot convert '{shape!r}' to a shape: expected a tuple of integers or None") from None
    out = []
    for d in dims:
        if d is None:
            out.append(None)
            continue
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 0:
            raise ValueError(f"Cannot convert '{dims}' to a shape: expected non-negative integers or None, found {d!r}")
        out.append(int(d))
    return tuple(out)


class InputLayer(Layer):
    """Holds the KerasTensor that a functional model's input starts from."""

    def __init__(
        self,
        shape: Any = None,
        batch_size: Optional[int] = None,
        dtype: Any = None,
        sparse: Any = None,
        batch_shape: Any = None,
        input_tensor: Any = None,
        ragged: Any = None,
        optional: bool = False,
        name: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        legacy = kwargs.pop("input_shape", None)
        legacy_batch = kwargs.pop("batch_input_shape", None)
        if shape is None and legacy is not None:
            shape = legacy
        if batch_shape is None and legacy_batch is not None:
            batch_shape = legacy_batch
        super().__init__(name=name, dtype=dtype, **kwargs)
        if shape is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
        if batch_size is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `batch_size` and `batch_shape` at the same time.")
        if shape is None and batch_shape is None:
            raise ValueError("You must pass a `shape` argument.")
        if shape is not None:
            if isinstance(shape, (int, np.integer)):
                shape = (shape,)
            batch_shape = (batch_size,) + _standardize_shape(shape)
        self._batch_shape = _standardize_shape(batch_shape)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        if self.sparse and self.ragged:
            raise ValueError("You cannot pass both `sparse=True` and `ragged=True` to an Input: choose one.")
        if self.ragged and len(self._batch_shape) < 2:
            raise ValueError(f"A ragged Input needs a rank of at least 2 (batch included), received {batch_shape}")
        self.built = True
        output = KerasTensor(self._batch_shape, self.dtype, sparse=self.sparse, ragged=self.ragged, name=name)
        self._last_output_shape = self._batch_shape
        Node(self, (), {}, output)  # `self.output` is this node's tensor

    @property
    def batch_shape(self) -> tuple:
        return self._batch_shape

    def call(self, inputs: Any) -> Any:
        return inputs

    def get_config(self) -> dict:
        return {
            "batch_shape": list(self._batch_shape),
            "dtype": self.dtype,
            "sparse": self.sparse,
            "ragged": self.ragged,
            "name": self.name,
        }


def Input(
    shape: Any = None,
    batch_size: Optional[int] = None,
    dtype: Any = None,
    sparse: Any = None,
    ragged: Any = None,
    batch_shape: Any = None,
    name: Optional[str] = None,
    tensor: Any = None,
    optional: bool = False,
) -> KerasTensor:
    """``keras.Input``: a symbolic tensor to start a functional model from (batch dimension ``None``);
    ``sparse=True`` takes ``SparseTensor``s, ``ragged=True`` takes ``RaggedTensor``s."""
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        batch_shape=batch_shape,
        ragged=ragged,
        name=name,
    )
    return layer.output
