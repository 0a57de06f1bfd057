"""tf.strings.to_hash_bucket: TensorFlow's legacy Hash64 buckets (numbers from TensorFlow 2.21), eager and in
tf.function, against a Python MurmurHash64A reference on random strings."""

import numpy as np
import pytest

import ferroflow as tf

# TensorFlow 2.21: tf.strings.to_hash_bucket(STRINGS, 2**63 - 1) and (STRINGS, 7).
STRINGS = [bytes(range(65, 65 + n)) for n in range(20)] + [
    b"\x00",
    b"\xff" * 9,
    b"The quick brown fox jumps over the lazy dog" * 7,
    "é漢字🎉".encode(),
]
BIG = [
    105434511174508092, 4210367846634012331, 4171066181123936848, 1040892231911241248, 6899459234288161448,
    4143339126085387937, 4352800062517893821, 1172553262285242463, 5325815987967322760, 3083614786904143333,
    7340346331355924855, 256978818089727652, 7283469193215147949, 982596048815300826, 645178500530862776,
    4609049558289672362, 2210332857776628779, 1269221983011937616, 4604656889683328268, 2510618230522098286,
    1950187560451231046, 3844447669834742820, 8834988807200267711, 1612243380264142901,
]  # fmt: skip
SEVEN = [3, 2, 5, 0, 5, 2, 2, 3, 3, 2, 3, 2, 2, 4, 2, 6, 5, 4, 0, 2, 1, 3, 6, 2]


def murmur64(data: bytes, seed: int = 0xDECAFCAFFE) -> int:
    """TensorFlow's Hash64 (tsl/platform/hash.cc) in Python integers."""
    mask, m, r = (1 << 64) - 1, 0xC6A4A7935BD1E995, 47
    h = (seed ^ (len(data) * m)) & mask
    whole = len(data) // 8 * 8
    for i in range(0, whole, 8):
        k = int.from_bytes(data[i : i + 8], "little")
        k = (k * m) & mask
        k ^= k >> r
        k = (k * m) & mask
        h = ((h ^ k) * m) & mask
    if len(data) % 8:
        h = ((h ^ int.from_bytes(data[whole:], "little")) * m) & mask
    h ^= h >> r
    h = (h * m) & mask
    return h ^ (h >> r)


def test_matches_tensorflow_numbers():
    assert tf.strings.to_hash_bucket(STRINGS, 2**63 - 1).numpy().tolist() == BIG
    got = tf.strings.to_hash_bucket(tf.constant(STRINGS), 7)
    assert got.dtype == tf.int64
    assert got.numpy().tolist() == SEVEN


def test_python_reference_and_shapes():
    rng = np.random.default_rng(0)
    words = [bytes(rng.integers(0, 256, size=rng.integers(0, 70)).tolist()) for _ in range(200)]
    arr = np.array(words, dtype=object).reshape(10, 20)
    got = tf.strings.to_hash_bucket(tf.constant(arr), 1000).numpy()
    want = np.array([murmur64(w) % 1000 for w in words]).reshape(10, 20)
    np.testing.assert_array_equal(got, want)
    assert tf.strings.to_hash_bucket("hello", 1000).numpy() == 938  # TensorFlow 2.21


def test_inside_tf_function():
    fn = tf.function(lambda s: tf.strings.to_hash_bucket(s, 2**63 - 1))
    assert fn(tf.constant(STRINGS)).numpy().tolist() == BIG
    fn = tf.function(lambda s: tf.strings.to_hash_bucket(s, 7), input_signature=[tf.TensorSpec([None], tf.string)])
    assert fn(tf.constant(STRINGS)).numpy().tolist() == SEVEN


def test_differs_from_the_fast_bucket():
    s = tf.constant(["", "a", "hello"])
    assert tf.strings.to_hash_bucket(s, 1000).numpy().tolist() == [899, 868, 938]
    assert tf.strings.to_hash_bucket_fast(s, 1000).numpy().tolist() == [263, 939, 296]


def test_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_buckets"):
        tf.strings.to_hash_bucket(["a"], 0)
    with pytest.raises(TypeError, match="string tensor"):
        tf.strings.to_hash_bucket(tf.constant([1]), 3)
