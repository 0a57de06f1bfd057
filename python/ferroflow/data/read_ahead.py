"""Reading an iterator ahead on a worker thread, in chunks, while its consumer uses the previous chunk.

A parallel ``interleave`` reads each of its open datasets this way: while the consumer takes a block from one
dataset, the others read their next elements (TFRecord reads, parses and decodes release the GIL). The order
of each iterator's elements, and of the errors it raises among them, is kept.

``prefetch`` keeps more than one chunk asked for at a time (``depth``), on its one reading thread: the
reading thread then goes on with the next chunk while the consumer's thread has yet to wake up and take the
last one, which on a busy machine (every core taken) is a wait of milliseconds that left the whole pipeline
idle behind it.
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
PREFETCH_DEPTH = 2  # chunks a prefetch asks for at a time


def _read_chunk(it: Iterator[tuple], ended: Optional[list] = None) -> tuple:
    """(elements, error, ended): up to ``CHUNK_ELEMENTS`` elements or about ``CHUNK_SECONDS`` of reading, then
    the error that stopped the chunk (if any) and whether the iterator ended. ``ended`` (a one-item list,
    shared by the chunks of one iterator read in order on one thread) keeps a chunk asked for ahead from
    reading an iterator that an earlier chunk found ended."""
    if ended is not None and ended[0]:
        return [], None, True
    items: list = []
    deadline = time.perf_counter() + CHUNK_SECONDS
    while len(items) < CHUNK_ELEMENTS:
        try:
            items.append(next(it))
        except StopIteration:
            if ended is not None:
                ended[0] = True
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

    def read_chunk(self, source: Iterator[tuple], ended: Optional[list] = None) -> Future:
        self.check()
        return self._executor.submit(_read_chunk, source, ended)

    def check(self) -> None:
        if os.getpid() != self._pid:
            raise FailedPreconditionError(
                "a parallel interleave iterator cannot go on in a forked process; create a new iterator there"
            )


class ReadAhead:
    """An iterator over ``source`` whose next chunk is always being read by ``readers``; with ``depth`` above 1
    (only for ``readers`` of one thread, which read the chunks in the order asked), ``depth`` chunks."""

    def __init__(self, source: Iterator[tuple], readers: Readers, depth: int = 1) -> None:
        self._source = source
        self._readers = readers
        self._ready: collections.deque = collections.deque()
        self._error: Optional[BaseException] = None
        self._ended: Optional[list] = [False] if depth > 1 else None
        self._pending: Optional[Future] = readers.read_chunk(source, self._ended)
        self._ahead: collections.deque = collections.deque(
            readers.read_chunk(source, self._ended) for _ in range(max(1, depth) - 1)
        )

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
            if ended:
                self._pending = None
            elif self._ahead:  # the next chunk was asked for ahead; ask for one more behind it
                self._pending = self._ahead.popleft()
                self._ahead.append(self._readers.read_chunk(self._source, self._ended))
            else:
                self._pending = self._readers.read_chunk(self._source, self._ended)
        return self._ready.popleft()
