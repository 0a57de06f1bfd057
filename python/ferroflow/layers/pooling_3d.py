"""3-D pooling layers: ``MaxPooling3D``, ``AveragePooling3D`` and their global forms (``keepdims``)."""

from __future__ import annotations

from typing import Any, Optional

from ..ops import conv3d_ops
from .pooling import _GlobalPooling, _Pooling


class _Pooling3D(_Pooling):
    rank = 3

    def call(self, inputs: Any) -> Any:
        fmt = "NDHWC" if self.data_format == "channels_last" else "NCDHW"
        pool = conv3d_ops.max_pool3d if self.kind == "max" else conv3d_ops.avg_pool3d
        return pool(inputs, self.pool_size, self.strides, self.padding.upper(), data_format=fmt)


class MaxPooling3D(_Pooling3D):
    """The maximum over ``pool_size`` windows of volumes (``(batch, depth, height, width, channels)``)."""

    kind = "max"

    def __init__(
        self,
        pool_size: Any = (2, 2, 2),
        strides: Any = None,
        padding: str = "valid",
        data_format: Optional[str] = None,
        name: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(pool_size, strides, padding, data_format, name, **kwargs)


class AveragePooling3D(_Pooling3D):
    """The mean over ``pool_size`` windows of volumes (padding not counted)."""

    kind = "avg"

    def __init__(
        self,
        pool_size: Any,
        strides: Any = None,
        padding: str = "valid",
        data_format: Optional[str] = None,
        name: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(pool_size, strides, padding, data_format, name, **kwargs)


class GlobalMaxPooling3D(_GlobalPooling):
    """The maximum over the depth, height and width of each channel."""

    rank, kind = 3, "max"


class GlobalAveragePooling3D(_GlobalPooling):
    """The mean over the depth, height and width of each channel."""

    rank, kind = 3, "avg"
