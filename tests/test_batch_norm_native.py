"""Training-mode batch normalization over the last axis by the core's fused kernels.

The values follow Keras's formula; the gradients (through the batch statistics too) are checked against
finite differences in float64 and against the same formula composed of elementwise ops, at the shape of a
ResNet block's activations so that the split paths of the kernels run.
"""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

layers = tf.keras.layers
RNG = np.random.default_rng(5)


def composed(x, gamma, beta, eps):
    """The same normalization written with tf.nn.moments and tf.nn.batch_normalization."""
    mean, var = tf.nn.moments(x, axes=list(range(len(x.shape) - 1)))
    return tf.nn.batch_normalization(x, mean, var, beta, gamma, eps)


def test_layer_values_and_moving_statistics_at_a_resnet_shape():
    x = (RNG.standard_normal((32, 28, 28, 16)) * 3 + 50).astype("float32")
    bn = layers.BatchNormalization(momentum=0.9, gamma_initializer="random_normal", beta_initializer="random_normal")
    y = bn(x, training=True).numpy()
    mean, var = x.astype("float64").mean(axis=(0, 1, 2)), x.astype("float64").var(axis=(0, 1, 2))
    gamma, beta = bn.gamma.numpy(), bn.beta.numpy()
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3) * gamma + beta, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.1 * mean, rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.9 + 0.1 * var, rtol=1e-4)


@pytest.mark.parametrize("shape", [(4, 3, 3, 5), (7, 6), (2, 3, 2, 2, 3)])
def test_layer_input_gradient_matches_finite_differences(shape):
    x = RNG.standard_normal(shape) * 2 + 1
    bn = layers.BatchNormalization(dtype="float64", gamma_initializer="random_normal", beta_initializer="ones")
    check_gradient(lambda t: bn(t, training=True), x, rtol=1e-5, atol=1e-7)


def test_fused_batch_norm_gradients_match_finite_differences():
    x = RNG.standard_normal((4, 3, 3, 5)) * 2 + 1
    gamma, beta = RNG.standard_normal(5), RNG.standard_normal(5)
    for wrt in range(3):
        check_gradient(
            lambda t, g, b: tf.nn.fused_batch_norm(t, g, b, epsilon=1e-3)[0], x, gamma, beta, wrt=wrt, rtol=1e-5
        )


def test_gradients_equal_the_composed_formula_eager_and_in_a_function():
    x = tf.constant(RNG.standard_normal((16, 14, 14, 32)) + 3)
    gamma, beta = tf.constant(RNG.standard_normal(32)), tf.constant(RNG.standard_normal(32))
    w = tf.constant(RNG.standard_normal((16, 14, 14, 32)))

    def grads(normalize, x, gamma, beta):
        with tf.GradientTape() as tape:
            tape.watch([x, gamma, beta])
            loss = tf.reduce_sum(tf.nn.relu(normalize(x, gamma, beta)) * w)
        return tape.gradient(loss, [x, gamma, beta])

    fused = lambda t, g, b: tf.nn.fused_batch_norm(t, g, b, epsilon=1e-3)[0]  # noqa: E731
    want = grads(lambda t, g, b: composed(t, g, b, 1e-3), x, gamma, beta)
    traced = tf.function(lambda *args: grads(fused, *args))
    for got in (grads(fused, x, gamma, beta), traced(x, gamma, beta)):
        for a, b in zip(got, want):
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-9, atol=1e-9)


def test_statistics_returned_by_fused_batch_norm_have_gradients_too():
    x = RNG.standard_normal((3, 2, 2, 4))
    scale, offset = RNG.standard_normal(4), RNG.standard_normal(4)

    def all_outputs(t):
        y, mean, var = tf.nn.fused_batch_norm(t, scale, offset, epsilon=1e-3)
        return tf.reduce_sum(y * y) + tf.reduce_sum(mean * [1.0, -2.0, 3.0, 0.5]) + tf.reduce_sum(var)

    check_gradient(all_outputs, x, rtol=1e-5, atol=1e-7)


def test_a_resnet_block_trains_the_same_as_the_composed_formula():
    x = RNG.standard_normal((8, 12, 12, 3)).astype("float32")
    y = RNG.integers(0, 4, 8)

    def build(normalization):
        inputs = tf.keras.Input((12, 12, 3))
        h = layers.Conv2D(8, 3, padding="same", use_bias=False)(inputs)
        h = normalization()(h)
        h = layers.Activation("relu")(h)
        h = layers.GlobalAveragePooling2D()(h)
        model = tf.keras.Model(inputs, layers.Dense(4)(h))
        model.compile(tf.keras.optimizers.SGD(0.1), tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        return model

    class Composed(layers.Layer):
        """Keras's training-mode formula from tf.nn ops, with the same weights as BatchNormalization."""

        def build(self, shape):
            self.gamma = self.add_weight(name="gamma", shape=(shape[-1],), initializer="ones")
            self.beta = self.add_weight(name="beta", shape=(shape[-1],), initializer="zeros")

        def call(self, t):
            return composed(t, self.gamma, self.beta, 1e-3)

    tf.keras.utils.set_random_seed(3)
    native = build(layers.BatchNormalization)
    tf.keras.utils.set_random_seed(3)
    reference = build(Composed)
    h1 = native.fit(x, y, batch_size=8, epochs=3, verbose=0, shuffle=False).history["loss"]
    h2 = reference.fit(x, y, batch_size=8, epochs=3, verbose=0, shuffle=False).history["loss"]
    np.testing.assert_allclose(h1, h2, rtol=1e-4)
    np.testing.assert_allclose(
        native.layers[-1].kernel.numpy(), reference.layers[-1].kernel.numpy(), rtol=1e-3, atol=1e-5
    )


def test_a_second_derivative_raises_instead_of_returning_a_wrong_value():
    x = tf.constant(RNG.standard_normal((4, 3)))
    scale, offset = tf.ones(3, "float64"), tf.zeros(3, "float64")
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.nn.fused_batch_norm(tf.reshape(x, (4, 1, 1, 3)), scale, offset)[0]
            loss = tf.reduce_sum(y * y * y)
        g = inner.gradient(loss, x)
        total = tf.reduce_sum(g * g)
    with pytest.raises(Exception, match="FusedBatchNormGrad"):
        outer.gradient(total, x)


def test_channels_that_do_not_match_are_a_clear_error():
    x = tf.constant(RNG.standard_normal((2, 2, 2, 3)))
    with pytest.raises((ValueError, tf.errors.InvalidArgumentError), match="channels"):
        tf.nn.fused_batch_norm(x, tf.ones(4, "float64"), tf.zeros(4, "float64"))
