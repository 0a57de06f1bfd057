"""NumPy's advanced indexing on tensors once NumPy behavior is enabled: an index holding a list, a tuple, a
NumPy array or a tensor (``x[:, (True, False, True)]``, ``x[1, (0, 0, 1), tnp.asarray([0, 1, 1])]``).

NumPy itself works out which elements the index picks: it indexes an array of the flat positions of ``x``
(``arange(size).reshape(shape)[index]``) and the result is a gather of those positions from the flattened
tensor, so any index NumPy accepts gives NumPy's result and shape, and gradients flow through the gather.
Indices without such parts keep TensorFlow's slicing."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np


def _is_advanced(part: Any) -> bool:
    from ..framework.tensor import Tensor

    if isinstance(part, (list, np.ndarray)):
        return True
    if isinstance(part, Tensor):
        return part.shape.rank != 0 or part.dtype.is_bool
    if isinstance(part, tuple):  # a tuple inside the index tuple is a sequence of indices
        return True
    return False


def _concrete(part: Any) -> Any:
    from ..framework.tensor import Tensor

    if isinstance(part, Tensor):
        return part.numpy()
    if isinstance(part, tuple):
        return np.asarray([_concrete(p) for p in part])
    if isinstance(part, list):
        return np.asarray([_concrete(p) for p in part])
    return part


def numpy_getitem(original: Callable) -> Callable:
    """A ``__getitem__`` doing NumPy's advanced indexing where the index needs it, else ``original``."""

    def __getitem__(self: Any, index: Any) -> Any:
        parts = index if isinstance(index, tuple) else (index,)
        if not any(_is_advanced(p) for p in parts):
            return original(self, index)
        if not self.shape.is_fully_defined():
            raise ValueError(f"NumPy's advanced indexing needs a fully known shape, received {self.shape}")
        from ..ops import array_ops

        shape = tuple(self.shape.as_list())
        positions = np.arange(int(np.prod(shape, dtype=np.int64))).reshape(shape)
        picked = positions[tuple(_concrete(p) for p in parts)]
        flat = array_ops.reshape(self, [-1])
        return array_ops.reshape(array_ops.gather(flat, picked.reshape(-1)), list(picked.shape))

    __getitem__.__doc__ = original.__doc__
    return __getitem__
