"""The JSON and npz members of ferroflow's zip archives (model, weights and checkpoint files): writing and reading."""

from __future__ import annotations

import io
import json
import os
import zipfile
import zlib
from typing import Any, Dict, List, Sequence, Tuple

import numpy as np

from ._atomic import atomic_write

NamedArrays = List[Tuple[str, np.ndarray]]

# What reading a truncated or corrupt zip member raises.
CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, OSError)


def dump_json(obj: Any, what: str) -> bytes:
    try:
        return json.dumps(obj, indent=2).encode("utf-8")
    except (TypeError, ValueError) as e:
        raise TypeError(f"The {what} to save is not JSON-serializable: {e}") from e


def encode_arrays(pairs: Sequence[Tuple[str, Any]], npz_name: str, index_name: str, what: str) -> Dict[str, bytes]:
    arrays, index = [], []
    for i, pair in enumerate(pairs):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and isinstance(pair[0], str)):
            raise ValueError(f"{what} entry {i} must be a (name, array) pair, got {pair!r:.80}")
        name, value = pair
        array = np.asarray(value)
        dtype_name = array.dtype.str
        if array.dtype.name == "bfloat16":  # NumPy has no bfloat16 (.npy would say '<V2'): store the bits
            array, dtype_name = array.view(np.uint16), "bfloat16"
        if array.dtype.kind not in "biufc":
            raise TypeError(
                f"{what} entry {i} ({name!r}) has dtype {array.dtype}; only numeric and "
                "boolean arrays can be saved (no pickle)"
            )
        arrays.append(array)
        index.append({"name": name, "shape": list(array.shape), "dtype": dtype_name})
    buffer = io.BytesIO()
    np.savez(buffer, *arrays)
    return {npz_name: buffer.getvalue(), index_name: dump_json({"arrays": index}, what)}


def write_zip(path: str | os.PathLike, members: Dict[str, bytes]) -> None:
    with atomic_write(path) as f:
        with zipfile.ZipFile(f, "w") as zf:
            for member, data in members.items():
                # npz/HDF5 data is binary and barely compressible: store it; deflate the JSON.
                method = zipfile.ZIP_STORED if member.endswith((".npz", ".h5")) else zipfile.ZIP_DEFLATED
                zf.writestr(member, data, compress_type=method)


def open_zip(path: str | os.PathLike) -> zipfile.ZipFile:
    name = os.fspath(path)
    if not os.path.exists(name):
        raise FileNotFoundError(2, "No such file", name)
    try:
        return zipfile.ZipFile(name, "r")
    except IsADirectoryError:
        raise
    except CORRUPT as e:
        raise ValueError(f"{name}: not a ferroflow archive: not a zip file, or truncated ({e})") from e


def read_member(zf: zipfile.ZipFile, member: str, name: str) -> bytes:
    try:
        return zf.read(member)
    except KeyError:
        raise ValueError(f"{name}: corrupt archive: member {member!r} is missing") from None
    except CORRUPT as e:
        raise ValueError(f"{name}: corrupt archive: cannot read {member!r} ({e})") from e


def read_json(zf: zipfile.ZipFile, member: str, name: str) -> Any:
    data = read_member(zf, member, name)
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise ValueError(f"{name}: corrupt archive: {member} is not valid JSON ({e})") from e


def read_arrays(zf: zipfile.ZipFile, npz_member: str, index_member: str, name: str) -> NamedArrays:
    index = read_json(zf, index_member, name)
    entries = index.get("arrays") if isinstance(index, dict) else None
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("name"), str) for e in entries
    ):
        raise ValueError(f"{name}: corrupt archive: {index_member} has no valid 'arrays' list")
    data = read_member(zf, npz_member, name)
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            files = set(npz.files)
            expected = {f"arr_{i}" for i in range(len(entries))}
            if files != expected:
                raise ValueError(
                    f"{name}: corrupt archive: {npz_member} holds {len(files)} arrays, "
                    f"{index_member} lists {len(entries)}"
                )
            arrays = [npz[f"arr_{i}"] for i in range(len(entries))]
    except CORRUPT as e:
        raise ValueError(f"{name}: corrupt archive: cannot read {npz_member} ({e})") from e
    except ValueError as e:
        if str(e).startswith(name):
            raise
        raise ValueError(f"{name}: corrupt archive: cannot read {npz_member} ({e})") from e
    out = []
    for entry, array in zip(entries, arrays):
        stored = "bfloat16" if array.dtype == np.uint16 and entry.get("dtype") == "bfloat16" else array.dtype.str
        if list(array.shape) != entry.get("shape") or stored != entry.get("dtype"):
            raise ValueError(
                f"{name}: corrupt archive: array {entry['name']!r} has shape {array.shape} and "
                f"dtype {array.dtype}, {index_member} says {entry.get('shape')} "
                f"{entry.get('dtype')}"
            )
        if stored == "bfloat16":
            from ..framework.dtypes import bfloat16

            array = array.view(bfloat16.as_numpy_dtype)
        out.append((entry["name"], array))
    return out
