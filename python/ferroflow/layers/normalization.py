"""``BatchNormalization`` and ``LayerNormalization`` with Keras 3's arguments and rules.

``BatchNormalization`` normalizes with the batch's statistics while training and with its moving averages
at inference. The moving averages are assigned inside the layer's call, so a compiled train step runs the
updates with the rest of the step. As in Keras, a layer set ``trainable = False`` runs in inference mode
even while training (the usual fine-tuning setup).
"""

from __future__ import annotations

from typing import Any

from ..ops import math_ops, nn_ops
from ..ops.array_ops import cast, reshape
from ..ops.normalization_ops import batch_normalization, channels_last_training, last_axis_layer_norm
from . import _resolve
from ._batch_norm_sync import synchronized_moments
from .base_layer import Layer
from .input_spec import InputSpec
from .unit_normalization import UnitNormalization  # noqa: F401


def _axes(axis: Any) -> tuple:
    return tuple(int(a) for a in axis) if isinstance(axis, (list, tuple)) else (int(axis),)


def _at_least_float32(x: Any) -> Any:
    """16-bit float inputs (mixed precision) normalized in float32, as Keras does: their statistics overflow
    (float16) or lose precision (bfloat16)."""
    return cast(x, "float32") if x.dtype.name in ("float16", "bfloat16") else x


class _Normalization(Layer):
    """The learned ``gamma`` (scale) and ``beta`` (center) shared by batch and layer normalization."""

    def __init__(
        self,
        axis: Any,
        epsilon: float,
        center: bool,
        scale: bool,
        beta_initializer: Any,
        gamma_initializer: Any,
        beta_regularizer: Any,
        gamma_regularizer: Any,
        beta_constraint: Any,
        gamma_constraint: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.axis = axis if isinstance(axis, int) else list(axis)
        self.epsilon = float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = _resolve.initializer(beta_initializer)
        self.gamma_initializer = _resolve.initializer(gamma_initializer)
        self.beta_regularizer = _resolve.regularizer(beta_regularizer)
        self.gamma_regularizer = _resolve.regularizer(gamma_regularizer)
        self.beta_constraint = _resolve.constraint(beta_constraint)
        self.gamma_constraint = _resolve.constraint(gamma_constraint)
        self.supports_masking = True

    def _resolved_axes(self, rank: int) -> tuple:
        return tuple(a % rank for a in _axes(self.axis))

    def _param_shape(self, input_shape: tuple) -> tuple:
        axes = self._resolved_axes(len(input_shape))
        dims = tuple(input_shape[a] for a in axes)
        if any(d is None for d in dims):
            raise ValueError(
                f"Axis {self.axis} of input tensor should have a defined dimension but the layer received an input "
                f"with shape {input_shape}."
            )
        return dims

    def _build_scale_and_center(self, shape: tuple) -> None:
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                name="gamma",
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                autocast=False,
            )
        if self.center:
            self.beta = self.add_weight(
                name="beta",
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                autocast=False,
            )

    def _broadcast(self, value: Any, rank: int) -> Any:
        """A parameter of the normalized axes, shaped to broadcast against the input."""
        axes = self._resolved_axes(rank)
        if axes == tuple(range(rank - len(axes), rank)):
            return value  # trailing axes broadcast as they are
        shape = [1] * rank
        for a, d in zip(axes, value.shape):
            shape[a] = d
        return reshape(value, shape)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            axis=self.axis,
            epsilon=self.epsilon,
            center=self.center,
            scale=self.scale,
            beta_initializer=_resolve.serialize_initializer(self.beta_initializer),
            gamma_initializer=_resolve.serialize_initializer(self.gamma_initializer),
            beta_regularizer=_resolve.serialize(self.beta_regularizer),
            gamma_regularizer=_resolve.serialize(self.gamma_regularizer),
            beta_constraint=_resolve.serialize(self.beta_constraint),
            gamma_constraint=_resolve.serialize(self.gamma_constraint),
        )
        return config


class BatchNormalization(_Normalization):
    """Normalizes each feature (``axis``) by the batch's mean and variance while training, by moving averages
    (``momentum``) at inference; then scales by ``gamma`` and shifts by ``beta``. Under a strategy with several
    replicas each replica uses its own part of the batch, unless ``synchronized`` (the global batch's)."""

    def __init__(
        self,
        axis: int = -1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        moving_mean_initializer: Any = "zeros",
        moving_variance_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        synchronized: bool = False,
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
        self.momentum = float(momentum)
        self.synchronized = bool(synchronized)
        self.moving_mean_initializer = _resolve.initializer(moving_mean_initializer)
        self.moving_variance_initializer = _resolve.initializer(moving_variance_initializer)

    def build(self, input_shape: Any) -> None:
        shape = self._param_shape(tuple(input_shape))
        self._build_scale_and_center(shape)
        self.moving_mean = self.add_weight(
            name="moving_mean", shape=shape, initializer=self.moving_mean_initializer, trainable=False, autocast=False
        )
        self.moving_variance = self.add_weight(
            name="moving_variance",
            shape=shape,
            initializer=self.moving_variance_initializer,
            trainable=False,
            autocast=False,
        )
        rank = len(tuple(input_shape))
        self.input_spec = InputSpec(ndim=rank, axes={self._resolved_axes(rank)[0]: shape[0]})
        self.built = True

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        outputs = self._normalize(_at_least_float32(inputs), training)
        return outputs if outputs.dtype.name == self.compute_dtype else cast(outputs, self.compute_dtype)

    def _normalize(self, inputs: Any, training: Any) -> Any:
        rank = len(inputs.shape)
        if training and self.trainable:
            axis = self._resolved_axes(rank)[0]
            if self.synchronized:  # the global batch's statistics, all-reduced over the replicas
                mean, variance = synchronized_moments(inputs, [a for a in range(rank) if a != axis])
                self._update_moving_statistics(mean, variance)
                return self._apply(inputs, mean, variance)
            native = channels_last_training(inputs, self.gamma, self.beta, self.epsilon) if axis == rank - 1 else None
            if native is not None:
                outputs, mean, variance = native
                self._update_moving_statistics(mean, variance)
                return outputs
            reduce = [a for a in range(rank) if a != axis]
            mean, variance = nn_ops.moments(inputs, reduce)
            self._update_moving_statistics(mean, variance)
        else:
            mean, variance = self.moving_mean, self.moving_variance
        return self._apply(inputs, mean, variance)

    def _apply(self, inputs: Any, mean: Any, variance: Any) -> Any:
        rank = len(inputs.shape)
        return batch_normalization(
            inputs,
            self._broadcast(mean, rank),
            self._broadcast(variance, rank),
            None if self.beta is None else self._broadcast(self.beta, rank),
            None if self.gamma is None else self._broadcast(self.gamma, rank),
            self.epsilon,
        )

    def _update_moving_statistics(self, mean: Any, variance: Any) -> None:
        m = self.momentum
        self.moving_mean.assign(math_ops.add(self.moving_mean * m, mean * (1.0 - m)))
        self.moving_variance.assign(math_ops.add(self.moving_variance * m, variance * (1.0 - m)))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            momentum=self.momentum,
            moving_mean_initializer=_resolve.serialize_initializer(self.moving_mean_initializer),
            moving_variance_initializer=_resolve.serialize_initializer(self.moving_variance_initializer),
            synchronized=self.synchronized,
        )
        return config


class LayerNormalization(_Normalization):
    """Normalizes each sample over ``axis`` (the features), then scales by ``gamma`` and shifts by ``beta``;
    ``rms_scaling`` divides by the root mean square instead (no centering)."""

    def __init__(
        self,
        axis: Any = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        rms_scaling: bool = False,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            axis,
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
        self.rms_scaling = bool(rms_scaling)
        self.autocast = False  # as Keras: inputs and weights stay as they are; float16 is normalized in float32

    def build(self, input_shape: Any) -> None:
        self._build_scale_and_center(self._param_shape(tuple(input_shape)))
        self.built = True

    def call(self, inputs: Any) -> Any:
        outputs = self._normalize(_at_least_float32(inputs))
        return outputs if outputs.dtype.name == self.compute_dtype else cast(outputs, self.compute_dtype)

    def _normalize(self, inputs: Any) -> Any:
        rank = len(inputs.shape)
        axes = list(self._resolved_axes(rank))
        gamma = None if self.gamma is None else self._broadcast(self.gamma, rank)
        if self.rms_scaling:
            mean_square = math_ops.reduce_mean(math_ops.square(inputs), axis=axes, keepdims=True)
            out = inputs * math_ops.rsqrt(mean_square + self.epsilon)
            return out if gamma is None else out * gamma
        if axes == [rank - 1] and self.gamma is not None and self.beta is not None:
            # The usual case (a Transformer's): one pass each way instead of about ten.
            fused = last_axis_layer_norm(inputs, self.gamma, self.beta, self.epsilon)
            if fused is not None:
                return fused
        mean, variance = nn_ops.moments(inputs, axes, keepdims=True)
        beta = None if self.beta is None else self._broadcast(self.beta, rank)
        return batch_normalization(inputs, mean, variance, beta, gamma, self.epsilon)

    def get_config(self) -> dict:
        config = super().get_config()
        config["rms_scaling"] = self.rms_scaling
        return config
