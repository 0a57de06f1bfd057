"""The on-disk formats of ``model.save("m.keras")`` and ``model.save_weights("w.weights.npz")``.

A model archive is a zip file (no pickle anywhere) holding:

* ``metadata.json``: ``format`` ("ferroflow.keras"), ``format_version``, ``date_saved`` and
  what the caller adds (such as ``ferroflow_version``, ``keras_version``);
* ``config.json``: the model's config dict (format_version 1), or, in format_version 2, Keras 3's
  config of the model, with ferroflow's own in ``ferroflow_config.json``;
* ``model.weights.npz`` + ``weights.json``: the weights, in order, saved with ``np.savez`` as
  ``arr_0`` ... ``arr_N``; the JSON index lists each one's name, shape and dtype;
* optionally ``optimizer.npz`` + ``optimizer.json``: the optimizer's state, the same way;
* optionally ``layer_state.npz`` + ``layer_state.json`` and ``assets/...``: the state of stateful layers
  (vocabularies, adapted statistics; ``saving/layer_state_own.py``); in format_version 2, Keras's
  ``assets/...`` members and ``model.weights.h5`` hold it instead;
* format_version 2 only: ``model.weights.h5``, the weights (and the optimizer's state, when it maps onto
  Keras's) in Keras 3's HDF5 layout, so that Keras 3 opens the file too (written by the caller). The
  weights are then held there only: no ``model.weights.npz``, and ``optimizer.npz`` only for an optimizer
  state the HDF5 file does not hold. (Version-2 files written before held both; their npz members are
  read as before.)

A weights file (``.weights.npz``; ``.weights.h5`` files written before HDF5 support hold it too) is
the same zip with ``format`` "ferroflow.weights", ``format_version`` 1 and no config or optimizer
members.

Writes are atomic (temporary sibling file, fsync, ``os.replace``): a failed or interrupted save
leaves any previous file intact. Reads raise ``FileNotFoundError`` for a missing file and
``ValueError`` naming the file and the problem for a truncated or corrupt one.
"""

from __future__ import annotations

import datetime
import os
import zipfile
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Sequence, Tuple

from ._zip_members import NamedArrays
from ._zip_members import dump_json as _dump_json
from ._zip_members import encode_arrays as _encode_arrays
from ._zip_members import open_zip as _open_zip
from ._zip_members import read_arrays as _read_arrays
from ._zip_members import read_json as _read_json
from ._zip_members import read_member as _read_member
from ._zip_members import write_zip as _write_zip

__all__ = [
    "FORMAT_VERSION",
    "MODEL_FORMAT",
    "WEIGHTS_FORMAT",
    "ModelArchive",
    "read_model_archive",
    "read_weights_file",
    "write_model_archive",
    "write_weights_file",
]

MODEL_FORMAT = "ferroflow.keras"
WEIGHTS_FORMAT = "ferroflow.weights"
FORMAT_VERSION = 2  # the newest version read; 1 is written unless Keras 3 members are added

_METADATA = "metadata.json"
_CONFIG = "config.json"
_OWN_CONFIG = "ferroflow_config.json"  # format_version 2: config.json is then Keras 3's
_WEIGHTS = ("model.weights.npz", "weights.json")
_OPTIMIZER = ("optimizer.npz", "optimizer.json")
_KERAS_WEIGHTS = "model.weights.h5"  # format_version 2


@dataclass
class ModelArchive:
    """The contents of a model archive, as returned by :func:`read_model_archive`."""

    config: Dict[str, Any]
    weights: Optional[NamedArrays]  # None: they are in ``keras_weights`` only
    optimizer_state: Optional[NamedArrays] = None
    metadata: Dict[str, Any] = field(default_factory=dict)
    keras_weights: Optional[bytes] = None  # format_version 2: the ``model.weights.h5`` member


def write_model_archive(
    path: str | os.PathLike,
    config: Dict[str, Any],
    weights: Optional[Sequence[Tuple[str, Any]]],
    optimizer_state: Optional[Sequence[Tuple[str, Any]]] = None,
    metadata: Optional[Dict[str, Any]] = None,
    keras_members: Optional[Dict[str, bytes]] = None,
    extra_members: Optional[Dict[str, bytes]] = None,
) -> None:
    """Atomically write a model archive (see the module docstring) to ``path``.

    Args:
        path: the file to write, normally ending in ``.keras``.
        config: the model's config; must be JSON-serializable.
        weights: ordered ``(name, array)`` pairs; arrays of numbers or booleans. ``None`` when
            ``keras_members`` holds them (``model.weights.h5``): they are written once, there.
        optimizer_state: ordered ``(name, array)`` pairs, or ``None`` to save no optimizer.
        metadata: extra entries for ``metadata.json`` (e.g. ``{"ferroflow_version": "0.1.0"}``).
        keras_members: Keras 3's ``config.json`` and ``model.weights.h5`` (bytes): written too, as
            format_version 2, with ferroflow's config moved to ``ferroflow_config.json``.
        extra_members: other members written as they are (the layers' state, ``saving/layer_state_own.py``).

    Raises:
        TypeError: ``config`` is not JSON-serializable or an array holds Python objects.
        ValueError: a weight is not a ``(name, array)`` pair, or ``weights`` is None without Keras's
            ``model.weights.h5``.
    """
    if weights is None and _KERAS_WEIGHTS not in (keras_members or {}):
        raise ValueError("weights=None needs keras_members holding model.weights.h5, where the weights are")
    version = 2 if keras_members else 1
    members = {
        _METADATA: _dump_json(_metadata(MODEL_FORMAT, metadata, version), "metadata"),
        (_OWN_CONFIG if keras_members else _CONFIG): _dump_json(config, "config"),
    }
    members.update(keras_members or {})
    members.update(extra_members or {})
    if weights is not None:
        members.update(_encode_arrays(weights, *_WEIGHTS, what="weights"))
    if optimizer_state is not None:
        members.update(_encode_arrays(optimizer_state, *_OPTIMIZER, what="optimizer state"))
    _write_zip(path, members)


def read_model_archive(path: str | os.PathLike) -> ModelArchive:
    """Read a model archive written by :func:`write_model_archive`.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: the file is not a readable archive of this format (the message names the
            file and the problem: not a zip, a missing member, bad JSON, a wrong format ...).
    """
    name = os.fspath(path)
    with _open_zip(path) as zf:
        metadata = _read_metadata(zf, name, MODEL_FORMAT)
        member = _OWN_CONFIG if metadata["format_version"] >= 2 else _CONFIG
        config = _read_json(zf, member, name)
        if not isinstance(config, dict):
            raise ValueError(f"{name}: {member} holds a {type(config).__name__}, not an object")
        names = set(zf.namelist())
        weights, keras_weights = None, None
        if metadata["format_version"] >= 2 and _KERAS_WEIGHTS in names:
            keras_weights = _read_member(zf, _KERAS_WEIGHTS, name)
        if keras_weights is None or _WEIGHTS[0] in names or _WEIGHTS[1] in names:
            weights = _read_arrays(zf, *_WEIGHTS, name)  # version 1, or a version 2 of the earlier layout
        optimizer = None
        if _OPTIMIZER[0] in names or _OPTIMIZER[1] in names:
            optimizer = _read_arrays(zf, *_OPTIMIZER, name)
    return ModelArchive(
        config=config,
        weights=weights,
        optimizer_state=optimizer,
        metadata=metadata,
        keras_weights=keras_weights,
    )


def write_weights_file(
    path: str | os.PathLike,
    weights: Sequence[Tuple[str, Any]],
    metadata: Optional[Dict[str, Any]] = None,
) -> None:
    """Atomically write ``(name, array)`` pairs to a weights file in ferroflow's npz-in-zip format.

    ``model.save_weights`` uses it for ``.weights.npz`` files (``.weights.h5`` ones are HDF5).
    """
    members = {_METADATA: _dump_json(_metadata(WEIGHTS_FORMAT, metadata, 1), "metadata")}
    members.update(_encode_arrays(weights, *_WEIGHTS, what="weights"))
    _write_zip(path, members)


def read_weights_file(path: str | os.PathLike) -> NamedArrays:
    """Read the ``(name, array)`` pairs of a weights file written by :func:`write_weights_file`.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: the file is truncated, corrupt or not a ferroflow weights file.
    """
    name = os.fspath(path)
    with _open_zip(path) as zf:
        _read_metadata(zf, name, WEIGHTS_FORMAT)
        return _read_arrays(zf, *_WEIGHTS, name)


# -- writing ---------------------------------------------------------------------------------


def _metadata(fmt: str, extra: Optional[Dict[str, Any]], version: int = 1) -> Dict[str, Any]:
    meta = dict(extra or {})
    meta.setdefault("date_saved", datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"))
    meta.update(format=fmt, format_version=version)
    return meta


def _read_metadata(zf: zipfile.ZipFile, name: str, expected: str) -> Dict[str, Any]:
    meta = _read_json(zf, _METADATA, name)
    fmt = meta.get("format") if isinstance(meta, dict) else None
    if fmt != expected:
        hint = " (a Keras-written file?)" if isinstance(meta, dict) and "keras_version" in meta else ""
        raise ValueError(f"{name}: format is {fmt!r}, expected {expected!r}{hint}")
    version = meta.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise ValueError(
            f"{name}: unsupported format_version {version!r} (this ferroflow reads versions "
            f"1 to {FORMAT_VERSION}; a newer ferroflow may have written the file)"
        )
    return meta
