"""Deferred restoration: checkpoint values whose variables do not exist yet at ``restore`` time.

As in TensorFlow, a module that creates its variables on its first call (``if not self.is_built: self.w =
tf.Variable(...)``) still gets the checkpoint's values: when a variable has been created since the last
check, the next variable read walks the waiting checkpoints' objects again and assigns the values that now
have a variable, before the read returns. The status returned by ``restore`` is updated as values land.
"""

from __future__ import annotations

import weakref
from typing import Any, Optional

from ..framework import context
from . import _aliases, _graph, _legacy_keys

# [reference to the Checkpoint, {name: reference to a tracked object}, {key: value}, path, status]. All are
# held weakly where they allow it: a Checkpoint made only to call restore() is gone at once, but its objects
# live on (they are walked then), and waiting must not keep a model alive. While the Checkpoint lives, what
# is attached to it later (``restore.listed = []``) is walked too.
_waiting: list = []


def _reference(obj: Any) -> Any:
    try:
        return weakref.ref(obj)
    except TypeError:
        return lambda: obj


def wait_for(checkpoint: Any, values: dict, path: str, status: Any, aliases: Optional[dict] = None) -> None:
    """Keeps ``values`` (those no variable took) until variables for them appear under ``checkpoint``."""
    if values:
        children = {name: _reference(obj) for name, obj in checkpoint._checkpoint_children().items()}
        _waiting.append([_reference(checkpoint), children, dict(values), path, status, aliases or {}])
    context.deferred_restore["pending"] = _restore_waiting if _waiting else None


def _restore_waiting() -> None:
    from .checkpoint import _assign

    for entry in list(_waiting):
        checkpoint = entry[0]()
        children = {name: ref() for name, ref in entry[1].items()}
        if checkpoint is not None:
            children = checkpoint._checkpoint_children()
        values, path, status = entry[2], entry[3], entry[4]
        if any(obj is None for obj in children.values()):
            _waiting.remove(entry)
            continue
        graph = _graph.collect(children)
        found, via_alias = _aliases.values_by_key(graph.variables, values, entry[5])
        legacy = checkpoint._legacy_children() if checkpoint is not None else children
        translated = _legacy_keys.translate(legacy, graph.variables, found)
        matched = _assign(graph, translated, path)
        if not matched:
            continue
        # The saved keys taken: the variables' own, those reached through an alias, the old scheme's.
        taken = set(matched) | via_alias | (set(found) - set(translated))
        for key in taken:
            values.pop(key, None)
        status.matched_keys.extend(matched)
        status.unused_keys = [k for k in status.unused_keys if k not in taken]
        if not values:
            _waiting.remove(entry)
    if not _waiting:
        context.deferred_restore["pending"] = None
