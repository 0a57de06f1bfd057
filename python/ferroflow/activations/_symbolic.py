"""Activations called on a KerasTensor: an operation node of the functional graph, as in Keras 3.

``keras.activations.softmax(x)`` on a symbolic ``x`` builds the same node as ``keras.ops.softmax(x, axis=-1)``
(Keras 3 routes its activations through its ops); ``relu`` makes Keras's own ``ReLU`` operation. The node holds
every argument with its default filled in, as Keras's op configs list them (``{"axis": -1}``).
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, Dict, Optional

# Operation name -> the activation that computes it (what a replayed or deserialized node calls).
OPERATIONS: Dict[str, Callable] = {}


def symbolic(operation: Optional[str] = None) -> Callable[[Callable], Callable]:
    """Makes an activation build the operation ``operation`` (default: its own name) on a KerasTensor."""

    def wrap(fn: Callable) -> Callable:
        name = operation or fn.__name__
        signature = inspect.signature(fn)
        OPERATIONS[name] = fn

        @functools.wraps(fn)
        def activation(x: Any, *args: Any, **kwargs: Any) -> Any:
            if not getattr(x, "_is_keras_tensor", False):
                return fn(x, *args, **kwargs)
            bound = signature.bind(x, *args, **kwargs)
            bound.apply_defaults()
            arguments = dict(list(bound.arguments.items())[1:])
            from ..layers._keras_operation import operation_node

            return operation_node(name, arguments, x)

        return activation

    return wrap
