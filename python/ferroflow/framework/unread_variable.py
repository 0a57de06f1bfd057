"""What ``tf.Variable.assign`` returns eagerly: TensorFlow's ``UnreadVariable``, a view of the assigned variable.

TensorFlow does not read the variable when it is assigned; it returns a variable object on the same handle,
named ``UnreadVariable``, that reads the variable's current value whenever it is used (so it prints what the
variable holds now, and ``.assign`` on it assigns the variable again). Reads through it are the variable's own
reads: tapes watch, and ``watched_variables`` reports, the original variable.
"""

from __future__ import annotations

from typing import Any

from .variables import Variable


class UnreadVariable(Variable):
    """A view of ``parent`` sharing its storage; everything that names or tracks a variable goes to ``parent``."""

    _name_suffix = ""

    def __init__(self, parent: Variable) -> None:  # noqa: D107 - state is the parent's, not a new variable's
        self.__dict__.update(parent.__dict__)
        self._parent = parent
        self._name = "UnreadVariable"
        self._name_suffix = ""

    def _repr_name(self) -> str:
        return "UnreadVariable"

    def _watch_on_tapes(self) -> None:
        self._parent._watch_on_tapes()

    def _notify_read(self) -> None:
        self._parent._notify_read()

    def _graph_read(self, graph: Any) -> int:
        return self._parent._graph_read(graph)

    def assign(self, value: Any, use_locking: bool = False, name: Any = None, read_value: bool = True) -> Any:
        return self._parent.assign(value, use_locking, name, read_value)

    def assign_add(self, delta: Any, use_locking: bool = False, name: Any = None, read_value: bool = True) -> Any:
        return self._parent.assign_add(delta, use_locking, name, read_value)

    def assign_sub(self, delta: Any, use_locking: bool = False, name: Any = None, read_value: bool = True) -> Any:
        return self._parent.assign_sub(delta, use_locking, name, read_value)
