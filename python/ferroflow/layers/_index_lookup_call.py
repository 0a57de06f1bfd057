"""The calls of the lookup layers: token -> index (OOV buckets, mask), index -> token, and the encodings.

Eagerly the lookup is a dict lookup in NumPy. In graphs (``tf.function``, ``Dataset.map``) it is composed of
ferroflow ops (see ``_lookup_table``), except hashed OOV buckets of strings, which need Python: those run through
``tf.numpy_function`` (per element in ``tf.data`` functions, a host call in traced functions and model steps).
"""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from ..errors import FailedPreconditionError, InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops
from . import _preprocessing_util as util
from ._lookup_table import GRAPH_BLOCK, LookupTable
from ._string_hash import hash_buckets
from .preprocessing_hashing import as_hash_input

_INT64_MAX = np.iinfo(np.int64).max


class LookupCalls:
    """Mixed into ``IndexLookup``: everything that runs when the layer is called."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if util.has_keras_tensor(args, kwargs):
            return util.symbolic(self, args, kwargs)
        return super().__call__(*args, **kwargs)  # type: ignore[misc]

    def _output_dtype(self) -> str:
        if self.invert:
            return self.vocabulary_dtype
        return "float32" if self.output_mode == "tf_idf" else "int64"

    def compute_output_shape(self, input_shape: Any) -> tuple:
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        return util.encoded_shape(tuple(input_shape), self.output_mode, depth)

    # -- inputs as keys
    def _keys(self, values: np.ndarray) -> np.ndarray:
        """Input values as table keys: bytes objects for strings, int64 for integers."""
        key_dtype = "int64" if self.invert else self.vocabulary_dtype
        if key_dtype == "string":
            if values.dtype.kind != "O":
                raise TypeError(f"{type(self).__name__} expects string inputs, received values of dtype {values.dtype}")
            return values
        if values.dtype.kind == "O":
            raise TypeError(f"{type(self).__name__} expects integer inputs, received strings")
        return values.astype(np.int64)

    def _documents(self, data: Any) -> List[List[Any]]:
        """``adapt`` data as documents (rows) of table keys: a scalar or a 1-D batch is one document."""
        if isinstance(data, RaggedTensor):
            return [list(_flatten(row)) for row in data.to_list()]
        arr = self._keys(util.to_numpy(data))
        if arr.ndim <= 1:
            return [arr.reshape(-1).tolist()]
        return arr.reshape(arr.shape[0], -1).tolist()

    # -- the lookup
    def _check_ready(self, symbolic: bool = False) -> None:
        if self.output_mode != "int" and not self.pad_to_max_tokens and self._frozen_vocab_size is None:
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, you must set the "
                "layer's vocabulary before calling it. Either pass a `vocabulary` argument to the layer, or call "
                "`adapt` with some sample data."
            )
        # In a graph, an empty table is looked up (every token OOV): a model rebuilt from a file (a nested
        # Sequential) is traced for its shapes before its vocabulary is read from the file.
        if not self._initialized and not symbolic:
            raise FailedPreconditionError(
                f"Table not initialized: layer '{self.name}' has no vocabulary yet; call `adapt()` or "
                "`set_vocabulary()` first"
            )

    def _oov_numpy(self, keys: np.ndarray) -> np.ndarray:
        """The OOV bucket of every key (when there are several buckets)."""
        n = self.num_oov_indices
        if not self._is_string and self.oov_method != "farmhash":
            return np.mod(keys, n)
        return hash_buckets(as_hash_input(keys), n, self.salt)

    def _lookup_numpy(self, keys: np.ndarray) -> np.ndarray:
        if self.invert:
            table = self._table.inverse_array(self._vocabulary_keys(), self._default_token())
            out = LookupTable.invert_numpy(table, keys)
            return out if self._is_string else out.astype(np.int64)
        index = self._table.lookup_numpy(keys)
        missing = index == -1
        if self.num_oov_indices == 1:
            index[missing] = self._oov_start_index()
        elif self.num_oov_indices > 1 and missing.any():
            index[missing] = self._oov_numpy(keys[missing]) + self._oov_start_index()
        if self.mask_token is not None:
            index[keys == self._key(self.mask_token)] = 0 if self.output_mode == "int" else _INT64_MAX
        if self.num_oov_indices == 0 and (index == -1).any():
            found = [v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in keys[index == -1].tolist()]
            raise InvalidArgumentError(
                "When `num_oov_indices=0` all inputs should be in vocabulary, found OOV values "
                f"{found}, consider setting `num_oov_indices=1`."
            )
        return index

    def _lookup_graph(self, keys: Any) -> Any:
        if self.invert:
            table = self._table.inverse_array(self._vocabulary_keys(), self._default_token())
            return LookupTable.invert_graph(table, keys)
        if not self._is_string and keys.dtype.name != "int64":
            keys = array_ops.cast(keys, "int64")
        index = self._table.lookup_graph(keys)
        missing = math_ops.equal(index, np.int64(-1))
        if self.num_oov_indices == 1:
            index = array_ops.where(missing, np.int64(self._oov_start_index()), index)
        elif self.num_oov_indices > 1:
            buckets = math_ops.add(
                math_ops.floormod(keys, np.int64(self.num_oov_indices)), np.int64(self._oov_start_index())
            )
            index = array_ops.where(missing, buckets, index)
        else:
            from ..ops.assert_ops import _check

            _check(
                math_ops.logical_not(missing),
                lambda ok: f"found {int(np.size(ok) - np.count_nonzero(ok))} OOV values",
                "When `num_oov_indices=0` all inputs should be in vocabulary, consider setting `num_oov_indices=1`",
            )
        if self.mask_token is not None:
            masked = math_ops.equal(keys, convert_to_tensor(self._key(self.mask_token), dtype=keys.dtype))
            value = 0 if self.output_mode == "int" else _INT64_MAX
            index = array_ops.where(masked, np.int64(value), index)
        return index

    def _graph_lookup_possible(self) -> bool:
        """Whether the lookup has a graph form here: hashed OOV buckets need Python, and inside a ``tf.data``
        function a vocabulary of more than one block is looked up faster (and in less memory) in Python."""
        if util.python_calls_allowed() and len(self._table) > GRAPH_BLOCK:
            return False
        hashed = self.num_oov_indices > 1 and (self._is_string or self.oov_method == "farmhash")
        if self.num_oov_indices == 0 and not self.invert:
            from ..framework import context

            # the OOV check runs after a traced function; a graph without that hook (a compiled model step)
            # looks up in Python, which raises on an OOV value as Keras does
            graph = context.current_graph()
            if graph is not None and not hasattr(graph, "run_callbacks") and not util.python_calls_allowed():
                return False
        return self.invert or not hashed

    def _vocabulary_keys(self) -> List[Any]:
        start = self._token_start_index()
        keys: List[Any] = [self._default_token()] * start + list(self._table.tokens)
        if self.mask_token is not None and self.output_mode == "int":
            keys[0] = self._key(self.mask_token)
        return keys

    def _default_token(self) -> Any:
        return self._key(self.oov_token) if self.oov_token is not None else (b"" if self._is_string else -1)

    # -- encodings of the indices
    def _depth(self) -> int:
        return self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size

    def _encode_numpy(self, index: np.ndarray) -> np.ndarray:
        if self.output_mode == "int":
            return index
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        out = util.encode_numpy(index, mode, self._depth(), "int64")
        return out.astype("float32") * self._idf if self.output_mode == "tf_idf" else out

    def _encode_graph(self, index: Any) -> Any:
        if self.output_mode == "int":
            return index
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        out = util.encode_graph(index, mode, self._depth(), "int64")
        if self.output_mode == "tf_idf":
            return math_ops.multiply(array_ops.cast(out, "float32"), self._idf)
        return out

    def call_numpy(self, values: np.ndarray) -> np.ndarray:
        """The whole call on a NumPy array of inputs (strings as bytes objects)."""
        return self._encode_numpy(self._lookup_numpy(self._keys(values)))

    def call_rows(self, rows: List[np.ndarray]) -> Any:
        """The call on documents of different lengths: a ``RaggedTensor`` of indices (``int`` mode) or one
        encoded vector per document."""
        lengths = [len(r) for r in rows]
        flat = np.concatenate([np.asarray(r, dtype=object) for r in rows]) if rows else np.zeros(0, object)
        if not self._is_string and flat.dtype.kind == "O":
            flat = flat.astype(np.int64)
        index = self._lookup_numpy(self._keys(flat))
        if self.output_mode == "int":
            splits = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
            return RaggedTensor.from_row_splits(convert_to_tensor(index), splits, validate=False)
        if self.output_mode == "one_hot":
            raise ValueError("`output_mode='one_hot'` needs one token per input; it cannot encode token sequences")
        bounds = np.cumsum([0] + lengths)
        vectors = [self._encode_numpy(index[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
        dtype = "float32" if self.output_mode == "tf_idf" else "int64"
        return convert_to_tensor(np.stack(vectors) if vectors else np.zeros((0, self._depth()), dtype), dtype=dtype)

    def call(self, inputs: Any) -> Any:
        self._check_ready(util.is_symbolic(inputs.flat_values if isinstance(inputs, RaggedTensor) else inputs))
        if isinstance(inputs, RaggedTensor):
            if util.is_symbolic(inputs.flat_values) or not _eager_rows(inputs):
                if self.output_mode == "int":  # one index per token: the rows stay as they are
                    return inputs.with_flat_values(self.call(inputs.flat_values))
                raise NotImplementedError(
                    f"{type(self).__name__} of a RaggedTensor with output_mode={self.output_mode!r} runs eagerly only"
                )
            return self.call_rows([self._keys(r) for r in _rows_of(inputs, self._is_string and not self.invert)])
        x = inputs if isinstance(inputs, Tensor) else convert_to_tensor(util.to_numpy(inputs))
        graph_fn: Optional[Any] = None
        if self._graph_lookup_possible():
            graph_fn = lambda t: self._encode_graph(self._lookup_graph(t))  # noqa: E731
        rank = x.shape.rank
        shape = self.compute_output_shape(tuple(x.shape)) if rank is not None and rank <= 2 else None
        out = util.run(x, self.call_numpy, graph_fn, self._output_dtype(), shape, type(self).__name__)
        if self.sparse:
            from ..framework.sparse_tensor import from_dense

            return from_dense(out)
        return out


def _eager_rows(ragged: RaggedTensor) -> bool:
    from ..framework.graph_ragged_tensor import GraphRaggedTensor

    while isinstance(ragged, RaggedTensor):
        if isinstance(ragged, GraphRaggedTensor):
            return False
        ragged = ragged.values
    return True


def _flatten(value: Any) -> Any:
    if isinstance(value, list):
        for v in value:
            yield from _flatten(v)
    else:
        yield value


def _rows_of(ragged: RaggedTensor, strings: bool) -> List[np.ndarray]:
    """The rows of a ragged tensor, each flattened: object arrays of bytes, or int64 arrays."""
    out = []
    for row in ragged.to_list():
        flat = list(_flatten(row))
        if strings:
            arr = np.empty(len(flat), dtype=object)
            arr[:] = [v.encode("utf-8") if isinstance(v, str) else v for v in flat]
        else:
            arr = np.asarray(flat, dtype=np.int64)
        out.append(arr)
    return out
