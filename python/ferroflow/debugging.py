"""``tf.debugging``: NaN/Inf hunting (``enable_check_numerics``, ``check_numerics``) and placement logging.

The checks run in the native core: with ``enable_check_numerics()`` every op (eager, and in compiled
plans such as ``fit``'s train step) checks its output, and the first one producing a NaN or an Inf raises
``InvalidArgumentError`` naming the op type, its scoped node name (``sequential/dense_1/MatMul``) and
whether an input already held the bad value.
"""

from __future__ import annotations

import re
from typing import Any, Optional

import numpy as np

from . import _core
from .framework import context
from .framework import device as _device
from .framework.ops import apply, convert_to_tensor, make_op
from .framework.tensor import Tensor
from .ops.assert_extra_ops import (  # noqa: E402
    Assert,
    assert_integer,
    assert_proper_iterable,
    assert_rank_at_least,
    assert_rank_in,
    assert_same_float_dtype,
    assert_scalar,
    is_numeric_tensor,
)
from .ops.assert_ops import (  # noqa: E402
    assert_equal,
    assert_greater,
    assert_greater_equal,
    assert_less,
    assert_less_equal,
    assert_near,
    assert_negative,
    assert_non_negative,
    assert_non_positive,
    assert_none_equal,
    assert_positive,
    assert_rank,
    assert_shapes,
    assert_type,
)

__all__ = [
    "Assert",
    "assert_integer",
    "assert_proper_iterable",
    "assert_rank_at_least",
    "assert_rank_in",
    "assert_same_float_dtype",
    "assert_scalar",
    "is_numeric_tensor",
    "assert_equal",
    "assert_greater",
    "assert_greater_equal",
    "assert_less",
    "assert_less_equal",
    "assert_near",
    "assert_negative",
    "assert_non_negative",
    "assert_non_positive",
    "assert_none_equal",
    "assert_positive",
    "assert_rank",
    "assert_shapes",
    "assert_type",
    "assert_all_finite",
    "check_numerics",
    "disable_check_numerics",
    "enable_check_numerics",
    "is_check_numerics_enabled",
    "set_log_device_placement",
]

_state = {"enabled": False}


def _native_switch() -> Any:
    switch = getattr(_core, "set_check_numerics", None)
    if switch is None:
        raise NotImplementedError(
            "enable_check_numerics needs a native core with numerics checks (ferroflow._core.set_check_numerics); "
            "this build of ferroflow._core has none"
        )
    return switch


def enable_check_numerics(stack_height_limit: int = 30, path_length_limit: int = 50) -> None:
    """Makes every op check its result: the first NaN or Inf raises ``InvalidArgumentError`` naming the op.

    Args:
        stack_height_limit: accepted for TensorFlow compatibility (ferroflow names the graph node instead
            of printing a Python stack).
        path_length_limit: accepted for TensorFlow compatibility.
    """
    _native_switch()(True)
    _state["enabled"] = True


def disable_check_numerics() -> None:
    """Turns the per-op checks of ``enable_check_numerics`` off again (a no-op when they are off)."""
    switch = getattr(_core, "set_check_numerics", None)
    if switch is not None:
        switch(False)
    _state["enabled"] = False


def is_check_numerics_enabled() -> bool:
    return _state["enabled"]


def check_numerics(tensor: Any, message: str, name: Optional[str] = None) -> Tensor:
    """Returns ``tensor`` unchanged, raising ``InvalidArgumentError`` with ``message`` if it holds NaN or Inf.

    Gradients flow through it unchanged. In a graph (``tf.function``, a model's step) the check runs each
    time the graph runs.
    """
    if not isinstance(message, str):
        raise TypeError(f"check_numerics expects a string message, received {type(message).__name__}")
    x = convert_to_tensor(tensor)
    if not x.dtype.is_floating:
        raise TypeError(f"check_numerics expects a floating-point tensor, received dtype {x.dtype.name}")
    if _has_native_op():
        return apply("check_numerics", [x], {"message": message}, op_name=name)
    if context.current_graph() is not None or not hasattr(x, "numpy"):
        raise NotImplementedError("check_numerics inside a graph needs the native check_numerics op")
    value = np.asarray(x.numpy())
    nan, inf = bool(np.isnan(value).any()), bool(np.isinf(value).any())
    if nan or inf:
        what = "Inf and NaN" if nan and inf else ("NaN" if nan else "Inf")
        raise _core.InvalidArgumentError(f"{message} : Tensor had {what} values [Op:CheckNumerics]")
    return x


def assert_all_finite(x: Any, message: str, name: Optional[str] = None) -> Tensor:
    """``tf.debugging.assert_all_finite``: ``check_numerics`` under its assertion name."""
    return check_numerics(x, message, name=name)


def set_log_device_placement(enabled: bool) -> None:
    """Prints where each op runs: ``Executing op MatMul in device /job:localhost/replica:0/task:0/device:CPU:0``
    for eager ops, and every node's device once when a model's step graph is compiled."""
    _device.set_log_placement(enabled)


_native_op: dict = {}


def _has_native_op() -> bool:
    if "ok" not in _native_op:
        try:
            make_op("check_numerics", {"message": ""})
            _native_op["ok"] = True
        except ValueError:
            _native_op["ok"] = False
    return _native_op["ok"]


_NODE = re.compile(r"(\w+) '([^']+)' produced (NaN|Inf)")


def _layer_names(model: Any) -> set:
    names, todo = set(), list(getattr(model, "_layers", []))
    while todo:
        layer = todo.pop()
        names.add(layer.name)
        todo.extend(getattr(layer, "_layers", []))
    return names


def layer_of(node_name: str, layer_names: Any) -> Optional[str]:
    """The layer a node belongs to: the innermost scope component of ``node_name`` that names a layer.

    ``sequential/dense_1/MatMul`` and ``gradients/sequential/dense_1/MatMul_grad/MatMul`` give ``dense_1``.
    """
    parts = node_name.split("/")[:-1]
    return next((p for p in reversed(parts) if p in layer_names), None)


def annotate_training_error(error: BaseException, model: Any, epoch: int) -> Optional[BaseException]:
    """A copy of a numerics error from ``fit`` that also names the layer and the epoch; None for other errors.

    The native text (op type, node name, input, batch) is kept as it is; the words added go after it.
    """
    if not isinstance(error, _core.InvalidArgumentError):
        return None
    text = str(error)
    m = _NODE.search(text)
    if m is None or "check_numerics" not in text:
        return None
    layer = layer_of(m.group(2), _layer_names(model))
    where = f"in layer '{layer}' of model '{model.name}'" if layer else f"outside the layers of model '{model.name}'"
    step = int(np.asarray(model.optimizer.iterations)) if getattr(model, "optimizer", None) is not None else None
    words = f"{text}\n  The {m.group(1)} op '{m.group(2)}' is {where}; training epoch {epoch + 1}"
    if step is not None:
        words += f", optimizer step {step}"
    if m.group(1) == "ReadVariableOp":
        words += (". The variable it reads already held the value before this step (set by set_weights/assign, "
                  "or by an earlier update)")
    return _core.InvalidArgumentError(words)


def __getattr__(name: str) -> Any:
    # ``tf.debugging.experimental`` (enable_dump_debug_info) lives with tfdbg and loads on first use.
    if name == "experimental":
        from .python.debug.lib import dumping_callback

        globals()["experimental"] = dumping_callback
        return dumping_callback
    raise AttributeError(f"module 'ferroflow.debugging' has no attribute '{name}'")


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), "experimental")
