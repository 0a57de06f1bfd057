"""``tf.data.experimental.rejection_resample`` and ``Dataset.sample_from_datasets`` with a dataset of weights:
element structure, the static cases TensorFlow short-cuts (keep everything, filter only), acceptance numerics
vs NumPy, and the class balance reached."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.data.resampling import _acceptance


def _labelled(n: int = 4000, every: int = 10) -> tf.data.Dataset:
    x = tf.data.Dataset.range(n)
    return x.map(lambda i: (tf.cast(i, tf.float32), tf.cast(tf.equal(i % every, 0), tf.int64)))


def _class(features, label):
    return label


def test_pairs_of_class_and_element() -> None:
    ds = _labelled().apply(tf.data.experimental.rejection_resample(_class, [0.5, 0.5], [0.9, 0.1], seed=3))
    cls, (feature, label) = ds.element_spec
    assert cls == tf.TensorSpec([], tf.int64) and feature == tf.TensorSpec([], tf.float32)
    for c, (f, lab) in ds.take(50):
        assert int(c) == int(lab) == int(int(f.numpy()) % 10 == 0)


def test_single_component_element_is_not_wrapped() -> None:
    ds = tf.data.Dataset.range(100).apply(
        tf.data.experimental.rejection_resample(lambda x: x % 2, [0.5, 0.5], [0.5, 0.5])
    )
    assert ds.element_spec == (tf.TensorSpec([], tf.int64), tf.TensorSpec([], tf.int64))


def test_dataset_method_gives_the_same_pairs() -> None:
    ds = tf.data.Dataset.range(100).rejection_resample(lambda x: x % 2, [0.5, 0.5], [0.5, 0.5])
    assert ds.element_spec == (tf.TensorSpec([], tf.int64), tf.TensorSpec([], tf.int64))
    assert [(int(c), int(x)) for c, x in ds.take(3)] == [(0, 0), (1, 1), (0, 2)]


def test_target_equal_to_initial_keeps_every_element_in_order() -> None:
    ds = _labelled(200).apply(tf.data.experimental.rejection_resample(_class, [0.9, 0.1], [0.9, 0.1]))
    assert [int(f) for _, (f, _) in ds] == list(range(200))


def test_zero_original_share_only_filters() -> None:
    # ratio target/initial = [2, 0]: min 0, so only the filtered stream; class 1 has acceptance 0
    ds = _labelled(200).apply(tf.data.experimental.rejection_resample(_class, [1.0, 0.0], [0.5, 0.5]))
    got = [int(f) for _, (f, _) in ds]
    assert got == [i for i in range(200) if i % 10]


def test_acceptance_matches_numpy() -> None:
    initial, target = np.array([0.7, 0.2, 0.1], np.float32), np.array([0.2, 0.3, 0.5], np.float32)
    accept, original = _acceptance(initial, target)
    ratio = target / (initial + np.finfo(np.float32).tiny)
    np.testing.assert_allclose(np.asarray(accept), (ratio - ratio.min()) / (ratio.max() - ratio.min()), rtol=1e-6)
    np.testing.assert_allclose(float(original), ratio.min(), rtol=1e-6)


@pytest.mark.parametrize("initial", [[0.9, 0.1], None])
def test_reaches_target_distribution(initial) -> None:
    resample = tf.data.experimental.rejection_resample(_class, [0.5, 0.5], initial, seed=7)
    classes = np.array([int(c) for c, _ in _labelled(20000).apply(resample).take(1500)])
    assert abs(classes.mean() - 0.5) < 0.06


def test_shape_mismatch_is_invalid_argument() -> None:
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Incompatible shapes: \[2\] vs. \[3\]"):
        _labelled().apply(tf.data.experimental.rejection_resample(_class, [0.5, 0.5], [0.2, 0.3, 0.5]))


def test_sample_from_datasets_reads_a_weight_vector_per_draw() -> None:
    weights = tf.data.Dataset.from_tensor_slices([[1.0, 0.0], [0.0, 1.0]]).repeat()
    a, b = tf.data.Dataset.range(0, 5), tf.data.Dataset.range(100, 105)
    got = [int(v) for v in tf.data.Dataset.sample_from_datasets([a, b], weights=weights)]
    assert got == [0, 100, 1, 101, 2, 102, 3, 103, 4, 104]


def test_sample_from_datasets_stops_when_weights_end() -> None:
    weights = tf.data.Dataset.from_tensor_slices([[1.0, 0.0]] * 3)
    a = tf.data.Dataset.range(10)
    assert [int(v) for v in tf.data.Dataset.sample_from_datasets([a, a], weights=weights)] == [0, 1, 2]


def test_sample_from_datasets_weight_dataset_of_ints_is_type_error() -> None:
    weights = tf.data.Dataset.from_tensor_slices([[1, 0]])
    with pytest.raises(TypeError):
        tf.data.Dataset.sample_from_datasets([tf.data.Dataset.range(3)] * 2, weights=weights)
