"""Running an op: eagerly on values (recorded by active tapes) or as a new node of the current graph.

Converting values to tensors (``tensor_conversion``), binary operands (``operand_conversion``) and the
multi-op operators ``/`` and ``[]`` (``tensor_operators``) live in their own modules and are re-exported here,
where the rest of the package imports them from."""

from __future__ import annotations

from typing import Any, Optional, Sequence

from .. import _core
from . import context, graph_record

# Re-exported: the rest of the package imports these from here.
from .operand_conversion import NUMPY_PROMOTION, _is_python_number, binary_operands  # noqa: F401
from .tensor import EagerTensor, Tensor
from .tensor_conversion import CONVERSION_FUNCTIONS, _python_default_dtype, as_array, convert_to_tensor  # noqa: F401

_op_cache: dict = {}
# Called with each op run eagerly when device-placement logging is on (``framework.device``); None when off.
eager_op_logger: Optional[Any] = None
# Called as ``eager_op_observer(op, output)`` after each op run eagerly while tfdbg dumps them
# (``tf.debugging.experimental.enable_dump_debug_info``); None when off.
eager_op_observer: Optional[Any] = None


def make_op(name: str, attrs: Optional[dict] = None) -> Any:
    """The native op for ``name``; ops without attributes are built once and reused."""
    if not attrs:
        op = _op_cache.get(name)
        if op is None:
            op = _op_cache[name] = _core.Op(name, None)
            graph_record.note_cached(op, name)
        return op
    op = _core.Op(name, attrs)
    if context._state.graphs or not context._global["eager"]:  # a graph is being built: keep the build record
        graph_record.note(op, name, attrs)
    return op


# The execution context read on every op; bound once (neither object is ever rebound, only mutated).
_context_state = context._state
_context_global = context._global
_execute = _core.execute
_NO_TAPES: tuple = ()


def apply(name: str, inputs: Sequence[Any], attrs: Optional[dict] = None, op_name: Optional[str] = None) -> Tensor:
    """Applies op ``name`` to ``inputs``: eagerly when no graph is being built, else as a graph node.

    The common case (eager, every input an ``EagerTensor``, no device-placement logging) runs without the
    imports, conversions and graph lookups of the general path, since per-op dispatch cost dominates small ops."""
    if not _context_state.graphs and _context_global["eager"] and eager_op_logger is None:
        core_inputs = []
        for x in inputs:
            if type(x) is not EagerTensor:
                break
            core_inputs.append(x._t)
        else:
            op = _op_cache.get(name) if not attrs else None
            if op is None:
                op = make_op(name, attrs)
            tapes = _context_state.tapes
            result = _execute(op, core_inputs, [t._tape for t in tapes if t._recording] if tapes else _NO_TAPES)
            if eager_op_observer is not None:
                eager_op_observer(op, result)
            return EagerTensor(result)
    return _apply_general(name, inputs, attrs, op_name)


def _apply_general(name: str, inputs: Sequence[Any], attrs: Optional[dict], op_name: Optional[str]) -> Tensor:
    """``apply`` for any inputs (variables, values to convert, symbolic tensors) and any context."""
    from .graph import SymbolicTensor
    from .variables import Variable

    graph = context.current_graph()
    if graph is None:
        for x in inputs:
            if isinstance(x, SymbolicTensor):
                graph = x.graph
                break
    op = make_op(name, attrs)
    if graph is None:
        if eager_op_logger is not None:
            eager_op_logger(op)
        core_inputs = []
        for x in inputs:
            if isinstance(x, EagerTensor):
                core_inputs.append(x._t)
            elif isinstance(x, Variable):
                core_inputs.append(x.value()._t if x._autocast else x._eager_read())
            else:
                core_inputs.append(convert_to_tensor(x)._t)
        tapes = [t._tape for t in context.active_tapes() if t._recording]
        result = _core.execute(op, core_inputs, tapes)
        if eager_op_observer is not None:
            eager_op_observer(op, result)
        return EagerTensor(result)
    if attrs:
        graph_record.note(op, name, attrs)  # also when the graph was found from the inputs, not the context
    ids = [graph_input(graph, x) for x in inputs]
    node = graph.add_node(op, ids, op_name or op.type_name)
    if name in ("assign", "assign_add", "assign_sub"):
        graph.stateful_nodes.append(node)
    return graph.tensor(node)


def graph_input(graph: Any, x: Any) -> int:
    """The node id of ``x`` in ``graph``, adding a read (variables) or a constant (values) if needed."""
    from .graph import SymbolicTensor, as_symbolic
    from .variables import Variable

    if isinstance(x, Variable):
        if x._autocast_target() is not None:  # read as a mixed-precision layer's compute dtype
            with graph.as_default():
                return x.value().node
        return x._graph_read(graph)
    if isinstance(x, SymbolicTensor) and x.graph is graph:
        return x.node
    return as_symbolic(graph, x).node


# Last: tensor_operators imports apply from this module.
from .tensor_operators import getitem, truediv  # noqa: E402, F401
