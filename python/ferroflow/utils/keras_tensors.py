"""``keras.utils.standardize_dtype`` and ``get_source_inputs``: a dtype's Keras name, and the functional
inputs a ``KerasTensor`` is computed from (as Keras 3 with the TensorFlow backend)."""

from __future__ import annotations

from typing import Any

ALLOWED_DTYPES = (
    "float16",
    "float32",
    "float64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "int8",
    "int16",
    "int32",
    "int64",
    "bfloat16",
    "bool",
    "string",
    "float8_e4m3fn",
    "float8_e5m2",
    "complex64",
    "complex128",
)
# Python types as Keras's TensorFlow backend maps them (64-bit integers, 128-bit complex).
_PYTHON_DTYPES = {bool: "bool", int: "int64", float: "float32", str: "string", "int": "int64", complex: "complex128"}


def standardize_dtype(dtype: Any) -> str:
    """The Keras name of ``dtype`` (a name, a ferroflow or NumPy dtype, a NumPy scalar type or a Python type):
    ``floatx()`` for None; ``ValueError("Invalid dtype: ...")`` for anything Keras does not support."""
    if dtype is None:
        from ..keras.backend import floatx

        return floatx()
    if isinstance(dtype, (type, str)):
        dtype = _PYTHON_DTYPES.get(dtype, dtype)
    if hasattr(dtype, "name"):
        dtype = dtype.name
    elif hasattr(dtype, "__name__"):
        dtype = dtype.__name__
    elif "torch" in str(dtype) or "jax.numpy" in str(dtype):
        dtype = str(dtype).split(".")[-1]
    if dtype not in ALLOWED_DTYPES:
        raise ValueError(f"Invalid dtype: {dtype}")
    return dtype


def get_source_inputs(tensor: Any) -> Any:
    """The list of input ``KerasTensor``s (from ``keras.Input``) that ``tensor`` is computed from, each once,
    in the order first reached; ``tensor`` itself for anything no layer made (a plain ``KerasTensor`` or a
    value that is not one)."""
    from ..framework import nest

    history = getattr(tensor, "_keras_history", None)
    if history is None:  # not made by a layer (Keras's tensors have no history attribute then)
        return tensor
    layer = history[0]
    if not layer or not layer._inbound_nodes:
        return [tensor]
    node = layer._inbound_nodes[history[1]]
    inputs = node.input_tensors
    if not inputs:  # an input node: the tensors it holds are the sources
        return nest.flatten(node.outputs)
    sources: list = []
    for t in inputs:
        for x in get_source_inputs(t):
            if all(x is not s for s in sources):
                sources.append(x)
    return sources
