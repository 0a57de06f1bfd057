"""The module-level functions of ``tf.distribute``: the current strategy and replica context."""

from __future__ import annotations

from typing import Any, Optional

from . import _context


def get_strategy() -> Any:
    """The strategy whose ``scope()`` (or ``run``) encloses this code; the default strategy otherwise."""
    return _context.current_frame()[0]


def has_strategy() -> bool:
    """Whether a strategy other than the default one is current."""
    return get_strategy() is not _context.default_strategy()


def in_cross_replica_context() -> bool:
    """True inside a non-default ``strategy.scope()`` (or ``merge_call``) but outside ``strategy.run``."""
    strategy, replica = _context.current_frame()
    return replica is None and strategy is not _context.default_strategy()


def get_replica_context() -> Optional[Any]:
    """The current ``ReplicaContext``: the replica's inside ``strategy.run``, the default strategy's outside any
    scope, and None in cross-replica context."""
    return _context.current_frame()[1]


def experimental_set_strategy(strategy: Optional[Any]) -> None:
    """Makes ``strategy`` current for the whole program, as if its ``scope()`` were entered (None undoes it).

    Raises:
        RuntimeError: when called inside a strategy's scope (other than the set strategy's own).
    """
    current = _context._global["frame"]
    if any(current is None or frame[0] is not current[0] for frame in _context._stack()):
        raise RuntimeError("Must not be called inside a `tf.distribute.Strategy` scope.")
    if strategy is None or strategy is _context.default_strategy():
        _context.set_global(None)
    else:
        _context.set_global((strategy, None))
