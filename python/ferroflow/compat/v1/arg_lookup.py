"""TF1's renamed arguments: ``reduction_indices`` for ``axis``, ``keep_dims`` for ``keepdims``, ``dim`` ...

TF1 code passes the old spellings; the v1 functions take both and give what TensorFlow's
``deprecated_argument_lookup`` gives: the old value when only it is set, a ValueError when both are.
"""

from __future__ import annotations

from typing import Any


def lookup(new_name: str, new_value: Any, old_name: str, old_value: Any) -> Any:
    """The value of an argument that may come under its new or its old name (never both)."""
    if old_value is not None:
        if new_value is not None:
            raise ValueError(f"Cannot specify both '{old_name}' and '{new_name}'.")
        return old_value
    return new_value
