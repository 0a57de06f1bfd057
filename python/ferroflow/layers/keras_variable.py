"""``keras.Variable``, the class of Keras layer weights: a ``tf.Variable`` named and printed as Keras 3's.

Keras 3 gives a weight made by ``add_weight(name="kernel")`` in layer ``dense`` the ``name`` ``"kernel"`` and the
``path`` ``"dense/kernel"``, and prints it as ``<Variable path=dense/kernel, shape=(3, 4), dtype=float32,
value=[...]>``. Here the weight stays a ``tf.Variable`` (a subclass), so gradient tapes, optimizers, traced
functions, checkpoints and sessions use it unchanged: they key it by its op name, which is the path.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Iterator, Optional

import numpy as np

from ..framework import context
from ..framework import variables as _variables
from ..framework.dtypes import as_dtype
from ..framework.ops import convert_to_tensor
from . import _resolve

_paths = threading.local()


@contextlib.contextmanager
def path_scope(layer_name: str) -> Iterator[None]:
    """Weights made inside (by this layer or the layers it builds) have paths under ``layer_name``, as Keras 3's
    name scopes give them (``sequential/dense/kernel``); TensorFlow name scopes do not enter paths."""
    stack = _paths.__dict__.setdefault("stack", [])
    entered = not stack or stack[-1] != layer_name  # a layer building itself in its own call: once
    if entered:
        stack.append(layer_name)
    try:
        yield
    finally:
        if entered:
            stack.pop()


def weight_path(layer_name: str, name: str) -> str:
    """The Keras 3 path of weight ``name`` of layer ``layer_name``, under the layers being built or called."""
    stack = list(_paths.__dict__.get("stack", []))
    if not stack or stack[-1] != layer_name:
        stack.append(layer_name)
    return "/".join(stack + [name])


class Variable(_variables.Variable):
    """Keras 3's ``keras.Variable(initializer, shape, dtype, trainable, autocast, name)``: ``name`` is the name
    given (``"kernel"``), ``path`` is it under its layer (``"dense/kernel"``); a ``tf.Variable`` otherwise.

    ``initializer`` is a value, or an initializer (a name such as ``"zeros"`` or a callable) called with
    ``shape`` and ``dtype``."""

    _name_suffix = ""

    def __init__(
        self,
        initializer: Any,
        shape: Any = None,
        dtype: Any = None,
        trainable: bool = True,
        autocast: bool = True,
        aggregation: str = "none",
        synchronization: str = "auto",
        name: Optional[str] = None,
        path: Optional[str] = None,
        _op_name: Optional[str] = None,
    ) -> None:
        name = name or "variable"
        if isinstance(initializer, str) or (callable(initializer) and not hasattr(initializer, "dtype")):
            if shape is None:
                raise ValueError(
                    "When creating a Variable from an initializer, the `shape` argument should be specified. "
                    f"Received: initializer={initializer} and shape={shape}"
                )
            init = _resolve.initializer(initializer)
            dtype = as_dtype(dtype or "float32")
            with context.eager_scope():
                initializer = init(tuple(int(d) for d in shape), dtype=dtype.name)
        with context.eager_scope():
            value = convert_to_tensor(initializer, dtype=dtype)
        # The op name (checkpoint keys of TF1 savers, v.op.name) stays TensorFlow's: the layer's name scope.
        super().__init__(value, trainable=trainable, name=_op_name or path or name)
        self._keras_name = name
        self._keras_path = path or name
        self._autocast = bool(autocast)

    @property
    def name(self) -> str:
        """The name given (``"kernel"``), as Keras 3's ``Variable.name``; ``path`` has the layer's too."""
        return self._keras_name

    @property
    def path(self) -> str:
        """``layer/name`` under the layers it was built in (``sequential/dense/kernel``), as Keras 3's."""
        return self._keras_path

    def __repr__(self) -> str:
        value = f", value={np.asarray(self.numpy())}" if self._v.is_initialized() else ""
        return f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype.name}{value}>"

    __str__ = __repr__


KerasVariable = Variable


def file_key(variable: Any) -> str:
    """The name a weights file keeps for ``variable``: a Keras weight's op name (``dense/kernel``), else its name."""
    return variable.op.name if isinstance(variable, Variable) else variable.name
