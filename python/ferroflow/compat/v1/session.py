"""``tf.compat.v1.Session``: runs the parts of a graph that the fetches need, with values fed by ``feed_dict``.

Each distinct (fetches, fed tensors) pair is compiled into a plan once and cached, so a training loop
of ``sess.run(train_op, feed_dict=...)`` only feeds values and runs the plan.
"""

from __future__ import annotations

from typing import Any, Optional

from ... import _core
from ...framework import context, nest
from ...framework.graph import Graph, Operation, SymbolicTensor
from ...framework.tensor import EagerTensor
from ...framework.variables import Variable
from ._session_scope import SessionScope, _default
from .config_proto import apply_threads, check_config, log_placement
from .feed_values import feed_value as _feed_value
from .host_tensor import has_host_fetches, run_with_host
from .python_nodes import python_nodes
from .run_trace import traced_run, wants_cost_graph, wants_trace

# Node types that are operations rather than values: TF1 fetches them as None.
_OP_TYPES = {"NoOp"}

# A graph collection of objects with ``before_run(session, fetch_nodes, fed_nodes, feed_dict)``: Python that
# must run before a plan whose fetches reach its nodes (tf.data iterators: their initializers and get_next),
# returning ``{node: NumPy value}`` to feed alongside the user's feeds.
BEFORE_RUN = "session_before_run"


def get_default_session() -> Optional[Session]:
    """The session made default by ``with sess.as_default():`` (or an ``InteractiveSession``), else None."""
    return _default.sessions[-1] if _default.sessions else None


class Session(SessionScope):
    """``tf.compat.v1.Session(target='', graph=None, config=None)`` over ``graph`` (the default graph if None)."""

    def __init__(self, target: str = "", graph: Optional[Graph] = None, config: Any = None) -> None:
        self._graph = graph if graph is not None else context.get_default_graph()
        self._plans: dict = {}
        self._reads: dict = {}  # variable -> its read node, made once so repeated fetches add no nodes
        self._names: dict = {}
        self._names_len = 0
        self._op_nodes: dict = {}
        self._closed = False
        self._contexts: list = []
        self._config = check_config(config)
        apply_threads(self._config)
        self._placed = 0  # nodes whose placement log_device_placement has printed
        self._step = 0
        self._close_callbacks: list = []  # state kept per session (queues) cancels its waiting operations

    @property
    def graph(self) -> Graph:
        return self._graph

    @property
    def sess_str(self) -> str:
        return ""

    # -- running
    def run(self, fetches: Any, feed_dict: Optional[dict] = None, options: Any = None, run_metadata: Any = None) -> Any:
        """Values of ``fetches`` (a tensor, op, variable, name, or nested list/tuple/dict of them) as NumPy."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        flat = nest.flatten(fetches)
        if not flat and nest.is_nested(fetches):
            return fetches
        if has_host_fetches(flat):  # summaries and other values Python computes from the fetched ones
            return run_with_host(self, fetches, feed_dict, options, run_metadata)
        graph = self._graph
        # A graph tensor of this session's graph (most fetches of a training loop) is its node.
        fetch_nodes = [f.node if type(f) is SymbolicTensor and f.graph is graph else self._fetch_node(f) for f in flat]
        results = iter(
            self._run_nodes([n for n in fetch_nodes if n is not None], feed_dict or {}, options, run_metadata)
        )
        values = []
        for f, node in zip(flat, fetch_nodes):
            if node is None:
                values.append(f.numpy() if isinstance(f, EagerTensor) else f)
                continue
            out = next(results)
            values.append(None if self._is_op(node) else _to_numpy(out))
        return nest.pack_sequence_as(fetches, values) if nest.is_nested(fetches) else values[0]

    def _run_nodes(
        self,
        fetch_nodes: list,
        feed_dict: dict,
        options: Any = None,
        run_metadata: Any = None,
        fed: Optional[dict] = None,
    ) -> list:
        """The plan's outputs for ``fetch_nodes``; ``fed`` maps nodes to values fed besides ``feed_dict``."""
        feed_nodes, feed_values = self._feeds(feed_dict)
        pairs = dict(fed or {})
        pairs.update(zip(feed_nodes, feed_values))
        hooks = self._graph.get_collection(BEFORE_RUN)
        python = python_nodes(self._graph)
        if python is not None:  # print nodes and Python calls (python_nodes.py)
            groups = {entry[1] for hook in hooks for entry in getattr(hook, "_get_next", {}).values()}
            pairs.update(python.stage(self, fetch_nodes, pairs, feed_dict, list(groups)))
        if hooks:
            pairs = self._hook_feeds(hooks, fetch_nodes, feed_dict, pairs)
        feed_nodes = sorted(pairs)
        feed_values = [pairs[n] for n in feed_nodes]
        printers = python.print_fetches(self._graph._g, fetch_nodes, frozenset(feed_nodes)) if python else []
        extra = [n for _, p in printers for n in p.data]
        key = (tuple(fetch_nodes) + tuple(extra), tuple(feed_nodes))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._compile(list(key[0]), feed_nodes)
        if self._config is not None and self._config.log_device_placement:
            self._placed = log_placement(self._graph, self._placed)
        step, self._step = self._step, self._step + 1
        cost = wants_cost_graph(self._config, run_metadata, step)
        if wants_trace(options, run_metadata) or cost:
            outputs = traced_run(self, plan, feed_nodes, feed_values, list(key[0]), options, run_metadata, cost)
        else:
            outputs = plan.run(feed_values)
        at = len(fetch_nodes)
        for _, printer in printers:
            printer.fire(self, [o.numpy() for o in outputs[at : at + len(printer.data)]])
            at += len(printer.data)
        return outputs[: len(fetch_nodes)]

    def _hook_feeds(self, hooks: list, fetch_nodes: list, feed_dict: dict, pairs: dict) -> dict:
        """The feeds with the values of the ``BEFORE_RUN`` hooks added (a value already fed wins)."""
        for hook in hooks:
            for node, value in hook.before_run(self, fetch_nodes, set(pairs), feed_dict).items():
                pairs.setdefault(node, value)
        return pairs

    def _compile(self, fetches: list, feeds: list) -> Any:
        try:
            return self._graph._g.compile(fetches, feeds)
        except _core.FailedPreconditionError as e:
            if "placeholder" in str(e):
                raise _core.InvalidArgumentError(
                    f"You must feed a value for a placeholder tensor: {e}{_unrebuilt_note(self._graph, str(e))}"
                ) from None
            raise

    def _fetch_node(self, f: Any) -> Optional[int]:
        if isinstance(f, Operation):
            f = f._tensor
        if isinstance(f, SymbolicTensor):
            if f.graph is not self._graph:
                raise ValueError(
                    f"Fetch argument {f!r} cannot be interpreted as a Tensor: it is not an element of "
                    "this session's graph"
                )
            return f.node
        if isinstance(f, Variable):
            if f.graph is self._graph and getattr(f, "_fetch_read", None) is not None:
                return f._fetch_read
            node = self._reads.get(f)
            if node is None:
                node = self._reads[f] = f._graph_read(self._graph)
            return node
        if isinstance(f, str):
            base = f[:-2] if f.endswith(":0") else f
            var = next((v for v in self._graph.get_collection("variables") if v.op.name == base), None)
            return self._fetch_node(var) if var is not None else self._node_by_name(f)
        if isinstance(f, EagerTensor):
            return None  # already a value
        raise TypeError(
            f"Fetch argument {f!r} has invalid type {type(f).__name__}: expected a Tensor, an op, a Variable, "
            "a tensor name, or a list/tuple/dict of them"
        )

    def _node_by_name(self, name: str) -> int:
        g = self._graph._g
        if self._names_len != len(g):
            for i in range(self._names_len, len(g)):
                self._names.setdefault(g.node(i)[0], i)
            self._names_len = len(g)
        base = name[:-2] if name.endswith(":0") else name
        if base not in self._names:
            raise ValueError(f"The name '{name}' refers to no tensor or operation in this session's graph")
        return self._names[base]

    def _is_op(self, node: int) -> bool:
        known = self._op_nodes.get(node)
        if known is None:
            # A variable's initializer is an operation in TF1: fetching it gives None.
            known = self._graph._g.node(node)[1] in _OP_TYPES or any(
                getattr(v, "initializer", None) is not None and v.initializer.node == node
                for v in self._graph.get_collection("variables")
            )
            self._op_nodes[node] = known
        return known

    def _feeds(self, feed_dict: dict) -> tuple:
        pairs = []
        for key, value in feed_dict.items():
            t = key
            if isinstance(key, str):
                t = self._graph.tensor(self._node_by_name(key))
            shared = getattr(self._graph, "_eager_consts", {}).get(id(key))
            if shared is not None and shared[0] is key:  # a tf.constant of this graph: its node
                t = self._graph.tensor(shared[1])
            if not isinstance(t, SymbolicTensor):
                raise TypeError(
                    f"The value of a feed_dict key must be a graph tensor (a placeholder, usually), received "
                    f"{type(key).__name__}: {key!r}"
                )
            if t.graph is not self._graph:
                raise ValueError(f"Cannot feed {t.name}: it is not an element of this session's graph")
            pairs.append((t.node, _feed_value(t, value)))
        pairs.sort(key=lambda p: p[0])
        return [p[0] for p in pairs], [p[1] for p in pairs]

    # -- lifetime
    def close(self) -> None:
        self._closed = True
        self._plans.clear()
        self._reads.clear()
        callbacks, self._close_callbacks = self._close_callbacks, []
        for callback in callbacks:
            callback()

    def _add_close_callback(self, callback: Any) -> None:
        """Calls ``callback()`` when the session closes (TensorFlow cancels the operations still waiting then)."""
        self._close_callbacks.append(callback)

    def list_devices(self) -> list:
        return []


class InteractiveSession(Session):
    """A session that makes itself the default session when created, for shells and notebooks."""

    def __init__(self, target: str = "", graph: Optional[Graph] = None, config: Any = None) -> None:
        super().__init__(target, graph, config)
        _default.sessions.append(self)

    def close(self) -> None:
        if self in _default.sessions:
            _default.sessions.remove(self)
        super().close()


def _unrebuilt_note(graph: Graph, message: str) -> str:
    """What a placeholder named in ``message`` stands for, when import_meta_graph made it for a node it could
    not rebuild (a Python call, a control-flow op)."""
    for node, what in getattr(graph, "_unrebuilt", {}).items():
        name = graph._g.node(node)[0]
        if f"'{name}'" in message:
            return f" (import_meta_graph could not rebuild this {what}; feed its value instead)"
    return ""


def _to_numpy(t: Any) -> Any:
    a = t.numpy()
    return a[()] if a.ndim == 0 else a  # TF1 gives NumPy scalars for rank-0 fetches


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
