"""Layers that pad, crop, repeat or reorder axes: ``ZeroPadding1D/2D``, ``Cropping1D/2D``, ``UpSampling1D/2D``,
``Permute`` and ``RepeatVector``."""

from __future__ import annotations

from typing import Any, Optional

from ..ops import array_ops, tiling_ops
from ._conv_utils import data_format_of
from .base_layer import Layer
from .input_spec import InputSpec


def _pairs(value: Any, n: int, name: str) -> tuple:
    """An int (every side), ``n`` ints (both sides of each axis) or ``n`` pairs, as ``n`` (before, after)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return ((value, value),) * n
    try:
        items = tuple(value)
        if n == 1 and len(items) == 2 and all(isinstance(v, int) for v in items):
            return ((int(items[0]), int(items[1])),)
        if len(items) == n and all(isinstance(v, int) for v in items):
            return tuple((int(v), int(v)) for v in items)
        if len(items) == n:
            pairs = tuple((int(a), int(b)) for a, b in items)
            return pairs
    except (TypeError, ValueError):
        pass
    raise ValueError(
        f"`{name}` should be an int, a tuple of {n} ints or a tuple of {n} tuples of 2 ints. Received: {name}={value}"
    )


def _spatial_axes(data_format: str, rank: int) -> list:
    """The spatial axes of a rank-``rank`` input."""
    return list(range(1, rank - 1)) if data_format == "channels_last" else list(range(2, rank))


class _Spatial(Layer):
    rank = 2

    def __init__(self, data_format: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = "channels_last" if self.rank == 1 else data_format_of(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _axes(self) -> list:
        return _spatial_axes(self.data_format, self.rank + 2)

    def get_config(self) -> dict:
        config = super().get_config()
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config


class _ZeroPadding(_Spatial):
    def __init__(self, padding: Any = 1, data_format: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(data_format, **kwargs)
        self.padding = _pairs(padding, self.rank, "padding")

    def call(self, inputs: Any) -> Any:
        paddings = [[0, 0]] * (self.rank + 2)
        for axis, pair in zip(self._axes(), self.padding):
            paddings[axis] = list(pair)
        return tiling_ops.pad(inputs, paddings)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = list(input_shape)
        for axis, (a, b) in zip(self._axes(), self.padding):
            shape[axis] = None if shape[axis] is None else shape[axis] + a + b
        return tuple(shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["padding"] = self.padding[0] if self.rank == 1 else self.padding
        return config


class ZeroPadding2D(_ZeroPadding):
    """Zeros added around images: ``padding`` int, ``(h, w)`` or ``((top, bottom), (left, right))``."""

    rank = 2


class ZeroPadding1D(_ZeroPadding):
    """Zeros added at the start and end of sequences: ``padding`` int or ``(left, right)``."""

    rank = 1


class _Cropping(_Spatial):
    def __init__(self, cropping: Any, data_format: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(data_format, **kwargs)
        self.cropping = _pairs(cropping, self.rank, "cropping")

    def call(self, inputs: Any) -> Any:
        from ..framework.ops import apply

        shape = list(inputs.shape)
        specs = [("range", None, None, 1)] * len(shape)
        for axis, (a, b) in zip(self._axes(), self.cropping):
            if shape[axis] is not None and a + b >= shape[axis]:
                raise ValueError(
                    f"Cropping {(a, b)} removes all of axis {axis} of length {shape[axis]} (input shape {tuple(shape)})"
                )
            specs[axis] = ("range", a, -b if b else None, 1)
        return apply("strided_slice", [inputs], {"specs": specs})

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = list(input_shape)
        for axis, (a, b) in zip(self._axes(), self.cropping):
            shape[axis] = None if shape[axis] is None else shape[axis] - a - b
        return tuple(shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["cropping"] = self.cropping[0] if self.rank == 1 else self.cropping
        return config


class Cropping2D(_Cropping):
    """Rows and columns removed from the borders of images."""

    rank = 2

    def __init__(self, cropping: Any = ((0, 0), (0, 0)), data_format: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(cropping, data_format, **kwargs)


class Cropping1D(_Cropping):
    """Steps removed from the start and end of sequences."""

    rank = 1

    def __init__(self, cropping: Any = (1, 1), **kwargs: Any) -> None:
        super().__init__(cropping, None, **kwargs)


class UpSampling2D(_Spatial):
    """Images enlarged ``size`` times: rows and columns repeated (``"nearest"``) or interpolated
    (``"bilinear"``, ``"bicubic"``, ``"area"``, ``"lanczos3"``, ``"lanczos5"``, ``"gaussian"``)."""

    rank = 2

    def __init__(
        self, size: Any = (2, 2), data_format: Optional[str] = None, interpolation: str = "nearest", **kwargs: Any
    ) -> None:
        from ._conv_utils import normalize_tuple

        super().__init__(data_format, **kwargs)
        self.size = normalize_tuple(size, 2, "size")
        self.interpolation = str(interpolation)

    def call(self, inputs: Any) -> Any:
        from ..ops.image_resize_ops import resize

        first = self.data_format == "channels_first"
        x = array_ops.transpose(inputs, [0, 2, 3, 1]) if first else inputs
        # Nearest-neighbour resizing by a whole factor k reads source pixel i // k: each pixel repeated k times.
        h, w = int(x.shape[1]), int(x.shape[2])
        x = resize(x, [h * self.size[0], w * self.size[1]], method=self.interpolation)
        return array_ops.transpose(x, [0, 3, 1, 2]) if first else x

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = list(input_shape)
        for axis, k in zip(self._axes(), self.size):
            shape[axis] = None if shape[axis] is None else shape[axis] * k
        return tuple(shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(size=self.size, interpolation=self.interpolation)
        return config


class UpSampling1D(_Spatial):
    """Each step of a sequence repeated ``size`` times."""

    rank = 1

    def __init__(self, size: int = 2, **kwargs: Any) -> None:
        super().__init__(None, **kwargs)
        self.size = int(size)

    def call(self, inputs: Any) -> Any:
        from ..ops.image_resize_ops import resize

        steps = int(inputs.shape[1])
        tall = resize(array_ops.expand_dims(inputs, 2), [steps * self.size, 1], method="nearest")
        return array_ops.squeeze(tall, [2])

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = list(input_shape)
        shape[1] = None if shape[1] is None else shape[1] * self.size
        return tuple(shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["size"] = self.size
        return config


class Permute(Layer):
    """The non-batch axes reordered: ``dims`` is a permutation of ``1 .. rank - 1``."""

    def __init__(self, dims: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dims = tuple(int(d) for d in dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be "
                f"consecutive and start from 1. Received dims={dims}"
            )
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs: Any) -> Any:
        return array_ops.transpose(inputs, [0, *self.dims])

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        return (shape[0],) + tuple(shape[d] for d in self.dims)

    def get_config(self) -> dict:
        config = super().get_config()
        config["dims"] = self.dims
        return config


class RepeatVector(Layer):
    """Each sample ``(features,)`` repeated ``n`` times: ``(batch, n, features)``."""

    def __init__(self, n: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs: Any) -> Any:
        return array_ops.concat([array_ops.expand_dims(inputs, 1)] * self.n, axis=1)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        return (shape[0], self.n, shape[1])

    def get_config(self) -> dict:
        config = super().get_config()
        config["n"] = self.n
        return config
