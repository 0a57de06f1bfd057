"""``keras.layers.Hashing`` and the string hashes behind it: bucket numbers equal TensorFlow's.

The constants were computed with TensorFlow 2.21 / Keras 3.15 (``tf.strings.to_hash_bucket_fast`` /
``_strong`` and ``keras.layers.Hashing``) on the inputs written here.
"""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.layers._string_hash import fingerprint64, hash_buckets, siphash24

layers = tf.keras.layers

# strings of every length class FarmHash distinguishes (0-16, 17-32, 33-64, longer: one and several 64-byte blocks)
LENGTHS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 48, 63, 64, 65, 100, 127, 128, 129, 200, 300]
STRINGS = [bytes((7 * n + 3 * j) % 256 for j in range(n)) for n in LENGTHS]
P = 9223372036854775783  # the largest prime below 2**63: the bucket keeps almost all of the hash
FAST = [1936946117179621480, 6305636504242451570, 7152864105119027214, 3932100775781487737, 5752179089373268273,
        3555611243585752216, 1612278621365511808, 604171842543977584, 4120882356327798157, 1795053270394548916,
        7204470018129243850, 4920622502863831711, 4476374490425238512, 4172589602116063352, 8978208530310444391,
        2119790131915388923, 1703528482272464353, 8412007768013939889, 306375146106290401, 8063938528595865750,
        6772510997605860379, 2631818095221171973, 7515912188079111617, 6245321857783590223, 1368976688812847096,
        6159562113519077489]  # fmt: skip
STRONG = [267495584110546067, 7145930851254790270, 1215992543080404123, 6747655119872622193, 5756820156626600573,
          8893590319302562625, 3442907457158416017, 4912086064874524330, 206761931166803006, 4298646867772669248,
          520048280811484720, 1302770606054041158, 4484390418787897618, 1127060509961234470, 4032035558200076697,
          2657497390554431079, 5240315349661771902, 5946913320800532223, 7776330307822437490, 7125372451450147038,
          7629311139109812218, 8565659927908635805, 6441456441482282042, 2824462121942853478, 8678439771805227505,
          7236505449668476162]  # fmt: skip
WORDS = ["", "a", "hello", "TensorFlow", "ferroflow", "日本語", "the quick brown fox jumps over the lazy dog"]
WORDS10 = [3, 9, 6, 4, 6, 3, 9]
LETTERS = np.array([["A"], ["B"], ["C"], ["D"], ["E"]])
INTS = [[0], [1], [0], [2], [1], [2], [0]]  # Keras's buckets of 1, 2, 3, 4, 5, -7 and 12345678901


def test_fingerprint64_and_siphash_match_tensorflow():
    assert [fingerprint64(s) % P for s in STRINGS] == FAST
    assert [siphash24([12345, 678910], s) % P for s in STRINGS] == STRONG
    assert hash_buckets(np.array([w.encode() for w in WORDS], dtype=object), 10).tolist() == WORDS10
    # str and bytes hash alike (UTF-8), whatever the array's shape
    grid = np.array(WORDS[:6], dtype=object).reshape(2, 3)
    assert hash_buckets(grid, 10).tolist() == [WORDS10[:3], WORDS10[3:6]]


@pytest.mark.parametrize(
    "kwargs, inputs, expected",
    [
        ({"num_bins": 3}, LETTERS, [[1], [0], [1], [1], [2]]),
        ({"num_bins": 3, "mask_value": ""}, np.array([["A"], [""], ["C"], ["D"], ["E"]]), [[1], [0], [2], [2], [1]]),
        ({"num_bins": 3, "salt": 133}, LETTERS, [[0], [0], [2], [1], [0]]),
        ({"num_bins": 5, "salt": [133, 137]}, LETTERS, [[4], [0], [2], [2], [4]]),
        ({"num_bins": 3}, np.array([[1], [2], [3], [4], [5], [-7], [12345678901]]), INTS),
        ({"num_bins": 3, "mask_value": 0}, np.array([[1, 0, 2, 0]]), [[2, 0, 2, 0]]),
        ({"num_bins": 4}, np.array([[1.7, -2.5, 3.0]]), [[1, 1, 1]]),  # floats are truncated, then hashed
        ({"num_bins": 1, "mask_value": ""}, np.array([["A", ""]]), [[0, 0]]),
        ({"num_bins": 1000}, np.array(["héllo wörld", "日本語", "a long string " * 10]), [627, 783, 382]),
    ],
)
def test_hashing_int_output_matches_keras(kwargs, inputs, expected):
    out = layers.Hashing(**kwargs)(inputs)
    assert out.dtype == "int64"
    assert out.numpy().tolist() == expected


def test_hashing_encoded_outputs_match_keras():
    one_hot = layers.Hashing(num_bins=3, output_mode="one_hot")(np.array(["A", "B", "C"]))
    assert one_hot.dtype == "float32"
    np.testing.assert_array_equal(one_hot.numpy(), [[0, 1, 0], [1, 0, 0], [0, 1, 0]])
    multi = layers.Hashing(num_bins=3, output_mode="multi_hot")(np.array([["A", "B", "C", "D"]]))
    np.testing.assert_array_equal(multi.numpy(), [[1, 1, 0]])
    count = layers.Hashing(num_bins=3, output_mode="count")(np.array([["A", "B", "C", "D", "E"]]))
    np.testing.assert_array_equal(count.numpy(), [[1, 3, 1]])
    small = layers.Hashing(num_bins=2, dtype="int32")(np.array(["a"]))
    assert small.dtype == "int32" and small.numpy().tolist() == [1]


def test_hashing_in_dataset_map_and_realistic_batch():
    rng = np.random.default_rng(0)
    words = np.array([f"w{i}" for i in rng.integers(0, 500, 32 * 16)]).reshape(32, 16)
    layer = layers.Hashing(num_bins=64, salt=7)
    eager = layer(words).numpy()
    assert eager.shape == (32, 16) and eager.min() >= 0 and eager.max() < 64
    # the same word always lands in the same bin
    first = {}
    for w, b in zip(words.reshape(-1), eager.reshape(-1)):
        assert first.setdefault(w, b) == b
    ds = tf.data.Dataset.from_tensor_slices(words).batch(8).map(layer)
    assert ds.element_spec.shape.as_list() == [None, 16]
    np.testing.assert_array_equal(np.concatenate(list(ds.as_numpy_iterator())), eager)


def test_hashing_symbolic_graph_and_config():
    inputs = tf.keras.Input(shape=(1,), dtype="string")
    assert tuple(layers.Hashing(num_bins=3)(inputs).shape) == (None, 1)
    encoded = layers.Hashing(num_bins=4, output_mode="multi_hot")(inputs)
    assert tuple(encoded.shape) == (None, 4) and encoded.dtype == "float32"
    hashing = layers.Hashing(num_bins=3)  # in a traced function the hashing runs as a host call
    traced = tf.function(lambda s: hashing(s))(tf.constant(LETTERS))
    np.testing.assert_array_equal(traced.numpy(), hashing(LETTERS).numpy())
    layer = layers.Hashing(num_bins=3, salt=5, mask_value="", name="h")
    config = layer.get_config()
    assert config == {
        "name": "h",
        "trainable": True,
        "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "int64"}, "registered_name": None},
        "num_bins": 3,
        "salt": [5, 5],
        "mask_value": "",
        "output_mode": "int",
        "sparse": False,
    }
    clone = layers.Hashing.from_config(config)
    np.testing.assert_array_equal(clone(LETTERS).numpy(), layer(LETTERS).numpy())
    assert isinstance(layers.deserialize(layers.serialize(layer)), layers.Hashing)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"num_bins": 0}, "cannot be `None` or non-positive"),
        ({"num_bins": 2, "output_mode": "x"}, "Invalid value for argument `output_mode`"),
        ({"num_bins": 2, "dtype": "float32"}, "should be an integer type"),
        ({"num_bins": 2, "salt": "a"}, "can only be a tuple of size 2 integers"),
        ({"num_bins": 2, "sparse": True}, "`sparse` may only be true"),
    ],
)
def test_hashing_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.Hashing(**kwargs)
