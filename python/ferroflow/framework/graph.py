"""``Graph`` and ``SymbolicTensor``: building a dataflow graph from Python, node by node."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

from .. import _core
from . import context, graph_record
from .dtypes import as_dtype
from .graph_operation import Operation, _session_for
from .tensor import Tensor
from .tensor_shape import TensorShape


class Graph:
    """A dataflow graph (``tf.Graph``). Ops created inside ``with g.as_default():`` are added to it."""

    def __init__(self) -> None:
        self._g = _core.Graph()
        self._scopes: list = []
        self._scope_counts: dict = {}
        self._collections: dict = {}
        self._var_reads: dict = {}  # variable id -> read node ids, for gradients w.r.t. variables
        self.stateful_nodes: list = []  # assign nodes, which a traced function must always run
        self._custom_cuts: list = []  # calls of custom-gradient functions (custom_gradient.Cut)
        self._controls: list = []  # control-input nodes of the enclosing control_dependencies blocks
        # How nodes were built (graph_record.py), for export_meta_graph: node -> (op name, attrs), the
        # recorded gradients calls and shape refinements.
        self._records: dict = {}
        self._grad_calls: list = []
        self._refines: list = []

    # -- building
    def as_default(self) -> contextlib.AbstractContextManager:
        return context.graph_scope(self)

    def push_scope(self, name: str) -> str:
        base = "/".join(self._scopes + [name])
        n = self._scope_counts.get(base, 0)
        self._scope_counts[base] = n + 1
        unique = name if n == 0 else f"{name}_{n}"
        self._scopes.append(unique)
        return "/".join(self._scopes)

    def pop_scope(self) -> None:
        self._scopes.pop()

    def scoped(self, name: str) -> str:
        return "/".join(self._scopes + [name]) if self._scopes else name

    def add_node(self, op: Any, inputs: list, name: str) -> int:
        node = graph_record.add_recorded(self, op, inputs, self.scoped(name))
        if self._controls:
            # Consumers of the node see it through its control dependencies (control_flow_deps).
            node = graph_record.add_recorded(
                self, _after_controls(), [node, *self._controls], self.scoped(name + "/control_dependency")
            )
        return node

    def control_dependencies(self, control_inputs: Any) -> contextlib.AbstractContextManager:
        """Ops created in this block run after ``control_inputs``; ``None`` clears enclosing blocks'."""
        from .control_flow_deps import graph_control_dependencies

        return graph_control_dependencies(self, control_inputs)

    def tensor(self, node: int) -> SymbolicTensor:
        return SymbolicTensor(self, node)

    def add_to_collection(self, key: str, value: Any) -> None:
        self._collections.setdefault(key, []).append(value)

    def add_to_collections(self, names: Any, value: Any) -> None:
        """Adds ``value`` to each collection in ``names`` (one name or a list; each once)."""
        for key in [names] if isinstance(names, str) else dict.fromkeys(names):
            self.add_to_collection(key, value)

    def get_collection(self, key: str, scope: Any = None) -> list:
        """A copy of collection ``key``; with ``scope``, only the items whose ``name`` matches it from the start
        (``re.match``), as TF1's ``Graph.get_collection``."""
        items = list(self._collections.get(key, []))
        if scope is None:
            return items
        import re

        return [v for v in items if getattr(v, "name", None) is not None and re.match(scope, v.name)]

    def get_collection_ref(self, key: str) -> list:
        """The collection ``key`` itself (created empty if needed): changes to the list change the collection."""
        return self._collections.setdefault(key, [])

    def get_all_collection_keys(self) -> list:
        return [key for key, items in self._collections.items() if items]

    def clear_collection(self, key: str) -> None:
        self._collections.pop(key, None)

    def get_operations(self) -> list:
        """The graph's operations in the order they were added, as ``Operation`` objects."""
        return [Operation(self.tensor(i)) for i in range(len(self._g))]

    def get_tensor_by_name(self, name: str) -> SymbolicTensor:
        """The tensor named ``"<op name>:0"``: KeyError when the graph has none."""
        from .graph_lookup import tensor_by_name

        return tensor_by_name(self, name)

    def get_operation_by_name(self, name: str) -> Operation:
        from .graph_lookup import operation_by_name

        return operation_by_name(self, name)

    def __len__(self) -> int:
        return len(self._g)

    @contextlib.contextmanager
    def name_scope(self, name: str) -> Iterator[str]:
        yield self.push_scope(name)
        self.pop_scope()


class _NoValueError(AttributeError, TypeError):
    """TensorFlow's AttributeError for ``.numpy()`` of a graph tensor; also a TypeError, the error of using a
    value a graph tensor does not have, which code tracing a step catches to explain what to change."""


class SymbolicTensor(Tensor):
    """The output of a node in a graph: it has a static shape and dtype, and a value only when run."""

    __slots__ = ("graph", "node")

    def __init__(self, graph: Graph, node: int) -> None:
        self.graph = graph
        self.node = node

    def _info(self) -> tuple:
        return self.graph._g.node(self.node)

    @property
    def name(self) -> str:
        return self._info()[0] + ":0"

    @property
    def op_type(self) -> str:
        return self._info()[1]

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._info()[2])

    @property
    def dtype(self):
        return as_dtype(self._info()[3])

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def device(self) -> str:
        """Where the op is placed: empty, as for TensorFlow's unplaced graph ops."""
        return ""

    @property
    def op(self) -> Operation:
        """The operation that produces this tensor."""
        return Operation(self)

    def set_shape(self, shape: Any) -> None:
        """Narrows the static shape to ``shape`` (``[None, None, 3]`` after a decode): ops built from this tensor
        afterwards see the merged shape. ValueError when the two are incompatible."""
        want = TensorShape(shape)
        if not self.shape.is_compatible_with(want):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied shape {want}")
        graph_record.refine_shape(self.graph, self.node, None if want.rank is None else want.as_list())

    def run(self, feed_dict: Any = None, session: Any = None) -> None:
        """Runs the node in ``session`` or the default session: ops such as an initializer or a training
        step are returned as their output tensor here, so ``init.run()`` works as ``Operation.run``."""
        self.op.run(feed_dict=feed_dict, session=session)

    def eval(self, feed_dict: Any = None, session: Any = None) -> Any:
        """The tensor's value from ``session`` or the default session (``with sess.as_default():``)."""
        return _session_for(session, "eval").run(self, feed_dict=feed_dict)

    @property
    def numpy(self) -> Any:
        # As TensorFlow's graph tensors, which have no ``numpy`` (``hasattr(t, "numpy")`` is False): the value is
        # only known when the graph runs (Session.run, or calling the function eagerly).
        raise _NoValueError("'SymbolicTensor' object has no attribute 'numpy'")

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self.shape} dtype={self.dtype.name}>"

    def __str__(self) -> str:
        # TensorFlow's graph-tensor text: the shape is left out when even its rank is unknown.
        shape = "" if self.shape.rank is None else f", shape={self.shape}"
        return f'Tensor("{self.name}"{shape}, dtype={self.dtype.name})'

    def __bool__(self) -> bool:
        raise TypeError(
            f"using the symbolic tensor '{self.name}' as a Python bool is not allowed: "
            "its value is only known when the graph runs (use ferroflow.where / ferroflow.cond)"
        )

    def __hash__(self) -> int:
        return hash((id(self.graph), self.node))

    def __len__(self) -> int:
        d = self.shape
        if d.rank is None or d.rank == 0 or d[0] is None:
            raise TypeError(f"len() of the symbolic tensor '{self.name}' is not known: shape {d}")
        return d[0]


def as_symbolic(graph: Graph, value: Any) -> SymbolicTensor:
    """Brings a value into ``graph``: symbolic tensors of the graph pass, eager values become constants."""
    from .ops import convert_to_tensor
    from .tensor import EagerTensor

    if isinstance(value, SymbolicTensor):
        if value.graph is not graph and hasattr(graph, "capture_outer"):
            return graph.capture_outer(value)  # a control-flow body using a tensor of an enclosing graph
        if value.graph is not graph:
            raise ValueError(f"tensor '{value.name}' belongs to another graph; it cannot be used in this one")
        return value
    if isinstance(value, EagerTensor) and hasattr(graph, "capture"):
        return graph.capture(value)
    t = convert_to_tensor(value) if not isinstance(value, EagerTensor) else value
    if isinstance(t, SymbolicTensor):  # an object converting itself to a graph tensor (``__tf_tensor__``)
        return as_symbolic(graph, t)
    # One node per eager tensor (a ``tf.constant`` of a TF1 graph) outside control_dependencies blocks, so that
    # ``tf.gradients(y, x)`` and ``feed_dict={x: ...}`` reach the node every use of ``x`` reads.
    shared = isinstance(value, EagerTensor) and not getattr(graph, "_controls", None)
    consts = graph.__dict__.setdefault("_eager_consts", {}) if shared else None
    if consts is not None and id(value) in consts:
        return SymbolicTensor(graph, consts[id(value)][1])
    node = graph.add_node(_core.Op("const", {"value": t._t}), [], "Const")
    if consts is not None:
        consts[id(value)] = (value, node)  # the tensor is kept so that its id is not reused
    return SymbolicTensor(graph, node)


def _after_controls() -> Any:
    from .ops import make_op

    return make_op("after_controls")
