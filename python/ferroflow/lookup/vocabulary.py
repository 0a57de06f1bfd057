"""``tf.lookup.StaticVocabularyTable``: ids of known keys, and hash buckets after them for the others.

A key in the vocabulary gets its id; any other key gets ``size + Fingerprint64(key) % num_oov_buckets``, the
bucket ``tf.strings.to_hash_bucket_fast`` gives (integer keys are hashed as their decimal text, as TensorFlow
does through ``as_string``). As in TensorFlow, a key whose id is -1 counts as out of vocabulary.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.dtypes import as_dtype
from ..framework.tensor import Tensor
from ..layers._string_hash import hash_buckets
from . import _host, _keys
from .tables import LookupInterface, StaticHashTableV1


def _buckets(keys: np.ndarray, num_buckets: int) -> np.ndarray:
    """``to_hash_bucket_fast`` of the keys (as text); with one bucket, every key's is 0 without hashing."""
    if num_buckets == 1:
        return np.zeros(keys.shape, dtype=np.int64)
    return hash_buckets(_as_text(keys), num_buckets)


def _as_text(keys: np.ndarray) -> np.ndarray:
    """Integer keys as their decimal text (bytes), as ``tf.strings.as_string`` writes them."""
    if keys.dtype == object:
        return keys
    out = np.empty(keys.shape, dtype=object)
    out.reshape(-1)[:] = [str(v).encode() for v in keys.reshape(-1).tolist()]
    return out


class StaticVocabularyTable(LookupInterface):
    """String (or integer) to id table that assigns out-of-vocabulary keys to hash buckets.

    ``initializer`` gives the vocabulary (int64 ids for string or int64 keys); None uses only the buckets.
    ``lookup_key_dtype`` is the dtype of the keys ``lookup`` takes (an integer dtype for an integer vocabulary,
    whose keys are then cast to int64).
    """

    def __init__(
        self,
        initializer: Any,
        num_oov_buckets: int,
        lookup_key_dtype: Any = None,
        name: Optional[str] = None,
        experimental_is_anonymous: bool = False,
    ) -> None:
        if num_oov_buckets <= 0:
            raise ValueError("`num_oov_buckets` must be > 0; use StaticHashTable.")
        if name:
            name = name.rstrip("/")
        if initializer:
            lookup_key_dtype = initializer.key_dtype if lookup_key_dtype is None else as_dtype(lookup_key_dtype)
            if initializer.key_dtype.name not in ("int64", "string"):
                raise TypeError(
                    f"Invalid `key_dtype`, expected one of (tf.int64, tf.string), but got {initializer.key_dtype}."
                )
            if initializer.key_dtype.is_integer != lookup_key_dtype.is_integer:
                kind = "integer" if lookup_key_dtype.is_integer else "non-integer"
                raise TypeError(f"Invalid `key_dtype`, expected {kind} but got {initializer.key_dtype}.")
            if initializer.value_dtype.name != "int64":
                raise TypeError(f"Invalid `value_dtype`, expected <dtype: 'int64'> but got {initializer.value_dtype}.")
            self._table: Optional[StaticHashTableV1] = StaticHashTableV1(initializer, default_value=-1)
            name = name or self._table.name
        else:
            lookup_key_dtype = as_dtype("string")
            self._table = None
            name = name or "hash_bucket"
        if not lookup_key_dtype.is_integer and lookup_key_dtype.name != "string":
            raise TypeError(f"Invalid `key_dtype`, expected integer or string, got {lookup_key_dtype}")
        self._num_oov_buckets = int(num_oov_buckets)
        self._table_name = None if name is None else name.split("/")[-1]
        super().__init__(lookup_key_dtype, "int64")

    def _size(self) -> np.int64:
        table = self._table
        known = 0 if table is None or table._index is None else table._index.size
        return np.int64(known + self._num_oov_buckets)

    def size(self, name: Optional[str] = None) -> Tensor:
        """The number of ids: the vocabulary's size plus ``num_oov_buckets``."""
        return _host.run(self._size, [], "int64", self._op_name("Size"), [()])

    def _ids(self, keys: np.ndarray) -> np.ndarray:
        table = self._table
        keys = _host.as_array(keys, self._key_dtype)
        if table is not None and table.key_dtype.name == "int64":
            keys = keys.astype(np.int64)
        if table is None:
            return _buckets(keys, self._num_oov_buckets)
        ids = table._find(keys, np.int64(-1))
        missing = ids == -1
        if missing.any():  # only the out-of-vocabulary keys are hashed
            ids[missing] = _buckets(keys[missing], self._num_oov_buckets) + table._index.size
        return ids.astype(np.int64)

    def lookup(self, keys: Any, name: Optional[str] = None) -> Any:
        """The id of each key of ``keys`` (a tensor, ``SparseTensor`` or ``RaggedTensor``), in the same structure."""
        keys = _keys.as_keys(keys, self._key_dtype)
        _keys.check_dtype(keys, self._key_dtype)

        def find(flat: Tensor) -> Tensor:
            return _host.run(self._ids, [flat], "int64", self._op_name("Lookup"), [flat.shape])

        return _keys.on_values(keys, find)


class StaticVocabularyTableV1(StaticVocabularyTable):
    """``tf.compat.v1.lookup.StaticVocabularyTable``: ``initializer`` is the op that fills the vocabulary."""

    @property
    def initializer(self) -> Any:
        if self._table is not None:
            return self._table._init_op
        from ..ops.structure_ops import no_op

        return no_op(name="init")
