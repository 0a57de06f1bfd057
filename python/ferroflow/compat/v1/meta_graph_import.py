"""Reading a ``.meta`` file and rebuilding its graph into the default graph (``import_meta_graph``).

Nodes are replayed in the file's order: each op is made again from its name and attributes, constants from
their values, and each recorded ``gradients`` call is made again over the rebuilt nodes. Every rebuilt node
is then checked against the file (type, dtype, shape and inputs), so a file that does not describe what
the ops build is refused. Nodes the file marks as not rebuildable become placeholders of their dtype and
shape: a run that needs one asks for a value to be fed. See docs/meta_graph.md.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any, Optional

import numpy as np

from ... import _core
from ...errors import DataLossError, InvalidArgumentError, NotFoundError
from ...framework import graph_record
from ...framework.graph import Operation
from ...framework.ops import apply, make_op
from ...framework.variables import Variable
from . import meta_graph_encode as E
from .meta_graph_export import FORMAT_NAME, FORMAT_VERSION


def parse_file(data: bytes, where: str) -> dict:
    """The document of a ``.meta`` file's bytes: DataLossError when truncated, changed or not such a file."""
    head, sep, body = data.partition(b"\n")
    try:
        header = json.loads(head.decode("utf-8")) if sep else None
    except (UnicodeDecodeError, ValueError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise DataLossError(
            f"Cannot parse file {where}: it is not a ferroflow meta graph file (no '{FORMAT_NAME}' header)"
        )
    version = header.get("version")
    if not isinstance(version, int) or version < 1:
        raise DataLossError(f"Cannot parse file {where}: bad format version {version!r}")
    if version > FORMAT_VERSION:
        raise InvalidArgumentError(
            f"{where} is a meta graph file of version {version}; this ferroflow reads versions up to {FORMAT_VERSION}"
        )
    if header.get("size") != len(body) or header.get("sha256") != hashlib.sha256(body).hexdigest():
        raise DataLossError(
            f"Cannot parse file {where}: the file is truncated or changed (its body has {len(body)} bytes, the header "
            f"declares {header.get('size')} with another checksum)"
        )
    try:
        doc = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise DataLossError(f"Cannot parse file {where}: {e}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("nodes"), list):
        raise DataLossError(f"Cannot parse file {where}: the document has no node list")
    return doc


def read_file(path: str) -> dict:
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise NotFoundError(f"File {path} does not exist.")
    with open(path, "rb") as f:
        return parse_file(f.read(), path)


def _field(container: dict, key: str, kind: Any, where: str) -> Any:
    value = container.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise DataLossError(f"{where}: field '{key}' is missing or malformed")
    return value


class _Rebuild:
    """One import: old node ids -> new ones, the variable table, and the name prefix."""

    def __init__(self, graph: Any, doc: dict, where: str, scope: Optional[str], natives: Optional[list] = None) -> None:
        self.graph, self.doc, self.where = graph, doc, where
        self.prefix = f"{scope.rstrip('/')}/" if scope else ""
        self.nodes = _field(doc, "nodes", list, where)
        self.map: dict = {}
        self.natives: list = [] if natives is None else natives

    def name(self, name: str) -> str:
        return self.prefix + name

    def node(self, old: Any, at: str) -> int:
        if not isinstance(old, int) or old not in self.map:
            raise DataLossError(f"{at}: refers to node {old!r}, which comes later or does not exist")
        return self.map[old]

    def variables(self) -> None:
        for k, entry in enumerate(_field(self.doc, "variables", list, self.where)):
            at = f"{self.where}: variable {k}"
            name = _field(entry, "name", str, at)
            shape = entry.get("shape")
            try:
                self.natives.append(_core.Variable(self.name(name), None, _field(entry, "dtype", str, at), shape))
            except (TypeError, ValueError) as e:
                raise DataLossError(f"{at} '{name}': {e}") from None

    def replay(self) -> None:
        calls = _field(self.doc, "gradients", list, self.where)
        refines: dict = {}
        for item in _field(self.doc, "refines", list, self.where):
            if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], int)):
                raise DataLossError(f"{self.where}: malformed shape refinement {item!r}")
            refines.setdefault(item[0], []).append(item)
        g = self.graph._g
        for i, node in enumerate(self.nodes):
            at = f"{self.where}: node {i}"
            if not isinstance(node, dict) or not isinstance(node.get("build"), dict):
                raise DataLossError(f"{at}: malformed node")
            if i not in self.map:
                self._build(i, node, calls, at)
            for _, old, dims in refines.get(i + 1, []):
                try:
                    graph_record.refine_shape(self.graph, self.node(old, at), dims)
                except (TypeError, ValueError) as e:
                    raise DataLossError(f"{at}: cannot refine the shape of node {old}: {e}") from None
        for i, node in enumerate(self.nodes):
            self._check(i, node, g)

    def _build(self, i: int, node: dict, calls: list, at: str) -> None:
        build = node["build"]
        name = self.name(str(node.get("name", "")))
        inputs = [self.node(j, at) for j in _field(node, "inputs", list, at)]
        try:
            if "op" in build:
                attrs = build.get("attrs")
                attrs = None if attrs is None else {k: E.decode_value(v, self.natives, at) for k, v in attrs.items()}
                op = make_op(_field(build, "op", str, at), attrs)
                self.map[i] = graph_record.add_recorded(self.graph, op, inputs, name)
            elif "const" in build:
                op = make_op("const", {"value": E.decode_tensor(build["const"], at)})
                self.map[i] = graph_record.add_recorded(self.graph, op, [], name)
            elif "gradients" in build:
                self._gradients(i, build["gradients"], calls, at)
            elif "control_flow" in build:
                self._control_flow(i, build, inputs, name, at)
            elif "opaque" in build:
                attrs = {"dtype": _field(node, "dtype", str, at)}
                if node.get("shape") is not None:
                    attrs["shape"] = node["shape"]
                self.map[i] = graph_record.add_recorded(self.graph, make_op("placeholder", attrs), [], name)
                self.graph._unrebuilt[self.map[i]] = f"{node.get('type')} node: {build['opaque']}"
            else:
                raise DataLossError(f"{at}: unknown build record {sorted(build)}")
        except (_core.InvalidArgumentError, TypeError, ValueError, KeyError) as e:
            if isinstance(e, DataLossError):
                raise
            raise DataLossError(f"{at} '{node.get('name')}': cannot rebuild the node: {e}") from None

    def _control_flow(self, i: int, build: dict, inputs: list, name: str, at: str) -> None:
        """A ``cond`` or ``while`` op: its body graph rebuilt first, then the op over it."""
        from ...framework.graph import Graph

        kind, args, body = build["control_flow"], E.decode_value(build.get("args"), self.natives, at), build.get("body")
        if not isinstance(args, dict) or not isinstance(body, dict):
            raise DataLossError(f"{at}: malformed control-flow record")
        sub = _Rebuild(Graph(), body, f"{self.where} (body of node {i})", None, self.natives)
        sub.replay()

        def nodes(key: str) -> list:
            return [sub.node(n, at) for n in _field(args, key, list, at)]

        if kind == "cond":
            op = _core.Op.cond(sub.graph._g, nodes("captures"), nodes("then"), nodes("orelse"))
            mapped = {"captures": nodes("captures"), "then": nodes("then"), "orelse": nodes("orelse")}
        elif kind == "while":
            limit = args.get("limit")
            cond = sub.node(args.get("cond"), at)
            op = _core.Op.while_loop(sub.graph._g, nodes("inputs"), cond, nodes("outputs"), limit)
            mapped = {"inputs": nodes("inputs"), "cond": cond, "outputs": nodes("outputs"), "limit": limit}
        else:
            raise DataLossError(f"{at}: unknown control-flow op {kind!r}")
        graph_record.note_control_flow(op, kind, sub.graph, **mapped)
        before = len(self.graph._g)
        graph_record.add_multi_recorded(self.graph, op, inputs, name)
        made = len(self.graph._g) - before
        if made != args.get("__count__"):
            raise DataLossError(f"{at}: the {kind} op made {made} nodes, the file declares {args.get('__count__')}")
        for n in range(made):
            self.map[i + n] = before + n

    def _gradients(self, i: int, k: Any, calls: list, at: str) -> None:
        if not isinstance(k, int) or not 0 <= k < len(calls) or calls[k].get("first") != i:
            raise DataLossError(f"{at}: gradients call {k!r} does not start at this node")
        call = calls[k]
        ys = [self.node(n, at) for n in _field(call, "ys", list, at)]
        xs = [self.node(n, at) for n in _field(call, "xs", list, at)]
        gys = call.get("grad_ys")
        gys = None if gys is None else [self.node(n, at) for n in gys]
        before = len(self.graph._g)
        graph_record.gradients(self.graph, ys, xs, gys)
        made = len(self.graph._g) - before
        end = _field(call, "end", int, at)
        if made != end - i:
            raise DataLossError(f"{at}: the gradients call made {made} nodes, the file declares {end - i}")
        for n in range(made):
            self.map[i + n] = before + n

    def _check(self, i: int, node: dict, g: Any) -> None:
        _, type_name, shape, dtype, inputs = g.node(self.map[i])
        declared = node.get("shape")
        if "opaque" in node["build"]:
            return
        want_inputs = [self.map.get(j) for j in node["inputs"]]
        if (
            type_name != node.get("type")
            or dtype != node.get("dtype")
            or list(inputs) != want_inputs
            or ((None if shape is None else list(shape)) != declared)
        ):
            raise DataLossError(
                f"{self.where}: node {i} '{node.get('name')}' rebuilds as {type_name} {dtype} {shape} with inputs "
                f"{list(inputs)}; the file declares {node.get('type')} {node.get('dtype')} {declared} with inputs "
                f"{want_inputs}"
            )


def _wrap(rebuild: _Rebuild, k: int, entry: dict) -> Variable:
    """The Python ``Variable`` of table entry ``k``, made without running an initializer."""
    from ...framework import variable_enums

    graph = rebuild.graph
    var = Variable.__new__(Variable)
    var._v = rebuild.natives[k]
    var._name = rebuild.name(entry["name"])
    var.trainable = bool(entry.get("trainable"))
    var._synchronization = variable_enums.VariableSynchronization.AUTO
    var._aggregation = variable_enums.VariableAggregation.NONE
    var.graph = graph
    at = f"{rebuild.where}: variable {k}"
    init, snap = entry.get("initializer"), entry.get("snapshot")
    var._fetch_read = None if snap is None else rebuild.node(snap, at)
    var.initializer = None if init is None else graph.tensor(rebuild.node(init, at))
    initial = entry.get("initial_value")
    if var.initializer is None and isinstance(initial, dict):
        shape = var._v.shape or []
        if "fill" in initial:
            value = np.full(shape, E.decode_value(initial["fill"], [], at), dtype=var.dtype.as_numpy_dtype)
        else:
            value = E.decode_array(initial.get("tensor"), at)
        with graph.as_default():
            var.initializer = apply(
                "assign", [value.astype(var.dtype.as_numpy_dtype)], {"var": var._v}, op_name=var._name + "/Assign"
            )
    return var


def rebuild_into(graph: Any, doc: dict, where: str, import_scope: Optional[str]) -> tuple:
    """Rebuilds ``doc`` into ``graph``: returns (Python variables by table index, the rebuild)."""
    if not hasattr(graph, "_unrebuilt"):
        graph._unrebuilt = {}  # node -> what it stood for, for the error of a run that needs it unfed
    rebuild = _Rebuild(graph, doc, where, import_scope)
    rebuild.variables()
    rebuild.replay()
    entries = doc["variables"]
    wrappers: dict = {}
    for k, entry in enumerate(entries):
        reads = [rebuild.node(n, where) for n in entry.get("reads") or []]
        if reads:
            graph._var_reads.setdefault(rebuild.natives[k].id, []).extend(reads)
        if entry.get("python"):
            wrappers[k] = _wrap(rebuild, k, entry)
    graph.stateful_nodes.extend(rebuild.node(n, where) for n in doc.get("stateful_nodes") or [])
    for node in rebuild.map.values():  # later name scopes and variables get names apart from the imported ones
        parts = graph._g.node(node)[0].split("/")
        for depth in range(1, len(parts) + 1):
            key = "/".join(parts[:depth])
            graph._scope_counts[key] = max(graph._scope_counts.get(key, 0), 1)
    return wrappers, rebuild


def collection_item(rebuild: _Rebuild, wrappers: dict, item: Any, saver_from: Any) -> Any:
    at = f"{rebuild.where}: collection item"
    if not isinstance(item, dict) or len(item) != 1:
        raise DataLossError(f"{at}: malformed {str(item)[:60]}")
    ((tag, body),) = item.items()
    if tag == "variable":
        if body not in wrappers:
            raise DataLossError(f"{at}: variable {body!r} has no Python variable in the file")
        return wrappers[body]
    if tag == "tensor":
        return rebuild.graph.tensor(rebuild.node(body, at))
    if tag == "operation":
        return Operation(rebuild.graph.tensor(rebuild.node(body, at)))
    if tag == "saver":
        return saver_from(body)
    if tag == "value":
        return E.decode_value(body, [], at)
    raise DataLossError(f"{at}: unknown tag {tag!r}")
