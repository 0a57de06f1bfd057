"""TF1's signatures of the string and parsing functions: ``substr(input, pos, len, name, unit)``,
``string_to_number(string_tensor)``, ``string_to_hash_bucket(string_tensor, num_buckets)``,
``reduce_join(..., keep_dims, reduction_indices)``, ``strings.length(input, name, unit)``,
``decode_raw(input_bytes | bytes)`` and ``parse_example`` / ``parse_single_example`` with ``name`` third."""

from __future__ import annotations

from typing import Any, Optional

from ...ops import parsing_ops as _parsing
from ...ops import string_ops as _strings
from .arg_lookup import lookup


def substr(input: Any, pos: Any, len: Any, name: Optional[str] = None, unit: str = "BYTE") -> Any:  # noqa: A002
    return _strings.substr(input, pos, len, unit=unit, name=name)


def length(input: Any, name: Optional[str] = None, unit: str = "BYTE") -> Any:  # noqa: A002
    return _strings.length(input, unit=unit, name=name)


def string_to_number(
    string_tensor: Any = None, out_type: Any = "float32", name: Optional[str] = None, input: Any = None
) -> Any:  # noqa: A002
    string_tensor = lookup("input", input, "string_tensor", string_tensor)
    return _strings.to_number(string_tensor, out_type=out_type, name=name)


def string_to_hash_bucket(
    string_tensor: Any = None, num_buckets: Any = None, name: Optional[str] = None, input: Any = None
) -> Any:  # noqa: A002
    from ... import strings

    string_tensor = lookup("input", input, "string_tensor", string_tensor)
    return strings.to_hash_bucket(string_tensor, num_buckets, name=name)


def reduce_join(
    inputs: Any,
    axis: Any = None,
    keep_dims: Any = None,
    separator: str = "",
    name: Optional[str] = None,
    reduction_indices: Any = None,
    keepdims: Any = None,
) -> Any:
    axis = lookup("axis", axis, "reduction_indices", reduction_indices)
    keepdims = lookup("keepdims", keepdims, "keep_dims", keep_dims)
    return _strings.reduce_join(inputs, axis=axis, keepdims=bool(keepdims), separator=separator, name=name)


def decode_raw(
    input_bytes: Any = None,
    out_type: Any = None,
    little_endian: bool = True,
    name: Optional[str] = None,
    bytes: Any = None,
) -> Any:  # noqa: A002
    from ...ops.io_ops import decode_raw as _decode_raw

    input_bytes = lookup("input_bytes", input_bytes, "bytes", bytes)
    return _decode_raw(input_bytes, out_type, little_endian=little_endian, name=name)


def parse_example(serialized: Any, features: Any, name: Optional[str] = None, example_names: Any = None) -> Any:
    return _parsing.parse_example(serialized, features, example_names=example_names, name=name)


def parse_single_example(serialized: Any, features: Any, name: Optional[str] = None, example_names: Any = None) -> Any:
    return _parsing.parse_single_example(serialized, features, example_names=example_names, name=name)
