"""``Variable``: mutable state shared by eager code, traced functions and sessions."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .. import _core
from . import autocast_scope, context, graph_record, variable_enums
from . import device as device_lib
from .dtypes import as_dtype
from .tensor import EagerTensor, Tensor, numpy_text
from .tensor_shape import TensorShape
from .variable_extras import VariableExtras
from .variable_operators import install as _install_operators


class Variable(VariableExtras):
    """``tf.Variable``. Eager by default; inside ``Graph.as_default()`` it gets an initializer op instead."""

    # Layer weights made with ``add_weight(autocast=True)`` set this: inside a mixed-precision layer's call they
    # read as its compute dtype (framework/autocast_scope.py).
    _autocast = False
    # As a Tensor's (and TensorFlow's variables'): `ndarray * variable` defers to Variable.__rmul__, so it is a
    # tensor the tape sees, not a NumPy array of the variable's current value.
    __array_priority__ = 100

    def __init__(
        self,
        initial_value: Any = None,
        trainable: Optional[bool] = None,
        name: Optional[str] = None,
        dtype: Any = None,
        shape: Any = None,
        validate_shape: bool = True,
        synchronization: Any = None,
        aggregation: Any = None,
        **unused: Any,
    ) -> None:
        from .graph import SymbolicTensor
        from .ops import apply, convert_to_tensor

        if initial_value is None:
            raise ValueError("Variable needs an initial_value (a value, a tensor or a callable)")
        self._synchronization, self._aggregation, self.trainable = variable_enums.resolve(
            synchronization, aggregation, trainable, name
        )
        graph = context.current_graph()
        if graph is not None and getattr(graph, "is_function", False):
            graph = None  # variables made while tracing a function are created eagerly, once
        if graph is None:
            # As in TensorFlow 2, eager variables are named by their name scope and need not be unique.
            self._name = context.eager_scoped_name(name or "Variable")
            with context.eager_scope():
                value = initial_value() if callable(initial_value) else initial_value
                if isinstance(value, SymbolicTensor):
                    value = _lifted_value(value, name)
                t = convert_to_tensor(value, dtype=dtype)
            self._v = _eager_cell(self._name, t, shape)
            self._device = device_lib.current_device().to_string()
            self.graph = None
            self.initializer = None
            if context.deferred_restore["pending"]:
                context.deferred_restore["dirty"] = True
            return
        # Graph mode (TF1 style): the value is set when the initializer op runs in a session. As in TF1 the name
        # carries the enclosing name scopes and is unique within the graph (``w``, ``w_1``; ``layer/w``).
        with graph.name_scope(name or "Variable") as self._name:
            value = initial_value() if callable(initial_value) else initial_value
            init = value if isinstance(value, SymbolicTensor) else convert_to_tensor(value, dtype=dtype)
            if dtype is not None and init.dtype != as_dtype(dtype):
                init = apply("cast", [init], {"dtype": as_dtype(dtype).name})
            static = shape if shape is not None else (init.shape._dim_list if validate_shape else None)
            self._v = _core.Variable(self._name, None, init.dtype.name, static)
            self.graph = graph
            self.initializer = apply("assign", [init], {"var": self._v}, op_name="Assign")
        # TF1's ``collections`` argument: GLOBAL_VARIABLES by default, TRAINABLE_VARIABLES added when trainable.
        collections = unused.get("collections")
        if collections is not None and not isinstance(collections, (list, tuple, set)):
            raise ValueError(
                f"collections argument to Variable constructor must be a list, tuple, or set. Got {collections} "
                f"of type {type(collections)}"
            )
        keys = ["variables"] if collections is None else list(collections)
        if self.trainable and "trainable_variables" not in keys:
            keys.append("trainable_variables")
        graph.add_to_collections(keys, self)
        # The node a session fetches for this variable, made now: plans run nodes in creation order, so a run that
        # also updates the variable returns its value from before the update, as TF1's sessions do in practice.
        read = _ops().make_op("read_variable", {"var": self._v})
        self._fetch_read = graph_record.add_recorded(graph, read, [], self._name + "/read")

    # -- reading
    def _watch_on_tapes(self) -> None:
        if not self.trainable:
            return
        for tape in context.active_tapes():
            if tape._recording and tape._watch_accessed:
                tape._tape.watch_variable(self._v)
                if all(v is not self for v in tape._watched):
                    tape._watched.append(self)  # reported by watched_variables()

    def _eager_read(self) -> Any:
        if context.deferred_restore["dirty"]:
            context.deferred_restore["dirty"] = False
            context.deferred_restore["pending"]()  # a checkpoint may hold this new variable's value
        self._watch_on_tapes()
        self._notify_read()
        return self._v.read()

    def _notify_read(self) -> None:
        for observe in context.read_observers():
            observe(self)

    def _graph_read(self, graph: Any) -> int:
        in_body = getattr(graph, "read_variable", None)  # a control-flow body reads in the enclosing graph
        node = None if in_body is None else in_body(self)
        if node is not None:
            return node
        self._notify_read()
        # TensorFlow's name for a resource variable's read: "ReadVariableOp" in the current name scope.
        node = graph.add_node(_ops().make_op("read_variable", {"var": self._v}), [], "ReadVariableOp")
        graph._var_reads.setdefault(self._v.id, []).append(node)
        return node

    def value(self) -> Tensor:
        graph = context.current_graph()
        if graph is None:
            t = EagerTensor(self._eager_read())
        else:
            t = graph.tensor(self._graph_read(graph))
        return self._autocast_read(t) if self._autocast else t

    def _autocast_target(self) -> Any:
        """The dtype this variable reads as now (an autocast scope's), or None when it reads as itself."""
        return autocast_scope.target_dtype(as_dtype(self._v.dtype)) if self._autocast else None

    def _autocast_read(self, t: Tensor) -> Tensor:
        target = self._autocast_target()
        return t if target is None else _ops().apply("cast", [t], {"dtype": target.name})

    def read_value(self) -> Tensor:
        """The variable's value; in a graph, as TensorFlow builds it, an ``Identity`` of a read made in the
        scope ``Read`` (``Identity:0`` reading ``Read/ReadVariableOp:0``)."""
        if context.current_graph() is None:
            return self.value()
        with context.name_scope("Read"):
            t = self.value()
        return _ops().apply("identity", [t])

    def eval(self, session: Any = None) -> np.ndarray:
        """TF1: the variable's value from ``session`` or the default session (an ``InteractiveSession``)."""
        from .graph import _session_for

        return _session_for(session, "eval").run(self)

    def numpy(self) -> Any:
        a = self._v.read().numpy()
        return a[()] if a.ndim == 0 else a  # a NumPy scalar for a 0-d variable, as in TensorFlow

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        a = self._v.read().numpy()
        return a if dtype is None else a.astype(dtype)

    # -- writing
    def _write(self, kind: str, value: Any, read_value: bool = True) -> Any:
        ops = _ops()
        own_dtype = as_dtype(self._v.dtype)  # not an autocast scope's dtype
        value = ops.convert_to_tensor(value, dtype=own_dtype) if not isinstance(value, Tensor) else value
        if kind == "assign" and self.graph is None and not value.shape.is_compatible_with(self.shape):
            raise ValueError(
                f"Cannot assign value to variable ' {self._name}:0': Shape mismatch.The variable shape "
                f"{self.shape}, and the assigned value shape {value.shape} are incompatible."
            )
        note = getattr(context.current_graph(), "note_assign", None)
        if note is not None:
            note(self)  # a control-flow body that assigns the variable must read it inside (ops/_subgraph.py)
        out = ops.apply(kind, [value], {"var": self._v})
        if isinstance(out, EagerTensor):
            self._v.touch()
            if not read_value:
                return None  # TensorFlow's eager assign op, which is None
            if type(self) is Variable and self._name_suffix == ":0":
                from .unread_variable import UnreadVariable

                return UnreadVariable(self)  # a tf.Variable's lazy read, as TensorFlow returns
            return self
        return out

    def assign(self, value: Any, use_locking: bool = False, name: Any = None, read_value: bool = True) -> Any:
        return self._write("assign", value, read_value)

    def assign_add(self, delta: Any, use_locking: bool = False, name: Any = None, read_value: bool = True) -> Any:
        return self._write("assign_add", delta, read_value)

    def assign_sub(self, delta: Any, use_locking: bool = False, name: Any = None, read_value: bool = True) -> Any:
        return self._write("assign_sub", delta, read_value)

    # -- description
    # TensorFlow names a variable after its value tensor, ``"<op name>:0"`` (``v.op.name`` is without the
    # suffix); Keras weights (layers, optimizers) keep Keras's plain names and set this to "".
    _name_suffix = ":0"

    @property
    def name(self) -> str:
        return self._name + self._name_suffix

    @property
    def path(self) -> str:
        return self._name

    @property
    def dtype(self):
        dtype = as_dtype(self._v.dtype)
        if self._autocast:
            return autocast_scope.target_dtype(dtype) or dtype
        return dtype

    @property
    def synchronization(self) -> variable_enums.VariableSynchronization:
        return getattr(self, "_synchronization", variable_enums.VariableSynchronization.AUTO)

    @property
    def aggregation(self) -> variable_enums.VariableAggregationV2:
        return getattr(self, "_aggregation", variable_enums.VariableAggregation.NONE)

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._v.shape)

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __len__(self) -> int:
        return self.shape[0]

    def _repr_name(self) -> str:
        return self._name + ":0"

    def __repr__(self) -> str:
        if self._v.is_initialized():
            return (
                f"<tf.Variable '{self._repr_name()}' shape={self.shape} dtype={self.dtype.name}, "
                f"numpy={numpy_text(self.numpy(), True)}>"
            )
        return f"<tf.Variable '{self._repr_name()}' shape={self.shape} dtype={self.dtype.name}>"

    __hash__ = object.__hash__


def _eager_cell(name: str, t: Any, shape: Any) -> Any:
    """The core cell of an eager variable. An explicit ``shape`` is its static shape, which may leave
    dimensions unknown (``[None, 3]``): ``v.shape`` reports it and later assigns may change those dimensions,
    as in TensorFlow; it must be compatible with the initial value."""
    if shape is None:
        return _core.Variable(name, t._t)
    static = TensorShape(shape)
    if not t.shape.is_compatible_with(static):
        raise ValueError(
            f"In this `tf.Variable` creation, the initial value's shape ({t.shape}) is not compatible with "
            f"the explicitly supplied `shape` argument ({shape})."
        )
    cell = _core.Variable(name, None, t.dtype.name, static._dim_list)
    cell.assign(t._t)
    return cell


def _ops():
    from . import ops

    return ops


_install_operators(Variable)


def _lifted_value(value: Any, name: Optional[str]) -> Any:
    """The value of an initial value computed in the function being traced (``tf.Variable(tf.random.uniform(
    ...))`` on a tf.function's first call): TensorFlow lifts such an initializer out of the function and runs it
    once; here its part of the graph runs once, with no inputs fed. One that reads the function's arguments
    cannot be lifted, as in TensorFlow."""
    try:
        return EagerTensor(value.graph._g.compile([value.node], []).run([])[0])
    except (_core.InvalidArgumentError, ValueError, RuntimeError) as e:
        raise ValueError(
            f"The initial value of variable {name or 'Variable'} created in a tf.function depends on the "
            f"function's inputs or state and cannot be lifted out of it: {e}"
        ) from None
