"""The on-disk form of a debugged run: one directory holding ``dump_index.json`` and a ``.npy`` file per tensor.

Layout of a run directory::

    run_<microseconds>_<run index>/
        dump_index.json      {"format", "version", "run": {...}, "nodes": [...], "dumps": [...]}
        tensors/000000.npy   one tensor value each, written by numpy.save (never pickled)

``nodes`` entries carry ``name``, ``op``, ``inputs``, ``dtype``, ``shape``, ``device`` and ``attributes``;
``dumps`` entries ``node``, ``slot``, ``debug_op``, ``timestamp_us``, ``size_bytes``, ``order`` and ``file``
(relative, or null when only the fact of the run was recorded). Readers accept every version up to theirs.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any, Optional

import numpy as np

from .debug_data import DEFAULT_DEVICE, DebugTensorDatum, NodeInfo

FORMAT = "ferroflow-tfdbg-dump"
VERSION = 1
INDEX_FILE = "dump_index.json"
TENSOR_DIR = "tensors"


def new_run_dir(session_root: str, run_index: int) -> str:
    """A fresh run directory name under ``session_root`` (``run_<microseconds>_<index>``)."""
    return os.path.join(session_root, f"run_{int(time.time() * 1e6)}_{run_index}")


def storable(value: Any) -> np.ndarray:
    """``value`` as an array ``numpy.save`` writes without pickling: strings become fixed-width bytes."""
    arr = np.asarray(value)
    if arr.dtype == object:
        arr = np.array([v if isinstance(v, bytes) else str(v).encode() for v in arr.reshape(-1)], dtype="S")
        arr = arr.reshape(np.asarray(value).shape)
    return arr


def write_run(run_dir: str, nodes: list, datums: list, run_info: dict) -> str:
    """Writes one run (``NodeInfo``s, ``DebugTensorDatum``s with values, the run's facts) to ``run_dir``."""
    os.makedirs(os.path.join(run_dir, TENSOR_DIR), exist_ok=True)
    dumps = []
    for i, d in enumerate(datums):
        value = d.get_tensor()
        rel = None
        if value is not None:
            rel = f"{TENSOR_DIR}/{i:06d}.npy"
            np.save(os.path.join(run_dir, rel), storable(value), allow_pickle=False)
        dumps.append(
            {
                "node": d.node_name,
                "slot": d.output_slot,
                "debug_op": d.debug_op,
                "timestamp_us": d.timestamp,
                "size_bytes": d.dump_size_bytes,
                "order": d.order,
                "file": rel,
            }
        )
    index = {
        "format": FORMAT,
        "version": VERSION,
        "run": run_info,
        "nodes": [
            {
                "name": n.name,
                "op": n.op_type,
                "inputs": list(n.inputs),
                "dtype": n.dtype,
                "shape": None if n.shape is None else list(n.shape),
                "device": n.device,
                "attributes": n.attributes,
            }
            for n in nodes
        ],
        "dumps": dumps,
    }
    tmp = os.path.join(run_dir, INDEX_FILE + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(index, f, indent=1, default=_jsonable)
    os.replace(tmp, os.path.join(run_dir, INDEX_FILE))  # readers never see half an index
    return run_dir


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def read_run(run_dir: str) -> tuple:
    """``(nodes, datums, run_info)`` of the run directory ``run_dir``; ValueError when it holds no dump."""
    path = os.path.join(run_dir, INDEX_FILE)
    if not os.path.isfile(path):
        raise ValueError(_not_a_dump(run_dir))
    try:
        with open(path, encoding="utf-8") as f:
            index = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise ValueError(f"The debug dump index {path} is unreadable: {e}") from None
    if not isinstance(index, dict) or index.get("format") != FORMAT:
        raise ValueError(f"{path} is not a ferroflow debug dump index (expected format '{FORMAT}')")
    version = index.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise ValueError(f"{path} has dump format version {version!r}; this ferroflow reads versions up to {VERSION}")
    try:
        nodes = [
            NodeInfo(
                n["name"],
                n["op"],
                list(n["inputs"]),
                n["dtype"],
                n.get("shape"),
                n.get("device", DEFAULT_DEVICE),
                dict(n.get("attributes") or {}),
            )
            for n in index["nodes"]
        ]
        datums = [
            DebugTensorDatum(
                run_dir,
                d["node"],
                d["slot"],
                d["debug_op"],
                d["timestamp_us"],
                d["size_bytes"],
                _tensor_path(run_dir, d.get("file")),
                order=d.get("order", i),
            )
            for i, d in enumerate(index["dumps"])
        ]
    except (KeyError, TypeError) as e:
        raise ValueError(f"The debug dump index {path} is malformed: missing or bad entry {e}") from None
    return nodes, datums, dict(index.get("run") or {})


def _tensor_path(run_dir: str, rel: Optional[str]) -> Optional[str]:
    if rel is None:
        return None
    full = os.path.normpath(os.path.join(run_dir, rel))
    # A tampered index must not make the reader open files outside the run directory.
    if os.path.commonpath([full, os.path.normpath(run_dir)]) != os.path.normpath(run_dir):
        raise ValueError(f"The debug dump index names a tensor file outside the run directory: {rel!r}")
    return full


def _not_a_dump(run_dir: str) -> str:
    if not os.path.isdir(run_dir):
        return f"Dump directory {run_dir} does not exist"
    runs = sorted(e for e in os.listdir(run_dir) if os.path.isfile(os.path.join(run_dir, e, INDEX_FILE)))
    if runs:
        return (
            f"{run_dir} is a session root holding {len(runs)} run dump(s); pass one run directory, e.g. "
            f"{os.path.join(run_dir, runs[0])}"
        )
    return f"{run_dir} holds no debug dump ({INDEX_FILE} is missing)"


def run_dirs(session_root: str) -> list:
    """The run directories under ``session_root``, oldest first."""
    if not os.path.isdir(session_root):
        return []
    found = [
        os.path.join(session_root, e)
        for e in os.listdir(session_root)
        if os.path.isfile(os.path.join(session_root, e, INDEX_FILE))
    ]
    return sorted(found, key=_run_sort_key)


def _run_sort_key(path: str) -> tuple:
    parts = os.path.basename(path).split("_")
    try:
        return (int(parts[1]), int(parts[2]))
    except (IndexError, ValueError):
        return (0, 0)
