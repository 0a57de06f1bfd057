"""The SavedModel directory format: file names, versions, the op sets, and JSON encodings of structures.

A SavedModel directory is the directory ``Model.export`` writes (``graph.json`` plus ``weights/*.npy``),
extended by a manifest, ``saved_model.json``. See docs/saved_model.md for the layout and versioning rule.
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import Any, Iterable

from ..models.export_graph import FORMAT_NAME, SUPPORTED_OPS  # noqa: F401  (FORMAT_NAME: the manifest says it too)

# The directory format: 1 is Model.export's directory (no manifest), 2 adds saved_model.json. A reader
# opens every version up to its own and refuses newer ones.
DIRECTORY_VERSION = 2
# The schema of graph files (graph.json and the other graphs): unchanged since Model.export, so that the
# Rust loader (which reads graph version 1) still serves graph.json.
GRAPH_VERSION = 1

MANIFEST_FILENAME = "saved_model.json"
GRAPH_FILENAME = "graph.json"
WEIGHTS_DIRECTORY = "weights"
ASSETS_DIRECTORY = "assets"
SIGNATURES_DIRECTORY = "signatures"
FUNCTIONS_DIRECTORY = "functions"
SERVING = "serve"
DEFAULT_SERVING_SIGNATURE_DEF_KEY = "serving_default"
PREDICT_METHOD_NAME = "tensorflow/serving/predict"

# Variable writes: restored functions that assign keep working; the Rust loader does not run them.
WRITE_OPS = frozenset(("assign", "assign_add", "assign_sub"))
# Ops the Python loader rebuilds besides placeholder and const: the Rust loader's plus variable writes.
PYTHON_OPS = SUPPORTED_OPS | WRITE_OPS
# Attributes whose JSON lists the native op wants as tuples.
TUPLE_LIST_ATTRS = {"strided_slice": "specs"}

_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
_RELATIVE = re.compile(r"^(graph\.json|(signatures|functions)/[A-Za-z0-9_][A-Za-z0-9_.\-]*\.json)$")
_ASSET = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\- ]*$")


def safe_key(key: Any, what: str) -> str:
    """A weight key or asset name that stays inside its directory (letters, digits, '_', '-', '.')."""
    if not isinstance(key, str) or not _KEY.match(key) or ".." in key:
        raise ValueError(f"bad {what} {key!r}: expected letters, digits, '_', '-' or '.', not starting with '.'")
    return key


def safe_graph_path(path: Any) -> str:
    """A graph file named by the manifest: graph.json, signatures/NAME.json or functions/NAME.json."""
    if not isinstance(path, str) or not _RELATIVE.match(path) or ".." in path:
        raise ValueError(f"bad graph file name {path!r}: expected graph.json, signatures/*.json or functions/*.json")
    return path


def safe_asset_name(name: Any) -> str:
    if not isinstance(name, str) or not _ASSET.match(name) or ".." in name:
        raise ValueError(f"bad asset file name {name!r}: expected a plain file name inside assets/")
    return name


def file_name_for(name: str, taken: set) -> str:
    """A file name (without extension) made from a function or signature name, unique among ``taken``."""
    base = re.sub(r"[^A-Za-z0-9_.-]", "_", name).strip(".") or "function"
    if not base[0].isalnum():
        base = "f" + base
    out, n = base, 1
    while out.lower() in taken:
        out, n = f"{base}_{n}", n + 1
    taken.add(out.lower())
    return out


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksums(root: str, relative_paths: Iterable[str]) -> dict:
    return {rel: sha256_of(os.path.join(root, *rel.split("/"))) for rel in sorted(relative_paths)}


# -- structures: the nesting of a function's arguments and results, with tensors as indices into its flat
# inputs or outputs. Encoded as {"tensor": i}, {"list": [...]}, {"tuple": [...]}, {"dict": [[key, value], ...]}
# or {"value": a JSON scalar} (a Python argument the trace was made for).


def encode_structure(value: Any, is_tensor: Any, leaves: list) -> Any:
    """``value`` as JSON; each leaf for which ``is_tensor`` holds is appended to ``leaves`` and encoded as its
    index there."""
    if is_tensor(value):
        leaves.append(value)
        return {"tensor": len(leaves) - 1}
    if isinstance(value, dict):
        return {"dict": [[k, encode_structure(value[k], is_tensor, leaves)] for k in sorted(value, key=str)]}
    if isinstance(value, (list, tuple)):
        kind = "list" if isinstance(value, list) else "tuple"
        return {kind: [encode_structure(v, is_tensor, leaves) for v in value]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"value": value}
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return {"value": value.item()}
    raise ValueError(f"a {type(value).__name__} value ({value!r}) cannot be saved in a SavedModel function signature")


def decode_structure(doc: Any, leaves: list, where: str) -> Any:
    """The structure ``doc`` encodes, its tensor indices replaced by ``leaves[i]``."""
    if not isinstance(doc, dict) or len(doc) != 1:
        raise ValueError(f"{where}: malformed structure {doc!r}")
    ((kind, body),) = doc.items()
    if kind == "tensor":
        if not isinstance(body, int) or isinstance(body, bool) or not 0 <= body < len(leaves):
            raise ValueError(f"{where}: tensor index {body!r} is out of range (there are {len(leaves)})")
        return leaves[body]
    if kind == "value":
        if body is not None and not isinstance(body, (bool, int, float, str)):
            raise ValueError(f"{where}: malformed value {body!r}")
        return body
    if kind in ("list", "tuple") and isinstance(body, list):
        items = [decode_structure(v, leaves, where) for v in body]
        return items if kind == "list" else tuple(items)
    if kind == "dict" and isinstance(body, list):
        out = {}
        for pair in body:
            if not isinstance(pair, list) or len(pair) != 2 or not isinstance(pair[0], (str, int)):
                raise ValueError(f"{where}: malformed dict entry {pair!r}")
            out[pair[0]] = decode_structure(pair[1], leaves, where)
        return out
    raise ValueError(f"{where}: malformed structure {doc!r}")


def dtype_display_name(dtype: str) -> str:
    """``float32`` -> ``DT_FLOAT``, as saved_model_cli prints dtypes."""
    special = {"float32": "DT_FLOAT", "float64": "DT_DOUBLE", "float16": "DT_HALF", "bool": "DT_BOOL"}
    return special.get(dtype, "DT_" + dtype.upper())
