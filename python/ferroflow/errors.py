"""``ferroflow.errors``: the exceptions ops raise (each also an ordinary ``ValueError``/``RuntimeError``)."""

from ._core import (  # noqa: F401
    DataLossError,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
)


class OutOfRangeError(IndexError):
    """An iterator ran past its end (``tf.data`` iterators' ``get_next``); also an ``IndexError``."""


OpError = (
    InvalidArgumentError,
    FailedPreconditionError,
    InternalError,
    OutOfRangeError,
    NotFoundError,
    DataLossError,
)

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
