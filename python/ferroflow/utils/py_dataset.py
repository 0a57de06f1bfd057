"""``keras.utils.PyDataset`` (and its legacy name ``Sequence``): batches produced by Python code, by index.

A subclass implements ``__len__`` (the number of batches) and ``__getitem__`` (one whole batch), and may
implement ``on_epoch_begin``/``on_epoch_end``. ``fit`` reads the batches in order, or in a new random order
each epoch when ``shuffle=True``. With ``workers > 1`` the batches are fetched by a pool of threads, at most
``max_queue_size`` ahead of training, and handed to training in order.
"""

from __future__ import annotations

import itertools
import warnings
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterable, Iterator, Optional

__all__ = ["PyDataset", "Sequence"]


class PyDataset:
    """Base class for a dataset whose batches are computed by Python code, like ``keras.utils.PyDataset``.

    Every ``PyDataset`` implements ``__getitem__(index)``, returning a complete batch (``(x, y)``,
    ``(x, y, sample_weight)``, ``(x,)`` or ``x``), and ``__len__``, returning the number of batches (or
    overrides the ``num_batches`` property, returning ``None`` for an infinite dataset).

    Args:
        workers: how many threads fetch batches in parallel during ``fit``/``evaluate``/``predict``.
        use_multiprocessing: accepted for Keras compatibility; batches are fetched by threads either way.
        max_queue_size: how many batches may be fetched ahead of the one training uses.

    Example::

        class Batches(keras.utils.PyDataset):
            def __init__(self, x, y, batch_size, **kwargs):
                super().__init__(**kwargs)
                self.x, self.y, self.batch_size = x, y, batch_size

            def __len__(self):
                return math.ceil(len(self.x) / self.batch_size)

            def __getitem__(self, idx):
                low = idx * self.batch_size
                return self.x[low : low + self.batch_size], self.y[low : low + self.batch_size]
    """

    def __init__(self, workers: int = 1, use_multiprocessing: bool = False, max_queue_size: int = 10) -> None:
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    def _warn_if_super_not_called(self) -> None:
        warn = False
        for name, default in (("_workers", 1), ("_use_multiprocessing", False), ("_max_queue_size", 10)):
            if not hasattr(self, name):
                setattr(self, name, default)
                warn = True
        if warn:
            warnings.warn(
                "Your `PyDataset` class should call `super().__init__(**kwargs)` in its constructor. `**kwargs` "
                "can include `workers`, `use_multiprocessing`, `max_queue_size`. Do not pass these arguments to "
                "`fit()`, as they will be ignored.",
                stacklevel=3,
            )

    @property
    def workers(self) -> int:
        self._warn_if_super_not_called()
        return self._workers

    @workers.setter
    def workers(self, value: int) -> None:
        self._workers = value

    @property
    def use_multiprocessing(self) -> bool:
        self._warn_if_super_not_called()
        return self._use_multiprocessing

    @use_multiprocessing.setter
    def use_multiprocessing(self, value: bool) -> None:
        self._use_multiprocessing = value

    @property
    def max_queue_size(self) -> int:
        self._warn_if_super_not_called()
        return self._max_queue_size

    @max_queue_size.setter
    def max_queue_size(self, value: int) -> None:
        self._max_queue_size = value

    def __getitem__(self, index: int) -> Any:
        """The batch at position ``index``."""
        raise NotImplementedError(f"{type(self).__name__} must implement `__getitem__(self, index)`")

    def __iter__(self) -> Iterator[Any]:
        num_batches: Optional[int] = None
        try:
            num_batches = self.num_batches
        except NotImplementedError:
            pass
        indices: Iterable[int] = itertools.count() if num_batches is None else range(num_batches)
        for index in indices:
            yield self[index]

    @property
    def num_batches(self) -> Optional[int]:
        """The number of batches, or ``None`` for an infinite dataset (by default ``len(self)``)."""
        if hasattr(self, "__len__"):
            return len(self)  # type: ignore[arg-type]
        raise NotImplementedError(
            f"{type(self).__name__} must implement `__len__` or the `num_batches` property:\n\n"
            "@property\ndef num_batches(self):\n  return ..."
        )

    def on_epoch_begin(self) -> None:
        """Called at the beginning of every epoch."""

    def on_epoch_end(self) -> None:
        """Called at the end of every epoch."""


Sequence = PyDataset


def batches(dataset: PyDataset, indices: Iterable[int]) -> Iterator[Any]:
    """``dataset[i]`` for each of ``indices``, in order; fetched ahead by ``dataset.workers`` threads."""
    workers = int(dataset.workers or 0)
    if workers <= 1:
        for i in indices:
            yield dataset[i]
        return
    ahead = max(int(dataset.max_queue_size or 0), workers)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="py_dataset")
    pending: deque = deque()
    indices = iter(indices)
    try:
        for i in itertools.islice(indices, ahead):
            pending.append(pool.submit(dataset.__getitem__, i))
        while pending:
            batch = pending.popleft().result()
            for i in itertools.islice(indices, 1):
                pending.append(pool.submit(dataset.__getitem__, i))
            yield batch
    finally:
        for f in pending:
            f.cancel()
        pool.shutdown(wait=False)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
