"""The TF1 parts of a SavedModel directory, and writing one atomically.

Beside ferroflow's SavedModel files (``saved_model.json``, ``graph.json``, ``signatures/``, ``weights/``,
``assets/``; docs/saved_model.md) a directory ``Builder`` writes holds:

```
meta_graphs/meta_graph_N.meta   each meta graph (docs/meta_graph.md), with its tags, signatures and assets
variables/variables.ckpt        the variables, a checkpoint of prefix variables/variables (Saver's format)
```

and the manifest gains keys older readers ignore: ``meta_graphs`` (``[{"tags": [...], "file": ...}]``),
``variables_prefix``, ``session_files`` (the SHA-256 of those files), ``signature_methods`` (signature ->
method name) and ``unserved_signatures`` (signature -> why it has no SavedModel graph).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from typing import Any, Optional

import numpy as np

from ...errors import DataLossError, NotFoundError
from ...saved_model import _format as F

MAIN_OP_KEY = "saved_model_main_op"
LEGACY_INIT_OP_KEY = "legacy_init_op"
VARIABLES_DIRECTORY = "variables"
VARIABLES_PREFIX = "variables/variables"
META_GRAPHS_DIRECTORY = "meta_graphs"


def asset_path_of(graph: Any, tensor: Any) -> str:
    """The file name a string constant of ``graph`` holds (an asset file path tensor)."""
    node = getattr(tensor, "node", None)
    value = None if node is None or tensor.graph is not graph else graph._g.const_value(node)
    if value is None:
        raise ValueError(f"Asset filepath tensor {tensor} in is invalid: expected a string constant")
    from ...framework.tensor import EagerTensor

    data = np.asarray(EagerTensor(value).numpy()).reshape(-1)
    if data.size != 1 or not isinstance(data[0], (bytes, str)) or not data[0]:
        raise ValueError(f"Asset filepath tensor {tensor} in is invalid: expected one file name")
    return os.fsdecode(data[0])


def _files_under(root: str, folder: str) -> list:
    found = []
    base = os.path.join(root, folder)
    for dirpath, _, names in os.walk(base):
        for name in names:
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            found.append(rel.replace(os.sep, "/"))
    return sorted(found)


def write(export_dir: str, stage: str, meta_graphs: list, serving: Optional[dict], as_text: bool) -> None:
    """Writes the directory into a temporary sibling (the staged variables and assets, the meta graphs, the
    serving graphs and the manifest), then renames it into place."""
    from ...saved_model._save import _write_graph
    from .meta_graph_export import encode_file

    parent = os.path.dirname(os.path.abspath(export_dir))
    tmp = tempfile.mkdtemp(prefix=".saved_model-", dir=parent)
    try:
        shutil.copytree(stage, tmp, dirs_exist_ok=True)
        os.makedirs(os.path.join(tmp, META_GRAPHS_DIRECTORY))
        entries = []
        for i, (tags, doc) in enumerate(meta_graphs):
            rel = f"{META_GRAPHS_DIRECTORY}/meta_graph_{i}.meta"
            with open(os.path.join(tmp, *rel.split("/")), "wb") as f:
                f.write(encode_file(doc, as_text=as_text))
            entries.append({"tags": list(tags), "file": rel})
        serving = serving or {
            "graphs": {},
            "weights": {},
            "variables": [],
            "signatures": {},
            "methods": {},
            "unserved": {},
            "tags": meta_graphs[0][0] if meta_graphs else [F.SERVING],
        }
        files = []
        os.makedirs(os.path.join(tmp, F.WEIGHTS_DIRECTORY))
        for key, array in serving["weights"].items():
            np.save(os.path.join(tmp, F.WEIGHTS_DIRECTORY, key + ".npy"), array, allow_pickle=False)
            files.append(f"{F.WEIGHTS_DIRECTORY}/{key}.npy")
        for rel, doc in serving["graphs"].items():
            full = os.path.join(tmp, *rel.split("/"))
            os.makedirs(os.path.dirname(full), exist_ok=True)
            _write_graph(full, doc)
            files.append(rel)
        session_files = _files_under(tmp, META_GRAPHS_DIRECTORY) + _files_under(tmp, VARIABLES_DIRECTORY)
        manifest = {
            "format": F.FORMAT_NAME,
            "version": F.DIRECTORY_VERSION,
            "graph_version": F.GRAPH_VERSION,
            "tags": list(serving["tags"]),
            "object": "tf1_graph",
            "signatures": serving["signatures"],
            "functions": [],
            "variables": serving["variables"],
            "assets": [],
            "files": F.checksums(tmp, files + _files_under(tmp, F.ASSETS_DIRECTORY)),
            "meta_graphs": entries,
            "variables_prefix": VARIABLES_PREFIX,
            "session_files": F.checksums(tmp, session_files),
            "signature_methods": serving["methods"],
            "unserved_signatures": serving["unserved"],
        }
        with open(os.path.join(tmp, F.MANIFEST_FILENAME), "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=1)
            f.write("\n")
        _swap(tmp, export_dir, parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap(tmp: str, target: str, parent: str) -> None:
    if not os.path.exists(target) or os.path.isdir(target) and not os.listdir(target):
        os.replace(tmp, target)  # onto a missing or empty directory: one rename
        return
    old = tempfile.mkdtemp(prefix=".saved_model-old-", dir=parent)
    os.rmdir(old)
    os.rename(target, old)
    os.rename(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


def read_manifest(export_dir: str) -> dict:
    """The manifest of a directory ``Builder`` wrote, its TF1 files checked against their checksums.

    Raises:
        tf.errors.NotFoundError: no SavedModel there (an ``OSError``, as TensorFlow's IOError).
        tf.errors.DataLossError: a malformed manifest, or a changed or truncated file.
    """
    path = os.path.join(export_dir, F.MANIFEST_FILENAME)
    if not os.path.isfile(path):
        raise NotFoundError(f"SavedModel file does not exist at: {export_dir}{os.path.sep}{{{F.MANIFEST_FILENAME}}}")
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (ValueError, UnicodeDecodeError) as e:
        raise DataLossError(f"Cannot parse file {path}: {e}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != F.FORMAT_NAME:
        raise DataLossError(f"Cannot parse file {path}: not a ferroflow SavedModel manifest")
    metas = manifest.get("meta_graphs")
    if metas is None:
        raise RuntimeError(
            f"The SavedModel at {export_dir} holds no TF1 meta graph (it was written by tf.saved_model.save or "
            "Model.export): load it with tf.saved_model.load"
        )
    files = manifest.get("session_files")
    if not isinstance(metas, list) or not isinstance(files, dict):
        raise DataLossError(f"Cannot parse file {path}: malformed meta graph entries")
    for rel, digest in files.items():
        parts = str(rel).split("/")
        if parts[0] not in (META_GRAPHS_DIRECTORY, VARIABLES_DIRECTORY) or ".." in parts or len(parts) != 2:
            raise DataLossError(f"{path} lists a file outside the SavedModel: {rel!r}")
        full = os.path.join(export_dir, *parts)
        if not os.path.isfile(full):
            raise NotFoundError(f"SavedModel file {rel} does not exist at: {export_dir}")
        if F.sha256_of(full) != digest:
            raise DataLossError(f"{full} does not match its checksum in {F.MANIFEST_FILENAME}: changed or truncated")
    for entry in metas:
        ok = isinstance(entry, dict) and isinstance(entry.get("tags"), list) and entry.get("file") in files
        if not ok:
            raise DataLossError(f"Cannot parse file {path}: malformed meta graph entry {str(entry)[:80]}")
    return manifest
