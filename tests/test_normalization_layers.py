"""BatchNormalization, LayerNormalization and UnitNormalization against Keras's formulas; moving averages in fit."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

layers = tf.keras.layers
RNG = np.random.default_rng(2)


def test_batch_normalization_training_inference_and_moving_averages():
    x = (RNG.standard_normal((32, 6, 6, 4)) * 3 + 2).astype("float32")
    bn = layers.BatchNormalization(momentum=0.9, epsilon=1e-3)
    y = bn(x, training=True)
    mean, var = x.mean(axis=(0, 1, 2)), x.var(axis=(0, 1, 2))
    np.testing.assert_allclose(y.numpy(), (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-4)
    # Keras: moving = moving * momentum + batch * (1 - momentum), with the biased batch variance
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.1 * mean, rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.9 + 0.1 * var, rtol=1e-5)
    y_inf = bn(x, training=False)
    want = (x - bn.moving_mean.numpy()) / np.sqrt(bn.moving_variance.numpy() + 1e-3)
    np.testing.assert_allclose(y_inf.numpy(), want, rtol=1e-4, atol=1e-4)
    assert [w.name.split("/")[-1].split(":")[0] for w in bn.weights] == [
        "gamma",
        "beta",
        "moving_mean",
        "moving_variance",
    ]
    assert len(bn.trainable_weights) == 2 and len(bn.non_trainable_weights) == 2


def test_channels_first_axis_and_gradient():
    x = RNG.standard_normal((5, 3, 4, 4))
    bn = layers.BatchNormalization(axis=1, dtype="float64", gamma_initializer="random_normal", beta_initializer="ones")
    y = bn(x, training=True).numpy()
    mean, var = x.mean(axis=(0, 2, 3), keepdims=True), x.var(axis=(0, 2, 3), keepdims=True)
    gamma, beta = bn.gamma.numpy().reshape(1, 3, 1, 1), bn.beta.numpy().reshape(1, 3, 1, 1)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3) * gamma + beta, rtol=1e-10, atol=1e-10)
    fresh = layers.BatchNormalization(axis=1, dtype="float64")
    check_gradient(lambda t: fresh(t, training=True), x[:, :, :2, :2], wrt=0, rtol=1e-4, atol=1e-6)


def test_fit_updates_moving_averages_and_a_frozen_layer_stays_put():
    x = (RNG.standard_normal((64, 4, 4, 2)) + 5).astype("float32")
    y = RNG.standard_normal((64, 1)).astype("float32")

    def model():
        return tf.keras.Sequential(
            [tf.keras.Input((4, 4, 2)), layers.BatchNormalization(), layers.Flatten(), layers.Dense(1)]
        )

    m = model()
    m.compile("sgd", "mse")
    m.fit(x, y, batch_size=64, epochs=3, verbose=0, shuffle=False)
    bn = m.layers[0]
    np.testing.assert_allclose(bn.moving_mean.numpy(), x.mean(axis=(0, 1, 2)) * (1 - 0.99**3), rtol=1e-4)
    frozen = model()
    frozen.layers[0].trainable = False
    frozen.compile("sgd", "mse")
    frozen.fit(x, y, batch_size=64, epochs=2, verbose=0)
    fb = frozen.layers[0]
    np.testing.assert_array_equal(fb.moving_mean.numpy(), np.zeros(2))
    np.testing.assert_array_equal(fb.gamma.numpy(), np.ones(2))
    # evaluate runs in inference mode: the moving averages do not move
    before = bn.moving_mean.numpy().copy()
    m.evaluate(x, y, verbose=0)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), before)


def test_layer_and_unit_normalization():
    x = RNG.standard_normal((3, 5, 6)).astype("float32") * 4
    ln = layers.LayerNormalization(gamma_initializer="random_normal", beta_initializer="random_normal")
    y = ln(x).numpy()
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    np.testing.assert_allclose(
        y, (x - mean) / np.sqrt(var + 1e-3) * ln.gamma.numpy() + ln.beta.numpy(), rtol=1e-4, atol=1e-4
    )
    both = layers.LayerNormalization(axis=[1, 2])(x).numpy()
    m2, v2 = x.mean((1, 2), keepdims=True), x.var((1, 2), keepdims=True)
    np.testing.assert_allclose(both, (x - m2) / np.sqrt(v2 + 1e-3), rtol=1e-4, atol=1e-4)
    rms = layers.LayerNormalization(rms_scaling=True)(x).numpy()
    np.testing.assert_allclose(rms, x / np.sqrt((x**2).mean(-1, keepdims=True) + 1e-3), rtol=1e-4, atol=1e-4)
    unit = layers.UnitNormalization()(x).numpy()
    np.testing.assert_allclose(np.linalg.norm(unit, axis=-1), 1.0, rtol=1e-5)
    check_gradient(lambda t: layers.LayerNormalization(dtype="float64")(t), x[0].astype("float64"), wrt=0, rtol=1e-4)


def test_configs_round_trip_and_bad_axes():
    bn = layers.BatchNormalization(axis=1, momentum=0.8, epsilon=1e-5, center=False)
    clone = layers.BatchNormalization.from_config(bn.get_config())
    assert (clone.axis, clone.momentum, clone.epsilon, clone.center) == (1, 0.8, 1e-5, False)
    assert layers.LayerNormalization.from_config(layers.LayerNormalization(rms_scaling=True).get_config()).rms_scaling
    with pytest.raises(ValueError, match="defined dimension"):
        tf.keras.Sequential([tf.keras.Input((None, 3)), layers.BatchNormalization(axis=1)])


def test_tf_nn_batch_normalization_and_fused_batch_norm():
    x = RNG.standard_normal((4, 3, 3, 2))
    mean, var = np.array([0.5, -1.0]), np.array([2.0, 0.5])
    offset, scale = np.array([0.1, 0.2]), np.array([1.5, 0.5])
    got = tf.nn.batch_normalization(x, mean, var, offset, scale, 1e-3).numpy()
    np.testing.assert_allclose(got, (x - mean) / np.sqrt(var + 1e-3) * scale + offset, rtol=1e-12)
    y, bm, bv = tf.nn.fused_batch_norm(x, scale, offset, epsilon=1e-3)
    m, v = x.mean((0, 1, 2)), x.var((0, 1, 2))
    np.testing.assert_allclose(y.numpy(), (x - m) / np.sqrt(v + 1e-3) * scale + offset, rtol=1e-10)
    np.testing.assert_allclose(bm.numpy(), m, rtol=1e-12)
    np.testing.assert_allclose(bv.numpy(), x.var((0, 1, 2), ddof=1), rtol=1e-12)  # TensorFlow returns it unbiased


def test_group_normalization_against_the_definition():
    x = (RNG.standard_normal((2, 4, 5, 6)) * 3 + 1).astype("float32")
    layer = layers.GroupNormalization(groups=3, gamma_initializer="random_normal", beta_initializer="random_normal")
    y = layer(x).numpy()
    g = x.reshape(2, 4, 5, 3, 2)
    mean, var = g.mean(axis=(1, 2, 4), keepdims=True), g.var(axis=(1, 2, 4), keepdims=True)
    want = ((g - mean) / np.sqrt(var + 1e-3)).reshape(x.shape) * layer.gamma.numpy() + layer.beta.numpy()
    np.testing.assert_allclose(y, want, rtol=1e-4, atol=1e-4)
    first = layers.GroupNormalization(groups=2, axis=1)(np.transpose(x, (0, 3, 1, 2))).numpy()
    g2 = x.reshape(2, 4, 5, 2, 3)
    m2, v2 = g2.mean(axis=(1, 2, 4), keepdims=True), g2.var(axis=(1, 2, 4), keepdims=True)
    np.testing.assert_allclose(
        first, np.transpose(((g2 - m2) / np.sqrt(v2 + 1e-3)).reshape(x.shape), (0, 3, 1, 2)), rtol=1e-4, atol=1e-4
    )
    with pytest.raises(ValueError, match="multiple"):
        layers.GroupNormalization(groups=4)(x)
    assert layers.GroupNormalization.from_config(layer.get_config()).groups == 3
