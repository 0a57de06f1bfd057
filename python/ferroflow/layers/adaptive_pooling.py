"""Adaptive pooling (Keras 3): ``AdaptiveAveragePooling1D/2D/3D`` and ``AdaptiveMaxPooling1D/2D/3D``.

The output has ``output_size`` bins along each spatial axis whatever the input's size. Bin ``i`` of an axis
of length ``L`` cut into ``n`` bins covers ``[floor(i * L / n), ceil((i + 1) * L / n))``: Keras's rule
(the bins of neighbouring outputs may overlap by one). A box's mean or maximum is the mean or maximum
along one axis after another, so each axis is pooled in turn, a slice and a reduction per bin.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..ops import array_ops, math_ops
from .base_layer import Layer
from .input_spec import InputSpec

_AXES = {1: "an integer or tuple of 1 integer", 2: "an integer or (height, width) tuple"}
_AXES[3] = "an integer or (depth, height, width) tuple"


def adaptive_bins(length: int, size: int) -> list:
    """``(start, end)`` of each of the ``size`` bins along an axis of ``length``."""
    return [((i * length) // size, -(-((i + 1) * length) // size)) for i in range(size)]


def _output_size(output_size: Any, rank: int) -> tuple:
    is_int = isinstance(output_size, (int, np.integer)) and not isinstance(output_size, bool)
    if is_int:
        sizes: Any = (output_size,) * rank
    elif isinstance(output_size, (tuple, list)):
        if rank == 1 and len(output_size) != 1:
            raise ValueError(f"For 1D input, `output_size` tuple must have length 1. Received: {output_size}")
        sizes = tuple(output_size)
    else:
        sizes = None
    ok = sizes is not None and len(sizes) == rank
    if not ok or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in sizes):
        raise TypeError(f"`output_size` must be {_AXES[rank]}. Received: {output_size} of type {type(output_size)}")
    if min(sizes) <= 0:
        raise ValueError(f"`output_size` must hold positive integers. Received: output_size={output_size}")
    return tuple(int(s) for s in sizes)


def _pool_axis(x: Any, axis: int, size: int, reduce: Any) -> Any:
    length = x.shape[axis]
    if length == size:
        return x
    lead = (slice(None),) * axis
    pieces = [reduce(x[lead + (slice(a, b),)], axis=axis, keepdims=True) for a, b in adaptive_bins(length, size)]
    return pieces[0] if size == 1 else array_ops.concat(pieces, axis=axis)


class _AdaptivePooling(Layer):
    rank = 2
    kind = "average"

    def __init__(self, output_size: Any, data_format: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.output_size = _output_size(output_size, self.rank)
        if data_format is None:
            from ..keras.backend import image_data_format

            data_format = image_data_format()
        if data_format not in ("channels_first", "channels_last"):
            raise ValueError(f"Invalid data_format: {data_format}. Expected 'channels_first' or 'channels_last'.")
        self.data_format = data_format
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _spatial_axes(self) -> list:
        start = 1 if self.data_format == "channels_last" else 2
        return list(range(start, start + self.rank))

    def call(self, inputs: Any) -> Any:
        axes = self._spatial_axes()
        if any(inputs.shape[a] is None for a in axes):
            raise ValueError(
                "Input spatial dimensions must be statically known for adaptive pooling. "
                f"Received: inputs.shape={tuple(inputs.shape)}"
            )
        reduce = math_ops.reduce_mean if self.kind == "average" else math_ops.reduce_max
        x = inputs
        for axis, size in zip(axes, self.output_size):
            x = _pool_axis(x, axis, size, reduce)
        return x

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        if self.data_format == "channels_last":
            return (shape[0], *self.output_size, shape[-1])
        return (shape[0], shape[1], *self.output_size)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(output_size=self.output_size, data_format=self.data_format)
        return config


class AdaptiveAveragePooling1D(_AdaptivePooling):
    """The mean over each of ``output_size`` bins of a sequence."""

    rank, kind = 1, "average"


class AdaptiveAveragePooling2D(_AdaptivePooling):
    """The mean over each of ``output_size`` (height, width) bins of an image."""

    rank, kind = 2, "average"


class AdaptiveAveragePooling3D(_AdaptivePooling):
    """The mean over each of ``output_size`` (depth, height, width) bins of a volume."""

    rank, kind = 3, "average"


class AdaptiveMaxPooling1D(_AdaptivePooling):
    """The maximum over each of ``output_size`` bins of a sequence."""

    rank, kind = 1, "max"


class AdaptiveMaxPooling2D(_AdaptivePooling):
    """The maximum over each of ``output_size`` (height, width) bins of an image."""

    rank, kind = 2, "max"


class AdaptiveMaxPooling3D(_AdaptivePooling):
    """The maximum over each of ``output_size`` (depth, height, width) bins of a volume."""

    rank, kind = 3, "max"
