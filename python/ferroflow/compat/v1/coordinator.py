"""``tf.compat.v1.train.Coordinator``: lets threads ask each other to stop, and re-raises their errors."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from typing import Any, Iterator, Optional

from ... import errors


class Coordinator:
    """A stop flag shared by threads, carrying the first exception that requested the stop.

    Args:
        clean_stop_exception_types: exception types that stop the threads without being reported
            (``OutOfRangeError`` by default: an input queue ran dry).
    """

    def __init__(self, clean_stop_exception_types: Optional[tuple] = None) -> None:
        if clean_stop_exception_types is None:
            clean_stop_exception_types = (errors.OutOfRangeError,)
        self._clean_stop_exception_types = tuple(clean_stop_exception_types)
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info_to_raise: Any = None
        self._joined = False
        self._registered_threads: set = set()

    def request_stop(self, ex: Any = None) -> None:
        """Asks every thread to stop; the exception ``ex`` (or exc_info) of the first request is kept for ``join``
        to raise. Errors raised after a stop was requested (a queue runner's enqueue cancelled by the stop) are
        not kept, and once joined, ``ex`` is raised here as TensorFlow does."""
        with self._lock:
            if isinstance(ex, tuple):
                ex = ex[1]
            if ex is not None and isinstance(ex, self._clean_stop_exception_types):
                ex = None
            if self._joined and ex is not None:
                raise ex
            if not self._stop_event.is_set():
                if ex is not None and self._exc_info_to_raise is None:
                    self._exc_info_to_raise = (type(ex), ex, ex.__traceback__)
                self._stop_event.set()

    def clear_stop(self) -> None:
        with self._lock:
            self._joined = False
            self._exc_info_to_raise = None
            self._stop_event.clear()

    def should_stop(self) -> bool:
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self) -> Iterator[None]:
        """Inside the block, an exception requests a stop (and is kept) instead of propagating."""
        try:
            yield
        except BaseException:  # noqa: BLE001 - TF's contract: any exception stops the coordinator
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout: Optional[float] = None) -> bool:
        return self._stop_event.wait(timeout)

    def register_thread(self, thread: threading.Thread) -> None:
        with self._lock:
            self._registered_threads.add(thread)

    def join(self, threads: Any = None, stop_grace_period_secs: float = 120, ignore_live_threads: bool = False) -> None:
        """Waits for ``threads`` (and the registered ones) after a stop request; re-raises a kept exception.

        Raises:
            RuntimeError: threads still run ``stop_grace_period_secs`` after the stop request.
        """
        with self._lock:
            threads = set(threads or []) | self._registered_threads
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(1.0):
            pass
        deadline = time.time() + stop_grace_period_secs
        for t in threads:
            t.join(max(0.0, deadline - time.time()))
        stragglers = [t.name for t in threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._registered_threads = set()
            if self._exc_info_to_raise:
                _, ex, tb = self._exc_info_to_raise
                raise ex.with_traceback(tb)
        if stragglers and not ignore_live_threads:
            raise RuntimeError(f"Coordinator stopped with threads still running: {' '.join(stragglers)}")

    @property
    def joined(self) -> bool:
        return self._joined

    def raise_requested_exception(self) -> None:
        """Raises the exception kept by ``request_stop``, if any."""
        with self._lock:
            if self._exc_info_to_raise:
                _, ex, tb = self._exc_info_to_raise
                raise ex.with_traceback(tb)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
