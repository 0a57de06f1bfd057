"""``tf.custom_gradient`` and ``tf.recompute_grad``: functions whose gradient is a Python function.

A call made while gradients are being recorded becomes a *cut*: its outputs are fresh leaves that the tape
(or the graph, through a ``stop_gradient``) does not differentiate through. Taking a gradient then works
backwards over the cuts, newest first: the gradient reaching a cut's outputs is complete once every later
cut has been processed (nothing recorded before a cut can depend on its outputs), so its ``grad_fn`` is
called with it and the result flows on through the recorded ops as the output gradient of the cut's inputs.
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional

from . import context, nest
from .tensor import Tensor
from .variables import Variable


@dataclass
class Cut:
    """One call of a custom-gradient function: its tensor inputs, its (leaf) outputs and its gradient."""

    inputs: list
    outputs: list
    grad_fn: Callable
    variables: list = field(default_factory=list)


def custom_gradient(f: Optional[Callable] = None) -> Callable:
    """Decorates ``f(*x) -> (y, grad_fn)``; ``grad_fn(*upstream)`` returns the gradients of ``x`` (and, with a
    ``variables`` keyword, ``(grads_x, grads_variables)`` for the variables ``f`` read)."""
    if f is None:
        return custom_gradient
    return _custom_gradient(f, pause=False)


def _custom_gradient(f: Callable, pause: bool) -> Callable:
    @functools.wraps(f)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        graph = context.current_graph()
        if graph is None:
            if not any(t._recording for t in context.active_tapes()):
                return f(*args, **kwargs)[0]
            return _eager_call(f, args, kwargs, pause)
        if kwargs:
            raise ValueError(
                "The custom_gradient decorator currently supports keywords arguments only when eager execution "
                f"is enabled; received {sorted(kwargs)}"
            )
        return _graph_call(graph, f, args)

    return wrapped


def _run_collecting_variables(f: Callable, args: tuple, kwargs: dict, pause: bool) -> tuple:
    """Runs ``f``, noting the trainable variables it reads; with ``pause`` the tapes do not record it.

    Recorded, the forward pass costs memory but lets an outer tape differentiate a ``grad_fn`` that uses
    its intermediate values (higher-order gradients, as in TensorFlow); ``recompute_grad`` pauses."""
    read: list = []

    def note(v: Variable) -> None:
        if v.trainable and all(r is not v for r in read):
            read.append(v)

    tapes = [t for t in context.active_tapes() if t._recording] if pause else []
    context.read_observers().append(note)
    try:
        with _paused(tapes):
            result, grad_fn = f(*args, **kwargs)
    finally:
        context.read_observers().remove(note)
    import inspect

    if read and "variables" not in inspect.signature(grad_fn).parameters:
        raise TypeError(
            "If using @custom_gradient with a function that uses variables, then grad_fn must accept a keyword "
            f"argument 'variables'; the function read {[v.name for v in read]}"
        )
    return result, grad_fn, read


@contextlib.contextmanager
def _paused(tapes: list) -> Iterator[None]:
    """``tapes`` (all recording) do not record the body."""
    for t in tapes:
        t._recording = False
    try:
        yield
    finally:
        for t in tapes:
            t._recording = True


def _tensor_inputs(args: tuple) -> list:
    from .ops import convert_to_tensor

    return [a if isinstance(a, (Tensor, Variable)) else convert_to_tensor(a) for a in nest.flatten(list(args))]


def _eager_call(f: Callable, args: tuple, kwargs: dict, pause: bool) -> Any:
    from .ops import apply

    inputs = _tensor_inputs(args)
    result, grad_fn, variables = _run_collecting_variables(f, args, kwargs, pause)
    tapes = [t for t in context.active_tapes() if t._recording]
    with _paused(tapes):
        # Fresh tensors (new keys), so an output that is one of the inputs still becomes a leaf.
        outputs = [apply("identity", [y]) for y in nest.flatten(result)]
    for t in tapes:
        t.watch([y for y in outputs if y.dtype.is_floating] + variables)
        t._cuts.append(Cut(inputs, outputs, grad_fn, variables))
    return nest.pack_sequence_as(result, outputs)


def _graph_call(graph: Any, f: Callable, args: tuple) -> Any:
    from .ops import apply

    inputs = _tensor_inputs(args)
    result, grad_fn, variables = _run_collecting_variables(f, args, {}, pause=False)
    outputs = [apply("stop_gradient", [y]) for y in nest.flatten(result)]
    graph._custom_cuts.append(Cut(inputs, outputs, grad_fn, variables))
    return nest.pack_sequence_as(result, outputs)


def gradients_through_cuts(
    backprop: Callable, cuts: list, targets: list, sources: list, output_gradients: Optional[list]
) -> list:
    """The gradients of ``targets`` for ``sources`` when ``cuts`` (in recording order) stand between them.
    ``backprop(targets, sources, output_gradients)`` differentiates the recorded ops only."""
    from .ops import apply

    outputs = [y for c in cuts for y in c.outputs]
    first = backprop(targets, list(sources) + outputs, output_gradients)
    total = list(first[: len(sources)])
    reaching = dict(zip(map(id, outputs), first[len(sources) :]))

    def add(acc: Any, g: Any) -> Any:
        return g if acc is None else (acc if g is None else acc + g)

    for k in range(len(cuts) - 1, -1, -1):
        cut = cuts[k]
        upstream = [reaching.get(id(y)) for y in cut.outputs]
        if all(g is None for g in upstream):
            continue
        upstream = [apply("fill_like", [y], {"value": 0.0}) if g is None else g for g, y in zip(upstream, cut.outputs)]
        if cut.variables:
            input_grads, variable_grads = cut.grad_fn(*upstream, variables=cut.variables)
        else:
            input_grads, variable_grads = cut.grad_fn(*upstream), []
        input_grads = _as_list(input_grads, len(cut.inputs), "inputs")
        for v, g in zip(cut.variables, _as_list(variable_grads, len(cut.variables), "variables")):
            for i, s in enumerate(sources):
                if s is v:
                    total[i] = add(total[i], g)
        pairs = [(x, g) for x, g in zip(cut.inputs, input_grads) if g is not None]
        if not pairs:
            continue
        earlier = [y for c in cuts[:k] for y in c.outputs]
        grads = backprop([p[0] for p in pairs], list(sources) + earlier, [p[1] for p in pairs])
        for i in range(len(sources)):
            total[i] = add(total[i], grads[i])
        for y, g in zip(earlier, grads[len(sources) :]):
            reaching[id(y)] = add(reaching.get(id(y)), g)
    return total


def _as_list(grads: Any, n: int, what: str) -> list:
    flat = list(grads) if isinstance(grads, (list, tuple)) else [grads]
    if len(flat) != n:
        raise ValueError(
            f"custom_gradient's grad_fn must return one gradient per {what[:-1]}: expected {n} for the {what}, "
            f"received {len(flat)}"
        )
    return flat


def recompute_grad(f: Callable) -> Callable:
    """``tf.recompute_grad``: ``f``'s activations are not kept for the backward pass; the gradient runs ``f``
    again under a tape (trading compute for memory, as in gradient checkpointing)."""

    @functools.wraps(f)
    def wrapped(*args: Any) -> Any:
        def inner(*xs: Any) -> tuple:
            result = f(*xs)

            def grad(*upstream: Any, variables: Any = None) -> Any:
                from .ops import apply
                from .tape import GradientTape

                # New tensors standing for the inputs, so that the tape starts from them.
                fresh = [apply("identity", [x]) for x in xs]
                with GradientTape() as tape:
                    tape.watch(fresh)
                    again = f(*fresh)
                grads = tape.gradient(again, list(fresh) + list(variables or []), output_gradients=list(upstream))
                dx, dv = grads[: len(fresh)], grads[len(fresh) :]
                return (dx, dv) if variables else dx

            return result, grad

        return _custom_gradient(inner, pause=True)(*args)

    return wrapped
