"""TF1's checkpoint-file helpers (``checkpoint_exists``, ``get_checkpoint_mtimes``, ``remove_checkpoint``,
``update_checkpoint_state``) over ``ferroflow.train``'s checkpoint files and ``checkpoint`` state file."""

from __future__ import annotations

import os
from typing import List, Optional

from ...train import _format

SAVER_V1, SAVER_V2 = 1, 2


def checkpoint_exists(checkpoint_prefix: str) -> bool:
    """Whether a checkpoint was written at ``checkpoint_prefix`` (the path ``Saver.save`` returned)."""
    return _format.exists(os.fspath(checkpoint_prefix))


def get_checkpoint_mtimes(checkpoint_prefixes: List[str]) -> List[float]:
    """The modification times of the checkpoints that exist among ``checkpoint_prefixes`` (others skipped)."""
    out = []
    for prefix in checkpoint_prefixes:
        path = _format.data_file(os.fspath(prefix))
        if os.path.isfile(path):
            out.append(os.stat(path).st_mtime_ns / 1e9)
    return out


def remove_checkpoint(
    checkpoint_prefix: str, checkpoint_format_version: int = SAVER_V2, meta_graph_suffix: str = "meta"
) -> None:
    """Deletes the checkpoint at ``checkpoint_prefix`` (and its meta-graph file, if any)."""
    _format.remove(os.fspath(checkpoint_prefix))
    meta = f"{checkpoint_prefix}.{meta_graph_suffix}"
    if os.path.isfile(meta):
        os.remove(meta)


def generate_checkpoint_state_proto(
    save_dir: str,
    model_checkpoint_path: str,
    all_model_checkpoint_paths: Optional[List[str]] = None,
    all_model_checkpoint_timestamps: Optional[List[float]] = None,
    last_preserved_timestamp: Optional[float] = None,
) -> _format.CheckpointState:
    """The ``CheckpointState`` TF1 records: the latest path last among all paths; with a relative ``save_dir``,
    relative paths are made relative to it."""
    paths = list(all_model_checkpoint_paths or [])
    if not paths or paths[-1] != model_checkpoint_path:
        paths.append(model_checkpoint_path)
    if all_model_checkpoint_timestamps and len(all_model_checkpoint_timestamps) != len(paths):
        raise ValueError(
            f"Checkpoint timestamps, if provided, must match checkpoint paths (got paths {paths} and timestamps "
            f"{all_model_checkpoint_timestamps})"
        )
    if not os.path.isabs(save_dir):
        if not os.path.isabs(model_checkpoint_path):
            model_checkpoint_path = os.path.relpath(model_checkpoint_path, save_dir)
        paths = [p if os.path.isabs(p) else os.path.relpath(p, save_dir) for p in paths]
    return _format.CheckpointState(
        model_checkpoint_path=model_checkpoint_path,
        all_model_checkpoint_paths=paths,
        all_model_checkpoint_timestamps=list(all_model_checkpoint_timestamps or []),
        last_preserved_timestamp=last_preserved_timestamp,
    )


def update_checkpoint_state(
    save_dir: str,
    model_checkpoint_path: str,
    all_model_checkpoint_paths: Optional[List[str]] = None,
    latest_filename: Optional[str] = None,
    all_model_checkpoint_timestamps: Optional[List[float]] = None,
    last_preserved_timestamp: Optional[float] = None,
) -> None:
    """Writes ``save_dir``'s ``checkpoint`` file (atomically) naming ``model_checkpoint_path`` the latest."""
    update_state(
        save_dir,
        model_checkpoint_path,
        all_model_checkpoint_paths,
        latest_filename,
        False,
        all_model_checkpoint_timestamps,
        last_preserved_timestamp,
    )


def update_state(
    save_dir: str,
    model_checkpoint_path: str,
    all_model_checkpoint_paths: Optional[List[str]],
    latest_filename: Optional[str],
    save_relative_paths: bool,
    timestamps: Optional[List[float]] = None,
    last_preserved: Optional[float] = None,
) -> None:
    """TF1's ``update_checkpoint_state_internal``: paths stored as given, or relative to ``save_dir``."""
    save_dir = os.fspath(save_dir)
    paths = list(all_model_checkpoint_paths or [])
    if save_relative_paths:

        def rel(p: str) -> str:
            return os.path.relpath(p, save_dir) if os.path.isabs(p) else p

        model_checkpoint_path = rel(model_checkpoint_path)
        paths = [rel(p) for p in paths]
    state = generate_checkpoint_state_proto(save_dir, model_checkpoint_path, paths, timestamps, last_preserved)
    filename = latest_filename or _format.STATE_FILENAME
    if os.path.join(save_dir, filename) == state.model_checkpoint_path:
        raise RuntimeError(
            f"Save path '{model_checkpoint_path}' conflicts with path used for checkpoint state.  Please use a "
            "different save path."
        )
    _format.write_state(save_dir, state, relative=False, filename=filename)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("update_state", "SAVER_V1", "SAVER_V2"))
