"""``keras.ops.vectorize`` (NumPy's ``vectorize`` with gufunc signatures), ``jvp`` (forward-mode
derivatives) and ``rearrange`` (einops-style axis patterns) on ferroflow tensors."""

from __future__ import annotations

import functools
import re
from typing import Any, Callable, Optional

import numpy as np

from ..framework import nest
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ._ops_numpy_arrays_common import tf_module as _tf


def jvp(fun: Callable, primals: Any, tangents: Any, has_aux: bool = False) -> tuple:
    """``(fun(*primals), J·tangents)`` (and ``aux`` when ``fun`` returns ``(out, aux)`` with ``has_aux``),
    the Jacobian-vector product by forward-mode differentiation."""
    primal_flat = [convert_to_tensor(p) for p in nest.flatten(primals)]
    tangent_flat = [_array.cast(convert_to_tensor(t), p.dtype) for t, p in zip(nest.flatten(tangents), primal_flat)]
    if len(tangent_flat) != len(primal_flat):
        raise ValueError(
            f"`primals` and `tangents` must have the same structure: {len(primal_flat)} vs {len(tangent_flat)} tensors"
        )
    primals = nest.pack_sequence_as(primals, primal_flat)
    with _tf().autodiff.ForwardAccumulator(primal_flat, tangent_flat) as acc:
        out = fun(*primals)
        aux = None
        if has_aux:
            out, aux = out
        out_flat = nest.flatten(out)
        tangents_out = [acc.jvp(o) for o in out_flat]
    tangents_out = nest.pack_sequence_as(out, tangents_out)
    return (out, tangents_out, aux) if has_aux else (out, tangents_out)


_DIMS = r"\w+(?:,\w+)*"
_ARGS = rf"\((?:{_DIMS})?\)"
_SIGNATURE = rf"^{_ARGS}(?:,{_ARGS})*->{_ARGS}(?:,{_ARGS})*$"


def _parse_signature(signature: str) -> tuple:
    """``"(m,n),(n)->(m)"`` as ``([("m", "n"), ("n",)], [("m",)])``."""
    signature = re.sub(r"\s+", "", signature)
    if not re.match(_SIGNATURE, signature):
        raise ValueError(f"not a valid gufunc signature: {signature}")
    ins, outs = signature.split("->")
    return tuple([tuple(re.findall(r"\w+", group)) for group in re.findall(_ARGS, side)] for side in (ins, outs))


def _core_sizes(sizes: dict, shape: tuple, core: tuple, what: str) -> None:
    """Records the sizes of ``core``'s dimensions (the last of ``shape``), checking them against earlier ones
    (a size unknown until the graph runs matches any)."""
    if len(shape) < len(core):
        raise ValueError(f"{what} has {len(shape)} dimensions, but core dimensions {core} need {len(core)}")
    for dim, size in zip(core, shape[len(shape) - len(core) :]):
        known = sizes.get(dim)
        if known is not None and size is not None and known != size:
            raise ValueError(f"inconsistent size for core dimension {dim!r}: {size} vs {known}")
        if known is None:
            sizes[dim] = size


def _static_batch(shapes: list) -> list:
    """NumPy's broadcast of the loop (non-core) shapes, None where a size is only known when the graph runs."""
    rank = max(len(s) for s in shapes)
    out = []
    for k in range(rank):
        dims = {s[len(s) - rank + k] for s in shapes if len(s) - rank + k >= 0} - {1}
        if len(dims - {None}) > 1:
            raise ValueError(f"operands could not be broadcast together with loop shapes {shapes}")
        out.append(next(iter(dims - {None})) if dims - {None} else (None if None in dims else 1))
    return out


def _check_outputs(out: Any, out_core: list, sizes: dict) -> None:
    outs = out if isinstance(out, tuple) else (out,)
    if len(out_core) > 1 and not isinstance(out, tuple):
        raise TypeError(f"output must be a tuple when multiple outputs are expected, got: {out}")
    if len(outs) != len(out_core):
        raise TypeError(f"wrong number of output arguments: expected {len(out_core)}, got {len(outs)}")
    for o, core in zip(outs, out_core):
        _core_sizes(dict(sizes), tuple(convert_to_tensor(o).shape), core, "output")


def vectorize(pyfunc: Callable, *, excluded: Any = None, signature: Optional[str] = None) -> Callable:
    """``np.vectorize``: ``pyfunc`` applied to every element (with ``signature``, to every core block) of its
    arguments broadcast together; positional arguments in ``excluded`` and keyword arguments pass
    through unchanged."""
    excluded = set(excluded or ())
    parsed = _parse_signature(signature) if signature is not None else None

    @functools.wraps(pyfunc)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        static = {i for i, a in enumerate(args) if i in excluded or a is None}
        dynamic = [convert_to_tensor(a) for i, a in enumerate(args) if i not in static]
        in_core = parsed[0] if parsed else [()] * len(dynamic)
        if len(in_core) != len(dynamic):
            raise TypeError(f"wrong number of positional arguments: expected {len(in_core)}, got {len(dynamic)}")
        sizes: dict = {}
        for k, (a, core) in enumerate(zip(dynamic, in_core)):
            _core_sizes(sizes, tuple(a.shape), core, f"argument {k}")
        loops = [len(a.shape) - len(c) for a, c in zip(dynamic, in_core)]

        def call(*dyn: Any) -> Any:
            it = iter(dyn)
            out = pyfunc(*[a if i in static else next(it) for i, a in enumerate(args)], **kwargs)
            if parsed:
                _check_outputs(out, parsed[1], sizes)
            return out

        if not any(loops):
            return call(*dynamic)
        batch = _static_batch([tuple(a.shape)[:n] for a, n in zip(dynamic, loops)])
        # The loop shapes as tensors too: sizes known only when the graph runs (a batch) broadcast as well.
        rank = len(batch)
        batch_t = None
        for a, n in zip(dynamic, loops):
            dims = _array.concat([_array.ones([rank - n], "int32"), _array.shape(a, out_type="int32")[:n]], 0)
            # Valid loop shapes agree where neither size is 1, so the broadcast takes the other where one is 1.
            batch_t = dims if batch_t is None else _array.where(_math.equal(batch_t, 1), dims, batch_t)
        rows = []
        for a, n in zip(dynamic, loops):
            core_t = _array.shape(a)[n:]
            full = _array.broadcast_to(a, _array.concat([batch_t, core_t], 0))
            rows.append(_array.reshape(full, _array.concat([[-1], core_t], 0)))
        out = _tf().vectorized_map(lambda xs: call(*xs), tuple(rows))

        def unflatten(o: Tensor) -> Tensor:
            r = _array.reshape(o, _array.concat([batch_t, _array.shape(o)[1:]], 0))
            r.set_shape(batch + list(o.shape)[1:])
            return r

        return nest.map_structure(unflatten, out)

    return wrapped


_TOKEN = r"\w+|\(.*?\)"


def _groups(axes: list) -> list:
    """Each axis of a pattern side as the list of the names it groups (``"(h w)"`` -> ``["h", "w"]``)."""
    return [a[1:-1].split() if a.startswith("(") else [a] for a in axes]


def rearrange(tensor: Any, pattern: str, **axes_lengths: int) -> Tensor:
    """einops' ``rearrange``: ``"b (h w) c -> b h w c"``-style patterns that split, merge and permute axes
    (sizes of split axes that cannot be inferred given as keywords)."""
    t = convert_to_tensor(tensor)
    sides = re.split(r"\s*->\s*", pattern.strip())
    if len(sides) != 2:
        raise ValueError(f"The pattern must have one '->' between its input and output axes. Received: {pattern}")
    in_groups = _groups(re.findall(_TOKEN, sides[0]))
    out_groups = _groups(re.findall(_TOKEN, sides[1]))
    shape = tuple(t.shape)
    if len(in_groups) != len(shape):
        raise ValueError(f"The pattern {sides[0]!r} has {len(in_groups)} axes but the tensor has {len(shape)}: {shape}")
    sizes = dict(axes_lengths)
    for group, dim in zip(in_groups, shape):
        unknown = [a for a in group if a not in sizes]
        if len(group) == 1 and unknown:
            sizes[group[0]] = dim
        elif len(unknown) == 1:
            sizes[unknown[0]] = dim // int(np.prod([sizes[a] for a in group if a in sizes]))
        elif unknown:
            raise ValueError(f"Could not infer the sizes of {unknown}: give all but one of them as keywords")
        if dim is not None and int(np.prod([sizes[a] for a in group])) != dim:
            raise ValueError(f"Axes {group} of sizes {[sizes[a] for a in group]} do not make up the dimension {dim}")
    in_flat = [a for g in in_groups for a in g]
    out_flat = [a for g in out_groups for a in g]
    if sorted(in_flat) != sorted(out_flat) or len(set(in_flat)) != len(in_flat):
        raise ValueError(f"The input and output patterns must name the same axes once each. Received: {pattern}")
    decomposed = [sizes[a] for a in in_flat]
    if decomposed != list(shape):
        t = _array.reshape(t, [-1 if s is None else s for s in decomposed])
    t = _array.transpose(t, [in_flat.index(a) for a in out_flat])
    out_shape = [int(np.prod([sizes[a] for a in g])) if None not in [sizes[a] for a in g] else -1 for g in out_groups]
    return _array.reshape(t, out_shape)
