"""Summary writers and the default writer/step state, like TensorFlow 2's ``tf.summary`` (thread-local)."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from typing import Any, Iterator, Optional

import numpy as np

from ._event_file import EventFileWriter


class _State(threading.local):
    def __init__(self) -> None:
        self.writer: Optional[SummaryWriter] = None
        self.step: Any = None
        self.record_if: Any = True


_state = _State()


class SummaryWriter:
    """A writer of TensorBoard event files (``tf.summary.SummaryWriter``), made by ``create_file_writer``."""

    def __init__(self, logdir: str, max_queue: Optional[int] = None, flush_millis: Optional[int] = None,
                 filename_suffix: Optional[str] = None) -> None:
        self.logdir = os.fspath(logdir)
        self._max_queue = 10 if max_queue is None else int(max_queue)
        self._flush_millis = 120000 if flush_millis is None else int(flush_millis)
        self._suffix = ".v2" if filename_suffix is None else str(filename_suffix)
        self._file: Optional[EventFileWriter] = None
        self._closed = False
        self.init()

    def init(self) -> None:
        """Creates the log directory and the event file (done on creation; a no-op afterwards)."""
        if self._file is None and not self._closed:
            self._file = EventFileWriter(self.logdir, self._max_queue, self._flush_millis, self._suffix)

    @property
    def event_file(self) -> Optional[str]:
        """The path of this writer's event file."""
        return None if self._file is None else self._file.path

    def set_as_default(self, step: Any = None) -> None:
        """Makes this writer the default for summary calls; ``step`` (when given) becomes the default step."""
        self._check_open()
        _state.writer = self
        if step is not None:
            _state.step = step

    def as_default(self, step: Any = None) -> contextlib.AbstractContextManager:
        """Context manager making this the default writer (and ``step`` the default step) inside it.

        On exit the previous writer and step come back and this writer is flushed, as in TensorFlow.
        """
        return self._as_default(step)

    @contextlib.contextmanager
    def _as_default(self, step: Any, flush: bool = True) -> Iterator[SummaryWriter]:
        self._check_open()
        old_writer, old_step = _state.writer, _state.step
        _state.writer = self
        if step is not None:
            _state.step = step
        try:
            yield self
        finally:
            _state.writer = old_writer
            if step is not None:
                _state.step = old_step
            if flush and not self._closed:
                self.flush()

    def flush(self) -> None:
        """Blocks until every summary written so far is in the event file."""
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        """Flushes and closes the event file; the writer cannot be used afterwards."""
        if self._file is not None:
            self._file.close()
        self._closed = True
        if _state.writer is self:
            _state.writer = None

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(f"The summary writer of '{self.logdir}' is closed: create a new one with "
                               "create_file_writer")

    def _add(self, serialized_event: bytes) -> None:
        self._check_open()
        assert self._file is not None
        self._file.add_event(serialized_event)


def create_file_writer(logdir: str, max_queue: Optional[int] = None, flush_millis: Optional[int] = None,
                       filename_suffix: Optional[str] = None, name: Optional[str] = None) -> SummaryWriter:
    """Creates a summary writer of event files in ``logdir`` (``tf.summary.create_file_writer``).

    Args:
        logdir: the directory of the event file (created when missing).
        max_queue: at most this many summaries wait before they are written (default 10).
        flush_millis: summaries wait at most this long before they are written (default 120000).
        filename_suffix: the event file name's suffix (default ``".v2"``).
        name: unused (TensorFlow's op name).
    """
    if logdir is None:
        raise ValueError("create_file_writer expects a log directory, received logdir=None")
    return SummaryWriter(logdir, max_queue, flush_millis, filename_suffix)


def get_step() -> Any:
    """The default step (``tf.summary.experimental.get_step``), or None."""
    return _state.step


def set_step(step: Any) -> None:
    """Sets the default step (an int, or a variable such as ``optimizer.iterations`` read at each write)."""
    _state.step = step


def resolve_step(step: Any) -> int:
    """The int step of a write: ``step``, else the default step; ValueError when neither is set."""
    if step is None:
        step = _state.step
    if step is None:
        raise ValueError("No step set. Please specify one either through the `step` argument or through "
                         "tf.summary.experimental.set_step()")
    value = np.asarray(step.numpy() if hasattr(step, "numpy") else step)
    if value.shape != () or value.dtype.kind not in "iuf" or (value.dtype.kind == "f" and value != int(value)):
        raise ValueError(f"A summary step must be an integer scalar, received {step!r}")
    return int(value)


def should_record_summaries() -> bool:
    """Whether a summary call now writes: a default writer exists and the ``record_if`` condition holds."""
    if _state.writer is None:
        return False
    cond = _state.record_if
    return bool(cond() if callable(cond) else cond)


@contextlib.contextmanager
def record_if(condition: Any) -> Iterator[None]:
    """Records summaries inside the block only when ``condition`` (a bool or a callable) holds."""
    old = _state.record_if
    _state.record_if = condition
    try:
        yield
    finally:
        _state.record_if = old


def write_event(step: int, summary_proto: Optional[bytes] = None, graph_def: Optional[bytes] = None) -> bool:
    """Sends one ``Event`` to the default writer; False when summaries are not recorded now."""
    if not should_record_summaries():
        return False
    from . import _proto

    assert _state.writer is not None
    _state.writer._add(_proto.event(time.time(), step, graph_def=graph_def, summary_proto=summary_proto))
    return True


def default_writer() -> Optional[SummaryWriter]:
    return _state.writer
