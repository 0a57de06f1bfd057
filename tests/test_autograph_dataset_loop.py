"""Loops over a tf.data.Dataset inside tf.function run at run time: constant graph size, fresh data per call."""

import numpy as np
import pytest

import ferroflow as tf


def _nodes(f, *args) -> int:
    return len(f.get_concrete_function(*args).graph.as_graph_def().node)


@tf.function
def _sum_pairs(dataset):
    loss = tf.constant(0)
    for x, y in dataset:
        loss += tf.abs(y - x)
    return loss


def _gen(rows):
    return tf.data.Dataset.from_generator(lambda: rows, (tf.int32, tf.int32))


def test_sum_matches_numpy_and_graph_size_is_independent_of_length() -> None:
    small, big = [(1, 4)] * 3, [(i, 2 * i + 1) for i in range(50)]
    assert _nodes(_sum_pairs, _gen(small)) == _nodes(_sum_pairs, _gen(big))
    assert int(_sum_pairs(_gen(small))) == 9
    assert int(_sum_pairs(_gen(big))) == int(np.abs(np.array(big) @ [-1, 1]).sum())
    assert "While" in {n.op for n in _sum_pairs.get_concrete_function(_gen(small)).graph.as_graph_def().node}


def test_unknown_length_generator_is_read_anew_on_each_call() -> None:
    rows = [(0, 1)]
    ds = _gen(rows)  # the generator's list is read when the function runs, not when it is traced
    assert int(_sum_pairs(ds)) == 1
    rows.extend([(0, 5), (2, 0)])
    assert int(_sum_pairs(ds)) == 8
    assert _sum_pairs.experimental_get_tracing_count() >= 1


def test_captured_dataset_sees_new_data_and_counts() -> None:
    data = [1.0, 2.0]
    ds = tf.data.Dataset.from_generator(lambda: iter(data), tf.float32, output_shapes=())

    @tf.function
    def stats():
        total, n = tf.constant(0.0), tf.constant(0)
        for x in ds:
            total += x * x
            n += 1
        return total, n

    t, n = stats()
    assert (float(t), int(n)) == (5.0, 2)
    data.append(3.0)
    t, n = stats()
    assert (float(t), int(n)) == (14.0, 3)


def test_break_stops_and_does_not_lose_elements_of_a_captured_iterator() -> None:
    it = iter(tf.data.Dataset.range(10))

    @tf.function
    def until_big(limit):
        s = tf.constant(0, tf.int64)
        for x in it:
            s += x
            if s > limit:
                break
        return s

    assert int(until_big(tf.constant(2, tf.int64))) == 3  # 0 + 1 + 2
    assert int(until_big(tf.constant(4, tf.int64))) == 7  # the iterator goes on: 3 + 4
    assert int(next(it)) == 5  # the break pulled no extra element
    assert it._position == 6


def test_continue_skips_elements() -> None:
    @tf.function
    def odd_sum(d):
        s = tf.constant(0, tf.int64)
        for x in d:
            if x % 2 == 0:
                continue
            s += x
        return s

    assert int(odd_sum(tf.data.Dataset.range(10))) == 25


def test_enumerate_and_nested_dict_elements() -> None:
    a = np.arange(12, dtype=np.float32).reshape(6, 2)
    b = np.arange(6, dtype=np.int64)
    ds = tf.data.Dataset.from_tensor_slices({"a": a, "pair": (b, b * 10)})

    @tf.function
    def weighted(d):
        acc = tf.zeros([2])
        k = tf.constant(0, tf.int64)
        for i, e in d.enumerate():
            acc += tf.cast(i, tf.float32) * e["a"]
            k += e["pair"][1] - e["pair"][0]
        return acc, k

    acc, k = weighted(ds)
    np.testing.assert_allclose(acc.numpy(), (np.arange(6)[:, None] * a).sum(0))
    assert int(k) == int((b * 9).sum())


def test_batches_with_unknown_batch_dimension_and_tensor_array() -> None:
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    ds = tf.data.Dataset.from_tensor_slices(x).batch(4)  # batches of 4, 4, 2: shape (None, 2)

    @tf.function
    def row_sums(d):
        out = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        i = 0
        for batch in d:
            out = out.write(i, tf.reduce_sum(batch))
            i += 1
        return out.stack()

    want = [x[k : k + 4].sum() for k in range(0, 10, 4)]
    np.testing.assert_allclose(row_sums(ds).numpy(), want)


def test_iter_and_next_in_a_function() -> None:
    @tf.function
    def first_two(d):
        it = iter(d)
        a = next(it)
        return a + next(it)

    assert int(first_two(tf.data.Dataset.range(3, 10))) == 7

    @tf.function
    def over_range(d):
        it = iter(d)
        s = tf.constant(0, tf.int64)
        for _ in tf.range(3):
            s += next(it)
        return s

    assert int(over_range(tf.data.Dataset.range(5, 100))) == 18


def test_next_past_the_end_raises_out_of_range() -> None:
    @tf.function
    def two(d):
        it = iter(d)
        return next(it) + next(it)

    with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
        two(tf.data.Dataset.range(1))


def test_empty_dataset_leaves_values_and_variables_must_be_defined_first() -> None:
    assert int(_sum_pairs(_gen([]))) == 0

    @tf.function
    def last(d):
        for x in d:
            y = x * 2
        return y

    with pytest.raises(ValueError, match="'y' must be defined before the loop"):  # as TensorFlow, when traced
        last(tf.data.Dataset.range(4))


def test_loop_variable_changing_dtype_is_an_error() -> None:
    @tf.function
    def bad(d):
        s = tf.constant(0)
        for x in d:
            s = tf.cast(x, tf.float32)
        return s

    with pytest.raises(TypeError):
        bad(tf.data.Dataset.range(3))


def _model():
    w = tf.Variable(np.linspace(-1, 1, 6).reshape(3, 2).astype(np.float32))
    b = tf.Variable(np.zeros(2, np.float32))
    return w, b, tf.keras.optimizers.Adam(0.05)


def _step(w, b, opt, x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((tf.matmul(x, w) + b - y) ** 2)
    grads = tape.gradient(loss, [w, b])
    opt.apply_gradients(zip(grads, [w, b]))
    return loss


def test_training_loop_over_batches_equals_the_eager_loop() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(23, 3)).astype(np.float32)
    y = rng.normal(size=(23, 2)).astype(np.float32)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(23, seed=1, reshuffle_each_iteration=False).batch(5)

    w, b, opt = _model()
    eager_losses = []
    for _ in range(2):
        total = 0.0
        for xb, yb in ds:
            total += float(_step(w, b, opt, xb, yb))
        eager_losses.append(total)

    w2, b2, opt2 = _model()

    @tf.function
    def train_epoch(d):
        total = tf.constant(0.0)
        for xb, yb in d:
            total += _step(w2, b2, opt2, xb, yb)
        return total

    losses = [float(train_epoch(ds)) for _ in range(2)]
    assert _nodes(train_epoch, ds) == _nodes(train_epoch, ds.take(1))
    np.testing.assert_allclose(losses, eager_losses, rtol=1e-5)
    np.testing.assert_allclose(w2.numpy(), w.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b2.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)
    assert int(opt2.iterations.numpy()) == 10


def test_functions_run_eagerly_iterate_in_python() -> None:
    tf.config.run_functions_eagerly(True)
    try:
        assert int(_sum_pairs(_gen([(1, 3), (0, 4)]))) == 6
    finally:
        tf.config.run_functions_eagerly(False)
