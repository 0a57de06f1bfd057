"""Deferred restoration: checkpoint values whose variables do not exist yet at ``restore`` time.

As in TensorFlow, a module that creates its variables on its first call (``if not self.is_built: self.w =
tf.Variable(...)``) still gets the checkpoint's values: when a variable has been created since the last
check, the next variable read walks the waiting checkpoints' objects again and assigns the values that now
have a variable, before the read returns. The status returned by ``restore`` is updated as values land.
"""

from __future__ import annotations

import weakref
from typing import Any

from ..framework import context
from . import _graph

# [{name: reference to a tracked object}, {key: value}, path, status]. The objects are held weakly where they
# allow it: a Checkpoint made only to call restore() is gone at once, but its objects live on, and waiting
# must not keep a model alive.
_waiting: list = []


def _reference(obj: Any) -> Any:
    try:
        return weakref.ref(obj)
    except TypeError:
        return lambda: obj


def wait_for(children: dict, values: dict, path: str, status: Any) -> None:
    """Keeps ``values`` (those no variable took) until variables for them appear under ``children``."""
    if values:
        _waiting.append([{name: _reference(obj) for name, obj in children.items()}, dict(values), path, status])
    context.deferred_restore["pending"] = _restore_waiting if _waiting else None


def _restore_waiting() -> None:
    from .checkpoint import _assign

    for entry in list(_waiting):
        children = {name: ref() for name, ref in entry[0].items()}
        values, path, status = entry[1], entry[2], entry[3]
        if any(obj is None for obj in children.values()):
            _waiting.remove(entry)
            continue
        graph = _graph.collect(children)
        matched = _assign(graph, values, path)
        for key in matched:
            del values[key]
        status.matched_keys.extend(matched)
        status.unused_keys = [k for k in status.unused_keys if k not in matched]
        if not values:
            _waiting.remove(entry)
    if not _waiting:
        context.deferred_restore["pending"] = None
