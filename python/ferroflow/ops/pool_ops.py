"""``tf.nn.pool``: N-D max or average pooling (N = 1, 2, 3), with optional dilation.

Undilated pooling dispatches to ``max_pool``/``avg_pool`` in 1-D and 2-D and ``max_pool3d``/``avg_pool3d``.
A dilated window (``VALID`` padding and unit strides only, as in TensorFlow) is the elementwise maximum or mean
of one strided slice of the input per window tap: tap ``k`` along an axis starts at ``k * dilation``.
"""

from __future__ import annotations

import itertools
from typing import Any, List, Optional, Sequence

from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from .conv3d_ops import avg_pool3d, max_pool3d
from .conv_ops import _float_tensor, avg_pool, max_pool
from .math_ops import add_n, maximum

_FORMATS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}


def _per_axis(value: Any, what: str, n: int) -> List[int]:
    if value is None:
        return [1] * n
    values = [int(v) for v in value] if isinstance(value, (list, tuple)) else [int(value)]
    if len(values) == 1:
        values = values * n
    if len(values) != n or min(values) < 1:
        raise ValueError(f"`{what}` must be {n} positive ints (one per spatial dimension), received {value}")
    return values


def _dilated(kind: str, x: Tensor, window: List[int], dilations: List[int], axes: List[int], name: Any) -> Tensor:
    shape = x.shape.as_list()
    sizes = [shape[a] for a in axes]
    if any(s is None for s in sizes):
        raise ValueError(f"dilated pooling needs the spatial sizes known before it runs, received shape {shape}")
    outs = [s - (w - 1) * d for s, w, d in zip(sizes, window, dilations)]
    if min(outs) < 1:
        raise ValueError(f"the dilated window {window} (dilations {dilations}) is larger than the input {sizes}")
    taps = []
    for offsets in itertools.product(*[range(w) for w in window]):
        specs: list = [("range", None, None, 1)] * len(shape)
        for axis, k, d, out in zip(axes, offsets, dilations, outs):
            specs[axis] = ("range", k * d, k * d + out, 1)
        taps.append(apply("strided_slice", [x], {"specs": specs}))
    if kind == "max":
        y = taps[0]
        for tap in taps[1:]:
            y = maximum(y, tap)
    else:
        y = add_n(taps) * (1.0 / len(taps)) if len(taps) > 1 else taps[0]
    return y if name is None else apply("identity", [y], op_name=name)


def pool(
    input: Any,
    window_shape: Sequence[int],
    pooling_type: str,
    strides: Optional[Sequence[int]] = None,
    padding: str = "VALID",
    data_format: Optional[str] = None,
    dilations: Optional[Sequence[int]] = None,
    name: Optional[str] = None,
) -> Tensor:
    """Max (``pooling_type="MAX"``) or average (``"AVG"``) pooling of a ``[batch, *spatial, channels]`` input
    (``[batch, channels, *spatial]`` for ``NC...`` data formats) over ``window_shape`` windows.

    ``dilations`` spreads each window's taps apart; as in TensorFlow, it needs ``padding="VALID"`` and unit
    ``strides``. A stride larger than the window is refused, as TensorFlow does.
    """
    window = [int(w) for w in window_shape]
    n = len(window)
    if not 1 <= n <= 3:
        raise ValueError(f"`len(window_shape)` must be 1, 2, or 3. Received: window_shape={window_shape}")
    x = convert_to_tensor(input)
    if x.shape.rank is not None and x.shape.rank != n + 2:
        raise ValueError(f"a {n}-D pool needs a rank-{n + 2} input, received shape {x.shape}")
    strides_, dilations_ = _per_axis(strides, "strides", n), _per_axis(dilations, "dilations", n)
    if not isinstance(padding, str) or padding.upper() not in ("VALID", "SAME"):
        raise ValueError(f"padding must be 'VALID' or 'SAME', received {padding!r}")
    padding = padding.upper()
    dilated = max(dilations_) > 1
    if dilated and max(strides_) > 1:
        raise ValueError(
            f"`strides > 1` not supported in conjunction with `dilations > 1`. Received: "
            f"strides={strides_} and dilations={dilations_}"
        )
    if dilated and padding == "SAME":
        raise ValueError(
            f"pooling with 'SAME' padding is not implemented for `dilations` > 1. Received: dilations={dilations_}"
        )
    if any(s > w for s, w in zip(strides_, window)):
        raise ValueError(
            f"`strides` > `window_shape` is not supported. Received: strides={strides_} and window_shape={window}"
        )
    kind = {"MAX": "max", "AVG": "avg"}.get(pooling_type)
    if kind is None:
        raise ValueError(f"{n}-D {pooling_type} pooling is not supported: pooling_type must be 'MAX' or 'AVG'")
    fmt = data_format or _FORMATS[n][0]
    if fmt not in _FORMATS[n]:
        raise ValueError(f"data_format must be one of {_FORMATS[n]} for a {n}-D pool, received {data_format!r}")
    first = fmt.startswith("NC")
    if dilated:
        axes = list(range(2, n + 2)) if first else list(range(1, n + 1))
        return _dilated(kind, _float_tensor(x, f"{kind}_pool"), window, dilations_, axes, name)
    if n == 3:
        op3 = max_pool3d if kind == "max" else avg_pool3d
        return op3(x, window, strides_, padding, fmt, name)
    op = max_pool if kind == "max" else avg_pool
    return op(x, window, strides_, padding, fmt, name)
