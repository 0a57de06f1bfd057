"""``ferroflow.summary``: TensorBoard logs, like TensorFlow 2's ``tf.summary``.

``create_file_writer(logdir)`` makes a writer of event files; inside ``with writer.as_default(step):``
the summary functions (``scalar``, ``histogram``, ``text``, ``graph``, ``write``) append ``Event`` records
to it. Without a default writer they write nothing and return False.
"""

from __future__ import annotations

from . import experimental
from ._ops import flush, graph, histogram, scalar, text, write
from ._state import (
    SummaryWriter,
    create_file_writer,
    get_step,
    record_if,
    set_step,
    should_record_summaries,
)


def create_noop_writer() -> _NoopWriter:
    """A writer that writes nothing (``tf.summary.create_noop_writer``)."""
    return _NoopWriter()


class _NoopWriter:
    def set_as_default(self, step: object = None) -> None: ...

    def as_default(self, step: object = None) -> _NoopWriter:
        return self

    def __enter__(self) -> _NoopWriter:
        return self

    def __exit__(self, *exc: object) -> None: ...

    def init(self) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


__all__ = [
    "SummaryWriter",
    "create_file_writer",
    "create_noop_writer",
    "experimental",
    "flush",
    "graph",
    "histogram",
    "record_if",
    "scalar",
    "should_record_summaries",
    "text",
    "write",
]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), "experimental")
