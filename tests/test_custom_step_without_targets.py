"""A model with its own train_step/test_step (and no call) compiled with a loss fits on a dataset of inputs
alone, as keras.io's masked autoencoder; compile takes a schedule without get_config (only saving it fails,
as Keras 3); tf.repeat takes a count known when the graph runs. Values recorded from Keras 3.15 / TF 2.21."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras


class _Constant(keras.optimizers.schedules.LearningRateSchedule):
    def __call__(self, step):
        return 0.1


class _AutoEncoder(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = keras.layers.Dense(2, kernel_initializer="ones")

    def train_step(self, x):
        with tf.GradientTape() as tape:
            loss = self.compute_loss(y=x, y_pred=self.d(x))
        grads = tape.gradient(loss, self.d.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.d.trainable_variables))
        return {"loss": loss}

    def test_step(self, x):
        return {"loss": self.compute_loss(y=x, y_pred=self.d(x))}


def test_fit_and_evaluate_on_inputs_alone():
    m = _AutoEncoder()
    m.compile(optimizer=keras.optimizers.SGD(learning_rate=_Constant()), loss="mse")
    with pytest.raises(NotImplementedError, match="must override `get_config"):
        m.get_compile_config()
    x = np.arange(8, dtype="float32").reshape(4, 2) / 10
    ds = tf.data.Dataset.from_tensor_slices(x).batch(2)
    m.fit(ds, epochs=1, verbose=0, shuffle=False)
    np.testing.assert_allclose(
        m.d.kernel.numpy(),
        [[0.9672330021858215, 0.9726450443267822], [0.9594780206680298, 0.9667729735374451]],
        rtol=1e-6,
    )
    assert np.isfinite(m.evaluate(ds, verbose=0))


def test_repeat_by_a_run_time_count():
    @tf.function(input_signature=[tf.TensorSpec([None, 2])])
    def f(x):
        r = tf.repeat(tf.constant([[1.0, 2.0], [3.0, 4.0]])[tf.newaxis], repeats=tf.shape(x)[0], axis=0)
        s = tf.repeat(tf.constant([1, 2, 3]), tf.shape(x)[0])
        assert r.shape.as_list() == [None, 2, 2] and s.shape.as_list() == [None]
        return r, s

    r, s = f(tf.ones((3, 2)))
    np.testing.assert_array_equal(r.numpy(), np.repeat([[[1.0, 2.0], [3.0, 4.0]]], 3, axis=0))
    assert s.numpy().tolist() == [1, 1, 1, 2, 2, 2, 3, 3, 3]
