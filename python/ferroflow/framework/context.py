"""Execution context: whether ops run eagerly or build a graph, the active tapes and the name scopes."""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Iterator, Optional

if TYPE_CHECKING:
    from .graph import Graph
    from .tape import GradientTape


class _State(threading.local):
    def __init__(self) -> None:
        self.graphs: list = []  # graphs being built, innermost last
        self.tapes: list = []  # active gradient tapes, innermost last
        self.eager_scopes: list = []  # name scopes used by eager code (names only)
        self.read_observers: list = []  # called with each variable read (custom_gradient collects them)


_state = _State()
# Checkpoint values waiting for variables that did not exist at restore time (train/_deferred.py): "pending"
# is the function that assigns them, set while any wait; "dirty" says a variable was created since.
deferred_restore: dict = {"pending": None, "dirty": False}
_global = {"eager": True, "default_graph": None}


def current_graph() -> Optional[Graph]:
    """The graph ops are added to, or None when running eagerly."""
    if _state.graphs:
        return _state.graphs[-1]
    if not _global["eager"]:
        return get_default_graph()
    return None


def executing_eagerly() -> bool:
    return current_graph() is None


def get_default_graph() -> Graph:
    if _state.graphs:
        return _state.graphs[-1]
    from .graph import Graph

    if _global["default_graph"] is None:
        _global["default_graph"] = Graph()
    return _global["default_graph"]


def reset_default_graph() -> None:
    _global["default_graph"] = None


def set_eager(enabled: bool) -> None:
    _global["eager"] = enabled
    if not enabled:
        reset_default_graph()


@contextlib.contextmanager
def graph_scope(graph: Graph) -> Iterator[Graph]:
    _state.graphs.append(graph)
    try:
        yield graph
    finally:
        _state.graphs.pop()


@contextlib.contextmanager
def eager_scope() -> Iterator[None]:
    """Runs the body eagerly even while a graph is being traced (TensorFlow's ``init_scope``)."""
    saved, _state.graphs = _state.graphs, []
    saved_eager = _global["eager"]
    _global["eager"] = True
    try:
        yield
    finally:
        _state.graphs = saved
        _global["eager"] = saved_eager


def read_observers() -> list:
    return _state.read_observers


def active_tapes() -> list:
    return _state.tapes


def push_tape(tape: GradientTape) -> None:
    _state.tapes.append(tape)


def pop_tape(tape: GradientTape) -> None:
    if tape in _state.tapes:
        _state.tapes.remove(tape)


@contextlib.contextmanager
def paused_tapes() -> Iterator[None]:
    """Stops recording (``tape.stop_recording()``)."""
    saved, _state.tapes = _state.tapes, []
    try:
        yield
    finally:
        _state.tapes = saved


def eager_scoped_name(name: str) -> str:
    """``name`` under the eager name scopes entered on this thread (``outer/inner/name``)."""
    return "/".join([*_state.eager_scopes, name])


class name_scope:
    """``with ferroflow.name_scope("dense"):`` prefixes the names of the ops created inside."""

    def __init__(self, name: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"name_scope expects a string name, received {type(name).__name__}")
        self.name = name.rstrip("/")
        self._graph: Optional[Graph] = None
        self._entered: Optional[str] = None

    def __enter__(self) -> str:
        graph = current_graph()
        self._graph = graph
        if graph is None:
            _state.eager_scopes.append(self.name)
            self._entered = "/".join(_state.eager_scopes)
        else:
            self._entered = graph.push_scope(self.name)
        return self._entered + "/"

    def __exit__(self, *exc: object) -> None:
        if self._graph is None:
            _state.eager_scopes.pop()
        else:
            self._graph.pop_scope()
