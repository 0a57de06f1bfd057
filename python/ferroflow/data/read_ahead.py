"""Reading an iterator ahead on a worker thread, in chunks, while its consumer uses the previous chunk.

A parallel ``interleave`` reads each of its open datasets this way: while the consumer takes a block from one
dataset, the others read their next elements (TFRecord reads, parses and decodes release the GIL). The order
of each iterator's elements, and of the errors it raises among them, is kept.
"""

from __future__ import annotations

import collections
import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Iterator, Optional

from ..errors import FailedPreconditionError

CHUNK_ELEMENTS = 64
CHUNK_SECONDS = 2e-3


def _read_chunk(it: Iterator[tuple]) -> tuple:
    """(elements, error, ended): up to ``CHUNK_ELEMENTS`` elements or about ``CHUNK_SECONDS`` of reading, then
    the error that stopped the chunk (if any) and whether the iterator ended."""
    items: list = []
    deadline = time.perf_counter() + CHUNK_SECONDS
    while len(items) < CHUNK_ELEMENTS:
        try:
            items.append(next(it))
        except StopIteration:
            return items, None, True
        except Exception as e:  # raised at its place among the elements; reading goes on after it
            return items, e, False
        if time.perf_counter() > deadline:
            break
    return items, None, False


class Readers:
    """The reading threads of one iterator (started as needed, ended with it). They exist only in the process
    that started them: a forked child that reads on gets an error instead of waiting for them forever."""

    def __init__(self, threads: int, name: str) -> None:
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name)
        self._pid = os.getpid()

    def read_chunk(self, source: Iterator[tuple]) -> Future:
        self.check()
        return self._executor.submit(_read_chunk, source)

    def check(self) -> None:
        if os.getpid() != self._pid:
            raise FailedPreconditionError(
                "a parallel interleave iterator cannot go on in a forked process; create a new iterator there"
            )


class ReadAhead:
    """An iterator over ``source`` whose next chunk is always being read by ``readers``."""

    def __init__(self, source: Iterator[tuple], readers: Readers) -> None:
        self._source = source
        self._readers = readers
        self._ready: collections.deque = collections.deque()
        self._error: Optional[BaseException] = None
        self._pending: Optional[Future] = readers.read_chunk(source)

    def __iter__(self) -> ReadAhead:
        return self

    def __next__(self) -> tuple:
        while not self._ready:
            if self._error is not None:
                error, self._error = self._error, None
                raise error
            if self._pending is None:
                raise StopIteration
            self._readers.check()  # a reading thread left in the parent would never answer
            items, self._error, ended = self._pending.result()
            self._ready.extend(items)
            self._pending = None if ended else self._readers.read_chunk(self._source)
        return self._ready.popleft()
