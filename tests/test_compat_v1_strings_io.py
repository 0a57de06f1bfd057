"""TF1's signatures of the string and parsing functions (top level and ``tf.compat.v1.strings`` / ``.io``):
old argument names and positions. The file passes unchanged under TensorFlow 2.21 with the import swapped."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1


def test_string_functions():
    assert v1.substr("hello", 1, 3).numpy() == b"ell"
    assert v1.strings.substr(["hello"], 0, 2, "s").numpy().tolist() == [b"he"]
    assert v1.strings.length(["ab", "c"], "n").numpy().tolist() == [2, 1]
    assert v1.string_to_number(string_tensor=["1.5"]).numpy().tolist() == [1.5]
    assert v1.strings.to_number(input=["7"], out_type=tf.int32).numpy().tolist() == [7]
    buckets = v1.string_to_hash_bucket(["a", "b"], 10).numpy()
    assert buckets.tolist() == tf.strings.to_hash_bucket(["a", "b"], 10).numpy().tolist()
    joined = v1.reduce_join([["a", "b"], ["c", "d"]], reduction_indices=1, keep_dims=True, separator="-")
    assert joined.numpy().tolist() == [[b"a-b"], [b"c-d"]]
    with pytest.raises(ValueError, match="Cannot specify both"):
        v1.strings.reduce_join(["a"], axis=0, reduction_indices=0)


def test_decode_raw_and_parsing():
    raw = np.array([1, 2], np.int32).tobytes()
    assert v1.decode_raw(bytes=[raw], out_type=tf.int32).numpy().tolist() == [[1, 2]]
    assert v1.io.decode_raw([raw], tf.int32).numpy().tolist() == [[1, 2]]
    example = tf.train.Example(
        features=tf.train.Features(
            feature={
                "x": tf.train.Feature(float_list=tf.train.FloatList(value=[1.0, 2.0])),
            }
        )
    ).SerializeToString()
    features = {"x": v1.FixedLenFeature([2], tf.float32)}
    assert v1.parse_single_example(example, features, "p")["x"].numpy().tolist() == [1.0, 2.0]
    assert v1.parse_example([example], features, "p")["x"].numpy().tolist() == [[1.0, 2.0]]
    assert v1.io.parse_example([example], features)["x"].shape == (1, 2)


def test_switches_dimension_at_index_and_sparse_signatures():
    assert v1.control_flow_v2_enabled() and v1.resource_variables_enabled()
    v1.disable_control_flow_v2()
    try:
        assert not v1.control_flow_v2_enabled()
    finally:
        v1.enable_control_flow_v2()
    assert v1.executing_eagerly_outside_functions()
    with tf.Graph().as_default():
        assert not v1.executing_eagerly_outside_functions()
    assert v1.dimension_at_index(tf.TensorShape([3, None]), 0).value == 3
    assert v1.dimension_at_index(tf.TensorShape([3, None]), 1).value is None
    sp = tf.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [2, 3])
    assert v1.sparse_reduce_sum(sp, reduction_axes=1, keep_dims=True).numpy().tolist() == [[1.0], [2.0]]
    assert v1.sparse_reduce_max(sp, 0).numpy().tolist() == [1.0, 0.0, 2.0]
    total = v1.sparse_add(sp, sp, thresh=2.5)
    assert total.values.numpy().tolist() == [4.0] and total.indices.numpy().tolist() == [[1, 2]]
    joined = v1.sparse_concat(1, [sp, sp])
    assert joined.dense_shape.numpy().tolist() == [2, 6]
    assert v1.confusion_matrix([0, 1], [1, 1], 2, tf.float32).numpy().tolist() == [[0.0, 1.0], [0.0, 1.0]]
    assert v1.debugging.is_nan([float("nan")]).numpy().tolist() == [True]
    assert v1.get_seed is v1.random.get_seed
