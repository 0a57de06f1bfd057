"""``tf.autograph``: converting Python control flow on tensors into graph control flow.

Inside ``tf.function`` (``autograph=True``, the default) the traced function is converted first: an
``if``, ``while`` or ``for`` statement whose condition (or iterable) is a graph tensor becomes
``tf.cond``/``tf.while_loop``, ``and``/``or``/``not`` and ``a if t else b`` on tensors become logical ops
and conds, and ``break``/``continue``/``return`` are rewritten into variables. Control flow on Python
values keeps Python's semantics (loops over Python lists unroll). The user functions (and lambdas) a
converted function calls are converted too; ferroflow's own functions and library code are not. Keras
layers are called as they are, so their ``call`` bodies are not converted, nor are the steps Keras traces
for ``fit`` or the functions given to ``tf.data`` transformations. ``print`` stays Python's ``print``: it
runs once, while tracing (use ``tf.print`` to print values at run time).
"""

from __future__ import annotations

from typing import Any, Callable

from . import experimental
from ._conversion import _VERBOSITY, convert, source_of


def to_graph(entity: Callable, recursive: bool = True, experimental_optional_features: Any = None) -> Callable:
    """The function (or method) converted: control flow on tensors in it builds graph control flow when it
    is called inside a graph. With ``recursive``, the user functions it calls are converted as well."""
    return convert(entity, recursive)


def to_code(entity: Callable, recursive: bool = True, experimental_optional_features: Any = None) -> str:
    """The Python source of ``entity`` converted (calls of the ``ag__`` runtime in place of control flow)."""
    return source_of(entity, recursive)


def set_verbosity(level: int, alsologtostdout: bool = False) -> None:
    """How much AutoGraph logs: 1 reports functions it could not convert (they run as they are), 2 also
    shows each converted function's code. ``alsologtostdout`` prints the messages too."""
    _VERBOSITY[0] = int(level)
    _VERBOSITY[1] = bool(alsologtostdout)


def trace(*args: Any) -> None:
    """Prints its arguments when the code runs in Python, that is once while a function is traced."""
    print(*args)


__all__ = ["experimental", "set_verbosity", "to_code", "to_graph", "trace"]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
