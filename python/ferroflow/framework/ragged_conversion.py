"""The conversions of ``RaggedTensor``: to a padded dense tensor, to nested lists, to NumPy, and its text."""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import Tensor


def _element_text(x: Any) -> str:
    if isinstance(x, np.ndarray):
        return np.array2string(x, separator=", ") if x.size else repr(x.tolist())
    return str(x)


class RaggedConversion:
    """Mixed into ``RaggedTensor``, whose ``_row_splits`` (NumPy) and ``_values`` these read."""

    _row_splits: np.ndarray
    _values: Any

    def to_tensor(self, default_value: Any = None, name: Any = None, shape: Any = None) -> Tensor:
        """The rows padded with ``default_value`` (zero by default) into a dense tensor."""
        from .ragged_dense import to_tensor

        return to_tensor(self, default_value, shape)

    def to_sparse(self, name: Any = None) -> Any:
        """The same items as a ``SparseTensor`` of the bounding shape."""
        from .ragged_sparse import to_sparse

        return to_sparse(self)

    @classmethod
    def from_sparse(cls, st_input: Any, name: Any = None, row_splits_dtype: Any = "int64") -> Any:
        """A ragged_rank-1 tensor from a rank-2 ``SparseTensor`` whose indices are in row-major order."""
        from .ragged_sparse import from_sparse

        return from_sparse(st_input)

    def to_list(self) -> list:
        """The rows as nested Python lists."""
        values = self._values.to_list() if isinstance(self._values, RaggedConversion) else self._values.numpy().tolist()
        return [values[s:e] for s, e in zip(self._row_splits[:-1], self._row_splits[1:])]

    def numpy(self) -> np.ndarray:
        """The rows as a NumPy array: an object array of row arrays when their lengths differ, else a regular one."""
        values = self._values.numpy()
        rows = [values[s:e] for s, e in zip(self._row_splits[:-1], self._row_splits[1:])]
        if not rows:
            return np.zeros((0, 0) + values.shape[1:], dtype=values.dtype)
        if any(len(r) != len(rows[0]) for r in rows):
            out = np.empty(len(rows), dtype=object)
            out[:] = rows
            return out
        return np.array(rows)

    def __repr__(self) -> str:
        # TensorFlow's text: NumPy's layout of numpy() with ", " separators and each element as str().
        with np.printoptions(formatter={"all": _element_text}):
            return f"<tf.RaggedTensor {_element_text(self.numpy())}>"

    __str__ = __repr__
