"""``tf.compat.v1.layers.dropout`` and ``batch_normalization``: ``training`` a Python bool or a boolean
tensor (a placeholder fed per run), and batch normalization's moving averages updated by ops in the
``UPDATE_OPS`` collection, which TF1 training code runs with the train op::

    update_ops = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train_op = optimizer.minimize(loss)

As in TF1, a 4-D input normalized over axis 3 or 1 takes the fused kernel's path, whose moving variance
is updated with the unbiased (n / (n - 1)) batch variance; other inputs use the biased one.
"""

from __future__ import annotations

from typing import Any, Optional

from ...framework.ops import convert_to_tensor
from ...framework.tensor import Tensor
from ...framework.variables import Variable
from . import initializers as init_ops
from .variable_scope import get_variable, variable_scope


def _pick(training: Any, when_true: Any, when_false: Any) -> Any:
    """``when_true`` or ``when_false``: chosen now for a Python bool, per run for a boolean tensor."""
    if isinstance(training, (Tensor, Variable)):
        from ... import where

        return where(training, when_true, when_false)
    return when_true if training else when_false


def dropout(
    inputs: Any,
    rate: float = 0.5,
    noise_shape: Any = None,
    seed: Optional[int] = None,
    training: Any = False,
    name: Optional[str] = None,
) -> Any:
    """While ``training``, zeroes a ``rate`` fraction of ``inputs`` and scales the rest by 1 / (1 - rate)."""
    from ... import name_scope, nn

    if not 0 <= float(rate) < 1:
        raise ValueError(
            f"Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate={rate}"
        )
    x = convert_to_tensor(inputs)
    if training is False or float(rate) == 0.0:
        return x
    with name_scope(name or "dropout"):
        dropped = nn.dropout(x, rate=float(rate), noise_shape=noise_shape, seed=seed)
        return _pick(training, dropped, x)


def batch_normalization(
    inputs: Any,
    axis: Any = -1,
    momentum: float = 0.99,
    epsilon: float = 1e-3,
    center: bool = True,
    scale: bool = True,
    beta_initializer: Any = None,
    gamma_initializer: Any = None,
    moving_mean_initializer: Any = None,
    moving_variance_initializer: Any = None,
    beta_regularizer: Any = None,
    gamma_regularizer: Any = None,
    beta_constraint: Any = None,
    gamma_constraint: Any = None,
    training: Any = False,
    trainable: bool = True,
    name: Optional[str] = None,
    reuse: Any = None,
    renorm: bool = False,
    renorm_clipping: Any = None,
    renorm_momentum: float = 0.99,
    fused: Optional[bool] = None,
    virtual_batch_size: Any = None,
    adjustment: Any = None,
) -> Any:
    """Normalizes ``inputs`` over every axis but ``axis``: with the batch's statistics while ``training``, else
    with the moving averages ``<name>/moving_mean`` and ``<name>/moving_variance``."""
    from ... import math as tf_math
    from ... import name_scope, nn, reshape

    if renorm or virtual_batch_size is not None or adjustment is not None:
        raise NotImplementedError("batch_normalization: renorm, virtual_batch_size and adjustment are not supported")
    x = convert_to_tensor(inputs)
    rank = x.shape.rank
    if rank is None:
        raise ValueError(f"Input has undefined rank: {x.shape}")
    axes = sorted({a % rank for a in ([axis] if isinstance(axis, int) else list(axis))})
    if any(x.shape[a] is None for a in axes):
        raise ValueError(f"Input has undefined `axis` dimension. Received input with shape {x.shape} and axis={axis}")
    param_shape = [x.shape[a] for a in axes]
    broadcast = [x.shape[i] if i in axes else 1 for i in range(rank)]
    reduce_axes = [i for i in range(rank) if i not in axes]
    use_fused = fused is not False and rank == 4 and axes in ([3], [1])

    def var(
        var_name: str, init: Any, default: Any, regularizer: Any = None, train: bool = False, constraint: Any = None
    ) -> Variable:
        return get_variable(
            var_name,
            param_shape,
            dtype=x.dtype,
            initializer=init if init is not None else default,
            regularizer=regularizer,
            trainable=train,
            constraint=constraint,
        )

    with variable_scope(name, default_name="batch_normalization", reuse=reuse):
        gamma = (
            var("gamma", gamma_initializer, init_ops.Ones(), gamma_regularizer, trainable, gamma_constraint)
            if scale
            else None
        )
        beta = (
            var("beta", beta_initializer, init_ops.Zeros(), beta_regularizer, trainable, beta_constraint)
            if center
            else None
        )
        moving_mean = var("moving_mean", moving_mean_initializer, init_ops.Zeros())
        moving_variance = var("moving_variance", moving_variance_initializer, init_ops.Ones())

        def normalize(mean: Any, variance: Any) -> Any:
            y = (x - mean) * tf_math.rsqrt(variance + epsilon)
            if gamma is not None:
                y = y * reshape(gamma, broadcast)
            return y + reshape(beta, broadcast) if beta is not None else y

        inference = normalize(reshape(moving_mean, broadcast), reshape(moving_variance, broadcast))
        if training is False:
            return inference
        mean, variance = nn.moments(x, reduce_axes, keepdims=True)
        out = _pick(training, normalize(mean, variance), inference)
        batch_variance = reshape(variance, param_shape)
        n = _count(x, reduce_axes) if use_fused else None
        if n is not None:
            batch_variance = batch_variance * (n / (n - 1.0))
        decay = _pick(training, 1.0 - momentum, 0.0)
        updates = []
        for scope, variable, value in (
            ("AssignMovingAvg", moving_mean, reshape(mean, param_shape)),
            ("AssignMovingAvg_1", moving_variance, batch_variance),
        ):
            with name_scope(scope):
                updates.append(variable.assign_sub((variable - value) * decay))
        graph = getattr(x, "graph", None)  # eagerly the updates have run already: nothing to collect
        if graph is not None:
            for update in updates:
                graph.add_to_collection("update_ops", update)
    return out


def _count(x: Any, reduce_axes: list) -> Any:
    """How many values each statistic averages: a number when the shape is static, else a scalar tensor."""
    dims = [x.shape[i] for i in reduce_axes]
    if all(d is not None for d in dims):
        n = 1
        for d in dims:
            n *= d
        return float(n) if n > 1 else None
    from ... import cast, gather, reduce_prod, shape

    return cast(reduce_prod(gather(shape(x), reduce_axes)), x.dtype)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("Tensor", "Variable", "convert_to_tensor", "get_variable", "variable_scope"))
