"""``GradientTape``: records eager ops for differentiation; inside a graph it differentiates symbolically."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator, Optional

from .. import _core
from . import context, graph_record, nest
from .tensor import EagerTensor, Tensor
from .variables import Variable


class GradientTape:
    """``tf.GradientTape(persistent=False, watch_accessed_variables=True)``."""

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True) -> None:
        self._persistent = persistent
        self._watch_accessed = watch_accessed_variables
        self._tape = _core.Tape()
        self._recording = False
        self._used = False
        self._watched: list = []
        self._watched_keys: set = set()  # eager tensors watched, so a function's captures of them differentiate
        self._cuts: list = []  # calls of custom-gradient functions recorded here (custom_gradient.Cut)

    def __enter__(self) -> GradientTape:
        self._recording = True
        context.push_tape(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self._recording = False
        context.pop_tape(self)

    def watch(self, tensor: Any) -> None:
        """Tracks tensors or variables (nested structures allowed) so gradients can be taken w.r.t. them."""
        for t in nest.flatten(tensor):
            if isinstance(t, (Variable, Tensor)) and not _is_trainable(t):
                _warn_watched_dtype(t)
            if isinstance(t, Variable):
                if all(v is not t for v in self._watched):
                    self._watched.append(t)
                if t.graph is None and context.current_graph() is None:
                    self._tape.watch_variable(t._v)
            elif isinstance(t, EagerTensor):
                self._tape.watch(t._t)
                self._watched_keys.add(t._t.key)
            elif isinstance(t, Tensor):
                pass  # symbolic tensors need no watching: gradients are taken on the graph
            else:
                raise ValueError(f"GradientTape.watch expects tensors or variables, received {type(t).__name__}")

    def watched_variables(self) -> tuple:
        return tuple(self._watched)

    @contextlib.contextmanager
    def stop_recording(self) -> Iterator[None]:
        self._recording = False
        try:
            yield
        finally:
            self._recording = True

    def reset(self) -> None:
        self._tape = _core.Tape()
        self._used = False
        self._cuts = []
        self._watched_keys = set()

    def gradient(
        self,
        target: Any,
        sources: Any,
        output_gradients: Any = None,
        unconnected_gradients: Any = "none",
    ) -> Any:
        """d(sum of target)/d(sources), shaped like ``sources``; ``None`` where unconnected."""
        if self._used and not self._persistent:
            raise RuntimeError(
                "a non-persistent GradientTape can only be used to compute one set of gradients; "
                "create it with persistent=True to call gradient() more than once"
            )
        self._used = True
        grads = self._gradient_again(target, sources, output_gradients, unconnected_gradients)
        return nest.pack_sequence_as(sources, grads)

    def jacobian(
        self,
        target: Any,
        sources: Any,
        unconnected_gradients: Any = "none",
        parallel_iterations: Any = None,
        experimental_use_pfor: bool = True,
    ) -> Any:
        """d target / d sources, each shaped ``target.shape + source.shape`` (one backward pass per element)."""
        self._check_reusable("jacobian")
        from .jacobians import jacobian

        return jacobian(self, target, sources, unconnected_gradients)

    def batch_jacobian(
        self,
        target: Any,
        source: Any,
        unconnected_gradients: Any = "none",
        parallel_iterations: Any = None,
        experimental_use_pfor: bool = True,
    ) -> Any:
        """Per-example Jacobians: ``[batch] + target.shape[1:] + source.shape[1:]``."""
        self._check_reusable("batch_jacobian")
        from .jacobians import batch_jacobian

        return batch_jacobian(self, target, source, unconnected_gradients)

    def _check_reusable(self, what: str) -> None:
        if self._used and not self._persistent:
            raise RuntimeError(
                f"a non-persistent GradientTape can only be used once; {what}() after gradient() needs "
                "GradientTape(persistent=True)"
            )
        self._used = True

    def _gradient_again(
        self, target: Any, sources: Any, output_gradients: Any = None, unconnected_gradients: Any = "none"
    ) -> list:
        """The flat list of gradients of ``target`` for ``sources``, without the single-use check."""
        targets = nest.flatten(target)
        flat_sources = nest.flatten(sources)
        for s in flat_sources:
            if not isinstance(s, (Tensor, Variable)):
                raise TypeError(f"gradient sources must be tensors or variables, received {type(s).__name__}")
        og = None if output_gradients is None else nest.flatten(output_gradients)
        # As in TensorFlow, integer, bool and string targets and sources have no gradient: None, not an error.
        if og is not None:
            og = [g for g, t in zip(og, targets) if _is_trainable(t)]
        targets = [t for t in targets if _is_trainable(t)]
        live = [s for s in flat_sources if _is_trainable(s)]
        graph = _graph_of(targets)
        if not targets or not live:
            found: Any = iter([None] * len(live))
        elif graph is not None:
            found = iter(self._graph_gradients(graph, targets, live, og))
        else:
            found = iter(self._eager_gradients_through_cuts(targets, live, og))
        grads = [next(found) if _is_trainable(s) else None for s in flat_sources]
        if str(getattr(unconnected_gradients, "value", unconnected_gradients)).lower() == "zero":
            from .ops import apply

            grads = [apply("fill_like", [s], {"value": 0.0}) if g is None else g for g, s in zip(grads, flat_sources)]
        return grads

    def _graph_gradients(self, graph: Any, targets: list, sources: list, og: Optional[list]) -> list:
        """Gradients on a graph. An eager tensor a traced function captured has a gradient only when this tape
        watches it, as in TensorFlow (an unwatched capture is a constant to the tape)."""
        keep = [not isinstance(s, EagerTensor) or s._t.key in self._watched_keys for s in sources]
        live = [s for s, k in zip(sources, keep) if k]
        found = iter(_symbolic_gradients(graph, targets, live, og) if live else [])
        return [next(found) if k else None for k in keep]

    def _eager_gradients_through_cuts(self, targets: list, sources: list, og: Optional[list]) -> list:
        def backprop(ts: list, ss: list, g: Optional[list]) -> list:
            return _add_identity_targets(self._eager_gradients(ts, ss, g), ts, ss, g)

        if not self._cuts:
            return backprop(targets, sources, og)
        from .custom_gradient import gradients_through_cuts

        return gradients_through_cuts(backprop, self._cuts, targets, sources, og)

    def _eager_gradients(self, targets: list, sources: list, og: Optional[list]) -> list:
        from .ops import convert_to_tensor

        tkeys = []
        for t in targets:
            t = t.value() if isinstance(t, Variable) else t
            if not isinstance(t, EagerTensor):
                t = convert_to_tensor(t)
            tkeys.append(t._t.key)
        skeys = [s._v.key if isinstance(s, Variable) else s._t.key for s in sources]
        og_core = None if og is None else [convert_to_tensor(g)._t for g in og]
        # Outer tapes that are recording see this gradient computation, so they can differentiate it.
        outer = [t._tape for t in context.active_tapes() if t is not self and t._recording]
        out = self._tape.gradient(tkeys, skeys, og_core, outer)
        return [None if g is None else EagerTensor(g) for g in out]


def _is_trainable(t: Any) -> bool:
    """Whether ``t`` can have a gradient (TensorFlow's ``IsTrainable``): floating or complex dtypes only."""
    dtype = getattr(t, "dtype", None)
    if dtype is None:
        return True  # Python numbers and lists become float tensors
    name = str(getattr(dtype, "name", dtype))
    return name.startswith(("float", "complex", "bfloat", "half", "double")) or name in ("resource", "variant")


_WATCH_WARNINGS = [0]


def _warn_watched_dtype(t: Any) -> None:
    """TensorFlow's warning (logged for the first 5 such watches) that a watched tensor will get no gradient."""
    if _WATCH_WARNINGS[0] >= 5:
        return
    _WATCH_WARNINGS[0] += 1
    from ..ops.context_ops import get_logger

    get_logger().warning(
        "The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.%s",
        getattr(t.dtype, "name", t.dtype),
    )


def _add_identity_targets(grads: list, targets: list, sources: list, og: Optional[list]) -> list:
    """A variable that is itself a target has gradient one (times its output gradient) with respect to
    itself, as in TensorFlow, where ``tape.gradient(v, v)`` is 1 whether or not v was read on the tape."""
    from .ops import apply, convert_to_tensor

    out = list(grads)
    for i, source in enumerate(sources):
        if not isinstance(source, Variable):
            continue
        for j, target in enumerate(targets):
            if target is source:
                seed = convert_to_tensor(og[j]) if og is not None else apply("fill_like", [source], {"value": 1.0})
                out[i] = seed if out[i] is None else out[i] + seed
    return out


def _graph_of(targets: list) -> Any:
    from .graph import SymbolicTensor

    for t in targets:
        if isinstance(t, SymbolicTensor):
            return t.graph
    return None


def _symbolic_gradients(graph: Any, targets: list, sources: list, og: Optional[list]) -> list:
    """Gradients on a graph: w.r.t. a variable they are summed over every read of it in the graph."""
    if graph._custom_cuts:
        from .custom_gradient import gradients_through_cuts

        def backprop(ts: list, ss: list, g: Optional[list]) -> list:
            return _symbolic_backprop(graph, ts, ss, g)

        return gradients_through_cuts(backprop, graph._custom_cuts, targets, sources, og)
    return _symbolic_backprop(graph, targets, sources, og)


def _symbolic_backprop(graph: Any, targets: list, sources: list, og: Optional[list]) -> list:
    from .ops import apply, graph_input

    ys = [graph_input(graph, t) for t in targets]
    xs: list = []
    spans: list = []
    for s in sources:
        nodes = graph._var_reads.get(s._v.id, []) if isinstance(s, Variable) else [graph_input(graph, s)]
        spans.append((len(xs), len(xs) + len(nodes)))
        xs.extend(nodes)
    grad_ys = None if og is None else [graph_input(graph, g) for g in og]
    ids = graph_record.gradients(graph, ys, xs, grad_ys) if xs else []
    out = []
    for lo, hi in spans:
        parts = [graph.tensor(i) for i in ids[lo:hi] if i is not None]
        if not parts:
            out.append(None)
            continue
        total = parts[0]
        for p in parts[1:]:
            total = apply("add", [total, p])
        out.append(total)
    return out
