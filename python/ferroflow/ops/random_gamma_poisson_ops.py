"""``tf.random.gamma``/``poisson``, ``tf.random.stateless_gamma``/``stateless_poisson`` and TF1's
``random_gamma``/``random_poisson``, with TensorFlow's shapes, dtypes and seeds.

``gamma`` and ``poisson`` return ``shape + broadcast(parameters).shape`` samples; the stateless forms return
``shape``, which must end with the parameters' broadcast shape. Gamma samples carry TensorFlow's implicit
reparameterization gradient with respect to ``alpha``: d sample / d alpha = -(dP(alpha, x)/d alpha) / pdf(x),
summed over the sample dimensions (and, through ``sample / beta``, the gradient for ``beta``).
"""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.custom_gradient import _custom_gradient
from ..framework.dtypes import as_dtype, float32, int32
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from . import _sample_shape, array_ops, math_ops
from .gamma_poisson_samplers import Draws, poisson_samples, standard_gamma
from .igamma_ops import random_gamma_grad
from .random_ops import _mix, resolve_seed
from .stateless_random_ops import seed_pair

_POISSON_DTYPES = ("float32", "float64", "int32", "int64")


def _dims(shape: Any, op: str) -> tuple:
    """``(shape, static)``: the sample shape as ints, or as an int vector known at run time."""
    return _sample_shape.sample_shape(shape, op)


def _float_dtype(dtype: Any, op: str) -> Any:
    d = as_dtype(dtype)
    if not d.is_floating:
        raise ValueError(f"{op} expects a floating-point dtype (float32 or float64), received {d.name}")
    return d


def _broadcast_shape(a: Tensor, b: Tensor) -> List[int]:
    return (array_ops.zeros_like(a) + array_ops.zeros_like(b)).shape.as_list()


def _clamped(sample: Tensor, dtype: Any) -> Tensor:
    """TensorFlow keeps gamma samples at or above the dtype's smallest normal number (NaN stays NaN)."""
    tiny = float(np.finfo(dtype.as_numpy_dtype).tiny)
    return array_ops.where(math_ops.is_nan(sample), sample, math_ops.maximum(sample, tiny))


def _gamma_samples(alpha: Tensor, sample_dims: list, draws: Draws) -> Tensor:
    """Gamma(alpha, 1) of shape ``sample_dims + alpha.shape`` in alpha's dtype, differentiable in alpha."""

    def forward(a: Tensor) -> tuple:
        full = array_ops.cast(a, "float64") + array_ops.zeros(draws.shape, "float64")
        x = array_ops.cast(standard_gamma(full, draws), a.dtype)

        def grad(upstream: Tensor) -> Tensor:
            partial = random_gamma_grad(a + array_ops.zeros_like(x), x)
            total = upstream * partial
            return math_ops.reduce_sum(total, axis=list(range(len(sample_dims)))) if sample_dims else total

        return x, grad

    return _custom_gradient(forward, pause=True)(alpha)


def gamma(
    shape: Any,
    alpha: Any,
    beta: Any = None,
    dtype: Any = float32,
    seed: Optional[int] = None,
    name: Optional[str] = None,
) -> Tensor:
    """Gamma(alpha, beta) samples (``beta`` the rate, 1 by default) of shape ``shape + broadcast(alpha,
    beta).shape``."""
    d = _float_dtype(dtype, "tf.random.gamma")
    dims, static = _dims(shape, "tf.random.gamma")
    alpha = convert_to_tensor(alpha, dtype=d)
    beta = convert_to_tensor(1.0 if beta is None else beta, dtype=d)
    alpha = alpha + array_ops.zeros_like(beta)
    s, step = resolve_seed(seed)
    params, params_static = _sample_shape.of(alpha)
    full = _sample_shape.concat(dims, params)
    draws = Draws(full, _mix(0x6A3A, s), step, stateless=False, static=static + params_static)
    return _clamped(_gamma_samples(alpha, static, draws) / beta, d)


def _check_ends_with(dims: list, params: list, op: str) -> None:
    tail = dims[len(dims) - len(params) :] if params else []
    if len(params) > len(dims) or any(a is not None and b is not None and a != b for a, b in zip(tail, params)):
        raise InvalidArgumentError(
            f"Shape passed in must end with broadcasted shape: {op} received shape {dims} for parameters of "
            f"broadcast shape {params}"
        )


def stateless_gamma(
    shape: Any,
    seed: Any,
    alpha: Any,
    beta: Any = None,
    dtype: Any = float32,
    name: Optional[str] = None,
) -> Tensor:
    """Gamma(alpha, beta) samples of shape ``shape`` (which ends with the parameters' broadcast shape),
    the same for the same ``seed``."""
    d = _float_dtype(dtype, "tf.random.stateless_gamma")
    dims, static = _dims(shape, "tf.random.stateless_gamma")
    a, b = seed_pair(seed, "stateless_gamma")
    alpha = convert_to_tensor(alpha, dtype=d)
    beta = convert_to_tensor(1.0 if beta is None else beta, dtype=d)
    _check_ends_with(static, _broadcast_shape(alpha, beta), "stateless_gamma")
    alpha = alpha + array_ops.zeros(dims, d) + array_ops.zeros_like(beta)
    draws = Draws(dims, _mix(0x57A7E6A3A, a, b), 0, stateless=True, static=static)
    return _clamped(_gamma_samples(alpha, [], draws) / beta, d)


def _rate(lam: Any, op: str) -> Tensor:
    rate = convert_to_tensor(lam)
    if rate.dtype.name not in _POISSON_DTYPES:
        raise TypeError(f"{op} expects lam of a float or integer dtype, received {rate.dtype.name}")
    return rate


def _poisson_dtype(dtype: Any, op: str) -> Any:
    d = as_dtype(dtype)
    if d.name not in _POISSON_DTYPES:
        raise InvalidArgumentError(f"{op} expects dtype float32, float64, int32 or int64, received {d.name}")
    return d


def _poisson(rate: Tensor, draws: Draws, d: Any) -> Tensor:
    full = array_ops.cast(rate, "float64") + array_ops.zeros(draws.shape, "float64")
    return array_ops.cast(array_ops.stop_gradient(poisson_samples(full, draws)), d)


def poisson(
    shape: Any, lam: Any, dtype: Any = float32, seed: Optional[int] = None, name: Optional[str] = None
) -> Tensor:
    """Poisson(lam) samples of shape ``shape + lam.shape`` in ``dtype`` (float or integer)."""
    d = _poisson_dtype(dtype, "tf.random.poisson")
    dims, static = _dims(shape, "tf.random.poisson")
    rate = _rate(lam, "tf.random.poisson")
    s, step = resolve_seed(seed)
    params, params_static = _sample_shape.of(rate)
    full = _sample_shape.concat(dims, params)
    return _poisson(rate, Draws(full, _mix(0x9015, s), step, stateless=False, static=static + params_static), d)


def stateless_poisson(shape: Any, seed: Any, lam: Any, dtype: Any = int32, name: Optional[str] = None) -> Tensor:
    """Poisson(lam) samples of shape ``shape`` (which ends with lam's shape), the same for the same
    ``seed``."""
    d = _poisson_dtype(dtype, "tf.random.stateless_poisson")
    dims, static = _dims(shape, "tf.random.stateless_poisson")
    a, b = seed_pair(seed, "stateless_poisson")
    rate = _rate(lam, "tf.random.stateless_poisson")
    _check_ends_with(static, rate.shape.as_list(), "stateless_poisson")
    return _poisson(rate, Draws(dims, _mix(0x57A7E9015, a, b), 0, stateless=True, static=static), d)


def random_poisson(
    lam: Any, shape: Any, dtype: Any = float32, seed: Optional[int] = None, name: Optional[str] = None
) -> Tensor:
    """TF1's ``tf.compat.v1.random_poisson(lam, shape, ...)``: ``poisson`` with the arguments swapped."""
    return poisson(shape, lam, dtype=dtype, seed=seed, name=name)
