"""Merge layers: ``Add``, ``Subtract``, ``Multiply``, ``Average``, ``Maximum``, ``Minimum``, ``Concatenate``,
``Dot``, and their functional forms (``keras.layers.add([a, b])`` ...)."""

from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

from ..ops import array_ops, math_ops
from ..ops.math_derived_ops import reduce_any
from .base_layer import Layer


def _promoted(inputs: list) -> list:
    """The inputs in their common dtype when they differ (one-hot int64 lookups joined with float32 features),
    by Keras 3's promotion rules, as its merge ops do."""
    dtypes = {getattr(x, "dtype", None) for x in inputs}
    if len(dtypes) <= 1 or None in dtypes:
        return inputs
    from ..keras._dtype_promotion import result_type

    dtype = result_type(*inputs)
    return [x if x.dtype == dtype else array_ops.cast(x, dtype) for x in inputs]


class _Merge(Layer):
    """An elementwise merge of a list of at least two inputs of compatible (broadcastable) shapes."""

    min_inputs = 2

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True

    def _check(self, inputs: Any) -> list:
        if not isinstance(inputs, (list, tuple)) or len(inputs) < self.min_inputs:
            got = f"{len(inputs)} inputs" if isinstance(inputs, (list, tuple)) else f"a single {type(inputs).__name__}"
            raise ValueError(
                f"A merge layer should be called on a list of at least {self.min_inputs} inputs. Got {got}"
            )
        return list(inputs)

    def _merge(self, inputs: list) -> Any:
        raise NotImplementedError

    def call(self, inputs: Any) -> Any:
        return self._merge(_promoted(self._check(inputs)))

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        """As Keras: the OR of the inputs' masks when every input has one, else no mask."""
        masks = _check_masks(inputs, previous_mask)
        if masks is None or any(m is None for m in masks):
            return None
        return functools.reduce(math_ops.logical_or, masks)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shapes = [tuple(s) for s in input_shape]
        rank = max(len(s) for s in shapes)
        out = []
        for i in range(rank):
            dims = {s[i - rank + len(s)] for s in shapes if i - rank + len(s) >= 0} - {1}
            known = {d for d in dims if d is not None}
            if len(known) > 1:
                raise ValueError(f"Inputs have incompatible shapes. Received shapes {shapes}")
            out.append(known.pop() if known else (None if None in dims else 1))
        return tuple(out)


def _fold(op: Callable) -> Callable:
    return lambda self, inputs: functools.reduce(op, inputs)


class Add(_Merge):
    """The sum of the inputs."""

    _merge = _fold(math_ops.add)


class Multiply(_Merge):
    """The product of the inputs."""

    _merge = _fold(math_ops.multiply)


class Maximum(_Merge):
    """The elementwise maximum of the inputs."""

    _merge = _fold(math_ops.maximum)


class Minimum(_Merge):
    """The elementwise minimum of the inputs."""

    _merge = _fold(math_ops.minimum)


class Average(_Merge):
    """The mean of the inputs."""

    def _merge(self, inputs: list) -> Any:
        return math_ops.multiply(functools.reduce(math_ops.add, inputs), 1.0 / len(inputs))


class Subtract(_Merge):
    """The first input minus the second (exactly two inputs)."""

    def _check(self, inputs: Any) -> list:
        inputs = super()._check(inputs)
        if len(inputs) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. Received: inputs={inputs}")
        return inputs

    def _merge(self, inputs: list) -> Any:
        return math_ops.subtract(inputs[0], inputs[1])


class Concatenate(_Merge):
    """The inputs joined along ``axis`` (every other dimension must match)."""

    min_inputs = 1

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = int(axis)

    def _merge(self, inputs: list) -> Any:
        return array_ops.concat(inputs, axis=self.axis)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        """As Keras: the masks (all-True for unmasked inputs) joined along ``axis``, then any() over the last."""
        masks = _check_masks(inputs, previous_mask)
        if masks is None or all(m is None for m in masks):
            return None
        full = []
        for x, m in zip(inputs, masks):
            if m is None:
                m = array_ops.ones_like(x, dtype="bool")
            elif m.shape.rank < x.shape.rank:
                m = math_ops.logical_or(array_ops.expand_dims(m, -1), array_ops.zeros_like(x, dtype="bool"))
            full.append(m)
        return reduce_any(array_ops.concat(full, axis=self.axis), axis=-1)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shapes = [list(s) for s in input_shape]
        rank = len(shapes[0])
        axis = self.axis % rank
        out = list(shapes[0])
        for s in shapes[1:]:
            clash = any(a is not None and b is not None and a != b for i, (a, b) in enumerate(zip(out, s)) if i != axis)
            if len(s) != rank or clash:
                raise ValueError(
                    "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. "
                    f"Received: input_shape={[tuple(x) for x in shapes]}"
                )
            out[axis] = None if out[axis] is None or s[axis] is None else out[axis] + s[axis]
        return tuple(out)

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = self.axis
        return config


class Dot(_Merge):
    """The dot product of two batches of samples along ``axes`` (cosine proximity with ``normalize``)."""

    def __init__(self, axes: Any, normalize: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axes = axes if isinstance(axes, int) else tuple(int(a) for a in axes)
        self.normalize = bool(normalize)

    def _merge(self, inputs: list) -> Any:
        if len(inputs) != 2:
            raise ValueError(f"A `Dot` layer should be called on exactly 2 inputs. Received: inputs={inputs}")
        a, b = inputs
        axes = (self.axes, self.axes) if isinstance(self.axes, int) else self.axes
        axes = tuple(ax % len(t.shape) for ax, t in zip(axes, (a, b)))
        if self.normalize:
            a = math_ops.l2_normalize(a, axis=axes[0])
            b = math_ops.l2_normalize(b, axis=axes[1])
        # Move the contracted axis last in a and first (after the batch) in b, then a batched product.
        ra, rb = len(a.shape), len(b.shape)
        a = array_ops.transpose(a, [i for i in range(ra) if i != axes[0]] + [axes[0]]) if axes[0] != ra - 1 else a
        b = array_ops.transpose(b, [0, axes[1]] + [i for i in range(1, rb) if i != axes[1]]) if axes[1] != 1 else b
        mid_a, mid_b = [int(d) for d in a.shape[1:-1]], [int(d) for d in b.shape[2:]]
        k = int(a.shape[-1])
        a3 = array_ops.reshape(a, [-1, int(np.prod(mid_a, dtype=np.int64)), k])
        b3 = array_ops.reshape(b, [-1, k, int(np.prod(mid_b, dtype=np.int64))])
        return array_ops.reshape(math_ops.matmul(a3, b3), [-1] + (mid_a + mid_b or [1]))

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        return None

    def compute_output_shape(self, input_shape: Any) -> tuple:
        sa, sb = (list(s) for s in input_shape)
        axes = (self.axes, self.axes) if isinstance(self.axes, int) else self.axes
        axes = tuple(ax % len(s) for ax, s in zip(axes, (sa, sb)))
        out = [sa[0]] + [d for i, d in enumerate(sa) if i not in (0, axes[0])]
        out += [d for i, d in enumerate(sb) if i not in (0, axes[1])]
        return tuple(out) if len(out) > 1 else (sa[0], 1)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(axes=self.axes, normalize=self.normalize)
        return config


def _check_masks(inputs: Any, mask: Any) -> Any:
    if mask is None:
        return None
    if not isinstance(mask, (list, tuple)):
        raise ValueError(f"`mask` should be a list. Received: mask={mask}")
    if not isinstance(inputs, (list, tuple)) or len(mask) != len(inputs):
        raise ValueError(
            f"The lists `inputs` and `mask` should have the same length. Received: inputs={inputs}, mask={mask}"
        )
    return list(mask)


def _functional(cls: type, doc: str) -> Callable:
    def merge(inputs: list, **kwargs: Any) -> Any:
        return cls(**kwargs)(inputs)

    merge.__doc__ = doc
    merge.__name__ = cls.__name__.lower()
    return merge


add = _functional(Add, "``Add()(inputs)``.")
subtract = _functional(Subtract, "``Subtract()(inputs)``.")
multiply = _functional(Multiply, "``Multiply()(inputs)``.")
average = _functional(Average, "``Average()(inputs)``.")
maximum = _functional(Maximum, "``Maximum()(inputs)``.")
minimum = _functional(Minimum, "``Minimum()(inputs)``.")


def concatenate(inputs: list, axis: int = -1, **kwargs: Any) -> Any:
    """``Concatenate(axis)(inputs)``."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs: list, axes: Any = -1, normalize: bool = False, **kwargs: Any) -> Any:
    """``Dot(axes, normalize)(inputs)``."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
