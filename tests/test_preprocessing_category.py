"""``CategoryEncoding`` and ``Discretization``: outputs, adapt and configs against Keras 3.15.

Expected values were computed with Keras 3.15 (TensorFlow backend) on the inputs written here; the graph
paths (``tf.function``, ``Dataset.map``) must give the eager results.
"""

import numpy as np
import pytest

import ferroflow as tf

layers = tf.keras.layers

CASES = {
    "rank1": np.array([1, 2, 2]),
    "rank0": np.array(3),
    "rank2": np.array([[1, 2, 2], [0, 3, 3]]),
    "rank2x1": np.array([[1], [3]]),
    "too_big": np.array([[1, 5]]),
    "rank3": np.array([[[1, 2], [0, 0]], [[3, 3], [1, 0]]]),
    "floats": np.array([[1.0, 2.0]]),
}
KERAS = {
    "one_hot": {
        "rank1": [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 0]],
        "rank0": [[0, 0, 0, 1]],
        "rank2": [[[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 0]], [[1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 1]]],
        "rank2x1": [[0, 1, 0, 0], [0, 0, 0, 1]],
        "too_big": [[[0, 1, 0, 0], [0, 0, 0, 0]]],
        "rank3": [
            [[[0, 1, 0, 0], [0, 0, 1, 0]], [[1, 0, 0, 0], [1, 0, 0, 0]]],
            [[[0, 0, 0, 1], [0, 0, 0, 1]], [[0, 1, 0, 0], [1, 0, 0, 0]]],
        ],
        "floats": [[[0, 1, 0, 0], [0, 0, 1, 0]]],
    },
    "multi_hot": {
        "rank1": [0, 1, 1, 0],
        "rank0": [0, 0, 0, 1],
        "rank2": [[0, 1, 1, 0], [1, 0, 0, 1]],
        "rank2x1": [[0, 1, 0, 0], [0, 0, 0, 1]],
        "too_big": [[0, 1, 0, 0]],
        "rank3": [[[1, 1, 0, 0], [1, 0, 1, 0]], [[0, 1, 0, 1], [1, 0, 0, 1]]],
        "floats": [[0, 1, 1, 0]],
    },
    "count": {
        "rank1": [0, 1, 2, 0],
        "rank0": [0, 0, 0, 1],
        "rank2": [[0, 1, 2, 0], [1, 0, 0, 2]],
        "rank2x1": [[0, 1, 0, 0], [0, 0, 0, 1]],
        "too_big": [[0, 1, 0, 0]],
        "rank3": [[[1, 1, 0, 0], [1, 0, 1, 0]], [[0, 1, 0, 1], [1, 0, 0, 1]]],
        "floats": [[0, 1, 1, 0]],
    },
}


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_category_encoding_matches_keras_eager_and_in_graphs(mode, case):
    layer = layers.CategoryEncoding(num_tokens=4, output_mode=mode)
    x = CASES[case]
    eager = layer(x)
    assert eager.dtype == "float32"
    np.testing.assert_array_equal(eager.numpy(), KERAS[mode][case])
    np.testing.assert_array_equal(tf.function(lambda t: layer(t))(tf.constant(x)).numpy(), KERAS[mode][case])
    mapped = tf.data.Dataset.from_tensors(x).map(layer)
    np.testing.assert_array_equal(next(iter(mapped.as_numpy_iterator())), KERAS[mode][case])


def test_category_encoding_count_weights_negative_values_and_shapes():
    layer = layers.CategoryEncoding(4, output_mode="count")
    x, w = np.array([[1, 2, 2], [0, 3, 3]]), np.array([[0.5, 1, 2], [1, 1, 3]])
    want = [[0.0, 0.5, 3.0, 0.0], [1.0, 0.0, 0.0, 4.0]]
    np.testing.assert_allclose(layer(x, count_weights=w).numpy(), want)
    graph = tf.function(lambda a, b: layer(a, count_weights=b))
    np.testing.assert_allclose(graph(tf.constant(x), tf.constant(w)).numpy(), want)
    np.testing.assert_allclose(layer(np.array([1, 2, 2]), count_weights=np.array([0.5, 1, 2])).numpy(), want[0])
    with pytest.raises(ValueError, match="`count_weights` is not used"):
        layers.CategoryEncoding(4)(np.array([1]), count_weights=np.array([1.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="non-negative"):  # TensorFlow's bincount refuses them
        layers.CategoryEncoding(4)(np.array([[1, -1]]))
    assert layers.CategoryEncoding(4, "one_hot").compute_output_shape((None, 1)) == (None, 4)
    assert layers.CategoryEncoding(4, "one_hot").compute_output_shape((None, 3)) == (None, 3, 4)
    assert layers.CategoryEncoding(4).compute_output_shape((None, 3)) == (None, 4)
    assert layers.CategoryEncoding(4, dtype="int32")(np.array([[1]])).dtype == "int32"
    # a realistic batch: 32 examples of 20 categories out of 50, counted against np.bincount
    rng = np.random.default_rng(1)
    batch = rng.integers(0, 50, (32, 20))
    counts = layers.CategoryEncoding(50, output_mode="count")(batch).numpy()
    np.testing.assert_array_equal(counts, [np.bincount(row, minlength=50) for row in batch])
    sparse = layers.CategoryEncoding(50, output_mode="count", sparse=True)(batch)
    np.testing.assert_array_equal(tf.sparse.to_dense(sparse).numpy(), counts)


def test_category_encoding_config_symbolic_and_errors():
    layer = layers.CategoryEncoding(num_tokens=4, output_mode="binary", name="ce")
    assert layer.output_mode == "multi_hot"
    config = layer.get_config()
    assert config == {
        "name": "ce",
        "trainable": True,
        "dtype": {
            "module": "keras",
            "class_name": "DTypePolicy",
            "config": {"name": "float32"},
            "registered_name": None,
        },
        "num_tokens": 4,
        "output_mode": "multi_hot",
    }
    assert layers.CategoryEncoding.from_config(config).num_tokens == 4
    out = layers.CategoryEncoding(4)(tf.keras.Input(shape=(3,), dtype="int32"))
    assert tuple(out.shape) == (None, 4)
    with pytest.raises(ValueError, match="num_tokens must be set"):
        layers.CategoryEncoding()
    with pytest.raises(ValueError, match=r"`num_tokens` must be >= 1"):
        layers.CategoryEncoding(0)
    with pytest.raises(ValueError, match="Unknown arg for output_mode: x"):
        layers.CategoryEncoding(3, output_mode="x")


def test_discretization_with_boundaries_matches_keras():
    x = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]])
    layer = layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    out = layer(x)
    assert out.dtype == "int32"
    np.testing.assert_array_equal(out.numpy(), [[0, 2, 3, 1], [1, 3, 2, 1]])
    np.testing.assert_array_equal(tf.function(lambda t: layer(t))(tf.constant(x)).numpy(), out.numpy())
    edges = layers.Discretization(bin_boundaries=[0.0, 1.0])
    special = np.array([np.nan, np.inf, -np.inf])
    np.testing.assert_array_equal(edges(special).numpy(), [2, 2, 0])  # NaN lands past the last boundary
    np.testing.assert_array_equal(tf.function(lambda t: edges(t))(tf.constant(special)).numpy(), [2, 2, 0])
    ints = layers.Discretization(bin_boundaries=[1, 3])(np.array([0, 1, 2, 3, 4]))
    np.testing.assert_array_equal(ints.numpy(), [0, 1, 1, 2, 2])
    row = np.array([[-1.5, 1.0, 3.4, 0.5, 0.7]])
    np.testing.assert_array_equal(
        layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0], output_mode="one_hot")(row[0, :4]).numpy(),
        [[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 1, 0, 0]],
    )
    multi = layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0], output_mode="multi_hot")
    np.testing.assert_array_equal(multi(row).numpy(), [[1, 1, 1, 1]])
    count = layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0], output_mode="count")
    assert count(row).dtype == "float32"
    np.testing.assert_array_equal(count(row).numpy(), [[1, 2, 1, 1]])
    np.testing.assert_array_equal(tf.function(lambda t: count(t))(tf.constant(row)).numpy(), [[1, 2, 1, 1]])
    # a realistic batch against np.digitize
    data = np.random.default_rng(2).standard_normal((32, 28, 28)).astype("float32")
    bounds = [-1.0, -0.25, 0.0, 0.5, 1.5]
    np.testing.assert_array_equal(layers.Discretization(bin_boundaries=bounds)(data).numpy(), np.digitize(data, bounds))


def test_discretization_adapt_matches_keras():
    small = layers.Discretization(num_bins=4, epsilon=0.01)
    small.adapt(np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]))
    np.testing.assert_allclose(small.bin_boundaries, [0.0, 0.5, 1.2999999523162842], rtol=1e-7)
    big = np.round(np.random.default_rng(0).standard_normal((1000, 3)), 3).astype("float32")
    whole = layers.Discretization(num_bins=5)
    whole.adapt(big)
    np.testing.assert_allclose(
        whole.bin_boundaries, [-0.8740003705024719, -0.3150004744529724, 0.2229994386434555, 0.8059995770454407]
    )
    batched = layers.Discretization(num_bins=5, epsilon=0.1)
    batched.adapt(tf.data.Dataset.from_tensor_slices(big).batch(300))
    np.testing.assert_allclose(
        batched.bin_boundaries, [-0.8040000200271606, -0.26600003242492676, 0.27299994230270386, 0.8389999270439148]
    )
    layer = layers.Discretization(num_bins=3, name="d")
    layer.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    config = layer.get_config()
    assert config == {
        "bin_boundaries": [2.0, 4.0],
        "num_bins": 3,
        "epsilon": 0.01,
        "output_mode": "int",
        "sparse": False,
        "name": "d",
        "dtype": "float32",
    }
    clone = layers.Discretization.from_config(config)
    assert clone.bin_boundaries == [2.0, 4.0] and clone.num_bins == 3
    np.testing.assert_array_equal(clone(np.array([1.5, 3.0, 5.0])).numpy(), [0, 1, 2])


def test_discretization_shapes_symbolic_and_errors():
    one_hot = layers.Discretization(bin_boundaries=[1.0], output_mode="one_hot")
    assert one_hot.compute_output_shape((None, 3)) == (None, 3, 2)
    count = layers.Discretization(bin_boundaries=[1.0], output_mode="count")
    assert count.compute_output_shape((None, 3)) == (None, 2)
    assert count.compute_output_shape((None, 3, 4)) == (None, 4, 2)
    out = layers.Discretization(bin_boundaries=[0.0, 1.0])(tf.keras.Input(shape=(5,)))
    assert tuple(out.shape) == (None, 5) and out.dtype == "int32"
    with pytest.raises(ValueError, match="Both `num_bins` and `bin_boundaries`"):
        layers.Discretization(bin_boundaries=[0.0], num_bins=2)
    with pytest.raises(ValueError, match="You need to set either"):
        layers.Discretization()
    with pytest.raises(ValueError, match="greater than or equal to 0"):
        layers.Discretization(num_bins=-1)
    with pytest.raises(ValueError, match="`sparse=True` may only be used"):
        layers.Discretization(num_bins=2, sparse=True)
    with pytest.raises(ValueError, match="Cannot adapt a Discretization layer"):
        layers.Discretization(bin_boundaries=[1.0]).adapt([1.0])
    with pytest.raises(ValueError, match="call `adapt"):
        layers.Discretization(num_bins=3)(np.array([1.0]))
    with pytest.raises(ValueError, match="Unknown value for `output_mode`"):
        layers.Discretization(num_bins=3, output_mode="tf_idf")
