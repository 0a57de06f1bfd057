"""The core's one-pass layer normalization (`layer_norm`, what LayerNormalization over the last axis runs):
output and all three gradients against NumPy's formulas and finite differences, in float32 and float64, at a
Transformer's shapes (768 features: whole SIMD lanes and parallel rows) and ragged ones; export and reload."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.framework.ops import apply
from gradcheck import check_gradient

RNG = np.random.default_rng(3)


def reference(x, gamma, beta, eps):
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def reference_grads(x, gamma, dy, eps):
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    r = 1 / np.sqrt(var + eps)
    h = (x - mean) * r
    d = dy * gamma
    dx = r * (d - d.mean(-1, keepdims=True) - h * (d * h).mean(-1, keepdims=True))
    axes = tuple(range(x.ndim - 1))
    return dx, (dy * h).sum(axes), dy.sum(axes)


@pytest.mark.parametrize("shape", [(8, 128, 768), (64, 512), (7, 13), (1, 1), (2, 3, 5, 9)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_output_and_gradients_match_the_formulas(shape, dtype):
    x = (RNG.standard_normal(shape) * 3 + 20).astype(dtype)  # a large mean: the variance must be centred
    gamma = RNG.standard_normal(shape[-1]).astype(dtype)
    beta = RNG.standard_normal(shape[-1]).astype(dtype)
    dy = RNG.standard_normal(shape).astype(dtype)
    xt, gt, bt = tf.constant(x), tf.constant(gamma), tf.constant(beta)
    with tf.GradientTape() as tape:
        tape.watch([xt, gt, bt])
        y = apply("layer_norm", [xt, gt, bt], {"epsilon": 1e-3})
        loss = tf.reduce_sum(y * dy)
    dx, dgamma, dbeta = tape.gradient(loss, [xt, gt, bt])
    tol = 1e-5 if dtype == "float32" else 1e-12
    x64 = x.astype("float64")
    np.testing.assert_allclose(y.numpy(), reference(x64, gamma, beta, 1e-3), rtol=tol * 10, atol=tol * 10)
    want = reference_grads(x64, gamma.astype("float64"), dy.astype("float64"), 1e-3)
    for got, expected in zip([dx, dgamma, dbeta], want):
        scale = np.abs(expected).max() + 1
        np.testing.assert_allclose(got.numpy(), expected, rtol=tol * 50, atol=tol * 50 * scale)


@pytest.mark.parametrize("wrt", [0, 1, 2])
def test_gradients_against_finite_differences(wrt):
    x = RNG.standard_normal((4, 6)) * 2
    gamma, beta = RNG.standard_normal(6), RNG.standard_normal(6)
    check_gradient(lambda *a: apply("layer_norm", list(a), {"epsilon": 1e-3}), x, gamma, beta, wrt=wrt, rtol=1e-6)


def test_the_layer_uses_it_for_the_last_axis_and_composes_the_rest():
    x = RNG.standard_normal((4, 10, 32)).astype("float32")
    layer = tf.keras.layers.LayerNormalization(gamma_initializer="random_normal", beta_initializer="random_normal")
    y = layer(x).numpy()
    np.testing.assert_allclose(y, reference(x, layer.gamma.numpy(), layer.beta.numpy(), 1e-3), rtol=1e-4, atol=1e-5)
    graph = tf.function(layer).get_concrete_function(tf.TensorSpec((4, 10, 32))).graph
    ops = {op.type for op in graph.get_operations()}
    assert "LayerNorm" in ops and "Mean" not in ops
    # No scale: composed from moments, the same numbers.
    plain = tf.keras.layers.LayerNormalization(scale=False)
    np.testing.assert_allclose(plain(x).numpy(), reference(x, 1.0, 0.0, 1e-3), rtol=1e-4, atol=1e-5)


def test_a_second_derivative_says_it_has_no_rule():
    x = tf.constant(RNG.standard_normal((3, 4)).astype("float32"))
    g, b = tf.ones([4]), tf.zeros([4])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(apply("layer_norm", [x, g, b], {"epsilon": 1e-3}) ** 3)
        dx = inner.gradient(y, x)
    with pytest.raises(Exception, match="LayerNormGradInput"):
        outer.gradient(dx, x)


def test_an_exported_transformer_block_reloads_with_the_same_outputs(tmp_path):
    inputs = tf.keras.Input((16, 32))
    h = tf.keras.layers.LayerNormalization()(inputs)
    h = tf.keras.layers.MultiHeadAttention(2, 16)(h, h)
    model = tf.keras.Model(inputs, tf.keras.layers.LayerNormalization(epsilon=1e-6)(tf.keras.layers.add([h, inputs])))
    x = RNG.standard_normal((3, 16, 32)).astype("float32")
    model.export(str(tmp_path / "block"))
    serve = tf.saved_model.load(str(tmp_path / "block")).signatures["serving_default"]
    assert '"layer_norm"' in (tmp_path / "block" / "graph.json").read_text()
    np.testing.assert_allclose(serve(tf.constant(x))["output_0"].numpy(), model(x).numpy(), rtol=1e-5, atol=1e-5)
