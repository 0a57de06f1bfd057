"""``keras.ops.shape`` and ``tf.tile`` on tensors whose batch size is known only when the graph runs, as
keras.io's Transformer decoder builds its causal mask (``ops.shape(inputs)``, then ``ops.tile(mask, mult)``
with ``mult`` made from the batch size). Values checked against NumPy; the shapes are TensorFlow's."""

import numpy as np

import ferroflow as tf
from ferroflow.keras import ops


def test_keras_ops_shape_gives_tensors_for_unknown_sizes():
    seen = []

    @tf.function(input_signature=[tf.TensorSpec([None, 3])])
    def f(x):
        s = ops.shape(x)
        seen.append(s)
        return ops.reshape(x, (s[0], 3, 1))

    out = f(np.arange(6, dtype="float32").reshape(2, 3))
    # TensorFlow: (<tf.Tensor 'strided_slice:0' shape=() dtype=int32>, 3)
    (batch, three) = seen[0]
    assert isinstance(batch, tf.Tensor) and batch.shape == () and batch.dtype == tf.int32 and three == 3
    np.testing.assert_array_equal(out.numpy(), np.arange(6, dtype="float32").reshape(2, 3, 1))
    assert ops.shape(np.zeros((2, 5))) == (2, 5)  # known sizes stay ints


def _causal_mask(inputs):
    # keras.io's TransformerDecoder.get_causal_attention_mask
    input_shape = ops.shape(inputs)
    batch_size, sequence_length = input_shape[0], input_shape[1]
    i = ops.arange(sequence_length)[:, None]
    j = ops.arange(sequence_length)
    mask = ops.cast(i >= j, dtype="int32")
    mask = ops.reshape(mask, (1, input_shape[1], input_shape[1]))
    mult = ops.concatenate([ops.expand_dims(batch_size, -1), ops.convert_to_tensor([1, 1])], axis=0)
    return ops.tile(mask, mult)


def test_tile_with_multiples_computed_in_the_graph():
    fn = tf.function(_causal_mask, input_signature=[tf.TensorSpec([None, None, 4])])
    out = fn(np.zeros((2, 3, 4), "float32")).numpy()
    expected = np.tile(np.tril(np.ones((3, 3), "int32"))[None], (2, 1, 1))
    np.testing.assert_array_equal(out, expected)
    out = fn(np.zeros((1, 5, 4), "float32")).numpy()  # the same trace, other sizes
    np.testing.assert_array_equal(out, np.tril(np.ones((5, 5), "int32"))[None])


def test_tile_of_a_tensor_with_an_unknown_batch():
    seen = []

    @tf.function(input_signature=[tf.TensorSpec([None, 3])])
    def f(x):
        y = tf.tile(x, [2, 1])
        seen.append(tuple(y.shape))
        return y, tf.tile(x, [1, 2])

    x = np.arange(6, dtype="float32").reshape(2, 3)
    y, z = f(x)
    assert seen == [(None, 3)]  # TensorFlow's static shape
    np.testing.assert_array_equal(y.numpy(), np.tile(x, (2, 1)))
    np.testing.assert_array_equal(z.numpy(), np.tile(x, (1, 2)))


def test_gradient_of_a_dynamic_tile_sums_the_copies():
    @tf.function(input_signature=[tf.TensorSpec([None, 2])])
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.tile(x, tf.stack([tf.shape(x)[0], 3]))
            loss = tf.reduce_sum(y * tf.reshape(tf.range(tf.size(y), dtype=tf.float32), tf.shape(y)) / 10.0)
        return tape.gradient(loss, x)

    x = np.array([[1.0, 2.0], [3.0, 4.0]], "float32")
    weights = np.arange(2 * 2 * 2 * 3, dtype="float32").reshape(4, 6) / 10.0
    expected = weights.reshape(2, 2, 3, 2).sum(axis=(0, 2))
    np.testing.assert_allclose(f(x).numpy(), expected, rtol=1e-6)
