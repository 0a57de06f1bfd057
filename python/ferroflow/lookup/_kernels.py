"""The key and value dtypes each kind of TensorFlow table has kernels for; other pairs fail as they do there."""

from __future__ import annotations

from ..errors import NotFoundError
from ..framework.dtypes import DType

_FLOATS = ("float32", "float64")
# op name -> {key dtype: value dtypes}
_KERNELS = {
    "HashTableV2": {
        "string": ("string", "int64", "int32", *_FLOATS, "bool"),
        "int64": ("string", "int64", "int32", *_FLOATS),
        "int32": ("string", "int32", *_FLOATS),
    },
    "MutableHashTableV2": {
        "string": ("int64", "int32", *_FLOATS, "bool"),
        "int64": ("string", "int64", "int32", *_FLOATS),
        "int32": ("int32", *_FLOATS),
    },
    "MutableHashTableOfTensorsV2": {
        "string": ("int64", "int32", *_FLOATS, "bool"),
        "int64": ("string", "int64", "int32", *_FLOATS),
        "int32": ("int32", *_FLOATS),
    },
    "MutableDenseHashTableV2": {
        "string": ("int64", "int32", *_FLOATS, "bool"),
        "int64": ("int64", "int32", *_FLOATS, "bool"),
        "int32": ("int32", *_FLOATS),
    },
}


def check_kernel(op: str, key_dtype: DType, value_dtype: DType) -> None:
    """Raises ``NotFoundError`` (as TensorFlow does when it finds no kernel) for a pair ``op`` does not support."""
    kernels = _KERNELS[op]
    if value_dtype.name in kernels.get(key_dtype.name, ()):
        return
    pairs = "; ".join(f"key_dtype {k} with value_dtype in [{', '.join(v)}]" for k, v in kernels.items())
    raise NotFoundError(
        f"Could not find a kernel for {op} with key_dtype={key_dtype.name}, value_dtype={value_dtype.name}. "
        f"Registered kernels: {pairs}"
    )
