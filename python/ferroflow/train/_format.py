"""Checkpoint files on disk: one zip per checkpoint (no pickle) and TensorFlow's ``checkpoint`` state file.

A checkpoint written at ``save_path`` (``/dir/ckpt-3``) is the single file ``save_path + ".ckpt"``: the
project's npz-in-zip archive (see ``ferroflow.saving.archive``) with format ``ferroflow.checkpoint``; array
names are the object-graph keys. Writes are atomic, so a crash mid-save leaves the previous file intact.

The directory's ``checkpoint`` file is TensorFlow's text format::

    model_checkpoint_path: "ckpt-3"
    all_model_checkpoint_paths: "ckpt-2"
    all_model_checkpoint_paths: "ckpt-3"
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..saving import archive
from ..saving._atomic import atomic_write

CHECKPOINT_FORMAT = "ferroflow.checkpoint"
DATA_SUFFIX = ".ckpt"
STATE_FILENAME = "checkpoint"


def data_file(save_path: str) -> str:
    """The file holding the checkpoint ``save_path`` (accepts the file's own name too)."""
    save_path = os.fspath(save_path)
    return save_path if save_path.endswith(DATA_SUFFIX) else save_path + DATA_SUFFIX


def exists(save_path: str) -> bool:
    return os.path.isfile(data_file(save_path))


def write(
    save_path: str, pairs: Sequence[Tuple[str, Any]], extra: Optional[dict] = None, object_graph: bool = False
) -> None:
    """Atomically writes ``(key, array)`` pairs (plus JSON-serializable ``extra``) as checkpoint ``save_path``.

    ``object_graph`` marks a ``tf.train.Checkpoint`` (keys are object paths) apart from a TF1 ``Saver``'s
    name-based one, so ``tf.train.list_variables`` can name the values as TensorFlow does for each kind.
    """
    from .. import __version__

    meta = {"ferroflow_version": __version__}
    if object_graph:
        meta["object_graph"] = True
    if extra:
        meta["extra"] = extra
    members = {"metadata.json": archive._dump_json(archive._metadata(CHECKPOINT_FORMAT, meta), "metadata")}
    members.update(archive._encode_arrays(pairs, *archive._WEIGHTS, what="checkpoint values"))
    path = data_file(save_path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    archive._write_zip(path, members)


def read(save_path: str) -> Tuple[Dict[str, np.ndarray], dict]:
    """``({key: array}, extra)`` of checkpoint ``save_path``; see ``read_all``."""
    values, extra, _ = read_all(save_path)
    return values, extra


def read_all(save_path: str) -> Tuple[Dict[str, np.ndarray], dict, bool]:
    """``({key: array}, extra, object_graph)`` of checkpoint ``save_path``: ``object_graph`` is True when a
    ``tf.train.Checkpoint`` wrote it.

    Raises:
        FileNotFoundError: no checkpoint file at ``save_path``.
        ValueError: the file is truncated, corrupt or not a ferroflow checkpoint (the message names it).
    """
    path = data_file(save_path)
    if not os.path.isfile(path):
        raise FileNotFoundError(
            errno.ENOENT, f"Failed to find a checkpoint at {os.fspath(save_path)!r}: no such file", path
        )
    with archive._open_zip(path) as zf:
        meta = archive._read_metadata(zf, path, CHECKPOINT_FORMAT)
        pairs = archive._read_arrays(zf, *archive._WEIGHTS, path)
    extra = meta.get("extra") if isinstance(meta.get("extra"), dict) else {}
    return dict(pairs), extra, bool(meta.get("object_graph"))


def remove(save_path: str) -> None:
    try:
        os.remove(data_file(save_path))
    except FileNotFoundError:
        pass


# -- the ``checkpoint`` state file -------------------------------------------------------------------


@dataclass
class CheckpointState:
    """``tf.train.get_checkpoint_state``'s answer: the latest path and all kept paths (absolute)."""

    model_checkpoint_path: str
    all_model_checkpoint_paths: List[str] = field(default_factory=list)
    all_model_checkpoint_timestamps: List[float] = field(default_factory=list)
    last_preserved_timestamp: Optional[float] = None


def write_state(directory: str, state: CheckpointState, relative: bool = True, filename: Optional[str] = None) -> None:
    """Atomically writes the ``checkpoint`` file (or ``filename``); paths inside ``directory`` are stored relative
    to it, or, with ``relative=False``, as given (TF1's ``Saver`` writes the paths it was given)."""

    def rel(path: str) -> str:
        if relative and os.path.dirname(os.path.abspath(path)) == os.path.abspath(directory):
            return os.path.basename(path)
        return path

    lines = [f"model_checkpoint_path: {_quote(rel(state.model_checkpoint_path))}"]
    lines += [f"all_model_checkpoint_paths: {_quote(rel(p))}" for p in state.all_model_checkpoint_paths]
    lines += [f"all_model_checkpoint_timestamps: {t!r}" for t in state.all_model_checkpoint_timestamps]
    if state.last_preserved_timestamp is not None:
        lines.append(f"last_preserved_timestamp: {state.last_preserved_timestamp!r}")
    os.makedirs(directory or ".", exist_ok=True)
    with atomic_write(os.path.join(directory, filename or STATE_FILENAME)) as f:
        f.write(("\n".join(lines) + "\n").encode("utf-8"))


_LINE = re.compile(r'^\s*(\w+)\s*:\s*(".*"|\S+)\s*$')


def read_state(directory: str, latest_filename: Optional[str] = None) -> Optional[CheckpointState]:
    """The parsed ``checkpoint`` file of ``directory``, or None when there is none."""
    path = os.path.join(os.fspath(directory), latest_filename or STATE_FILENAME)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (FileNotFoundError, NotADirectoryError):
        return None
    fields: Dict[str, list] = {}
    for line in text.splitlines():
        m = _LINE.match(line)
        if m is None:
            if line.strip():
                raise ValueError(f"{path}: not a checkpoint state file: cannot parse line {line!r}")
            continue
        fields.setdefault(m.group(1), []).append(m.group(2))
    if "model_checkpoint_path" not in fields:
        raise ValueError(f"{path}: not a checkpoint state file: it has no model_checkpoint_path")

    def absolute(raw: str) -> str:
        p = _unquote(raw)
        return p if os.path.isabs(p) else os.path.join(os.fspath(directory), p)

    preserved = fields.get("last_preserved_timestamp")
    return CheckpointState(
        model_checkpoint_path=absolute(fields["model_checkpoint_path"][-1]),
        all_model_checkpoint_paths=[absolute(p) for p in fields.get("all_model_checkpoint_paths", [])],
        all_model_checkpoint_timestamps=[float(t) for t in fields.get("all_model_checkpoint_timestamps", [])],
        last_preserved_timestamp=float(preserved[-1]) if preserved else None,
    )


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unquote(s: str) -> str:
    if len(s) >= 2 and s[0] == s[-1] == '"':
        return re.sub(r"\\(.)", r"\1", s[1:-1])
    return s
