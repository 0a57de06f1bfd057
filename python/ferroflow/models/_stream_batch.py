"""A batch streamed to a model's compiled step: its arrays converted once to C-contiguous arrays of the
model's dtypes, and the key that says which batches share a plan and can be joined into one native call."""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from ..framework.tensor import EagerTensor
from . import multi_output


class _Batch:
    __slots__ = ("xs", "structure", "y", "sw", "n", "key", "one_tuple")

    def __init__(self, xs: list, structure: Any, y: Any, sw: Any, n: int) -> None:
        self.xs, self.structure, self.y, self.sw, self.n = xs, structure, y, sw, n
        self.one_tuple = False  # the batch was ``(x,)``: an overridden step receives it so
        # Batches with the same key run on the same plan and can be concatenated; composite ones run alone.
        signature = []
        for a in self.arrays():
            if type(a) is not np.ndarray:
                self.key = None
                return
            signature.append((a.dtype.num, a.shape[1:]))
        self.key = (0 if structure == 0 else repr(structure), tuple(signature), y is None, sw is None)

    def arrays(self) -> list:
        if type(self.y) is list:  # one target (and weight) per output
            return multi_output.step_arrays(self.xs, self.y, self.sw)
        return self.xs + ([] if self.y is None else [self.y]) + ([] if self.sw is None else [self.sw])


def _joined(group: List[_Batch]) -> list:
    """The group's arrays, each position concatenated along the batch axis."""
    if len(group) == 1:
        return group[0].arrays()
    return [np.concatenate(parts) for parts in zip(*(b.arrays() for b in group))]


_KEPT = frozenset(np.dtype(d).num for d in ("float32", "int32", "int64", "bool"))
_TO_INT32 = frozenset(np.dtype(d).num for d in ("int8", "int16", "uint8", "uint16", "uint32", "uint64"))


def _plain(value: Any, float_dtype: str) -> Optional[np.ndarray]:
    """``value`` as ``data_adapter.to_array`` makes it, when it is a NumPy array or a dense tensor of a
    numeric dtype with a batch axis; None for anything that needs the general conversion and its messages."""
    if type(value) is not np.ndarray:
        if not isinstance(value, EagerTensor):
            return None
        value = value.numpy()
        if type(value) is not np.ndarray:
            return None
    if value.ndim == 0:
        return None
    if value.dtype.kind == "f":
        value = value.astype(float_dtype, copy=False)
    elif value.dtype.num not in _KEPT:
        if value.dtype.num not in _TO_INT32:
            return None
        value = value.astype("int32")  # as data_adapter.to_array casts other integer dtypes
    return value if value.flags.c_contiguous else np.ascontiguousarray(value)
