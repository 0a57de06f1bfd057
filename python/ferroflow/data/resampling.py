"""``tf.data.experimental.rejection_resample``: rebalance a dataset's classes toward a target distribution by
dropping elements, built as TensorFlow builds it (so its elements, ``(class, element)`` pairs, and its mix of
kept and resampled elements are TensorFlow's).

With an ``initial_dist`` the acceptance probabilities are fixed; without one they follow a running estimate of
the class distribution (counts smoothed by 10 per class, updated each 32 elements). An element is kept from the
original stream with probability ``min(target / initial)`` and otherwise from the stream filtered by acceptance
``(ratio - min) / (max - min)``, which makes the output's class distribution the target.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

from ..errors import InvalidArgumentError
from .dataset_ops import Dataset

_BATCH = 32  # elements per update of the running class distribution estimate
_SMOOTHING = 10  # examples counted per class before any is seen


def _acceptance(initial: Any, target: Any) -> tuple:
    """``(acceptance per class, probability of taking the original stream)`` for the two distributions."""
    import ferroflow as tf

    ratio = target / (initial + np.finfo(np.float32).tiny)
    low, high = tf.reduce_min(ratio), tf.reduce_max(ratio)
    return (ratio - low) / (high - low), low


def _class_of(class_func: Callable, data: Any) -> Any:
    return class_func(*data) if isinstance(data, tuple) else class_func(data)


def _with_class(class_func: Callable) -> Callable:
    def add_class_value(*x: Any) -> tuple:
        return (class_func(*x), x[0]) if len(x) == 1 else (class_func(*x), x)

    return add_class_value


def _estimated_dist(target: np.ndarray, dataset: Dataset, class_func: Callable) -> Dataset:
    """Per element, the class distribution estimated from the counts seen so far (TensorFlow's estimate)."""
    import ferroflow as tfa

    n = len(target)

    def update(seen: Any, classes: Any) -> tuple:
        seen = seen + tfa.reduce_sum(tfa.one_hot(classes, n, dtype="int64"), 0)
        dist = tfa.cast(seen / tfa.reduce_sum(seen), "float32")
        return seen, tfa.tile(tfa.expand_dims(dist, 0), [_BATCH, 1])

    classes = dataset.map(lambda *x: _class_of(class_func, x if len(x) > 1 else x[0]))
    start = np.full([n], _SMOOTHING, dtype=np.int64)
    return classes.batch(_BATCH).scan(start, update).unbatch()


def rejection_resample(
    class_func: Callable, target_dist: Any, initial_dist: Any = None, seed: Optional[int] = None
) -> Callable[[Dataset], Dataset]:
    """A transformation (for ``Dataset.apply``) giving ``(class_func(element), element)`` pairs whose classes
    follow ``target_dist``; ``initial_dist`` is the input's class distribution (estimated when None)."""
    import ferroflow as tfa

    def _apply_fn(dataset: Dataset) -> Dataset:
        target = np.asarray(target_dist, dtype=np.float32).reshape(-1)
        if initial_dist is not None:
            initial = np.asarray(initial_dist, dtype=np.float32).reshape(-1)
            if initial.shape != target.shape:
                raise InvalidArgumentError(f"Incompatible shapes: {list(target.shape)} vs. {list(initial.shape)}")
            accept, original = (np.asarray(v, dtype=np.float32) for v in _acceptance(initial, target))
            accept_ds = Dataset.from_tensors(accept).repeat()
            original_ds = Dataset.from_tensors(original).repeat()
            static_original = float(original)
        else:
            dist_ds = _estimated_dist(target, dataset, class_func)
            mixed = dist_ds.map(lambda initial: _acceptance(initial, target))
            accept_ds = mixed.map(lambda accept, _: accept)
            original_ds = mixed.map(lambda _, original: original)
            static_original = None

        def gather_and_copy(accept: Any, data: Any) -> tuple:
            class_value = _class_of(class_func, data)
            return class_value, tfa.gather(accept, class_value), data

        def keep(class_value: Any, p: Any, data: Any) -> Any:
            return tfa.random.uniform([], seed=seed, dtype=p.dtype) < p

        filtered = (
            Dataset.zip((accept_ds, dataset))
            .map(gather_and_copy)
            .filter(keep)
            .map(lambda class_value, p, data: (class_value, data))
            .prefetch(3)
        )
        if static_original == 1:
            return dataset.map(_with_class(class_func))
        if static_original == 0:
            return filtered
        weights = original_ds.map(lambda p: tfa.stack([p, 1.0 - p]))
        return Dataset.sample_from_datasets(
            [dataset.map(_with_class(class_func)), filtered], weights=weights, seed=seed, stop_on_empty_dataset=True
        )

    return _apply_fn
