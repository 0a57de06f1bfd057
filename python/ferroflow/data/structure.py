"""Element structures: nested ``TensorSpec``s, the flat NumPy components a pipeline holds, and conversions.

Inside a pipeline an element is a flat tuple of components (NumPy arrays, ``RaggedComponent``s for ragged
leaves, or datasets for nested windows)
in ``nest.flatten`` order of the dataset's ``element_spec``; only the user-facing boundary packs them back
into the nested structure of ferroflow tensors.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .. import _core
from ..framework import nest
from ..framework.composite_specs import RaggedTensorSpec, SparseTensorSpec
from ..framework.dtypes import DType, as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import EagerTensor, Tensor
from ..framework.tensor_shape import TensorShape
from ..framework.tensor_spec import TensorSpec
from ..framework.variables import Variable
from .ragged_elements import RaggedComponent
from .sparse_elements import SparseComponent


class DatasetSpec:
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


def string_dtype() -> Optional[DType]:
    """``tf.string`` when the core has it, else None."""
    try:
        return as_dtype("string")
    except (TypeError, ValueError):
        return None


def is_dataset(value: Any) -> bool:
    from .dataset_ops import Dataset

    return isinstance(value, Dataset)


def normalize(value: Any) -> Any:
    """``value`` with every leaf a component: tuples, namedtuples and dicts stay structure; lists, as in
    ``tf.data``, are values (``from_tensor_slices([1, 2])`` slices a tensor)."""
    if isinstance(value, dict):
        return type(value)((k, normalize(v)) for k, v in value.items())
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*[normalize(v) for v in value])
    if isinstance(value, tuple):
        return tuple(normalize(v) for v in value)
    return to_component(value)


def flatten_value(value: Any) -> list:
    """The leaves of a value in ``nest.flatten`` order, lists being leaves (values), as ``tf.data`` sees them."""
    if isinstance(value, dict):
        return [leaf for k in sorted(value) for leaf in flatten_value(value[k])]
    if isinstance(value, tuple) and not isinstance(value, TensorShape):
        return [leaf for v in value for leaf in flatten_value(v)]
    return [value]


def to_component(value: Any) -> Any:
    """One leaf as a pipeline component: a NumPy array of a core dtype, or a dataset."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        want = np.dtype(as_dtype(value.dtype).as_numpy_dtype)
        return value if value.dtype == want else value.astype(want)
    text = _text_array(value)
    if text is not None:
        return text
    if isinstance(value, EagerTensor):
        return value._t.numpy()
    if is_dataset(value):
        return value
    if isinstance(value, Tensor):
        raise TypeError(f"tf.data needs values, not the symbolic tensor {value!r} of a graph being built")
    if isinstance(value, RaggedTensor):
        return RaggedComponent.from_value(value)
    if isinstance(value, (RaggedComponent, SparseComponent)):
        return value
    if isinstance(value, SparseTensor):
        return SparseComponent.from_value(value)
    if value is None:
        raise TypeError("tf.data elements cannot be None")
    if isinstance(value, Variable):
        return value.value()._t.numpy()
    return np.asarray(convert_to_tensor(value)._t.numpy())


def _text_array(value: Any) -> Optional[np.ndarray]:
    """Strings as ``tf.string`` holds them in NumPy (an object array of bytes, str encoded as UTF-8), or None
    when ``value`` is not text or the core has no string dtype."""
    if isinstance(value, (str, bytes)):
        arr = np.empty((), dtype=object)
        arr[()] = value
    elif isinstance(value, (list, np.ndarray)):
        try:
            arr = np.asarray(value)
        except ValueError:
            return None
        if arr.dtype.kind in "SU" and isinstance(value, list):
            # NumPy's fixed-width bytes drop trailing NUL bytes (serialized protos can end in them): keep the
            # Python objects, as tf.constant does.
            arr = np.array(value, dtype=object)
        if arr.dtype.kind not in "SUO" or (
            arr.dtype.kind == "O" and not all(isinstance(v, (str, bytes)) for v in arr.flat)
        ):
            return None
    else:
        return None
    if string_dtype() is None:
        return None
    out = np.empty(arr.shape, dtype=object)
    out.flat[:] = [v.encode() if isinstance(v, str) else bytes(v) for v in arr.flat]
    return out


def spec_of_component(component: Any) -> Any:
    if is_dataset(component):
        return DatasetSpec(component.element_spec)
    if isinstance(component, RaggedComponent):
        return RaggedTensorSpec(component.shape, component.dtype, component.ragged_rank)
    if isinstance(component, SparseComponent):
        return SparseTensorSpec(component.shape, component.dtype)
    return TensorSpec(component.shape, component.dtype)


def structure_of(value: Any) -> tuple:
    """``(element_spec, flat components)`` of a normalized value."""
    flat = nest.flatten(value)
    specs = [spec_of_component(c) for c in flat]
    return nest.pack_sequence_as(value, specs), tuple(flat)


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


def contiguous(a: np.ndarray) -> np.ndarray:
    """``a`` in C order (``np.ascontiguousarray`` would turn a 0-d array into a 1-d one); a ragged component as
    it is."""
    if not isinstance(a, np.ndarray):
        return a
    return a if a.flags.c_contiguous else np.array(a, order="C")


def wrap(component: Any) -> Any:
    """A component as a ferroflow tensor (datasets pass through)."""
    if isinstance(component, np.ndarray):
        return EagerTensor(_core.Tensor.from_numpy(contiguous(component)))
    if isinstance(component, (RaggedComponent, SparseComponent)):
        return component.to_tensor()
    return component


def to_user(structure: Any, flat: tuple) -> Any:
    """A flat element as the nested structure of tensors that iteration yields."""
    if len(flat) == 1 and not isinstance(structure, (tuple, dict)):
        return wrap(flat[0])
    return nest.pack_sequence_as(structure, [wrap(c) for c in flat])


def to_numpy(structure: Any, flat: tuple) -> Any:
    """A flat element as ``as_numpy_iterator`` yields it: NumPy arrays, and NumPy scalars for 0-d values."""

    def one(c: Any) -> Any:
        if isinstance(c, np.ndarray):
            return c[()] if c.ndim == 0 else c
        if isinstance(c, (RaggedComponent, SparseComponent)):
            return c.numpy()
        return c.as_numpy_iterator() if is_dataset(c) else c

    if len(flat) == 1 and not isinstance(structure, (tuple, dict)):
        return one(flat[0])
    return nest.pack_sequence_as(structure, [one(c) for c in flat])


def batched(spec: Any, size: Optional[int]) -> Any:
    """Each leaf spec with a new leading dimension of ``size`` (None when unknown)."""

    def one(s: Any) -> Any:
        if isinstance(s, DatasetSpec):
            raise TypeError("cannot batch a dataset whose elements are datasets (from window): flat_map them first")
        dims = s.shape.dims
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
        dims = s.shape.dims
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
        d = s.shape.dims
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


def describe(structure: Any, flat: tuple) -> str:
    """A short text of an element for error messages."""
    parts = []
    for c in flat:
        if isinstance(c, np.ndarray):
            text = np.array2string(c, threshold=6, edgeitems=2) if c.ndim else repr(c.item())  # bytes of a string
            parts.append(text.replace("\n", ""))
        elif isinstance(c, RaggedComponent):
            parts.append(f"RaggedTensor(shape={c.shape})")
        elif isinstance(c, SparseComponent):
            parts.append(f"SparseTensor(dense_shape={list(c.shape)})")
        else:
            parts.append(type(c).__name__)
    return parts[0] if len(parts) == 1 and not isinstance(structure, (tuple, dict)) else "(" + ", ".join(parts) + ")"
