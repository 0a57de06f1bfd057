"""Functions over ``window``'s elements (datasets) are traced once, as TensorFlow traces them when the pipeline
is built: a Python counter in the function goes up once whatever the number of windows, ``tf.print`` runs per
element. Values and counts are those TensorFlow 2.21 gives."""

import numpy as np
import pytest

import ferroflow as tf

R = tf.data.Dataset.range


class Calls:
    """Counts the Python calls of the functions given to the pipeline."""

    def __init__(self):
        self.n = {}

    def count(self, name):
        self.n[name] = self.n.get(name, 0) + 1

    def f(self, x):  # map function
        self.count("f")
        return x * 2

    def even(self, x):  # filter predicate
        self.count("p")
        return x % 2 == 0


def zero():
    return tf.constant(0, tf.int64)


def add(a, b):
    return a + b


def listed(x):
    if isinstance(x, dict):
        return {k: listed(v) for k, v in sorted(x.items())}
    if isinstance(x, (tuple, list)):
        return [listed(v) for v in x]
    if isinstance(x, tf.data.Dataset):
        return ["DS", [listed(e) for e in x]]
    return x.numpy().tolist()


CASES = {
    "flat_map_shift_stride": (
        lambda c: R(12).window(3, shift=2, stride=2).flat_map(lambda w: w.map(c.f).batch(3)),
        [[0, 4, 8], [4, 8, 12], [8, 12, 16], [12, 16, 20], [16, 20], [20]],
        {"f": 1},
    ),
    "flat_map_drop_remainder": (
        lambda c: R(10).window(4, shift=3, drop_remainder=True).flat_map(lambda w: w.map(c.f).batch(4)),
        [[0, 2, 4, 6], [6, 8, 10, 12], [12, 14, 16, 18]],
        {"f": 1},
    ),
    "flat_map_filter_batch": (
        lambda c: R(10).window(4).flat_map(lambda w: w.filter(c.even).batch(4)),
        [[0, 2], [4, 6], [8]],
        {"p": 1},
    ),
    "flat_map_map_filter_batch": (
        lambda c: R(10).window(4).flat_map(lambda w: w.map(c.f).filter(lambda x: x > 4).batch(4)),
        [[6], [8, 10, 12, 14], [16, 18]],
        {"f": 1},
    ),
    "map_then_batch_of_2": (
        lambda c: R(10).window(3).flat_map(lambda w: w.map(c.f).batch(2)),
        [[0, 2], [4], [6, 8], [10], [12, 14], [16], [18]],
        {"f": 1},
    ),
    "tuple_windows": (
        lambda c: (
            tf.data.Dataset.from_tensor_slices((np.arange(7), np.arange(7) * 10))
            .window(3)
            .flat_map(lambda a, b: tf.data.Dataset.zip((a.map(c.f), b.filter(c.even))).batch(3))
        ),
        [[[0, 2, 4], [0, 10, 20]], [[6, 8, 10], [30, 40, 50]], [[12], [60]]],
        {"f": 1, "p": 1},
    ),
    "dict_windows": (
        lambda c: (
            tf.data.Dataset.from_tensor_slices({"a": np.arange(7), "b": np.arange(7.0)})
            .window(3, drop_remainder=True)
            .flat_map(lambda d: tf.data.Dataset.zip((d["a"].map(c.f).batch(3), d["b"].map(lambda v: v + 0.5).batch(3))))
        ),
        [[[0, 2, 4], [0.5, 1.5, 2.5]], [[6, 8, 10], [3.5, 4.5, 5.5]]],
        {"f": 1},
    ),
    "zip_of_windows": (
        lambda c: tf.data.Dataset.zip((R(6).window(2), R(10, 16).window(2))).flat_map(
            lambda a, b: tf.data.Dataset.zip((a.map(c.f), b.map(c.f))).batch(2)
        ),
        [[[0, 2], [20, 22]], [[4, 6], [24, 26]], [[8, 10], [28, 30]]],
        {"f": 2},
    ),
    "window_of_window_derived": (
        lambda c: (
            R(20).window(4).flat_map(lambda w: w.map(c.f)).window(3, shift=2).flat_map(lambda w: w.map(c.f).batch(3))
        ),
        [[0, 4, 8], [8, 12, 16], [16, 20, 24], [24, 28, 32], [32, 36, 40]]
        + [[40, 44, 48], [48, 52, 56], [56, 60, 64], [64, 68, 72], [72, 76]],
        {"f": 2},
    ),
    "nested_windows": (
        lambda c: R(8).window(2).window(2).flat_map(lambda ww: ww.flat_map(lambda w: w.map(c.f).batch(2))),
        [[0, 2], [4, 6], [8, 10], [12, 14]],
        {"f": 1},
    ),
    "filter_window_stride": (
        lambda c: (
            R(20)
            .filter(c.even)
            .window(4, shift=3, stride=2)
            .flat_map(lambda w: w.map(c.f).filter(lambda x: x > 5).batch(4))
        ),
        [[8, 16, 24], [12, 20, 28, 36], [24, 32], [36]],
        {"f": 1, "p": 1},
    ),
    "interleave": (
        lambda c: R(10).window(3).interleave(lambda w: w.map(c.f), cycle_length=2, block_length=2),
        [0, 2, 6, 8, 4, 10, 12, 14, 18, 16],
        {"f": 1},
    ),
    "map_reduce": (
        lambda c: R(10).window(3).map(lambda w: w.map(c.f).reduce(zero(), add)),
        [6, 24, 42, 18],
        {"f": 1},
    ),
    "map_reduce_parallel": (
        lambda c: R(10).window(3).map(lambda w: w.map(c.f).reduce(zero(), add), num_parallel_calls=2),
        [6, 24, 42, 18],
        {"f": 1},
    ),
    "map_returns_dataset": (
        lambda c: R(7).window(3).map(lambda w: w.map(c.f)),
        [["DS", [0, 2, 4]], ["DS", [6, 8, 10]], ["DS", [12]]],
        {"f": 1},
    ),
    "map_returns_tensor_and_dataset": (
        lambda c: R(7).window(3).map(lambda w: (w.reduce(zero(), add), w.map(c.f))),
        [[3, ["DS", [0, 2, 4]]], [12, ["DS", [6, 8, 10]]], [6, ["DS", [12]]]],
        {"f": 1},
    ),
    "map_dataset_then_flat_map": (
        lambda c: R(8).window(3, shift=2).map(lambda w: w.map(c.f)).flat_map(lambda d: d.batch(2)),
        [[0, 2], [4], [4, 6], [8], [8, 10], [12], [12, 14]],
        {"f": 1},
    ),
    "map_dict_windows": (
        lambda c: (
            tf.data.Dataset.from_tensor_slices({"a": np.arange(5), "b": np.arange(5) * 10})
            .window(2)
            .map(lambda d: {"s": d["a"].map(c.f).reduce(zero(), add), "n": d["b"].reduce(zero(), lambda s, _: s + 1)})
        ),
        [{"n": 2, "s": 2}, {"n": 2, "s": 10}, {"n": 1, "s": 8}],
        {"f": 1},
    ),
    "map_zip_windows": (
        lambda c: tf.data.Dataset.zip((R(6).window(3), R(6).map(lambda x: tf.cast(x, tf.float64) * 1.5).window(3))).map(
            lambda a, b: (a.map(c.f).reduce(zero(), add), b.reduce(tf.constant(0.0, tf.float64), add))
        ),
        [[6, 4.5], [24, 18.0]],
        {"f": 1},
    ),
    "get_single_element": (
        lambda c: R(9).window(3).map(lambda w: w.map(c.f).batch(3).get_single_element()),
        [[0, 2, 4], [6, 8, 10], [12, 14, 16]],
        {"f": 1},
    ),
    "filter_windows": (
        lambda c: R(10).window(3).filter(lambda w: w.map(c.f).reduce(zero(), add) > 10).flat_map(lambda w: w.batch(3)),
        [[3, 4, 5], [6, 7, 8], [9]],
        {"f": 1},
    ),
    "take_while_windows": (
        lambda c: (
            R(10).window(3).take_while(lambda w: w.map(c.f).reduce(zero(), add) < 30).flat_map(lambda w: w.batch(3))
        ),
        [[0, 1, 2], [3, 4, 5]],
        {"f": 1},
    ),
    "scan_windows": (
        lambda c: R(9).window(3).scan(zero(), lambda s, w: (s + w.map(c.f).reduce(zero(), add), s)),
        [0, 6, 30],
        {"f": 1},
    ),
    "scan_state_in_window_map": (
        lambda c: (
            R(9)
            .window(3, drop_remainder=True)
            .scan(zero(), lambda s, w: (s + 1, w.map(lambda x: (c.count("g"), x + s)[1]).reduce(zero(), add)))
        ),
        [3, 15, 27],
        {"g": 1},
    ),
    "group_by_window": (
        lambda c: R(12).group_by_window(lambda x: x % 3, lambda k, d: d.map(c.f).batch(2), window_size=2),
        [[0, 6], [2, 8], [4, 10], [12, 18], [14, 20], [16, 22]],
        {"f": 1},
    ),
    "group_by_window_key_in_map": (
        lambda c: R(10).group_by_window(
            lambda x: x % 2,
            lambda k, d: d.batch(3).map(lambda b: (c.count("g"), b + 100 * k)[1]),
            window_size_func=lambda k: k + 2,
        ),
        [[0, 2], [101, 103, 105], [4, 6], [8], [107, 109]],
        {"g": 1},
    ),
    "group_by_window_filter": (
        lambda c: R(10).group_by_window(
            lambda x: x % 3, lambda k, d: d.filter(c.even).map(c.f).batch(5), window_size=4
        ),
        [[0, 12], [8], [4, 16]],
        {"f": 1, "p": 1},
    ),
    "group_by_window_reduce_func_once": (
        lambda c: R(6).group_by_window(lambda x: x % 2, lambda k, d: (c.count("r"), d.batch(4))[1], window_size=2),
        [[0, 2], [1, 3], [4], [5]],
        {"r": 1},
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_trace_counts(name):
    make, expected, counts = CASES[name]
    calls = Calls()
    ds = make(calls)
    assert [listed(e) for e in ds] == expected
    assert [listed(e) for e in ds] == expected  # a second pass runs the traced functions again, untraced
    assert calls.n == counts


def test_reduce_over_windows_traces_once():
    calls = Calls()
    total = R(9).window(3).reduce(zero(), lambda s, w: s + w.map(calls.f).reduce(zero(), add))
    assert int(total) == 72
    assert calls.n == {"f": 1}
