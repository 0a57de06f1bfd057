"""The feature column base classes, the transformation cache and the state manager, as in TensorFlow.

Columns are immutable named tuples (hashable, so they key the cache and ``cols_to_output_tensors``). Inside,
categorical columns hand each other ``Ids``: a dense ``(batch, n)`` tensor of ids with a ``present`` mask,
which stands for TensorFlow's ``SparseTensor`` of ids (an element is in the sparse tensor iff it is present)
and, unlike a ``SparseTensor``, works in graphs for every dtype. ``get_sparse_tensors`` gives TensorFlow's
``IdWeightPair`` of ``SparseTensor``s for eager callers.
"""

from __future__ import annotations

import abc
import collections
import re
from typing import Any, NamedTuple, Optional

import numpy as np

from ..framework.dtypes import DType, as_dtype
from ..framework.ragged_tensor import RaggedTensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import EagerTensor, Tensor
from ..ops import array_ops

IdWeightPair = collections.namedtuple("IdWeightPair", ("id_tensor", "weight_tensor"))


class Ids(NamedTuple):
    """Categorical values as a dense ``(batch, n)`` tensor, the mask of those present, and their weights."""

    values: Any
    present: Any
    weights: Any = None


class FeatureColumn(abc.ABC):
    """A feature column (``tf.__internal__.feature_column.FeatureColumn``)."""

    @property
    @abc.abstractmethod
    def name(self) -> str:
        """The column's name, also its order in ``DenseFeatures``' output."""

    @property
    @abc.abstractmethod
    def parse_example_spec(self) -> dict:
        """``{feature key: FixedLenFeature/VarLenFeature}`` for ``tf.io.parse_example``."""

    @abc.abstractmethod
    def transform_feature(self, transformation_cache: FeatureTransformationCache, state_manager: Any) -> Any:
        """The column's transformed feature (cached per call by ``FeatureTransformationCache``)."""

    @property
    def parents(self) -> list:
        return []

    @property
    def _is_v2_column(self) -> bool:
        return True

    def create_state(self, state_manager: Any) -> None:  # noqa: B027 (most columns have no state)
        """Creates the column's variables (embedding weights); most columns have none."""

    def get_config(self) -> dict:
        return dict(zip(self._fields, self))  # type: ignore[attr-defined]

    @classmethod
    def from_config(cls, config: dict, custom_objects: Any = None, columns_by_name: Any = None) -> Any:
        check_config_keys(config, cls._fields)  # type: ignore[attr-defined]
        return cls(**standardize_config(config))


class DenseColumn(FeatureColumn):
    """A column with a dense representation (``tf.__internal__.feature_column.DenseColumn``)."""

    @property
    @abc.abstractmethod
    def variable_shape(self) -> Any:
        """The per-example shape of ``get_dense_tensor``."""

    @abc.abstractmethod
    def get_dense_tensor(self, transformation_cache: FeatureTransformationCache, state_manager: Any) -> Any:
        """A float tensor of shape ``[batch] + variable_shape``."""


class CategoricalColumn(FeatureColumn):
    """A column of categorical ids (``tf.__internal__.feature_column.CategoricalColumn``)."""

    IdWeightPair = IdWeightPair

    @property
    @abc.abstractmethod
    def num_buckets(self) -> int:
        """The number of distinct ids."""

    def get_ids(self, transformation_cache: FeatureTransformationCache, state_manager: Any) -> Ids:
        return transformation_cache.get(self, state_manager)

    def get_sparse_tensors(self, transformation_cache: FeatureTransformationCache, state_manager: Any) -> IdWeightPair:
        """TensorFlow's ``IdWeightPair`` of ``SparseTensor``s (eager tensors only)."""
        ids = self.get_ids(transformation_cache, state_manager)
        return IdWeightPair(
            to_sparse(ids.values, ids.present), None if ids.weights is None else to_sparse(ids.weights, ids.present)
        )


def to_sparse(values: Any, present: Any) -> SparseTensor:
    """The present elements of a dense ``(batch, n)`` tensor as a ``SparseTensor`` (eager only)."""
    if not isinstance(values, EagerTensor):
        raise NotImplementedError(
            "get_sparse_tensors builds SparseTensors from eager tensors only; inside graphs feature columns "
            "are consumed by DenseFeatures / indicator_column / embedding_column"
        )
    mask = present.numpy()
    indices = np.argwhere(mask).astype(np.int64)
    from ..ops.slicing_ops import gather_nd

    return SparseTensor(indices, gather_nd(values, indices), np.asarray(mask.shape, np.int64))


class FeatureTransformationCache:
    """Looks up raw features by key and transformed features by column, transforming each column once."""

    def __init__(self, features: dict) -> None:
        self._features = dict(features)
        self._feature_tensors: dict = {}

    def get(self, key: Any, state_manager: Any, training: Any = None) -> Any:
        if key in self._feature_tensors:
            return self._feature_tensors[key]
        if key in self._features:
            tensor = raw_feature(key, self._features[key])
            self._feature_tensors[key] = tensor
            return tensor
        if isinstance(key, str):
            raise ValueError(f"Feature {key} is not in features dictionary.")
        if not isinstance(key, FeatureColumn):
            raise TypeError(f'"key" must be either a "str" or "FeatureColumn". Provided: {key}')
        transformed = key.transform_feature(self, state_manager)
        if transformed is None:
            raise ValueError(f"Column {key.name} is not supported.")
        self._feature_tensors[key] = transformed
        return transformed


def raw_feature(key: str, value: Any) -> Any:
    """A raw feature as a tensor or ``SparseTensor``/``RaggedTensor``, with rank 1 expanded to rank 2."""
    if isinstance(value, (SparseTensor, RaggedTensor)):
        tensor = value
    else:
        from ..framework.ops import convert_to_tensor

        tensor = value if isinstance(value, Tensor) else convert_to_tensor(_plain(value))
    rank = tensor.shape.rank
    if rank == 0:
        shown = tensor.numpy() if isinstance(tensor, EagerTensor) else tensor
        raise ValueError(f"Feature (key: {key}) cannot have rank 0. Given: {shown}")
    if rank == 1:
        if isinstance(tensor, SparseTensor):
            from ..ops.sparse_ops import expand_dims

            return expand_dims(tensor, -1)
        if isinstance(tensor, RaggedTensor):
            raise ValueError(f"Feature (key: {key}): a RaggedTensor must have rank 2 or more, received rank 1")
        return array_ops.expand_dims(tensor, -1)
    return tensor


def _plain(value: Any) -> Any:
    """A raw value as ``tf.convert_to_tensor`` sees it: Python floats become float32 and ints int32 (NumPy
    arrays keep their dtype); text becomes a string tensor."""
    arr = np.asarray(value)
    if arr.dtype.kind in "US":
        return arr.astype(object)
    if not isinstance(value, np.ndarray):
        if arr.dtype == np.float64:
            return arr.astype(np.float32)
        if arr.dtype == np.int64 and arr.size and np.abs(arr).max() < 2**31:
            return arr.astype(np.int32)
    return arr


class StateManager:
    """Creates and holds the variables of columns (``tf.__internal__.feature_column.StateManager``)."""

    def __init__(self, layer: Any, trainable: bool) -> None:
        self._layer = layer
        self._trainable = trainable
        self._cols_to_vars_map: dict = collections.defaultdict(dict)

    def create_variable(
        self,
        feature_column: FeatureColumn,
        name: str,
        shape: Any,
        dtype: Any = None,
        trainable: bool = True,
        use_resource: bool = True,
        initializer: Any = None,
    ) -> Any:
        if name in self._cols_to_vars_map[feature_column]:
            raise ValueError("Variable already exists.")
        var = self._layer.add_weight(
            name=f"{feature_column.name}/{name}",
            shape=shape,
            dtype=dtype,
            initializer=initializer,
            trainable=self._trainable and trainable,
        )
        self._cols_to_vars_map[feature_column][name] = var
        return var

    def add_variable(self, feature_column: FeatureColumn, var: Any) -> None:
        self._cols_to_vars_map[feature_column][var.name] = var

    def get_variable(self, feature_column: FeatureColumn, name: str) -> Any:
        if name not in self._cols_to_vars_map[feature_column]:
            raise ValueError(f"Variable {name} does not exist for column {feature_column.name}.")
        return self._cols_to_vars_map[feature_column][name]


# -- argument checks, with TensorFlow's messages
def column_dtype(dtype: Any) -> DType:
    return dtype if isinstance(dtype, DType) else as_dtype(dtype)


def assert_string_or_int(dtype: DType, prefix: str) -> None:
    if dtype.name != "string" and not dtype.is_integer:
        raise ValueError(f"{prefix} dtype must be string or integer. dtype: {dtype}.")


def assert_key_is_string(key: Any) -> None:
    if not isinstance(key, str):
        raise ValueError(f"key must be a string. Got: type {type(key)}. Given key: {key}.")


def check_config_keys(config: dict, expected_keys: Any) -> None:
    if set(config.keys()) != set(expected_keys):
        raise ValueError(f"Invalid config: {config}, expected keys: {expected_keys}")


def standardize_config(config: dict) -> dict:
    """A copy of ``config`` with lists as tuples (configs from JSON have lists; columns hold tuples)."""
    return {k: _tuples(v) for k, v in config.items()}


def _tuples(v: Any) -> Any:
    return tuple(_tuples(x) for x in v) if isinstance(v, list) else v


def sanitize_name(name: str) -> str:
    """A column name as a name scope (TensorFlow's ``_sanitize_column_name_for_variable_scope``)."""
    return re.sub(r"[^A-Za-z0-9_.\-]", "_", name)


def dtype_str(dtype: Optional[DType]) -> str:
    return "None" if dtype is None else repr(dtype)
