"""``tf.compat.v1.debugging``: ``tf.debugging`` with TF1's assertions (``Assert`` and ``assert_*`` taking
``data`` and ``summarize``, ops of a TF1 graph) and ``assert_all_finite(t, msg)``. Every other name is
``tf.debugging``'s."""

from __future__ import annotations

from typing import Any

from .asserts_v1 import (  # noqa: F401
    Assert,
    assert_equal,
    assert_greater,
    assert_greater_equal,
    assert_integer,
    assert_less,
    assert_less_equal,
    assert_near,
    assert_negative,
    assert_non_negative,
    assert_non_positive,
    assert_none_equal,
    assert_positive,
    assert_rank,
    assert_rank_at_least,
    assert_rank_in,
    assert_scalar,
    assert_type,
)
from .asserts_v1 import verify_tensor_all_finite as assert_all_finite  # noqa: F401

_OWN = {name for name, value in list(globals().items()) if getattr(value, "__module__", "").endswith(".asserts_v1")}


# tf.compat.v1.debugging also lists these tf.math checks.
_MATH = {"is_finite", "is_inf", "is_nan", "is_non_decreasing", "is_strictly_increasing"}


def __getattr__(name: str) -> Any:
    from ... import debugging as _debugging

    if name in _MATH:
        from ... import math as _math

        return getattr(_math, name)
    try:
        return getattr(_debugging, name)
    except AttributeError:
        raise AttributeError(f"module 'ferroflow.compat.v1.debugging' has no attribute '{name}'") from None


def __dir__() -> list:
    from ... import debugging as _debugging

    return sorted(set(dir(_debugging)) | _OWN | _MATH)
