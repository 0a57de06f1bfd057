"""``tf.train.Checkpoint``: saves and restores the variables of tracked objects (models, optimizers, variables)."""

from __future__ import annotations

import os
from typing import Any, Dict, Optional, Tuple

import numpy as np

from ..framework import context
from ..framework.variables import Variable
from . import _aliases, _deferred, _format, _graph, _legacy_keys, _wrappers
from ._status import CheckpointLoadStatus, InitializationOnlyStatus


class Checkpoint:
    """Groups trackable objects, saving and restoring their variables (TensorFlow 2's ``tf.train.Checkpoint``).

    ``Checkpoint(model=model, optimizer=optimizer, step=tf.Variable(0))`` tracks each keyword argument;
    attributes set later (``ckpt.extra = var``) are tracked too, lists and dicts as ``ListWrapper`` and
    ``DictWrapper`` (items appended later are tracked). Values are stored under TensorFlow 2.21's keys, derived
    from the object structure as Keras 3 names it (``model/l1/_kernel``, ``optimizer/_variables/2``, ``step``),
    so a checkpoint restores into a freshly built model of the same architecture; files written with the
    earlier Keras 2 keys (``model/layer_with_weights-0/kernel``) still restore. Files contain no pickle.

    Args:
        root: an optional root object: as in TensorFlow, its children are the checkpoint's top level (its
            variable ``v`` is saved as ``v``), the keyword arguments beside them.
        **kwargs: the objects to track: Keras models and layers, optimizers, ``Variable``s, nested
            ``Checkpoint``s, dicts or lists of them, or anything with ``.variables`` / ``.weights``.
    """

    def __init__(self, root: Any = None, **kwargs: Any) -> None:
        object.__setattr__(self, "_children", {})
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_save_counter", None)
        if root is not None:
            self._track("root", root)  # checks it; kept apart from the keyword arguments
            del self._children["root"]
        for name, obj in sorted(kwargs.items()):  # TensorFlow's child order: by name
            self._track(name, _wrappers.wrap(obj))

    # -- tracking
    def _track(self, name: str, obj: Any) -> None:
        if not _graph.is_trackable(obj):
            raise ValueError(
                f"`Checkpoint` was expecting {name} to be a trackable object (a Variable, a Keras layer or model, "
                f"an optimizer, a Checkpoint, or an object with `.variables`), got {obj!r:.100}"
            )
        self._children[name] = obj

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_") and _graph.is_trackable(value):
            value = _wrappers.wrap(value)
            self._children[name] = value
            object.__setattr__(self, name, value)
            _wrappers._changed()  # a pending restore may hold values for what was just attached
            return
        object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        children = self.__dict__.get("_children", {})
        if name == "root" and self.__dict__.get("_root") is not None:
            return self._root
        if name in children:
            return children[name]
        raise AttributeError(f"'Checkpoint' object has no attribute '{name}'")

    def _checkpoint_children(self) -> Dict[str, Any]:
        """The top level of the object graph: the root object's children (if any), then the tracked objects."""
        top = dict(_graph.children_of(self._root)) if self._root is not None else {}
        top.update(self._children)
        return top

    def _legacy_children(self) -> Dict[str, Any]:
        """The top level as the earlier key scheme had it (a root object under ``root``)."""
        return {"root": self._root, **self._children} if self._root is not None else dict(self._children)

    @property
    def save_counter(self) -> Variable:
        """An int64 variable: how many times ``save`` has run (saved and restored with the checkpoint)."""
        if self._save_counter is None:
            with context.eager_scope():
                counter = Variable(np.int64(0), name="save_counter", dtype="int64", trainable=False)
            object.__setattr__(self, "_save_counter", counter)
        return self._save_counter

    def _collect(self) -> _graph.ObjectGraph:
        # As in TensorFlow, save_counter exists (and is written) once save() or restore() created it.
        counter = {} if self._save_counter is None else {"save_counter": self._save_counter}
        return _graph.collect({**self._checkpoint_children(), **counter})

    # -- writing
    def save(self, file_prefix: str, options: Any = None) -> str:
        """Increments ``save_counter``, writes ``f"{file_prefix}-{save_counter}"`` and records it as the latest.

        Returns:
            The checkpoint's path, for ``restore`` (the data is in that path plus ``.ckpt``).
        """
        file_prefix = os.fspath(file_prefix)
        with context.eager_scope():
            self.save_counter.assign_add(np.int64(1))
        path = self.write(f"{file_prefix}-{int(self.save_counter.numpy())}")
        _format.write_state(
            os.path.dirname(os.path.abspath(file_prefix)),
            _format.CheckpointState(model_checkpoint_path=path, all_model_checkpoint_paths=[path]),
        )
        return path

    def write(self, file_prefix: str, options: Any = None) -> str:
        """Writes the checkpoint at ``file_prefix`` exactly (no counter, no ``checkpoint`` file); returns it."""
        return self._write(os.fspath(file_prefix))

    def _write(self, path: str, extra: Optional[dict] = None) -> str:
        graph = self._collect()
        pairs = [(key, var.numpy()) for key, var in graph.variables]
        if graph.aliases:
            extra = {**(extra or {}), _aliases.ALIASES_KEY: graph.aliases}
        _format.write(path, pairs, extra, object_graph=True)
        return path

    # -- reading
    def restore(self, save_path: Optional[str], options: Any = None) -> CheckpointLoadStatus:
        """Assigns the values of checkpoint ``save_path`` to the tracked variables; ``None`` restores nothing.

        An optimizer that is not built yet is built first (on the trainable weights of the model tracked
        alongside it), so that its slots can take their saved values.

        Raises:
            FileNotFoundError: there is no checkpoint at ``save_path``.
            ValueError: the file is corrupt, or a value's shape differs from its variable's (nothing is
                assigned then).
        """
        if save_path is None:
            return InitializationOnlyStatus()
        self.save_counter  # noqa: B018  (restore creates it, as TensorFlow's does, to restore its value)
        return self._read(os.fspath(save_path))[0]

    def read(self, save_path: str, options: Any = None) -> CheckpointLoadStatus:
        """Restores a checkpoint written by ``write`` (or ``save``); like ``restore``."""
        return self._read(os.fspath(save_path))[0]

    def _read(self, save_path: str) -> Tuple[CheckpointLoadStatus, dict]:
        if os.path.isdir(save_path):
            raise IsADirectoryError(
                f"{save_path} is a directory, expected a checkpoint path such as {os.path.join(save_path, 'ckpt-1')}"
                " (tf.train.latest_checkpoint(directory) gives the latest one)"
            )
        saved, extra = _format.read(save_path)
        extra = dict(extra)
        aliases = extra.pop(_aliases.ALIASES_KEY, None) or {}
        graph = self._collect()
        hint = _build_optimizers(graph, saved)
        graph = self._collect()  # again: building an optimizer added its slots
        values, via_alias = _aliases.values_by_key(graph.variables, saved, aliases)
        values = _legacy_keys.translate(self._legacy_children(), graph.variables, values)
        matched = _assign(graph, values, _format.data_file(save_path))
        keys = {key for key, _ in graph.variables} | via_alias
        unused = [k for k in values if k not in keys]
        # save_counter is restore()'s own: a checkpoint written by write() need not hold it.
        missing = [k for k, _ in graph.variables if k not in values and k != "save_counter"]
        status = CheckpointLoadStatus(save_path, matched, unused, missing, hint or None)
        # Values for variables a module creates later (on its first call) are assigned when they appear.
        _deferred.wait_for(self, {k: values[k] for k in unused}, _format.data_file(save_path), status, aliases)
        return status, extra


def _build_optimizers(graph: _graph.ObjectGraph, values: dict) -> Optional[str]:
    """Builds unbuilt optimizers whose slots the checkpoint holds; None if all were built, else why not."""
    problems = []
    for prefix, opt in graph.optimizers:
        slots = (f"{prefix}/slot-", f"{prefix}/_variables/")  # the Keras 2 keys, then Keras 3's
        if getattr(opt, "built", True) or not any(k.startswith(slots) for k in values):
            continue
        candidates = [m for m in graph.models if getattr(m, "optimizer", None) is opt] + graph.models
        model = next((m for m in candidates if getattr(m, "built", False) and m.trainable_weights), None)
        if model is None:
            problems.append(
                f"optimizer '{prefix}' is not built and no built model is tracked with it, so its slot variables "
                "cannot be created: build the model (and track it in the Checkpoint) before restoring"
            )
            continue
        with context.eager_scope():
            opt.build(model.trainable_weights)
    return "; ".join(problems) if problems else None


def _assign(graph: _graph.ObjectGraph, values: dict, path: str) -> list:
    """Checks every shape first (a mismatch leaves all variables unchanged), then assigns; returns the keys."""
    todo = []
    for key, var in graph.variables:
        if key not in values:
            continue
        value = values[key]
        if tuple(value.shape) != tuple(var.shape):
            raise ValueError(
                f"{path}: the value of '{key}' has shape {tuple(value.shape)}, but the variable it restores into "
                f"('{var.name}') has shape {tuple(var.shape)}"
            )
        todo.append((key, var, value))
    with context.eager_scope():
        for _, var, value in todo:
            var.assign(np.asarray(value).astype(var.dtype.as_numpy_dtype, copy=False))
    return [key for key, _, _ in todo]
