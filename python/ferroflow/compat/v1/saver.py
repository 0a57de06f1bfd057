"""``tf.compat.v1.train.Saver``: name-based checkpoints of a graph's variables.

``save(sess, "/dir/model.ckpt", global_step=100)`` writes the checkpoint ``/dir/model.ckpt-100`` in
``ferroflow.train``'s checkpoint format (one file, ``/dir/model.ckpt-100.ckpt``, written to a temporary
file and renamed, so an interrupted save leaves the previous checkpoints whole), keyed by variable name
(``dense/kernel``), and records it in ``/dir/checkpoint`` as TF1 does. The newest ``max_to_keep``
checkpoints are kept; older ones are deleted unless ``keep_checkpoint_every_n_hours`` preserves them.
"""

from __future__ import annotations

import os
import re
import time
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from ... import errors
from ...framework import context
from ...framework.variables import Variable
from ...train import _format
from . import checkpoint_management as _cm
from .saver_def import SaverDef, _is_session, _names_to_variables
from .saver_restore import restore_by_name as _restore_by_name


class Saver:
    """Saves and restores variables by name (TF1's ``tf.compat.v1.train.Saver``)."""

    def __init__(
        self,
        var_list: Any = None,
        reshape: bool = False,
        sharded: bool = False,
        max_to_keep: Optional[int] = 5,
        keep_checkpoint_every_n_hours: float = 10000.0,
        name: Optional[str] = None,
        restore_sequentially: bool = False,
        saver_def: Optional[SaverDef] = None,
        builder: Any = None,
        defer_build: bool = False,
        allow_empty: bool = False,
        write_version: int = SaverDef.V2,
        pad_step_number: bool = False,
        save_relative_paths: bool = False,
        filename: Optional[str] = None,
    ) -> None:
        if defer_build and var_list:
            raise ValueError(
                "If `var_list` is provided then build cannot be deferred. Either set defer_build=False or "
                "var_list=None."
            )
        eager = context.executing_eagerly()
        if eager and var_list is None:
            raise RuntimeError(
                "When eager execution is enabled, `var_list` must specify a list or dict of variables to save"
            )
        self._var_list = var_list
        self._allow_empty = allow_empty
        self._pad_step_number = pad_step_number
        self._save_relative_paths = save_relative_paths
        self._sharded = sharded
        self._filename = filename
        self.saver_def = saver_def or SaverDef(
            max_to_keep=0 if max_to_keep is None else int(max_to_keep),
            keep_checkpoint_every_n_hours=keep_checkpoint_every_n_hours,
            sharded=sharded,
            version=write_version,
        )
        self._names: Optional[Dict[str, Variable]] = None
        self._is_built = False
        self._is_empty: Optional[bool] = None
        self._last_checkpoints: List[Tuple[str, float]] = []
        self._checkpoints_to_be_deleted: List[Tuple[str, float]] = []
        self._next_checkpoint_time = time.time() + keep_checkpoint_every_n_hours * 3600
        if eager:
            self._resolve()
        elif not defer_build:
            self.build()

    # -- building
    def build(self) -> None:
        """Fixes the variables to save (all global variables and SAVEABLE_OBJECTS when ``var_list`` is None)."""
        if context.executing_eagerly():
            raise RuntimeError("Use save/restore instead of build in eager mode.")
        if self._is_built:
            return
        self._is_built = True
        self._resolve()
        self._next_checkpoint_time = time.time() + self.saver_def.keep_checkpoint_every_n_hours * 3600

    def _resolve(self) -> None:
        var_list = self._var_list
        if var_list is None:
            graph = context.get_default_graph()
            var_list = graph.get_collection("variables") + graph.get_collection("saveable_objects")
        self._names = _names_to_variables(var_list)
        if not self._names:
            if not self._allow_empty:
                raise ValueError("No variables to save")
            self._is_empty = True
            return
        self._is_empty = False

    def as_saver_def(self) -> SaverDef:
        return self.saver_def

    def to_proto(self, export_scope: Optional[str] = None) -> SaverDef:
        return self.saver_def

    # -- the kept checkpoints
    @property
    def last_checkpoints(self) -> List[str]:
        """The paths of the checkpoints this saver keeps, oldest first."""
        return [p for p, _ in self._last_checkpoints]

    def set_last_checkpoints(self, last_checkpoints: List[str]) -> None:
        assert isinstance(last_checkpoints, list)
        self._last_checkpoints = [(s, np.inf) for s in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time: List[Tuple[str, float]]) -> None:
        assert isinstance(last_checkpoints_with_time, list)
        self._last_checkpoints = list(last_checkpoints_with_time)

    def recover_last_checkpoints(self, checkpoint_paths: List[str]) -> None:
        """Takes over ``checkpoint_paths`` (those that exist, with their file times) as kept checkpoints, so a
        restarted job goes on deleting the oldest ones."""
        found = []
        for path in checkpoint_paths:
            mtime = _cm.get_checkpoint_mtimes([path])
            if mtime:
                found.append((path, mtime[0]))
        self.set_last_checkpoints_with_time(found)

    def _record_last_checkpoint(self, latest: str) -> None:
        if not self.saver_def.max_to_keep:
            return
        self._last_checkpoints = [p for p in self._last_checkpoints if p[0] != latest]
        self._last_checkpoints.append((latest, time.time()))
        if len(self._last_checkpoints) > self.saver_def.max_to_keep:
            self._checkpoints_to_be_deleted.append(self._last_checkpoints.pop(0))

    def _maybe_delete_old_checkpoints(self, meta_graph_suffix: str = "meta") -> None:
        if not self._checkpoints_to_be_deleted:
            return
        path, stamp = self._checkpoints_to_be_deleted.pop(0)
        if stamp > self._next_checkpoint_time:  # kept for good: one checkpoint per N hours of training
            self._next_checkpoint_time += self.saver_def.keep_checkpoint_every_n_hours * 3600
            return
        _cm.remove_checkpoint(path, self.saver_def.version, meta_graph_suffix)

    # -- saving
    def save(
        self,
        sess: Any,
        save_path: str,
        global_step: Any = None,
        latest_filename: Optional[str] = None,
        meta_graph_suffix: str = "meta",
        write_meta_graph: bool = True,
        write_state: bool = True,
        strip_default_attrs: bool = False,
        save_debug_info: bool = False,
    ) -> Optional[str]:
        """Writes the variables' values as ``save_path`` (``save_path-<global_step>`` when a step is given),
        records it in the directory's ``checkpoint`` file and returns its path (None for an empty saver)."""
        eager = context.executing_eagerly()
        if not self._is_built and not eager:
            raise RuntimeError("`build()` should be called before save if defer_build==True")
        latest_filename = latest_filename or _format.STATE_FILENAME
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        save_path = os.fspath(save_path)
        if global_step is not None:
            if not isinstance(global_step, (int, np.integer)):
                global_step = int(sess.run(global_step)) if not eager else int(np.asarray(global_step))
            step = f"{int(global_step):08d}" if self._pad_step_number else str(int(global_step))
            checkpoint_file = f"{save_path}-{step}"
        else:
            checkpoint_file = save_path
            if os.path.basename(save_path) == latest_filename and not self._sharded:
                raise ValueError(f"'latest_filename' collides with 'save_path': '{latest_filename}' and '{save_path}'")
        if not eager and not _is_session(sess):
            raise TypeError(f"'sess' must be a Session; {sess}")
        if self._is_empty:
            return None
        parent = os.path.dirname(save_path)
        if parent and not os.path.isdir(parent):
            raise ValueError(f"Parent directory of {save_path} doesn't exist, can't save.")
        pairs = []
        assert self._names is not None
        for key, var in self._names.items():
            if not var._v.is_initialized():
                raise errors.FailedPreconditionError(
                    f"Attempting to use uninitialized value {var.name}: run its initializer (or restore it) "
                    "before saving"
                )
            pairs.append((key, var.numpy()))
        _format.write(checkpoint_file, pairs, {"saver": "name_based"})
        if write_meta_graph and not eager:  # model.ckpt-N.meta: the graph, for import_meta_graph
            with sess.graph.as_default():
                self.export_meta_graph(_meta_graph_filename(checkpoint_file, meta_graph_suffix))
        if write_state:
            self._record_last_checkpoint(checkpoint_file)
            _cm.update_state(parent, checkpoint_file, self.last_checkpoints, latest_filename, self._save_relative_paths)
            self._maybe_delete_old_checkpoints(meta_graph_suffix)
        return checkpoint_file

    def export_meta_graph(
        self,
        filename: Optional[str] = None,
        collection_list: Any = None,
        as_text: bool = False,
        export_scope: Optional[str] = None,
        clear_devices: bool = False,
        clear_extra_attrs: bool = False,
        strip_default_attrs: bool = False,
        save_debug_info: bool = False,
    ) -> Any:
        """The default graph with this saver's checkpoint keys, written to ``filename`` if given
        (``tf.compat.v1.train.export_meta_graph``)."""
        from .meta_graph import export_meta_graph

        return export_meta_graph(
            filename=filename,
            saver_def=self,
            collection_list=collection_list,
            as_text=as_text,
            export_scope=export_scope,
            clear_devices=clear_devices,
        )

    # -- restoring
    def restore(self, sess: Any, save_path: Optional[str]) -> None:
        """Assigns every variable of this saver its value from checkpoint ``save_path``.

        Raises:
            ValueError: ``save_path`` is None or names no checkpoint.
            tf.errors.NotFoundError: a variable's name is missing from the checkpoint (another model's).
            tf.errors.InvalidArgumentError: a value's shape or dtype differs from its variable's.
        Nothing is assigned when any variable fails.
        """
        if self._is_empty:
            return
        _restore_by_name(self._names, save_path)


def _meta_graph_filename(checkpoint_file: str, suffix: str) -> str:
    """``model.ckpt-100`` -> ``model.ckpt-100.meta`` (a sharded name's ``-00000-of-00001`` dropped, as TF1)."""
    return ".".join([re.sub(r"-[\d\?]+-of-\d+$", "", checkpoint_file), suffix])


def get_saver_or_default() -> Saver:
    """The one saver of the SAVERS collection, else a new ``Saver(sharded=True, allow_empty=True)`` added there."""
    graph = context.get_default_graph()
    savers = graph.get_collection("savers")
    if savers:
        if len(savers) > 1:
            raise RuntimeError(
                "More than one item in collection savers. Please indicate which one to use by passing it to the "
                "constructor."
            )
        return savers[0]
    saver = Saver(sharded=True, allow_empty=True)
    graph.add_to_collection("savers", saver)
    return saver


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("get_saver_or_default",))
