"""``ferroflow.function``: traces a Python function into a graph once per input signature, then runs the plan."""

from __future__ import annotations

import functools
import weakref
from typing import Any, Callable, Optional

import numpy as np

from . import context, nest
from .composite_specs import COMPOSITE_SPECS
from .concrete_function import ConcreteFunction
from .indexed_slices import IndexedSlices, IndexedSlicesSpec
from .ragged_tensor import RaggedTensor
from .sparse_tensor import SparseTensor
from .tensor import EagerTensor
from .tensor_spec import TensorSpec
from .trace import FuncGraph, _Concrete, _signature_key, _spec_of  # noqa: F401  (others import FuncGraph from here)
from .trace_dispatch import covering_trace
from .variables import Variable


class Function:
    """A callable that traces ``python_function`` per input signature and runs the compiled graph.

    Tensors with a new shape or dtype, and Python values that differ, trigger a new trace, as in
    TensorFlow. With ``input_signature`` there is one trace, whose None dimensions accept any size;
    with ``reduce_retracing`` a tensor argument seen with two shapes is traced once more with the
    differing dimensions left open, and that trace then serves every shape it accepts.
    """

    def __init__(
        self,
        python_function: Callable,
        name: Optional[str] = None,
        input_signature: Any = None,
        reduce_retracing: bool = False,
        autograph: bool = True,
    ) -> None:
        self.python_function = python_function
        self._autograph = bool(autograph)
        self._converted: Any = None  # python_function converted by AutoGraph, made at the first trace
        self._name = name or getattr(python_function, "__name__", "function")
        self._traces: dict = {}
        # Traces made by tf.saved_model.save (saved_model/_trace.py), signature key -> recorded trace. TensorFlow
        # traces a function anew under its save context, once per signature, and reuses those at later saves.
        self._saved_traces: dict = {}
        self._fast_traces: dict = {}  # (shape, dtype) of each eager tensor argument -> its trace
        self.input_signature = None if input_signature is None else tuple(input_signature)
        self._reduce_retracing = bool(reduce_retracing)
        self._relaxed_specs: dict = {}  # structure of a call -> its tensors' specs, merged over calls
        functools.update_wrapper(self, python_function)
        if self.input_signature is not None:
            for spec in nest.flatten(self.input_signature):
                if not isinstance(spec, (TensorSpec, IndexedSlicesSpec) + COMPOSITE_SPECS):
                    raise TypeError(
                        "input_signature must hold tf.TensorSpec, tf.SparseTensorSpec, tf.RaggedTensorSpec or "
                        f"tf.IndexedSlicesSpec objects, received {spec!r}"
                    )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if context.current_graph() is not None:
            return self._graph_function()(*args, **kwargs)  # inlined into the graph being built
        if _RUN_EAGERLY[0]:
            return self.python_function(*args, **kwargs)
        if any(t._recording for t in context.active_tapes()):
            # A tape differentiates what it sees run: run the body eagerly so its ops are recorded.
            return self.python_function(*args, **kwargs)
        if not kwargs and self.input_signature is None and not self._reduce_retracing:
            # The common call, only eager tensors: keyed by their shapes and dtypes without walking nests.
            try:
                fast_key = tuple((tuple(a._t.shape), a._t.dtype) for a in args)
            except AttributeError:
                fast_key = None
            if fast_key is not None:
                concrete = self._fast_traces.get(fast_key)
                if concrete is None:
                    concrete = self._fast_traces[fast_key] = self._trace(args, kwargs)
                return concrete(args, kwargs)
        from ..distribute.values import expand_distributed

        # A strategy's PerReplica arguments (a distributed dataset's elements) are traced and fed as their parts.
        args, kwargs = expand_distributed((args, kwargs))
        if self.input_signature is not None:
            args, kwargs = self._bind_signature(args, kwargs), {}
            trace_args, trace_kwargs = self.input_signature, {}
        elif self._reduce_retracing:
            trace_args, trace_kwargs = self._relaxed(args, kwargs)
        else:
            trace_args, trace_kwargs = args, kwargs
        return self._trace(trace_args, trace_kwargs)(args, kwargs)

    def _trace(self, args: tuple, kwargs: dict) -> _Concrete:
        """The trace for these arguments (tensor arguments may be ``TensorSpec``s), traced now if new."""
        key = _signature_key(args, kwargs)
        concrete = self._traces.get(key)
        if concrete is None:
            # As TensorFlow's function cache: a trace whose specs accept these arguments serves them (a trace
            # for shape None serves every shape), so only arguments no trace accepts are traced anew.
            concrete = covering_trace(self._traces, key)
        if concrete is None:
            concrete = _Concrete(self._graph_function(), args, kwargs, self._name)
            concrete.python_function = self.python_function
            concrete.function = weakref.ref(self)  # the tf.function a signature's concrete function came from
            self._traces[key] = concrete
        return concrete

    def _graph_function(self) -> Callable:
        """What tracing calls: with ``autograph``, the function converted so that Python control flow on
        tensors builds graph control flow (user code only; anything else is called as it is)."""
        if not self._autograph:
            return self.python_function
        if self._converted is None:
            from ..autograph._conversion import maybe_convert

            self._converted = maybe_convert(self.python_function)
        return self._converted

    def _bind_signature(self, args: tuple, kwargs: dict) -> tuple:
        """The call's arguments checked against ``input_signature``, as a positional tuple."""
        if kwargs:
            import inspect

            try:
                bound = inspect.signature(self.python_function).bind(*args, **kwargs)
            except TypeError as e:
                raise TypeError(f"{self._name}: {e}") from None
            args = bound.args
        if len(args) != len(self.input_signature):
            raise TypeError(
                f"{self._name} has an input_signature of {len(self.input_signature)} arguments, received {len(args)}"
            )
        flat_specs = nest.flatten(self.input_signature)
        flat_args = nest.flatten(args)
        if len(flat_args) != len(flat_specs):
            raise TypeError(
                f"{self._name}: the arguments do not have the structure of input_signature {self.input_signature}"
            )
        for i, (spec, value) in enumerate(zip(flat_specs, flat_args)):
            if isinstance(value, Variable):
                value = value.value()
            got = _spec_of(value)
            if type(got) is not type(spec) or not spec.is_compatible_with(got):
                received = (
                    f"a tensor of shape {got.shape} and dtype {got.dtype.name}" if isinstance(got, TensorSpec) else got
                )
                raise TypeError(
                    f"{self._name}: input {i} must be compatible with {spec} (from input_signature), "
                    f"received {received}"
                )
        return nest.pack_sequence_as(self.input_signature, flat_args)

    def _relaxed(self, args: tuple, kwargs: dict) -> tuple:
        """For ``reduce_retracing``: the arguments to trace with, tensors whose shapes were seen to vary
        replaced by specs with those dimensions open (None)."""
        flat = nest.flatten((args, kwargs))
        tensors = [isinstance(v, (EagerTensor, np.ndarray) + _COMPOSITES) for v in flat]
        structure = (
            _signature_key(args, kwargs)[1],
            tuple(_relaxable_kind(v) if t else ("O", id(v)) for v, t in zip(flat, tensors)),
        )
        specs = [_spec_of(v) if t else None for v, t in zip(flat, tensors)]
        seen = self._relaxed_specs.get(structure)
        if seen is None:
            self._relaxed_specs[structure] = specs
            return args, kwargs
        merged = [
            None
            if s is None
            else s.most_specific_common_supertype([o])
            if isinstance(s, _COMPOSITE_SPECS)
            else TensorSpec(s.shape.most_specific_compatible_shape(o.shape), s.dtype)
            for s, o in zip(specs, seen)
        ]
        self._relaxed_specs[structure] = merged
        if all(m is None or _same_shapes(m, s) for m, s in zip(merged, specs)):
            return args, kwargs
        trace_flat = [v if m is None else m for v, m in zip(flat, merged)]
        return nest.pack_sequence_as((args, kwargs), trace_flat)

    def get_concrete_function(self, *args: Any, **kwargs: Any) -> ConcreteFunction:
        """The trace for these arguments (tensors or ``TensorSpec``s), traced now if needed; with an
        ``input_signature``, the signature's trace."""
        if self.input_signature is not None:
            return ConcreteFunction(self._trace(self.input_signature, {}), self._name)
        return ConcreteFunction(self._trace(args, kwargs), self._name)

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return self
        # One Function per instance (as TensorFlow does), so each object's traces are its own.
        bound = instance.__dict__.get(("__tf_function__", id(self))) if hasattr(instance, "__dict__") else None
        if bound is None:
            bound = Function(
                functools.partial(self.python_function, instance),
                self._name,
                self.input_signature,
                self._reduce_retracing,
                self._autograph,
            )
            if hasattr(instance, "__dict__"):
                instance.__dict__[("__tf_function__", id(self))] = bound
        return bound

    def experimental_get_tracing_count(self) -> int:
        return len(self._traces)

    def pretty_printed_concrete_signatures(self, verbose: bool = True) -> str:
        traces = self._traces.values()
        return "\n\n".join(ConcreteFunction(c, self._name).pretty_printed_signature(verbose) for c in traces)


_COMPOSITES = (SparseTensor, RaggedTensor, IndexedSlices)
_COMPOSITE_SPECS = COMPOSITE_SPECS + (IndexedSlicesSpec,)


def _same_shapes(merged: Any, spec: Any) -> bool:
    """Whether relaxing left ``spec`` as it was (IndexedSlices also have the shape of their indices)."""
    if isinstance(spec, IndexedSlicesSpec):
        return merged == spec
    return merged.shape._dim_list == spec.shape._dim_list


def _relaxable_kind(v: Any) -> tuple:
    """What must match for two calls' tensor arguments to share a relaxed trace: kind, dtype and rank."""
    spec = _spec_of(v)
    if isinstance(spec, _COMPOSITE_SPECS):
        return ("C", type(spec).__name__, spec.dtype.name, spec.shape.rank, getattr(spec, "ragged_rank", 0))
    return ("T", spec.dtype.name, len(v.shape))


# ``tf.config.run_functions_eagerly``: when set, functions run their Python body on every call.
_RUN_EAGERLY = [False]


def run_functions_eagerly(run_eagerly: bool) -> None:
    """``tf.config.run_functions_eagerly``: run every ``tf.function`` as plain Python (for debugging)."""
    _RUN_EAGERLY[0] = bool(run_eagerly)


def functions_run_eagerly() -> bool:
    return _RUN_EAGERLY[0]


def function(
    func: Optional[Callable] = None,
    input_signature: Any = None,
    autograph: bool = True,
    jit_compile: Any = None,
    reduce_retracing: bool = False,
    **unused: Any,
) -> Any:
    """``tf.function``: usable as ``@function`` or ``@function(...)``.

    With ``autograph`` (the default) Python control flow on tensors in the function becomes graph control
    flow (``tf.autograph``). ``jit_compile`` is accepted; the plan is compiled and fused either way.
    """
    options = {"input_signature": input_signature, "reduce_retracing": reduce_retracing, "autograph": autograph}
    if func is None:
        return lambda f: Function(f, **options)
    return Function(func, **options)
