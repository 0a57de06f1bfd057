"""CSV datasets: ``tf.data.experimental.CsvDataset`` (rows of typed columns) and ``make_csv_dataset``
(batches of a dict of named columns and a label, with column types inferred from the first rows)."""

from __future__ import annotations

import collections
import glob
import os
from typing import Any, Iterator, List, Optional, Sequence

import numpy as np

from ..framework.dtypes import as_dtype
from ..framework.tensor_spec import TensorSpec
from ..ops.parsing_ops import _csv_default, decode_csv
from .dataset_ops import Dataset
from .readers import TextLineDataset, _reader_records


class CsvDataset(Dataset):
    """``tf.data.experimental.CsvDataset``: one tuple of scalars per CSV row; ``record_defaults`` gives each
    selected column's default (a 1-element list or a scalar) or dtype (a required column)."""

    _repr_name = "CsvDatasetV2"

    def __init__(
        self,
        filenames: Any,
        record_defaults: Sequence[Any],
        compression_type: Any = None,
        buffer_size: Optional[int] = None,
        header: bool = False,
        field_delim: str = ",",
        use_quote_delim: bool = True,
        na_value: str = "",
        select_cols: Optional[Sequence[int]] = None,
        exclude_cols: Optional[Sequence[int]] = None,
        name: Optional[str] = None,
    ) -> None:
        if select_cols is not None and exclude_cols is not None:
            raise ValueError("Either select_cols or exclude_cols should be empty")
        if exclude_cols is not None:
            total = len(record_defaults) + len(exclude_cols)
            select_cols = [i for i in range(total) if i not in set(exclude_cols)]
        self._lines = TextLineDataset(filenames, compression_type, buffer_size)
        self._defaults = list(record_defaults)
        self._header = header
        self._csv = {
            "field_delim": field_delim,
            "use_quote_delim": use_quote_delim,
            "na_value": na_value,
            "select_cols": select_cols,
        }
        dtypes = [_csv_default(d, i)[0] for i, d in enumerate(self._defaults)]
        super().__init__(tuple(TensorSpec((), as_dtype(d)) for d in dtypes))

    def _iterator(self) -> Iterator[tuple]:
        for path in self._lines._paths():
            lines = _reader_records(self._lines._open(path))
            if self._header:
                next(lines, None)
            chunk: List[bytes] = []
            for line in lines:
                chunk.append(line)
                if len(chunk) == 256:
                    yield from self._parse_lines(chunk)
                    chunk = []
            if chunk:
                yield from self._parse_lines(chunk)

    def _parse_lines(self, lines: List[bytes]) -> Iterator[tuple]:
        records = np.empty(len(lines), dtype=object)
        records[:] = lines
        columns = [c.numpy() for c in decode_csv(records, self._defaults, **self._csv)]
        for i in range(len(lines)):
            yield tuple(np.asarray(c[i], dtype=c.dtype) for c in columns)


def _infer_dtype(values: List[bytes], na_value: bytes) -> str:
    """The narrowest of int32, int64, float32 and string that holds every non-empty value."""
    values = [v.strip() for v in values if v and v != na_value]
    for dtype, convert in (("int32", int), ("int64", int), ("float32", float)):
        try:
            nums = [convert(v) for v in values]
        except ValueError:
            continue
        if dtype == "int32" and any(not -(2**31) <= n < 2**31 for n in nums):
            continue
        if dtype == "int64" and any(not -(2**63) <= n < 2**63 for n in nums):
            continue
        return dtype
    return "string"


def _first_rows(path: str, compression: Any, n: int, delim: str, quote: bool) -> List[List[bytes]]:
    from .. import _core
    from ..ops.io_ops import TFRecordOptions

    reader = _core.RecordReader(path, "lines", TFRecordOptions.get_compression_type_string(compression))
    rows = []
    for line in _reader_records(reader):
        rows.append(line)
        if len(rows) == n:
            break
    if not rows:
        return []
    width = len(rows[0].split(delim.encode()))
    records = np.empty(len(rows), dtype=object)
    records[:] = rows
    cols = decode_csv(records, [[""]] * width, field_delim=delim, use_quote_delim=quote)
    return [list(c.numpy()) for c in cols]


def make_csv_dataset(
    file_pattern: Any,
    batch_size: int,
    column_names: Optional[Sequence[str]] = None,
    column_defaults: Optional[Sequence[Any]] = None,
    label_name: Optional[str] = None,
    select_columns: Optional[Sequence[Any]] = None,
    field_delim: str = ",",
    use_quote_delim: bool = True,
    na_value: str = "",
    header: bool = True,
    num_epochs: Optional[int] = None,
    shuffle: bool = True,
    shuffle_buffer_size: int = 10000,
    shuffle_seed: Optional[int] = None,
    prefetch_buffer_size: Optional[int] = None,
    num_parallel_reads: Optional[int] = None,
    sloppy: bool = False,
    num_rows_for_inference: int = 100,
    compression_type: Any = None,
    ignore_errors: bool = False,
    encoding: str = "utf-8",
) -> Dataset:
    """Batches of ``(OrderedDict of columns, label)`` (or only the dict without ``label_name``) read from the
    CSV files matching ``file_pattern``, shuffled and repeated ``num_epochs`` times (forever when None)."""
    patterns = [file_pattern] if isinstance(file_pattern, (str, bytes, os.PathLike)) else list(file_pattern)
    files = sorted({m for p in patterns for m in glob.glob(os.fspath(p.decode() if isinstance(p, bytes) else p))})
    if not files:
        raise ValueError(f"No files match `file_pattern` {file_pattern}.")
    sample = _first_rows(files[0], compression_type, num_rows_for_inference + 1, field_delim, use_quote_delim)
    if column_names is None:
        if not header:
            raise ValueError("Cannot infer column names without a header line.")
        column_names = [c[0].decode(encoding) for c in sample]
    column_names = list(column_names)
    if len(set(column_names)) != len(column_names):
        raise ValueError("Cannot have duplicate column names.")
    if select_columns is not None:
        idx = sorted(c if isinstance(c, int) else column_names.index(c) for c in select_columns)
    else:
        idx = list(range(len(column_names)))
    names = [column_names[i] for i in idx]
    if label_name is not None and label_name not in names:
        raise ValueError(f"`label_name` provided must be one of the columns: {names}. Received: {label_name}.")
    if column_defaults is None:
        body = [c[1:] if header else c for c in sample] if sample else [[] for _ in idx]
        column_defaults = [_zero(_infer_dtype(body[i], na_value.encode())) for i in idx]
    elif len(column_defaults) != len(idx):
        raise ValueError("column_defaults and the selected columns must have the same length")
    select = idx if select_columns is not None else None

    names_ds = Dataset.from_tensor_slices(np.array([f.encode() for f in files], dtype=object))
    if shuffle:
        names_ds = names_ds.shuffle(len(files), seed=shuffle_seed)
    ds = CsvDataset(
        names_ds,
        column_defaults,
        compression_type,
        header=header,
        field_delim=field_delim,
        use_quote_delim=use_quote_delim,
        na_value=na_value,
        select_cols=select,
    )
    if ignore_errors:
        ds = ds.ignore_errors()
    if shuffle:
        ds = ds.shuffle(shuffle_buffer_size, seed=shuffle_seed)
    if num_epochs != 1:
        ds = ds.repeat(num_epochs)
    ds = ds.batch(batch_size)

    def to_features(*columns: Any) -> Any:
        features = collections.OrderedDict(zip(names, columns))
        if label_name is None:
            return features
        label = features.pop(label_name)
        return features, label

    return ds.map(to_features).prefetch(prefetch_buffer_size or -1)


def _zero(dtype: str) -> Any:
    return {"int32": [np.int32(0)], "int64": [np.int64(0)], "float32": [np.float32(0)]}.get(dtype, [""])
