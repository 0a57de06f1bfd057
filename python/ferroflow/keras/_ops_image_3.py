"""``keras.ops.image``: Keras 3's point-wise resampling: ``map_coordinates``, ``perspective_transform`` and
``elastic_transform``."""

from __future__ import annotations

import functools
import itertools
import operator
from typing import Any, Optional

from ..framework.dtypes import as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..layers._conv_utils import data_format_of
from ..ops import array_ops as _array
from ..ops import fill_range_ops as _fill
from ..ops import math_ops as _math
from ..ops import slicing_ops as _slicing
from ..ops.image_transform_ops import FILL_MODES as _TRANSFORM_FILL_MODES
from ..ops.image_transform_ops import INTERPOLATIONS as _INTERPOLATIONS
from ..ops.image_transform_ops import image_projective_transform_v3 as _projective
from ..ops.linalg_ops import solve as _solve
from ._ops_image_2 import _check_rank, _to_first, _to_last

__all__ = ["elastic_transform", "map_coordinates", "perspective_transform"]

_MAP_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _fix_index(index: Tensor, size: int, fill_mode: str) -> tuple:
    """Integer ``index`` along an axis of ``size`` mapped inside it by ``fill_mode``, and (for ``constant``) a
    mask of the indices that were inside."""
    if fill_mode == "constant":
        valid = _math.logical_and(_math.greater_equal(index, 0), _math.less(index, size))
        return _math.minimum(_math.maximum(index, 0), size - 1), valid
    if fill_mode == "nearest" or size == 1:
        return _math.minimum(_math.maximum(index, 0), size - 1), None
    if fill_mode == "wrap":
        return _math.floormod(index, size), None

    def mirror(i: Any, n: int) -> Tensor:  # a triangle wave of half-period n - 1: c d c b | a b c d | c b a b
        s = n - 1
        return _math.abs(_math.subtract(_math.floormod(_math.add(i, s), 2 * s), s))

    if fill_mode == "mirror":
        return mirror(index, size), None
    # reflect, d c b a | a b c d | d c b a: the mirror of the half-pixel grid
    return _math.floordiv(_math.subtract(mirror(_math.add(_math.multiply(index, 2), 1), 2 * size + 1), 1), 2), None


def _nodes(coordinate: Tensor, order: int) -> list:
    """The (integer index, weight) pairs that interpolate at ``coordinate`` along one axis."""
    if order == 0:
        if as_dtype(coordinate.dtype).is_integer:
            return [(_array.cast(coordinate, "int32"), None)]
        return [(_array.cast(_math.round(coordinate), "int32"), None)]
    lower = _math.floor(coordinate)
    upper_weight = _math.subtract(coordinate, lower)
    index = _array.cast(lower, "int32")
    return [(index, _math.subtract(1.0, upper_weight)), (_math.add(index, 1), upper_weight)]


def _sample(inputs: Tensor, axes_nodes: list, fill_mode: str, fill_value: Any, dtype: Any) -> Tensor:
    """The weighted sum, over every combination of one node per axis, of ``inputs`` read at the nodes'
    indices (``fill_value`` where a ``constant``-mode index is outside). An axis of unknown size is read at
    its nodes' indices as they are (``elastic_transform``'s batch axis)."""
    fixed = [
        [
            (index, None, weight) if size is None else (*_fix_index(index, int(size), fill_mode), weight)
            for index, weight in nodes
        ]
        for nodes, size in zip(axes_nodes, inputs.shape)
    ]
    total = None
    for combo in itertools.product(*fixed):
        indices = _array.stack([index for index, _, _ in combo], axis=-1)
        values = _array.cast(_slicing.gather_nd(inputs, indices), dtype)
        masks = [valid for _, valid, _ in combo if valid is not None]
        if masks:
            values = _array.where(functools.reduce(_math.logical_and, masks), values, _array.cast(fill_value, dtype))
        weights = [weight for _, _, weight in combo if weight is not None]
        if weights:
            values = _math.multiply(functools.reduce(operator.mul, weights), values)
        total = values if total is None else _math.add(total, values)
    return total


def map_coordinates(
    inputs: Any, coordinates: Any, order: int, fill_mode: str = "constant", fill_value: Any = 0
) -> Tensor:
    """``inputs`` read at ``coordinates`` (one row of coordinate arrays per input axis) with nearest
    (``order=0``) or linear (``order=1``) interpolation; outside points follow ``fill_mode``."""
    x = convert_to_tensor(inputs)
    coords = convert_to_tensor(coordinates)
    if coords.shape.rank is None or coords.shape.rank < 1 or coords.shape[0] != x.shape.rank:
        raise ValueError(
            "First dim of `coordinates` must be the same as the rank of `inputs`. "
            f"Received inputs with shape: {x.shape} and coordinate leading dim of "
            f"{coords.shape[0] if coords.shape.rank else None}"
        )
    if coords.shape.rank < 2:
        raise ValueError(
            f"Invalid coordinates rank: expected at least rank 2. Received input with shape: {coords.shape}"
        )
    if fill_mode not in _MAP_FILL_MODES:
        raise ValueError(
            f"Invalid value for argument `fill_mode`. Expected one of {set(_MAP_FILL_MODES)}. "
            f"Received: fill_mode={fill_mode}"
        )
    if order not in (0, 1):
        raise NotImplementedError("map_coordinates currently requires order<=1")
    if any(d is None for d in x.shape):
        raise ValueError(f"map_coordinates needs an input of known shape. Received: inputs.shape={x.shape}")
    dtype = as_dtype(x.dtype)
    if order == 1 and not as_dtype(coords.dtype).is_floating:
        coords = _array.cast(coords, "float32")
    compute = as_dtype(coords.dtype) if as_dtype(coords.dtype).is_floating else dtype
    nodes = [_nodes(c, order) for c in _array.unstack(coords, axis=0)]
    out = _sample(x, nodes, fill_mode, fill_value, compute)
    if dtype.is_integer and as_dtype(compute).is_floating:
        out = _math.round(out)
    return _array.cast(out, dtype)


def _homography(start: Tensor, end: Tensor) -> Tensor:
    """The ``[n, 8]`` projective transforms that send each output point ``end`` to its input point ``start``."""
    rows, targets = [], []
    zero = _math.multiply(end[:, 0, 0], 0.0)
    one = _math.add(zero, 1.0)
    for k in range(4):
        ex, ey, sx, sy = end[:, k, 0], end[:, k, 1], start[:, k, 0], start[:, k, 1]
        rows.append(_array.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], axis=-1))
        rows.append(_array.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], axis=-1))
        targets += [sx, sy]
    matrix = _array.stack(rows, axis=1)
    rhs = _array.expand_dims(_array.stack(targets, axis=-1), -1)
    return _array.reshape(_solve(matrix, rhs), [-1, 8])


def _check_interpolation(interpolation: str) -> None:
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(
            f"Invalid value for argument `interpolation`. Expected of one {_INTERPOLATIONS}. "
            f"Received: interpolation={interpolation}"
        )


def perspective_transform(
    images: Any,
    start_points: Any,
    end_points: Any,
    interpolation: str = "bilinear",
    fill_value: Any = 0,
    data_format: Optional[str] = None,
) -> Tensor:
    """Images warped so that the four ``start_points`` (``(x, y)`` pairs, ``(4, 2)`` or ``(N, 4, 2)``) land on
    ``end_points``; pixels read from outside the image get ``fill_value``."""
    first = data_format_of(data_format) == "channels_first"
    start = _array.cast(convert_to_tensor(start_points), "float32")
    end = _array.cast(convert_to_tensor(end_points), "float32")
    _check_interpolation(interpolation)
    x = convert_to_tensor(images)
    _check_rank(x)
    for points, name in ((start, "start_points"), (end, "end_points")):
        if points.shape.rank not in (2, 3) or tuple(points.shape[-2:]) != (4, 2):
            raise ValueError(
                f"Invalid {name} shape: expected (4,2) for a single image or (N,4,2) for a batch. "
                f"Received shape: {points.shape}"
            )
    if tuple(start.shape) != tuple(end.shape):
        raise ValueError(
            "start_points and end_points must have the same shape. "
            f"Received start_points.shape={start.shape}, end_points.shape={end.shape}"
        )
    single = x.shape.rank == 3
    if single:
        x = _array.expand_dims(x, 0)
    if start.shape.rank == 2:
        start, end = _array.expand_dims(start, 0), _array.expand_dims(end, 0)
    x = _to_last(x, first)
    out = _projective(x, _homography(start, end), x.shape[1:3], fill_value, interpolation, "constant")
    out = _to_first(out, first)
    return _array.squeeze(out, [0]) if single else out


def elastic_transform(
    images: Any,
    alpha: float = 20.0,
    sigma: float = 5.0,
    interpolation: str = "bilinear",
    fill_mode: str = "reflect",
    fill_value: float = 0.0,
    seed: Any = None,
    data_format: Optional[str] = None,
) -> Tensor:
    """Images resampled along a random displacement field: normal noise scaled by ``sigma``, blurred by a
    Gaussian of standard deviation ``sigma`` and scaled by ``alpha`` (the same field moves rows and columns,
    as in Keras); outside points follow ``fill_mode``."""
    from . import random as _random
    from ._ops_image_4 import gaussian_blur

    first = data_format_of(data_format) == "channels_first"
    _check_interpolation(interpolation)
    if fill_mode not in _TRANSFORM_FILL_MODES:
        raise ValueError(
            f"Invalid value for argument `fill_mode`. Expected of one {_TRANSFORM_FILL_MODES}. "
            f"Received: fill_mode={fill_mode}"
        )
    x = convert_to_tensor(images)
    _check_rank(x)
    dtype = as_dtype(x.dtype)
    single = x.shape.rank == 3
    if single:
        x = _array.expand_dims(x, 0)
    x = _to_last(x, first)
    batch, height, width, channels = (None if d is None else int(d) for d in x.shape)
    if batch is None:  # a functional model's input: one field per image of the batch it runs on
        batch = _array.shape(x)[0]
    size = 6 * int(sigma) | 1
    noise = _random.normal(_array.stack([batch, height, width]), dtype=dtype.name, seed=seed)
    noise = _math.multiply(noise, _array.cast(sigma, dtype))
    field = gaussian_blur(
        _array.expand_dims(noise, -1), kernel_size=(size, size), sigma=(sigma, sigma), data_format="channels_last"
    )
    field = _math.multiply(_array.cast(alpha, dtype), _array.squeeze(field, [-1]))  # (batch, height, width)
    rows = _math.add(_array.reshape(_fill.range(height, dtype=dtype), [1, -1, 1]), field)
    cols = _math.add(_array.reshape(_fill.range(width, dtype=dtype), [1, 1, -1]), field)
    # Every channel of an image reads the same points: one gather per interpolation node for the whole batch.
    grid = _array.stack([batch, height, width, channels])
    b_index = _array.broadcast_to(_array.reshape(_fill.range(batch), [-1, 1, 1, 1]), grid)
    c_index = _array.broadcast_to(_array.reshape(_fill.range(channels), [1, 1, 1, -1]), grid)
    order = _INTERPOLATIONS.index(interpolation)
    nodes = [
        [(b_index, None)],
        _nodes(_array.broadcast_to(_array.expand_dims(rows, -1), grid), order),
        _nodes(_array.broadcast_to(_array.expand_dims(cols, -1), grid), order),
        [(c_index, None)],
    ]
    out = _array.cast(_sample(x, nodes, fill_mode, fill_value, dtype), dtype)
    out = _to_first(out, first)
    return _array.squeeze(out, [0]) if single else out
