"""``tf.autodiff.ForwardAccumulator``: Jacobian-vector products (forward-mode autodiff).

A JVP is computed as the derivative of a vector-Jacobian product: with ``g(u) = J^T u`` (a reverse pass
with output gradient ``u``), ``J v = d<g(u), v>/du``, and ``g`` is linear in ``u``, so any ``u`` will do.
The reverse pass is recorded by a second tape, the way nested tapes give higher-order gradients. This
reuses every gradient rule instead of needing a forward rule per op, and works eagerly and in graphs.
"""

from __future__ import annotations

from typing import Any

from . import nest
from .tape import GradientTape
from .tensor import Tensor
from .unconnected import UnconnectedGradients
from .variables import Variable


class ForwardAccumulator:
    """``tf.autodiff.ForwardAccumulator(primals, tangents)``: watch ``primals``; ``jvp(target)`` is the
    derivative of ``target`` in the direction ``tangents``."""

    def __init__(self, primals: Any, tangents: Any) -> None:
        from .ops import convert_to_tensor

        self._primals = nest.flatten(primals)
        flat_tangents = nest.flatten(tangents)
        if len(flat_tangents) != len(self._primals):
            raise ValueError(
                f"ForwardAccumulator expects one tangent per primal: received {len(self._primals)} primals "
                f"and {len(flat_tangents)} tangents"
            )
        self._tangents = []
        for p, t in zip(self._primals, flat_tangents):
            if not isinstance(p, (Tensor, Variable)):
                raise TypeError(f"ForwardAccumulator primals must be tensors or variables, received {type(p).__name__}")
            t = convert_to_tensor(t, dtype=p.dtype)
            if list(t.shape) != list(p.shape):
                raise ValueError(
                    f"a tangent must have its primal's shape: expected {list(p.shape)}, received {list(t.shape)}"
                )
            self._tangents.append(t)
        self._tape = GradientTape(persistent=True, watch_accessed_variables=False)

    def __enter__(self) -> ForwardAccumulator:
        self._tape.__enter__()
        self._tape.watch(self._primals)
        return self

    def __exit__(self, *exc: object) -> None:
        self._tape.__exit__(*exc)

    def jvp(self, primals: Any, unconnected_gradients: Any = UnconnectedGradients.NONE) -> Any:
        """The JVP of each tensor in ``primals`` (a nested structure), shaped like it; ``None`` where it does
        not depend on the watched primals (zeros with ``UnconnectedGradients.ZERO``)."""
        zero = str(getattr(unconnected_gradients, "value", unconnected_gradients)).lower() == "zero"
        # The JVP's own ops are not part of the function being differentiated.
        recording, self._tape._recording = self._tape._recording, False
        try:
            out = [self._jvp_one(t, zero) for t in nest.flatten(primals)]
        finally:
            self._tape._recording = recording
        return nest.pack_sequence_as(primals, out)

    def _jvp_one(self, target: Any, zero: bool) -> Any:
        from ..ops.math_ops import reduce_sum
        from .ops import apply, convert_to_tensor

        for p, t in zip(self._primals, self._tangents):
            if target is p:
                return t
        target = target.value() if isinstance(target, Variable) else convert_to_tensor(target)
        cotangent = apply("fill_like", [target], {"value": 0.0})
        with GradientTape() as outer:
            outer.watch(cotangent)
            grads = self._tape._gradient_again(target, self._primals, [cotangent])
            terms = [reduce_sum(g * t) for g, t in zip(grads, self._tangents) if g is not None]
            total = None
            for term in terms:
                total = term if total is None else total + term
        result = None if total is None else outer.gradient(total, cotangent)
        if result is None and zero:
            result = apply("fill_like", [target], {"value": 0.0})
        return result
