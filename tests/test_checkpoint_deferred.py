"""Deferred restoration: variables a module creates after ``restore`` (on its first call) get the values."""

import numpy as np

import ferroflow as tf


class FlexibleDenseModule(tf.Module):
    def __init__(self, out_features, name=None):
        super().__init__(name=name)
        self.is_built = False
        self.out_features = out_features

    def __call__(self, x):
        if not self.is_built:
            self.w = tf.Variable(tf.random.normal([x.shape[-1], self.out_features]), name="w")
            self.b = tf.Variable(tf.zeros([self.out_features]), name="b")
            self.is_built = True
        return tf.matmul(x, self.w) + self.b


class MySequentialModule(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.dense_1 = FlexibleDenseModule(out_features=3)
        self.dense_2 = FlexibleDenseModule(out_features=2)

    def __call__(self, x):
        return self.dense_2(tf.nn.relu(self.dense_1(x)))


def test_the_modules_guides_restore_before_the_first_call(tmp_path):
    model = MySequentialModule()
    x = tf.constant([[2.0, 2.0, 2.0]])
    want = model(x).numpy()
    path = tf.train.Checkpoint(model=model).write(str(tmp_path / "my_checkpoint"))

    new_model = MySequentialModule()
    status = tf.train.Checkpoint(model=new_model).restore(path)
    np.testing.assert_allclose(new_model(x).numpy(), want, rtol=1e-6)
    status.assert_consumed()  # every value found its variable once they existed


def test_keras_layers_built_after_restore_get_their_values(tmp_path):
    layer = tf.keras.layers.Dense(4)
    x = tf.ones([2, 3])
    want = layer(x).numpy()
    path = tf.train.Checkpoint(layer=layer).write(str(tmp_path / "ckpt"))
    fresh = tf.keras.layers.Dense(4)
    tf.train.Checkpoint(layer=fresh).restore(path)
    np.testing.assert_allclose(fresh(x).numpy(), want, rtol=1e-6)
