"""``tf.strings.unicode_encode``: rows of int32 code points (the last axis of a tensor, or the innermost rows
of a ``RaggedTensor``) written as UTF-8, UTF-16-BE or UTF-32-BE strings.

As TensorFlow's kernel does, a code point outside Unicode or in the surrogate range is written as
``replacement_char`` (``errors='replace'``), dropped (``'ignore'``) or fails with ``InvalidArgumentError``
(``'strict'``). UTF-8 characters come from the core's encoder, the other encodings' bytes from
``_encoded_bytes``; each row's pieces are joined with ops, so it also runs inside ``tf.function``.
"""

from __future__ import annotations

import builtins
from typing import Any, Optional

from .._core import InvalidArgumentError
from ..framework.ops import apply, convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import Tensor
from ._string_groups import join_groups
from .array_ops import cast, expand_dims, gather, range, reshape, shape, where, zeros_like
from .assert_ops import _check
from .math_derived_ops import reduce_any
from .math_ops import floordiv, greater, less, logical_and, logical_not, logical_or, reduce_prod
from .string_unicode_offsets_ops import _BYTES, _OUTPUT_ENCODINGS, _encoded_bytes, _select

_ERRORS = ("ignore", "replace", "strict")


def unicode_encode(
    input: Any,
    output_encoding: str,
    errors: str = "replace",
    replacement_char: int = 65533,
    name: Optional[str] = None,
) -> Any:
    """One string per row of code points: shaped as the input without its last axis (the ragged input's
    rows without the innermost ones)."""
    if output_encoding not in _OUTPUT_ENCODINGS:
        raise InvalidArgumentError(
            f"Value for attr 'output_encoding' of \"{output_encoding}\" is not in the list of allowed values: "
            '"UTF-8", "UTF-16-BE", "UTF-32-BE"'
        )
    if errors not in _ERRORS:
        raise InvalidArgumentError(
            f'Value for attr \'errors\' of "{errors}" is not in the list of allowed values: "ignore", "replace", '
            '"strict"'
        )
    if not 0 <= int(replacement_char) <= 0x10FFFF:
        raise InvalidArgumentError("replacement_char out of unicode codepoint range [Op:UnicodeEncode]")
    mode = (output_encoding, errors, int(replacement_char))
    if isinstance(input, RaggedTensor):
        return _encode_ragged(input, mode)
    x = convert_to_tensor(input, dtype_hint="int32")
    _int32(x)
    if x.shape.rank == 0:
        raise ValueError("input_tensor's rank must be at least 1.")
    if mode == ("UTF-8", "replace", 65533):
        return apply("strings.unicode_encode", [x])
    width = x.shape[-1] if x.shape[-1] is not None else shape(x, out_type="int64")[-1]
    outer = shape(x, out_type="int64")[:-1]
    nrows = reduce_prod(outer)
    codes = reshape(x, [-1])
    step = builtins.max(width, 1) if isinstance(width, int) else width  # no rows to count when width is 0
    rowids = floordiv(range(0, nrows * width, dtype="int64"), step)
    out = _encode_flat(codes, rowids, nrows, mode)
    if x.shape.is_fully_defined():
        return reshape(out, x.shape.as_list()[:-1])
    return reshape(out, outer)


def _int32(codes: Tensor) -> None:
    if codes.dtype.name != "int32":
        raise InvalidArgumentError(
            "cannot compute UnicodeEncode as input #0(zero-based) was expected to be a int32 tensor but is a "
            f"{codes.dtype.name} tensor [Op:UnicodeEncode]"
        )


def _encode_ragged(rt: RaggedTensor, mode: tuple) -> Any:
    """Each innermost row of code points as one string, the outer rows kept."""
    if isinstance(rt.values, RaggedTensor):
        return rt.with_values(_encode_ragged(rt.values, mode))
    codes = convert_to_tensor(rt.values)
    _int32(codes)
    if len(codes.shape) != 1:
        raise ValueError(f"unicode_encode expects a ragged tensor of 1-D rows, received values of shape {codes.shape}")
    return _encode_flat(codes, cast(rt.value_rowids(), "int64"), rt.nrows(), mode)


def _encode_flat(codes: Tensor, rowids: Tensor, nrows: Any, mode: tuple) -> Tensor:
    """``[nrows]`` strings: row ``r`` is the code points whose ``rowids`` entry is ``r``, encoded in order."""
    encoding, errors, replacement = mode
    surrogate = logical_and(codes >= 0xD800, codes <= 0xDFFF)
    bad = logical_or(logical_or(less(codes, 0), greater(codes, 0x10FFFF)), surrogate)
    if errors == "strict":
        message = "Code point is out of range for Unicode, or is a surrogate."
        _check(logical_not(reduce_any(bad)), lambda _: message, None)
    elif errors == "ignore":
        kept = _select(logical_not(bad))
        codes, rowids = gather(codes, kept), gather(rowids, kept)
    else:
        if encoding == "UTF-8" and 0xD800 <= replacement <= 0xDFFF:
            replacement = 0xFFFD  # ICU writes a surrogate replacement as U+FFFD in UTF-8
        codes = where(bad, zeros_like(codes) + replacement, codes)
    if encoding == "UTF-8":
        chars = apply("strings.unicode_encode", [expand_dims(codes, -1)])
        return join_groups(chars, rowids, nrows, "")
    data, used = _encoded_bytes(codes, encoding)
    slot = expand_dims(range(4, dtype="int64"), 0)
    chosen = _select(reshape(less(slot, expand_dims(used, 1)), [-1]))
    pieces = gather(convert_to_tensor(_BYTES), gather(reshape(data, [-1]), chosen))
    owners = gather(reshape(expand_dims(rowids, 1) + zeros_like(slot), [-1]), chosen)
    return join_groups(pieces, owners, nrows, "")
