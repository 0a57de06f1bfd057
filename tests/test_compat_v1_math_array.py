"""``tf.compat.v1``'s TF1 spellings of math and array functions: old argument names (``reduction_indices``,
``keep_dims``, ``dimension``, ``dim``, ``squeeze_dims``), TF1 argument positions, the ``to_*`` casts, the
renamed aliases (``matrix_inverse``, ``erf``, ``mod`` ...), in eager mode and in TF1 graphs run by a Session.

The file passes unchanged under TensorFlow 2.21 with the import swapped."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def test_reductions_take_reduction_indices_and_keep_dims():
    x = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(v1.reduce_sum(x, reduction_indices=[1], keep_dims=True).numpy(), [[3.0], [12.0]])
    np.testing.assert_allclose(v1.reduce_mean(x, reduction_indices=0).numpy(), [1.5, 2.5, 3.5])
    np.testing.assert_allclose(v1.reduce_max(x, 1).numpy(), [2.0, 5.0])
    np.testing.assert_allclose(v1.reduce_min(x, keep_dims=True).numpy(), [[0.0]])
    np.testing.assert_allclose(v1.reduce_prod(x + 1, reduction_indices=[0, 1]).numpy(), 720.0)
    np.testing.assert_allclose(
        v1.reduce_logsumexp(x, reduction_indices=1).numpy(), np.log(np.exp(x).sum(axis=1)), rtol=1e-6
    )
    assert v1.reduce_all([[True, False]], reduction_indices=1).numpy().tolist() == [False]
    assert v1.reduce_any([[True, False]], reduction_indices=1, keep_dims=True).numpy().tolist() == [[True]]
    assert v1.math.reduce_sum(x, reduction_indices=1).numpy().tolist() == [3.0, 12.0]


def test_old_and_new_argument_together_is_a_value_error():
    with pytest.raises(ValueError, match="Cannot specify both 'reduction_indices' and 'axis'"):
        v1.reduce_sum([1.0], axis=0, reduction_indices=0)
    with pytest.raises(ValueError, match="Cannot specify both 'keep_dims' and 'keepdims'"):
        v1.reduce_mean([1.0], keepdims=True, keep_dims=True)
    with pytest.raises(ValueError, match="Cannot specify both 'dimension' and 'axis'"):
        v1.argmax([[1.0]], axis=0, dimension=0)


def test_mnist_tutorial_cross_entropy_in_a_session(graph):
    x = v1.placeholder(tf.float32, [None, 3])
    y_ = v1.placeholder(tf.float32, [None, 3])
    y = tf.nn.softmax(x)
    cross_entropy = tf.reduce_mean(-v1.reduce_sum(y_ * v1.log(y), reduction_indices=[1]))
    correct = tf.equal(v1.argmax(y, 1), v1.argmax(y_, dimension=1))
    accuracy = tf.reduce_mean(v1.to_float(correct))
    logits = np.array([[1.0, 2.0, 3.0], [3.0, 1.0, 0.0]], np.float32)
    labels = np.array([[0, 0, 1], [0, 1, 0]], np.float32)
    with v1.Session() as sess:
        ce, acc = sess.run([cross_entropy, accuracy], {x: logits, y_: labels})
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(ce, -np.mean(np.sum(labels * np.log(p), axis=1)), rtol=1e-6)
    assert acc == pytest.approx(0.5)
    assert accuracy.dtype == tf.float32


def test_argmax_argmin_and_raw_arg_ops():
    x = [[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]]
    assert v1.argmax(x).numpy().tolist() == [1, 0, 1]
    assert v1.argmax(x, dimension=1).numpy().tolist() == [1, 0]
    assert v1.argmin(x, 1, output_type=tf.int32).dtype == tf.int32
    assert v1.arg_max(x, 1).numpy().tolist() == [1, 0]
    assert v1.arg_min(x, dimension=0).numpy().tolist() == [0, 1, 0]
    assert v1.argmax(x, 1).dtype == tf.int64


def test_casts():
    assert v1.to_float([1, 2]).dtype == tf.float32
    assert v1.to_double([1]).dtype == tf.float64
    assert v1.to_int64([1.5]).dtype == tf.int64
    assert v1.to_int32([1.7, -2.5]).numpy().tolist() == [1, -2]
    assert v1.to_complex64([1.5]).dtype == tf.complex64
    assert v1.to_complex128([1.5]).dtype == tf.complex128


def test_count_nonzero_norm_and_floor_div():
    x = [[0, 1, 2], [0, 0, 3]]
    assert v1.count_nonzero(x).numpy() == 3
    assert v1.count_nonzero(input=x, reduction_indices=1, keep_dims=True).numpy().tolist() == [[2], [1]]
    assert v1.count_nonzero(x, 0).dtype == tf.int64
    np.testing.assert_allclose(v1.norm([[3.0, 4.0]], axis=1, keep_dims=True).numpy(), [[5.0]])
    assert v1.floor_div(7, 2).numpy() == 3
    assert v1.floor_div(-7, 2).numpy() == -4


def test_math_module_v1_signatures():
    logits = np.array([[1.0, 2.0], [0.5, -1.0]], np.float32)
    np.testing.assert_allclose(
        v1.math.softmax(logits, dim=0).numpy(), np.exp(logits) / np.exp(logits).sum(0), rtol=1e-6
    )
    np.testing.assert_allclose(
        v1.math.log_softmax(logits, dim=1).numpy(),
        logits - np.log(np.exp(logits).sum(1, keepdims=True)),
        rtol=1e-6,
    )
    np.testing.assert_allclose(v1.math.l2_normalize([3.0, 4.0], dim=0).numpy(), [0.6, 0.8], rtol=1e-6)
    np.testing.assert_allclose(v1.math.softplus(features=[0.0]).numpy(), [np.log(2.0)], rtol=1e-6)
    preds = np.array([[0.1, 0.9, 0.0], [0.8, 0.15, 0.05]], np.float32)
    assert v1.math.in_top_k(preds, [1, 1], 1).numpy().tolist() == [True, False]
    assert v1.nn.in_top_k(preds, [1, 1], 2).numpy().tolist() == [True, True]
    assert v1.math.argmax(preds, dimension=1).numpy().tolist() == [1, 0]
    assert v1.math.count_nonzero(input_tensor=[1, 0]).numpy() == 1


def test_expand_dims_squeeze_shape_size():
    assert v1.expand_dims([1, 2], dim=0).shape == (1, 2)
    assert v1.expand_dims([1, 2], 1).shape == (2, 1)
    with pytest.raises(ValueError, match="Must specify an axis"):
        v1.expand_dims([1, 2])
    assert v1.squeeze([[1], [2]], squeeze_dims=[1]).shape == (2,)
    assert v1.shape([[1, 2]], "s").numpy().tolist() == [1, 2]
    assert v1.shape([[1, 2]]).dtype == tf.int32
    assert v1.size([[1, 2]], out_type=tf.int64).dtype == tf.int64


def test_tf1_argument_positions():
    params = np.arange(6).reshape(2, 3)
    assert v1.gather(params, [2, 0], None, "g", 1).numpy().tolist() == [[2, 0], [5, 3]]
    assert v1.transpose([[1, 2]], [1, 0], "t").shape == (2, 1)
    assert v1.gather_nd(params, [[1, 2]], "gn").numpy().tolist() == [5]
    assert v1.boolean_mask([1, 2, 3], [True, False, True], "m").numpy().tolist() == [1, 3]
    assert v1.pad([[1]], [[1, 0], [0, 1]], "CONSTANT", "p", 9).numpy().tolist() == [[9, 9], [1, 9]]


def test_batch_gather_and_reverse_sequence():
    out = v1.batch_gather([[1, 2, 3], [4, 5, 6]], [[2, 0], [1, 1]])
    assert out.numpy().tolist() == [[3, 1], [5, 5]]
    rev = v1.reverse_sequence([[1, 2, 3], [4, 5, 6]], [2, 3], seq_dim=1, batch_dim=0)
    assert rev.numpy().tolist() == [[2, 1, 3], [6, 5, 4]]


def test_constant_verify_shape_ones_like_convert():
    with pytest.raises(TypeError, match=r"with shape \(3,\), but got shape \(2,\)"):
        v1.constant([1, 2], shape=[3], verify_shape=True)
    assert v1.constant([1, 2], shape=[2], verify_shape=True).numpy().tolist() == [1, 2]
    assert v1.constant(1, shape=[2]).numpy().tolist() == [1, 1]
    assert v1.ones_like(tensor=[1, 2], optimize=False).numpy().tolist() == [1, 1]
    assert v1.zeros_like([1.5], tf.int32).dtype == tf.int32
    assert v1.convert_to_tensor(1, preferred_dtype=tf.int64).dtype == tf.int64


def test_space_to_batch_block_size_and_clip_by_average_norm():
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    s2b = v1.space_to_batch(x, [[0, 0], [0, 0]], block_size=2)
    assert s2b.shape == (4, 2, 2, 1)
    np.testing.assert_array_equal(s2b.numpy()[:, 0, 0, 0], [0, 1, 4, 5])
    np.testing.assert_array_equal(v1.batch_to_space(s2b, [[0, 0], [0, 0]], block_size=2).numpy(), x)
    clipped = v1.clip_by_average_norm(tf.constant([[3.0, 4.0]]), 1.0)
    np.testing.assert_allclose(clipped.numpy(), [[1.2, 1.6]], rtol=1e-6)


def test_multinomial_draws_int64_class_indices():
    samples = v1.multinomial([[-50.0, 0.0, -50.0]], 5, seed=1)
    assert samples.dtype == tf.int64 and samples.shape == (1, 5)
    assert samples.numpy().tolist() == [[1] * 5]


def test_renamed_aliases():
    m = np.array([[4.0, 1.0], [2.0, 3.0]])
    np.testing.assert_allclose(v1.matrix_inverse(m).numpy(), np.linalg.inv(m))
    np.testing.assert_allclose(v1.matrix_determinant(m).numpy(), 10.0)
    np.testing.assert_allclose(v1.matrix_transpose(m).numpy(), m.T)
    np.testing.assert_allclose(v1.matrix_band_part(m, 0, 0).numpy(), np.diag(np.diag(m)))
    np.testing.assert_allclose(v1.diag([1.0, 2.0]).numpy(), np.diag([1.0, 2.0]))
    np.testing.assert_allclose(v1.trace(m).numpy(), 7.0)
    np.testing.assert_allclose(v1.erf([0.5]).numpy(), [0.5204998778], rtol=1e-6)
    np.testing.assert_allclose(v1.log1p([1.0]).numpy(), [np.log(2.0)], rtol=1e-6)
    np.testing.assert_allclose(v1.rsqrt([4.0]).numpy(), [0.5])
    assert v1.mod(-7, 3).numpy() == 2
    assert v1.floormod(7, -3).numpy() == -2
    assert v1.is_nan([np.nan, 1.0]).numpy().tolist() == [True, False]
    assert v1.segment_sum([1, 2, 3], [0, 0, 1]).numpy().tolist() == [3, 3]
    assert v1.unsorted_segment_sum([1, 2, 3], [1, 0, 1], 2).numpy().tolist() == [2, 4]
    np.testing.assert_allclose(v1.div_no_nan([1.0, 2.0], [0.0, 4.0]).numpy(), [0.0, 0.5])
    np.testing.assert_allclose(v1.lin_space(0.0, 1.0, 3).numpy(), [0.0, 0.5, 1.0])
    assert v1.reverse_v2([[1, 2]], [1]).numpy().tolist() == [[2, 1]]
    assert v1.tensor_scatter_update([1, 2, 3], [[1]], [9]).numpy().tolist() == [1, 9, 3]
    assert v1.string_join(["a", "b"], separator="-").numpy() == b"a-b"
    assert v1.VERSION == tf.version.VERSION


def test_v1_functions_build_graph_nodes(graph):
    x = v1.placeholder(tf.float32, [None, 3])
    total = v1.reduce_sum(x, reduction_indices=1, keep_dims=True)
    assert total.shape.as_list() == [None, 1]
    idx = v1.argmax(x, dimension=1)
    as_int = v1.to_int32(x)
    with v1.Session() as sess:
        t, i, n = sess.run([total, idx, as_int], {x: [[1.0, 3.0, 2.0]]})
    assert t.tolist() == [[6.0]] and i.tolist() == [1] and n.dtype == np.int32


def test_equality_compares_identity_while_building_a_graph(graph):
    a = v1.placeholder(tf.float32, [2])
    v = tf.Variable(1.0)
    assert (a == a) is True and (a == 1.0) is False and (a != 1.0) is True
    assert (v == v) is True and v in [v] and {a: 1}[a] == 1


def test_equality_is_elementwise_eagerly_and_in_functions():
    assert (tf.constant([1, 2]) == 1).numpy().tolist() == [True, False]

    @tf.function
    def same(x):
        return x == 1

    assert same(tf.constant(1)).numpy()
