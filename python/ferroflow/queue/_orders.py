"""The orders a queue hands its elements out in: first in first out, random, and by priority.

Each order stores elements (tuples of NumPy arrays) and answers ``push``, ``pop``, ``restore`` (putting back what
a ``dequeue_many`` took before it failed, so the next dequeue sees them first, as TensorFlow does) and ``len``.
``ready(closed)`` says whether a dequeue may take an element now: a ``RandomShuffleQueue`` keeps
``min_after_dequeue`` elements back until it is closed.
"""

from __future__ import annotations

import collections
import heapq
import itertools
from typing import Any, List, Optional

import numpy as np


class FifoOrder:
    """First in, first out."""

    def __init__(self) -> None:
        self._items: collections.deque = collections.deque()

    def __len__(self) -> int:
        return len(self._items)

    def ready(self, closed: bool) -> bool:
        return bool(self._items)

    def push(self, element: tuple) -> None:
        self._items.append(element)

    def pop(self) -> tuple:
        return self._items.popleft()

    def restore(self, elements: List[tuple]) -> None:
        self._items.extendleft(reversed(elements))


class ShuffleOrder:
    """A uniformly random element each time, keeping ``min_after_dequeue`` back until the queue closes."""

    def __init__(self, min_after_dequeue: int, seed: Optional[int]) -> None:
        self._items: List[tuple] = []
        self._min_after = min_after_dequeue
        self._rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        return len(self._items)

    def ready(self, closed: bool) -> bool:
        return len(self._items) > (0 if closed else self._min_after)

    def push(self, element: tuple) -> None:
        self._items.append(element)

    def pop(self) -> tuple:
        i = int(self._rng.integers(len(self._items)))
        self._items[i], self._items[-1] = self._items[-1], self._items[i]
        return self._items.pop()

    def restore(self, elements: List[tuple]) -> None:
        self._items.extend(elements)


class PriorityOrder:
    """The element with the smallest priority (its first component, an int64 scalar) first; ties in the order
    they were enqueued."""

    def __init__(self) -> None:
        self._heap: List[Any] = []
        self._count = itertools.count()
        self._restores = itertools.count(1)

    def __len__(self) -> int:
        return len(self._heap)

    def ready(self, closed: bool) -> bool:
        return bool(self._heap)

    def push(self, element: tuple) -> None:
        heapq.heappush(self._heap, (int(element[0]), (0, next(self._count)), element))

    def pop(self) -> tuple:
        return heapq.heappop(self._heap)[2]

    def restore(self, elements: List[tuple]) -> None:
        # Ahead of the elements of equal priority still queued, in the order they were taken.
        group = -next(self._restores)
        for i, element in enumerate(elements):
            heapq.heappush(self._heap, (int(element[0]), (group, i), element))
