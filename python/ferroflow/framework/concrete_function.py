"""``ConcreteFunction``: one traced graph of a ``tf.function`` (``f.get_concrete_function(...)``)."""

from __future__ import annotations

from typing import Any

from . import composite_graph, nest
from .composite_specs import COMPOSITE_SPECS
from .graph import Graph, SymbolicTensor
from .tensor_spec import TensorSpec
from .trace import _Concrete, _is_tensor_arg, _spec_of


class ConcreteFunction:
    """One traced graph of a ``tf.function`` (``f.get_concrete_function(...)``), callable with tensors."""

    def __init__(self, concrete: _Concrete, name: str) -> None:
        self._concrete = concrete
        self.name = name

    @property
    def graph(self) -> Graph:
        return self._concrete.graph

    @property
    def inputs(self) -> list:
        """The placeholders the arguments feed."""
        return list(self._concrete.inputs)

    @property
    def outputs(self) -> list:
        """The graph's output tensors, flat."""
        return list(self._concrete.outputs)

    @property
    def structured_outputs(self) -> Any:
        return self._concrete.structure

    @property
    def structured_input_signature(self) -> Any:
        """``(args, kwargs)`` with each tensor argument as its ``TensorSpec``."""
        return self._concrete.structured_input_signature

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        flat = nest.flatten((args, kwargs))
        tensors = [v for v in flat if _is_tensor_arg(v)]
        if len(tensors) != len(self._concrete.input_specs):
            raise TypeError(
                f"{self.name} takes {len(self._concrete.input_specs)} tensor arguments, received {len(tensors)}"
            )
        for i, (value, spec) in enumerate(zip(tensors, self._concrete.input_specs)):
            if type(_spec_of(value)) is not type(spec) or not spec.is_compatible_with(_spec_of(value)):
                raise TypeError(f"{self.name}: argument {i} must match {spec}, received {_spec_of(value)}")
        return self._concrete(args, kwargs)

    def pretty_printed_signature(self, verbose: bool = True) -> str:
        args, kwargs = self._concrete.structured_input_signature
        names = _parameter_names(self._concrete, len(args))
        lines = ["Input Parameters:"]
        for name, value in list(zip(names, args)) + list(kwargs.items()):
            lines.append(f"  {name} (POSITIONAL_OR_KEYWORD): {_describe(value)}")
        lines.append("Output Type:")
        lines.append(f"  {_describe_output(self._concrete.structure)}")
        lines.append("Captures:")
        lines.append("  None")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<ConcreteFunction {self.name} at 0x{id(self):X}>"


def _parameter_names(concrete: _Concrete, n: int) -> list:
    import inspect

    fn = getattr(concrete, "python_function", None)
    if fn is not None:
        try:
            return list(inspect.signature(fn).parameters)[:n]
        except (TypeError, ValueError):
            pass
    return [f"arg{i}" for i in range(n)]


def _describe(value: Any) -> str:
    if isinstance(value, COMPOSITE_SPECS):
        return repr(value)
    if isinstance(value, TensorSpec):
        return f"TensorSpec(shape={value.shape}, dtype=tf.{value.dtype.name}, name={value.name!r})"
    return f"Literal[{value!r}]"


def _describe_output(structure: Any) -> str:
    flat = nest.flatten(structure)
    parts = [
        f"TensorSpec(shape={v.shape}, dtype=tf.{v.dtype.name}, name=None)"
        if isinstance(v, SymbolicTensor)
        else repr(composite_graph.spec_of(v))
        if composite_graph.is_composite(v)
        else f"Literal[{v!r}]"
        for v in flat
    ]
    return parts[0] if len(parts) == 1 and not isinstance(structure, (list, tuple, dict)) else f"({', '.join(parts)})"
