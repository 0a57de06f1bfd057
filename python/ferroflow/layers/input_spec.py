"""``InputSpec`` and the input compatibility checks a layer runs before ``call``, with Keras's messages."""

from __future__ import annotations

from typing import Any, Optional

from ..framework import nest


def display_shape(shape: Any) -> str:
    dims = ["None" if d is None else str(d) for d in shape]
    return f"({dims[0]},)" if len(dims) == 1 else "(" + ", ".join(dims) + ")"


class InputSpec:
    """What a layer expects of an input: rank bounds, fixed axis sizes, a full shape."""

    def __init__(
        self,
        dtype: Any = None,
        shape: Optional[tuple] = None,
        ndim: Optional[int] = None,
        max_ndim: Optional[int] = None,
        min_ndim: Optional[int] = None,
        axes: Optional[dict] = None,
        allow_last_axis_squeeze: bool = False,
        name: Optional[str] = None,
    ) -> None:
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        self.allow_last_axis_squeeze = bool(allow_last_axis_squeeze)
        self.name = name

    def __repr__(self) -> str:
        parts = [f"{k}={getattr(self, k)}" for k in ("dtype", "shape", "ndim", "max_ndim", "min_ndim")]
        return f"InputSpec({', '.join(p for p in parts if not p.endswith('=None'))}, axes={self.axes})"


def assert_input_compatibility(input_spec: Any, inputs: Any, layer_name: str) -> None:
    """Raises ``ValueError`` like Keras when ``inputs`` does not match ``input_spec``."""
    if not input_spec:
        return
    if isinstance(inputs, dict) and isinstance(input_spec, (list, tuple)):
        inputs = inputs_by_name(input_spec, inputs)
    specs = nest.flatten(input_spec)
    flat = nest.flatten(inputs)
    if len(specs) != len(flat):
        raise ValueError(
            f'Layer "{layer_name}" expects {len(specs)} input(s), but it received {len(flat)} input tensors. '
            f"Inputs received: {flat}"
        )
    for i, (spec, x) in enumerate(zip(specs, flat)):
        if spec is None:
            continue
        shape = getattr(x, "shape", None)
        if shape is None:
            continue
        shape = tuple(shape)
        ndim = len(shape)
        head = f"Input {i} with name '{spec.name}' of layer '{layer_name}' is incompatible with the layer: "
        compared = squeezable_shape(spec, shape)
        if spec.allow_last_axis_squeeze and spec.name is not None and compared is None and spec.shape is not None:
            # A functional model's Input (its spec named after the Input layer, as Keras 3's Functional.input_spec):
            # Keras 3 compares the axes the shapes share before any rank check.
            check_squeezed_shape(spec, shape, head)
        if spec.ndim is not None and ndim != spec.ndim and compared is None:
            raise ValueError(
                f"{head}expected ndim={spec.ndim}, found ndim={ndim}. Full shape received: {display_shape(shape)}"
                + (f", expected shape={display_shape(spec.shape)}" if spec.shape is not None else "")
            )
        if spec.max_ndim is not None and ndim > spec.max_ndim:
            raise ValueError(
                f"{head}expected max_ndim={spec.max_ndim}, found ndim={ndim}. "
                f"Full shape received: {display_shape(shape)}"
            )
        if spec.min_ndim is not None and ndim < spec.min_ndim:
            raise ValueError(
                f"{head}expected min_ndim={spec.min_ndim}, found ndim={ndim}. "
                f"Full shape received: {display_shape(shape)}"
            )
        for axis, value in spec.axes.items():
            if value is None:
                continue
            if -ndim <= axis < ndim and shape[axis] is not None and shape[axis] != value:
                raise ValueError(
                    f"{head}expected axis {axis} of input shape to have value {value}, "
                    f"but received input with shape {display_shape(shape)}"
                )
        if spec.shape is not None:
            want_shape, got_shape = compared or (spec.shape, shape)
            for want, got in zip(want_shape, got_shape):
                if want is not None and got is not None and want != got:
                    raise ValueError(
                        f"{head}expected shape={display_shape(spec.shape)}, found shape={display_shape(shape)}"
                    )


def check_squeezed_shape(spec: InputSpec, shape: tuple, head: str) -> None:
    """Keras 3's shape check of a model input: a last axis of size 1 dropped from both shapes, then the axes they
    share compared; a differing one raises ``expected shape=..., found shape=...`` whatever the ranks."""
    got = shape[:-1] if shape and shape[-1] == 1 else shape
    want = tuple(spec.shape)
    want = want[:-1] if want and want[-1] == 1 else want
    for w, g in zip(want, got):
        if w is not None and g is not None and w != g:
            raise ValueError(f"{head}expected shape={display_shape(spec.shape)}, found shape={display_shape(got)}")


def inputs_by_name(input_spec: Any, inputs: dict) -> Any:
    """A dict of inputs given to a model of listed inputs, in the order of the specs' names (its ``Input``
    names), as Keras pairs them; unchanged when the specs are unnamed."""
    names = [getattr(spec, "name", None) for spec in input_spec]
    if not all(names):
        return inputs
    for name in names:
        if name not in inputs:
            raise ValueError(
                f'Missing data for input "{name}". You passed a data dictionary with keys {list(inputs.keys())}. '
                f"Expected the following keys: {names}"
            )
    return [inputs[name] for name in names]


def squeezable_shape(spec: Any, shape: tuple) -> Optional[tuple]:
    """For a model input (``allow_last_axis_squeeze``, as Keras 3's functional models), whose rank differs from the
    spec's by a last axis of size 1 (``(batch,)`` for ``Input(shape=(1,))``, or ``(batch, n, 1)`` for
    ``Input(shape=(n,))``): ``(spec shape, shape)`` without that axis, to compare. Otherwise None."""
    if not getattr(spec, "allow_last_axis_squeeze", False) or spec.shape is None:
        return None
    want = tuple(spec.shape)
    if len(shape) == len(want) + 1 and shape[-1] == 1:
        return want, shape[:-1]
    if len(shape) == len(want) - 1 and want and want[-1] == 1:
        return want[:-1], shape
    return None
