"""Whether a monitored quantity should go down ("min") or up ("max"), shared by callbacks."""

from __future__ import annotations

import warnings
from typing import Any

_MODES = ("auto", "min", "max")


def check_mode(mode: str, message: str) -> str:
    """``mode`` if it is "auto", "min" or "max"; otherwise warn with ``message`` and use "auto"."""
    if mode not in _MODES:
        warnings.warn(message, stacklevel=3)
        return "auto"
    return mode


def resolve_mode(mode: str, monitor: str, model: Any = None) -> str:
    """Turn ``mode`` into "min" or "max" for the quantity ``monitor``.

    In "auto" mode: a metric of ``model.metrics`` with that name (without ``val_``) and a
    ``_direction`` of "up" or "down" decides (as in Keras 3); otherwise names containing
    "acc", "accuracy" or "auc" are maximized and everything else (losses, errors) minimized.
    """
    if mode in ("min", "max"):
        return mode
    name = monitor[len("val_") :] if monitor.startswith("val_") else monitor
    if name != "loss":
        for metric in _model_metrics(model):
            direction = getattr(metric, "_direction", None)
            if getattr(metric, "name", None) == name and direction in ("up", "down"):
                return "max" if direction == "up" else "min"
    if "acc" in name or "auc" in name:
        return "max"
    return "min"


def _model_metrics(model: Any) -> list:
    try:
        metrics = list(getattr(model, "metrics", None) or [])
    except Exception:  # a model whose metrics are not built yet
        return []
    out = []
    for m in metrics:
        # Compiled models hold containers of metrics (Keras's CompileMetrics).
        inner = getattr(m, "metrics", None)
        if isinstance(inner, (list, tuple)):
            out.extend(inner)
        else:
            out.append(m)
    return out
