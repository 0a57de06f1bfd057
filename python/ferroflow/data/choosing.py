"""Mixing datasets: ``Dataset.sample_from_datasets`` (at random, by weight) and ``choose_from_datasets``
(by an index dataset)."""

from __future__ import annotations

import random
from typing import Any, Iterator, Optional

import numpy as np

from ..errors import InvalidArgumentError
from ..ops.random_ops import resolve_seed
from . import structure
from .dataset_ops import INFINITE, UNKNOWN, Dataset
from .sources import _int


def _common_spec(datasets: list, what: str) -> Any:
    if not datasets:
        raise ValueError(f"Invalid `datasets`. `datasets` should not be empty ({what}).")
    for d in datasets:
        if not isinstance(d, Dataset):
            raise TypeError(f"{what} expects a list of datasets, received {type(d).__name__}")
    spec = datasets[0].element_spec
    for d in datasets[1:]:
        spec = structure.common_supertype(spec, d.element_spec, f"Invalid `datasets` of {what}")
    return spec


class SampleDataset(Dataset):
    """``Dataset.sample_from_datasets``: each element from dataset ``i`` with probability ``weights[i]``."""

    def __init__(self, datasets: list, weights: Any, seed: Optional[int], stop_on_empty_dataset: bool) -> None:
        self._datasets = list(datasets)
        spec = _common_spec(self._datasets, "sample_from_datasets")
        self._weights_ds = weights if isinstance(weights, Dataset) else None
        if self._weights_ds is not None:  # a new weight vector for each draw, as TensorFlow reads them
            wspec = self._weights_ds.element_spec
            if not (isinstance(wspec, structure.TensorSpec) and wspec.dtype in ("float32", "float64")):
                raise TypeError(f"`weights` must be a dataset of float vectors, received elements {wspec}")
            w = np.ones(len(self._datasets))
        elif weights is None:
            w = np.ones(len(self._datasets))
        else:
            w = np.asarray(structure.to_component(weights), dtype="float64").ravel()
            if len(w) != len(self._datasets) or np.any(w < 0):
                raise ValueError("`weights` must hold one non-negative weight per dataset")
        self._weights = w
        self._seed, _ = resolve_seed(None if seed is None else _int(seed, "seed"))
        self._stop = bool(stop_on_empty_dataset)
        inputs = tuple(self._datasets) + (() if self._weights_ds is None else (self._weights_ds,))
        super().__init__(spec, inputs)

    def _iterator(self) -> Iterator[tuple]:
        rng = random.Random(self._seed)
        iterators = [d._iterator() for d in self._datasets]
        weights = list(self._weights)
        weight_stream = None if self._weights_ds is None else self._weights_ds._iterator()
        while sum(weights) > 0:
            draw = weights
            if weight_stream is not None:
                try:
                    (next_weights,) = next(weight_stream)
                except StopIteration:
                    return
                draw = [float(v) if weights[k] > 0 else 0.0 for k, v in enumerate(np.ravel(next_weights))]
                if sum(draw) <= 0:
                    return
            i = rng.choices(range(len(iterators)), draw)[0]
            try:
                yield next(iterators[i])
            except StopIteration:
                if self._stop:
                    return
                weights[i] = 0.0

    def _cardinality(self) -> int:
        cards = [d._cardinality() for d in self._datasets]
        return INFINITE if all(c == INFINITE for c in cards) else UNKNOWN


class ChooseDataset(Dataset):
    """``Dataset.choose_from_datasets``: the next element of ``datasets[i]`` for each ``i`` of the choices."""

    def __init__(self, datasets: list, choice_dataset: Dataset, stop_on_empty_dataset: bool) -> None:
        self._datasets = list(datasets)
        spec = _common_spec(self._datasets, "choose_from_datasets")
        choice = getattr(choice_dataset, "element_spec", None)
        if not (isinstance(choice, structure.TensorSpec) and choice.dtype == "int64" and choice.shape.rank == 0):
            raise TypeError(
                f"Invalid `choice_dataset`. Elements of `choice_dataset` must be scalar `tf.int64` "
                f"tensors but found {choice}."
            )
        self._choices = choice_dataset
        self._stop = bool(stop_on_empty_dataset)
        super().__init__(spec, tuple(self._datasets) + (choice_dataset,))

    def _iterator(self) -> Iterator[tuple]:
        iterators = [d._iterator() for d in self._datasets]
        for (c,) in self._choices._iterator():
            i = int(c)
            if not 0 <= i < len(iterators):
                raise InvalidArgumentError(f"Selector index out of range: {i} >= {len(iterators)}")
            try:
                yield next(iterators[i])
            except StopIteration:
                if self._stop:
                    return

    def _cardinality(self) -> int:
        return UNKNOWN
