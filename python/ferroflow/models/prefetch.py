"""Reading batches on a second thread while the compiled step runs, as ``tf.data``'s ``prefetch`` does for Keras.

The native step releases the GIL, so a generator, a dataset pipeline or the conversion of batches to arrays
proceeds on the reading thread meanwhile. The reader stays at most ``depth`` items ahead, and ``close()``
waits for it to stop, so a generator is never advanced by two threads (the next epoch may continue it).
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Iterator

_DONE = object()


class Prefetcher:
    """Iterates ``source`` on a background thread; iterate this object for the same items in the same order."""

    def __init__(self, source: Iterator, depth: int = 1) -> None:
        self._source = source
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="ferroflow-prefetch", daemon=True)
        self._thread.start()

    def _put(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _read(self) -> None:
        try:
            for item in self._source:
                if not self._put((item, None)):
                    return
            self._put((_DONE, None))
        except BaseException as e:  # handed to the consuming thread, which raises it
            self._put((_DONE, e))
        finally:
            close = getattr(self._source, "close", None)
            if close is not None:
                close()

    def __iter__(self) -> Iterator:
        while True:
            item, error = self._queue.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item

    def close(self, wait: bool = True) -> None:
        """Stops the reader after the item it is reading, if any; ``wait`` waits for that (not done when an
        error or Ctrl-C ends training, so that a generator blocked on input cannot hold it up)."""
        self._stop.set()
        if wait:
            self._thread.join()
