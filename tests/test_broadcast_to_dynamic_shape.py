"""``tf.broadcast_to`` / ``keras.ops.broadcast_to`` to a shape with sizes known only when the graph runs (a
batch size from ``tf.shape``), as keras.io's CCT PositionEmbedding does; values and static shapes as TF 2.21."""

import numpy as np

import ferroflow as tf
from ferroflow import keras


def test_in_a_function_with_unknown_batch():
    seen = []

    @tf.function(input_signature=[tf.TensorSpec([None, 3])])
    def f(x):
        a = tf.broadcast_to(tf.constant([1.0, 2.0, 3.0]), (tf.shape(x)[0], 3))
        b = tf.broadcast_to(tf.constant([True, False, True]), [tf.shape(x)[0], 3])
        seen.append((a.shape.as_list(), b.shape.as_list()))
        return a, b

    a, b = f(tf.ones((2, 3)))
    assert seen == [([None, 3], [None, 3])]
    assert a.numpy().tolist() == [[1.0, 2.0, 3.0]] * 2
    assert b.numpy().tolist() == [[True, False, True]] * 2


def test_gradient_sums_over_the_broadcast_rows():
    v = tf.Variable([1.0, 2.0, 3.0])

    @tf.function(input_signature=[tf.TensorSpec([None, 3])])
    def g(a):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.broadcast_to(v, tf.shape(a)) * a)
        return tape.gradient(y, v)

    x = np.arange(12, dtype="float32").reshape(4, 3)
    np.testing.assert_allclose(g(x).numpy(), x.sum(0))


class _PositionEmbedding(keras.layers.Layer):
    def build(self, input_shape):
        self.table = self.add_weight(shape=(input_shape[-2], input_shape[-1]), initializer="ones")

    def call(self, inputs):
        shape = keras.ops.shape(inputs)
        table = keras.ops.slice(keras.ops.convert_to_tensor(self.table), (0, 0), (shape[-2], shape[-1]))
        return keras.ops.broadcast_to(table, shape)


def test_layer_in_a_functional_model():
    inp = keras.Input((4, 2))
    out = inp + _PositionEmbedding()(inp)
    model = keras.Model(inp, out)
    assert model.output_shape == (None, 4, 2)
    x = np.zeros((3, 4, 2), "float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), np.ones((3, 4, 2)))


def test_string_tensor():
    @tf.function(input_signature=[tf.TensorSpec([None, 2])])
    def h(x):
        return tf.broadcast_to(tf.constant(["a", "b"]), tf.shape(x))

    assert h(tf.ones((2, 2))).numpy().tolist() == [[b"a", b"b"]] * 2
