"""tf.compat.v1.data iterators in graphs (TF1's "Importing Data" guide): one-shot and initializable iterators,
placeholder-fed datasets, reinitializable iterators, OutOfRangeError at the end, per-session state."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def drain(sess, next_element):
    """The guide's loop: run until OutOfRangeError."""
    out = []
    try:
        while True:
            out.append(sess.run(next_element))
    except tf.errors.OutOfRangeError:
        pass
    return out


def test_one_shot_iterator_loop(graph):
    dataset = tf.data.Dataset.range(5).map(lambda x: x * x)
    iterator = v1.data.make_one_shot_iterator(dataset)
    next_element = iterator.get_next()
    assert next_element.dtype == tf.int64 and next_element.shape == []
    with v1.Session() as sess:
        assert drain(sess, next_element) == [0, 1, 4, 9, 16]
        with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
            sess.run(next_element)  # stays at the end


def test_each_session_has_its_own_iterator_state(graph):
    next_element = v1.data.make_one_shot_iterator(tf.data.Dataset.range(3)).get_next()
    a, b = v1.Session(), v1.Session()
    assert a.run(next_element) == 0 and a.run(next_element) == 1
    assert b.run(next_element) == 0
    assert a.run(next_element) == 2


def test_tuple_elements_strings_and_batches(graph):
    dataset = tf.data.Dataset.from_tensor_slices((np.arange(5), np.array([b"a", b"b", b"c", b"d", b"e"]))).batch(2)
    iterator = v1.data.make_one_shot_iterator(dataset)
    assert iterator.output_types == (tf.int64, tf.string)
    assert [s.as_list() for s in iterator.output_shapes] == [[None], [None]]
    assert v1.data.get_output_types(dataset) == (tf.int64, tf.string)
    x, s = iterator.get_next()
    with v1.Session() as sess:
        got = drain(sess, (x, s))
    assert [(a.tolist(), b.tolist()) for a, b in got] == [([0, 1], [b"a", b"b"]), ([2, 3], [b"c", b"d"]), ([4], [b"e"])]


def test_one_element_per_run_whatever_is_fetched(graph):
    it = v1.data.make_one_shot_iterator(tf.data.Dataset.range(10))
    x = it.get_next()
    doubled = x * 2
    with v1.Session() as sess:
        assert sess.run([x, doubled, x]) == [0, 0, 0]
        assert sess.run(doubled) == 2
        assert sess.run({"x": x, "sum": x + doubled}) == {"x": 2, "sum": 6}
        # Two get_next ops of one iterator each take an element in a run.
        y = it.get_next()
        assert sorted(sess.run([x, y])) == [3, 4]
        # A run that does not need the iterator leaves it alone.
        assert sess.run(tf.constant(7)) == 7
        assert sess.run(x) == 5


def test_initializable_iterator_with_placeholder_fed_dataset(graph):
    max_value = v1.placeholder(tf.int64, shape=[None])
    dataset = tf.data.Dataset.from_tensor_slices(max_value).map(lambda v: v * 10)
    assert dataset.element_spec == tf.TensorSpec([], tf.int64)
    iterator = v1.data.make_initializable_iterator(dataset)
    next_element = iterator.get_next()
    with v1.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="iterator has not been initialized"):
            sess.run(next_element)
        with pytest.raises(tf.errors.InvalidArgumentError, match="must feed a value for a placeholder"):
            sess.run(iterator.initializer)
        assert sess.run(iterator.initializer, feed_dict={max_value: [1, 2, 3]}) is None
        assert drain(sess, next_element) == [10, 20, 30]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(next_element)
        # Re-running the initializer restarts the iteration, with the new feed.
        sess.run(iterator.initializer, feed_dict={max_value: [7, 8]})
        assert drain(sess, next_element) == [70, 80]


def test_guide_features_labels_placeholders_with_batching(graph):
    features = np.arange(12, dtype=np.float32).reshape(6, 2)
    labels = np.array([0, 1, 0, 1, 1, 0])
    features_placeholder = v1.placeholder(features.dtype, features.shape)
    labels_placeholder = v1.placeholder(labels.dtype, labels.shape)
    dataset = tf.data.Dataset.from_tensor_slices((features_placeholder, labels_placeholder)).batch(4)
    assert dataset.element_spec == (tf.TensorSpec([None, 2], tf.float32), tf.TensorSpec([None], tf.int64))
    iterator = v1.data.make_initializable_iterator(dataset)
    fx, fy = iterator.get_next()
    with v1.Session() as sess:
        iterator.initializer.run(feed_dict={features_placeholder: features, labels_placeholder: labels}, session=sess)
        (x1, y1), (x2, y2) = drain(sess, (fx, fy))
    np.testing.assert_array_equal(x1, features[:4])
    np.testing.assert_array_equal(x2, features[4:])
    assert y1.tolist() == [0, 1, 0, 1] and y2.tolist() == [1, 0]


def test_string_placeholder_feeds_file_names(graph, tmp_path):
    for name, text in [("a.txt", "one\ntwo\n"), ("b.txt", "three\n")]:
        (tmp_path / name).write_text(text)
    filenames = v1.placeholder(tf.string, shape=[None])
    dataset = tf.data.Dataset.from_tensor_slices(filenames).map(tf.io.read_file)
    iterator = v1.data.make_initializable_iterator(dataset)
    nxt = iterator.get_next()
    with v1.Session() as sess:
        sess.run(iterator.initializer, feed_dict={filenames: [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]})
        assert drain(sess, nxt) == [b"one\ntwo\n", b"three\n"]


def test_reinitializable_iterator_switches_datasets(graph):
    training = tf.data.Dataset.range(4).map(lambda x: x + 100)
    validation = tf.data.Dataset.range(2)
    iterator = v1.data.Iterator.from_structure(v1.data.get_output_types(training), v1.data.get_output_shapes(training))
    next_element = iterator.get_next()
    training_init = iterator.make_initializer(training)
    validation_init = iterator.make_initializer(validation)
    with v1.Session() as sess:
        for _ in range(2):
            sess.run(training_init)
            assert drain(sess, next_element) == [100, 101, 102, 103]
            sess.run(validation_init)
            assert drain(sess, next_element) == [0, 1]
    with pytest.raises(
        TypeError,
        match=r"Expected output shapes compatible with TensorShape\(\[\]\) but got dataset with output shapes "
        r"TensorShape\(\[None\]\)\.",
    ):
        iterator.make_initializer(validation.batch(2))
    with pytest.raises(TypeError, match="Expected output types tf.int64 but got dataset with output types tf.int32."):
        iterator.make_initializer(tf.data.Dataset.from_tensor_slices(np.array([1], np.int32)))
    with pytest.raises(TypeError, match="same nested structure"):
        iterator.make_initializer(tf.data.Dataset.range(2).map(lambda x: (x, x)))


def test_training_loop_reads_batches_through_the_graph(graph):
    xs = np.linspace(-1, 1, 8).astype(np.float32).reshape(8, 1)
    ys = 3.0 * xs
    dataset = tf.data.Dataset.from_tensor_slices((xs, ys)).batch(4).repeat()
    x, y = v1.data.make_one_shot_iterator(dataset).get_next()
    w = tf.Variable([[0.0]])
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
    train_op = v1.train.GradientDescentOptimizer(0.5).minimize(loss)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        for _ in range(60):
            sess.run(train_op)
        assert abs(float(sess.run(w)[0, 0]) - 3.0) < 1e-3


def test_errors_and_eager_behaviour(graph):
    p = v1.placeholder(tf.float32, [None])
    with pytest.raises(
        ValueError, match=r"Cannot capture a placeholder \(name:Placeholder, type:Placeholder\) by value"
    ):
        v1.data.make_one_shot_iterator(tf.data.Dataset.from_tensor_slices(p))
    one_shot = v1.data.make_one_shot_iterator(tf.data.Dataset.range(1))
    with pytest.raises(ValueError, match="does not have an initializer"):
        one_shot.initializer  # noqa: B018
    with pytest.raises(tf.errors.InvalidArgumentError, match="only known in a session"):
        list(tf.data.Dataset.from_tensor_slices(p))


def test_eager_mode():
    it = v1.data.make_one_shot_iterator(tf.data.Dataset.range(3))
    assert int(it.get_next()) == 0 and [int(v) for v in it] == [1, 2]
    with pytest.raises(RuntimeError, match=r"`make_initializable_iterator\(\)` is not supported in eager mode"):
        v1.data.make_initializable_iterator(tf.data.Dataset.range(3))


def test_namespace():
    names = dir(v1.data)
    for name in ("Dataset", "Iterator", "make_one_shot_iterator", "make_initializable_iterator", "get_output_types"):
        assert name in names
    assert "np" not in names and "iterator_ops" not in names
    assert v1.data.Dataset is tf.data.Dataset
