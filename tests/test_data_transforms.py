"""tf.data transformations: map tracing, filter, batching, repeat/take/skip, windows, interleave, cache ...

Expected values were produced with TensorFlow 2.21 where they are not obvious.
"""

import numpy as np
import pytest

import ferroflow as tf

D = tf.data.Dataset


def values(ds):
    def plain(v):
        if isinstance(v, np.ndarray):
            return v.tolist()
        if isinstance(v, tuple):
            return tuple(plain(x) for x in v)
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        return v.item() if isinstance(v, np.generic) else v

    return [plain(v) for v in ds.as_numpy_iterator()]


def ragged(lengths, dtype=tf.int32):
    """A dataset of vectors [n, n, ..., n] of the given lengths (shape (None,))."""
    return D.from_generator(lambda: ([n] * n for n in lengths), output_signature=tf.TensorSpec([None], dtype))


# -- map


def test_map_traces_once_and_runs_the_graph_per_element():
    printed = []

    def fn(x):
        printed.append("traced")
        return x * 2 + 1

    ds = D.range(5).map(fn)
    assert printed == ["traced"]
    assert values(ds) == [1, 3, 5, 7, 9]
    assert values(ds) == [1, 3, 5, 7, 9]
    assert printed == ["traced"]


def test_map_tuple_elements_are_separate_arguments_and_dicts_one():
    ds = D.from_tensor_slices(([1, 2], [10, 20])).map(lambda a, b: a + b)
    assert values(ds) == [11, 22]
    ds = D.from_tensor_slices({"a": [1, 2], "b": [3, 4]}).map(lambda d: d["a"] * d["b"])
    assert values(ds) == [3, 8]


@pytest.mark.parametrize(
    "fn, expected_spec",
    [
        (lambda x: [x, x], (tf.TensorSpec([], tf.int64), tf.TensorSpec([], tf.int64))),
        (
            lambda x: (x, 1, 2.0),
            (tf.TensorSpec([], tf.int64), tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.float32)),
        ),
        (lambda x: {"a": x}, {"a": tf.TensorSpec([], tf.int64)}),
        (lambda x: tf.cast(x, tf.float32), tf.TensorSpec([], tf.float32)),
    ],
)
def test_map_output_spec(fn, expected_spec):
    ds = D.range(3).map(fn)
    assert ds.element_spec == expected_spec
    first = next(iter(ds))
    assert len(tf.nest.flatten(first)) == len(tf.nest.flatten(expected_spec))


def test_map_output_with_unknown_dims_and_random_ops_per_element():
    ds = ragged([1, 3]).map(lambda v: v * 2)
    assert ds.element_spec == tf.TensorSpec([None], tf.int32)
    assert values(ds) == [[2], [6, 6, 6]]
    draws = values(D.range(4).map(lambda x: tf.random.uniform(())))
    assert len(set(draws)) == 4


def test_map_parallel_arguments_and_print_in_function():
    ds = D.range(4).map(lambda x: x + 1, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    assert values(ds) == [1, 2, 3, 4]


def test_map_error_names_function_and_element_and_ignore_errors_skips():
    def check(x):
        return tf.debugging.check_numerics(1.0 / tf.cast(x - 1, tf.float32), "bad value")

    ds = D.range(3).map(check)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"map function 'check' failed on element 1"):
        list(ds)
    assert values(ds.ignore_errors()) == [-1.0, 1.0]
    assert int(ds.ignore_errors().cardinality()) == tf.data.UNKNOWN_CARDINALITY


def test_map_returning_none_is_refused():
    with pytest.raises(TypeError, match="returned None"):
        D.range(3).map(lambda x: None)


# -- filter, take_while, unique, scan, reduce


def test_filter_and_its_predicate_check():
    assert values(D.range(10).filter(lambda x: x % 3 == 0)) == [0, 3, 6, 9]
    with pytest.raises(ValueError, match="must return a `tf.bool` scalar"):
        D.range(3).filter(lambda x: x)


def test_take_while_unique():
    assert values(D.range(10).take_while(lambda x: x < 4)) == [0, 1, 2, 3]
    assert values(D.from_tensor_slices([1, 1, 2, 3, 2]).unique()) == [1, 2, 3]
    with pytest.raises(TypeError, match="unique"):
        D.range(3).map(lambda x: tf.cast(x, tf.float32)).unique()


def test_scan_and_reduce():
    ds = D.range(5).scan(np.int64(0), lambda s, x: (s + x, s * 2))
    assert values(ds) == [0, 0, 2, 6, 12]
    assert int(ds.cardinality()) == 5
    scanned = D.range(3).apply(tf.data.experimental.scan(np.int64(0), lambda s, x: (s + x, s)))
    assert values(scanned) == [0, 0, 1]
    assert int(D.range(5).reduce(np.int64(0), lambda s, x: s + x)) == 10
    assert int(D.range(0).reduce(np.int64(5), lambda s, x: s + x)) == 5
    # The state may change shape: its spec opens up.
    total = D.range(3).reduce(tf.zeros([0], tf.int64), lambda s, x: tf.concat([s, tf.reshape(x, [1])], 0))
    assert total.numpy().tolist() == [0, 1, 2]
    with pytest.raises(TypeError):
        D.range(3).reduce(np.int32(0), lambda s, x: tf.cast(s, tf.int64) + x)


# -- batching


BATCH_CASES = [
    (10, 3, False, [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]),
    (10, 3, True, [[0, 1, 2], [3, 4, 5], [6, 7, 8]]),
    (6, 3, False, [[0, 1, 2], [3, 4, 5]]),
    (2, 3, True, []),
    (0, 3, False, []),
]


@pytest.mark.parametrize("n, size, drop, expected", BATCH_CASES)
def test_batch(n, size, drop, expected):
    ds = D.range(n).batch(size, drop_remainder=drop)
    assert values(ds) == expected
    assert int(ds.cardinality()) == len(expected)
    assert ds.element_spec == tf.TensorSpec([size if drop else None], tf.int64)


@pytest.mark.parametrize("n, size, drop, expected", BATCH_CASES)
def test_batch_of_tensor_slices_takes_row_ranges(n, size, drop, expected):
    # Tensor slices batch by whole row ranges rather than element by element; the result is the same.
    rows = np.arange(n, dtype="int64")
    text = np.array([str(i).encode() for i in range(n)], dtype=object).reshape(n)
    ds = D.from_tensor_slices({"i": rows, "s": text}).batch(size, drop_remainder=drop)
    got = values(ds)
    assert [b["i"] for b in got] == expected
    assert [b["s"] for b in got] == [[str(i).encode() for i in batch] for batch in expected]
    assert int(ds.cardinality()) == len(expected)


def test_batches_of_tensor_slices_do_not_alias_the_source():
    source = np.zeros((4, 2), "float32")
    first = next(D.from_tensor_slices(source).batch(2).as_numpy_iterator())
    first += 1.0
    assert not np.shares_memory(first, source)
    assert not source.any()


def test_batch_structures_unbatch_and_errors():
    ds = D.from_tensor_slices(({"a": np.arange(4)}, np.ones((4, 2), "float32"))).batch(2)
    assert ds.element_spec == ({"a": tf.TensorSpec([None], tf.int64)}, tf.TensorSpec([None, 2], tf.float32))
    assert values(ds.unbatch()) == values(D.from_tensor_slices(({"a": np.arange(4)}, np.ones((4, 2), "float32"))))
    assert int(D.range(10).batch(3).unbatch().cardinality()) == tf.data.UNKNOWN_CARDINALITY
    assert int(D.range(10).batch(3, drop_remainder=True).unbatch().cardinality()) == 9
    assert int(D.from_tensor_slices([[1, 2], [3, 4]]).unbatch().cardinality()) == 4
    with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot batch tensors with different shapes"):
        list(ragged([1, 2]).batch(2))
    with pytest.raises(tf.errors.InvalidArgumentError):
        D.range(3).batch(0)
    with pytest.raises(ValueError, match="scalar"):
        D.range(3).unbatch()


def test_padded_batch():
    ds = ragged([1, 3, 2, 4]).padded_batch(2)
    assert ds.element_spec == tf.TensorSpec([None, None], tf.int32)
    assert values(ds) == [[[1, 0, 0], [3, 3, 3]], [[2, 2, 0, 0], [4, 4, 4, 4]]]
    ds = ragged([1, 2, 3]).padded_batch(2, padded_shapes=[4], padding_values=-1, drop_remainder=True)
    assert ds.element_spec == tf.TensorSpec([2, 4], tf.int32)
    assert values(ds) == [[[1, -1, -1, -1], [2, 2, -1, -1]]]
    pairs = D.zip((ragged([1, 2]), D.range(2))).padded_batch(2, padded_shapes=([3], []))
    assert pairs.element_spec == (tf.TensorSpec([None, 3], tf.int32), tf.TensorSpec([None], tf.int64))
    assert values(pairs) == [([[1, 0, 0], [2, 2, 0]], [0, 1])]
    assert D.range(3).padded_batch(2).element_spec == tf.TensorSpec([None], tf.int64)
    with pytest.raises(tf.errors.InvalidArgumentError, match="smaller size"):
        list(ragged([3]).padded_batch(1, padded_shapes=[2]))
    with pytest.raises(ValueError, match="not compatible"):
        D.range(4).padded_batch(2, padded_shapes=[3])


def test_rebatch():
    assert values(D.range(10).batch(4).rebatch([1, 2])) == [[0], [1, 2], [3], [4, 5], [6], [7, 8], [9]]
    assert values(D.range(10).batch(4).rebatch(3, drop_remainder=True)) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert D.range(10).batch(4).rebatch(2, drop_remainder=True).element_spec == tf.TensorSpec([2], tf.int64)
    assert D.range(10).batch(4).rebatch(2).element_spec == tf.TensorSpec([None], tf.int64)


# -- repeat, take, skip, enumerate, shard, prefetch


@pytest.mark.parametrize(
    "build, expected",
    [
        (lambda: D.range(3).repeat(2), [0, 1, 2, 0, 1, 2]),
        (lambda: D.range(3).repeat().take(7), [0, 1, 2, 0, 1, 2, 0]),
        (lambda: D.range(3).repeat(2).skip(2).take(3), [2, 0, 1]),
        (lambda: D.range(3).take(0), []),
        (lambda: D.range(3).take(-1), [0, 1, 2]),
        (lambda: D.range(3).take(10), [0, 1, 2]),
        (lambda: D.range(5).skip(3), [3, 4]),
        (lambda: D.range(5).skip(-1), []),
        (lambda: D.range(3).repeat(0), []),
        (lambda: D.range(0).repeat(), []),
        (lambda: D.range(7).shard(3, 1), [1, 4]),
        (lambda: D.range(3).prefetch(tf.data.AUTOTUNE), [0, 1, 2]),
        (lambda: D.range(3).prefetch(1).take(2), [0, 1]),
    ],
)
def test_order_transformations(build, expected):
    assert values(build()) == expected


def test_enumerate_and_shard_errors():
    ds = D.from_tensor_slices([5, 6]).enumerate(start=3)
    assert ds.element_spec == (tf.TensorSpec([], tf.int64), tf.TensorSpec([], tf.int32))
    assert values(ds) == [(3, 5), (4, 6)]
    with pytest.raises(tf.errors.InvalidArgumentError):
        D.range(3).shard(0, 0)
    with pytest.raises(tf.errors.InvalidArgumentError):
        D.range(3).shard(2, 2)


def test_repeat_reiterates_its_input_each_epoch():
    calls = []

    def gen():
        calls.append(1)
        yield from range(2)

    ds = D.from_generator(gen, output_signature=tf.TensorSpec([], tf.int64)).repeat(3)
    assert values(ds) == [0, 1] * 3
    assert len(calls) == 3


# -- Python code in pipeline functions


def test_map_with_py_function_runs_it_per_element():
    calls = []

    def double(v):
        calls.append(1)
        return v.numpy() * 2

    def fn(x, label):
        [y] = tf.py_function(double, [x], [tf.float32])
        return y, label

    ds = D.from_tensor_slices((np.arange(3, dtype="float32"), [7, 8, 9])).map(fn)
    assert ds.element_spec[1] == tf.TensorSpec([], tf.int32)
    assert ds.element_spec[0].dtype == tf.float32
    assert values(ds) == [(0.0, 7), (2.0, 8), (4.0, 9)]
    assert len(calls) == 3
    squared = D.range(4).map(lambda x: tf.numpy_function(lambda v: v * v, [x], tf.int64))
    assert values(squared) == [0, 1, 4, 9]
    kept = D.range(6).filter(lambda x: tf.numpy_function(lambda v: v % 2 == 0, [x], tf.bool))
    assert values(kept) == [0, 2, 4]


def test_py_function_outside_pipelines_runs_in_traced_functions():
    @tf.function
    def f(x):
        return tf.py_function(lambda v: v * 3.0, [x], tf.float32)

    assert float(f(tf.constant(2.0))) == 6.0


# -- string elements (tf.string)


def test_string_elements():
    from ferroflow.data import structure

    if structure.string_dtype() is None:
        pytest.skip("this build has no tf.string")
    ds = D.from_tensor_slices(["a", "bb", "c"])
    assert ds.element_spec == tf.TensorSpec([], tf.string)
    assert values(ds) == [b"a", b"bb", b"c"]
    assert values(ds.batch(2)) == [[b"a", b"bb"], [b"c"]]
    padded = D.from_tensor_slices([[b"x"], [b"y"]]).padded_batch(2, padded_shapes=[2])
    assert values(padded) == [[[b"x", b""], [b"y", b""]]]
    assert values(D.from_tensor_slices(["a", "b", "a"]).unique()) == [b"a", b"b"]
