"""Ragged tensors inside tf.function: ops on ragged tensors whose row splits are graph tensors, and the string ops
that make them from a batch of text, against TensorFlow 2.21's results (ragged_graph_refs.py, written by
tests/data/make_ragged_graph_refs.py). Each case runs eagerly, traced with the value and traced from a
RaggedTensorSpec (or unknown-length) signature; the three agree with TensorFlow. Also the ragged tensor guide's
tf.function examples, errors, and gradients through the graph ops against finite differences."""

import math

import numpy as np
import pytest

import ferroflow as tf
import ragged_graph_cases as cases
import ragged_graph_refs as refs
from gradcheck import numeric_gradient


def same(got, want) -> bool:
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(same(g, w) for g, w in zip(got, want))
    if isinstance(want, float):
        return (math.isnan(want) and math.isnan(got)) or got == pytest.approx(want, rel=1e-6)
    return got == want


def three_ways(fn, value, spec):
    """``fn(value)`` eagerly, in a trace of ``value`` and in a trace of ``spec``, as nested lists."""
    signed = tf.function(fn, input_signature=[spec])
    return [cases.show(tf, r) for r in (fn(value), tf.function(fn)(value), signed(value))]


OPS, NESTED, STRINGS = cases.op_cases(tf), cases.nested_cases(tf), cases.string_cases(tf)


@pytest.mark.parametrize("name", sorted(OPS))
def test_ops_on_a_ragged_tensor_match_tensorflow(name):
    for got in three_ways(OPS[name], cases.floats(tf), tf.RaggedTensorSpec([None, None], tf.float32)):
        assert same(got, refs.OPS[name]), (name, got)


@pytest.mark.parametrize("name", sorted(NESTED))
def test_ops_on_two_ragged_dimensions_match_tensorflow(name):
    spec = tf.RaggedTensorSpec([None, None, None], tf.int32, ragged_rank=2)
    for got in three_ways(NESTED[name], cases.nested(tf), spec):
        assert same(got, refs.NESTED[name]), (name, got)


@pytest.mark.parametrize("name", sorted(STRINGS))
def test_string_ops_on_a_batch_of_text_match_tensorflow(name):
    text = tf.constant(cases.TEXT)
    for got in three_ways(STRINGS[name], text, tf.TensorSpec([None], tf.string)):
        assert same(got, refs.STRINGS[name]), (name, got)


def test_split_inside_a_trace_is_a_ragged_tensor_with_graph_row_splits():
    seen = []

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def tokens(text):
        words = tf.strings.split(text)
        seen.append((type(words).__name__, words.shape.as_list(), words.dtype, words.ragged_rank))
        return words, words.row_splits

    words, splits = tokens(tf.constant(["a b", "c"]))
    assert seen == [("GraphRaggedTensor", [None, None], tf.string, 1)]
    assert isinstance(words, tf.RaggedTensor) and words.to_list() == [[b"a", b"b"], [b"c"]]
    assert splits.numpy().tolist() == [0, 2, 3]
    assert tokens(tf.constant(["x y z", "", "w"]))[0].to_list() == [[b"x", b"y", b"z"], [], [b"w"]]
    assert tokens.experimental_get_tracing_count() == 1


# -- the ragged tensor guide's tf.function examples (values printed by TensorFlow 2.21)

GUIDE_EMBEDDINGS = [
    [1.638222336769104, 1.6392221450805664, 1.640222191810608, 1.6412221193313599],
    [1.7973333597183228, 1.7983331680297852, 1.7993334531784058, 1.8003333806991577],
    [2.4985456466674805, 2.4995455741882324, 2.5005452632904053, 2.5015454292297363],
]


def test_guide_word_and_bigram_embeddings_match_tensorflow():
    queries = tf.ragged.constant([["Who", "is", "Dan", "Smith"], ["Pause"], ["Will", "it", "rain", "later", "today"]])
    table = tf.constant(np.arange(1024 * 4, dtype=np.float32).reshape(1024, 4) / 1000.0)

    def average_embedding(queries):
        words = tf.nn.embedding_lookup(table, tf.strings.to_hash_bucket_fast(queries, 1024))
        marker = tf.fill([queries.nrows(), 1], "#")
        padded = tf.concat([marker, queries, marker], axis=1)
        bigrams = tf.strings.join([padded[:, :-1], padded[:, 1:]], separator="+")
        pairs = tf.nn.embedding_lookup(table, tf.strings.to_hash_bucket_fast(bigrams, 1024))
        return tf.reduce_mean(tf.concat([words, pairs], axis=1), axis=1)

    for fn in (average_embedding, tf.function(average_embedding)):
        np.testing.assert_allclose(fn(queries).numpy(), GUIDE_EMBEDDINGS, rtol=1e-6)


def test_guide_palindromes_extremes_and_concrete_functions():
    digits = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])

    @tf.function
    def make_palindrome(x, axis):
        return tf.concat([x, tf.reverse(x, [axis])], axis)

    rows = [[3, 1, 4, 1], [], [5, 9, 2], [6], [], [], [6], [5, 9, 2], [], [3, 1, 4, 1]]
    assert make_palindrome(digits, axis=0).to_list() == rows
    assert make_palindrome(digits, axis=1).to_list() == [[3, 1, 4, 1, 1, 4, 1, 3], [], [5, 9, 2, 2, 9, 5], [6, 6], []]

    @tf.function(input_signature=[tf.RaggedTensorSpec(shape=[None, None], dtype=tf.int32)])
    def max_and_min(rt):
        return tf.math.reduce_max(rt, axis=-1), tf.math.reduce_min(rt, axis=-1)

    low, high = np.iinfo(np.int32).min, np.iinfo(np.int32).max
    biggest, smallest = max_and_min(digits)
    assert biggest.numpy().tolist() == [4, low, 9, 6, low]
    assert smallest.numpy().tolist() == [1, high, 2, 6, high]

    increment = tf.function(lambda x: x + 1)
    rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
    assert increment.get_concrete_function(rt)(rt).to_list() == [[2, 3], [4], [5, 6, 7]]


# -- errors


def test_invalid_partitions_fail_when_the_function_runs():
    make = tf.function(lambda v, s: tf.RaggedTensor.from_row_splits(v, s))
    values = tf.constant([1, 2, 3])
    assert make(values, tf.constant([0, 1, 3], tf.int64)).to_list() == [[1], [2, 3]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="last element of row_splits"):
        make(values, tf.constant([0, 1, 2], tf.int64))
    with pytest.raises(tf.errors.InvalidArgumentError, match="first element of row_splits must be zero"):
        make(values, tf.constant([1, 0, 3], tf.int64))
    lengths = tf.function(lambda v, n: tf.RaggedTensor.from_row_lengths(v, n))
    assert lengths(values, tf.constant([2, 0, 1])).to_list() == [[1, 2], [], [3]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="row_lengths must be non-negative"):
        lengths(values, tf.constant([4, -1]))


def test_operands_with_different_rows_fail_when_the_function_runs():
    a, b = tf.ragged.constant([["a", "b"], ["c"]]), tf.ragged.constant([["x"], ["y", "z"]])
    spec = tf.RaggedTensorSpec([None, None], tf.string)
    join = tf.function(lambda x, y: tf.strings.join([x, y], separator="-"), input_signature=[spec, spec])
    assert join(a, tf.ragged.constant([["x", "y"], ["z"]])).to_list() == [[b"a-x", b"b-y"], [b"c-z"]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="identical ragged splits"):
        join(a, b)
    add = tf.function(lambda x, y: x + y)
    with pytest.raises(tf.errors.InvalidArgumentError, match="identical ragged splits"):
        add(tf.ragged.constant([[1], [2, 3]]), tf.ragged.constant([[1, 2], [3]]))
    rows2, rows3 = tf.ragged.constant([[1], [2, 3]]), tf.ragged.constant([[1], [2], [3]])
    within = tf.function(lambda x, y: tf.concat([x, y], axis=1))
    with pytest.raises(tf.errors.InvalidArgumentError, match="same number of rows"):
        within(rows2, rows3)  # row counts known while tracing
    spec = tf.RaggedTensorSpec([None, None], tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError):  # known when the function runs
        tf.function(lambda x, y: tf.concat([x, y], axis=1), input_signature=[spec, spec])(rows2, rows3)


def test_indexing_and_shape_errors():
    rt = cases.floats(tf)
    for fn in (lambda x: tf.gather(x, [4]), tf.function(lambda x: tf.gather(x, [4]))):
        with pytest.raises(tf.errors.InvalidArgumentError):
            fn(rt)
    for fn in (lambda x: x[:, 0], tf.function(lambda x: x[:, 0])):
        with pytest.raises(ValueError, match="Cannot index into an inner ragged dimension"):
            fn(rt)
    with pytest.raises(ValueError, match="rank"):
        tf.function(lambda x: x.to_tensor(shape=[4, 3, 2]))(rt)
    with pytest.raises(TypeError, match="has no value yet"):
        tf.function(lambda x: tf.strings.split(x).numpy())(tf.constant(["a"]))


# -- gradients


def test_gradients_through_graph_ragged_ops_match_finite_differences():
    rng = np.random.default_rng(3)
    partition = tf.RaggedTensor.from_row_lengths(np.zeros(6), [3, 1, 2])
    weights, scale = rng.standard_normal((3, 4)), rng.standard_normal(3)
    flat = rng.standard_normal(6)

    def loss(x):
        y = tf.concat([tf.gather(x, [2, 0, 1]), tf.reverse(x, [1])[:, 1:]], axis=1)
        dense = y.to_tensor(default_value=0.5, shape=[3, 4])
        extremes = tf.reduce_max(x, axis=1) * scale + tf.reduce_mean(x, axis=1) ** 2
        return tf.reduce_sum(dense**2 * weights) + tf.reduce_sum(extremes) + tf.reduce_sum(x.merge_dims(0, 1) * 0.3)

    @tf.function(input_signature=[tf.RaggedTensorSpec([None, None], tf.float64), tf.TensorSpec([None], tf.float64)])
    def gradient(x, v):
        with tf.GradientTape() as tape:
            tape.watch(v)
            value = loss(x.with_flat_values(v))
        return tape.gradient(value, v)

    want = numeric_gradient(lambda v: loss(partition.with_flat_values(tf.constant(v))).numpy(), flat)
    np.testing.assert_allclose(gradient(partition, tf.constant(flat)).numpy(), want, rtol=1e-6, atol=1e-8)
