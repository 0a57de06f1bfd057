"""``tf.SparseTensorSpec`` and ``tf.RaggedTensorSpec``: the type of a sparse or ragged ``tf.function`` argument.

A ``tf.function`` traces once per spec. Each spec also says which component tensors stand for its value
in a graph (``_component_specs``): indices, values and dense_shape for a sparse tensor; flat values and
the row splits of each ragged dimension for a ragged one, as TensorFlow flattens them.
"""

from __future__ import annotations

from typing import Any, List, Optional

from .dtypes import DType, as_dtype, float32, int64
from .tensor_shape import TensorShape, as_shape
from .tensor_spec import TensorSpec
from .type_spec import TypeSpec


class SparseTensorSpec(TypeSpec):
    """``tf.SparseTensorSpec(shape=None, dtype=tf.float32)``: the dense shape and dtype of sparse tensors."""

    def __init__(self, shape: Any = None, dtype: Any = float32) -> None:
        self._shape = as_shape(shape)
        self._dtype = as_dtype(dtype)

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> DType:
        return self._dtype

    @property
    def value_type(self) -> type:
        from .sparse_tensor import SparseTensor

        return SparseTensor

    @classmethod
    def from_value(cls, value: Any) -> SparseTensorSpec:
        """The spec of a ``SparseTensor`` (its dense shape as far as it is known, and its dtype)."""
        return cls(value.shape, value.dtype)

    @property
    def _component_specs(self) -> List[TensorSpec]:
        rank = self._shape.rank
        return [
            TensorSpec([None, rank], int64),
            TensorSpec([None], self._dtype),
            TensorSpec([rank], int64),
        ]

    def is_compatible_with(self, spec_or_value: Any) -> bool:
        """Whether a sparse tensor or spec has this dtype and a dense shape that fits this one."""
        other = _spec_of_composite(spec_or_value)
        return (
            isinstance(other, SparseTensorSpec)
            and other._dtype == self._dtype
            and self._shape.is_compatible_with(other._shape)
        )

    def most_specific_common_supertype(self, others: Any) -> Optional[SparseTensorSpec]:
        """The narrowest spec every one of ``others`` and this one fits (dimensions that differ become None)."""
        shape = self._shape
        for o in others:
            if not isinstance(o, SparseTensorSpec) or o._dtype != self._dtype:
                return None
            shape = shape.most_specific_compatible_shape(o._shape)
        return SparseTensorSpec(shape, self._dtype)

    def _key(self) -> tuple:
        return ("sparse", _dims_key(self._shape), self._dtype.name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SparseTensorSpec) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"SparseTensorSpec({self._shape!r}, tf.{self._dtype.name})"


class RaggedTensorSpec(TypeSpec):
    """``tf.RaggedTensorSpec(shape=None, dtype=tf.float32, ragged_rank=None, row_splits_dtype=tf.int64,
    flat_values_spec=None)``: the shape, dtype and number of ragged dimensions of ragged tensors."""

    def __init__(
        self,
        shape: Any = None,
        dtype: Any = float32,
        ragged_rank: Optional[int] = None,
        row_splits_dtype: Any = int64,
        flat_values_spec: Optional[TensorSpec] = None,
    ) -> None:
        self._shape = as_shape(shape)
        self._row_splits_dtype = as_dtype(row_splits_dtype)
        if self._row_splits_dtype.name not in ("int32", "int64"):
            raise ValueError(f"row_splits_dtype must be tf.int32 or tf.int64, received {self._row_splits_dtype!r}")
        if flat_values_spec is not None:
            if dtype is not None and dtype != float32 and as_dtype(dtype) != flat_values_spec.dtype:
                raise ValueError("dtype and flat_values_spec.dtype disagree")
            dtype = flat_values_spec.dtype
        self._dtype = as_dtype(dtype)
        rank = self._shape.rank
        if ragged_rank is None:
            if rank is None:
                raise ValueError("Must specify ragged_rank or a shape with a known rank.")
            ragged_rank = rank - 1
        self._ragged_rank = int(ragged_rank)
        if rank is not None and rank > 1 and self._ragged_rank >= rank:
            raise ValueError(f"Argument `ragged_rank` ({self._ragged_rank}) must be less than rank ({rank}).")
        if self._ragged_rank < 0:
            raise ValueError(f"Argument `ragged_rank` must be non-negative, received {self._ragged_rank}")
        self._flat_values_spec = flat_values_spec

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> DType:
        return self._dtype

    @property
    def ragged_rank(self) -> int:
        return self._ragged_rank

    @property
    def row_splits_dtype(self) -> DType:
        return self._row_splits_dtype

    @property
    def flat_values_spec(self) -> Optional[TensorSpec]:
        return self._flat_values_spec

    @property
    def value_type(self) -> type:
        from .ragged_tensor import RaggedTensor

        return RaggedTensor

    @classmethod
    def from_value(cls, value: Any) -> RaggedTensorSpec:
        """The spec of a ``RaggedTensor``: its shape (row count included), dtype and ragged rank."""
        splits_dtype = getattr(value, "_row_splits_dtype", int64)
        return cls(value.shape, value.dtype, value.ragged_rank, splits_dtype)

    def _inner_dims(self) -> Optional[list]:
        """The uniform dimensions after the ragged ones (None when the rank is unknown)."""
        return None if self._shape.rank is None else list(self._shape)[self._ragged_rank + 1 :]

    @property
    def _component_specs(self) -> List[TensorSpec]:
        if self._ragged_rank == 0:  # a dense tensor (tf.data's rows of a ragged tensor)
            return [self._flat_values_spec or TensorSpec(self._shape, self._dtype)]
        inner = self._inner_dims()
        values = self._flat_values_spec or TensorSpec(None if inner is None else [None] + inner, self._dtype)
        nrows = None if self._shape.rank is None else self._shape[0]
        outer = TensorSpec([None if nrows is None else nrows + 1], self._row_splits_dtype)
        return [values, outer] + [TensorSpec([None], self._row_splits_dtype)] * (self._ragged_rank - 1)

    def is_compatible_with(self, spec_or_value: Any) -> bool:
        """Whether a ragged tensor or spec has this dtype and ragged rank and a shape that fits this one."""
        other = _spec_of_composite(spec_or_value)
        return (
            isinstance(other, RaggedTensorSpec)
            and other._dtype == self._dtype
            and other._ragged_rank == self._ragged_rank
            and self._shape.is_compatible_with(other._shape)
        )

    def most_specific_common_supertype(self, others: Any) -> Optional[RaggedTensorSpec]:
        shape = self._shape
        for o in others:
            if not isinstance(o, RaggedTensorSpec) or (o._dtype, o._ragged_rank) != (self._dtype, self._ragged_rank):
                return None
            shape = shape.most_specific_compatible_shape(o._shape)
        return RaggedTensorSpec(shape, self._dtype, self._ragged_rank, self._row_splits_dtype)

    def _key(self) -> tuple:
        return ("ragged", _dims_key(self._shape), self._dtype.name, self._ragged_rank, self._row_splits_dtype.name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RaggedTensorSpec) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"RaggedTensorSpec({self._shape!r}, tf.{self._dtype.name}, {self._ragged_rank}, "
            f"tf.{self._row_splits_dtype.name})"
        )


COMPOSITE_SPECS = (SparseTensorSpec, RaggedTensorSpec)


def _dims_key(shape: TensorShape) -> Any:
    return None if shape.rank is None else tuple(shape)


def _spec_of_composite(value: Any) -> Any:
    """``value``'s spec when it is a sparse or ragged tensor (or already a spec); otherwise ``value``."""
    from .ragged_tensor import RaggedTensor
    from .sparse_tensor import SparseTensor

    if isinstance(value, SparseTensor):
        return SparseTensorSpec.from_value(value)
    if isinstance(value, RaggedTensor):
        return RaggedTensorSpec.from_value(value)
    return value
