"""``tf.IndexedSlices`` and ``tf.IndexedSlicesSpec``: some rows (slices along the first axis) of a dense tensor.

``values[i]`` is row ``indices[i]`` of a tensor of shape ``dense_shape``; rows named twice add up when the
value is made dense (``tf.convert_to_tensor``), as TensorFlow's unsorted segment sum does.
"""

from __future__ import annotations

import warnings
from typing import Any, List, Optional

from .dtypes import DType, as_dtype, float32, int64
from .tensor_shape import TensorShape, as_shape
from .tensor_spec import TensorSpec
from .type_spec import TypeSpec

# Densifying a traced value of at least this many elements warns, as TensorFlow does.
_LARGE_SPARSE_NUM_ELEMENTS = 100000000


class IndexedSlices:
    """``tf.IndexedSlices(values, indices, dense_shape=None)``: the rows ``indices`` of a dense tensor."""

    def __init__(self, values: Any, indices: Any, dense_shape: Any = None) -> None:
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    @property
    def values(self) -> Any:
        """The rows, one per index."""
        return self._values

    @property
    def indices(self) -> Any:
        """A vector: the row of the dense tensor each of ``values`` is."""
        return self._indices

    @property
    def dense_shape(self) -> Any:
        """A vector: the shape of the dense tensor, or None."""
        return self._dense_shape

    @property
    def shape(self) -> TensorShape:
        """The dense shape as far as it is known before the value is computed."""
        if self._dense_shape is None:
            return TensorShape(None)
        return _constant_shape(self._dense_shape)

    @property
    def name(self) -> str:
        return self._values.name

    @property
    def device(self) -> str:
        return self._values.device

    @property
    def op(self) -> Any:
        return self._values.op

    @property
    def dtype(self) -> DType:
        return self._values.dtype

    @property
    def graph(self) -> Any:
        return self._values.graph

    def __str__(self) -> str:
        shape = "" if self._dense_shape is None else f", dense_shape={self._dense_shape!s}"
        return f"IndexedSlices(indices={self._indices!s}, values={self._values!s}{shape})"

    def __neg__(self) -> IndexedSlices:
        return IndexedSlices(-self._values, self._indices, self._dense_shape)

    @property
    def _type_spec(self) -> IndexedSlicesSpec:
        values_shape = TensorShape(self._values.shape)
        indices_shape = TensorShape(self._indices.shape).merge_with(values_shape[:1])
        dense = TensorShape([None]).concatenate(values_shape[1:])
        dense_shape_dtype = None
        if self._dense_shape is not None:
            dense_shape_dtype = self._dense_shape.dtype
            dense = dense.merge_with(_constant_shape(self._dense_shape))
        return IndexedSlicesSpec(dense, self.dtype, self._indices.dtype, dense_shape_dtype, indices_shape)


class IndexedSlicesSpec(TypeSpec):
    """``tf.IndexedSlicesSpec(shape=None, dtype=tf.float32, indices_dtype=tf.int64, dense_shape_dtype=None,
    indices_shape=None)``: the type of ``IndexedSlices`` values (``tf.function`` arguments)."""

    def __init__(
        self,
        shape: Any = None,
        dtype: Any = float32,
        indices_dtype: Any = int64,
        dense_shape_dtype: Any = None,
        indices_shape: Any = None,
    ) -> None:
        self._shape = as_shape(shape)
        self._values_dtype = as_dtype(dtype)
        self._indices_dtype = as_dtype(indices_dtype)
        self._dense_shape_dtype = None if dense_shape_dtype is None else as_dtype(dense_shape_dtype)
        self._indices_shape = as_shape(indices_shape).with_rank(1)

    @property
    def value_type(self) -> type:
        return IndexedSlices

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> DType:
        return self._values_dtype

    @classmethod
    def from_value(cls, value: IndexedSlices) -> IndexedSlicesSpec:
        return value._type_spec

    @property
    def _component_specs(self) -> tuple:
        specs: List[TensorSpec] = [
            TensorSpec(self._indices_shape.concatenate(self._shape[1:]), self._values_dtype),
            TensorSpec(self._indices_shape, self._indices_dtype),
        ]
        if self._dense_shape_dtype is not None:
            specs.append(TensorSpec([self._shape.rank], self._dense_shape_dtype))
        return tuple(specs)

    def _to_components(self, value: IndexedSlices) -> tuple:
        if value.dense_shape is None:
            return (value.values, value.indices)
        return (value.values, value.indices, value.dense_shape)

    def _from_components(self, tensor_list: Any) -> IndexedSlices:
        return IndexedSlices(*tensor_list)

    def is_compatible_with(self, spec_or_value: Any) -> bool:
        other = spec_or_value._type_spec if isinstance(spec_or_value, IndexedSlices) else spec_or_value
        if not isinstance(other, IndexedSlicesSpec):
            return False
        return (
            (self._values_dtype, self._indices_dtype, self._dense_shape_dtype)
            == (other._values_dtype, other._indices_dtype, other._dense_shape_dtype)
            and self._shape.is_compatible_with(other._shape)
            and self._indices_shape.is_compatible_with(other._indices_shape)
        )

    def most_specific_common_supertype(self, others: Any) -> Optional[IndexedSlicesSpec]:
        shape, indices_shape = self._shape, self._indices_shape
        for o in others:
            if not isinstance(o, IndexedSlicesSpec) or o._key()[2:5] != self._key()[2:5]:
                return None
            shape = shape.most_specific_compatible_shape(o._shape)
            indices_shape = indices_shape.most_specific_compatible_shape(o._indices_shape)
        return IndexedSlicesSpec(shape, self._values_dtype, self._indices_dtype, self._dense_shape_dtype, indices_shape)

    def _key(self) -> tuple:
        dense_shape_dtype = None if self._dense_shape_dtype is None else self._dense_shape_dtype.name
        return (
            "indexed_slices",
            _dims_key(self._shape),
            self._values_dtype.name,
            self._indices_dtype.name,
            dense_shape_dtype,
            _dims_key(self._indices_shape),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IndexedSlicesSpec) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        dense_shape_dtype = None if self._dense_shape_dtype is None else f"tf.{self._dense_shape_dtype.name}"
        return (
            f"IndexedSlicesSpec({self._shape!r}, tf.{self._values_dtype.name}, tf.{self._indices_dtype.name}, "
            f"{dense_shape_dtype}, {self._indices_shape!r})"
        )


def _dims_key(shape: TensorShape) -> Any:
    return None if shape.rank is None else tuple(shape)


def _constant_shape(dense_shape: Any) -> TensorShape:
    """The shape a dense-shape vector holds: its values when known while tracing, else its length."""
    from .graph_constants import constant_value

    known = constant_value(dense_shape)
    if known is None and hasattr(dense_shape, "numpy"):
        known = dense_shape.numpy()
    if known is not None:
        return TensorShape([int(d) if d >= 0 else None for d in known.tolist()])
    length = TensorShape(dense_shape.shape)
    return TensorShape(None) if length.rank != 1 or length[0] is None else TensorShape([None] * length[0])


def _to_tensor(value: IndexedSlices, dtype: Any = None, name: Any = None, as_ref: bool = False) -> Any:
    """The dense tensor: each row of ``values`` added into row ``indices[i]`` of zeros of ``dense_shape``."""
    from ..ops.segment_ops import unsorted_segment_sum
    from .context import executing_eagerly
    from .graph_constants import constant_value

    if dtype is not None and not as_dtype(dtype).is_compatible_with(value.dtype):
        raise ValueError(
            f"Incompatible tensor conversion requested to `dtype` {as_dtype(dtype).name} for "
            f"IndexedSlices ({value}) with dtype {value.dtype.name}"
        )
    if value.dense_shape is None:
        raise ValueError(
            f"Tensor conversion requested for IndexedSlices for argument `value` without dense_shape: {value!s}"
        )
    if not executing_eagerly():
        known = constant_value(value.dense_shape)
        if known is not None:
            count = 1
            for d in known.tolist():
                count *= int(d)
            if count >= _LARGE_SPARSE_NUM_ELEMENTS:
                warnings.warn(
                    f"Converting sparse IndexedSlices to a dense Tensor with {count} elements. "
                    "This may consume a large amount of memory.",
                    stacklevel=3,
                )
    return unsorted_segment_sum(value.values, value.indices, value.dense_shape[0], name=name)


def _register() -> None:
    from .tensor_conversion import CONVERSION_FUNCTIONS

    CONVERSION_FUNCTIONS.append((IndexedSlices, _to_tensor, 100))


_register()
