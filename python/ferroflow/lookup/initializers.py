"""Table initializers: ``tf.lookup.KeyValueTensorInitializer``, ``TextFileInitializer`` and ``TextFileIndex``.

An initializer knows the dtypes of the pairs it gives and fills a table once (``initialize``), when the table
is made; in TF1 graphs that is an op for ``tf.compat.v1.tables_initializer()`` to run.
"""

from __future__ import annotations

import os
from typing import Any, Optional

from ..framework import context
from ..framework.dtypes import DType, as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from . import _host
from ._text_file import LINE_NUMBER, WHOLE_LINE, read_pairs


def check_table_dtypes(table: Any, key_dtype: DType, value_dtype: DType) -> None:
    """TensorFlow's check that an initializer's pairs fit the table."""
    if key_dtype != table.key_dtype:
        raise TypeError(f"Invalid key dtype for table, expected {table.key_dtype} but got {key_dtype}.")
    if value_dtype != table.value_dtype:
        raise TypeError(f"Invalid value dtype for table, expected {table.value_dtype} but got {value_dtype}.")


class TableInitializerBase:
    """What every initializer has: the dtypes of its keys and values, and ``initialize(table)``."""

    def __init__(self, key_dtype: Any, value_dtype: Any) -> None:
        self._key_dtype = as_dtype(key_dtype)
        self._value_dtype = as_dtype(value_dtype)

    @property
    def key_dtype(self) -> DType:
        """The expected table key dtype."""
        return self._key_dtype

    @property
    def value_dtype(self) -> DType:
        """The expected table value dtype."""
        return self._value_dtype

    def initialize(self, table: Any) -> Any:
        """Fills ``table``; the op that does it in a TF1 graph, else None."""
        raise NotImplementedError


def _tensor(value: Any, dtype: Any) -> Tensor:
    """``value`` as a tensor; values known now become eager tensors even while a function is traced (TensorFlow
    converts them under ``init_scope``), so the table is filled once, not at each run."""
    if isinstance(value, Tensor) and not isinstance(value, EagerTensor):
        return value if dtype is None else convert_to_tensor(value, dtype=dtype)
    if context.current_graph() is not None and not _host.in_session_graph():
        with context.eager_scope():
            return convert_to_tensor(value, dtype=dtype)
    return convert_to_tensor(value, dtype=dtype)


class KeyValueTensorInitializer(TableInitializerBase):
    """Fills a table with the pairs of the ``keys`` and ``values`` tensors (or Python lists, arrays, ranges)."""

    def __init__(
        self, keys: Any, values: Any, key_dtype: Any = None, value_dtype: Any = None, name: Optional[str] = None
    ) -> None:
        self._keys = _tensor(keys, key_dtype)
        self._values = _tensor(values, value_dtype)
        self._name = name if name is not None else "key_value_init"
        super().__init__(self._keys.dtype, self._values.dtype)

    def initialize(self, table: Any) -> Any:
        check_table_dtypes(table, self._keys.dtype, self._values.dtype)
        return _host.initialize(table._import, [self._keys, self._values], f"{self._name}/LookupTableImportV2")


class TextFileIndex:
    """The part of a line that gives a key or value: ``LINE_NUMBER`` (the line's number from 0, int64),
    ``WHOLE_LINE`` (the line's text, string or integer), or a column index ``>= 0``."""

    WHOLE_LINE = WHOLE_LINE
    LINE_NUMBER = LINE_NUMBER


def _check_index(index: int, dtype: DType, what: str) -> None:
    if index < -2:
        end = "." if what == "key" else ""
        raise ValueError(f"`{what}_index` should be >= -2, received: {index}{end}")
    if index == LINE_NUMBER and dtype.name != "int64":
        if what == "key":
            raise ValueError(f"`key_dtype` must be int64 if `key_index` is {LINE_NUMBER}, received: {dtype}")
        raise ValueError(f"`value_dtype` must be int64 for `value_index` {LINE_NUMBER}, received: {dtype}")
    if index == WHOLE_LINE and not dtype.is_integer and dtype.name != "string":
        raise ValueError(
            f"`{what}_dtype` should be either integer or string for `{what}_index` {WHOLE_LINE}, received: {dtype}"
        )


class TextFileInitializer(TableInitializerBase):
    """Fills a table from a text file, one pair per line (see ``TextFileIndex`` for what gives keys and values).

    ``filename`` may be a scalar string tensor; ``value_index_offset`` is added to line numbers."""

    def __init__(
        self,
        filename: Any,
        key_dtype: Any,
        key_index: int,
        value_dtype: Any,
        value_index: int,
        vocab_size: Optional[int] = None,
        delimiter: str = "\t",
        name: Optional[str] = None,
        value_index_offset: int = 0,
    ) -> None:
        if not isinstance(filename, Tensor) and not filename:
            raise ValueError("`filename` argument required for tf.lookup.TextFileInitializer")
        key_dtype, value_dtype = as_dtype(key_dtype), as_dtype(value_dtype)
        _check_index(key_index, key_dtype, "key")
        _check_index(value_index, value_dtype, "value")
        if vocab_size is not None and vocab_size <= 0:
            raise ValueError(f"`vocab_size` should be > 0, received: {vocab_size}")
        self._filename = filename
        self._key_index = key_index
        self._value_index = value_index
        self._vocab_size = vocab_size
        self._delimiter = delimiter
        self._name = name
        self._offset = value_index_offset
        super().__init__(key_dtype, value_dtype)

    def _fill(self, table: Any, filename: Any) -> None:
        name = filename.item() if hasattr(filename, "item") else filename
        name = name.decode("utf-8") if isinstance(name, bytes) else str(name)
        keys, values = read_pairs(
            name,
            self._key_index,
            self._value_index,
            self._key_dtype,
            self._value_dtype,
            self._vocab_size,
            self._delimiter,
            self._offset,
        )
        table._import(keys, values)

    def initialize(self, table: Any) -> Any:
        check_table_dtypes(table, self._key_dtype, self._value_dtype)
        filename = self._filename
        if not isinstance(filename, Tensor):
            filename = _tensor(os.fspath(filename) if isinstance(filename, os.PathLike) else filename, "string")
        name = f"{self._name or 'text_file_init'}/InitializeTableFromTextFileV2"
        return _host.initialize(lambda f: self._fill(table, f), [filename], name)
