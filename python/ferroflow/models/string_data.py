"""String inputs of ``fit``/``evaluate``/``predict`` (raw text features for ``DenseFeatures``, lookup layers).

The native batch loop gathers rows of numeric arrays only, so a string input is held as a NumPy array of
bytes and fed batch by batch from Python (``composite_data.CompositeBatchPlan``), like sparse and ragged data.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np


def is_string_array(arr: np.ndarray) -> bool:
    """Whether ``arr`` holds text: a NumPy unicode/bytes array, or an object array of ``str``/``bytes``."""
    if arr.dtype.kind in "US":
        return True
    if arr.dtype.kind != "O" or arr.size == 0:
        return False
    return all(isinstance(v, (str, bytes)) for v in arr.reshape(-1))


class StringRows:
    """A string input (first axis: samples) as UTF-8 bytes, for taking batches of rows."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values

    @classmethod
    def from_array(cls, arr: np.ndarray) -> StringRows:
        if arr.ndim == 0:
            raise ValueError(f"A string input must have a first (sample) axis; received a scalar {arr!r}")
        out = np.empty(arr.shape, dtype=object)
        out.reshape(-1)[:] = [v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in arr.reshape(-1)]
        return cls(out)

    @property
    def shape(self) -> tuple:
        return self.values.shape

    @property
    def dtype(self) -> np.dtype:
        return self.values.dtype

    def signature(self) -> tuple:
        return ("string", self.shape[1:])

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, rows: Any) -> StringRows:
        return StringRows(self.values[rows])

    def take(self, rows: np.ndarray) -> StringRows:
        return StringRows(self.values[rows])

    def placeholder(self, name: str) -> Any:
        from ..framework.ops import apply

        shape = [None] + [int(d) for d in self.shape[1:]]
        return apply("placeholder", [], {"dtype": "string", "shape": shape}, op_name=name)

    def feeds(self, rows: Optional[np.ndarray] = None) -> list:
        from ..framework.ops import convert_to_tensor

        return [convert_to_tensor(self.values if rows is None else self.values[rows])]
