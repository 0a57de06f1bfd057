"""Element specs as ``tf.data`` transformations change them: ``DatasetSpec`` (the spec of a dataset that is an
element, as ``window`` makes), whether two structures match, a spec batched or unbatched, the leading size
its leaves share, and the common supertype of two specs (what ``choose_from_datasets`` or a reduce state
needs when they differ).
"""

from __future__ import annotations

from typing import Any, Optional

from ..framework import nest
from ..framework.composite_specs import RaggedTensorSpec, SparseTensorSpec
from ..framework.tensor_shape import TensorShape
from ..framework.tensor_spec import TensorSpec
from ..framework.type_spec import TypeSpec


class DatasetSpec(TypeSpec):
    """``tf.data.DatasetSpec``: the type of a dataset that is itself an element (``window`` makes them)."""

    def __init__(self, element_spec: Any, dataset_shape: Any = ()) -> None:
        self._element_spec = element_spec
        self._dataset_shape = TensorShape(dataset_shape)

    @property
    def element_spec(self) -> Any:
        return self._element_spec

    @property
    def shape(self) -> TensorShape:
        return self._dataset_shape

    @property
    def value_type(self) -> type:
        from .dataset_ops import Dataset

        return Dataset

    def is_compatible_with(self, other: Any) -> bool:
        from .dataset_ops import Dataset

        spec = other.element_spec if isinstance(other, (Dataset, DatasetSpec)) else None
        return (
            spec is not None
            and same_structure(spec, self._element_spec)
            and all(a.is_compatible_with(b) for a, b in zip(nest.flatten(spec), nest.flatten(self._element_spec)))
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DatasetSpec) and self._element_spec == other._element_spec

    def __hash__(self) -> int:
        return hash(repr(self))

    def __repr__(self) -> str:
        return f"DatasetSpec({self._element_spec!r}, {self._dataset_shape!r})"


def same_structure(a: Any, b: Any) -> bool:
    """Whether ``b`` has the tuples and dicts of ``a`` (a leaf of ``a`` matches any value, lists included)."""
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and sorted(a) == sorted(b)
            and all(same_structure(a[k], b[k]) for k in a)
        )
    if isinstance(a, tuple):
        return isinstance(b, (tuple, list)) and len(a) == len(b) and all(same_structure(x, y) for x, y in zip(a, b))
    return not isinstance(b, tuple)


def batched(spec: Any, size: Optional[int]) -> Any:
    """Each leaf spec with a new leading dimension of ``size`` (None when unknown)."""

    def one(s: Any) -> Any:
        if isinstance(s, DatasetSpec):
            raise TypeError("cannot batch a dataset whose elements are datasets (from window): flat_map them first")
        dims = s.shape._dim_list
        if isinstance(s, RaggedTensorSpec):  # a ragged leaf gains a ragged dimension
            shape = None if dims is None else [size] + dims
            return RaggedTensorSpec(shape, s.dtype, s.ragged_rank + 1, s.row_splits_dtype)
        if isinstance(s, SparseTensorSpec):
            return SparseTensorSpec(None if dims is None else [size] + dims, s.dtype)
        return TensorSpec(None if dims is None else [size] + dims, s.dtype)

    return nest.map_structure(one, spec)


def unbatched(spec: Any) -> Any:
    """Each leaf spec without its leading dimension; scalars cannot be unbatched."""

    def one(s: Any) -> Any:
        if isinstance(s, DatasetSpec):
            raise TypeError("cannot unbatch a dataset whose elements are datasets")
        if s.shape.rank == 0:
            raise ValueError("Cannot unbatch an input with scalar components.")
        dims = s.shape._dim_list
        if isinstance(s, RaggedTensorSpec):
            if s.ragged_rank == 0:
                raise NotImplementedError("unbatching ragged elements of ragged_rank 0")
            return RaggedTensorSpec(None if dims is None else dims[1:], s.dtype, s.ragged_rank - 1, s.row_splits_dtype)
        if isinstance(s, SparseTensorSpec):
            return SparseTensorSpec(None if dims is None else dims[1:], s.dtype)
        return TensorSpec(None if dims is None else dims[1:], s.dtype)

    return nest.map_structure(one, spec)


def leading_dim(spec: Any) -> Optional[int]:
    """The leading dimension every leaf shares statically, else None."""
    dims = set()
    for s in nest.flatten(spec):
        d = s.shape._dim_list
        dims.add(None if not d else d[0])
    return dims.pop() if len(dims) == 1 else None


def common_supertype(a: Any, b: Any, what: str) -> Any:
    """The spec both ``a`` and ``b`` fit (shapes relaxed where they differ); TypeError if they cannot."""
    if not same_structure(a, b):
        raise TypeError(f"{what}: incompatible structures {a} and {b}")
    out = []
    for x, y in zip(nest.flatten(a), nest.flatten(b)):
        if isinstance(x, DatasetSpec) or isinstance(y, DatasetSpec):
            if not (isinstance(x, DatasetSpec) and isinstance(y, DatasetSpec)):
                raise TypeError(f"{what}: incompatible types {a} and {b}")
            out.append(DatasetSpec(common_supertype(x.element_spec, y.element_spec, what)))
            continue
        composite = (RaggedTensorSpec, SparseTensorSpec)
        if isinstance(x, composite) or isinstance(y, composite):
            merged = x.most_specific_common_supertype([y]) if isinstance(x, composite) else None
            if merged is None:
                raise TypeError(f"{what}: incompatible types {a} and {b}")
            out.append(merged)
            continue
        if x.dtype != y.dtype:
            raise TypeError(f"{what}: incompatible types {a} and {b}")
        out.append(TensorSpec(x.shape.most_specific_compatible_shape(y.shape), x.dtype))
    return nest.pack_sequence_as(a, out)
