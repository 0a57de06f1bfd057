"""``tf.lookup.experimental.DenseHashTable``: open addressing over bucket arrays, laid out as TensorFlow's.

Keys sit in a power-of-two array of buckets, at ``hash & (buckets - 1)`` or further along the probe sequence
``b, b+1, b+3, b+6, ...``; ``empty_key`` marks free buckets and ``deleted_key`` removed ones, so neither may be
used as a key. An insert that would fill more than 80% of the buckets first doubles them and re-inserts every
key. Integer keys hash as themselves, strings by TensorFlow's ``Hash64``, vector keys by combining those, so
``export`` (the bucket arrays themselves) matches TensorFlow's. Lookups probe all keys at once in NumPy; inserts
and removals go key by key, as each changes where the next lands.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

import numpy as np

from ..errors import InternalError, InvalidArgumentError
from ..framework import context
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from . import _host, _keys
from ._hash64 import combine, hash64
from ._kernels import check_kernel
from ._store import shape_text
from .tables import LookupInterface, default_tensor, graph_name

_MAX_LOAD = 0.8


class DenseHashTable(LookupInterface):
    """A mutable hash table with faster lookups and higher memory usage than ``MutableHashTable``.

    >>> table = tf.lookup.experimental.DenseHashTable(tf.string, tf.int64, -1, empty_key="", deleted_key="$")
    >>> table.insert(tf.constant(["a", "b"]), tf.constant([0, 1], tf.int64))
    >>> table.lookup(tf.constant(["a", "c"])).numpy()
    array([ 0, -1])
    """

    def __init__(
        self,
        key_dtype: Any,
        value_dtype: Any,
        default_value: Any,
        empty_key: Any,
        deleted_key: Any,
        initial_num_buckets: Optional[int] = None,
        name: str = "MutableDenseHashTable",
        checkpoint: bool = True,
        experimental_is_anonymous: bool = False,
    ) -> None:
        super().__init__(key_dtype, value_dtype)
        self._default_value = default_tensor(default_value, self._value_dtype)
        check_kernel("MutableDenseHashTableV2", self._key_dtype, self._value_dtype)
        self._value_shape = tuple(self._default_value.shape.as_list())
        if len(self._value_shape) > 1:
            raise InvalidArgumentError(
                f"Empty value must be a scalar or a vector, got shape {shape_text(self._value_shape)}"
            )
        with context.eager_scope():
            empty = _host.as_array(convert_to_tensor(empty_key, dtype=self._key_dtype), self._key_dtype)
            deleted = _host.as_array(convert_to_tensor(deleted_key, dtype=self._key_dtype), self._key_dtype)
        if empty.ndim > 1:
            raise InvalidArgumentError(f"Empty key must be a scalar or a vector, got shape {shape_text(empty.shape)}")
        if empty.shape != deleted.shape:
            raise InvalidArgumentError(
                "Empty and deleted keys must have same shape, got shapes: "
                f"{shape_text(empty.shape)} and {shape_text(deleted.shape)}"
            )
        if (empty == deleted).all():
            raise InvalidArgumentError("Empty and deleted keys cannot be equal")
        self._key_shape = empty.shape
        self._empty, self._deleted = empty.reshape(-1), deleted.reshape(-1)
        self._empty_row, self._deleted_row = self._empty.tolist(), self._deleted.tolist()
        self._name = name
        self._table_name = graph_name(name)
        self._allocate(2**17 if initial_num_buckets is None else int(initial_num_buckets))

    # -- buckets
    def _allocate(self, num_buckets: int) -> None:
        if num_buckets < 4 or num_buckets & (num_buckets - 1):
            raise InvalidArgumentError(f"Number of buckets must be at least 4 and a power of 2, got: {num_buckets}")
        key_np = self._empty.dtype
        value_np = object if self._value_dtype.name == "string" else self._value_dtype.as_numpy_dtype
        self._buckets = num_buckets
        self._entries = 0
        self._key_buckets = np.empty((num_buckets, self._empty.size), dtype=key_np)
        self._key_buckets[:] = self._empty
        value_size = int(np.prod(self._value_shape, dtype=np.int64))
        self._value_buckets = np.zeros((num_buckets, value_size), dtype=value_np)
        if value_np is object:
            self._value_buckets[:] = b""

    def _hashes(self, keys: np.ndarray) -> np.ndarray:
        """The uint64 hash of each row of ``keys`` (n, key size)."""
        if keys.dtype == object:
            cols = np.array([[hash64(k) for k in row] for row in keys.tolist()], dtype=np.uint64).reshape(keys.shape)
        else:
            cols = keys.astype(np.int64).astype(np.uint64)
        if keys.shape[1] == 1:
            return cols[:, 0]
        out = []
        for row in cols.tolist():
            h = 0
            for c in row:
                h = combine(h, c)
            out.append(h)
        return np.array(out, dtype=np.uint64)

    def _matrix(self, keys: np.ndarray) -> np.ndarray:
        """Keys as rows (n, key size), with TensorFlow's check of their shape."""
        n = 1 if keys.ndim == 0 else keys.shape[0]
        if keys.size != n * self._empty.size:
            raise InvalidArgumentError(
                f"Expected key shape {shape_text((n, *self._key_shape))} got {shape_text(keys.shape)}"
            )
        return keys.reshape(n, self._empty.size)

    def _check_special(self, rows: np.ndarray) -> None:
        bad = (rows == self._empty).all(1) | (rows == self._deleted).all(1)
        if bad.any():
            self._special(rows[int(np.argmax(bad))].tolist())

    def _probe(self, row: list, h: int, stop_at_deleted: bool) -> int:
        """The bucket holding ``row``, or the first free one on its probe sequence (deleted ones too when
        ``stop_at_deleted``)."""
        mask, buckets = self._buckets - 1, self._key_buckets
        bucket, probes = h & mask, 0
        while True:
            held = buckets[bucket].tolist()
            if held == row or held == self._empty_row or (stop_at_deleted and held == self._deleted_row):
                return bucket
            probes += 1
            bucket = (bucket + probes) & mask
            if probes >= self._buckets:
                raise InternalError("Internal error in MutableDenseHashTable")

    def _special(self, row: list) -> None:
        if row == self._empty_row or row == self._deleted_row:
            which = "empty_key" if row == self._empty_row else "deleted_key"
            raise InvalidArgumentError(f"Using the {which} as a table key is not allowed")

    def _do_insert(self, rows: np.ndarray, values: np.ndarray) -> None:
        hashes = self._hashes(rows).tolist()
        for i, row in enumerate(rows.tolist()):
            self._special(row)
            bucket = self._probe(row, hashes[i], stop_at_deleted=True)
            if self._key_buckets[bucket].tolist() != row:
                self._entries += 1
                self._key_buckets[bucket] = row
            self._value_buckets[bucket] = values[i]

    def _rebucket(self, num_buckets: int) -> None:
        keys, values = self._key_buckets, self._value_buckets
        live = ~((keys == self._empty).all(1) | (keys == self._deleted).all(1))
        self._allocate(num_buckets)
        self._do_insert(keys[live], values[live])

    # -- the NumPy work of each op
    def _insert(self, keys: np.ndarray, values: np.ndarray) -> None:
        keys = _host.as_array(keys, self._key_dtype)
        values = _host.as_array(values, self._value_dtype)
        expected = keys.shape[: keys.ndim - len(self._key_shape)] + self._value_shape
        if values.shape != expected:
            raise InvalidArgumentError(
                f"Expected shape {shape_text(expected)} for value, got {shape_text(values.shape)}"
            )
        rows = self._matrix(keys)
        pending = self._entries + rows.shape[0]
        if pending > self._buckets * _MAX_LOAD:
            new = self._buckets
            while pending > new * _MAX_LOAD:
                new <<= 1
            self._rebucket(new)
        self._do_insert(rows, values.reshape(rows.shape[0], -1))

    def _remove(self, keys: np.ndarray) -> None:
        rows = self._matrix(_host.as_array(keys, self._key_dtype))
        hashes = self._hashes(rows).tolist()
        for i, row in enumerate(rows.tolist()):
            self._special(row)
            bucket = self._probe(row, hashes[i], stop_at_deleted=False)
            if self._key_buckets[bucket].tolist() == row:
                self._entries -= 1
                self._key_buckets[bucket] = self._deleted

    def _find(self, keys: np.ndarray) -> np.ndarray:
        keys = _host.as_array(keys, self._key_dtype)
        rows = self._matrix(keys)
        self._check_special(rows)
        n, mask = rows.shape[0], self._buckets - 1
        bucket = (self._hashes(rows) & np.uint64(mask)).astype(np.int64)
        probes = np.zeros(n, np.int64)
        slot = np.full(n, -1, np.int64)
        active = np.arange(n)
        while active.size:
            held = self._key_buckets[bucket[active]]
            equal = (held == rows[active]).all(1)
            slot[active[equal]] = bucket[active[equal]]
            active = active[~(equal | (held == self._empty).all(1))]
            probes[active] += 1
            bucket[active] = (bucket[active] + probes[active]) & mask
            if active.size and probes[active].max() >= self._buckets:
                raise InternalError("Internal error in MutableDenseHashTable lookup")
        default = _host.as_array(self._default_value, self._value_dtype).reshape(-1)
        out = np.where((slot >= 0)[:, None], self._value_buckets[np.maximum(slot, 0)], default[None, :])
        lead = keys.shape[: keys.ndim - len(self._key_shape)]
        return out.astype(self._value_buckets.dtype).reshape(lead + self._value_shape)

    # -- the ops
    def size(self, name: Optional[str] = None) -> Tensor:
        return _host.run(lambda: np.int64(self._entries), [], "int64", self._op_name("Size"), [()])

    def _keys_tensor(self, keys: Any) -> Tensor:
        keys = _keys.as_keys(keys, self._key_dtype)
        if keys.dtype != self._key_dtype:
            raise TypeError(f"Signature mismatch. Keys must be dtype {self._key_dtype}, got {keys.dtype}.")
        return keys

    def insert_or_assign(self, keys: Any, values: Any, name: Optional[str] = None) -> Any:
        """Associates ``keys`` with ``values``; the op in a TF1 graph, else None."""
        keys = self._keys_tensor(keys)
        values = convert_to_tensor(values, dtype=self._value_dtype)
        return _host.run(self._insert, [keys, values], None, self._op_name("lookup_table_insert/LookupTableInsertV2"))

    def insert(self, keys: Any, values: Any, name: Optional[str] = None) -> Any:
        """Associates ``keys`` with ``values`` (``insert_or_assign``)."""
        return self.insert_or_assign(keys, values, name)

    def erase(self, keys: Any, name: Optional[str] = None) -> Any:
        """Removes ``keys`` and their values; keys not in the table are ignored."""
        keys = self._keys_tensor(keys)
        return _host.run(self._remove, [keys], None, self._op_name("lookup_table_remove/LookupTableRemoveV2"))

    def remove(self, keys: Any, name: Optional[str] = None) -> Any:
        """Removes ``keys`` and their values (``erase``)."""
        return self.erase(keys, name)

    def lookup(self, keys: Any, name: Optional[str] = None) -> Tensor:
        """The values of ``keys``, the default value for keys not in the table."""
        keys = self._keys_tensor(keys)
        shape = None
        if keys.shape.rank is not None:
            shape = keys.shape[: keys.shape.rank - len(self._key_shape)].concatenate(self._value_shape)
        op = self._op_name("lookup_table_find/LookupTableFindV2")
        return _host.run(self._find, [keys], self._value_dtype, op, [shape])

    def _export(self) -> Tuple[np.ndarray, np.ndarray]:
        return self._key_buckets.copy(), self._value_buckets.copy()

    def export(self, name: Optional[str] = None) -> Tuple[Tensor, Tensor]:
        """The bucket arrays: every bucket's key (``empty_key``/``deleted_key`` where none) and value."""
        shapes = [(None, self._empty.size), (None, self._value_buckets.shape[1])]
        op = self._op_name("lookup_table_export_values/LookupTableExportV2")
        return tuple(_host.run(self._export, [], [self._key_dtype, self._value_dtype], op, shapes))
