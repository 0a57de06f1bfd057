"""``ZeroPadding3D``, ``Cropping3D`` and ``UpSampling3D``: Keras 3's volume padding, cropping and repeating."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..ops import array_ops
from ._conv_utils import normalize_tuple
from .spatial_reshaping import _Cropping, _Spatial, _ZeroPadding


class ZeroPadding3D(_ZeroPadding):
    """Zeros added around volumes: ``padding`` int, ``(d, h, w)`` or three ``(before, after)`` pairs."""

    rank = 3

    def __init__(
        self, padding: Any = ((1, 1), (1, 1), (1, 1)), data_format: Optional[str] = None, **kwargs: Any
    ) -> None:
        super().__init__(padding, data_format, **kwargs)


class Cropping3D(_Cropping):
    """Slices removed from the borders of volumes: ``cropping`` int, ``(d, h, w)`` or three pairs."""

    rank = 3

    def __init__(
        self, cropping: Any = ((1, 1), (1, 1), (1, 1)), data_format: Optional[str] = None, **kwargs: Any
    ) -> None:
        super().__init__(cropping, data_format, **kwargs)


class UpSampling3D(_Spatial):
    """Volumes enlarged ``size`` times: each voxel repeated ``size[i]`` times along spatial axis ``i``."""

    rank = 3

    def __init__(self, size: Any = (2, 2, 2), data_format: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(data_format, **kwargs)
        self.size = normalize_tuple(size, 3, "size")

    def call(self, inputs: Any) -> Any:
        x = inputs
        for axis, k in zip(self._axes(), self.size):
            length = x.shape[axis]
            if length is None:
                raise ValueError(f"UpSampling3D needs the spatial dimensions of its inputs, received {inputs.shape}")
            if k > 1:  # output i reads input i // k: a gather, so an unknown batch is fine
                x = array_ops.gather(x, np.repeat(np.arange(length, dtype=np.int32), k), axis=axis)
        return x

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = list(input_shape)
        for axis, k in zip(self._axes(), self.size):
            shape[axis] = None if shape[axis] is None else shape[axis] * k
        return tuple(shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["size"] = self.size
        return config
