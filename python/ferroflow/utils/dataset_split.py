"""``keras.utils.split_dataset``: two ``tf.data.Dataset``s from a dataset or arrays, as Keras 3 splits them.

The samples are listed in memory (a batched dataset is unbatched first), optionally shuffled with Python's
``random`` seeded with ``seed`` (so a seed picks the same samples as Keras), and the first ``left_size`` and
last ``right_size`` of them become datasets of stacked arrays; a split of a batched dataset is batched again
with its batch size.
"""

from __future__ import annotations

import random
import time
import warnings
from typing import Any, Optional, Union

import numpy as np

_Size = Optional[Union[int, float]]


def _is_dataset(x: Any) -> bool:
    from ..data import Dataset

    return isinstance(x, Dataset)


def _batch_size(dataset: Any) -> Optional[int]:
    """The batch size of a dataset made by ``batch`` / ``padded_batch`` (None for any other dataset)."""
    from ..data.batching import BatchDataset, PaddedBatchDataset

    return dataset._size if isinstance(dataset, (BatchDataset, PaddedBatchDataset)) else None


def _samples_of_arrays(dataset: Any, kind: str) -> Any:
    """The samples (tuples of rows) of a list or tuple of same-length arrays, checked as Keras checks them."""
    if len(dataset) == 0:
        sep = " " if kind == "list" else ""
        raise ValueError(f"Received an empty list dataset.{sep}Please provide a non-empty {kind} of arrays.")
    expected_shape = None
    for i, element in enumerate(dataset):
        if not isinstance(element, np.ndarray):
            raise ValueError(f"Expected a {kind} of `numpy.ndarray` objects,Received: {type(element)} at index {i}.")
        if expected_shape is None:
            expected_shape = element.shape
        elif element.shape[0] != expected_shape[0]:
            raise ValueError(
                f"Received a {kind} of NumPy arrays with different lengths."
                f"Mismatch found at index {i}, "
                f"Expected shape={expected_shape} "
                f"Received shape={np.array(element).shape}."
                f"Please provide a {kind} of NumPy arrays of the same length."
            )
    return zip(*dataset)


def _to_list(iterator: Any) -> list:
    """The samples of ``iterator``, each array or tensor sample of the first one's shape; warns (as Keras) when
    listing them takes over 10 seconds."""
    start = time.time()
    samples = []
    first_shape: Any = None
    check_shapes, warn = False, True
    for i, sample in enumerate(iterator):
        if i == 0:
            if isinstance(sample, np.ndarray) or hasattr(sample, "numpy"):
                first_shape, check_shapes = np.array(sample).shape, True
        else:
            if check_shapes and first_shape != np.array(sample).shape:
                raise ValueError(
                    "All `dataset` samples must have same shape, "
                    f"Expected shape: {first_shape} "
                    f"Received shape: {np.array(sample).shape} at index "
                    f"{i - 1}."
                )
            if warn and (i - 1) % 10 == 0 and int(time.time() - start) > 10:
                warnings.warn(
                    "The dataset is taking longer than 10 seconds to iterate over. This may be due to the size of "
                    "the dataset. Keep in mind that the `split_dataset` utility is only for small in-memory "
                    "dataset (e.g. < 10,000 samples).",
                    category=ResourceWarning,
                    stacklevel=3,
                )
                warn = False
        samples.append(sample)
    if not samples:
        raise ValueError(
            "Received an empty dataset. Argument `dataset` must be a non-empty list/tuple of `numpy.ndarray` "
            "objects or `tf.data.Dataset` objects."
        )
    return samples


def _check_size_types(left_size: Any, right_size: Any) -> None:
    left_type, right_type = type(left_size), type(right_size)
    left_bad = left_size is not None and left_type not in (int, float)
    right_bad = right_size is not None and right_type not in (int, float)
    if left_bad and right_bad:
        raise TypeError(
            "Invalid `left_size` and `right_size` Types. Expected: integer or float or None, Received: "
            f"type(left_size)={left_type} and type(right_size)={right_type}"
        )
    if left_bad:
        raise TypeError(
            f"Invalid `left_size` Type. Expected: int or float or None, Received: type(left_size)={left_type}.  "
        )
    if right_bad:
        raise TypeError(
            f"Invalid `right_size` Type. Expected: int or float or None,Received: type(right_size)={right_type}."
        )


def _split_sizes(left_size: _Size, right_size: _Size, total: int) -> tuple:
    """``(left, right)`` sample counts: fractions are rounded shares of ``total``, a missing side is the rest."""
    _check_size_types(left_size, right_size)
    left_type, right_type = type(left_size), type(right_size)
    if left_size == 0 and right_size == 0:
        raise ValueError(
            "Both `left_size` and `right_size` are zero. At least one of the split sizes must be non-zero."
        )
    if (left_type is int and (left_size <= 0 or left_size >= total)) or (
        left_type is float and (left_size <= 0 or left_size >= 1)
    ):
        raise ValueError(
            f"`left_size` should be either a positive integer smaller than {total}, or a float within the range "
            f"`[0, 1]`. Received: left_size={left_size}"
        )
    if (right_type is int and (right_size <= 0 or right_size >= total)) or (
        right_type is float and (right_size <= 0 or right_size >= 1)
    ):
        raise ValueError(
            f"`right_size` should be either a positive integer and smaller than {total} or a float within the "
            f"range `[0, 1]`. Received: right_size={right_size}"
        )
    if right_type is left_type is float and right_size + left_size > 1:
        raise ValueError(
            "The sum of `left_size` and `right_size` is greater than 1. It must be less than or equal to 1."
        )
    left = round(left_size * total) if left_type is float else None if left_size is None else float(left_size)
    right = round(right_size * total) if right_type is float else None if right_size is None else float(right_size)
    if left is None:
        left = total - right
    elif right is None:
        right = total - left
    if left + right > total:
        raise ValueError(
            f"The sum of `left_size` and `right_size` should be smaller than the {total}. "
            f"Received: left_size + right_size = {left + right}and total_length = {total}"
        )
    for split, side in ((left, "left"), (right, "right")):
        if split == 0:
            raise ValueError(
                f"With `dataset` of length={total}, `left_size`={left} and `right_size`={right}."
                f"Resulting {side} side dataset split will be empty. Adjust any of the aforementioned parameters"
            )
    return int(left), int(right)


def _restore(samples: list, structured: bool) -> Any:
    """The samples stacked per component, in the structure of the first sample (lists as tuples) when
    ``structured``; else the list of samples."""
    if not structured:
        return samples
    from ..framework import nest

    columns = zip(*[nest.flatten(s) for s in samples])
    stacked = [np.array([np.asarray(v.numpy() if hasattr(v, "numpy") else v) for v in c]) for c in columns]
    packed = nest.pack_sequence_as(samples[0], stacked)

    def tuples(x: Any) -> Any:
        if isinstance(x, (list, tuple)):
            return tuple(tuples(v) for v in x)
        if isinstance(x, dict):
            return {k: tuples(v) for k, v in x.items()}
        return x

    return tuples(packed)


def split_dataset(
    dataset: Any,
    left_size: _Size = None,
    right_size: _Size = None,
    shuffle: bool = False,
    seed: Optional[int] = None,
    preferred_backend: Optional[str] = None,
) -> tuple:
    """Splits ``dataset`` (a ``tf.data.Dataset``, a NumPy array, or a list/tuple of same-length NumPy arrays)
    into ``(left, right)`` datasets.

    ``left_size`` / ``right_size`` are sample counts (ints) or fractions in ``(0, 1)`` (floats, rounded); one
    may be None for "the rest". With ``shuffle`` the samples are shuffled first (``seed`` makes it
    reproducible). Splits of a batched dataset are batched with the same batch size.
    """
    from ..data import Dataset

    if preferred_backend == "torch":  # any other backend splits into tf.data datasets, as in Keras
        raise ValueError(
            "`split_dataset` makes `tf.data.Dataset` splits: `preferred_backend='torch'` is not available."
        )
    if isinstance(dataset, tuple):
        kind = "tuple"
    elif isinstance(dataset, list):
        kind = "list"
    elif isinstance(dataset, np.ndarray):
        kind = "array"
    elif _is_dataset(dataset):
        kind = "dataset"
    else:
        raise TypeError(f"Unsupported dataset type: {type(dataset)}")
    if right_size is None and left_size is None:
        raise ValueError(
            "At least one of the `left_size` or `right_size` must be specified. Received: left_size=None and "
            "right_size=None"
        )
    if kind in ("list", "tuple"):
        iterator = _samples_of_arrays(dataset, kind)
    elif kind == "dataset":
        iterator = iter(dataset.unbatch() if _batch_size(dataset) is not None else dataset)
    else:
        iterator = iter(dataset)
    samples = _to_list(iterator)
    if shuffle:
        if seed is None:
            seed = random.randint(0, int(1e6))
        random.seed(seed)
        random.shuffle(samples)
    total = len(samples)
    left_size, right_size = _split_sizes(left_size, right_size, total)
    structured = kind != "array"
    left = Dataset.from_tensor_slices(_restore(samples[:left_size], structured))
    right = Dataset.from_tensor_slices(_restore(samples[-right_size:], structured))
    batch_size = _batch_size(dataset) if kind == "dataset" else None
    if batch_size is not None:
        left, right = left.batch(batch_size), right.batch(batch_size)
    return left.prefetch(-1), right.prefetch(-1)
