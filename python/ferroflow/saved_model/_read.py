"""Reading a SavedModel directory without running anything from it: JSON and ``.npy`` files only (no pickle),
every file checked against the manifest's checksums, every graph against the schema.

Errors are ``tf.errors`` types: ``NotFoundError`` (an ``OSError``) for a missing directory, file or an op this
ferroflow does not know, ``DataLossError`` for a truncated, changed or malformed file, and
``InvalidArgumentError`` for a directory newer than this reader.
"""

from __future__ import annotations

import json
import os
from typing import Any, Optional

import numpy as np

from ..errors import DataLossError, InvalidArgumentError, NotFoundError
from ..framework.dtypes import as_dtype
from . import _format as F
from ._schema import _check, _check_dtype, _check_shape, _is_int, check_graph


def _load_json(path: str, rel: str) -> Any:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise NotFoundError(f"SavedModel file {rel} does not exist at: {os.path.dirname(path)}") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise DataLossError(f"{path} is not valid JSON (truncated or changed?): {e}") from None


class SavedDirectory:
    """An opened SavedModel directory: its manifest (made up for a ``Model.export`` directory), checked files."""

    def __init__(self, path: str) -> None:
        self.path = path
        manifest_path = os.path.join(path, F.MANIFEST_FILENAME)
        if not os.path.isdir(path):
            raise NotFoundError(
                f"SavedModel file does not exist at: {path}/{{{F.MANIFEST_FILENAME}|{F.GRAPH_FILENAME}}}"
            )
        self._graphs: dict = {}
        if os.path.isfile(manifest_path):
            self.manifest = self._checked_manifest(_load_json(manifest_path, F.MANIFEST_FILENAME))
            self._verify_files()
        elif os.path.isfile(os.path.join(path, F.GRAPH_FILENAME)):
            self.manifest = self._export_manifest()
        else:
            raise NotFoundError(
                f"SavedModel file does not exist at: {path}/{{{F.MANIFEST_FILENAME}|{F.GRAPH_FILENAME}}}"
            )
        self.version = self.manifest["version"]
        self.signatures: dict = self.manifest["signatures"]
        self.variables: list = self.manifest["variables"]
        self.tags: list = self.manifest.get("tags", [F.SERVING])

    def _checked_manifest(self, m: Any) -> dict:
        where = os.path.join(self.path, F.MANIFEST_FILENAME)
        _check(isinstance(m, dict), where, "expected a JSON object")
        _check(m.get("format") == F.FORMAT_NAME, where, f"format {m.get('format')!r}, expected {F.FORMAT_NAME!r}")
        version = m.get("version")
        _check(_is_int(version) and version >= 1, where, f"malformed version {version!r}")
        if version > F.DIRECTORY_VERSION:
            raise InvalidArgumentError(
                f"{where} has format version {version}; this ferroflow reads SavedModel versions 1 to "
                f"{F.DIRECTORY_VERSION}: save the model again with a matching ferroflow, or update ferroflow"
            )
        for key, kind in (
            ("signatures", dict),
            ("functions", list),
            ("variables", list),
            ("assets", list),
            ("files", dict),
            ("tags", list),
        ):
            m.setdefault(key, kind())
            _check(isinstance(m[key], kind), where, f"'{key}' must be a {'JSON object' if kind is dict else 'list'}")
        try:
            for rel in m["signatures"].values():
                F.safe_graph_path(rel)
            for entry in m["variables"]:
                _check(isinstance(entry, dict), where, "malformed variable entry")
                F.safe_key(entry.get("key"), "weight name")
                _check_dtype(entry.get("dtype"), where)
                _check_shape(entry.get("shape"), where)
            for entry in m["assets"]:
                _check(isinstance(entry, dict), where, "malformed asset entry")
                F.safe_asset_name(entry.get("file"))
        except ValueError as e:
            if isinstance(e, DataLossError):
                raise
            raise DataLossError(f"{where}: {e}") from None
        return m

    def _verify_files(self) -> None:
        for rel, digest in self.manifest["files"].items():
            _check(_inside(rel), F.MANIFEST_FILENAME, f"lists a file outside the SavedModel: {rel!r}")
            full = os.path.join(self.path, *rel.split("/"))
            if not os.path.isfile(full):
                raise NotFoundError(f"SavedModel file {rel} does not exist at: {self.path}")
            if F.sha256_of(full) != digest:
                raise DataLossError(
                    f"{full} does not match its checksum in {F.MANIFEST_FILENAME}: the file was changed or truncated "
                    "after saving"
                )

    def _export_manifest(self) -> dict:
        """What a directory written by ``Model.export`` (directory version 1) holds: one serving signature;
        each weight a const node marks as a variable becomes a variable."""
        doc = self.graph(F.GRAPH_FILENAME)
        variables, seen = [], set()
        for node in doc["nodes"]:
            attrs = node["attrs"]
            if node["op"] == "const" and "variable" in attrs and attrs["weight"] not in seen:
                seen.add(attrs["weight"])
                variables.append(
                    {
                        "key": attrs["weight"],
                        "name": str(attrs["variable"]),
                        "trainable": True,
                        "path": None,
                        "dtype": node["dtype"],
                        "shape": node["shape"],
                    }
                )
        return {
            "format": F.FORMAT_NAME,
            "version": 1,
            "tags": [F.SERVING],
            "object": "graph",
            "signatures": {F.DEFAULT_SERVING_SIGNATURE_DEF_KEY: F.GRAPH_FILENAME},
            "functions": [_serve_function(doc)],
            "variables": variables,
            "assets": [],
            "files": {},
        }

    def _listed(self, rel: str) -> None:
        if self.manifest.get("files") and rel not in self.manifest["files"]:
            raise DataLossError(f"{F.MANIFEST_FILENAME} refers to {rel}, which its file list does not hold")

    def graph(self, rel: str) -> dict:
        if rel not in self._graphs:
            try:
                F.safe_graph_path(rel)
            except ValueError as e:
                raise DataLossError(f"{F.MANIFEST_FILENAME}: {e}") from None
            if hasattr(self, "manifest"):
                self._listed(rel)
            full = os.path.join(self.path, *rel.split("/"))
            self._graphs[rel] = check_graph(_load_json(full, rel), full)
        return self._graphs[rel]

    def read_weight(self, key: str, dtype: Optional[str] = None, shape: Any = None) -> np.ndarray:
        rel = f"{F.WEIGHTS_DIRECTORY}/{F.safe_key(key, 'weight name')}.npy"
        self._listed(rel)
        full = os.path.join(self.path, F.WEIGHTS_DIRECTORY, key + ".npy")
        try:
            array = np.load(full, allow_pickle=False)
        except FileNotFoundError:
            raise NotFoundError(f"SavedModel file {rel} does not exist at: {self.path}") from None
        except (ValueError, OSError, EOFError) as e:
            raise DataLossError(f"{full} is not a readable .npy file (truncated or changed?): {e}") from None
        if not isinstance(array, np.ndarray) or array.dtype.hasobject:
            raise DataLossError(f"{full} does not hold a plain numeric array")
        if dtype is not None and str(array.dtype) != ("bool" if dtype == "bool" else as_dtype(dtype).name):
            raise DataLossError(f"{full} holds {array.dtype} values, but the SavedModel declares {dtype}")
        if shape is not None and (
            len(shape) != array.ndim or any(d is not None and d != a for d, a in zip(shape, array.shape))
        ):
            raise DataLossError(
                f"{full} holds values of shape {array.shape}, but the SavedModel declares {tuple(shape)}"
            )
        return array

    def read_variable_value(self, entry: dict) -> np.ndarray:
        return self.read_weight(entry["key"], entry.get("dtype"), entry.get("shape"))

    def asset_file(self, name: str) -> str:
        rel = f"{F.ASSETS_DIRECTORY}/{F.safe_asset_name(name)}"
        self._listed(rel)
        return os.path.join(os.path.abspath(self.path), F.ASSETS_DIRECTORY, name)


def _serve_function(doc: dict) -> dict:
    """The ``serve`` function of a ``Model.export`` directory (Keras's endpoint): the graph, taking and returning
    the model's structures (recorded in graph.json; a tensor or a list of them in an older export)."""
    structure = doc.get("structure")
    if not isinstance(structure, dict):
        structure = {}

    def flat(n: int) -> dict:
        tensors = [{"tensor": i} for i in range(n)]
        return tensors[0] if n == 1 else {"list": tensors}

    args = structure.get("inputs", flat(len(doc["inputs"])))
    outputs = structure.get("outputs", flat(len(doc["outputs"])))
    trace = {"graph": F.GRAPH_FILENAME, "args": [args], "kwargs": {}, "outputs": outputs}
    return {"path": ["serve"], "params": ["args_0"], "traces": [trace]}


def _inside(rel: Any) -> bool:
    """Whether a file the manifest lists is one a SavedModel holds (a graph, a weight or an asset)."""
    if not isinstance(rel, str):
        return False
    parts = rel.split("/")
    try:
        if parts[0] == F.WEIGHTS_DIRECTORY and len(parts) == 2 and parts[1].endswith(".npy"):
            return F.safe_key(parts[1][:-4], "weight name") is not None
        if parts[0] == F.ASSETS_DIRECTORY and len(parts) == 2:
            return F.safe_asset_name(parts[1]) is not None
        return F.safe_graph_path(rel) == rel
    except ValueError:
        return False


def read_directory(path: Any) -> SavedDirectory:
    return SavedDirectory(os.fsdecode(path))  # a str, bytes (as Estimator.export_saved_model returns) or path object
