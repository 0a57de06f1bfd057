"""``keras.utils.timeseries_dataset_from_array``: sliding windows over an array, as a ``tf.data.Dataset``.

Window ``k`` starts at ``start_index + k * sequence_stride`` and takes ``sequence_length`` steps spaced
``sampling_rate`` apart; its target is ``targets[start_index + k * sequence_stride]``. Only the windows that
fit before ``end_index`` (and, with targets, that have a target) are made, as in Keras.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

__all__ = ["timeseries_dataset_from_array"]


def _check_arguments(
    n: int, sequence_stride: int, sampling_rate: int, start_index: Optional[int], end_index: Optional[int]
) -> None:
    """Keras's argument checks, in Keras's order and with its messages."""
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: start_index={start_index}")
        if start_index >= n:
            raise ValueError(
                "`start_index` must be lower than the length of the "
                f"data. Received: start_index={start_index}, for data "
                f"of length {n}"
            )
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(
                "`end_index` must be higher than `start_index`. "
                f"Received: start_index={start_index}, and "
                f"end_index={end_index} "
            )
        if end_index >= n:
            raise ValueError(
                "`end_index` must be lower than the length of the "
                f"data. Received: end_index={end_index}, for data of "
                f"length {n}"
            )
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    if sampling_rate <= 0:
        raise ValueError(f"`sampling_rate` must be higher than 0. Received: sampling_rate={sampling_rate}")
    if sampling_rate >= n:
        raise ValueError(
            "`sampling_rate` must be lower than the length of the "
            f"data. Received: sampling_rate={sampling_rate}, for data "
            f"of length {n}"
        )
    if sequence_stride <= 0:
        raise ValueError(f"`sequence_stride` must be higher than 0. Received: sequence_stride={sequence_stride}")
    if sequence_stride >= n:
        raise ValueError(
            "`sequence_stride` must be lower than the length of the "
            f"data. Received: sequence_stride={sequence_stride}, for "
            f"data of length {n}"
        )


def _as_tensor(array: Any, start: int, end: int) -> Any:
    """``array[start:end]`` as a tensor (Python lists convert as ``tf.constant`` would: floats to float32)."""
    from ..framework.ops import convert_to_tensor
    from ..framework.tensor import Tensor

    if not isinstance(array, (Tensor, np.ndarray, list, tuple)) and hasattr(array, "__array__"):
        array = np.asarray(array)  # pandas and other array-likes
    return convert_to_tensor(array[start:end])


def timeseries_dataset_from_array(
    data: Any,
    targets: Any,
    sequence_length: int,
    sequence_stride: int = 1,
    sampling_rate: int = 1,
    batch_size: Optional[int] = 128,
    shuffle: bool = False,
    seed: Optional[int] = None,
    start_index: Optional[int] = None,
    end_index: Optional[int] = None,
) -> Any:
    """A dataset of sliding windows over ``data`` (axis 0 is time), with their ``targets`` when given.

    Yields ``(batch_of_sequences, batch_of_targets)`` (or only the sequences when ``targets`` is None), batches
    of ``batch_size`` (single samples when it is None). ``shuffle`` draws the windows in a random order
    (repeatable with ``seed``).
    """
    from ..data import Dataset
    from ..ops.array_ops import gather

    _check_arguments(len(data), sequence_stride, sampling_rate, start_index, end_index)
    if start_index is None:
        start_index = 0
    if end_index is None:
        end_index = len(data)

    num_seqs = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_seqs = min(num_seqs, len(targets))
    index_dtype = "int32" if num_seqs < 2147483647 else "int64"
    start_positions = np.arange(0, num_seqs, sequence_stride, dtype=index_dtype)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(start_positions)

    steps = _as_tensor(data, start_index, end_index)
    offsets = np.arange(0, sequence_length * sampling_rate, sampling_rate, dtype=index_dtype)
    positions = Dataset.from_tensor_slices(start_positions)
    if targets is None:
        dataset = positions.map(lambda p: gather(steps, p + offsets))
    else:
        target_steps = _as_tensor(targets, start_index, end_index)
        dataset = positions.map(lambda p: (gather(steps, p + offsets), gather(target_steps, p)))

    if batch_size is not None:
        if shuffle:
            dataset = dataset.shuffle(buffer_size=batch_size * 8, seed=seed)  # shuffle locally each epoch
        return dataset.batch(batch_size)
    if shuffle:
        dataset = dataset.shuffle(buffer_size=1024, seed=seed)
    return dataset


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
