"""TensorFlow's error codes, the error classes ferroflow's ops do not raise themselves, and ``error_code`` /
``message`` / ``op`` / ``node_def`` on every ``tf.errors`` class.

The codes are TensorFlow's (``absl::StatusCode``). The classes accept TensorFlow's constructor,
``(node_def, op, message, *args)``, as well as a lone message; each is also an ordinary Python exception
of the closest kind, as ferroflow's other error classes are.
"""

from __future__ import annotations

from typing import Any

OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16


def _parts(error: BaseException) -> tuple:
    """(node_def, op, message) of an error: TensorFlow's three arguments, or a lone message."""
    args = error.args
    if isinstance(error, OSError) and len(args) == 2 and error.filename is not None:
        # OSError keeps a third argument as ``filename``: TensorFlow's (node_def, op, message).
        return args[0], args[1], error.filename
    if len(args) >= 3 and not isinstance(args[0], str):
        return args[0], args[1], args[2]
    return None, None, args[0] if args else ""


def _tensorflow_style(error: BaseException) -> bool:
    args = error.args
    return (len(args) >= 3 and not isinstance(args[0], str)) or (
        isinstance(error, OSError) and len(args) == 2 and error.filename is not None
    )


def _message(self: BaseException) -> Any:
    return _parts(self)[2]


def _op(self: BaseException) -> Any:
    return _parts(self)[1]


def _node_def(self: BaseException) -> Any:
    return _parts(self)[0]


def _str(self: BaseException) -> str:
    if _tensorflow_style(self):
        return str(_parts(self)[2])
    return self._base_str()  # type: ignore[attr-defined]


def add_status(cls: type, code: int) -> type:
    """Gives ``cls`` TensorFlow's ``error_code``, ``message``, ``op`` and ``node_def``."""
    cls.error_code = code
    cls.message = property(_message)
    cls.op = property(_op)
    cls.node_def = property(_node_def)
    cls._base_str = cls.__str__
    cls.__str__ = _str
    return cls


def _class(name: str, base: type, code: int, doc: str) -> type:
    return add_status(type(name, (base,), {"__doc__": doc, "__module__": "ferroflow.errors"}), code)


CancelledError = _class("CancelledError", RuntimeError, CANCELLED, "An operation or step was cancelled.")
AlreadyExistsError = _class(
    "AlreadyExistsError", RuntimeError, ALREADY_EXISTS, "An entity to be created (a file, a resource) exists."
)
PermissionDeniedError = _class(
    "PermissionDeniedError", RuntimeError, PERMISSION_DENIED, "The caller may not run the operation."
)
ResourceExhaustedError = _class(
    "ResourceExhaustedError", RuntimeError, RESOURCE_EXHAUSTED, "A resource (memory, a quota) ran out."
)
UnauthenticatedError = _class(
    "UnauthenticatedError", RuntimeError, UNAUTHENTICATED, "The request has no valid credentials."
)
UnimplementedError = _class(
    "UnimplementedError", NotImplementedError, UNIMPLEMENTED, "The operation is not implemented or not supported."
)
