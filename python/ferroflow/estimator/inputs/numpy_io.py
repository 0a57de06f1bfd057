"""``tf.compat.v1.estimator.inputs.numpy_input_fn``: an ``input_fn`` over NumPy arrays."""

from __future__ import annotations

import collections
from typing import Any, Callable, Dict, Optional

import numpy as np

_TARGET_KEY = "__target_key__"


def _check_shuffle(shuffle: Any) -> None:
    if not isinstance(shuffle, bool):
        raise ValueError(
            "shuffle must be provided and explicitly set as boolean (it is recommended to set it as True for "
            f"training); got {shuffle}"
        )


def _as_dict(x: Any, what: str) -> Dict[str, np.ndarray]:
    if isinstance(x, dict):
        return collections.OrderedDict((k, np.asarray(v)) for k, v in x.items())
    if isinstance(x, (np.ndarray, list, tuple)):
        return collections.OrderedDict([("__array__", np.asarray(x))])
    raise TypeError(f"{what} must be a dict or array; got {type(x).__name__}")


def dataset_of(
    features: Dict[str, np.ndarray],
    target: Any,
    batch_size: int,
    num_epochs: Optional[int],
    shuffle: bool,
    queue_capacity: int,
    seed: Optional[int] = None,
) -> Any:
    """The dataset behind the NumPy and pandas input functions: rows (shuffled within each epoch), epochs
    chained, then batches that may span two epochs (the last one possibly smaller)."""
    from ...data import Dataset

    ds = Dataset.from_tensor_slices(features if target is None else (features, target))
    n = len(next(iter(features.values())))
    if shuffle:
        ds = ds.shuffle(max(n, 1), seed=seed, reshuffle_each_iteration=True)
    ds = ds.repeat(num_epochs)
    return ds.batch(batch_size)


def numpy_input_fn(
    x: Any,
    y: Any = None,
    batch_size: int = 128,
    num_epochs: Optional[int] = 1,
    shuffle: Any = None,
    queue_capacity: int = 1000,
    num_threads: int = 1,
) -> Callable[[], Any]:
    """An ``input_fn`` giving batches of ``x`` (a dict of arrays, or one array: the features tensor) and ``y``
    (an array or a dict of arrays), ``num_epochs`` times (forever when None), shuffled if ``shuffle``.

    The ``input_fn`` returns ``(features, labels)`` tensors (``features`` alone without ``y``); evaluation and
    prediction end when the epochs are done."""
    _check_shuffle(shuffle)
    if num_epochs is not None and num_epochs <= 0:
        raise ValueError(f"num_epochs must be None or a positive integer, given: {num_epochs}")
    if batch_size is None or batch_size <= 0:
        raise ValueError(f"batch_size must be a positive integer, given: {batch_size}")
    x_is_dict = isinstance(x, dict)
    features = _as_dict(x, "x")
    if not features:
        raise ValueError("x cannot be an empty dict")
    y_is_dict = isinstance(y, dict)
    target = None if y is None else _as_dict(y, "y")
    if y_is_dict and target is not None:
        if not target:
            raise ValueError("y cannot be empty dict, use None instead.")
        shared = set(features) & set(target)
        if shared:
            raise ValueError(f"{sorted(shared)} duplicate keys are found in both x and y: {sorted(shared)}")
    lengths = {len(v) for v in features.values()} | {len(v) for v in (target or {}).values()}
    if len(lengths) != 1:
        x_shapes = {k: v.shape for k, v in features.items()}
        y_shapes = {k: v.shape for k, v in (target or {}).items()}
        raise ValueError(
            "Length of tensors in x and y is mismatched. All elements in x and y must have the same length.\n"
            f"Shapes in x: {x_shapes}\nShapes in y: {y_shapes}\n"
        )

    def input_fn() -> Any:
        from ...compat.v1.iterator_ops import make_one_shot_iterator

        y_value = None if target is None else (target if y_is_dict else target["__array__"])
        dataset = dataset_of(features, y_value, batch_size, num_epochs, shuffle, queue_capacity)
        element = make_one_shot_iterator(dataset).get_next()
        feats, labels = (element, None) if target is None else element
        if not x_is_dict:
            feats = feats["__array__"]
        return feats if target is None else (feats, labels)

    return input_fn
