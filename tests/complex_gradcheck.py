"""Gradients of complex functions with TensorFlow's convention: for a real loss L of z = x + iy the gradient
is dL/dx + i dL/dy. The tape's answer is checked against central differences along both parts."""

import numpy as np

import ferroflow as tf

RNG = np.random.default_rng(7)


def crandn(*shape, dtype=np.complex128):
    return (RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)).astype(dtype)


def real_loss(y, weights):
    """A real scalar that depends on both parts of a complex tensor (or on a real one)."""
    wr, wi = weights
    if y.dtype.is_complex:
        return tf.reduce_sum(tf.math.real(y) * wr) + tf.reduce_sum(tf.math.imag(y) * wi)
    return tf.reduce_sum(y * wr)


def weights_for(shape):
    return (RNG.standard_normal(shape), RNG.standard_normal(shape))


def finite_difference(f, args, index, eps=1e-6):
    """dL/dRe + i dL/dIm of ``f(*args)`` with respect to ``args[index]``, by central differences."""
    z = np.array(args[index])
    grad = np.zeros_like(z)
    units = (1.0, 1j) if np.iscomplexobj(z) else (1.0,)
    for idx in np.ndindex(z.shape):
        for unit in units:
            plus, minus = z.copy(), z.copy()
            plus[idx] += eps * unit
            minus[idx] -= eps * unit
            call = lambda v: float(f(*[tf.constant(v if i == index else a) for i, a in enumerate(args)]).numpy())  # noqa: E731
            grad[idx] += (call(plus) - call(minus)) / (2 * eps) * unit
    return grad


def tape_gradient(f, args):
    tensors = [tf.constant(a) for a in args]
    with tf.GradientTape() as tape:
        for t in tensors:
            tape.watch(t)
        loss = f(*tensors)
    return [g.numpy() for g in tape.gradient(loss, tensors)]
