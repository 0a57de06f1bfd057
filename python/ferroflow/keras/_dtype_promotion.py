"""Keras 3's dtype promotion (``keras.backend.result_type``) for the binary ``keras.ops`` and tensor operators.

Keras adapts JAX's promotion lattice: Python ``int``/``float`` operands are *weak* (they take the other
operand's kind and width: ``int32 tensor + 1.5`` is float32, ``float16 tensor * 2`` stays float16), NumPy arrays
and tensors are strong (``int32 + float64 array`` is float64), and a weak result resolves to ``floatx`` width.
"""

from __future__ import annotations

import functools
from typing import Any

_LATTICE = {
    "bool": ("int",),
    "uint8": ("int16", "uint16"),
    "uint16": ("int32", "uint32"),
    "uint32": ("int64", "uint64"),
    "uint64": ("float",),
    "int": ("uint8", "int8", "complex64"),
    "int8": ("int16",),
    "int16": ("int32",),
    "int32": ("int64",),
    "int64": ("float",),
    "float": ("bfloat16", "float16"),
    "bfloat16": ("float32",),
    "float16": ("float32",),
    "float32": ("float64", "complex64"),
    "float64": ("complex128",),
    "complex64": ("complex128",),
    "complex128": (),
}


def _upper_bounds() -> dict:
    bounds = {n: {n} for n in _LATTICE}
    changed = True
    while changed:
        changed = False
        for n in _LATTICE:
            more = set().union(*(set(_LATTICE[b]) for b in bounds[n])) - bounds[n]
            if more:
                bounds[n] |= more
                changed = True
    return bounds


_UB = _upper_bounds()


@functools.lru_cache(256)
def _least_upper_bound(*nodes: str) -> str:
    common = set.intersection(*(_UB[n] for n in nodes))
    least = (common & set(nodes)) or {c for c in common if common <= _UB[c]}
    if len(least) != 1:
        raise ValueError(
            f"Input dtypes {tuple(nodes)} have no available implicit dtype promotion path. Try explicitly casting "
            "inputs to the desired output type."
        )
    return least.pop()


def dtype_of(value: Any) -> tuple:
    """``(dtype name, weak)`` of an operand: Python ``int``/``float`` are weak, ``bool`` is a strong bool."""
    if isinstance(value, bool):
        return "bool", False
    if isinstance(value, int):
        return "int64", True
    if isinstance(value, float):
        return "float32", True
    if value is int or value is float:
        return ("int64" if value is int else "float32"), True
    dtype = getattr(value, "dtype", None)
    if dtype is None:
        import numpy as np

        return np.asarray(value).dtype.name, False
    from ..framework.dtypes import as_dtype

    return as_dtype(dtype).name, False


def _weak(name: str) -> str:
    if name == "bool":
        return name
    return "float" if ("float" in name) else "int" if "int" in name else name


def result_type(*operands: Any) -> str:
    """The dtype name Keras 3 (TensorFlow backend, float32 ``floatx``) gives an op on ``operands``."""
    pairs = [dtype_of(v) for v in operands]
    names = [n for n, _ in pairs]
    weak = [w for _, w in pairs]
    if len(set(names)) == 1 and not all(weak):
        out, out_weak = names[0], False
    elif all(weak):
        out, out_weak = _least_upper_bound(*sorted(set(names))), True
    else:
        out = _least_upper_bound(*sorted({_weak(n) if w else n for n, w in zip(names, weak)}))
        out_weak = out in ("int", "float")
    if out_weak and out != "bool":
        out = "float32" if "float" in out or out == "bfloat16" else "int32" if out.startswith("int") else out
    return {"uint64": "uint32", "complex128": "complex64"}.get(out, out)
