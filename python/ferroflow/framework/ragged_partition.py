"""The row-partition accessors of ``RaggedTensor``: row lengths, value row ids, row starts and limits, the
bounding shape, each as a tensor (and, for internal use, as a NumPy array)."""

from __future__ import annotations

from typing import Any, List

import numpy as np

from .tensor import Tensor


class RaggedPartition:
    """Mixed into ``RaggedTensor``, whose ``_row_splits`` (NumPy) and ``_values`` these read."""

    _row_splits: np.ndarray
    _values: Any

    def nrows_int(self) -> int:
        return len(self._row_splits) - 1

    def nrows(self, out_type: Any = "int64", name: Any = None) -> Tensor:
        from .ops import convert_to_tensor

        return convert_to_tensor(np.asarray(self.nrows_int(), dtype=np.dtype(str(getattr(out_type, "name", out_type)))))

    def row_lengths_np(self) -> np.ndarray:
        return np.diff(self._row_splits)

    def row_lengths(self, axis: int = 1, name: Any = None) -> Any:
        """Lengths of the rows (``axis=1``), or of the rows of a nested ragged dimension (ragged along axis-1)."""
        from .ops import convert_to_tensor

        if axis == 1:
            return convert_to_tensor(self.row_lengths_np())
        if axis < 1 or not isinstance(self._values, RaggedPartition):
            raise ValueError(
                f"row_lengths axis {axis} is not a ragged dimension of a tensor of ragged_rank {self.ragged_rank}"
            )
        return self.with_values(self._values.row_lengths(axis - 1))

    def nested_row_lengths(self, name: Any = None) -> tuple:
        from .ops import convert_to_tensor

        out, rt = [], self
        while isinstance(rt, RaggedPartition):
            out.append(convert_to_tensor(rt.row_lengths_np()))
            rt = rt._values
        return tuple(out)

    def value_rowids_np(self) -> np.ndarray:
        return np.repeat(np.arange(self.nrows_int(), dtype=np.int64), self.row_lengths_np())

    def value_rowids(self, name: Any = None) -> Tensor:
        from .ops import convert_to_tensor

        return convert_to_tensor(self.value_rowids_np())

    def row_starts(self, name: Any = None) -> Tensor:
        from .ops import convert_to_tensor

        return convert_to_tensor(self._row_splits[:-1])

    def row_limits(self, name: Any = None) -> Tensor:
        from .ops import convert_to_tensor

        return convert_to_tensor(self._row_splits[1:])

    def bounding_shape(self, axis: Any = None, name: Any = None, out_type: Any = "int64") -> Tensor:
        """The shape of the smallest dense tensor that holds every row."""
        from .ops import convert_to_tensor

        dims = self._bounding_dims()
        out = convert_to_tensor(np.asarray(dims, dtype=np.int64))
        return out if axis is None else out[axis]

    def _bounding_dims(self) -> List[int]:
        lengths = self.row_lengths_np()
        widest = int(lengths.max()) if lengths.size else 0
        inner = (
            self._values._bounding_dims()[1:]
            if isinstance(self._values, RaggedPartition)
            else list(self._values.shape)[1:]
        )
        return [self.nrows_int(), widest] + inner
