"""TF1-era members of ``tf.Variable`` (``op``, ``initial_value``, ``initialized_value()``, ``count_up_to()``,
``load()``) and ``ref()``.

TF1 code names variables through ``v.op.name``, builds one variable's initial value from another's
(``tf.Variable(w.initialized_value() * 2)``) and sets values with ``v.load(value, sess)`` without adding ops.
"""

from __future__ import annotations

from typing import Any, Optional

from . import object_reference


class VariableOp:
    """The op of a variable (``v.op``): its name (the variable's name), type, graph and device."""

    type = "VarHandleOp"

    def __init__(self, variable: Any) -> None:
        self._variable = variable

    @property
    def name(self) -> str:
        # A Keras weight's name is its last part only (``kernel``); its op keeps TensorFlow's name (``dense/kernel``).
        return getattr(self._variable, "_name", None) or self._variable.name.split(":")[0]

    @property
    def graph(self) -> Any:
        return self._variable.graph

    @property
    def device(self) -> str:
        return ""

    def __repr__(self) -> str:
        return f"<tf.Operation '{self.name}' type={self.type}>"


class VariableExtras:
    """Mixed into ``Variable``."""

    ref = object_reference.ref
    experimental_ref = object_reference.experimental_ref

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        # ``tf.Variable(...)`` inside the scope of a strategy with several replicas makes a mirrored variable, as
        # TensorFlow's variable creator does there (distribute/values.py).
        from ..distribute.values import mirrored_class

        return object.__new__(mirrored_class(cls))

    @property
    def op(self) -> VariableOp:
        return VariableOp(self)

    @property
    def device(self) -> str:
        """Where the variable lives: the device current when an eager variable was made (a strategy's
        ``scope()`` places its variables there); empty for a graph variable, as TF1 leaves placement open."""
        return getattr(self, "_device", "")

    def _initial_tensor(self) -> Any:
        graph = self.graph  # type: ignore[attr-defined]
        inputs = graph._g.node(self.initializer.node)[4]  # type: ignore[attr-defined]
        return graph.tensor(inputs[0])

    @property
    def initial_value(self) -> Any:
        """The tensor a graph variable's initializer assigns (graph variables only: an eager variable keeps no
        copy of its first value)."""
        if self.graph is None:  # type: ignore[attr-defined]
            raise RuntimeError(
                "initial_value is kept for the variables of a graph; an eager variable has its value only"
            )
        return self._initial_tensor()

    def initialized_value(self) -> Any:
        """The value to build other initial values from: in a graph the initial value (so an initializer that
        uses it does not depend on running this variable's initializer first), eagerly the current value."""
        if self.graph is None:  # type: ignore[attr-defined]
            return self.value()  # type: ignore[attr-defined]
        return self._initial_tensor()

    def count_up_to(self, limit: int) -> Any:
        """Returns the value and increments it; ``OutOfRangeError`` once it has reached ``limit`` (TF1's epoch
        counters, ``tf.compat.v1.train.limit_epochs``)."""
        from ..compat.v1.state_ops import count_up_to

        return count_up_to(self, limit)

    def load(self, value: Any, session: Optional[Any] = None) -> None:
        """Sets a graph variable to ``value`` by running its initializer with the value fed (no new ops);
        eagerly, assigns it."""
        if self.graph is None:  # type: ignore[attr-defined]
            self.assign(value)  # type: ignore[attr-defined]
            return
        if session is None:
            from ..compat.v1.session import get_default_session

            session = get_default_session()
            if session is None:
                raise ValueError("Either session argument should be provided or default session should be established")
        session.run(self.initializer, {self._initial_tensor(): value})  # type: ignore[attr-defined]
