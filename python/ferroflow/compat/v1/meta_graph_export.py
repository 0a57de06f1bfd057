"""Writing a TF1 graph as a ``.meta`` file (``export_meta_graph``; ``Saver.save`` writes one per checkpoint).

The document lists every node of the graph in creation order with how it was built (the op name and
attributes ``make_op`` was given, a constant's value, or the ``gradients`` call that made it), the
variables the graph uses, its collections and the saver's settings. See docs/meta_graph.md.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Optional

import numpy as np

from ...framework.graph import Operation, SymbolicTensor
from ...framework.variables import Variable
from . import meta_graph_encode as E

FORMAT_NAME = "ferroflow-meta-graph"
FORMAT_VERSION = 1


class _Variables:
    """The file's variable table: one entry per native variable, in the order first met."""

    def __init__(self, wrappers: dict) -> None:
        self.wrappers = wrappers  # native variable id -> its Python Variable, where the graph has one
        self.index: dict = {}
        self.natives: list = []

    def __call__(self, native: Any) -> int:
        found = self.index.get(native.id)
        if found is None:
            found = self.index[native.id] = len(self.natives)
            self.natives.append(native)
        return found


def _wrappers(graph: Any, saver: Any) -> dict:
    out: dict = {}
    for key in graph.get_all_collection_keys():
        for item in graph.get_collection(key):
            if isinstance(item, Variable):
                out.setdefault(item._v.id, item)
    names = getattr(saver, "_names", None) or {}
    for var in names.values():
        out.setdefault(var._v.id, var)
    return out


def _ancestors(g: Any, roots: list, limit: int) -> set:
    seen: set = set()
    stack = [r for r in roots if r < limit]
    while stack:
        n = stack.pop()
        if n not in seen:
            seen.add(n)
            stack.extend(g.node(n)[4])
    return seen


def _recorded(record: tuple, table: _Variables, nodes: list) -> dict:
    """The build entry of a node with a build record: an op and its attributes, or a control-flow op with its
    body graph (``__cond__``, ``__while__``; the op's other output nodes point at its first node)."""
    name, attrs = record
    if name == "__part__":
        first = nodes[attrs["first"]]["build"]
        return dict(first) if "opaque" in first else {"part_of": attrs["first"]}
    if name in ("__cond__", "__while__"):
        body = graph_document(attrs["sub"], table)
        if body["opaque_nodes"]:
            return {"opaque": f"a {name.strip('_')} whose body holds nodes that cannot be rebuilt"}
        args = {k: v for k, v in attrs.items() if k != "sub"}
        return {"control_flow": name.strip("_"), "body": body, "args": E.encode_value(args, table)}
    try:
        encoded = None if not attrs else {k: E.encode_value(v, table) for k, v in attrs.items()}
    except E.Unencodable as e:
        return {"opaque": f"op '{name}' has an attribute holding {e}"}
    return {"op": name, "attrs": encoded}


def graph_document(graph: Any, table: _Variables) -> dict:
    """The nodes of ``graph`` (a session graph or a control-flow body) with how each was built, the recorded
    gradients calls and shape refinements."""
    g = graph._g
    grad_of: dict = {}
    for k, (first, end, _ys, _xs, _gys) in enumerate(graph._grad_calls):
        for n in range(first, end):
            grad_of[n] = k
    nodes: list = []
    opaque: set = set()
    for i in range(len(g)):
        name, type_name, shape, dtype, inputs = g.node(i)
        build: dict
        record = graph._records.get(i)
        if i in grad_of:
            first, _end, ys, _xs, gys = graph._grad_calls[grad_of[i]]
            if i == first and _ancestors(g, ys + (gys or []), first) & opaque:
                build = {"opaque": "a gradient through a node that cannot be rebuilt"}
            elif i != first and nodes[first]["build"].get("opaque"):
                build = dict(nodes[first]["build"])
            else:
                build = {"gradients": grad_of[i]}
        elif record is not None:
            build = _recorded(record, table, nodes)
        elif type_name == "Const" and g.const_value(i) is not None:
            try:
                build = {"const": E.encode_tensor(g.const_value(i))}
            except E.Unencodable as e:
                build = {"opaque": f"a constant holding {e}"}
        else:
            build = {"opaque": "made by graph code that keeps no build record (a Python call)"}
        if "opaque" in build:
            opaque.add(i)
        nodes.append(
            {
                "name": name,
                "type": type_name,
                "dtype": dtype,
                "shape": None if shape is None else list(shape),
                "inputs": list(inputs),
                "build": build,
            }
        )
    return {
        "nodes": nodes,
        "opaque_nodes": sorted(opaque),
        "gradients": [{"first": c[0], "end": c[1], "ys": c[2], "xs": c[3], "grad_ys": c[4]} for c in graph._grad_calls],
        "refines": [list(r) for r in graph._refines],
    }


def _initial_value(var: Any) -> Optional[dict]:
    """What an imported graph initializes a variable kept outside the graph (an optimizer slot) to."""
    kept = getattr(var, "_meta_initial", None)
    if kept is None:
        if not var._v.is_initialized():
            return None
        kept = E.snapshot(np.asarray(var._v.read().numpy()))
    if kept[0] == "fill":
        return {"fill": E.encode_value(kept[1], lambda v: 0)}
    return {"tensor": E.encode_array(kept[1], var.dtype.name)}


def _variable_entries(graph: Any, table: _Variables) -> list:
    reads: dict = {}
    for vid, nodes in graph._var_reads.items():
        reads[vid] = list(nodes)
    entries = []
    for native in table.natives:
        var = table.wrappers.get(native.id)
        entry: dict = {
            "name": native.name if var is None else var._name,
            "dtype": native.dtype,
            "shape": None if native.shape is None else list(native.shape),
            "python": var is not None,
            "trainable": bool(var is not None and var.trainable),
            "initializer": None,
            "snapshot": None,
            "initial_value": None,
            "reads": reads.get(native.id, []),
        }
        if var is not None:
            init = getattr(var, "initializer", None)
            if getattr(var, "graph", None) is graph and isinstance(init, SymbolicTensor) and init.graph is graph:
                entry["initializer"] = init.node
                entry["snapshot"] = getattr(var, "_fetch_read", None)
            else:
                entry["initial_value"] = _initial_value(var)
        entries.append(entry)
    return entries


def saver_document(saver: Any, table: _Variables) -> Optional[dict]:
    """A ``Saver``'s settings and its checkpoint keys (each naming a variable of the table)."""
    if saver is None:
        return None
    if not saver._is_built and saver._names is None:
        saver._resolve()
    sd = saver.saver_def
    return {
        "var_list": [[key, table(var._v)] for key, var in (saver._names or {}).items()],
        "max_to_keep": sd.max_to_keep,
        "keep_checkpoint_every_n_hours": sd.keep_checkpoint_every_n_hours,
        "sharded": bool(sd.sharded),
        "version": sd.version,
        "allow_empty": bool(saver._allow_empty),
        "pad_step_number": bool(saver._pad_step_number),
        "save_relative_paths": bool(saver._save_relative_paths),
    }


def _collection_item(graph: Any, item: Any, table: _Variables) -> Optional[dict]:
    from .saver import Saver

    if isinstance(item, Variable) and item._v.id in table.wrappers:
        return {"variable": table(item._v)}
    if isinstance(item, SymbolicTensor) and item.graph is graph:
        return {"tensor": item.node}
    if isinstance(item, Operation) and item.graph is graph:
        return {"operation": item._tensor.node}
    if isinstance(item, Saver):
        return {"saver": saver_document(item, table)}
    if isinstance(item, (str, bytes, bool, int, float, np.integer, np.floating)):
        return {"value": E.encode_value(item, table)}
    return None  # Python objects (hooks, host tensors): not kept, as TF1 skips collections it cannot serialize


def build_document(
    graph: Any, saver: Any = None, collection_list: Any = None, meta_info: Optional[dict] = None
) -> dict:
    """The ``.meta`` document of ``graph`` (with ``saver``'s settings when given)."""
    table = _Variables(_wrappers(graph, saver))
    for var in table.wrappers.values():  # every Python variable gets an entry, read by the graph or not
        table(var._v)
    saver_doc = saver_document(saver, table)
    keys = graph.get_all_collection_keys() if collection_list is None else list(collection_list)
    collections: dict = {}
    for key in keys:
        items = [_collection_item(graph, item, table) for item in graph.get_collection(key)]
        kept = [item for item in items if item is not None]
        if kept:
            collections[str(key)] = kept
    body = graph_document(graph, table)
    from ... import __version__
    from .meta_graph_tables import record_tables

    tables, table_calls = record_tables(graph)

    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "meta_info_def": {"ferroflow_version": __version__, **(meta_info or {})},
        **body,
        "variables": _variable_entries(graph, table),
        "stateful_nodes": list(graph.stateful_nodes),
        "collections": collections,
        "saver_def": saver_doc,
        "tables": tables,
        "table_calls": table_calls,
    }


def encode_file(doc: dict, as_text: bool = False) -> bytes:
    """A header line (format, version, size and SHA-256 of the body), then the body: the document as JSON."""
    body = json.dumps(doc, indent=1 if as_text else None, separators=None if as_text else (",", ":"), allow_nan=False)
    data = body.encode("utf-8")
    header = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    return json.dumps(header).encode("utf-8") + b"\n" + data


def write_file(path: str, data: bytes) -> None:
    """Writes ``data`` to a temporary file next to ``path``, then renames it into place."""
    from ...saving._atomic import atomic_write

    with atomic_write(path) as f:
        f.write(data)
