"""keras.utils.timeseries_dataset_from_array: windows, targets, strides, bounds, batching, shuffling and the
argument errors, with the values Keras documents and produces."""

import numpy as np
import pytest

import ferroflow as tf

f = tf.keras.utils.timeseries_dataset_from_array


def test_docstring_example_1_indices():
    # Keras's example: indices 0..98, sequence_length=10, sampling_rate=2, sequence_stride=3.
    ds = f(np.arange(99), None, sequence_length=10, sampling_rate=2, sequence_stride=3, batch_size=128)
    (batch,) = list(ds.as_numpy_iterator())
    assert batch.shape == (27, 10)
    assert batch[0].tolist() == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]
    assert batch[1].tolist() == [3, 5, 7, 9, 11, 13, 15, 17, 19, 21]
    assert batch[2].tolist() == [6, 8, 10, 12, 14, 16, 18, 20, 22, 24]
    assert batch[-1].tolist() == [78, 80, 82, 84, 86, 88, 90, 92, 94, 96]


def test_docstring_example_2_temporal_regression():
    data = np.arange(50.0) * 1.5
    ds = f(data[:-10], data[10:], sequence_length=10)
    inputs, targets = next(iter(ds))
    assert inputs.shape == [31, 10] and targets.shape == [31]
    np.testing.assert_array_equal(inputs.numpy()[0], data[:10])
    assert targets.numpy()[0] == data[10]
    np.testing.assert_array_equal(inputs.numpy()[30], data[30:40])
    assert targets.numpy()[30] == data[40]


def test_docstring_example_3_non_overlapping_many_to_many():
    x = np.arange(100)
    y = x * 2
    xs = f(x, None, sequence_length=20, sequence_stride=20)
    ys = f(y, None, sequence_length=20, sequence_stride=20)
    (bx,), (by,) = list(xs.as_numpy_iterator()), list(ys.as_numpy_iterator())
    assert bx.shape == (5, 20)
    np.testing.assert_array_equal(bx[0], x[:20])
    np.testing.assert_array_equal(by[1], y[20:40])


def test_start_end_index_batches_specs_and_cardinality():
    ds = f(
        np.arange(20),
        np.arange(20) * 10,
        5,
        sequence_stride=3,
        sampling_rate=2,
        batch_size=2,
        start_index=2,
        end_index=18,
    )
    got = [(x.tolist(), y.tolist()) for x, y in ds.as_numpy_iterator()]
    assert got == [([[2, 4, 6, 8, 10], [5, 7, 9, 11, 13]], [20, 50]), ([[8, 10, 12, 14, 16]], [80])]
    assert int(ds.cardinality()) == 2
    x_spec, y_spec = ds.element_spec
    assert x_spec.dtype == tf.int64 and y_spec == tf.TensorSpec([None], tf.int64)
    assert x_spec.shape[0] is None and x_spec.shape.rank == 2


def test_unbatched_multivariate_and_targets_limit_the_windows():
    ds = f(np.arange(20.0).reshape(10, 2), None, 3, batch_size=None)
    assert int(ds.cardinality()) == 8
    first = next(ds.as_numpy_iterator())
    assert first.tolist() == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
    assert ds.element_spec.dtype == tf.float64 and ds.element_spec.shape[-1] == 2
    # Three targets: only three windows, although the data has room for nine.
    (x, y), *_ = list(f(np.arange(10.0), np.arange(3), 2).as_numpy_iterator())
    assert x.tolist() == [[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]] and y.tolist() == [0, 1, 2]


def test_targets_are_indexed_from_start_index():
    ((x, y),) = list(f(np.arange(10.0), np.arange(10) * 100, 2, start_index=5).as_numpy_iterator())
    assert x.tolist() == [[5.0, 6.0], [6.0, 7.0], [7.0, 8.0], [8.0, 9.0]]
    assert y.tolist() == [500, 600, 700, 800]


def test_python_lists_convert_like_constants_and_tensors_are_accepted():
    ((x, y),) = list(f([1.0, 2.0, 3.0, 4.0], [1, 2, 3, 4], 2).as_numpy_iterator())
    assert x.dtype == np.float32 and y.dtype == np.int32
    assert x.tolist() == [[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]] and y.tolist() == [1, 2, 3]
    (x,) = list(f(tf.constant([[1], [2], [3]]), None, 2).as_numpy_iterator())
    assert x.tolist() == [[[1], [2]], [[2], [3]]]


def test_too_short_data_gives_an_empty_dataset():
    ds = f(np.arange(5.0), None, 10)
    assert list(ds) == [] and int(ds.cardinality()) == 0


def test_shuffle_is_a_repeatable_permutation_of_the_windows():
    def starts(seed, batch_size):
        ds = f(
            np.arange(100), None, 10, sampling_rate=2, sequence_stride=3, batch_size=batch_size, shuffle=True, seed=seed
        )
        if batch_size is None:
            return [int(w[0]) for w in ds.as_numpy_iterator()]
        return [int(w[0]) for b in ds.as_numpy_iterator() for w in b]

    a = starts(7, None)
    assert sorted(a) == list(range(0, 82, 3))
    assert a != sorted(a)
    assert a == starts(7, None)
    b = starts(7, 4)
    assert sorted(b) == list(range(0, 82, 3)) and b != sorted(b)
    # Each window stays whole: it starts where it says and steps by the sampling rate.
    ds = f(np.arange(100), np.arange(100) + 1000, 10, sampling_rate=2, batch_size=None, shuffle=True, seed=1)
    for window, target in ds.as_numpy_iterator():
        assert window.tolist() == list(range(window[0], window[0] + 20, 2)) and target == window[0] + 1000


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"start_index": -1}, "`start_index` must be 0 or greater. Received: start_index=-1"),
        (
            {"start_index": 10},
            "`start_index` must be lower than the length of the data. Received: start_index=10, for data of length 10",
        ),
        (
            {"start_index": 5, "end_index": 5},
            "`end_index` must be higher than `start_index`. Received: start_index=5, and end_index=5 ",
        ),
        (
            {"end_index": 10},
            "`end_index` must be lower than the length of the data. Received: end_index=10, for data of length 10",
        ),
        ({"end_index": -2}, "`end_index` must be higher than 0. Received: end_index=-2"),
        ({"sampling_rate": 0}, "`sampling_rate` must be higher than 0. Received: sampling_rate=0"),
        (
            {"sampling_rate": 10},
            "`sampling_rate` must be lower than the length of the data. Received: sampling_rate=10, for data of "
            "length 10",
        ),
        ({"sequence_stride": 0}, "`sequence_stride` must be higher than 0. Received: sequence_stride=0"),
        (
            {"sequence_stride": 10},
            "`sequence_stride` must be lower than the length of the data. Received: sequence_stride=10, for data of "
            "length 10",
        ),
    ],
)
def test_argument_errors(kwargs, message):
    with pytest.raises(ValueError) as info:
        f(np.arange(10), None, 3, **kwargs)
    assert str(info.value) == message


def test_exported_in_keras_utils_dir():
    assert "timeseries_dataset_from_array" in dir(tf.keras.utils)
    from ferroflow.utils import timeseries_dataset

    assert dir(timeseries_dataset) == ["timeseries_dataset_from_array"]
