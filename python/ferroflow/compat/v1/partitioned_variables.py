"""TF1's partitioned variables: ``get_variable(..., partitioner=...)`` (or a ``variable_scope`` partitioner)
makes one variable per shard, ``<name>/part_0``, ``<name>/part_1`` ..., split along one axis as TensorFlow
splits it (the first ``size % n`` shards one row longer), and returns a ``PartitionedVariable``: a list of the
shards that converts to their concatenation wherever a tensor is expected, and that the embedding lookups
accept as a sharded table. The partitioners: ``fixed_size_partitioner``, ``min_max_variable_partitioner`` and
``variable_axis_size_partitioner``.
"""

from __future__ import annotations

import math
from typing import Any, Callable, List, Optional

from ...framework.dtypes import as_dtype
from ...framework.tensor_shape import TensorShape
from ...framework.variables import Variable
from ...ops import array_ops


class PartitionedVariable:
    """The shards of one logical variable, in order along ``axis``."""

    def __init__(self, name: str, shape: List[int], dtype: Any, variables: List[Variable], partitions: List[int]):
        self._name = name
        self._shape = TensorShape(shape)
        self._dtype = as_dtype(dtype)
        self._variables = list(variables)
        self._partitions = list(partitions)
        self._axis = next((i for i, p in enumerate(partitions) if p > 1), 0)

    def __iter__(self) -> Any:
        return iter(self._variables)

    def __len__(self) -> int:
        return len(self._variables)

    def __getitem__(self, index: int) -> Variable:
        return self._variables[index]

    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self) -> Any:
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    def _get_variable_list(self) -> List[Variable]:
        return list(self._variables)

    def _get_partitions(self) -> List[int]:
        return list(self._partitions)

    def as_tensor(self) -> Any:
        """The shards concatenated along the partition axis: the whole variable's value."""
        if len(self._variables) == 1:
            return self._variables[0].value()
        return array_ops.concat([v.value() for v in self._variables], self._axis)

    def __tf_tensor__(self, dtype: Any = None, name: Any = None) -> Any:
        return self.as_tensor()

    def assign(self, value: Any) -> Any:
        """Assigns each shard its slice of ``value``."""
        from ...ops.slicing_ops import split

        parts = split(value, [v.shape[self._axis] for v in self._variables], axis=self._axis)
        updates = [v.assign(p) for v, p in zip(self._variables, parts)]
        return array_ops.group(*updates)

    def __repr__(self) -> str:
        return f"<tf.PartitionedVariable '{self._name}' shape={self._shape} dtype={self._dtype.name} parts={len(self)}>"


def _check(shape: Any, dtype: Any) -> TensorShape:
    shape = TensorShape(shape)
    if not shape.is_fully_defined():
        raise ValueError(f"shape is not fully defined: {shape}")
    return shape


def _element_size(dtype: Any, bytes_per_string_element: int) -> int:
    d = as_dtype(dtype)
    return bytes_per_string_element if d.name == "string" else d.size


def fixed_size_partitioner(num_shards: int, axis: int = 0) -> Callable:
    """``num_shards`` shards along ``axis`` (fewer when the axis is shorter)."""

    def partitioner(shape: Any, dtype: Any = None) -> List[int]:
        shape = TensorShape(shape)
        if axis >= shape.rank:
            raise ValueError(f"Partitioner axis {axis} is out of range for shape {shape}")
        partitions = [1] * shape.rank
        partitions[axis] = min(num_shards, shape[axis])
        return partitions

    return partitioner


def min_max_variable_partitioner(
    max_partitions: int = 1, axis: int = 0, min_slice_size: int = 256 << 10, bytes_per_string_element: int = 16
) -> Callable:
    """As many shards as give slices of at least ``min_slice_size`` bytes, at most ``max_partitions``."""

    def partitioner(shape: Any, dtype: Any) -> List[int]:
        shape = _check(shape, dtype)
        if axis >= shape.rank:
            raise ValueError(f"Can not partition variable along axis {axis} when shape is only {shape}")
        total = shape.num_elements() * _element_size(dtype, bytes_per_string_element)
        partitions = [1] * shape.rank
        partitions[axis] = max(1, min(shape[axis], max_partitions, int(math.ceil(total / min_slice_size))))
        return partitions

    return partitioner


def variable_axis_size_partitioner(
    max_shard_bytes: int, axis: int = 0, bytes_per_string_element: int = 16, max_shards: Optional[int] = None
) -> Callable:
    """Shards of at most ``max_shard_bytes`` bytes along ``axis`` (at most ``max_shards`` of them)."""
    if max_shard_bytes < 1 or bytes_per_string_element < 1:
        raise ValueError(
            "Both max_shard_bytes and bytes_per_string_element must be positive. Currently, max_shard_bytes is "
            f"{max_shard_bytes} and bytes_per_string_element is {bytes_per_string_element}"
        )
    if max_shards and max_shards < 1:
        raise ValueError("max_shards must be positive.")

    def partitioner(shape: Any, dtype: Any) -> List[int]:
        shape = _check(shape, dtype)
        per_slice = 1.0 * (shape.num_elements() / shape[axis]) * _element_size(dtype, bytes_per_string_element)
        slices_per_shard = max(1, math.floor(max_shard_bytes / per_slice))
        shards = int(math.ceil(1.0 * shape[axis] / slices_per_shard))
        if max_shards:
            shards = min(max_shards, shards)
        partitions = [1] * shape.rank
        partitions[axis] = shards
        return partitions

    return partitioner


def _sizes(total: int, n: int) -> List[int]:
    return [total // n + (1 if i < total % n else 0) for i in range(n)]


def partitioned_variable(
    scope: Any,
    full: str,
    shape: Any,
    dtype: Any,
    initializer: Any,
    regularizer: Any,
    trainable: Any,
    collections: Any,
    partitioner: Callable,
) -> PartitionedVariable:
    """``get_variable`` with a partitioner: the shards ``<full>/part_<i>`` as one PartitionedVariable."""
    from .variable_scope import AUTO_REUSE, _default_initializer, _store, add_regularization

    store = _store()
    existing = store.variables.get(full)
    if existing is not None:
        if scope.reuse is not True and scope.reuse is not AUTO_REUSE:
            raise ValueError(
                f"Partitioned variable with name {full} already exists. Did you mean to set reuse=True or "
                "reuse=tf.AUTO_REUSE in VarScope?"
            )
        return existing
    if scope.reuse is True:
        raise ValueError(f"PartitionedVariable {full} does not exist, or was not created with tf.get_variable().")
    if shape is None:
        raise ValueError(f"Shape of a new partitioned variable ({full}) must be fully defined, but instead was None.")
    dims = [int(d) for d in (shape.as_list() if hasattr(shape, "as_list") else shape)]
    d = as_dtype(dtype) if dtype is not None else scope.dtype
    partitions = list(partitioner(shape=TensorShape(dims), dtype=d))
    if len(partitions) != len(dims) or sum(1 for p in partitions if p > 1) > 1:
        raise ValueError(f"Partitioner returned {partitions}: one entry per axis, at most one of them above 1")
    axis = next((i for i, p in enumerate(partitions) if p > 1), 0)
    init = initializer if initializer is not None else scope.initializer
    init = init if init is not None else _default_initializer(full, d)
    init = init() if isinstance(init, type) else init
    whole = init(dims, dtype=d) if callable(init) else init  # one draw for the whole variable, then sliced
    shards, start = [], 0
    for i, size in enumerate(_sizes(dims[axis], partitions[axis])):
        begin = [0] * len(dims)
        begin[axis] = start
        extent = list(dims)
        extent[axis] = size
        from ...ops.slicing_ops import slice as _slice

        part = _slice(whole, begin, extent) if partitions[axis] > 1 else whole
        shard = Variable(
            part,
            trainable=True if trainable is None else trainable,
            name=f"{full}/part_{i}",
            dtype=d,
            collections=collections,
        )
        shard._name = f"{full}/part_{i}"
        shards.append(shard)
        start += size
    result = PartitionedVariable(full, dims, d, shards, partitions)
    store.variables[full] = result
    from ...framework import context

    graph = context.current_graph()
    for shard in shards:
        add_regularization(graph, regularizer, shard)
    return result


def create_partitioned_variables(
    shape: Any,
    slicing: List[int],
    initializer: Any,
    dtype: Any = "float32",
    trainable: bool = True,
    collections: Any = None,
    name: Optional[str] = None,
    reuse: Any = None,
) -> List[Variable]:
    """The shards (a list) of a variable of ``shape`` cut ``slicing[axis]`` ways along one axis."""
    from .variable_scope import get_variable, variable_scope

    with variable_scope(name, default_name="PartitionedVariable", reuse=reuse):
        result = get_variable(
            name="PartitionedVariable" if name is None else name,
            shape=shape,
            dtype=dtype,
            initializer=initializer,
            trainable=trainable,
            collections=collections,
            partitioner=lambda **_: list(slicing),
        )
    return list(result)
