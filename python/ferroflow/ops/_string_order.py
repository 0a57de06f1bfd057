"""Order-preserving integer codes for strings, from ops that also run in graphs.

The core sorts only numbers, so ops that order strings (``tf.sets``) rank them first: the distinct strings
are zero-padded to a multiple of 7 bytes, each 7-byte chunk read as one big-endian int64 key, and a stable
least-significant-first sort by the length and then by each key (a ``tf.while_loop`` over the chunks) puts
them in byte-wise lexicographic order, TensorFlow's ``tstring`` order. Padding with zeros makes ``"a"`` and
``"a\\0"`` equal keys; the length sorted first (least significant) breaks that tie the right way.
"""

from __future__ import annotations

import builtins

import numpy as np

from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import cast, concat, gather, range, zeros_like
from .control_flow_ops import while_loop
from .io_ops import decode_raw
from .math_ops import add, floordiv, multiply, reduce_max, subtract
from .string_ops import join, length, reduce_join, substr

_CHUNK = 7  # 7 bytes fill 56 bits: a key that stays positive in int64


def _argsort(x: Tensor) -> Tensor:
    return apply("argsort", [x], {"descending": False})


def string_codes(values: Tensor) -> Tensor:
    """Each string's rank (int64) among the distinct strings of 1-D ``values`` in lexicographic byte order:
    equal strings get equal codes, and ``code(a) < code(b)`` exactly when ``a < b``."""
    distinct = apply("unique", [values], {"positions": True})
    inverse = apply("unique", [values], {"positions": False, "out_idx": "int64"})
    strings = gather(values, distinct)
    lengths = length(strings)
    chunks = floordiv(add(reduce_max(concat([lengths, [0]], 0)), _CHUNK - 1), _CHUNK)
    width = multiply(chunks, _CHUNK)
    pad = reduce_join(gather(convert_to_tensor([b"\0"]), zeros_like(range(width))))
    raw = cast(decode_raw(substr(join([strings, pad]), 0, width), "uint8"), "int64")

    def key(k: Tensor) -> Tensor:
        total = zeros_like(lengths, dtype="int64")
        for j in builtins.range(_CHUNK):
            column = gather(raw, add(multiply(k, _CHUNK), j), axis=1)
            total = add(total, multiply(column, np.int64(256 ** (_CHUNK - 1 - j))))
        return total

    order = _argsort(lengths)

    def body(k: Tensor, order: Tensor) -> tuple:
        step = _argsort(gather(key(k), order))
        return subtract(k, 1), gather(order, step)

    _, order = while_loop(lambda k, order: k >= 0, body, (subtract(chunks, 1), order))
    rank_of_distinct = cast(_argsort(order), "int64")  # the inverse permutation
    return gather(rank_of_distinct, inverse)
