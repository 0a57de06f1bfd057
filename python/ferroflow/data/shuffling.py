"""``Dataset.shuffle``: a buffer of elements drawn at random, with TensorFlow's seed rules.

With an op seed or a global seed (``tf.random.set_seed``) the sequence of orders is repeatable; without either
every dataset draws its own seed. Iteration ``k`` shuffles with a stream made from the seed and ``k`` when
``reshuffle_each_iteration``, and with the seed alone otherwise (so every epoch has the same order).
"""

from __future__ import annotations

import random
from typing import Any, Iterator, Optional

from ..errors import InvalidArgumentError
from ..ops.random_ops import resolve_seed
from . import rows
from .dataset_ops import Dataset
from .sources import _int


def _buffer_size(value: Any) -> int:
    from .transformations import AUTOTUNE

    n = _int(value, "buffer_size")
    if n == AUTOTUNE:
        return 1 << 20
    if n <= 0:
        raise InvalidArgumentError("buffer_size must be greater than zero.")
    return n


class _ShuffleIterator:
    """Fills a buffer to ``size``, then swaps a random entry with the last and pops it (``rows.shuffled`` gives
    the same draws over row numbers)."""

    def __init__(self, source: Iterator[tuple], size: int, rng: random.Random) -> None:
        self._it = source
        self._size = size
        self._draw = rng.randrange
        self._buffer: list = []
        self._exhausted = False

    def __iter__(self) -> _ShuffleIterator:
        return self

    def __next__(self) -> tuple:
        buf = self._buffer
        if not self._exhausted:
            size = self._size
            try:
                while len(buf) < size - 1:
                    buf.append(next(self._it))
                pulled = next(self._it)
            except StopIteration:
                self._exhausted = True
            else:
                # The pulled element is the buffer's last entry: draw it, or return the drawn entry and keep
                # the pulled one in its place (the swap and pop without the list growing and shrinking).
                i = self._draw(size)
                if i == size - 1:
                    return pulled
                out = buf[i]
                buf[i] = pulled
                return out
        if not buf:
            raise StopIteration
        i = self._draw(len(buf))
        buf[i], buf[-1] = buf[-1], buf[i]
        return buf.pop()


class ShuffleDataset(Dataset):
    """``Dataset.shuffle``."""

    def __init__(self, dataset: Dataset, buffer_size: Any, seed: Optional[int], reshuffle: bool) -> None:
        self._input = dataset
        self._size = _buffer_size(buffer_size)
        op_seed = None if seed is None else _int(seed, "seed")
        self._seed, _ = resolve_seed(op_seed)
        self._reshuffle = bool(reshuffle)
        self._epoch = 0
        super().__init__(dataset.element_spec, (dataset,))

    def _rng(self) -> random.Random:
        """The stream of the next iteration (each iteration counts one when reshuffling)."""
        epoch = self._epoch
        if self._reshuffle:
            self._epoch += 1
        return random.Random(self._seed * 1_000_003 + epoch)

    def _iterator(self) -> Iterator[tuple]:
        rng = self._rng()
        return _ShuffleIterator(self._input._iterator(), self._size, rng)

    def _rows(self) -> Optional[tuple]:
        return self._input._rows()

    def _row_iterator(self) -> Iterator[int]:
        rng = self._rng()
        return rows.shuffled(self._input._row_iterator(), self._size, rng)

    def _cardinality(self) -> int:
        return self._input._cardinality()
