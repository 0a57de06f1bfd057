"""Tracing a model's inference graph with every op's attributes, and turning it into ``graph.json`` entries.

The native graph keeps ops opaque (their attributes live in Rust), so the trace records the name and
attributes each op was built with as ``ops.apply`` creates it; the serializer then walks back from the
outputs, keeping only the nodes the prediction needs.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any, Iterator, Optional, Sequence

import numpy as np

from ..framework import ops as framework_ops
from ..framework.function import FuncGraph
from ..framework.tensor import EagerTensor

FORMAT_NAME = "ferroflow-saved-model"
FORMAT_VERSION = 1

# Ops the Rust loader (ferroflow_core::serving) rebuilds, besides placeholders and constants. The Rust
# constants SUPPORTED_OPS and IMAGE_OPS list the same names; stateful ops (assign, random, optimizer
# steps) are absent.
SUPPORTED_OPS = frozenset(
    """
    neg exp log sqrt rsqrt square abs sign tanh sigmoid relu reciprocal floor ceil round sin cos log1p expm1
    softplus logical_not add sub mul div floordiv mod pow maximum minimum logical_and logical_or equal not_equal
    less less_equal greater greater_equal reduce_sum reduce_mean reduce_max reduce_min reduce_prod select cast
    fill_like identity stop_gradient matmul argmax argmin reshape reshape_like transpose expand_dims squeeze
    broadcast_to broadcast_like concat strided_slice gather one_hot shape softmax log_softmax
    sparse_softmax_cross_entropy softmax_cross_entropy layer_norm
    conv2d max_pool2d avg_pool2d resize range ensure_shape check_numerics unsorted_segment_sum lstm_cell
    lstm_sequence
    complex.make complex.real complex.imag complex.conj complex.angle complex.abs complex.fft complex.ifft
    complex.rfft complex.irfft
    """.split()
)


class RecordingGraph(FuncGraph):
    """A function graph that remembers, per node, the op name and attributes it was built from."""

    def __init__(self) -> None:
        super().__init__()
        self.op_records: dict = {}  # node id -> (op name, attrs)
        self._made: dict = {}  # id(native op) -> (native op, op name, attrs); the op is kept alive

    def add_node(self, op: Any, inputs: list, name: str) -> int:
        node = super().add_node(op, inputs, name)
        made = self._made.get(id(op))
        if made is not None and made[0] is op:
            self.op_records[node] = (made[1], made[2])
        return node

    @contextlib.contextmanager
    def recording(self) -> Iterator[None]:
        """Within the block, every op built through ``ops.make_op`` is remembered with its attributes."""
        original = framework_ops.make_op

        def make_op(name: str, attrs: Any = None) -> Any:
            op = original(name, attrs)
            self._made[id(op)] = (op, name, dict(attrs) if attrs else {})
            return op

        framework_ops.make_op = make_op
        try:
            with self.as_default():
                yield
        finally:
            framework_ops.make_op = original


def _to_numpy(native_tensor: Any) -> np.ndarray:
    a = np.asarray(EagerTensor(native_tensor).numpy())
    # .npy files are little-endian and C-ordered, which is what the Rust reader accepts. (Not through
    # np.ascontiguousarray alone: it turns a scalar into shape (1,).)
    a = a.astype(a.dtype.newbyteorder("<"), copy=False)
    return a if a.flags.c_contiguous else np.ascontiguousarray(a)


def _json_attr(value: Any, where: str) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_json_attr(v, where) for v in value]
    raise ValueError(f"{where} has a value of type {type(value).__name__}, which cannot be written to graph.json")


def _weight_key(name: str, taken: set) -> str:
    base = re.sub(r"[^A-Za-z0-9_.-]", "_", name.replace("/", ".")).lstrip(".") or "weight"
    key, n = base, 1
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    taken.add(key)
    return key


_VARIABLE_WRITES = frozenset(("assign", "assign_add", "assign_sub"))


def variable_attrs(var: Any, weights: dict, var_keys: dict) -> dict:
    """A variable's node attributes (its weight key and name); its value goes to ``weights`` once."""
    if var.id not in var_keys:
        var_keys[var.id] = _weight_key(var.name, set(weights))
        weights[var_keys[var.id]] = _to_numpy(var.read())
    return {"weight": var_keys[var.id], "variable": var.name}


def serialize(
    graph: RecordingGraph,
    input_nodes: list,
    output_nodes: list,
    model_name: str,
    *,
    weights: Optional[dict] = None,
    var_keys: Optional[dict] = None,
    allowed_ops: frozenset = SUPPORTED_OPS,
    stateful_nodes: Sequence[int] = (),
    input_names: Optional[Sequence[str]] = None,
    output_names: Optional[Sequence[str]] = None,
) -> tuple:
    """The ``graph.json`` document and the weights (key -> array) of the nodes the outputs depend on.

    ``tf.saved_model.save`` writes several graphs over one ``weights/`` directory: it passes the same
    ``weights`` and ``var_keys`` (variable id -> key) dicts to each call, a wider ``allowed_ops`` (ops only
    the Python loader rebuilds, and variable writes) and the graph's ``stateful_nodes`` (kept although no
    output needs them).
    """
    g = graph._g
    weights = {} if weights is None else weights
    var_keys = {} if var_keys is None else var_keys
    needed: set = set(input_nodes)
    stack = list(output_nodes) + list(stateful_nodes)
    while stack:
        nid = stack.pop()
        if nid not in needed:
            needed.add(nid)
            stack.extend(g.node(nid)[4])
    index: dict = {}
    nodes: list = []
    unsupported: list = []
    for nid in sorted(needed):
        name, type_name, shape, dtype, inputs = g.node(nid)
        op, attrs = graph.op_records.get(nid, ("const" if type_name == "Const" else type_name, {}))
        if op == "read_variable":
            op, attrs = "const", variable_attrs(attrs["var"], weights, var_keys)
        elif op in _VARIABLE_WRITES and op in allowed_ops:
            attrs = variable_attrs(attrs["var"], weights, var_keys)
        elif op == "const":
            key = _weight_key(f"const.{name}", set(weights))
            weights[key] = _to_numpy(g.const_value(nid))
            attrs = {"weight": key}
        elif op == "placeholder":
            if nid not in input_nodes:
                unsupported.append(f"'placeholder' (node '{name}', not one of the model's inputs)")
            attrs = {}
        elif op not in allowed_ops:
            unsupported.append(f"'{op}' (node '{name}')")
        else:
            attrs = {k: _json_attr(v, f"attribute '{k}' of node '{name}' ({op})") for k, v in attrs.items()}
        index[nid] = len(nodes)
        nodes.append(
            {
                "name": name,
                "op": op,
                "attrs": attrs,
                "inputs": [index[i] for i in inputs],
                "dtype": dtype,
                "shape": None if shape is None else list(shape),
            }
        )
    if unsupported:
        raise ValueError(
            f"Cannot export model '{model_name}': its inference graph uses ops the ferroflow loader does not "
            f"support: {', '.join(unsupported)}. Supported ops: placeholder, const, {', '.join(sorted(allowed_ops))}"
        )

    def io(nid: int, io_name: str) -> dict:
        entry = nodes[index[nid]]
        return {"name": io_name, "node": index[nid], "dtype": entry["dtype"], "shape": entry["shape"]}

    def names(kind: str, count: int) -> list:
        return [kind if count == 1 else f"{kind}_{i}" for i in range(count)]

    doc = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "model": model_name,
        "inputs": [io(n, s) for n, s in zip(input_nodes, input_names or names("input", len(input_nodes)))],
        "outputs": [io(n, s) for n, s in zip(output_nodes, output_names or names("output", len(output_nodes)))],
        "nodes": nodes,
    }
    return doc, weights
