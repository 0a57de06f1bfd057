"""Activity regularizers (``activity_regularizer=``, ``ActivityRegularization``) and ``add_loss`` in ``call``."""

import numpy as np

import ferroflow as tf

layers = tf.keras.layers


def test_activity_regularizer_adds_the_penalty_of_the_last_call():
    x = np.array([[1.0, -2.0], [3.0, 0.5]], "float32")
    layer = layers.ActivityRegularization(l1=0.1, l2=0.01)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    (penalty,) = layer.losses
    assert np.isclose(float(penalty), 0.1 * np.abs(x).sum() + 0.01 * (x**2).sum(), rtol=1e-6)
    layer(x * 2)  # a new call replaces the previous call's losses
    assert len(layer.losses) == 1 and np.isclose(float(layer.losses[0]), 0.2 * np.abs(x).sum() + 0.04 * (x**2).sum())
    dense = layers.Dense(3, activity_regularizer="l2", kernel_initializer="ones")
    out = dense(x).numpy()
    assert np.isclose(float(dense.losses[0]), 0.01 * (out**2).sum(), rtol=1e-6)
    assert dense.get_config()["activity_regularizer"]["class_name"] == "L2"


def test_the_penalty_is_part_of_the_training_loss():
    tf.keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).standard_normal((64, 4)).astype("float32")
    y = np.zeros((64, 1), "float32")

    def model(l2):
        m = tf.keras.Sequential(
            [tf.keras.Input((4,)), layers.Dense(1, kernel_initializer="ones"), layers.ActivityRegularization(l2=l2)]
        )
        m.compile("sgd", "mse")
        return m

    plain, regularized = model(0.0), model(0.5)
    outputs = x.sum(axis=1)
    loss = regularized.evaluate(x, y, batch_size=64, verbose=0)
    assert np.isclose(loss, (outputs**2).mean() + 0.5 * (outputs**2).sum(), rtol=1e-4)
    assert np.isclose(plain.evaluate(x, y, batch_size=64, verbose=0), (outputs**2).mean(), rtol=1e-4)


def test_add_loss_in_call_reaches_fit():
    class Penalized(layers.Layer):
        def call(self, inputs):
            self.add_loss(tf.reduce_sum(tf.abs(inputs)) * 0.0 + 7.0)
            return inputs

    model = tf.keras.Sequential([tf.keras.Input((2,)), Penalized(), layers.Dense(1, kernel_initializer="zeros")])
    model.compile("sgd", "mse")
    x = np.ones((8, 2), "float32")
    assert np.isclose(model.evaluate(x, np.zeros((8, 1)), verbose=0), 7.0, rtol=1e-6)
