"""``CSVLogger``: stream epoch results to a CSV file."""

from __future__ import annotations

import collections.abc
import csv
import os
from typing import IO, Any, List, Optional, Union

import numpy as np

from .callback import Callback, Logs


class CSVLogger(Callback):
    """Stream epoch results to a CSV file, like ``keras.callbacks.CSVLogger``.

    The columns are ``epoch`` (0-based) and the sorted log names of the first epoch; when the
    first epoch has no ``val_`` entries, a ``val_`` column is reserved for each name (validation
    may start later). Missing values are written as ``NA``; list or array values as a quoted
    ``"[a, b]"``. Rows use the ``csv.excel`` dialect (``\\r\\n`` line ends) with ``separator``.

    Args:
        filename: the CSV file's path.
        separator: the field separator.
        append: append to an existing file (its header is kept) instead of overwriting it.
    """

    def __init__(
        self, filename: Union[str, os.PathLike[str]], separator: str = ",", append: bool = False
    ) -> None:
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer: Optional[csv.DictWriter] = None
        self.keys: Optional[List[str]] = None
        self.append_header = True
        self.csv_file: Optional[IO[str]] = None

    def on_train_begin(self, logs: Logs = None) -> None:
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename, encoding="utf-8") as f:
                    self.append_header = not bool(len(f.readline()))
            mode = "a"
        else:
            mode = "w"
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.csv_file = open(self.filename, mode, newline="", encoding="utf-8")
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        logs = logs or {}
        if self.csv_file is None or self.csv_file.closed:
            self.on_train_begin()
        assert self.csv_file is not None
        if self.keys is None:
            self.keys = sorted(logs.keys())
            # With validation_freq > 1 the first epoch has no val_ keys: reserve their columns.
            if not any(k.startswith("val_") for k in self.keys):
                self.keys.extend(["val_" + k for k in self.keys])
        if self.writer is None:
            sep = self.sep

            class CustomDialect(csv.excel):
                delimiter = sep

            self.writer = csv.DictWriter(
                self.csv_file, fieldnames=["epoch"] + self.keys, dialect=CustomDialect
            )
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _handle_value(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs: Logs = None) -> None:
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None


def _handle_value(value: Any) -> Any:
    is_zero_dim_ndarray = isinstance(value, np.ndarray) and value.ndim == 0
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Iterable) and not is_zero_dim_ndarray:
        return f'"[{", ".join(map(str, value))}]"'
    return value
