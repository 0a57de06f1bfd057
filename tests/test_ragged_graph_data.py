"""tf.data pipelines with ragged elements: tokenizing batches of text in Dataset.map as the "Load text" tutorial
and the tf.data and ragged tensor guides do (split, lookup tables, to_tensor, n-grams, unicode_split), ragged
slices, batch/unbatch/ragged_batch/filter, with element specs and values against TensorFlow 2.21's
(ragged_graph_refs.py, written by tests/data/make_ragged_graph_refs.py)."""

import numpy as np
import pytest

import ferroflow as tf
import ragged_graph_cases as cases
import ragged_graph_refs as refs

PIPELINES = cases.pipelines(tf)


@pytest.mark.parametrize("name", sorted(PIPELINES))
def test_pipeline_element_specs_and_values_match_tensorflow(name):
    dataset = PIPELINES[name]()
    assert repr(dataset.element_spec) == refs.SPECS[name]
    assert [cases.show(tf, e) for e in dataset] == refs.ELEMENTS[name]
    # A second pass gives the same elements (the traced functions are reused).
    assert [cases.show(tf, e) for e in dataset] == refs.ELEMENTS[name]


def test_parallel_map_and_pass_through_transformations_keep_ragged_elements():
    text = tf.data.Dataset.from_tensor_slices(cases.TEXTS * 5).batch(4)
    plain = [r.to_list() for r in text.map(tf.strings.split)]
    parallel = [r.to_list() for r in text.map(tf.strings.split, num_parallel_calls=tf.data.AUTOTUNE)]
    assert parallel == plain
    padded = [t.numpy().tolist() for t in text.map(tf.strings.split).map(lambda r: r.to_tensor(), num_parallel_calls=3)]
    assert padded == [r.to_tensor().numpy().tolist() for r in text.map(tf.strings.split)]
    chained = text.map(tf.strings.split).cache().repeat(2).prefetch(2).take(9)
    assert [r.to_list() for r in chained] == (plain + plain)[:9]
    shuffled = [r.to_list() for r in text.map(tf.strings.split).shuffle(16, seed=4)]
    assert sorted(map(repr, shuffled)) == sorted(map(repr, plain))
    zipped = tf.data.Dataset.zip((text.map(tf.strings.split), text))
    assert repr(zipped.element_spec[0]) == "RaggedTensorSpec(TensorShape([None, None]), tf.string, 1, tf.int64)"
    assert text.map(tf.strings.split).cardinality().numpy() == 8


def test_numpy_iteration_gives_rows_as_arrays():
    words = tf.data.Dataset.from_tensor_slices(["a bb", "", "c"]).batch(3).map(tf.strings.split)
    rows = next(iter(words.as_numpy_iterator()))
    assert rows.dtype == object and [r.tolist() for r in rows] == [[b"a", b"bb"], [], [b"c"]]
    numbers = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1, 2], [3, 4]])).batch(2)
    same_length = next(iter(numbers.as_numpy_iterator()))
    np.testing.assert_array_equal(same_length, [[1, 2], [3, 4]])


def test_ragged_batch_of_elements_of_different_lengths():
    counts = tf.data.Dataset.from_tensor_slices([1, 5, 3])
    pairs = counts.map(lambda n: (tf.range(n), tf.reshape(tf.range(2 * n), [-1, 2]), n))
    batches = pairs.ragged_batch(2)
    assert repr(batches.element_spec) == (
        "(RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, tf.int64), RaggedTensorSpec(TensorShape([None, "
        "None, 2]), tf.int32, 1, tf.int64), TensorSpec(shape=(None,), dtype=tf.int32, name=None))"
    )
    first = next(iter(batches))
    assert first[0].to_list() == [[0], [0, 1, 2, 3, 4]]
    assert first[1].to_list() == [[[0, 1]], [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]]
    dropped = counts.map(tf.range).apply(tf.data.experimental.dense_to_ragged_batch(2, drop_remainder=True))
    assert repr(dropped.element_spec) == "RaggedTensorSpec(TensorShape([2, None]), tf.int32, 1, tf.int64)"
    assert [r.to_list() for r in dropped] == [[[0], [0, 1, 2, 3, 4]]]


def test_ragged_elements_in_padded_batch_and_dense_batch_errors():
    tokens = tf.data.Dataset.from_tensor_slices(["a b", "c"]).batch(2).map(tf.strings.split)
    with pytest.raises(TypeError, match="not a subclass of TensorSpec"):
        tokens.unbatch().padded_batch(2)
    scalars_split = tf.data.Dataset.from_tensor_slices(["a b", "c"]).map(tf.strings.split).batch(2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot batch tensors with different shapes"):
        list(scalars_split)  # dense rows of different lengths, as in TensorFlow
