"""``ferroflow.errors``: the exceptions ops raise (each also an ordinary ``ValueError``/``RuntimeError``)."""

from ._core import FailedPreconditionError, InternalError, InvalidArgumentError  # noqa: F401

OpError = (InvalidArgumentError, FailedPreconditionError, InternalError)

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
