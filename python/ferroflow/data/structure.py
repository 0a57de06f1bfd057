"""Element structures: nested ``TensorSpec``s, the flat NumPy components a pipeline holds, and conversions.

Inside a pipeline an element is a flat tuple of components (NumPy arrays, ``RaggedComponent``s for ragged
leaves, or datasets for nested windows)
in ``nest.flatten`` order of the dataset's ``element_spec``; only the user-facing boundary packs them back
into the nested structure of ferroflow tensors. The specs themselves (``DatasetSpec``, structure matching, the
spec a transformation makes) are in :mod:`.element_specs`.
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
from .element_specs import (  # noqa: F401  (callers reach these as structure.*)
    DatasetSpec,
    batched,
    common_supertype,
    leading_dim,
    same_structure,
    unbatched,
)
from .ragged_elements import RaggedComponent
from .sparse_elements import SparseComponent


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
        const = _graph_constant(value)
        if const is not None:  # a constant made in the traced function: its value is known now
            return to_component(np.asarray(const.numpy()))
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


def _graph_constant(value: Any) -> Any:
    """The value of a graph tensor that is a constant of its graph (a core tensor), else None."""
    graph = getattr(value, "graph", None)
    node = getattr(value, "node", None)
    if graph is None or node is None or not hasattr(graph, "_g"):
        return None
    return graph._g.const_value(node)


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
