"""``EventFileWriter``: appends framed ``Event`` records to one event file from a background thread.

Callers only enqueue serialized events, so logging never waits on the disk. The thread gathers records
and hands whole records to ``os.write`` on an append-only descriptor, so a crash leaves no half record
(TensorBoard would skip it anyway). Records reach the file at least every ``flush_millis`` milliseconds
or once ``max_queue`` of them are pending; ``flush()`` waits until everything enqueued is on disk.
"""

from __future__ import annotations

import atexit
import itertools
import os
import queue
import socket
import threading
import time
import weakref
from typing import Optional

from . import _proto, _record

_FILE_IDS = itertools.count()
_LIVE: weakref.WeakSet[EventFileWriter] = weakref.WeakSet()


class EventFileWriter:
    """Writes ``events.out.tfevents.<time>.<hostname>.<pid>.<n><suffix>`` in ``logdir``."""

    def __init__(self, logdir: str, max_queue: int = 10, flush_millis: int = 120000, filename_suffix: str = ".v2"):
        os.makedirs(logdir, exist_ok=True)
        name = (f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}.{os.getpid()}."
                f"{next(_FILE_IDS)}{filename_suffix}")
        self.path = os.path.join(logdir, name)
        self._fd: Optional[int] = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self._max_queue = max(1, int(max_queue))
        self._flush_secs = max(0.001, flush_millis / 1000.0)
        self._queue: queue.Queue = queue.Queue()
        self._error: Optional[BaseException] = None
        self.closed = False
        self._write(_record.frame(_proto.event(time.time(), file_version="brain.Event:2")))
        self._thread = threading.Thread(target=self._run, name="ferroflow-summary-writer", daemon=True)
        self._thread.start()
        _LIVE.add(self)

    def add_event(self, serialized_event: bytes) -> None:
        """Queues one serialized ``Event``; the background thread frames and writes it."""
        if self.closed:
            raise RuntimeError(f"Cannot write to the closed summary writer of '{self.path}'")
        self._queue.put(serialized_event)

    def flush(self) -> None:
        """Blocks until every queued event is written to the file."""
        if self.closed:
            return
        done = threading.Event()
        self._queue.put(done)
        done.wait()
        self._raise_pending()

    def close(self) -> None:
        """Flushes, stops the thread and closes the file; later writes raise RuntimeError."""
        if self.closed:
            return
        self.flush()
        self.closed = True
        self._queue.put(None)
        self._thread.join()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        _LIVE.discard(self)

    def _raise_pending(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise RuntimeError(f"Writing summaries to '{self.path}' failed: {error}") from error

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:  # os.write may write less than asked (signals, full pipes)
            written = os.write(self._fd, view)  # type: ignore[arg-type]
            view = view[written:]

    def _run(self) -> None:
        pending = bytearray()
        count = 0
        deadline = time.monotonic() + self._flush_secs
        while True:
            try:
                item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                item = False  # the flush interval passed
            stop = item is None
            if isinstance(item, bytes):
                pending += _record.frame(item)
                count += 1
            if pending and (stop or item is False or isinstance(item, threading.Event) or count >= self._max_queue):
                try:
                    self._write(bytes(pending))
                except OSError as e:  # surfaced to the caller at the next flush
                    self._error = e
                pending.clear()
                count = 0
                deadline = time.monotonic() + self._flush_secs
            elif item is False:
                deadline = time.monotonic() + self._flush_secs
            if isinstance(item, threading.Event):
                item.set()
            if item is not False:
                self._queue.task_done()
            if stop:
                return


@atexit.register
def _close_all() -> None:
    """Interpreter exit: what is still queued reaches the disk."""
    for writer in list(_LIVE):
        try:
            writer.close()
        except Exception:  # noqa: BLE001 - never fail interpreter shutdown over a log file
            pass
