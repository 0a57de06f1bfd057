"""``ConcreteFunction``: one traced graph of a ``tf.function`` (``f.get_concrete_function(...)``)."""

from __future__ import annotations

from typing import Any

from . import composite_graph, nest
from .composite_specs import COMPOSITE_SPECS
from .graph import Graph, SymbolicTensor
from .indexed_slices import IndexedSlicesSpec
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
        self._check_literals(args, kwargs)
        return self._concrete(args, kwargs)

    def _check_literals(self, args: tuple, kwargs: dict) -> None:
        """Raises TypeError when a Python argument differs from the value it was traced with."""
        import inspect

        fn = getattr(self._concrete, "python_function", None)
        try:
            sig = inspect.signature(fn)
            traced = sig.bind_partial(
                *self._concrete.structured_input_signature[0], **self._concrete.structured_input_signature[1]
            ).arguments
            given = sig.bind_partial(*args, **kwargs).arguments
        except (TypeError, ValueError):
            return
        for name, value in given.items():
            want = traced.get(name)
            if name not in traced or isinstance(want, (list, tuple, dict)):
                continue
            if _is_tensor_arg(value) or _is_tensor_arg(want):
                continue
            try:
                same = bool(value is want or value == want)
            except Exception:
                continue
            if not same:
                raise TypeError(
                    f"Binding inputs to tf.function failed due to `Can not cast {value!r} to Literal[{want!r}]`. "
                    f"Received args: {args} and kwargs: {kwargs} for signature: {self._describe_signature()}."
                )

    def _describe_signature(self) -> str:
        args, kwargs = self._concrete.structured_input_signature
        names = [n for n, _ in _parameter_names(self._concrete, len(args))]
        params = [f"{n}: {_describe(v)}" for n, v in list(zip(names, args)) + list(kwargs.items())]
        return f"({', '.join(params)}) -> {_describe_output(self._concrete.structure)}"

    def pretty_printed_signature(self, verbose: bool = True) -> str:
        args, kwargs = self._concrete.structured_input_signature
        names = _parameter_names(self._concrete, len(args)) + [(k, "POSITIONAL_OR_KEYWORD") for k in kwargs]
        lines = ["Input Parameters:"]
        for (name, kind), value in zip(names, list(args) + list(kwargs.values())):
            lines.append(f"  {name} ({kind}): {_describe(value)}")
        lines.append("Output Type:")
        lines.append(f"  {_describe_output(self._concrete.structure)}")
        lines.append("Captures:")
        lines.append("  None")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<ConcreteFunction {self._describe_signature()} at 0x{id(self):X}>"

    def __str__(self) -> str:
        return f"ConcreteFunction {self.pretty_printed_signature()}"


def _parameter_names(concrete: _Concrete, n: int) -> list:
    """``(name, kind)`` of the first ``n`` positional arguments; those caught by ``*args`` are ``args_0``, ..."""
    import inspect

    fn = getattr(concrete, "python_function", None)
    out = []
    try:
        params = list(inspect.signature(fn).parameters.values()) if fn is not None else []
    except (TypeError, ValueError):
        params = []
    for p in params:
        if p.kind == p.VAR_POSITIONAL:
            out += [(f"{p.name}_{i}", "POSITIONAL_ONLY") for i in range(n - len(out))]
        elif p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            out.append((p.name, p.kind.name))
    out = out[:n]
    return out + [(f"arg{i}", "POSITIONAL_OR_KEYWORD") for i in range(len(out), n)]


def _describe(value: Any) -> str:
    if isinstance(value, COMPOSITE_SPECS + (IndexedSlicesSpec,)):
        return repr(value)
    if isinstance(value, TensorSpec):
        return f"TensorSpec(shape={value.shape}, dtype=tf.{value.dtype.name}, name={value.name!r})"
    # Python containers show their items' types, as TensorFlow's trace types do: List[Literal[1], Literal[-1]].
    if type(value) in (list, tuple):
        return f"{type(value).__name__.capitalize()}[{', '.join(_describe(v) for v in value)}]"
    if type(value) is dict:
        return f"Dict[{', '.join(f'[{k!r}, {_describe(v)}]' for k, v in value.items())}]"
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
