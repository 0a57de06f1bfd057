"""``tf.TensorSpec``: the shape (dimensions may be unknown) and dtype a tensor must have."""

from __future__ import annotations

from typing import Any, Optional

from .dtypes import DType, as_dtype, float32
from .tensor_shape import TensorShape
from .type_spec import TypeSpec


class TensorSpec(TypeSpec):
    """``tf.TensorSpec(shape, dtype=tf.float32, name=None)``: describes tensors, as ``input_signature`` uses it.

    ``None`` dimensions match any size; a ``shape`` of ``None`` matches any rank.
    """

    def __init__(self, shape: Any, dtype: Any = float32, name: Optional[str] = None) -> None:
        self._shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
        self._dtype = as_dtype(dtype)
        self._name = name

    @classmethod
    def from_tensor(cls, tensor: Any, name: Optional[str] = None) -> TensorSpec:
        """The spec of ``tensor``'s shape and dtype."""
        return cls(tensor.shape, tensor.dtype, name if name is not None else None)

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> DType:
        return self._dtype

    @property
    def name(self) -> Optional[str]:
        return self._name

    @property
    def value_type(self) -> type:
        from .tensor import Tensor

        return Tensor

    def most_specific_common_supertype(self, others: Any) -> Optional[TensorSpec]:
        """The spec of this dtype whose shape every one of ``self`` and ``others`` fits, the dimensions that
        differ left unknown (None when a spec is not a ``TensorSpec`` of this dtype). The name stays when all
        agree."""
        shape = self._shape
        for other in others:
            if type(other) is not TensorSpec or other._dtype != self._dtype:
                return None
            shape = shape.most_specific_compatible_shape(other._shape)
        name = self._name if all(o._name == self._name for o in others) else None
        return TensorSpec(shape, self._dtype, name)

    def is_compatible_with(self, value: Any) -> bool:
        """Whether ``value`` (a tensor, array or spec) has this spec's dtype and a shape that fits it."""
        dtype = getattr(value, "dtype", None)
        if dtype is None:
            return False
        try:
            if as_dtype(dtype) != self._dtype:
                return False
        except (TypeError, ValueError):
            return False
        shape = value.shape if isinstance(value.shape, TensorShape) else TensorShape(tuple(value.shape))
        return self._shape.is_compatible_with(shape)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TensorSpec)
            and self._dtype == other._dtype
            and self._shape._dim_list == other._shape._dim_list
            and self._name == other._name
        )

    def __hash__(self) -> int:
        dims = self._shape._dim_list
        return hash((None if dims is None else tuple(dims), self._dtype.name, self._name))

    def __repr__(self) -> str:
        return f"TensorSpec(shape={self._shape}, dtype=tf.{self._dtype.name}, name={self._name!r})"
