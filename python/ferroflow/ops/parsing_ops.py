"""``tf.io`` parsing: ``parse_example`` / ``parse_single_example`` with feature specs, ``decode_csv``, and
``serialize_tensor`` / ``parse_tensor``. Each parsed key (or CSV column) is one core op, so they run eagerly
and inside traced functions (``Dataset.map``) alike.
"""

from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional, Sequence

import numpy as np

from ..framework.dtypes import as_dtype
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from ..framework.tensor_shape import TensorShape

_FEATURE_DTYPES = ("string", "int64", "float32")


class FixedLenFeature(NamedTuple):
    """A feature of a fixed number of values, parsed to a dense tensor of ``shape``; ``default_value`` is
    used when an example lacks it (without one, the feature is required)."""

    shape: Any
    dtype: Any
    default_value: Any = None


class FixedLenSequenceFeature(NamedTuple):
    """A feature of any number of rows of ``shape``, parsed to ``[rows, *shape]`` (batches padded with
    ``default_value``)."""

    shape: Any
    dtype: Any
    allow_missing: bool = False
    default_value: Any = None


class VarLenFeature(NamedTuple):
    """A feature of any number of values, parsed to a ``SparseTensor``."""

    dtype: Any


def _dims(shape: Any, key: str) -> List[int]:
    dims = TensorShape(shape).as_list()
    if any(d is None for d in dims):
        raise ValueError(f"Feature {key}: the shape of a FixedLenFeature must be fully defined, received {shape}")
    return [int(d) for d in dims]


def _dtype_name(dtype: Any, key: str) -> str:
    name = as_dtype(dtype).name
    if name not in _FEATURE_DTYPES:
        raise ValueError(f"Feature {key}: dtype must be tf.string, tf.int64 or tf.float32, received {name}")
    return name


def _core_value(value: Any, dtype: str, shape: List[int], key: str) -> Any:
    """A default value as a core tensor of ``dtype`` and ``shape`` (a scalar is broadcast)."""
    if dtype == "string":
        arr = np.asarray(value, dtype=object)
        flat = [v.encode() if isinstance(v, str) else bytes(v) for v in arr.ravel()]
        arr = np.empty(arr.shape, dtype=object)
        arr.ravel()[:] = flat
    else:
        arr = np.asarray(
            value.numpy() if isinstance(value, EagerTensor) else value, dtype=as_dtype(dtype).as_numpy_dtype
        )
    if arr.shape != tuple(shape):
        if arr.size == 1:
            arr = np.broadcast_to(arr.reshape(()), shape).copy()
        elif arr.size == int(np.prod(shape)):
            arr = arr.reshape(shape)
        else:
            raise ValueError(f"Feature {key}: default_value of shape {list(arr.shape)} does not fit shape {shape}")
    return convert_to_tensor(arr, dtype=dtype)._t


def _parse_one(serialized: Tensor, key: str, spec: Any, single: bool) -> Any:
    if isinstance(spec, FixedLenFeature):
        dtype, shape = _dtype_name(spec.dtype, key), _dims(spec.shape, key)
        default = None if spec.default_value is None else _core_value(spec.default_value, dtype, shape, key)
        attrs = {"key": key, "dtype": dtype, "kind": "fixed", "shape": shape, "default": default}
        return apply("strings.parse_feature", [serialized], attrs)
    if isinstance(spec, FixedLenSequenceFeature):
        if not spec.allow_missing:
            raise ValueError(f"Feature {key}: FixedLenSequenceFeature in an Example requires allow_missing to be True")
        dtype, shape = _dtype_name(spec.dtype, key), _dims(spec.shape, key)
        default = None if spec.default_value is None else _core_value(spec.default_value, dtype, [], key)
        attrs = {"key": key, "dtype": dtype, "kind": "sequence", "shape": shape, "default": default}
        return apply("strings.parse_feature", [serialized], attrs)
    if isinstance(spec, VarLenFeature):
        dtype = _dtype_name(spec.dtype, key)
        parts = [
            apply("strings.parse_feature", [serialized], {"key": key, "dtype": dtype, "kind": kind})
            for kind in ("var_indices", "var_values", "var_shape")
        ]
        return _sparse(serialized, key, dtype, "var", parts, rank=1 if single else 2)
    from . import ragged_feature

    if isinstance(spec, ragged_feature.RaggedFeature):
        return ragged_feature.parse(serialized, key, spec, single)
    from . import sparse_feature

    if isinstance(spec, sparse_feature.SparseFeature):
        return sparse_feature.parse(serialized, key, spec, single)
    raise TypeError(
        f"Feature {key}: expected a FixedLenFeature, FixedLenSequenceFeature, VarLenFeature, SparseFeature or "
        f"RaggedFeature, received {spec!r}"
    )


def _sparse(serialized: Tensor, key: str, dtype: str, prefix: str, parts: list, rank: int) -> Any:
    """The SparseTensor of parsed ``[indices, values, dense_shape]``; in a graph it also gets the witness of
    its dense shape (zero elements shaped ``[*dense_shape, 0]``), from which graph ops read sizes."""
    from ..framework.sparse_tensor import SparseTensor

    indices, values, dense_shape = parts
    if isinstance(indices, EagerTensor):
        return SparseTensor(indices.numpy(), values, dense_shape.numpy())
    from ..framework.graph_composites import GraphSparseTensor

    attrs = {"key": key, "dtype": dtype, "kind": prefix + "_witness"}
    witness = apply("strings.parse_feature", [serialized], attrs)
    return GraphSparseTensor(indices, values, dense_shape, TensorShape([None] * rank), witness)


def _serialized(serialized: Any, rank: int, what: str) -> Tensor:
    t = convert_to_tensor(serialized)
    if t.dtype.name != "string":
        raise TypeError(f"{what} expects serialized Examples as a string tensor, received dtype {t.dtype.name}")
    if t.shape.rank is not None and t.shape.rank != rank:
        want = "a scalar" if rank == 0 else "a vector"
        raise ValueError(f"{what} expects {want} of serialized Examples, received shape {t.shape}")
    return t


def _check_features(features: Any) -> Dict[str, Any]:
    if not isinstance(features, dict):
        raise TypeError(f"features must be a dict of feature specs, received {type(features).__name__}")
    if not features:
        raise ValueError("Must provide at least one feature key.")
    return features


def _tf_order(features: Dict[str, Any]) -> list:
    """The keys of ``features`` in the order TensorFlow's parsed dict has them: the sparse features
    (VarLen) sorted, then the dense ones (FixedLen, FixedLenSequence) sorted, then the ragged ones, then the
    SparseFeatures (TensorFlow builds those last, from the VarLen parses of their keys)."""

    def group(spec: Any) -> int:
        if isinstance(spec, (FixedLenFeature, FixedLenSequenceFeature)):
            return 1
        return {"RaggedFeature": 2, "SparseFeature": 3}.get(type(spec).__name__, 0)

    return sorted(features, key=lambda key: (group(features[key]), key))


def parse_single_example(
    serialized: Any, features: Dict[str, Any], example_names: Any = None, name: Optional[str] = None
) -> Dict[str, Any]:
    """Parses one serialized ``tf.train.Example`` (a scalar string) into a dict of tensors by ``features``."""
    t = _serialized(serialized, 0, "parse_single_example")
    features = _check_features(features)
    return {key: _parse_one(t, key, features[key], True) for key in _tf_order(features)}


def parse_example(
    serialized: Any, features: Dict[str, Any], example_names: Any = None, name: Optional[str] = None
) -> Dict[str, Any]:
    """Parses a vector of serialized Examples into a dict of batched tensors by ``features``."""
    t = _serialized(serialized, 1, "parse_example")
    features = _check_features(features)
    return {key: _parse_one(t, key, features[key], False) for key in _tf_order(features)}


def _parse_list(serialized: Tensor, key: str, spec: Any) -> Any:
    if isinstance(spec, FixedLenSequenceFeature):
        dtype, shape = _dtype_name(spec.dtype, key), _dims(spec.shape, key)
        attrs = {"key": key, "dtype": dtype, "kind": "list_fixed", "shape": shape, "allow_missing": spec.allow_missing}
        return apply("strings.parse_feature", [serialized], attrs)
    if isinstance(spec, VarLenFeature):
        dtype = _dtype_name(spec.dtype, key)
        parts = [
            apply("strings.parse_feature", [serialized], {"key": key, "dtype": dtype, "kind": kind})
            for kind in ("list_var_indices", "list_var_values", "list_var_shape")
        ]
        return _sparse(serialized, key, dtype, "list_var", parts, rank=2)
    raise TypeError(f"Sequence feature {key}: expected a FixedLenSequenceFeature or VarLenFeature, received {spec!r}")


def parse_single_sequence_example(
    serialized: Any,
    context_features: Optional[Dict[str, Any]] = None,
    sequence_features: Optional[Dict[str, Any]] = None,
    example_name: Any = None,
    name: Optional[str] = None,
) -> tuple:
    """Parses one serialized ``tf.train.SequenceExample``: ``(context dict, sequence dict)``, the context by
    ``context_features`` (as ``parse_single_example``) and each feature list to ``[steps, ...]``."""
    t = _serialized(serialized, 0, "parse_single_sequence_example")
    if not context_features and not sequence_features:
        raise ValueError("Must provide at least one context_features or sequence_features key.")
    context_features, sequence_features = context_features or {}, sequence_features or {}
    context = {key: _parse_one(t, key, context_features[key], True) for key in _tf_order(context_features)}
    sequence = {key: _parse_list(t, key, sequence_features[key]) for key in _tf_order(sequence_features)}
    return context, sequence


_CSV_DTYPES = ("int32", "int64", "float32", "float64", "string")


def _csv_default(value: Any, i: int) -> tuple:
    """``(dtype name, default core tensor or None)`` of one entry of ``record_defaults``."""
    if isinstance(value, (type, str)) or hasattr(value, "as_numpy_dtype"):
        return as_dtype(value).name, None  # a dtype: the column is required
    if isinstance(value, (list, tuple, np.ndarray)) or (isinstance(value, Tensor) and value.shape.rank == 1):
        arr = value.numpy() if isinstance(value, EagerTensor) else value
        if len(arr) == 0:
            raise ValueError(f"record_defaults[{i}]: an empty default needs a dtype; pass a tf.DType instead")
        if len(arr) != 1:
            raise ValueError(f"record_defaults[{i}] must have at most one element, received {len(arr)}")
        value = arr[0]
    t = convert_to_tensor(value)
    if t.dtype.name not in _CSV_DTYPES:
        raise TypeError(f"record_defaults[{i}]: dtype must be one of {_CSV_DTYPES}, received {t.dtype.name}")
    return t.dtype.name, t._t


def decode_csv(
    records: Any,
    record_defaults: Sequence[Any],
    field_delim: str = ",",
    use_quote_delim: bool = True,
    name: Optional[str] = None,
    na_value: str = "",
    select_cols: Optional[Sequence[int]] = None,
) -> List[Tensor]:
    """Converts CSV records to one tensor per column (each of the records' shape). ``record_defaults`` gives
    each column's default value (a 1-element list or a scalar) or, as a dtype, marks it required."""
    t = convert_to_tensor(records)
    if t.dtype.name != "string":
        raise TypeError(f"decode_csv expects string records, received dtype {t.dtype.name}")
    if select_cols is not None:
        if list(select_cols) != sorted(set(select_cols)) or (select_cols and select_cols[0] < 0):
            raise ValueError("select_cols is not strictly increasing.")
        if len(select_cols) != len(record_defaults):
            raise ValueError("Length of select_cols and record_defaults do not match.")
        fields, num_fields = list(select_cols), (max(select_cols) + 1 if select_cols else 0)
    else:
        fields, num_fields = list(range(len(record_defaults))), len(record_defaults)
    out = []
    for i, (field, default) in enumerate(zip(fields, record_defaults)):
        dtype, value = _csv_default(default, i)
        attrs = {
            "field": field,
            "num_fields": num_fields,
            "at_least": select_cols is not None,
            "dtype": dtype,
            "default": value,
            "field_delim": field_delim,
            "use_quote_delim": use_quote_delim,
            "na_value": na_value,
        }
        out.append(apply("strings.decode_csv_column", [t], attrs))
    return out


def serialize_tensor(tensor: Any, name: Optional[str] = None) -> Tensor:
    """The tensor as a serialized ``TensorProto`` (a scalar string), as TensorFlow writes it."""
    return apply("strings.serialize_tensor", [convert_to_tensor(tensor)])


def parse_tensor(serialized: Any, out_type: Any, name: Optional[str] = None) -> Tensor:
    """The tensor a serialized ``TensorProto`` holds; its dtype must be ``out_type``."""
    t = convert_to_tensor(serialized)
    return apply("strings.parse_tensor", [t], {"out_type": as_dtype(out_type).name})
