"""A ``tf.SparseTensor`` built in a graph from ``tf.shape`` of a tensor with some known sizes keeps those sizes
in its static shape (TF 2.21 gives ``(None, 5)``), so CTC on its labels (the captcha OCR example) builds."""

import numpy as np

import ferroflow as tf

EXPECTED_CTC = [4.532451629638672, 2.5567615032196045]


def test_static_shape_from_the_shape_graph():
    shapes = []

    @tf.function(input_signature=[tf.TensorSpec([None, 5], tf.int32)])
    def f(x):
        st = tf.SparseTensor(tf.constant([[0, 1]], tf.int64), tf.constant([3]), tf.cast(tf.shape(x), tf.int64))
        shapes.append(st.shape.as_list())
        return tf.sparse.to_dense(st)

    out = f(tf.zeros((2, 5), tf.int32))
    assert shapes == [[None, 5]]
    assert out.numpy().tolist() == [[0, 3, 0, 0, 0], [0, 0, 0, 0, 0]]


def test_ctc_loss_on_sparse_labels_of_a_run_time_batch():
    logits = np.random.default_rng(0).normal(size=(6, 2, 4)).astype("float32")  # time-major

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.int32), tf.TensorSpec([6, None, 4])])
    def f(labels, x):
        where = tf.where(tf.not_equal(labels, 0))
        sparse = tf.SparseTensor(where, tf.gather_nd(labels, where), tf.cast(tf.shape(labels), tf.int64))
        return tf.compat.v1.nn.ctc_loss(sparse, x, sequence_length=tf.fill([tf.shape(x)[1]], 6))

    # recorded from TF 2.21 (v1's blank is the last class)
    out = f(np.array([[1, 2], [2, 1]], "int32"), logits).numpy()
    np.testing.assert_allclose(out, EXPECTED_CTC, rtol=1e-5)
