"""``tf.strings``: elementwise string ops, run by the core on ``tf.string`` tensors, eagerly and in graphs.

Strings are bytes; ``str`` values are stored as UTF-8. Ops whose result is ragged (``split``,
``unicode_decode``) return a ``RaggedTensor`` (a 1-D tensor for a scalar input); elementwise ops apply to a
``RaggedTensor``'s flat values.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Optional

from .._core import InvalidArgumentError
from ..framework.dtypes import as_dtype
from ..framework.ops import apply, convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import EagerTensor, Tensor
from ._re2_syntax import re2_to_core


def _over_ragged(fn: Callable) -> Callable:
    """As TensorFlow dispatches them, an elementwise string op of a ``RaggedTensor`` applies to its flat values
    and keeps its rows."""

    @functools.wraps(fn)
    def op(input: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(input, RaggedTensor):
            return input.with_flat_values(fn(input.flat_values, *args, **kwargs))
        return fn(input, *args, **kwargs)

    return op


def _strings(x: Any, what: str) -> Tensor:
    t = convert_to_tensor(x)
    if t.dtype.name != "string":
        raise TypeError(f"{what} expects a string tensor, received a tensor of dtype {t.dtype.name}")
    return t


def _text(value: Any, what: str) -> Any:
    """A pattern or separator given as str, bytes or an eager scalar string tensor."""
    if isinstance(value, (str, bytes)):
        return value
    if isinstance(value, EagerTensor) and value.dtype.name == "string" and not value.shape:
        return value.numpy()
    raise TypeError(f"`{what}` must be a Python string or a scalar string tensor, received {value!r}")


def _unit(unit: str) -> str:
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise InvalidArgumentError(
            f'Value for attr \'unit\' of "{unit}" is not in the list of allowed values: "BYTE", "UTF8_CHAR"'
        )
    return unit


@_over_ragged
def length(input: Any, unit: str = "BYTE", name: Optional[str] = None) -> Tensor:
    """The length of every string, in bytes or UTF-8 characters (int32)."""
    return apply("strings.length", [_strings(input, "length")], {"unit": _unit(unit)})


@_over_ragged
def lower(input: Any, encoding: str = "", name: Optional[str] = None) -> Tensor:
    """Lower-cases ASCII letters, or all letters when ``encoding='utf-8'``."""
    return apply("strings.lower", [_strings(input, "lower")], {"utf8": encoding.lower() in ("utf-8", "utf8")})


@_over_ragged
def upper(input: Any, encoding: str = "", name: Optional[str] = None) -> Tensor:
    """Upper-cases ASCII letters, or all letters when ``encoding='utf-8'``."""
    return apply("strings.upper", [_strings(input, "upper")], {"utf8": encoding.lower() in ("utf-8", "utf8")})


@_over_ragged
def strip(input: Any, name: Optional[str] = None) -> Tensor:
    """Removes leading and trailing whitespace."""
    return apply("strings.strip", [_strings(input, "strip")])


def join(inputs: Any, separator: Any = "", name: Optional[str] = None) -> Tensor:
    """Concatenates the inputs elementwise (they broadcast), with ``separator`` between them."""
    if isinstance(inputs, (Tensor, RaggedTensor, str, bytes)):
        raise TypeError("join expects a list of string tensors, received a single value")
    ragged = [x for x in inputs if isinstance(x, RaggedTensor)]
    if ragged:
        return _join_ragged(list(inputs), ragged, separator)
    tensors = [_strings(x, "join") for x in inputs]
    return apply("strings.join", tensors, {"separator": _text(separator, "separator")})


def _join_ragged(inputs: list, ragged: list, separator: Any) -> RaggedTensor:
    """``join`` of ragged tensors with the same rows (and scalars): the flat values joined, the rows kept."""
    from .._core import InvalidArgumentError
    from .ragged_ops import _same_partition

    for r in ragged[1:]:
        if not _same_partition(ragged[0], r):
            raise InvalidArgumentError("Inputs must have identical ragged splits")
    parts = []
    for x in inputs:
        if not isinstance(x, RaggedTensor):
            x = _strings(x, "join")
            if x.shape.rank != 0:
                raise ValueError(f"join of ragged tensors takes scalars besides them, received shape {x.shape}")
        parts.append(x.flat_values if isinstance(x, RaggedTensor) else x)
    return ragged[0].with_flat_values(join(parts, separator))


def reduce_join(
    inputs: Any, axis: Any = None, keepdims: bool = False, separator: Any = "", name: Optional[str] = None
) -> Tensor:
    """Joins the strings along ``axis`` (all axes when None) with ``separator``; of a ``RaggedTensor``, along
    its last axis (each innermost row becomes one string) or all of them."""
    if isinstance(inputs, RaggedTensor):
        return _reduce_join_rows(inputs, axis, keepdims, separator)
    attrs = {"axis": axis, "keepdims": keepdims, "separator": _text(separator, "separator")}
    return apply("strings.reduce_join", [_strings(inputs, "reduce_join")], attrs)


def _reduce_join_rows(rt: RaggedTensor, axis: Any, keepdims: bool, separator: Any) -> Any:
    from ._string_groups import join_groups

    if axis is None:
        return reduce_join(rt.flat_values, None, keepdims, separator)
    if keepdims or not isinstance(axis, int) or axis % rt.rank != rt.rank - 1 or rt.flat_values.shape.rank != 1:
        raise NotImplementedError("reduce_join of a RaggedTensor joins along its last axis (keepdims=False)")
    if isinstance(rt.values, RaggedTensor):
        return rt.with_values(_reduce_join_rows(rt.values, -1, False, separator))
    return join_groups(_strings(rt.values, "reduce_join"), rt.value_rowids(), rt.nrows(), _text(separator, "separator"))


def _rewrite(rewrite: str) -> str:
    """RE2's ``\\1`` group references in the regex crate's ``${1}`` syntax; a literal ``$`` escaped."""
    out, i = [], 0
    while i < len(rewrite):
        c = rewrite[i]
        if c == "\\" and i + 1 < len(rewrite) and rewrite[i + 1].isdigit():
            out.append("${" + rewrite[i + 1] + "}")
            i += 2
            continue
        if c == "\\" and i + 1 < len(rewrite) and rewrite[i + 1] == "\\":
            out.append("\\")
            i += 2
            continue
        out.append("$$" if c == "$" else c)
        i += 1
    return "".join(out)


@_over_ragged
def regex_replace(
    input: Any, pattern: Any, rewrite: Any, replace_global: bool = True, name: Optional[str] = None
) -> Tensor:
    """Replaces matches of the RE2 ``pattern`` with ``rewrite`` (``\\1`` names a group)."""
    pattern, rewrite = _text(pattern, "pattern"), _text(rewrite, "rewrite")
    pattern = pattern.decode() if isinstance(pattern, bytes) else pattern
    rewrite = rewrite.decode("utf-8", "surrogateescape") if isinstance(rewrite, bytes) else rewrite
    attrs = {"pattern": re2_to_core(pattern), "rewrite": _rewrite(rewrite), "replace_global": replace_global}
    return apply("strings.regex_replace", [_strings(input, "regex_replace")], attrs)


@_over_ragged
def regex_full_match(input: Any, pattern: Any, name: Optional[str] = None) -> Tensor:
    """Whether each whole string matches the RE2 ``pattern`` (bool)."""
    pattern = _text(pattern, "pattern")
    pattern = pattern.decode() if isinstance(pattern, bytes) else pattern
    return apply("strings.regex_full_match", [_strings(input, "regex_full_match")], {"pattern": re2_to_core(pattern)})


@_over_ragged
def substr(input: Any, pos: Any, len: Any, unit: str = "BYTE", name: Optional[str] = None) -> Tensor:
    """``len`` bytes (or characters) from ``pos``; a negative ``pos`` counts from the end."""
    pos = convert_to_tensor(pos, dtype_hint="int32")
    length_ = convert_to_tensor(len, dtype=pos.dtype)
    return apply("strings.substr", [_strings(input, "substr"), pos, length_], {"unit": _unit(unit)})


@_over_ragged
def to_number(input: Any, out_type: Any = "float32", name: Optional[str] = None) -> Tensor:
    """Parses every string as a number of ``out_type``; a string that does not parse is an error."""
    out = as_dtype(out_type)
    return apply("strings.to_number", [_strings(input, "to_number")], {"out_type": out.name})


@_over_ragged
def as_string(
    input: Any,
    precision: int = -1,
    scientific: bool = False,
    shortest: bool = False,
    width: int = -1,
    fill: str = "",
    name: Optional[str] = None,
) -> Tensor:
    """Formats numbers as strings, as printf's ``%d``, ``%f``, ``%e`` (scientific) or ``%g`` (shortest)."""
    if scientific and shortest:
        raise ValueError("Cannot select both scientific and shortest notation")
    x = convert_to_tensor(input)
    attrs = {"precision": precision, "scientific": scientific, "shortest": shortest, "width": width, "fill": fill}
    return apply("strings.as_string", [x], attrs)


def format(
    template: str, inputs: Any, placeholder: str = "{}", summarize: int = 3, name: Optional[str] = None
) -> Tensor:
    """A scalar string: ``template`` with each ``placeholder`` replaced by a summary of the next tensor of
    ``inputs`` (one tensor or a list), printed as TensorFlow prints tensors: ``[[1 2]\\n [3 4]]``, the first
    and last ``summarize`` entries of each longer axis around ``...`` (``-1``: every entry)."""
    if not isinstance(template, (str, bytes)):
        raise TypeError(f"template must be a string, received {template!r}")
    template = template.decode() if isinstance(template, bytes) else template
    tensors = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    pieces = template.split(placeholder)
    if len(pieces) - 1 != len(tensors):
        raise ValueError(
            f"The template expects {len(pieces) - 1} tensors, but the inputs only has {len(tensors)}. Please "
            "ensure the number of placeholders in template matches inputs length."
        )
    attrs = {"pieces": [p.encode() for p in pieces], "summarize": int(summarize)}
    return apply("strings.format", [convert_to_tensor(t) for t in tensors], attrs, op_name=name)
