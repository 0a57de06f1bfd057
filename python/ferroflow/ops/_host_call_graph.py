"""``tf.py_function`` / ``tf.numpy_function`` inside ``tf.function``: a native host-call node.

The node (``_core.Op.host_call``) calls back into Python in the middle of a run, taking the GIL, with its
inputs' values; its results have the dtypes of ``Tout`` and shapes known only when the function has run.
Exceptions map to TensorFlow's: ``ValueError``/``TypeError`` to ``InvalidArgumentError``, ``StopIteration``
to ``OutOfRangeError``, others to ``UnknownError``, each naming the Python exception.

``py_function`` is differentiable as in TensorFlow: the gradient node runs the function again eagerly under a
``GradientTape`` and returns the gradients of its floating results with respect to its floating inputs.
``numpy_function`` is not (gradients through it are None).
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional

import numpy as np

from .. import _core
from ..framework import context, nest
from ..framework.dtypes import as_dtype
from ..framework.ops import graph_input


def _results(base: str, result: Any, touts: list, many: bool, eager_tensors: bool) -> List[np.ndarray]:
    from ..compat.v1.py_func_graph import checked_results

    # As arrays: a scalar result's ``numpy()`` is a NumPy scalar, which the native side does not take.
    return [np.asarray(v) for v in checked_results(base, result, touts, many, eager_tensors)]


def _gradient(base: str, func: Callable, in_dtypes: list, touts: list, many: bool) -> Callable:
    """The gradient node's function: inputs, then one gradient per floating output -> one gradient per
    floating input (zeros where the output does not depend on it)."""
    float_in = [i for i, d in enumerate(in_dtypes) if d.is_floating]
    float_out = [k for k, d in enumerate(touts) if d.is_floating]

    def gradient(arrays: list) -> list:
        from ..compat.v1.py_func_graph import call_python
        from ..framework.ops import convert_to_tensor
        from ..framework.tape import GradientTape

        n = len(in_dtypes)
        with context.eager_scope():
            xs = [convert_to_tensor(a) for a in arrays[:n]]
            with GradientTape() as tape:
                for i in float_in:
                    tape.watch(xs[i])
                result = call_python(base, func, xs)
            values = list(result) if many and isinstance(result, (list, tuple)) else [result]
            ys = [convert_to_tensor(values[k], dtype=touts[k]) for k in float_out]
            dys = [convert_to_tensor(a) for a in arrays[n:]]
            grads = tape.gradient(ys, [xs[i] for i in float_in], output_gradients=dys)
            return [
                np.zeros(arrays[i].shape, arrays[i].dtype) if g is None else np.asarray(g.numpy(), arrays[i].dtype)
                for i, g in zip(float_in, grads)
            ]

    return gradient


def function_graph_call(
    graph: Any,
    func: Callable,
    inp: Any,
    Tout: Any,  # noqa: N803 (TensorFlow's name)
    eager_tensors: bool,
    stateful: bool,
    name: Optional[str],
) -> Any:
    """The results of calling ``func`` from ``graph`` (a traced function): one tensor (``Tout`` a dtype),
    a list (``Tout`` a list), or None (``Tout`` None)."""
    from ..framework.ops import make_op
    from ._subgraph import add_multi

    flat = nest.flatten(inp)
    inputs = [graph_input(graph, x) for x in flat]
    if graph._controls:  # the call runs after the control dependencies, as its effects may depend on them
        inputs = [graph._g.add(make_op("after_controls"), [n, *graph._controls], graph.scoped("input")) for n in inputs]
    in_dtypes = [graph.tensor(n).dtype for n in inputs]
    many = isinstance(Tout, (list, tuple))
    touts = [as_dtype(t) for t in (Tout if many else ([] if Tout is None else [Tout]))]
    base = name or ("EagerPyFunc" if eager_tensors else "PyFunc")

    def call(arrays: list) -> list:
        from ..compat.v1.py_func_graph import call_python

        with context.eager_scope():
            if eager_tensors:
                from ..framework.ops import convert_to_tensor

                args = [convert_to_tensor(a) for a in arrays]
            else:
                args = list(arrays)
            result = call_python(base, func, args)
        if not touts:
            return []
        return _results(base, result, touts, many, eager_tensors)

    differentiable = eager_tensors and any(d.is_floating for d in in_dtypes) and any(d.is_floating for d in touts)
    gradient = _gradient(base, func, in_dtypes, touts, many) if differentiable else None
    op = _core.Op.host_call(call, [(t.name, None) for t in touts], gradient, stateful, eager_tensors)
    if not touts:
        node = graph._g.add(op, inputs, graph.scoped(base))
        graph.stateful_nodes.append(node)
        return [] if many else None
    outputs = add_multi(graph, op, inputs, base, stateful)
    return outputs if many else outputs[0]
