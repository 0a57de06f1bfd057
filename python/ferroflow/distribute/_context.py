"""Which strategy is current and whether code runs in cross-replica or replica context.

Each thread keeps a stack of ``(strategy, replica_context)`` frames: ``strategy.scope()`` pushes a
cross-replica frame (no replica context), ``strategy.run`` a replica frame and ``merge_call`` a cross-replica
one again. ``experimental_set_strategy`` sets a process-wide bottom frame. With no frame the default strategy
and its replica context apply, as in TensorFlow.
"""

from __future__ import annotations

import threading
from typing import Any, List, Optional, Tuple

_local = threading.local()
# The frame experimental_set_strategy installs below every thread's own scopes.
_global: dict = {"frame": None}
# The default strategy and its replica context, made on first use (strategy.py sets the factory).
_default: dict = {"strategy": None, "factory": None}

Frame = Tuple[Any, Optional[Any]]


def _stack() -> List[Frame]:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def default_strategy() -> Any:
    if _default["strategy"] is None:
        _default["strategy"] = _default["factory"]()
    return _default["strategy"]


def current_frame() -> Frame:
    stack = _stack()
    if stack:
        return stack[-1]
    if _global["frame"] is not None:
        return _global["frame"]
    strategy = default_strategy()
    return strategy, strategy._default_replica_context


def push(frame: Frame) -> None:
    _stack().append(frame)


def pop() -> None:
    _stack().pop()


def in_scope() -> bool:
    """Whether a thread-local frame or a set strategy is active (not just the default strategy)."""
    return bool(_stack()) or _global["frame"] is not None


def set_global(frame: Optional[Frame]) -> None:
    _global["frame"] = frame
