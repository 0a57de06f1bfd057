"""What a queue's constructor accepts for ``dtypes``, ``shapes`` and ``names``, normalized as TensorFlow does.

TensorFlow takes a lone dtype or a list of them, a lone shape (a ``TensorShape`` or a list of ints) or a list of
shapes, and a lone name or a list of names; the errors and their types below are TensorFlow's.
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence

from ..framework.dtypes import DType, as_dtype
from ..framework.tensor_shape import TensorShape, as_shape


def as_type_list(dtypes: Any) -> List[DType]:
    """``dtypes`` as a list of ``DType`` (a lone dtype is a one-component element)."""
    if dtypes is None:
        raise TypeError("A queue needs the dtypes of its components, received dtypes=None")
    items = list(dtypes) if isinstance(dtypes, (list, tuple)) else [dtypes]
    out = []
    for item in items:
        try:
            out.append(as_dtype(item))
        except (TypeError, ValueError) as e:
            raise TypeError(f"Expected DataType for argument 'component_types' not {item!r}.") from e
    return out


def _is_dim(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def as_shape_list(
    shapes: Any, unknown_dim_allowed: bool = False, unknown_rank_allowed: bool = False
) -> Optional[List[TensorShape]]:
    """``shapes`` as a list of ``TensorShape`` (None when not given); a list of ints is one shape."""
    if unknown_dim_allowed:
        if (
            not isinstance(shapes, Sequence)
            or isinstance(shapes, (str, TensorShape))
            or not shapes
            or any(_is_dim(s) for s in shapes)
        ):
            raise ValueError("When providing partial shapes, a list of shapes must be provided.")
    if shapes is None:
        return None
    if isinstance(shapes, TensorShape):
        shapes = [shapes]
    if not isinstance(shapes, (tuple, list)):
        raise TypeError(f"Shapes must be a TensorShape or a list or tuple of TensorShapes, got {type(shapes)} instead.")
    if all(_is_dim(s) for s in shapes):
        shapes = [shapes]
    out = [as_shape(s) for s in shapes]
    if not unknown_dim_allowed and any(not s.is_fully_defined() for s in out):
        raise ValueError(f"All shapes must be fully defined: {out}")
    if not unknown_rank_allowed and any(s.rank is None for s in out):
        raise ValueError(f"All shapes must have a defined rank: {out}")
    return out


def as_name_list(names: Any, dtypes: list) -> Optional[list]:
    """``names`` as a list as long as ``dtypes`` (None when not given)."""
    if names is None:
        return None
    if not isinstance(names, (list, tuple)):
        names = [names]
    if len(names) != len(dtypes):
        raise ValueError(
            "List of names must have the same length as the list of dtypes, "
            f"received len(names)={len(names)},len(dtypes)={len(dtypes)}"
        )
    return list(names)


def shape_common(s1: Any, s2: Any) -> TensorShape:
    """The most specific shape both ``s1`` and ``s2`` have (``QueueBase.from_list``'s reduced shapes)."""
    s1, s2 = as_shape(s1), as_shape(s2)
    if s1.rank is None or s2.rank is None or s1.rank != s2.rank:
        return TensorShape(None)
    return TensorShape([a if a is not None and a == b else None for a, b in zip(s1, s2)])


def check_capacity(capacity: Any) -> int:
    """The capacity as an int: negative means unbounded (the queue ops' default of -1)."""
    if capacity is None:
        return -1
    if isinstance(capacity, bool) or not isinstance(capacity, (int, float)) and not hasattr(capacity, "__index__"):
        raise TypeError(f"Expected int for argument 'capacity' not {capacity!r}.")
    return int(capacity)
