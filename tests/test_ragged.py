"""``tf.RaggedTensor`` and ``tf.ragged``: the ragged-tensor guide's examples print what TensorFlow prints;
factories validate their partitions; values keep their gradients through ragged ops."""

import numpy as np
import pytest

import ferroflow as tf


@pytest.fixture
def digits():
    return tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])


def test_the_guides_first_examples(digits):
    assert str(tf.add(digits, 3)) == "<tf.RaggedTensor [[6, 4, 7, 4], [], [8, 12, 5], [9], []]>"
    mean = tf.reduce_mean(digits, axis=1)
    assert mean.dtype == tf.float64
    np.testing.assert_allclose(mean.numpy(), [2.25, np.nan, 16 / 3, 6.0, np.nan])
    assert str(tf.concat([digits, [[5, 3]]], axis=0)) == (
        "<tf.RaggedTensor [[3, 1, 4, 1], [], [5, 9, 2], [6], [], [5, 3]]>"
    )
    assert str(tf.tile(digits, [1, 2])) == (
        "<tf.RaggedTensor [[3, 1, 4, 1, 3, 1, 4, 1], [], [5, 9, 2, 5, 9, 2], [6, 6], []]>"
    )
    assert str(tf.ragged.map_flat_values(lambda x: x * 2 + 1, digits)) == (
        "<tf.RaggedTensor [[7, 3, 9, 3], [], [11, 19, 5], [13], []]>"
    )
    assert digits.to_list() == [[3, 1, 4, 1], [], [5, 9, 2], [6], []]


def test_indexing_like_the_guide(digits):
    np.testing.assert_array_equal(digits[0].numpy(), [3, 1, 4, 1])
    assert digits[:, :2].to_list() == [[3, 1], [], [5, 9], [6], []]
    assert digits[:, -2:].to_list() == [[4, 1], [], [9, 2], [6], []]
    assert digits[1:3].to_list() == [[], [5, 9, 2]]
    assert digits[::-2].to_list() == [[], [5, 9, 2], [3, 1, 4, 1]]
    with pytest.raises(ValueError, match="inner ragged dimension"):
        digits[:, 1]
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of range"):
        digits[7]
    rt = tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]]])
    assert rt[1].to_list() == [[4, 5, 6]]
    np.testing.assert_array_equal(rt[0, 0].numpy(), [1, 2])


def test_factories_agree_and_validate():
    values = [3, 1, 4, 1, 5, 9, 2]
    want = [[3, 1, 4, 1], [], [5, 9], [2]]
    assert tf.RaggedTensor.from_value_rowids(values, [0, 0, 0, 0, 2, 2, 3]).to_list() == want
    assert tf.RaggedTensor.from_row_lengths(values, [4, 0, 2, 1]).to_list() == want
    assert tf.RaggedTensor.from_row_splits(values, [0, 4, 4, 6, 7]).to_list() == want
    assert tf.RaggedTensor.from_row_starts(values, [0, 4, 4, 6]).to_list() == want
    assert tf.RaggedTensor.from_row_limits(values, [4, 4, 6, 7]).to_list() == want
    assert tf.RaggedTensor.from_value_rowids(values, [0, 0, 0, 0, 2, 2, 3], nrows=6).to_list() == want + [[], []]
    nested = tf.RaggedTensor.from_nested_row_lengths([1, 2, 3, 4, 5], [[2, 1], [1, 2, 2]])
    assert nested.to_list() == [[[1], [2, 3]], [[4, 5]]]
    assert nested.ragged_rank == 2 and nested.shape == [2, None, None]
    assert [s.numpy().tolist() for s in nested.nested_row_splits] == [[0, 2, 3], [0, 1, 3, 5]]
    for bad in ([1, 4, 7, 7, 7], [0, 4, 3, 6, 7], [0, 4, 4, 6, 8]):
        with pytest.raises(tf.errors.InvalidArgumentError):
            tf.RaggedTensor.from_row_splits(values, bad)
    with pytest.raises(ValueError, match="factories"):
        tf.RaggedTensor(values, None)


def test_constant_ragged_rank_and_uniform_inner_dimensions():
    rt = tf.ragged.constant([[[1, 2], [3, 4]], [], [[5, 6]]], ragged_rank=1)
    assert rt.shape == [3, None, 2] and rt.ragged_rank == 1
    assert tf.ragged.constant([[1.5], []]).dtype == tf.float32
    assert tf.ragged.constant([[1, 2], [3]], dtype=tf.int64).dtype == tf.int64
    with pytest.raises(ValueError, match="uniform"):
        tf.ragged.constant([[[1, 2], [3]]], ragged_rank=1)
    with pytest.raises(ValueError, match="rank at least 2"):
        tf.ragged.constant([1, 2])


def test_dense_conversions(digits):
    np.testing.assert_array_equal(
        digits.to_tensor().numpy(), [[3, 1, 4, 1], [0, 0, 0, 0], [5, 9, 2, 0], [6, 0, 0, 0], [0, 0, 0, 0]]
    )
    np.testing.assert_array_equal(digits.to_tensor(default_value=-1).numpy()[1], [-1, -1, -1, -1])
    x = [[1, 3, -1, -1], [2, -1, -1, -1], [4, 5, 8, 9]]
    assert tf.RaggedTensor.from_tensor(x, padding=-1).to_list() == [[1, 3], [2], [4, 5, 8, 9]]
    assert tf.RaggedTensor.from_tensor(x, lengths=[2, 0, 3]).to_list() == [[1, 3], [], [4, 5, 8]]
    np.testing.assert_array_equal(digits.row_lengths().numpy(), [4, 0, 3, 1, 0])
    np.testing.assert_array_equal(digits.value_rowids().numpy(), [0, 0, 0, 0, 2, 2, 2, 3])
    np.testing.assert_array_equal(digits.bounding_shape().numpy(), [5, 4])
    nested = tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]]])
    assert nested.merge_dims(0, 1).to_list() == [[1, 2], [3], [4, 5, 6]]
    np.testing.assert_array_equal(nested.merge_dims(0, -1).numpy(), [1, 2, 3, 4, 5, 6])
    np.testing.assert_array_equal(nested.to_tensor().numpy(), [[[1, 2, 0], [3, 0, 0]], [[4, 5, 6], [0, 0, 0]]])


def test_reductions_over_each_axis(digits):
    np.testing.assert_array_equal(tf.reduce_sum(digits, axis=0).numpy(), [14, 10, 6, 1])
    np.testing.assert_array_equal(tf.reduce_sum(digits, axis=1).numpy(), [9, 0, 16, 6, 0])
    assert int(tf.reduce_sum(digits)) == 31
    np.testing.assert_array_equal(tf.reduce_max(digits, axis=1).numpy()[[0, 2, 3]], [4, 9, 6])
    assert tf.reduce_max(digits, axis=1).numpy()[1] == np.iinfo(np.int32).min  # an empty row
    np.testing.assert_allclose(tf.reduce_mean(digits, axis=0).numpy(), [14 / 3, 5, 3, 1])
    np.testing.assert_array_equal(tf.reduce_min(digits, axis=-1).numpy()[[0, 2, 3]], [1, 2, 6])


def test_elementwise_ops_and_broadcasting(digits):
    other = tf.ragged.constant([[1, 2, 3, 4], [], [5, 6, 7], [8], []])
    assert (digits + other).to_list() == [[4, 3, 7, 5], [], [10, 15, 9], [14], []]
    assert (digits * 2).to_list() == [[6, 2, 8, 2], [], [10, 18, 4], [12], []]
    assert (10 - digits).to_list() == [[7, 9, 6, 9], [], [5, 1, 8], [4], []]
    per_row = tf.constant([[1], [2], [3], [4], [5]])
    assert (digits + per_row).to_list() == [[4, 2, 5, 2], [], [8, 12, 5], [10], []]
    assert (digits > 3).to_list() == [[False, False, True, False], [], [True, True, False], [True], []]
    assert tf.math.square(digits).to_list() == [[9, 1, 16, 1], [], [25, 81, 4], [36], []]
    with pytest.raises(tf.errors.InvalidArgumentError, match="different row lengths"):
        digits + tf.ragged.constant([[1], [], [], [], []])


def test_combining_and_masking():
    rt = tf.ragged.constant([[1, 2], [3, 4, 5], [6], [], [7]])
    assert tf.ragged.stack([rt, rt]).to_list() == [rt.to_list(), rt.to_list()]
    assert tf.concat([rt, rt], axis=1).to_list() == [[1, 2, 1, 2], [3, 4, 5, 3, 4, 5], [6, 6], [], [7, 7]]
    mask = tf.ragged.constant([[True, False], [False, True, True], [False], [], [True]])
    assert tf.ragged.boolean_mask(rt, mask).to_list() == [[1], [4, 5], [], [], [7]]
    assert tf.ragged.boolean_mask(rt, [True, False, True, False, True]).to_list() == [[1, 2], [6], [7]]
    dense_mask = [[True, False, True], [False, False, False], [True, True, True]]
    assert tf.ragged.boolean_mask(np.arange(9).reshape(3, 3), dense_mask).to_list() == [[0, 2], [], [6, 7, 8]]
    assert tf.ragged.range([3, 5, 2]).to_list() == [[0, 1, 2], [0, 1, 2, 3, 4], [0, 1]]
    assert tf.ragged.range([0, 5], [3, 8], 2).to_list() == [[0, 2], [5, 7]]
    np.testing.assert_array_equal(tf.ragged.row_splits_to_segment_ids([0, 2, 2, 5]).numpy(), [0, 0, 2, 2, 2])
    np.testing.assert_array_equal(tf.ragged.segment_ids_to_row_splits([0, 0, 2, 2, 2]).numpy(), [0, 2, 2, 5])


def test_gradients_reach_the_flat_values():
    values = tf.Variable([1.0, 2.0, 3.0, 4.0, 5.0])
    with tf.GradientTape() as tape:
        rt = tf.RaggedTensor.from_row_lengths(values, [2, 0, 3])
        row_sums = tf.reduce_sum(rt * rt, axis=1)  # [1+4, 0, 9+16+25]
        row_max = tf.reduce_max(rt, axis=1)
        loss = tf.reduce_sum(row_sums * tf.constant([1.0, 1.0, 2.0])) + row_max[0] + row_max[2]
    grad = tape.gradient(loss, values).numpy()
    # d/dv of sum(w_row * v^2) is 2 * w_row * v; the maxima (2.0 and 5.0) add 1 each.
    np.testing.assert_allclose(grad, [2.0, 4.0 + 1, 12.0, 16.0, 20.0 + 1])


def test_large_ragged_batches():
    rng = np.random.default_rng(0)
    lengths = rng.integers(0, 50, size=2000)
    values = rng.standard_normal(int(lengths.sum())).astype(np.float32)
    rt = tf.RaggedTensor.from_row_lengths(values, lengths)
    splits = np.concatenate([[0], np.cumsum(lengths)])
    want = np.array([values[a:b].sum() for a, b in zip(splits[:-1], splits[1:])])
    np.testing.assert_allclose(tf.reduce_sum(rt, axis=1).numpy(), want, rtol=1e-4, atol=1e-4)
    dense = rt.to_tensor().numpy()
    assert dense.shape == (2000, int(lengths.max()))
    np.testing.assert_allclose(dense.sum(axis=1), want, rtol=1e-4, atol=1e-4)


def test_dense_operands_broadcast_over_ragged_dimensions_of_size_one():
    # ragged guide, broadcasting examples: [[10]] adds to every value; a [3, 4] dense tensor does not fit
    x = tf.ragged.constant([[[1, 2], [3, 4], [5, 6]], [[7, 8]]], ragged_rank=1)
    assert (x + tf.constant([[10]])).to_list() == [[[11, 12], [13, 14], [15, 16]], [[17, 18]]]
    assert (tf.constant([[10, 20]]) * x).to_list() == [[[10, 40], [30, 80], [50, 120]], [[70, 160]]]
    flat = tf.ragged.constant([[1, 2], [3, 4, 5, 6], [7]])
    assert (flat + tf.constant([[5]])).to_list() == [[6, 7], [8, 9, 10, 11], [12]]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"dense tensor of shape \(3, 4\)"):
        flat + tf.constant([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])


@pytest.mark.parametrize("pylist", [["A", ["B", "C"]], [[1], 2]])
def test_constant_with_mixed_nesting_depths_says_so(pylist):
    with pytest.raises(ValueError, match="all scalar values must have the same nesting depth"):
        tf.ragged.constant(pylist)


def test_printing_lays_out_rows_as_tensorflow_does():
    # ragged guide outputs (TensorFlow 2.21)
    assert str(tf.ragged.constant([[1.5, 2], [3]])) == "<tf.RaggedTensor [[1.5, 2.0], [3.0]]>"
    assert repr(tf.ragged.constant([[], []])) == "<tf.RaggedTensor [[], []]>"
    rt = tf.ragged.constant([[[1, 2, 3], [4]], [[5], [], [6]], [[7]], [[8, 9], [10]]])
    assert str(rt[:, -1:]) == "<tf.RaggedTensor [[[4]],\n\n [[6]],\n\n [[7]],\n\n [[10]]]>"
    uniform_inner = tf.RaggedTensor.from_row_splits(
        values=[[1, 3], [0, 0], [1, 3], [5, 3], [3, 3], [1, 2]], row_splits=[0, 3, 4, 6]
    )
    assert str(uniform_inner) == (
        "<tf.RaggedTensor [[[1, 3],\n  [0, 0],\n  [1, 3]], [[5, 3]], [[3, 3],\n                      [1, 2]]]>"
    )


def test_numpy_is_an_object_array_only_for_rows_of_different_lengths():
    uneven = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2]]).numpy()
    assert uneven.dtype == object and [r.tolist() for r in uneven] == [[3, 1, 4, 1], [], [5, 9, 2]]
    even = tf.ragged.constant([[3, 1], [5, 9]]).numpy()
    assert even.dtype == np.int32
    np.testing.assert_array_equal(even, [[3, 1], [5, 9]])


def test_mismatched_partitions_name_the_dimension_that_differs():
    x = tf.ragged.constant([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10]]])
    y = tf.ragged.constant([[[1, 2, 0], [3, 4, 0], [5, 6, 0]], [[7, 8, 0], [9, 10, 0]]])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"ragged dimension 2: \[2, 2, 2, 2, 2\] and \[3, 3"):
        x + y
