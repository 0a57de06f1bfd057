"""``tf.saved_model.save``: signatures, ``tf.function`` traces, variables and assets into one directory."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from typing import Any, Optional

import numpy as np

from ..errors import NotFoundError
from . import _format as F
from ._collect import collect, is_keras_model, parameter_names, resolve_signatures, traces_of
from ._keras import keras_section, serving_signature
from ._objects import SaveOptions
from ._trace import Shared, check_signature_arguments, record, saved_trace, write


def dotted(path: list) -> str:
    """``["layers", 0, "w"]`` -> ``layers[0].w``: how paths read in messages and file names."""
    out = ""
    for seg in path:
        if isinstance(seg, int):
            out += f"[{seg}]"
        elif isinstance(seg, dict):
            out += f"[{seg['key']!r}]"
        else:
            out += ("." if out else "") + seg
    return out


def save(obj: Any, export_dir: Any, signatures: Any = None, options: Optional[SaveOptions] = None) -> None:
    """Writes ``obj`` (a Keras model or a ``tf.Module``) to the directory ``export_dir``: its signatures, the
    traces of its ``tf.function``s, its variables (exact values) and its assets. See docs/saved_model.md."""
    if options is not None and not isinstance(options, SaveOptions):
        raise TypeError(f"options must be a tf.saved_model.SaveOptions, received {type(options).__name__}")
    target = os.fspath(export_dir)
    found = collect(obj)
    shared = Shared()
    keras = is_keras_model(obj)
    # The object's functions are traced for saving first (each signature not traced at an earlier save), then
    # the signatures, which reuse those traces: the order in which TensorFlow runs their Python bodies.
    function_traces = []
    for path, fn in found.functions:
        what = f"function '{dotted(path)}'"
        function_traces.append((path, fn, what, [saved_trace(fn, a, k, what) for a, k in traces_of(fn)]))
    sig_list = resolve_signatures(obj, signatures, found)
    if keras and signatures is None:
        fn, args, kwargs, _ = serving_signature(obj)
        sig_list = [(F.DEFAULT_SERVING_SIGNATURE_DEF_KEY, None, fn, args, kwargs)]
    graphs: dict = {}
    manifest_sigs: dict = {}
    taken: set = set()
    for name, function, fn, args, kwargs in sig_list:
        # A signature of a tf.function shares that function's traces for saving; another is traced here.
        what = f"signature '{name}'"
        check_signature_arguments(args, kwargs, what)
        if function is None:
            recorded = record(fn, args, kwargs, what)
        else:
            recorded = saved_trace(function, args, kwargs, what)
        traced = write(recorded, what, shared, signature=True)
        if name == F.DEFAULT_SERVING_SIGNATURE_DEF_KEY:
            rel = F.GRAPH_FILENAME  # the Rust loader serves graph.json
        else:
            rel = f"{F.SIGNATURES_DIRECTORY}/{F.file_name_for(name, taken)}.json"
        graphs[rel] = traced["graph"]
        manifest_sigs[name] = rel
    functions = []
    taken = set()
    for path, fn, what, recorded_traces in function_traces:
        traces = []
        written: set = set()
        for recorded in recorded_traces:
            if id(recorded) in written:  # a trace that accepts several signatures is written once
                continue
            written.add(id(recorded))
            traced = write(recorded, what, shared, signature=False)
            rel = f"{F.FUNCTIONS_DIRECTORY}/{F.file_name_for(dotted(path), taken)}.json"
            graphs[rel] = traced["graph"]
            traces.append(
                {"graph": rel, "args": traced["args"], "kwargs": traced["kwargs"], "outputs": traced["outputs"]}
            )
        if traces:
            functions.append({"path": path, "params": parameter_names(fn.python_function), "traces": traces})
    variables = _variable_table(found, shared, keras, obj)
    for key, array in shared.weights.items():
        if array.dtype.hasobject:
            raise ValueError(
                f"Cannot save '{key}' in a SavedModel: string tensors (constants or variables) cannot be saved yet"
            )
    manifest = {
        "format": F.FORMAT_NAME,
        "version": F.DIRECTORY_VERSION,
        "graph_version": F.GRAPH_VERSION,
        "tags": [F.SERVING] + [t for t in (options.extra_tags if options else []) if t != F.SERVING],
        "object": "keras" if keras else "module",
        "signatures": manifest_sigs,
        "functions": functions,
        "variables": variables,
        "assets": [],
    }
    if keras:
        section = keras_section(obj)
        if section is not None:
            manifest["keras"] = section
    _write(target, manifest, graphs, shared.weights, found.assets)


def _variable_table(found: Any, shared: Shared, keras: bool, obj: Any) -> list:
    """One entry per variable: the object's (in its order: ``model.weights`` for Keras), then those the
    graphs read but the object does not hold."""
    from ..models.export_graph import variable_attrs

    table = []
    listed: set = set()
    pairs = [(None, v) for v in obj.weights] if keras else found.variables
    for path, var in pairs:
        key = variable_attrs(var._v, shared.weights, shared.var_keys)["weight"]
        listed.add(var._v.id)
        table.append({"key": key, "name": var.name, "trainable": bool(var.trainable), "path": path})
    for var_id, key in shared.var_keys.items():
        if var_id not in listed:
            table.append({"key": key, "name": key, "trainable": True, "path": None})
    for entry in table:
        array = shared.weights[entry["key"]]
        entry["dtype"], entry["shape"] = str(array.dtype), list(array.shape)
    return table


def _write_graph(path: str, doc: dict) -> None:
    # One node per line, as Model.export writes graph.json: readable, and diffs line up node by node.
    header = json.dumps({k: v for k, v in doc.items() if k != "nodes"})
    nodes = ",\n".join(json.dumps(n) for n in doc["nodes"])
    with open(path, "w", encoding="utf-8") as f:
        f.write(f'{header[:-1]},\n"nodes": [\n{nodes}\n]}}\n')


def _copy_assets(tmp: str, assets: list, manifest: dict) -> list:
    written: dict = {}  # source path -> file name in assets/
    names: set = set()
    for path, asset in assets:
        source = os.path.abspath(asset._path)
        if source not in written:
            if not os.path.isfile(source):
                raise NotFoundError(f"Asset file {asset._path!r} (attribute {dotted(path)}) does not exist")
            base = re.sub(r"[^A-Za-z0-9_.\- ]", "_", os.path.basename(source)).lstrip(".") or "asset"
            stem, ext = os.path.splitext(base)
            name, n = base, 1
            while name in names:
                name, n = f"{stem}_{n}{ext}", n + 1
            names.add(name)
            F.safe_asset_name(name)
            os.makedirs(os.path.join(tmp, F.ASSETS_DIRECTORY), exist_ok=True)
            shutil.copyfile(source, os.path.join(tmp, F.ASSETS_DIRECTORY, name))
            written[source] = name
        manifest["assets"].append({"file": written[source], "path": path})
    return [f"{F.ASSETS_DIRECTORY}/{n}" for n in sorted(names)]


def _write(target: str, manifest: dict, graphs: dict, weights: dict, assets: list) -> None:
    """Writes into a temporary sibling directory, then renames it into place (replacing an older SavedModel)."""
    parent = os.path.dirname(os.path.abspath(target))
    os.makedirs(parent, exist_ok=True)
    if os.path.exists(target):
        if not os.path.isdir(target):
            raise FileExistsError(f"Cannot save to '{target}': a file with that name exists")
        marks = (F.GRAPH_FILENAME, F.MANIFEST_FILENAME)
        if os.listdir(target) and not any(os.path.isfile(os.path.join(target, m)) for m in marks):
            raise FileExistsError(
                f"Cannot save to '{target}': the directory exists and does not hold a SavedModel; choose another "
                "path or empty it"
            )
    tmp = tempfile.mkdtemp(prefix=".saved_model-", dir=parent)
    try:
        os.mkdir(os.path.join(tmp, F.WEIGHTS_DIRECTORY))
        files = []
        for key, array in weights.items():
            np.save(os.path.join(tmp, F.WEIGHTS_DIRECTORY, key + ".npy"), array, allow_pickle=False)
            files.append(f"{F.WEIGHTS_DIRECTORY}/{key}.npy")
        for rel, doc in graphs.items():
            full = os.path.join(tmp, *rel.split("/"))
            os.makedirs(os.path.dirname(full), exist_ok=True)
            _write_graph(full, doc)
            files.append(rel)
        files += _copy_assets(tmp, assets, manifest)
        manifest["files"] = F.checksums(tmp, files)
        with open(os.path.join(tmp, F.MANIFEST_FILENAME), "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=1)
            f.write("\n")
        old = None
        if os.path.exists(target):
            old = tempfile.mkdtemp(prefix=".saved_model-old-", dir=parent)
            os.rmdir(old)
            os.rename(target, old)
        os.rename(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
