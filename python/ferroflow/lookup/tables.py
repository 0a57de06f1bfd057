"""``tf.lookup.StaticHashTable``: an immutable map filled once by an initializer, and the interface all tables share.

The table's pairs live in NumPy arrays; a lookup finds a whole tensor of keys at once (``_store.KeyIndex``) and
fills the missing ones with ``default_value``. It runs eagerly, inside ``tf.function``, in ``Dataset.map`` and in
TF1 sessions (``_host``). Sparse and ragged keys are looked up through their values.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

import numpy as np

from ..errors import FailedPreconditionError, InvalidArgumentError
from ..framework import context
from ..framework.dtypes import DType, as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from . import _host, _keys
from ._kernels import check_kernel
from ._store import KeyIndex, check_pairs, distinct


class LookupInterface:
    """What every table has: its key and value dtypes, a name, ``size``, ``lookup`` and ``table[keys]``."""

    def __init__(self, key_dtype: Any, value_dtype: Any) -> None:
        self._key_dtype = as_dtype(key_dtype)
        self._value_dtype = as_dtype(value_dtype)

    @property
    def key_dtype(self) -> DType:
        """The table key dtype."""
        return self._key_dtype

    @property
    def value_dtype(self) -> DType:
        """The table value dtype."""
        return self._value_dtype

    @property
    def name(self) -> Optional[str]:
        """The name of the table: None eagerly, as in TensorFlow, its node's name in a graph."""
        return self._table_name

    def size(self, name: Optional[str] = None) -> Tensor:
        """The number of elements in the table (an int64 scalar)."""
        raise NotImplementedError

    def lookup(self, keys: Any, name: Optional[str] = None) -> Any:
        """The values of ``keys``."""
        raise NotImplementedError

    def __getitem__(self, keys: Any) -> Any:
        """``table[keys]`` is ``table.lookup(keys)``."""
        return self.lookup(keys)

    def _op_name(self, op: str) -> str:
        return f"{self._table_name or type(self).__name__}_{op}"


def default_tensor(default_value: Any, dtype: DType) -> Tensor:
    """A table's default value as a tensor of its value dtype: an eager one unless the graph computes it."""
    if isinstance(default_value, Tensor) and not isinstance(default_value, EagerTensor):
        return convert_to_tensor(default_value, dtype=dtype)
    with context.eager_scope():
        return convert_to_tensor(default_value, dtype=dtype)


def graph_name(name: str) -> Optional[str]:
    """A table's ``name``: None eagerly (TensorFlow names eager tables by nothing), else ``name``."""
    return None if context.current_graph() is None else name


class InitializableLookupTableBase(LookupInterface):
    """A table filled once by an initializer (``KeyValueTensorInitializer``, ``TextFileInitializer``)."""

    def __init__(self, default_value: Any, initializer: Any) -> None:
        super().__init__(initializer.key_dtype, initializer.value_dtype)
        check_kernel("HashTableV2", self._key_dtype, self._value_dtype)
        self._initializer = initializer
        self._default_value = default_tensor(default_value, self._value_dtype)
        if self._default_value.shape.rank != 0:
            raise ValueError(f"Shapes {self._default_value.shape} and () are not compatible")
        self._index: Optional[KeyIndex] = None
        self._keys = np.empty(0, dtype=self._numpy_dtype(self._key_dtype))
        self._values = np.empty(0, dtype=self._numpy_dtype(self._value_dtype))
        self._init_op = initializer.initialize(self)

    @staticmethod
    def _numpy_dtype(dtype: DType) -> Any:
        return object if dtype.name == "string" else dtype.as_numpy_dtype

    @property
    def default_value(self) -> Tensor:
        """The value of keys that are not in the table."""
        return self._default_value

    def _import(self, keys: Any, values: Any) -> None:
        """Fills the table (the initializer's op). Filling it again is TensorFlow's no-op when as many pairs are
        given as the table holds (its only check), else an error."""
        keys = _host.as_array(keys, self._key_dtype)
        values = _host.as_array(values, self._value_dtype)
        check_pairs(keys, values)
        if keys.size == 0:
            raise InvalidArgumentError("keys and values cannot be empty tensors.")
        if self._index is not None:
            if keys.size != self._index.size:
                raise FailedPreconditionError("Table was already initialized with different data.")
            return
        keys, values = distinct(keys.reshape(-1), values.reshape(-1))
        self._keys, self._values = keys, values
        self._index = KeyIndex(keys)

    def _find(self, keys: np.ndarray, default: Any) -> np.ndarray:
        if self._index is None:
            raise FailedPreconditionError("Table not initialized.")
        pos, found = self._index.find(_host.as_array(keys, self._key_dtype))
        out = self._values[pos.reshape(-1)].reshape(pos.shape)
        out[~found] = _host.as_array(default, self._value_dtype)
        return out

    def size(self, name: Optional[str] = None) -> Tensor:
        return _host.run(
            lambda: np.int64(0 if self._index is None else self._index.size),
            [],
            "int64",
            self._op_name("Size/LookupTableSizeV2"),
            [()],
        )

    def lookup(self, keys: Any, name: Optional[str] = None) -> Any:
        """The values of ``keys`` (a tensor, ``SparseTensor`` or ``RaggedTensor`` of the key dtype), the default
        value where a key is not in the table; same structure and shape as ``keys``."""
        keys = _keys.as_keys(keys, self._key_dtype)
        _keys.check_dtype(keys, self._key_dtype)

        def find(flat: Tensor) -> Tensor:
            op = self._op_name("Lookup/LookupTableFindV2")
            return _host.run(self._find, [flat, self._default_value], self._value_dtype, op, [flat.shape])

        return _keys.on_values(keys, find)

    def _export(self) -> Tuple[np.ndarray, np.ndarray]:
        return self._keys, self._values


class StaticHashTable(InitializableLookupTableBase):
    """A generic hash table that is immutable once initialized.

    >>> table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b", "c"], [7, 8, 9]), -1)
    >>> table.lookup(tf.constant(["a", "f"])).numpy()
    array([ 7, -1], dtype=int32)
    """

    def __init__(
        self,
        initializer: Any,
        default_value: Any,
        name: Optional[str] = None,
        experimental_is_anonymous: bool = False,
    ) -> None:
        self._table_name = graph_name(name or "hash_table")
        super().__init__(default_value, initializer)

    def export(self, name: Optional[str] = None) -> Tuple[Tensor, Tensor]:
        """Every key in the table and its value, as two tensors (in no particular order)."""
        return tuple(
            _host.run(
                self._export,
                [],
                [self._key_dtype, self._value_dtype],
                self._op_name("Export/LookupTableExportV2"),
                [(None,), (None,)],
            )
        )


class StaticHashTableV1(StaticHashTable):
    """``tf.compat.v1.lookup.StaticHashTable``: in a TF1 graph, ``initializer`` is the op that fills the table
    (``tf.compat.v1.tables_initializer()`` runs them all) and must run before any lookup."""

    @property
    def initializer(self) -> Any:
        return self._init_op
