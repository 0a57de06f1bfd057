"""``tf.saved_model.load``: the object a SavedModel directory describes, rebuilt from JSON and ``.npy`` files."""

from __future__ import annotations

import os
import warnings
from typing import Any, Optional

from ..errors import DataLossError
from ..framework.variables import Variable
from . import _format as F
from ._objects import Asset, LoadOptions
from ._read import SavedDirectory, read_directory
from ._rebuild import rebuild
from ._restored import RestoredFunction, SignatureFunction, _Leaf, _SignatureMap, _UserObject


def contains_saved_model(export_dir: Any) -> bool:
    """Whether ``export_dir`` is a directory holding a SavedModel (or a ``Model.export`` directory)."""
    path = os.fspath(export_dir)
    return any(os.path.isfile(os.path.join(path, name)) for name in (F.MANIFEST_FILENAME, F.GRAPH_FILENAME))


def _check_tags(saved: SavedDirectory, tags: Any) -> None:
    if tags is None:
        return
    wanted = {tags} if isinstance(tags, str) else set(tags)
    if wanted != set(saved.tags):
        raise RuntimeError(
            f"MetaGraphDef associated with tags {sorted(wanted)} could not be found in SavedModel, with available "
            f"tags '{[sorted(saved.tags)]}'. To inspect available tag-sets in the SavedModel, please use the "
            "SavedModel CLI: `ferroflow-saved-model`."
        )


def _check_path(path: Any, where: str) -> list:
    ok = (
        isinstance(path, list)
        and path
        and all(
            isinstance(s, str)
            and s.isidentifier()
            and (not s.startswith("__") or s == "__call__")
            or isinstance(s, int)
            and not isinstance(s, bool)
            and 0 <= s < 1_000_000
            or isinstance(s, dict)
            and set(s) == {"key"}
            and isinstance(s["key"], (str, int))
            for s in path
        )
    )
    if not ok:
        raise DataLossError(f"{F.MANIFEST_FILENAME}: malformed attribute path {path!r} ({where})")
    return path


def _set_path(root: _UserObject, path: list, value: Any) -> None:
    """Places ``value`` at ``path`` under ``root``, making the objects, lists and dicts on the way."""
    holder: Any = root
    for seg, nxt in zip(path, path[1:] + [None]):
        kind = _UserObject if isinstance(seg, str) else list if isinstance(seg, int) else dict
        if not isinstance(holder, kind):
            raise DataLossError(f"{F.MANIFEST_FILENAME}: attribute path {path!r} passes through conflicting kinds")
        fresh = [] if isinstance(nxt, int) else {} if isinstance(nxt, dict) else _UserObject()
        if isinstance(seg, str):
            if seg == "__call__" and nxt is None:
                holder._restored_call = value  # Python looks __call__ up on the class: see _UserObject
                return
            if seg in dir(type(holder)):
                warnings.warn(
                    f"SavedModel attribute '{seg}' clashes with a property of the loaded object; not set", stacklevel=2
                )
                return
            if nxt is None or seg not in vars(holder):
                setattr(holder, seg, value if nxt is None else fresh)
            holder = getattr(holder, seg)
        elif isinstance(seg, int):
            holder.extend([None] * (seg + 1 - len(holder)))
            if nxt is None or holder[seg] is None:
                holder[seg] = value if nxt is None else fresh
            holder = holder[seg]
        else:
            if nxt is None or seg["key"] not in holder:
                holder[seg["key"]] = value if nxt is None else fresh
            holder = holder[seg["key"]]


def _restore_function(saved: SavedDirectory, entry: Any, variables: dict) -> tuple:
    from ._format import decode_structure

    where = f"{F.MANIFEST_FILENAME}: function entry"
    if not isinstance(entry, dict) or not isinstance(entry.get("traces"), list):
        raise DataLossError(f"{where}: malformed {entry!r}")
    path = _check_path(entry.get("path"), "function")
    params = entry.get("params", [])
    if not isinstance(params, list) or not all(isinstance(p, str) for p in params):
        raise DataLossError(f"{where}: malformed params {params!r}")
    name = str(path[-1]) if not isinstance(path[-1], dict) else str(path[-1]["key"])
    traces = []
    for t in entry["traces"]:
        if not isinstance(t, dict) or not isinstance(t.get("args"), list) or not isinstance(t.get("kwargs"), dict):
            raise DataLossError(f"{where} '{name}': malformed trace {t!r}")
        fn, specs, outs = rebuild(saved.graph(t.get("graph")), t.get("graph"), saved, variables, name)
        leaves = [_Leaf(i, s) for i, s in enumerate(specs)]
        try:
            args = [decode_structure(d, leaves, name) for d in t["args"]]
            kwargs = {k: decode_structure(d, leaves, name) for k, d in t["kwargs"].items()}
            decode_structure(t.get("outputs"), list(range(len(outs))), name)
        except ValueError as e:
            raise DataLossError(f"{where} '{name}': {e}") from None
        used = sorted(leaf.index for leaf in _flat_leaves([args, kwargs]))
        if used != list(range(len(specs))):
            raise DataLossError(f"{where} '{name}': the arguments do not match the graph's {len(specs)} inputs")

        def build_outputs(results: list, doc: Any = t["outputs"]) -> Any:
            return decode_structure(doc, list(results), name)

        traces.append((args, kwargs, fn, build_outputs))
    return path, RestoredFunction(name, params, traces)


def _flat_leaves(value: Any) -> list:
    if isinstance(value, _Leaf):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [leaf for v in value for leaf in _flat_leaves(v)]
    return []


def load(export_dir: Any, tags: Any = None, options: Optional[LoadOptions] = None) -> Any:
    """Loads a SavedModel written by ``tf.saved_model.save`` (or ``Model.export``): the returned object has
    ``signatures`` (name -> function returning a dict of named outputs), its restored ``tf.function``s,
    variables and assets; ``variables`` and ``trainable_variables`` list the restored variables."""
    if options is not None and not isinstance(options, LoadOptions):
        raise TypeError(f"options must be a tf.saved_model.LoadOptions, received {type(options).__name__}")
    saved = read_directory(export_dir)
    _check_tags(saved, tags)
    root = _UserObject()
    variables: dict = {}
    unplaced = []
    for entry in saved.variables:
        name = str(entry.get("name", entry["key"]))
        var = Variable(
            saved.read_variable_value(entry),
            name=name[:-2] if name.endswith(":0") else name,
            trainable=bool(entry.get("trainable", True)),
        )
        if not name.endswith(":0"):
            var._name_suffix = ""  # saved from a Keras weight: its name as it was
        variables[entry["key"]] = var
        if entry.get("path") is None:
            unplaced.append(var)
        else:
            _set_path(root, _check_path(entry["path"], "variable"), var)
    if unplaced:
        root._saved_variables = unplaced
    signatures = {}
    for name, rel in saved.signatures.items():
        fn, specs, outs = rebuild(saved.graph(rel), rel, saved, variables, name)
        signatures[name] = SignatureFunction(name, fn, specs, outs)
    root.signatures = _SignatureMap(signatures)
    for entry in saved.manifest["functions"]:
        path, fn = _restore_function(saved, entry, variables)
        _set_path(root, path, fn)
    for entry in saved.manifest["assets"]:
        _set_path(root, _check_path(entry.get("path"), "asset"), Asset(saved.asset_file(entry["file"])))
    return root
