"""``tf.TypeSpec`` and ``tf.type_spec_from_value``: every spec is a ``TypeSpec``; the specs of values and
their relations as TensorFlow 2.21 gives them (the expected reprs are TensorFlow's)."""

import numpy as np
import pytest

import ferroflow as tf


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (lambda: tf.constant(1.0), "TensorSpec(shape=(), dtype=tf.float32, name=None)"),
        (lambda: [1, 2], "TensorSpec(shape=(2,), dtype=tf.int32, name=None)"),
        (lambda: np.zeros((2, 3)), "TensorSpec(shape=(2, 3), dtype=tf.float64, name=None)"),
        (lambda: tf.sparse.from_dense([[1, 0]]), "SparseTensorSpec(TensorShape([1, 2]), tf.int32)"),
        (lambda: tf.ragged.constant([[1], [2, 3]]), "RaggedTensorSpec(TensorShape([2, None]), tf.int32, 1, tf.int64)"),
        (
            lambda: tf.data.Dataset.range(3),
            "DatasetSpec(TensorSpec(shape=(), dtype=tf.int64, name=None), TensorShape([]))",
        ),
        (
            lambda: tf.IndexedSlices(tf.ones([2, 2]), tf.constant([0, 1])),
            "IndexedSlicesSpec(TensorShape([None, 2]), tf.float32, tf.int32, None, TensorShape([2]))",
        ),
    ],
)
def test_type_spec_from_value_gives_tensorflows_specs(value, expected):
    spec = tf.type_spec_from_value(value())
    assert repr(spec) == expected
    assert isinstance(spec, tf.TypeSpec)


def test_unsupported_values_are_type_errors():
    with pytest.raises(TypeError, match="Could not build a TypeSpec for .* of unsupported type"):
        tf.type_spec_from_value(object())


def test_every_spec_is_a_type_spec_with_its_value_type():
    assert tf.TensorSpec([2]).value_type is tf.Tensor
    assert tf.SparseTensorSpec([2, 2]).value_type is tf.SparseTensor
    assert tf.RaggedTensorSpec([2, None], tf.int32).value_type is tf.RaggedTensor
    for spec in (tf.TensorSpec([2]), tf.SparseTensorSpec([2, 2]), tf.data.Dataset.range(2).element_spec):
        assert isinstance(spec, tf.TypeSpec)
    with pytest.raises(TypeError):
        tf.TypeSpec()  # abstract, as TensorFlow's


def test_tensor_spec_subtypes_and_supertypes():
    unknown = tf.TensorSpec([None], tf.float32)
    three = tf.TensorSpec([3], tf.float32)
    assert three.is_subtype_of(unknown) and not unknown.is_subtype_of(three)
    assert unknown.is_subtype_of(tf.TensorSpec(None, tf.float32))
    assert not three.is_subtype_of(tf.TensorSpec([3], tf.int32))
    assert three.most_specific_common_supertype([tf.TensorSpec([4], tf.float32)]) == unknown
    assert three.most_specific_common_supertype([tf.TensorSpec([3, 1], tf.float32)]) == tf.TensorSpec(None)
    assert three.most_specific_common_supertype([tf.TensorSpec([3], tf.int32)]) is None
    assert three.is_compatible_with(np.zeros(3, np.float32)) and not three.is_compatible_with(np.zeros(4, np.float32))
