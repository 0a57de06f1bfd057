"""The names converted code reaches as ``ag__.<name>``."""

from __future__ import annotations

from typing import Any

from ._conditionals import if_stmt
from ._conversion import converted_call
from ._loops import for_stmt, while_stmt
from ._operators import Undefined, and_, if_exp, not_, or_, py_cond, py_iter


def loop_options(
    parallel_iterations: Any = None,
    swap_memory: Any = None,
    maximum_iterations: Any = None,
    shape_invariants: Any = None,
) -> dict:
    """The options a loop body gave with ``tf.autograph.experimental.set_loop_options`` (evaluated before
    the loop; shape invariants name loop variables by the values they start with)."""
    return {
        "parallel_iterations": parallel_iterations,
        "maximum_iterations": maximum_iterations,
        "shape_invariants": shape_invariants,
    }


__all__ = [
    "Undefined",
    "and_",
    "converted_call",
    "for_stmt",
    "if_exp",
    "if_stmt",
    "loop_options",
    "not_",
    "or_",
    "py_cond",
    "py_iter",
    "while_stmt",
]
