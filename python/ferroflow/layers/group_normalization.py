"""``GroupNormalization``: each sample's channels split into ``groups``, each group normalized over its channels
and the spatial axes (Wu and He, 2018); ``groups=1`` is layer normalization over the whole sample, and one
group per channel is instance normalization."""

from __future__ import annotations

from typing import Any

from ..ops import array_ops, math_ops, nn_ops
from .normalization import _Normalization


class GroupNormalization(_Normalization):
    """Normalizes ``groups`` groups of channels (``axis``) per sample, then scales by ``gamma`` and shifts by
    ``beta`` per channel."""

    def __init__(
        self,
        groups: int = 32,
        axis: int = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            int(axis),
            epsilon,
            center,
            scale,
            beta_initializer,
            gamma_initializer,
            beta_regularizer,
            gamma_regularizer,
            beta_constraint,
            gamma_constraint,
            **kwargs,
        )
        self.groups = int(groups)

    def build(self, input_shape: Any) -> None:
        shape = tuple(input_shape)
        (channels,) = self._param_shape(shape)
        if channels < self.groups:
            raise ValueError(
                f"Number of groups ({self.groups}) cannot be more than the number of channels ({channels})."
            )
        if channels % self.groups:
            raise ValueError(
                f"Number of groups ({self.groups}) must be a multiple of the number of channels ({channels})."
            )
        self._build_scale_and_center((channels,))
        self.built = True

    def call(self, inputs: Any) -> Any:
        rank = len(inputs.shape)
        axis = self._resolved_axes(rank)[0]
        x = inputs if axis == rank - 1 else array_ops.transpose(inputs, _moving_last(rank, axis))
        dims = [int(d) for d in x.shape[1:]]
        channels = dims[-1]
        grouped = array_ops.reshape(x, [-1] + dims[:-1] + [self.groups, channels // self.groups])
        # statistics per (sample, group): over the spatial axes and the channels inside the group
        reduce = list(range(1, rank - 1)) + [rank]
        mean, variance = nn_ops.moments(grouped, reduce, keepdims=True)
        normalized = math_ops.multiply(math_ops.subtract(grouped, mean), math_ops.rsqrt(variance + self.epsilon))
        out = array_ops.reshape(normalized, [-1] + dims)
        if self.gamma is not None:
            out = math_ops.multiply(out, self.gamma)
        if self.beta is not None:
            out = math_ops.add(out, self.beta)
        if axis != rank - 1:
            out = array_ops.transpose(out, _moving_back(rank, axis))
        return out

    def get_config(self) -> dict:
        config = super().get_config()
        config["groups"] = self.groups
        return config


def _moving_last(rank: int, axis: int) -> list:
    return [a for a in range(rank) if a != axis] + [axis]


def _moving_back(rank: int, axis: int) -> list:
    order = _moving_last(rank, axis)
    return [order.index(a) for a in range(rank)]
