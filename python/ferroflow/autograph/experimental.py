"""``tf.autograph.experimental``: per-function and per-loop controls of AutoGraph."""

from __future__ import annotations

import enum
from typing import Any

from ._conversion import do_not_convert

_UNSPECIFIED = object()


class Feature(enum.Enum):
    """Optional conversion features (``tf.autograph.experimental.Feature``), accepted for compatibility:
    ferroflow converts control flow, boolean operators, ``range`` and ``len`` whatever is requested."""

    ALL = "ALL"
    AUTO_CONTROL_DEPS = "AUTO_CONTROL_DEPS"
    ASSERT_STATEMENTS = "ASSERT_STATEMENTS"
    BUILTIN_FUNCTIONS = "BUILTIN_FUNCTIONS"
    EQUALITY_OPERATORS = "EQUALITY_OPERATORS"
    LISTS = "LISTS"
    NAME_SCOPES = "NAME_SCOPES"


def set_loop_options(
    parallel_iterations: Any = _UNSPECIFIED,
    swap_memory: Any = _UNSPECIFIED,
    maximum_iterations: Any = _UNSPECIFIED,
    shape_invariants: Any = _UNSPECIFIED,
) -> None:
    """Options of the loop whose body calls this first (``shape_invariants`` as ``[(variable, shape)]``,
    ``maximum_iterations``). AutoGraph takes the call out of the loop when converting it and evaluates its
    arguments before the loop; called anywhere else it does nothing."""


__all__ = ["Feature", "do_not_convert", "set_loop_options"]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
