"""``tf.lookup.experimental.MutableHashTable``: a map that ``insert`` and ``remove`` change at any time.

The pairs live in a dict (insertion order is the export order); lookups search a NumPy snapshot of it, made
again after each change, so a tensor of keys is found at once. Values are scalars, or vectors when the default
value is a vector (TensorFlow's ``MutableHashTableOfTensors``).
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

import numpy as np

from ..errors import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from . import _host, _keys
from ._kernels import check_kernel
from ._store import KeyIndex, check_pairs, shape_text
from .tables import LookupInterface, default_tensor, graph_name


def rows(items: list, dtype: Any, value_shape: tuple) -> np.ndarray:
    """``items`` (Python scalars, or lists for vector values) as an array of shape ``(len(items),) + value_shape``."""
    numpy_dtype = object if dtype.name == "string" else dtype.as_numpy_dtype
    out = np.empty((len(items),) + value_shape, dtype=numpy_dtype)
    if items:
        out[...] = items
    return out


class MutableHashTable(LookupInterface):
    """A generic mutable hash table: ``insert`` pairs, ``remove`` keys, ``lookup``, ``export`` and ``size``.

    >>> table = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, default_value=-1)
    >>> table.insert(tf.constant(["a", "b"]), tf.constant([7, 8], tf.int64))
    >>> table.lookup(tf.constant(["a", "f"])).numpy()
    array([ 7, -1])
    """

    def __init__(
        self,
        key_dtype: Any,
        value_dtype: Any,
        default_value: Any,
        name: str = "MutableHashTable",
        checkpoint: bool = True,
        experimental_is_anonymous: bool = False,
    ) -> None:
        super().__init__(key_dtype, value_dtype)
        self._default_value = default_tensor(default_value, self._value_dtype)
        vector = self._default_value.shape.rank != 0
        check_kernel(
            "MutableHashTableOfTensorsV2" if vector else "MutableHashTableV2", self._key_dtype, self._value_dtype
        )
        shape = tuple(self._default_value.shape.as_list())
        if vector and len(shape) != 1:
            raise InvalidArgumentError(f"Default value must be a vector, got shape {shape_text(shape)}")
        self._value_shape = shape
        self._name = name
        self._table_name = graph_name(name)
        self._pairs: dict = {}
        self._snapshot: Optional[Tuple[np.ndarray, np.ndarray, KeyIndex]] = None

    def _state(self) -> Tuple[np.ndarray, np.ndarray, KeyIndex]:
        if self._snapshot is None:
            keys = _host.as_array(rows(list(self._pairs), self._key_dtype, ()), self._key_dtype)
            values = rows(list(self._pairs.values()), self._value_dtype, self._value_shape)
            self._snapshot = (keys, values, KeyIndex(keys))
        return self._snapshot

    def _tensor(self, value: Any, dtype: Any) -> Tensor:
        return value if isinstance(value, Tensor) and value.dtype == dtype else convert_to_tensor(value, dtype=dtype)

    # -- the NumPy work of each op
    def _insert(self, keys: np.ndarray, values: np.ndarray) -> None:
        keys = _host.as_array(keys, self._key_dtype)
        values = _host.as_array(values, self._value_dtype)
        check_pairs(keys, values, self._value_shape)
        flat = values.reshape((keys.size,) + self._value_shape).tolist()
        self._pairs.update(zip(keys.reshape(-1).tolist(), flat))
        self._snapshot = None

    def _remove(self, keys: np.ndarray) -> None:
        pop = self._pairs.pop
        for key in _host.as_array(keys, self._key_dtype).reshape(-1).tolist():
            pop(key, None)
        self._snapshot = None

    def _find(self, keys: np.ndarray, default: np.ndarray) -> np.ndarray:
        keys = _host.as_array(keys, self._key_dtype)
        _, values, index = self._state()
        pos, found = index.find(keys)
        if not len(values):  # every key is missing: any row of the right dtype, replaced below
            values = np.zeros((1,) + values.shape[1:], dtype=values.dtype)
        out = values[pos.reshape(-1)].reshape(keys.shape + self._value_shape)
        default = _host.as_array(default, self._value_dtype)
        missing = ~found
        out[missing] = default[missing] if default.size == out.size and default.shape == out.shape else default
        return out

    # -- the ops
    def size(self, name: Optional[str] = None) -> Tensor:
        return _host.run(lambda: np.int64(len(self._pairs)), [], "int64", self._op_name("Size"), [()])

    def insert(self, keys: Any, values: Any, name: Optional[str] = None) -> Any:
        """Associates ``keys`` with ``values`` (same shape as the keys, plus the value shape), replacing the values
        of keys already present. The op in a TF1 graph, else None."""
        keys = self._tensor(keys, self._key_dtype)
        values = self._tensor(values, self._value_dtype)
        return _host.run(self._insert, [keys, values], None, self._op_name("lookup_table_insert/LookupTableInsertV2"))

    def remove(self, keys: Any, name: Optional[str] = None) -> Any:
        """Removes ``keys`` (of any shape) and their values; keys not in the table are ignored."""
        keys = _keys.as_keys(keys, self._key_dtype)
        _keys.check_dtype(keys, self._key_dtype)
        return _host.run(self._remove, [keys], None, self._op_name("lookup_table_remove/LookupTableRemoveV2"))

    def lookup(self, keys: Any, dynamic_default_values: Any = None, name: Optional[str] = None) -> Any:
        """The values of ``keys`` (shape: the keys' plus the value shape). Missing keys get the default value, or
        ``dynamic_default_values``: one default for all, or one per key (the result's shape)."""
        keys = _keys.as_keys(keys, self._key_dtype)
        _keys.check_dtype(keys, self._key_dtype)
        default = self._default_value
        if dynamic_default_values is not None:
            default = self._tensor(dynamic_default_values, self._value_dtype)

        def find(flat: Tensor) -> Tensor:
            shape = flat.shape.concatenate(self._value_shape)
            op = self._op_name("lookup_table_find/LookupTableFindV2")
            return _host.run(self._find, [flat, default], self._value_dtype, op, [shape])

        return _keys.on_values(keys, find)

    def _export(self) -> Tuple[np.ndarray, np.ndarray]:
        keys, values, _ = self._state()
        return keys, values

    def export(self, name: Optional[str] = None) -> Tuple[Tensor, Tensor]:
        """Every key in the table and its value, as two tensors (in insertion order)."""
        shapes = [(None,), (None, *self._value_shape)]
        op = self._op_name("lookup_table_export_values/LookupTableExportV2")
        return tuple(_host.run(self._export, [], [self._key_dtype, self._value_dtype], op, shapes))
