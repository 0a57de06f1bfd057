"""``tf.compat.v1.math``: ``tf.math`` with TF1's signatures where they differ (``reduce_*`` with
``reduction_indices`` / ``keep_dims``, ``argmax`` with ``dimension``, ``softmax`` with ``dim``,
``in_top_k(predictions, targets, k)``, ``confusion_matrix`` with ``dtype`` before ``weights`` ...).
Every other name is ``tf.math``'s."""

from __future__ import annotations

from typing import Any

from .math_v1 import (  # noqa: F401
    argmax,
    argmin,
    confusion_matrix,
    count_nonzero,
    in_top_k,
    l2_normalize,
    log_softmax,
    reduce_all,
    reduce_any,
    reduce_logsumexp,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
    softmax,
    softplus,
)

_OWN = {name for name, value in list(globals().items()) if getattr(value, "__module__", "").endswith(".math_v1")}


def __getattr__(name: str) -> Any:
    from ... import math as _math

    try:
        return getattr(_math, name)
    except AttributeError:
        raise AttributeError(f"module 'ferroflow.compat.v1.math' has no attribute '{name}'") from None


def _names() -> list:
    from ... import math as _math

    return sorted(set(dir(_math)) | _OWN)


__dir__ = _names
