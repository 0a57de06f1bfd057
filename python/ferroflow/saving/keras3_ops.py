"""Keras 3 operations recorded in a functional model's ``config.json`` (``keras.src.ops.*`` entries).

Keras records the ops of a functional graph next to its layers: the masks it hands to layers that take
``mask=`` (``NotEqual`` from ``Embedding(mask_zero=True)``, ``LogicalOr`` from merges, ``Any`` from
``Masking`` ...) and ``keras.ops`` calls made on symbolic tensors. Each becomes a ``Lambda`` layer here,
whose input is the list of the op's positional arguments and whose function is one of the module-level
functions below (so the model saves and loads again without running stored bytecode).
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from ..framework.ops import convert_to_tensor
from ..ops import array_ops, math_ops
from ..ops.math_derived_ops import reduce_all, reduce_any

__all__ = ["OPS", "as_lambda"]


def _pair(inputs: list) -> tuple:
    """Both operands as tensors of one dtype (a Python number takes the tensor's dtype, as in Keras)."""
    a, b = inputs
    a = a if hasattr(a, "dtype") and hasattr(a, "shape") else convert_to_tensor(a)
    b = convert_to_tensor(b) if not hasattr(b, "dtype") else b
    if a.dtype != b.dtype:
        b = array_ops.cast(b, a.dtype)
    return a, b


def not_equal(inputs: list) -> Any:
    return math_ops.not_equal(*_pair(inputs))


def equal(inputs: list) -> Any:
    return math_ops.equal(*_pair(inputs))


def greater(inputs: list) -> Any:
    return math_ops.greater(*_pair(inputs))


def greater_equal(inputs: list) -> Any:
    return math_ops.greater_equal(*_pair(inputs))


def less(inputs: list) -> Any:
    return math_ops.less(*_pair(inputs))


def less_equal(inputs: list) -> Any:
    return math_ops.less_equal(*_pair(inputs))


def logical_and(inputs: list) -> Any:
    return math_ops.logical_and(*_pair(inputs))


def logical_or(inputs: list) -> Any:
    return math_ops.logical_or(*_pair(inputs))


def logical_not(inputs: list) -> Any:
    return math_ops.logical_not(inputs[0])


def convert(inputs: list, dtype: Optional[str] = None, sparse: Any = None, ragged: Any = None) -> Any:
    x = convert_to_tensor(inputs[0])
    return x if dtype is None or x.dtype.name == dtype else array_ops.cast(x, dtype)


def cast(inputs: list, dtype: str = "float32") -> Any:
    return array_ops.cast(inputs[0], dtype)


def any_(inputs: list, axis: Any = None, keepdims: bool = False) -> Any:
    return reduce_any(inputs[0], axis=axis, keepdims=keepdims)


def all_(inputs: list, axis: Any = None, keepdims: bool = False) -> Any:
    return reduce_all(inputs[0], axis=axis, keepdims=keepdims)


def expand_dims(inputs: list, axis: int = -1) -> Any:
    return array_ops.expand_dims(inputs[0], axis)


def squeeze(inputs: list, axis: Any = None) -> Any:
    return array_ops.squeeze(inputs[0], axis)


# Keras op class -> (function here, the op's config keys that are the function's arguments)
OPS: Dict[str, tuple] = {
    "NotEqual": (not_equal, ()),
    "Equal": (equal, ()),
    "Greater": (greater, ()),
    "GreaterEqual": (greater_equal, ()),
    "Less": (less, ()),
    "LessEqual": (less_equal, ()),
    "LogicalAnd": (logical_and, ()),
    "LogicalOr": (logical_or, ()),
    "LogicalNot": (logical_not, ()),
    "ConvertToTensor": (convert, ("dtype", "sparse", "ragged")),
    "Cast": (cast, ("dtype",)),
    "Any": (any_, ("axis", "keepdims")),
    "All": (all_, ("axis", "keepdims")),
    "ExpandDims": (expand_dims, ("axis",)),
    "Squeeze": (squeeze, ("axis",)),
}


def as_lambda(entry: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """ferroflow's config of the ``Lambda`` standing for the Keras op ``entry`` (None if not an op)."""
    module = str(entry.get("module") or "")
    if not module.startswith("keras.src.ops"):
        return None
    class_name = entry.get("class_name")
    if class_name not in OPS:
        raise ValueError(
            f"The Keras model uses the operation '{class_name}' (module {module!r}) in its functional graph, "
            f"which ferroflow cannot rebuild; the operations it can are {sorted(OPS)}"
        )
    fn, keys = OPS[class_name]
    config = entry.get("config") or {}
    arguments = {k: config[k] for k in keys if config.get(k) is not None}
    name = config.get("name") or entry.get("name")
    function = {"class_name": "function", "config": {"module": __name__, "function_name": fn.__name__}}
    return {
        "module": "keras.layers",
        "class_name": "Lambda",
        "config": {"name": name, "function": function, "arguments": arguments},
    }
