"""tf.strings.to_hash_bucket_fast / to_hash_bucket_strong against TensorFlow 2.21 outputs (pasted), eagerly, in
tf.function and in Dataset.map; argument errors."""

import numpy as np
import pytest

import ferroflow as tf

WORDS32 = [f"w{i}_" + "xyz"[i % 3] * (i * 7 % 90) for i in range(32)]
# tf.strings.to_hash_bucket_fast(WORDS32, 1000) in TensorFlow 2.21
FAST32 = [
    693,
    481,
    153,
    215,
    271,
    599,
    109,
    185,
    497,
    951,
    22,
    994,
    188,
    504,
    103,
    272,
    200,
    877,
    252,
    134,
    49,
    281,
    414,
    253,
    595,
    629,
    540,
    193,
    230,
    831,
    344,
    902,
]


def test_fast_matches_tensorflow_eagerly_and_in_graphs():
    assert tf.strings.to_hash_bucket_fast(["Hello", "TensorFlow", "2.x"], 3).numpy().tolist() == [0, 2, 2]
    words = tf.constant(np.array(WORDS32, dtype=object).reshape(4, 8))
    eager = tf.strings.to_hash_bucket_fast(words, 1000)
    assert eager.dtype == tf.int64 and eager.shape == (4, 8)
    assert eager.numpy().reshape(-1).tolist() == FAST32
    graph = tf.function(lambda s: tf.strings.to_hash_bucket_fast(s, 1000))(words)
    assert graph.numpy().reshape(-1).tolist() == FAST32
    ds = tf.data.Dataset.from_tensor_slices(WORDS32).map(lambda s: tf.strings.to_hash_bucket_fast(s, 1000))
    assert [int(v) for v in ds.as_numpy_iterator()] == FAST32


def test_strong_matches_tensorflow_eagerly_and_in_dataset_map():
    assert tf.strings.to_hash_bucket_strong(["Hello", "TF"], 3, [1, 2]).numpy().tolist() == [2, 0]
    ds = tf.data.Dataset.from_tensor_slices(["Hello", "TF"]).map(
        lambda s: tf.strings.to_hash_bucket_strong(s, 3, [1, 2])
    )
    assert [int(v) for v in ds.as_numpy_iterator()] == [2, 0]


def test_errors():
    with pytest.raises(TypeError, match="expects a string tensor, received a tensor of dtype int32"):
        tf.strings.to_hash_bucket_fast([1, 2], 3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="'num_buckets' of 0 must be at least minimum 1"):
        tf.strings.to_hash_bucket_fast(["a"], 0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Key must have 2 elements"):
        tf.strings.to_hash_bucket_strong(["a"], 3, [1])
