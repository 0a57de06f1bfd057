"""``ferroflow.errors``: the exceptions ops raise (each also an ordinary ``ValueError``/``RuntimeError``)."""

from ._core import (  # noqa: F401
    DataLossError,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    UnknownError,
)


class OutOfRangeError(IndexError):
    """An iterator ran past its end (``tf.data`` iterators' ``get_next``); also an ``IndexError``."""


class AbortedError(RuntimeError):
    """An operation was aborted (a preempted worker); ``MonitoredSession`` recreates its session on it."""


class UnavailableError(RuntimeError):
    """A service was unavailable; ``MonitoredSession`` recreates its session on it."""


class DeadlineExceededError(RuntimeError):
    """A deadline expired before the operation finished (``SessionManager.wait_for_session``)."""


OpError = (
    InvalidArgumentError,
    FailedPreconditionError,
    InternalError,
    OutOfRangeError,
    NotFoundError,
    DataLossError,
    AbortedError,
    UnavailableError,
    DeadlineExceededError,
    UnknownError,
)

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
