"""``ferroflow.errors``: the exceptions ops raise (each also an ordinary ``ValueError``/``RuntimeError``)."""

from ._core import FailedPreconditionError, InternalError, InvalidArgumentError  # noqa: F401

OpError = (InvalidArgumentError, FailedPreconditionError, InternalError)
