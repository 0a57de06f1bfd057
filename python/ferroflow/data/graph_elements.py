"""Elements that are datasets (``Dataset.window``'s) pulled inside a traced function.

TensorFlow hands such an element to the graph as a variant tensor holding the dataset. Here the iterator node
of a dataset loop (``autograph/_dataset_loops``) registers the element's dataset and returns an int64 handle;
the graph sees ``ElementDataset``, a dataset over that handle tensor which, as the sources of ``graph_sources``,
is bound to the dataset the handle names when an iterator of it is made at run time (a ``for`` loop over it,
its ``reduce``, or the datasets built on it: ``w.batch(3)``). Registered datasets are dropped oldest first once
more than ``_MAX_LIVE`` exist, as nothing tells when the graph stops using a handle.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from typing import Any, Optional

import numpy as np

from ..errors import InvalidArgumentError
from .dataset_ops import UNKNOWN, Dataset
from .graph_sources import GraphSourceDataset

_LIVE: OrderedDict = OrderedDict()  # handle -> dataset
_MAX_LIVE = 1024
_HANDLES = itertools.count(1)


def register(dataset: Dataset) -> np.ndarray:
    """The int64 handle under which ``dataset`` is found by ``ElementDataset``s bound to it."""
    handle = next(_HANDLES)
    _LIVE[handle] = dataset
    while len(_LIVE) > _MAX_LIVE:
        _LIVE.popitem(last=False)
    return np.asarray(handle, np.int64)


def release(handle: np.ndarray) -> None:
    """Drops the dataset registered under ``handle`` (once what reads it has been bound)."""
    _LIVE.pop(int(handle), None)


class ElementDataset(GraphSourceDataset):
    """A dataset element of a traced function: the dataset behind the int64 ``handle`` tensor at each run."""

    _repr_name = "_VariantDataset"

    def __init__(self, handle: Any, element_spec: Any) -> None:
        self.captured = [handle]
        self._bound: Optional[Dataset] = None
        Dataset.__init__(self, element_spec)

    def bind(self, values: list) -> None:
        if isinstance(values[0], Dataset):  # the dataset itself (``traced_dataset_fn``'s pass-through)
            self._bound = values[0]
            return
        handle = int(np.asarray(values[0]))
        dataset = _LIVE.get(handle)
        if dataset is None:
            raise InvalidArgumentError(f"the dataset element with handle {handle} is no longer available")
        self._bound = dataset

    def _cardinality(self) -> int:
        return self._bound._cardinality() if self._bound is not None else UNKNOWN
