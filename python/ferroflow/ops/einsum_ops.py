"""``tf.einsum``: Einstein summation, as transposes, reshapes, reductions and one batched matrix product per
pair of operands (so it runs on the matmul kernels and has their gradients)."""

from __future__ import annotations

import string
from typing import Any, List

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import reshape, transpose
from .math_ops import matmul, reduce_sum


def _parse(equation: str, operands: List[Tensor]) -> tuple:
    """(input subscripts per operand, output subscripts), with ``...`` expanded to unused letters."""
    eq = equation.replace(" ", "")
    if "->" in eq:
        lhs, out = eq.split("->")
    else:
        lhs, out = eq, None
    inputs = lhs.split(",")
    if len(inputs) != len(operands):
        raise ValueError(f"einsum equation {equation!r} names {len(inputs)} operands, received {len(operands)}")
    spare = [c for c in string.ascii_letters if c not in eq]
    ellipsis_rank = 0
    for sub, x in zip(inputs, operands):
        if "..." in sub:
            ellipsis_rank = max(ellipsis_rank, len(x.shape) - (len(sub) - 3))
    fill = "".join(spare[:ellipsis_rank])
    expanded = []
    for sub, x in zip(inputs, operands):
        if "..." in sub:
            own = len(x.shape) - (len(sub) - 3)
            sub = sub.replace("...", fill[ellipsis_rank - own :])
        if len(sub) != len(x.shape):
            raise ValueError(f"einsum subscripts {sub!r} do not match an operand of shape {list(x.shape)}")
        expanded.append(sub)
    if out is None:
        counts = {c: sum(s.count(c) for s in expanded) for c in set("".join(expanded))}
        out = fill + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in fill))
    else:
        out = out.replace("...", fill)
    return expanded, out


def _diagonals(x: Tensor, sub: str) -> tuple:
    """``x`` with each index repeated in ``sub`` ("ii", "bxby") reduced to its diagonal, kept at its first place."""
    while len(set(sub)) != len(sub):
        c = next(c for c in sub if sub.count(c) > 1)
        i, j = sub.index(c), sub.index(c, sub.index(c) + 1)
        n = x.shape[i]
        if x.shape[j] != n:
            raise ValueError(f"einsum index {c!r} repeated in {sub!r} has sizes {n} and {x.shape[j]}")
        mask = np.eye(n).reshape([n if k in (i, j) else 1 for k in range(len(sub))])
        x = reduce_sum(x * convert_to_tensor(mask, dtype=x.dtype), axis=j)
        sub = sub[:j] + sub[j + 1 :]
    return x, sub


def _sum_out(x: Tensor, sub: str, keep: str) -> tuple:
    """``x`` summed over the indices of ``sub`` that are not in ``keep``."""
    axes = [i for i, c in enumerate(sub) if c not in keep]
    if not axes:
        return x, sub
    return reduce_sum(x, axis=axes), "".join(c for c in sub if c in keep)


def _contract(a: Tensor, sa: str, b: Tensor, sb: str, keep: str) -> tuple:
    """The product of two operands over their shared indices that ``keep`` does not need."""
    a, sa = _sum_out(a, sa, sb + keep)
    b, sb = _sum_out(b, sb, sa + keep)
    batch = [c for c in sa if c in sb and c in keep]
    contracted = [c for c in sa if c in sb and c not in keep]
    a_free = [c for c in sa if c not in sb]
    b_free = [c for c in sb if c not in sa]
    da = dict(zip(sa, a.shape))
    db = dict(zip(sb, b.shape))
    for c in batch + contracted:
        if da[c] != db[c] and da[c] != 1 and db[c] != 1:
            raise ValueError(f"einsum index {c!r} has size {da[c]} in one operand and {db[c]} in the other")
    a3 = _reshape_known(
        transpose(a, [sa.index(c) for c in batch + a_free + contracted]),
        [_size(da, batch), _size(da, a_free), _size(da, contracted)],
    )
    b3 = _reshape_known(
        transpose(b, [sb.index(c) for c in batch + contracted + b_free]),
        [_size(db, batch), _size(db, contracted), _size(db, b_free)],
    )
    out = matmul(a3, b3)
    names = batch + a_free + b_free
    dims = [da[c] for c in batch] + [da[c] for c in a_free] + [db[c] for c in b_free]
    return _reshape_known(out, dims), "".join(names)


def _size(dims: dict, names: list) -> Any:
    """The product of the sizes of ``names`` (None when one is unknown, as a graph's batch dimension)."""
    sizes = [dims[c] for c in names]
    return None if any(d is None for d in sizes) else int(np.prod(sizes)) if sizes else 1


def _reshape_known(x: Tensor, dims: list) -> Tensor:
    """``reshape`` where one unknown dimension (a graph's batch size) becomes -1."""
    if sum(d is None for d in dims) > 1:
        raise ValueError(
            f"einsum on an operand of shape {list(x.shape)} needs a reshape to {dims} with more than one unknown "
            "dimension, which is not supported: give the tensors static shapes apart from one dimension"
        )
    return reshape(x, dims)


def einsum(equation: str, *inputs: Any, **kwargs: Any) -> Tensor:
    """``tf.einsum("bij,bjk->bik", a, b)``: sums of products over the indices left out of the output.

    Any number of operands (contracted left to right), ``...`` for leading dimensions, implicit output
    (the indices that appear once, sorted). An index repeated within one operand ("ii->i") takes its diagonal.
    """
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"einsum got unexpected keyword arguments {sorted(kwargs)}")
    operands = [convert_to_tensor(x) for x in inputs]
    if not operands:
        raise ValueError("einsum needs at least one operand")
    subs, out = _parse(equation, operands)
    for k, sub in enumerate(subs):
        operands[k], subs[k] = _diagonals(operands[k], sub)
    acc, sacc = operands[0], subs[0]
    for k in range(1, len(operands)):
        later = "".join(subs[k + 1 :]) + out
        acc, sacc = _contract(acc, sacc, operands[k], subs[k], later)
    acc, sacc = _sum_out(acc, sacc, out)
    missing = [c for c in out if c not in sacc]
    if missing:
        raise ValueError(f"einsum output indices {missing} appear in no operand of {equation!r}")
    if sacc != out:
        acc = transpose(acc, [sacc.index(c) for c in out])
    return acc
