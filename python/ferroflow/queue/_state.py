"""The elements of one queue and the waiting of the threads that enqueue and dequeue them.

TensorFlow's queues serve attempts in the order they arrive: the enqueue at the head of the line adds elements
while there is room, the dequeue at the head of its line takes elements while there are some. A ``dequeue_many``
larger than the capacity therefore completes (it takes elements as producers add them), and two consumers
never starve each other by each holding half a batch. A close without ``cancel_pending_enqueues`` waits in the
enqueue line, so it takes effect after the enqueues already waiting; a cancelling close takes effect at once and
fails those enqueues with ``CancelledError``. Closing the session that owns the queue cancels every waiting
operation. Waiting is on a ``threading.Condition``, which releases the GIL, so other threads (and other
``Session.run`` calls) go on meanwhile.
"""

from __future__ import annotations

import collections
import threading
from typing import Any, List

from ..errors import CancelledError, InvalidArgumentError, OutOfRangeError


class _Attempt:
    __slots__ = ("cancelled",)

    def __init__(self) -> None:
        self.cancelled = False


class QueueState:
    """One queue's contents: ``kind`` and ``name`` appear in error messages, as TensorFlow's do."""

    def __init__(self, kind: str, name: str, capacity: int, order: Any) -> None:
        self.kind = kind
        self.name = name
        self.capacity = capacity
        self._order = order
        self._cond = threading.Condition()
        self._closed = False
        self._dead = False  # the owning session was closed
        self._enqueuers: collections.deque = collections.deque()
        self._dequeuers: collections.deque = collections.deque()

    # -- queries
    def size(self) -> int:
        with self._cond:
            return len(self._order)

    def is_closed(self) -> bool:
        with self._cond:
            return self._closed

    # -- the two lines
    def _room(self) -> bool:
        return self.capacity < 0 or len(self._order) < self.capacity

    def _wait_turn(self, line: collections.deque, attempt: _Attempt, what: str) -> bool:
        """Whether ``attempt`` heads its line now; raises if the session or a cancelling close ended it."""
        if self._dead:
            raise CancelledError(f"{what} operation was cancelled: the session was closed")
        if attempt.cancelled:
            raise CancelledError(f"{what} operation was cancelled: {self.kind} '{self.name}' was closed")
        return line[0] is attempt

    def enqueue(self, elements: List[tuple]) -> None:
        """Adds ``elements`` in order, waiting for room; CancelledError once the queue is closed."""
        attempt = _Attempt()
        with self._cond:
            self._enqueuers.append(attempt)
            try:
                done = 0
                while True:
                    if self._wait_turn(self._enqueuers, attempt, "Enqueue"):
                        if self._closed:
                            raise CancelledError(f"{self.kind} '{self.name}' is closed.")
                        start = done
                        while done < len(elements) and self._room():
                            self._order.push(elements[done])
                            done += 1
                        if done > start:
                            self._cond.notify_all()
                        if done == len(elements):
                            return
                    self._cond.wait()
            finally:
                self._enqueuers.remove(attempt)
                self._cond.notify_all()

    def dequeue(self, n: int, up_to: bool = False) -> List[tuple]:
        """``n`` elements, waiting for them. On a closed queue with fewer left: OutOfRangeError (what was taken
        goes back), or for ``up_to`` the rest when there is any."""
        if n < 0:
            raise InvalidArgumentError(f"Dequeue{'UpTo' if up_to else 'Many'}Op requested {n} < 0 elements")
        attempt = _Attempt()
        taken: List[tuple] = []
        with self._cond:
            self._dequeuers.append(attempt)
            try:
                while True:
                    if self._wait_turn(self._dequeuers, attempt, "Dequeue"):
                        start = len(taken)
                        while len(taken) < n and self._order.ready(self._closed):
                            taken.append(self._order.pop())
                        if len(taken) > start:
                            self._cond.notify_all()
                        if len(taken) == n:
                            return taken
                        if self._closed:
                            if up_to and taken:
                                return taken
                            self._order.restore(taken)
                            taken = []
                            raise OutOfRangeError(
                                f"{self.kind} '{self.name}' is closed and has insufficient elements "
                                f"(requested {n}, current size {len(self._order)})"
                            )
                    self._cond.wait()
            except BaseException:
                if taken and not self._dead:
                    self._order.restore(taken)
                raise
            finally:
                self._dequeuers.remove(attempt)
                self._cond.notify_all()

    # -- closing
    def close(self, cancel_pending_enqueues: bool = False) -> None:
        """Closes the queue: at once when cancelling (failing the waiting enqueues), else after them."""
        with self._cond:
            if cancel_pending_enqueues:
                self._closed = True
                for attempt in self._enqueuers:
                    attempt.cancelled = True
                self._cond.notify_all()
                return
            if self._closed:
                raise CancelledError(f"Queue '{self.name}' is already closed.")
            attempt = _Attempt()
            self._enqueuers.append(attempt)
            try:
                while True:
                    try:
                        if self._wait_turn(self._enqueuers, attempt, "Close"):
                            break
                    except CancelledError:
                        if self._dead:
                            raise
                        return  # a cancelling close closed the queue meanwhile
                    self._cond.wait()
                if self._closed:
                    raise CancelledError(f"Queue '{self.name}' is already closed.")
                self._closed = True
            finally:
                self._enqueuers.remove(attempt)
                self._cond.notify_all()

    def cancel_all(self) -> None:
        """The owning session closed: every waiting operation fails with CancelledError."""
        with self._cond:
            self._dead = True
            self._cond.notify_all()
