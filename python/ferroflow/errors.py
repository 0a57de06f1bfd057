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


from .framework.errors_impl import (  # noqa: E402, F401
    ABORTED,
    ALREADY_EXISTS,
    CANCELLED,
    DATA_LOSS,
    DEADLINE_EXCEEDED,
    FAILED_PRECONDITION,
    INTERNAL,
    INVALID_ARGUMENT,
    NOT_FOUND,
    OK,
    OUT_OF_RANGE,
    PERMISSION_DENIED,
    RESOURCE_EXHAUSTED,
    UNAUTHENTICATED,
    UNAVAILABLE,
    UNIMPLEMENTED,
    UNKNOWN,
    AlreadyExistsError,
    CancelledError,
    PermissionDeniedError,
    ResourceExhaustedError,
    UnauthenticatedError,
    UnimplementedError,
    add_status,
)

for _cls, _code in (
    (InvalidArgumentError, INVALID_ARGUMENT),
    (FailedPreconditionError, FAILED_PRECONDITION),
    (InternalError, INTERNAL),
    (OutOfRangeError, OUT_OF_RANGE),
    (NotFoundError, NOT_FOUND),
    (DataLossError, DATA_LOSS),
    (AbortedError, ABORTED),
    (UnavailableError, UNAVAILABLE),
    (DeadlineExceededError, DEADLINE_EXCEEDED),
    (UnknownError, UNKNOWN),
):
    add_status(_cls, _code)

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
    CancelledError,
    AlreadyExistsError,
    PermissionDeniedError,
    ResourceExhaustedError,
    UnauthenticatedError,
    UnimplementedError,
)

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("add_status",))
