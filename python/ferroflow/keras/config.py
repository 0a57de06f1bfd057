"""``keras.config``: Keras 3's global settings (float type, image layout, dtype policy, logging, loading).

The settings live where ferroflow already reads them: ``floatx``/``epsilon``/``image_data_format`` are
``keras.backend``'s, ``dtype_policy`` is ``keras.mixed_precision``'s global policy, the logging switches are
``keras.utils``'s. ``max_epochs``/``max_steps_per_epoch`` (also read from the ``KERAS_MAX_EPOCHS`` and
``KERAS_MAX_STEPS_PER_EPOCH`` environment variables, as Keras does) cap ``fit``, ``evaluate`` and ``predict``.
"""

from __future__ import annotations

import warnings as _warnings
from typing import Optional

from ferroflow._api import public_dir as _public_dir
from ferroflow.keras.backend import epsilon, floatx, image_data_format, set_epsilon, set_floatx, set_image_data_format
from ferroflow.layers.dtype_policy import dtype_policy, set_dtype_policy
from ferroflow.layers.lambda_layer import enable_unsafe_deserialization
from ferroflow.models import run_limits as _run_limits
from ferroflow.utils.io_utils import (
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)

_BACKENDS = ("tensorflow", "jax", "torch", "numpy", "openvino")
# Keras keeps ``None`` for "enabled" (layers then try flash attention where the backend can) and ``False``
# for "disabled".
_state: dict = {"flash_attention": None}


def backend() -> str:
    """The name of the backend: ``"tensorflow"``, as Keras reports when it runs on TensorFlow."""
    return "tensorflow"


def set_backend(backend: str) -> None:
    """Keras's backend switch. ferroflow is its own TensorFlow backend: ``"tensorflow"`` is accepted (nothing
    changes); any other backend raises ``ValueError``."""
    if backend not in _BACKENDS:
        raise ValueError(
            "Available backends are ('tensorflow', 'jax', 'torch', 'numpy' and 'openvino'). "
            f"Received: backend={backend}"
        )
    if backend != "tensorflow":
        raise ValueError(
            f"Cannot switch to the '{backend}' backend: ferroflow implements Keras on its TensorFlow-compatible "
            "backend only, so keras.config.set_backend() accepts 'tensorflow' alone."
        )


def enable_traceback_filtering() -> None:
    """Keras hides its internal frames from tracebacks; ferroflow never filters tracebacks, so there is
    nothing to turn on: this warns that tracebacks stay complete, and ``is_traceback_filtering_enabled()``
    stays False."""
    _warnings.warn(
        "ferroflow does not filter tracebacks: they always show every frame, so enable_traceback_filtering() "
        "has no effect.",
        stacklevel=2,
    )


def disable_traceback_filtering() -> None:
    """Does nothing: ferroflow's tracebacks are never filtered (they always show every frame)."""


def is_traceback_filtering_enabled() -> bool:
    """False: ferroflow never filters tracebacks (Keras filters by default and returns True)."""
    return False


def enable_flash_attention() -> None:
    """Lets attention layers try flash attention (the default). As with Keras on TensorFlow,
    ``keras.ops.dot_product_attention`` does not read this setting: it computes attention without flash
    attention unless ``flash_attention=True`` is passed, which it refuses."""
    _state["flash_attention"] = None


def disable_flash_attention() -> None:
    """Stops attention layers from trying flash attention."""
    _state["flash_attention"] = False


def is_flash_attention_enabled() -> Optional[bool]:
    """``False`` once disabled, else ``None`` (enabled: layers may try it), as Keras returns."""
    return _state["flash_attention"]


def is_nnx_enabled() -> bool:
    """False: NNX is a feature of Keras's JAX backend."""
    return False


def max_epochs() -> Optional[int]:
    """The cap on the epochs of any ``fit`` (``set_max_epochs`` or ``KERAS_MAX_EPOCHS``), or None."""
    return _run_limits.LIMITS["max_epochs"]


def set_max_epochs(max_epochs: Optional[int]) -> None:
    """Caps the number of epochs of every ``fit`` (for debugging runs); None removes the cap."""
    _run_limits.LIMITS["max_epochs"] = max_epochs


def max_steps_per_epoch() -> Optional[int]:
    """The cap on the steps of an epoch of ``fit``/``evaluate``/``predict``, or None."""
    return _run_limits.LIMITS["max_steps_per_epoch"]


def set_max_steps_per_epoch(max_steps_per_epoch: Optional[int]) -> None:
    """Caps the steps of each epoch of ``fit`` (and of ``evaluate``/``predict``); None removes the cap."""
    _run_limits.LIMITS["max_steps_per_epoch"] = max_steps_per_epoch


__all__ = [
    "backend",
    "disable_flash_attention",
    "disable_interactive_logging",
    "disable_traceback_filtering",
    "dtype_policy",
    "enable_flash_attention",
    "enable_interactive_logging",
    "enable_traceback_filtering",
    "enable_unsafe_deserialization",
    "epsilon",
    "floatx",
    "image_data_format",
    "is_flash_attention_enabled",
    "is_interactive_logging_enabled",
    "is_nnx_enabled",
    "is_traceback_filtering_enabled",
    "max_epochs",
    "max_steps_per_epoch",
    "set_backend",
    "set_dtype_policy",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "set_max_epochs",
    "set_max_steps_per_epoch",
]

__dir__ = _public_dir(globals())
