"""``Model.export(path)``: the inference graph and weights in a directory that Rust code loads without Python.

Layout of the directory::

    graph.json      format name and version, inputs and outputs (node, dtype, shape), and the nodes in
                    topological order: name, op, attributes, input node indices, dtype, static shape
    weights/*.npy   one NumPy array (little-endian, C order) per variable or constant the graph reads

``ferroflow_core::serving::SavedModel::load(dir)`` (Rust) reads it; see examples/rust_inference.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from typing import Any, Optional

import numpy as np

from ..framework import nest
from ..framework.ops import apply
from .export_graph import FORMAT_NAME, FORMAT_VERSION, SUPPORTED_OPS, RecordingGraph, serialize

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "SUPPORTED_OPS", "export_model"]

_FORMATS = ("ferroflow",)


def _input_specs(model: Any, input_signature: Any) -> tuple:
    """The (dtype name, shape with a free batch dimension) of each input, and the structure to pack them in."""
    if input_signature is not None:
        flat = nest.flatten(input_signature)
        structure = input_signature
    elif getattr(model, "inputs", None):
        flat = list(model.inputs)
        structure = getattr(model, "_inputs_struct", None)
        if structure is None:
            structure = flat[0] if len(flat) == 1 else flat
    elif getattr(model, "built", False) and getattr(model, "_build_shapes", None) is not None:
        shapes = model._build_shapes
        if shapes and isinstance(shapes[0], (list, tuple)):
            raise ValueError(
                f"Model '{model.name}' was built for several inputs {shapes}: pass input_signature=[...] to export"
            )
        return [("float32", [None] + [None if d is None else int(d) for d in list(shapes)[1:]])], None
    else:
        raise ValueError(
            f"Model '{model.name}' is not built yet, so its input shape is unknown: call it on data, call "
            "build(input_shape), or pass input_signature to export()"
        )
    specs = []
    for s in flat:
        shape = getattr(s, "shape", None)
        if shape is None:
            raise ValueError(f"input_signature entries need a shape and a dtype (tf.TensorSpec), received {s!r}")
        dims = list(shape)
        dtype = getattr(s, "dtype", None)
        dtype_name = "float32" if dtype is None else getattr(dtype, "name", str(dtype))
        specs.append((dtype_name, [None] + [None if d is None else int(d) for d in dims[1:]]))
    return specs, structure


def _encode(value: Any, flat: list) -> Any:
    """``value``'s nesting as the SavedModel manifest encodes structures; a tensor is its index in ``flat``."""
    for i, leaf in enumerate(flat):
        if value is leaf:
            return {"tensor": i}
    if isinstance(value, dict):
        return {"dict": [[k, _encode(value[k], flat)] for k in sorted(value, key=str)]}
    if isinstance(value, (list, tuple)):
        return {"list" if isinstance(value, list) else "tuple": [_encode(v, flat) for v in value]}
    return {"value": value if value is None or isinstance(value, (bool, int, float, str)) else None}


def _write_dir(target: str, doc: dict, weights: dict) -> None:
    """Writes into a temporary sibling directory, then renames it into place (replacing an older export)."""
    parent = os.path.dirname(os.path.abspath(target))
    os.makedirs(parent, exist_ok=True)
    if os.path.exists(target):
        if not os.path.isdir(target):
            raise FileExistsError(f"Cannot export to '{target}': a file with that name exists")
        if os.listdir(target) and not os.path.isfile(os.path.join(target, "graph.json")):
            raise FileExistsError(
                f"Cannot export to '{target}': the directory exists and does not hold an exported model "
                "(no graph.json); choose another path or empty it"
            )
    tmp = tempfile.mkdtemp(prefix=".export-", dir=parent)
    try:
        os.mkdir(os.path.join(tmp, "weights"))
        for key, array in weights.items():
            np.save(os.path.join(tmp, "weights", key + ".npy"), array, allow_pickle=False)
        # One node per line: readable, and diffs of two exports line up node by node.
        header = json.dumps({k: v for k, v in doc.items() if k != "nodes"})
        nodes = ",\n".join(json.dumps(n) for n in doc["nodes"])
        with open(os.path.join(tmp, "graph.json"), "w", encoding="utf-8") as f:
            f.write(f'{header[:-1]},\n"nodes": [\n{nodes}\n]}}\n')
        old = None
        if os.path.exists(target):
            old = tempfile.mkdtemp(prefix=".export-old-", dir=parent)
            os.rmdir(old)
            os.rename(target, old)
        os.rename(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _output_names(structured: Any, count: int) -> list:
    """The serving signature's output names, as Keras 3 and TensorFlow give them: a dict's keys (in its
    flattened, sorted order), else ``output_0, output_1, ...`` (one output too)."""
    if isinstance(structured, dict) and len(structured) == count and all(isinstance(k, str) for k in structured):
        return sorted(structured)
    return [f"output_{i}" for i in range(count)]


def _input_names(model: Any, input_signature: Any, count: int) -> list:
    """The serving signature's input names, as Keras 3 and TensorFlow give them: a model's own inputs are
    named after their ``keras.Input`` tensors (``Input(name="pixels")`` serves ``pixels``); the entries of an
    ``input_signature`` after their ``TensorSpec`` names, else TensorFlow's ``args_0``, ``args_0_1`` ... for
    the leaves of the first argument (``args_1`` ... for a second); a subclassed model's one input ``args_0``."""
    if input_signature is not None:
        args = input_signature if isinstance(input_signature, (list, tuple)) else [input_signature]
        names = []
        for k, arg in enumerate(args):
            for j, spec in enumerate(nest.flatten(arg)):
                given = getattr(spec, "name", None)
                names.append(given if given else (f"args_{k}" if j == 0 else f"args_{k}_{j}"))
    elif getattr(model, "inputs", None):
        names = [getattr(t, "name", None) or f"args_0_{i}" for i, t in enumerate(model.inputs)]
    else:
        names = ["args_0"]
    names = names[:count] + [f"args_0_{i}" for i in range(len(names), count)]
    # Signature keys must differ; TensorFlow refuses duplicates, an export keeps them apart with a suffix.
    seen: dict = {}
    unique = []
    for name in names:
        n = seen.get(name, 0)
        seen[name] = n + 1
        unique.append(name if n == 0 else f"{name}_{n}")
    return unique


def export_model(
    model: Any,
    filepath: Any,
    format: str = "ferroflow",
    verbose: Optional[bool] = True,
    input_signature: Any = None,
) -> None:
    """Traces ``model`` for inference (``training=False``) and writes its graph and weights to ``filepath``."""
    if format not in _FORMATS:
        raise ValueError(
            f"Unrecognized format={format!r}: ferroflow exports only format='ferroflow' (a graph.json plus .npy "
            "weights, loadable from Rust with ferroflow_core::serving::SavedModel)"
        )
    target = os.fspath(filepath)
    specs, structure = _input_specs(model, input_signature)
    graph = RecordingGraph()
    with graph.recording():
        names = _input_names(model, input_signature, len(specs))
        xs = [
            apply("placeholder", [], {"dtype": dtype, "shape": shape}, op_name=name)
            for name, (dtype, shape) in zip(names, specs)
        ]
        inputs = xs[0] if len(xs) == 1 and not isinstance(structure, dict) else nest.pack_sequence_as(structure, xs)
        structured = model(inputs, training=False)
        outputs = nest.flatten(structured)
    doc, weights = serialize(
        graph,
        [x.node for x in xs],
        [y.node for y in outputs],
        model.name,
        input_names=names,
        output_names=_output_names(structured, len(outputs)),
    )
    # How the flat inputs and outputs nest (a tensor, a list, a dict): the ``serve`` function that
    # tf.saved_model.load restores takes and returns the model's own structures. Readers of the graph alone
    # (the Rust loader) ignore this entry.
    doc["structure"] = {"inputs": _encode(inputs, xs), "outputs": _encode(structured, outputs)}
    strings = [key for key, array in weights.items() if np.asarray(array).dtype.kind in "OSU"]
    if strings:
        raise ValueError(
            f"Cannot export model '{model.name}': its inference graph holds string constants ({strings[0]}: the "
            "vocabulary of a StringLookup or TextVectorization layer, for example), and the exported format holds "
            "numeric tensors only; export the model that follows the string preprocessing instead, and run that "
            "preprocessing in the input pipeline"
        )
    _write_dir(target, doc, weights)
    if verbose:

        def describe(entries: list) -> str:
            return ", ".join(f"{e['name']} {e['dtype']} {tuple(e['shape'] or ())}" for e in entries)

        print(f"Saved artifact at '{target}'. Inputs: {describe(doc['inputs'])}; outputs: {describe(doc['outputs'])}")
