"""The schema checks of a SavedModel's JSON documents: a graph's format, version, nodes (known ops, topological
inputs, dtypes, shapes, weight names) and its inputs and outputs. A malformed document raises ``DataLossError``,
a newer one ``InvalidArgumentError``, an unknown op ``NotFoundError``."""

from __future__ import annotations

from typing import Any

from ..errors import DataLossError, InvalidArgumentError, NotFoundError
from ..framework.dtypes import as_dtype
from . import _format as F

_KNOWN_OPS = F.PYTHON_OPS | {"placeholder", "const"}


def _check(ok: bool, where: str, message: str) -> None:
    if not ok:
        raise DataLossError(f"{where}: {message}")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _check_shape(shape: Any, where: str) -> None:
    _check(
        shape is None or isinstance(shape, list) and all(d is None or _is_int(d) and d >= 0 for d in shape),
        where,
        f"malformed shape {shape!r}",
    )


def _check_dtype(name: Any, where: str) -> None:
    try:
        _check(isinstance(name, str), where, f"malformed dtype {name!r}")
        as_dtype(name)
    except TypeError:
        raise DataLossError(f"{where}: unknown dtype {name!r}") from None


def check_graph(doc: Any, where: str) -> dict:
    """Checks a graph document against the schema; returns it."""
    _check(isinstance(doc, dict), where, "expected a JSON object")
    _check(doc.get("format") == F.FORMAT_NAME, where, f"format {doc.get('format')!r}, expected {F.FORMAT_NAME!r}")
    version = doc.get("version")
    _check(_is_int(version) and version >= 1, where, f"malformed version {version!r}")
    if version > F.GRAPH_VERSION:
        raise InvalidArgumentError(
            f"{where} has graph version {version}; this ferroflow reads graph versions 1 to {F.GRAPH_VERSION}"
        )
    nodes = doc.get("nodes")
    _check(isinstance(nodes, list), where, "'nodes' must be a list")
    for i, node in enumerate(nodes):
        at = f"{where}: node {i}"
        _check(isinstance(node, dict), at, "expected a JSON object")
        _check(isinstance(node.get("name"), str) and isinstance(node.get("op"), str), at, "needs a name and an op")
        at = f"{where}: node {i} '{node['name']}' ({node['op']})"
        if node["op"] not in _KNOWN_OPS:
            raise NotFoundError(
                f"{at}: Op type not registered '{node['op']}': this ferroflow's SavedModel loader knows "
                f"placeholder, const, {', '.join(sorted(F.PYTHON_OPS))}"
            )
        node.setdefault("attrs", {})
        node.setdefault("inputs", [])
        _check(isinstance(node["attrs"], dict), at, "'attrs' must be an object")
        inputs = node["inputs"]
        _check(
            isinstance(inputs, list) and all(_is_int(j) and 0 <= j < i for j in inputs),
            at,
            f"inputs {inputs!r} must be indices of earlier nodes (topological order)",
        )
        _check_dtype(node.get("dtype"), at)
        _check_shape(node.get("shape"), at)
        if node["op"] == "const" or node["op"] in F.WRITE_OPS:
            try:
                F.safe_key(node["attrs"].get("weight"), "weight name")
            except ValueError as e:
                raise DataLossError(f"{at}: {e}") from None
    for kind in ("inputs", "outputs"):
        entries = doc.get(kind)
        _check(isinstance(entries, list), where, f"'{kind}' must be a list")
        for entry in entries:
            _check(isinstance(entry, dict) and isinstance(entry.get("name"), str), where, f"malformed {kind} entry")
            node = entry.get("node")
            _check(
                _is_int(node) and 0 <= node < len(nodes),
                where,
                f"{kind[:-1]} '{entry['name']}' refers to node {node!r}, but the graph has {len(nodes)} nodes",
            )
            if kind == "inputs":
                _check(
                    nodes[node]["op"] == "placeholder",
                    where,
                    f"input '{entry['name']}' refers to node {node} ({nodes[node]['op']}), which is not a placeholder",
                )
    return doc
