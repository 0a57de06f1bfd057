"""Row-number pipelines: in-memory slices shuffled, repeated, cut and batched as row numbers.

The elements of ``from_tensor_slices`` followed by ``shuffle``, ``repeat``, ``take``, ``skip``, ``shard`` and
pass-throughs (``prefetch``, ``with_options``) are rows of the source arrays, in an order that depends on
nothing but the chain. ``batch`` asks such a chain for that order as row numbers (``Dataset._rows`` and
``Dataset._row_iterator``) and gathers each batch with one fancy index per component, instead of slicing
every row and stacking the slices one element at a time.

The orders are exactly the element path's: the same shuffle buffer with the same random draws in the same
order, and each ``_row_iterator`` call has the side effects of the ``_iterator`` call it stands for (a
reshuffling ``shuffle`` counts an iteration), made at the same point of the iteration.
"""

from __future__ import annotations

import itertools
import random
from typing import Any, Callable, Iterator, Optional

import numpy as np

from .structure import contiguous

# Cleared by tests to compare the row path with the element path it replaces.
ENABLED = True


def rows_of(dataset: Any) -> Optional[tuple]:
    """The flat source arrays whose rows ``dataset``'s elements are, when its order can come as row numbers."""
    return dataset._rows() if ENABLED else None


def shuffled(source: Iterator[int], size: int, rng: random.Random) -> Iterator[int]:
    """``source`` through the shuffle buffer of ``shuffling._ShuffleIterator``, draw for draw.

    That iterator fills its buffer to ``size``, swaps a random entry with the last and pops it. Once full, the
    entry appended last is the one just pulled, so the buffer can stay at ``size - 1`` entries: the draw
    ``size - 1`` gives back the pulled entry, any other draw returns that entry's row and stores the pulled
    one in its place. Only row numbers flow here, so nothing upstream can raise mid-way.
    """
    draw = rng.randrange
    buf = list(itertools.islice(source, size - 1))
    if len(buf) == size - 1:
        last = size - 1
        if type(rng) is random.Random:
            yield from _shuffled_full(source, buf, size, rng.getrandbits)
        for row in source:
            i = draw(size)
            if i == last:
                yield row
            else:
                out = buf[i]
                buf[i] = row
                yield out
    while buf:  # the source is exhausted: drain as the element path does
        i = draw(len(buf))
        buf[i], buf[-1] = buf[-1], buf[i]
        yield buf.pop()


def _shuffled_full(source: Iterator[int], buf: list, size: int, bits: Callable[[int], int]) -> Iterator[int]:
    """``shuffled``'s loop once the buffer is full, with ``randrange(size)`` spelled as CPython's
    ``Random._randbelow_with_getrandbits`` computes it (``size.bit_length()`` random bits, drawn again while
    they reach ``size``): the same draws, without two Python calls per row (35 -> 14 us a batch of 100)."""
    k, last = size.bit_length(), size - 1
    for row in source:
        i = bits(k)
        while i >= size:
            i = bits(k)
        if i == last:
            yield row
        else:
            out = buf[i]
            buf[i] = row
            yield out


def repeated(make: Callable[[], Iterator[int]], count: int) -> Iterator[int]:
    """``transformations._RepeatIterator`` over row numbers: the first pass is made now, each next one when
    the previous ends, and a pass that yields nothing ends the repetition."""
    if count == 0:
        return iter(())
    return _passes(make(), make, count)


def _passes(it: Iterator[int], make: Callable[[], Iterator[int]], left: int) -> Iterator[int]:
    while True:
        first = next(it, None)
        if first is None:
            return
        yield first
        yield from it
        left -= 1
        if left == 0:
            return
        it = make()


class RowBatchIterator:
    """Batches of ``size`` rows of ``flat``, in the order ``rows`` gives: one gather per component."""

    def __init__(self, flat: tuple, rows: Iterator[int], size: int, drop_remainder: bool) -> None:
        self._flat = flat
        self._rows = rows
        self._size = size
        self._drop = drop_remainder
        self._done = False

    def __iter__(self) -> RowBatchIterator:
        return self

    def __next__(self) -> tuple:
        if self._done:
            raise StopIteration
        size = self._size
        index = np.fromiter(itertools.islice(self._rows, size), dtype=np.intp)
        if len(index) < size:
            self._done = True
            if not len(index) or self._drop:
                raise StopIteration
        # A fancy index copies, so a batch never aliases the user's arrays (as the stacked element path).
        return tuple([contiguous(c[index]) for c in self._flat])
