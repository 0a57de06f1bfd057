"""What an eager ``tf.py_function`` raises when its Python function does, and what iterating a ``from_generator``
dataset raises when its generator does: TensorFlow's ``EagerPyFunc`` and ``PyFunc`` kernels turn the exception
into a status (``ValueError``/``TypeError`` InvalidArgument, ``StopIteration`` OutOfRange,
``MemoryError`` ResourceExhausted, ``NotImplementedError`` Unimplemented, anything else, TensorFlow errors
included, Unknown) whose message is the op's function node, the exception and its traceback."""

from __future__ import annotations

import traceback
from typing import Any, Callable

from .. import errors

_CODES = (
    ((ValueError, TypeError), errors.InvalidArgumentError),
    ((StopIteration,), errors.OutOfRangeError),
    ((MemoryError,), errors.ResourceExhaustedError),
    ((NotImplementedError,), errors.UnimplementedError),
)


def call(func: Callable, args: list, n_out: int) -> Any:
    """``func(*args)``, its exception raised as the ``tf.errors`` class TensorFlow's kernel gives it."""
    try:
        return func(*args)
    except Exception as e:
        error = next((cls for kinds, cls in _CODES if isinstance(e, kinds)), errors.UnknownError)
        node = (
            f"__wrapped__EagerPyFunc_Tin_{len(args)}_Tout_{n_out}_device_/job:localhost/replica:0/task:0/device:CPU:0"
        )
        trace = "\n".join(traceback.format_exception(type(e), e, e.__traceback__))
        message = f"{{{{function_node {node}}}}} {type(e).__name__}: {e}\n{trace}\n [Op:EagerPyFunc] name: "
        raise error(None, None, message) from e


def generator_error(e: Exception) -> Exception:
    """A ``from_generator`` generator's exception as the ``PyFunc`` kernel reports it (no function node: the
    dataset's consumer is the op that fails)."""
    error = next((cls for kinds, cls in _CODES if isinstance(e, kinds)), errors.UnknownError)
    trace = "\n".join(traceback.format_exception(type(e), e, e.__traceback__))
    return error(None, None, f"{type(e).__name__}: {e}\n{trace}\n\n\t [[{{{{node PyFunc}}}}]]")
