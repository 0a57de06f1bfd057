"""What the random image augmentation layers share: Keras 3's argument checks (factor ranges, fill modes,
interpolations) and per-image uniform draws that work on a batch whose size is known only when a graph runs."""

from __future__ import annotations

from typing import Any, Optional

from ..ops import array_ops, random_ops

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def base_factor(factor: Any, name: str = "factor", bounds: tuple = (-1, 1)) -> tuple:
    """Keras's ``factor`` of rotation and brightness: a number ``f`` in ``bounds`` means ``(-|f|, |f|)``, a pair
    (not wholly outside ``bounds``) its sorted values."""
    message = (
        f"The `{name}` argument should be a number (or a list of two numbers) in the range "
        f"[{bounds[0]}, {bounds[1]}]. Received: {name}={factor}"
    )
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or not all(_is_number(f) for f in factor):
            raise ValueError(message)
        if factor[0] > bounds[1] or factor[1] < bounds[0]:
            raise ValueError(message)
        lower, upper = sorted(factor)
        return lower, upper
    if not _is_number(factor) or factor < bounds[0] or factor > bounds[1]:
        raise ValueError(message)
    return max(-abs(factor), bounds[0]), abs(factor)


def symmetric_factor(factor: Any, name: str, low_open: bool = False) -> tuple:
    """Keras's zoom and translation factors: a number ``f`` means ``(-|f|, |f|)``, a pair its sorted values;
    every number within ``[-1, 1]`` (``(-1, 1]`` when ``low_open``, as zoom needs)."""
    interval = "(-1.0, 1.0]" if low_open else "[-1.0, 1.0]"
    names = (
        "The `height_factor` and `width_factor` arguments should be" if low_open else f"The `{name}` argument should be"
    )
    message = f"{names} a number (or a list of two numbers) in the range {interval}. Received: {name}={factor}"
    pair = isinstance(factor, (tuple, list))
    values = list(factor) if pair else [factor]
    if pair and len(values) != 2:
        raise ValueError(message)
    for v in values:
        if not _is_number(v) or v > 1.0 or v < -1.0 or (low_open and v <= -1.0):
            raise ValueError(message)
    if pair:
        lower, upper = sorted(values)
        return float(lower), float(upper)
    return -abs(float(factor)), abs(float(factor))


def check_choice(value: Any, name: str, choices: tuple) -> str:
    if value not in choices:
        raise ValueError(f"Unknown `{name}` {value!r}. Expected one of {choices}. Received: {name}={value}")
    return value


def per_image_uniform(images: Any, count: int, seed: Optional[int]) -> Any:
    """``[batch, count]`` uniform draws in ``[0, 1)`` for a 4-D batch, all from one random op (several ops
    with one seed would draw the same numbers inside a graph)."""
    column = array_ops.reshape(images[:, 0:1, 0:1, 0:1], [-1, 1])
    if column.dtype.name != "float32":
        column = array_ops.cast(column, "float32")
    source = column if count == 1 else array_ops.concat([column] * count, axis=1)
    return random_ops.uniform_like(source, seed=seed)


def column(u: Any, i: int) -> Any:
    """Column ``i`` of a ``[batch, n]`` tensor, as ``[batch, 1]``."""
    return u[:, i : i + 1]
