"""Tracing one function of a SavedModel (a signature, a ``tf.function`` trace, a Keras model's call) into a
graph document of ``Model.export``'s schema, over weights shared by every graph of the directory."""

from __future__ import annotations

from typing import Any, Callable

from ..framework.composite_specs import COMPOSITE_SPECS
from ..framework.graph import SymbolicTensor
from ..framework.ops import apply
from ..framework.tensor import Tensor
from ..framework.tensor_spec import TensorSpec
from ..framework.trace import _signature_key
from ..framework.trace_dispatch import covering_trace
from ..framework.variables import Variable
from ..models.export_graph import RecordingGraph, serialize
from ._collect import parameter_names
from ._format import PYTHON_OPS, decode_structure, encode_structure


class Shared:
    """What the graphs of one directory share: the weights (key -> array) and each variable's key."""

    def __init__(self) -> None:
        self.weights: dict = {}
        self.var_keys: dict = {}


def _is_spec(v: Any) -> bool:
    if isinstance(v, COMPOSITE_SPECS):
        raise ValueError(f"sparse and ragged arguments ({v!r}) cannot be saved in a SavedModel yet")
    return isinstance(v, TensorSpec)


def _is_output(v: Any) -> bool:
    return isinstance(v, (Tensor, Variable)) or (hasattr(v, "dtype") and hasattr(v, "shape") and hasattr(v, "ndim"))


def _input_names(python_function: Callable, arg_docs: list, kw_docs: dict, leaves: list, starts: list) -> list:
    """One name per flat input: its spec's name, else its parameter's (``x``, then ``x_1``, ``x_2`` for the
    further tensors of a nested argument), as TensorFlow names signature inputs."""
    params = parameter_names(python_function)
    owners = [params[i] if i < len(params) else f"args_{i}" for i in range(len(arg_docs))] + list(kw_docs)
    names: list = []
    for owner, (start, stop) in zip(owners, zip(starts, starts[1:] + [len(leaves)])):
        for j in range(start, stop):
            names.append(leaves[j].name or (owner if j == start else f"{owner}_{j - start}"))
    taken: set = set()
    unique = []
    for name in names:
        out, n = name, 1
        while out in taken:
            out, n = f"{name}_{n}", n + 1
        taken.add(out)
        unique.append(out)
    return unique


class Recorded:
    """One function traced for saving: the recording graph, its placeholders and outputs, and the JSON
    structures of its arguments and results. Written once per save (the weights are read then), so a
    function's recorded traces serve every later save of it."""

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)


def _encode_arguments(args: tuple, kwargs: dict) -> tuple:
    leaves: list = []
    starts: list = []
    arg_docs = []
    for a in args:
        starts.append(len(leaves))
        arg_docs.append(encode_structure(a, _is_spec, leaves))
    kw_docs = {}
    for k in sorted(kwargs):
        starts.append(len(leaves))
        kw_docs[k] = encode_structure(kwargs[k], _is_spec, leaves)
    return arg_docs, kw_docs, leaves, starts


def check_signature_arguments(args: tuple, kwargs: dict, what: str) -> None:
    """Raises ValueError before any tracing when a signature has no tensor argument."""
    if not _encode_arguments(args, kwargs)[2]:
        raise ValueError(f"{what} takes no tensor arguments; a signature needs at least one TensorSpec")


def record(python_function: Callable, args: tuple, kwargs: dict, what: str, call: Callable = None) -> Recorded:
    """``python_function(*args, **kwargs)`` traced with each ``TensorSpec`` a placeholder, every op recorded
    with its attributes. ``call`` (default: calling the function) runs the traced body."""
    arg_docs, kw_docs, leaves, starts = _encode_arguments(args, kwargs)
    names = _input_names(python_function, arg_docs, kw_docs, leaves, starts)
    graph = RecordingGraph()
    with graph.recording():
        placeholders = [
            apply("placeholder", [], {"dtype": s.dtype.name, "shape": s.shape._dim_list}, op_name=n)
            for s, n in zip(leaves, names)
        ]
        sym_args = [decode_structure(d, placeholders, what) for d in arg_docs]
        sym_kwargs = {k: decode_structure(d, placeholders, what) for k, d in kw_docs.items()}
        result = (call or python_function)(*sym_args, **sym_kwargs)
        outputs: list = []
        out_doc = encode_structure(result, _is_output, outputs)
        outputs = [v if isinstance(v, SymbolicTensor) and v.graph is graph else apply("identity", [v]) for v in outputs]
    flat_result = _flat([result])
    return Recorded(
        graph=graph,
        placeholders=placeholders,
        names=names,
        outputs=outputs,
        result=result,
        args=args,
        arg_docs=arg_docs,
        kw_docs=kw_docs,
        out_doc=out_doc,
        tensor_arguments=all(isinstance(v, SymbolicTensor) for v in _flat(sym_args + list(sym_kwargs.values()))),
        returns_tensors=bool(flat_result) and all(_is_output(v) for v in flat_result),
    )


def saved_trace(fn: Any, args: tuple, kwargs: dict, what: str) -> Recorded:
    """The trace of the ``tf.function`` ``fn`` for these arguments made for saving, recorded now if ``fn`` has
    none that accepts them. As TensorFlow traces a function under its save context once per input signature
    (a trace outside it cannot be written out) and reuses those traces at later saves, the Python body runs
    here at the first save of each signature only."""
    key = _signature_key(args, kwargs)
    cache = fn._saved_traces
    hit = cache.get(key)
    if hit is None:
        hit = covering_trace(cache, key)
    if hit is None:
        hit = cache[key] = record(fn.python_function, args, kwargs, what)
    return hit


def write(recorded: Recorded, what: str, shared: Shared, signature: bool) -> dict:
    """The graph document of a recorded trace, over the weights of this save, and the JSON structures of its
    arguments and results (``args``, ``kwargs``, ``outputs``). A signature's results are named by their dict
    keys, or ``output_0``, ``output_1`` ...; its arguments must all be tensors."""
    if signature:
        if not recorded.placeholders:
            raise ValueError(f"{what} takes no tensor arguments; a signature needs at least one TensorSpec")
        if not recorded.tensor_arguments:
            raise ValueError(f"{what}: every argument of a signature must be a tf.TensorSpec, received {recorded.args}")
        out_names = _signature_output_names(recorded.result, recorded.out_doc, len(recorded.outputs), what)
    else:
        out_names = [f"output_{i}" for i in range(len(recorded.outputs))]
    try:
        doc, _ = serialize(
            recorded.graph,
            [p.node for p in recorded.placeholders],
            [y.node for y in recorded.outputs],
            what,
            weights=shared.weights,
            var_keys=shared.var_keys,
            allowed_ops=PYTHON_OPS,
            stateful_nodes=recorded.graph.stateful_nodes,
            input_names=recorded.names,
            output_names=out_names,
        )
    except ValueError as e:
        message = str(e).replace(f"Cannot export model '{what}': ", "", 1)
        raise ValueError(f"Cannot save {what} in a SavedModel: {message}") from None
    return {"graph": doc, "args": recorded.arg_docs, "kwargs": recorded.kw_docs, "outputs": recorded.out_doc}


def _flat(values: list) -> list:
    out = []
    for v in values:
        if isinstance(v, (list, tuple)):
            out.extend(_flat(list(v)))
        elif isinstance(v, dict):
            out.extend(_flat(list(v.values())))
        else:
            out.append(v)
    return out


def _signature_output_names(result: Any, out_doc: dict, n: int, what: str) -> list:
    if n == 0:
        raise ValueError(f"{what} returns no tensors; a signature must return a tensor or a dict of tensors")
    if isinstance(result, dict):
        keys = [k for k, _ in out_doc["dict"]]
        if not all(isinstance(k, str) for k in keys) or any("tensor" not in v for _, v in out_doc["dict"]):
            raise ValueError(f"{what}: a signature returning a dict must map strings to tensors, received keys {keys}")
        return keys
    return [f"output_{i}" for i in range(n)]
