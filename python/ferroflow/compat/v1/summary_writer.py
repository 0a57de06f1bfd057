"""``tf.compat.v1.summary.FileWriter`` and ``FileWriterCache``: TF1's event-file writer for TensorBoard.

Events go through ``ferroflow.summary``'s ``EventFileWriter`` (a background thread appending framed
records), so TensorBoard reads them as it reads TensorFlow's.
"""

from __future__ import annotations

import os
import threading
import time
import warnings
from typing import Any, Iterator, Optional

from ...framework import context
from ...summary._event_file import EventFileWriter
from .summary_proto import Event, SessionLog, Summary, TaggedRunMetadata


def _graph_def_bytes(graph: Any) -> bytes:
    from ...summary._graph_def import GraphDef, graph_to_graph_def

    if hasattr(graph, "_g"):
        return graph_to_graph_def(graph)
    if isinstance(graph, GraphDef):
        return graph.SerializeToString()
    if isinstance(graph, (bytes, bytearray)):
        return bytes(graph)
    raise TypeError("The passed graph must be an instance of `Graph` or the deprecated `GraphDef`")


class FileWriter:
    """Writes ``Summary`` protocol buffers, graphs and session logs to an event file in ``logdir``.

    Args:
        logdir: the directory of the event file (created when missing).
        graph: a graph to write at once (TensorBoard's Graphs tab shows its name scopes).
        max_queue: events that may wait before a write. flush_secs: the longest they wait.
        filename_suffix: appended to the event file's name.
    """

    def __init__(
        self,
        logdir: str,
        graph: Any = None,
        max_queue: int = 10,
        flush_secs: float = 120,
        graph_def: Any = None,
        filename_suffix: Optional[str] = None,
        session: Any = None,
    ) -> None:
        if context.executing_eagerly():
            raise RuntimeError(
                "v1.summary.FileWriter is not compatible with eager execution. Use `tf.summary.create_file_writer`,"
                "or a `with v1.Graph().as_default():` context"
            )
        self._logdir = os.fspath(logdir)
        self._args = (int(max_queue), int(float(flush_secs) * 1000), filename_suffix or "")
        self.event_writer = EventFileWriter(self._logdir, *self._args)
        self._closed = False
        self._session_run_tags: dict = {}
        self._seen_summary_tags: set = set()
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    def __enter__(self) -> FileWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_logdir(self) -> str:
        return self._logdir

    # -- events
    def _warn_if_closed(self) -> bool:
        if self._closed:
            warnings.warn(
                "Attempting to use a closed FileWriter. The operation will be a noop unless the FileWriter is "
                "explicitly reopened.",
                stacklevel=3,
            )
        return self._closed

    def add_event(self, event: Any) -> None:
        """Writes an ``Event`` (or its serialized bytes) as it is."""
        if self._warn_if_closed():
            return
        data = event.SerializeToString() if hasattr(event, "SerializeToString") else bytes(event)
        self.event_writer.add_event(data)

    def _add_event(self, event: Event, step: Any) -> None:
        event.wall_time = time.time()
        if step is not None:
            event.step = int(step)
        self.add_event(event)

    def add_summary(self, summary: Any, global_step: Any = None) -> None:
        """Writes a ``Summary`` (or the serialized bytes a summary op gives) at ``global_step``.

        A value's plugin metadata is kept only the first time its tag is written, as TensorFlow does."""
        if isinstance(summary, (bytes, bytearray)):
            summary = Summary.FromString(bytes(summary))
        elif hasattr(summary, "dtype") and getattr(summary, "shape", None) == ():
            summary = Summary.FromString(bytes(summary.item() if hasattr(summary, "item") else summary))
        if not isinstance(summary, Summary):
            raise TypeError(f"add_summary expects a Summary or its serialized bytes, received {type(summary).__name__}")
        for value in summary.value:
            if not value.metadata:
                continue
            if value.tag in self._seen_summary_tags:
                value.metadata = b""
                value._set.discard("metadata")
                continue
            self._seen_summary_tags.add(value.tag)
        self._add_event(Event(summary=summary), global_step)

    def add_session_log(self, session_log: SessionLog, global_step: Any = None) -> None:
        self._add_event(Event(session_log=session_log), global_step)

    def add_graph(self, graph: Any, global_step: Any = None, graph_def: Any = None) -> None:
        """Writes ``graph`` (a ``Graph`` or ``GraphDef``) for TensorBoard's Graphs tab."""
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        self._add_event(Event(graph_def=_graph_def_bytes(graph if graph is not None else graph_def)), global_step)

    def add_meta_graph(self, meta_graph_def: Any, global_step: Any = None) -> None:
        if not hasattr(meta_graph_def, "SerializeToString") and not isinstance(meta_graph_def, bytes):
            raise TypeError(f"meta_graph_def must be type MetaGraphDef, saw type: {type(meta_graph_def)}")
        data = meta_graph_def if isinstance(meta_graph_def, bytes) else meta_graph_def.SerializeToString()
        self._add_event(Event(meta_graph_def=data), global_step)

    def add_run_metadata(self, run_metadata: Any, tag: str, global_step: Any = None) -> None:
        """Writes a session run's metadata under ``tag`` (each tag once)."""
        if tag in self._session_run_tags:
            raise ValueError("The provided tag was already used for this event type")
        self._session_run_tags[tag] = True
        serialize = getattr(run_metadata, "SerializeToString", None)
        tagged = TaggedRunMetadata(tag=tag, run_metadata=serialize() if callable(serialize) else b"")
        self._add_event(Event(tagged_run_metadata=tagged), global_step)

    # -- lifetime
    def flush(self) -> None:
        """Blocks until every event added so far is in the file."""
        if not self._warn_if_closed():
            self.event_writer.flush()

    def close(self) -> None:
        """Flushes and closes the file; events added afterwards are dropped until ``reopen()``."""
        self.event_writer.close()
        self._closed = True

    def reopen(self) -> None:
        """After ``close()``: later events go to a new event file in the same directory."""
        if self._closed:
            self.event_writer = EventFileWriter(self._logdir, *self._args)
            self._closed = False


def summary_iterator(path: str) -> Iterator[Event]:
    """The ``Event`` records of the event file ``path``, in order (``tf.compat.v1.train.summary_iterator``)."""
    from ...summary._record import read_records

    with open(path, "rb") as f:
        for record in read_records(f):
            yield Event.FromString(record)


class FileWriterCache:
    """One ``FileWriter`` per log directory, shared by the hooks that write there (``SummaryWriterCache``)."""

    _cache: dict = {}
    _lock = threading.RLock()

    @staticmethod
    def clear() -> None:
        """Closes and forgets every cached writer."""
        with FileWriterCache._lock:
            for writer in FileWriterCache._cache.values():
                writer.close()
            FileWriterCache._cache = {}

    @staticmethod
    def get(logdir: str) -> FileWriter:
        """The cached writer of ``logdir``, made (with the default graph) on first use."""
        with FileWriterCache._lock:
            if logdir not in FileWriterCache._cache:
                FileWriterCache._cache[logdir] = FileWriter(logdir, graph=context.get_default_graph())
            return FileWriterCache._cache[logdir]
