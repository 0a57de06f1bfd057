"""The loop variables of a converted tensor loop, and the ``tf.while_loop`` that carries them.

A variable first assigned inside the loop (undefined before it, or None) is defined automatically, as
TensorFlow's AutoGraph does: the body is traced once into a scratch graph to learn the variable's dtype and
shape, and the loop starts it at zeros of that shape; a traced function then checks at run time that the
loop ran at least once (inside another control-flow body that check is not available and is skipped).
"""

from __future__ import annotations

from typing import Any, Callable

from ..framework import context, nest
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ._operators import Undefined, located


class LoopVars:
    def __init__(
        self, names: tuple, get_state: Callable, set_state: Callable, opts: dict, line: int, filename: str
    ) -> None:
        self.names, self.get_state, self.set_state = names, get_state, set_state
        self.opts, self.line, self.filename = opts, line, filename

    def where(self, message: str) -> str:
        return located(message, self.line, filename=self.filename)

    def run(self, hidden: list, cond_fn: Callable, step_fn: Callable, first_ok: Any, run_once: Callable) -> list:
        """Runs the loop: ``hidden`` are loop variables of the runtime (a counter), ``cond_fn(hidden)`` the
        condition and ``step_fn(hidden)`` one iteration (returning the next ``hidden``), both called with the
        user's variables already set; ``first_ok`` tells whether the first iteration runs and
        ``run_once()`` runs the body once (to define variables first assigned inside the loop). Returns the
        final values of ``hidden``."""
        from ..ops.control_flow_ops import while_loop

        init = list(self.get_state())
        invariants = [None] * len(init)
        undefined = [i for i, v in enumerate(init) if isinstance(v, Undefined) or v is None]
        if undefined:
            self._define(init, invariants, undefined, run_once, first_ok)
        values = [self._value(name, v) for name, v in zip(self.names, init)]
        self._user_invariants(init, values, invariants)
        if not hidden and not values:
            hidden = [convert_to_tensor(0)]  # tf.while_loop needs a loop variable
        h = len(hidden)

        def cond(*vs: Any) -> Any:
            self.set_state(tuple(vs[h:]))
            return cond_fn(list(vs[:h]))

        def body(*vs: Any) -> list:
            self.set_state(tuple(vs[h:]))
            new_hidden = list(step_fn(list(vs[:h])))
            after = [self._next(name, v) for name, v in zip(self.names, self.get_state())]
            return new_hidden + after

        shape_invariants = [nest.map_structure(lambda _: None, v) for v in hidden] + [
            nest.map_structure(lambda _: None, v) if s is None else s for v, s in zip(values, invariants)
        ]
        out = while_loop(
            cond,
            body,
            hidden + values,
            shape_invariants=shape_invariants,
            maximum_iterations=self.opts.get("maximum_iterations"),
        )
        self.set_state(tuple(out[h:]))
        return list(out[:h])

    def _value(self, name: str, v: Any) -> Any:
        try:
            return nest.map_structure(_leaf, v)
        except (TypeError, ValueError):
            raise TypeError(
                self.where(
                    f"'{name}' is a loop variable of a loop whose condition is a tensor (it is assigned in the loop "
                    "and read in a later iteration or after the loop), so it must be a tensor, a TensorArray, a "
                    f"Python number or a nested structure of them; it is {type(v).__name__}: {v!r}"
                )
            ) from None

    def _next(self, name: str, v: Any) -> Any:
        if isinstance(v, Undefined) or v is None:
            raise ValueError(self.where(f"'{name}' must have a value after each iteration of the loop, but it is {v}"))
        return self._value(name, v)

    def _user_invariants(self, init: list, values: list, invariants: list) -> None:
        """Shape invariants given with ``tf.autograph.experimental.set_loop_options``, matched to loop variables
        by the value they had when the loop started."""
        from ..framework.tensor_shape import TensorShape
        from ..ops._composite_loop_vars import is_composite_spec

        for value, shape in self.opts.get("shape_invariants") or ():
            for i, v in enumerate(init):
                if v is value or values[i] is value:
                    invariants[i] = shape if is_composite_spec(shape) else TensorShape(shape)

    def _define(self, init: list, invariants: list, undefined: list, run_once: Callable, first_ok: Any) -> None:
        """Gives the variables at ``undefined`` a starting value of the type the body assigns them."""
        from ..ops._subgraph import SubGraph

        probe = [Undefined(self.names[i]) if i in undefined else v for i, v in enumerate(init)]
        scratch = SubGraph(context.current_graph())
        try:
            with scratch.as_default():
                self.set_state(tuple(probe))
                run_once()
                after = list(self.get_state())
        except Exception as e:
            text = str(e)
            name = next((self.names[i] for i in undefined if f"'{self.names[i]}'" in text), self.names[undefined[0]])
            raise ValueError(
                self.where(
                    f"'{name}' must be defined before the loop\nNote: AutoGraph tried to define it automatically, "
                    f"but ran into a {type(e).__name__}: {text}"
                )
            ) from e
        finally:
            self.set_state(tuple(init))
        for i in undefined:
            v = after[i]
            if isinstance(v, Undefined) or v is None:
                raise ValueError(self.where(f"'{self.names[i]}' must be defined before the loop"))
            try:
                init[i] = nest.map_structure(_zeros_like_spec, v)
            except (TypeError, ValueError):
                raise TypeError(
                    self.where(
                        f"'{self.names[i]}' is first assigned inside a loop whose condition is a tensor, so it must "
                        f"be a tensor or a nested structure of tensors; it is {type(v).__name__}"
                    )
                ) from None
            invariants[i] = nest.map_structure(lambda t: _leaf(t).shape, v)
        self._check_ran(first_ok, [self.names[i] for i in undefined])

    def _check_ran(self, first_ok: Any, names: list) -> None:
        from ..ops._subgraph import SubGraph
        from ..ops.assert_ops import _check

        graph = context.current_graph()
        if isinstance(graph, SubGraph) or not getattr(graph, "is_function", False):
            return
        message = f"assertion failed: [loop must iterate at least once to initialize {', '.join(names)}]"
        ok = first_ok if isinstance(first_ok, Tensor) else convert_to_tensor(bool(first_ok))
        _check(ok, lambda values: message, None)


def _leaf(v: Any) -> Any:
    from ..framework.variables import Variable
    from ..ops._composite_loop_vars import is_composite
    from ..ops.tensor_array_ops import TensorArray

    if isinstance(v, (Tensor, TensorArray)) or is_composite(v):  # sparse and ragged tensors travel as components
        return v
    if isinstance(v, Variable):
        return v.value()
    if not isinstance(v, (str, bytes)) and not _is_number(v):
        raise TypeError(f"not a tensor: {type(v).__name__}")
    return convert_to_tensor(v)


def _is_number(v: Any) -> bool:
    import numpy as np

    return isinstance(v, (bool, int, float, np.number, np.bool_, np.ndarray))


def _zeros_like_spec(v: Any) -> Any:
    """Zeros of ``v``'s dtype and static shape (unknown dimensions as 0), the start of an auto-defined
    loop variable."""
    from ..ops.array_ops import zeros

    t = _leaf(v)
    dims = t.shape._dim_list
    if dims is None:
        raise ValueError("a loop variable defined inside the loop must have a known rank")
    return zeros([0 if d is None else d for d in dims], dtype=t.dtype)
