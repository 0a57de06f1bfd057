"""Copies of a dataset whose graph tensors are bound to one run's values, one copy per iterator.

A dataset built in a ``tf.function`` (or a ``tf.data`` function) reads tensors whose values are only known when
the graph runs: its sources over graph tensors and the functions that use tensors of the enclosing graph
(``graph_sources``). As TensorFlow makes a fresh iterator resource holding its own captured values, each
iterator made at run time iterates a copy of the dataset in which those readers carry that run's values;
the dataset itself is left unbound. Two iterators of one traced dataset made with different values (two
``iter`` calls, interleaved calls of the function, the open datasets of an ``interleave``) then each see their
own values instead of the latest ones.
"""

from __future__ import annotations

import copy
from typing import Any, Optional

from .dataset_ops import Dataset


def _reaches(dataset: Dataset, targets: set, memo: dict) -> bool:
    """Whether ``dataset`` or one of its inputs (``_inputs``, as ``graph_sources`` walks them) is in ``targets``
    (ids of datasets) or holds a reader in ``targets``."""
    key = id(dataset)
    if key not in memo:
        memo[key] = False  # a cycle cannot reach anything new
        own = key in targets or any(id(v) in targets for v in vars(dataset).values())
        memo[key] = own or any(_reaches(i, targets, memo) for i in dataset._inputs if isinstance(i, Dataset))
    return memo[key]


def _copy(dataset: Dataset) -> Dataset:
    """A shallow copy (``copy.copy``'s, without its protocol lookups: this runs for each element of an
    ``interleave`` whose function is traced)."""
    if hasattr(type(dataset), "__copy__") or not hasattr(dataset, "__dict__"):
        return copy.copy(dataset)
    new = object.__new__(type(dataset))
    new.__dict__.update(dataset.__dict__)
    return new


def _may_hold(value: Any, targets: set) -> bool:
    if id(value) in targets or isinstance(value, Dataset):
        return True
    return type(value) in (list, tuple) and any(isinstance(v, Dataset) for v in value)


def bound_copy(dataset: Dataset, sources: list, values: list, reaches: Optional[dict] = None) -> Dataset:
    """``dataset`` with each reader of ``sources`` (from ``graph_sources(dataset)``) replaced by a copy bound
    to its slice of ``values`` (NumPy arrays, in the order of the readers' ``captured`` tensors). ``reaches``,
    a dict kept by the caller across calls with the same ``dataset`` and ``sources``, saves finding again which
    datasets lead to a reader, and which of their attributes hold datasets or readers."""
    replaced: dict = {}
    at = 0
    for s in sources:
        n = len(s.captured)
        replaced[id(s)] = s.bound(list(values[at : at + n]))
        at += n
    if at != len(values):
        raise ValueError(f"expected {at} values for the dataset's graph tensors, received {len(values)}")
    if reaches is None:
        reaches = {}
    copies: dict = {}

    def swap(value: Any) -> Any:
        if id(value) in replaced and not isinstance(value, Dataset):
            return replaced[id(value)]
        if isinstance(value, Dataset):
            return visit(value)
        if isinstance(value, (list, tuple)) and type(value) in (list, tuple):
            if any(isinstance(v, Dataset) for v in value):
                return type(value)(swap(v) for v in value)
        return value

    targets = set(replaced)

    def visit(d: Dataset) -> Dataset:
        if not _reaches(d, targets, reaches):
            return d
        if id(d) in copies:
            return copies[id(d)]
        new = replaced[id(d)] if id(d) in replaced else _copy(d)
        copies[id(d)] = new
        names = reaches.get(("attributes", id(d)))
        if names is None:  # the attributes that may hold a dataset or a reader
            names = [name for name, value in vars(d).items() if _may_hold(value, targets)]
            reaches["attributes", id(d)] = names
        attributes = vars(d)
        for name in names:
            value = attributes[name]
            swapped = swap(value)
            if swapped is not value:
                setattr(new, name, swapped)
        return new

    return visit(dataset)
