"""``AdaptiveAveragePooling1D/2D/3D`` and ``AdaptiveMaxPooling1D/2D/3D`` against NumPy boxes built from Keras's
bin rule (bin ``i`` of ``n`` over length ``L`` is ``[floor(i L / n), ceil((i + 1) L / n))``): both data
formats, sizes that divide, that do not and that are larger than the input, float64 gradients against finite
differences, a compiled ``fit``, configs and argument errors."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

layers = tf.keras.layers
RNG = np.random.default_rng(41)
CLASSES = {
    ("average", 1): layers.AdaptiveAveragePooling1D,
    ("average", 2): layers.AdaptiveAveragePooling2D,
    ("average", 3): layers.AdaptiveAveragePooling3D,
    ("max", 1): layers.AdaptiveMaxPooling1D,
    ("max", 2): layers.AdaptiveMaxPooling2D,
    ("max", 3): layers.AdaptiveMaxPooling3D,
}


def np_adaptive(x, size, kind, channels_first=False):
    """Every output cell reduced over its own box (no separability assumed)."""
    if channels_first:
        x = np.moveaxis(x, 1, -1)
    spatial, rank = x.shape[1:-1], len(size)
    out = np.zeros((x.shape[0], *size, x.shape[-1]))
    for cell in np.ndindex(*size):
        box = tuple(slice(i * n // s, -(-(i + 1) * n // s)) for i, n, s in zip(cell, spatial, size))
        values = x[(slice(None),) + box]
        axes = tuple(range(1, rank + 1))
        out[(slice(None),) + cell] = values.mean(axis=axes) if kind == "average" else values.max(axis=axes)
    return np.moveaxis(out, -1, 1) if channels_first else out


def test_a_worked_example_of_the_bin_rule():
    x = np.array([1, 2, 3, 4, 5], "float32").reshape(1, 5, 1)  # 3 bins of 5: [0, 2), [1, 4), [3, 5)
    np.testing.assert_allclose(layers.AdaptiveAveragePooling1D(3)(x).numpy().ravel(), [1.5, 3.0, 4.5])
    np.testing.assert_allclose(layers.AdaptiveMaxPooling1D(3)(x).numpy().ravel(), [2.0, 4.0, 5.0])
    # more bins than steps: [0, 1), [0, 2), [1, 3), [2, 3), [2, 4), [3, 5), [4, 5)
    up = layers.AdaptiveAveragePooling1D(7)(x).numpy().ravel()
    np.testing.assert_allclose(up, [1.0, 1.5, 2.5, 3.0, 3.5, 4.5, 5.0])


@pytest.mark.parametrize("kind", ["average", "max"])
@pytest.mark.parametrize(
    "shape, size",
    [
        ((8, 28, 28, 16), (7, 7)),  # divides
        ((8, 28, 28, 16), (5, 5)),  # does not
        ((4, 11, 13, 3), (4, 17)),  # fewer and more bins than pixels
        ((4, 20, 6), (6,)),
        ((4, 3, 6), (5,)),
        ((2, 7, 6, 5, 3), (3, 4, 2)),
        ((2, 4, 5, 6, 2), (4, 2, 9)),
    ],
)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_values_match_the_boxes(kind, shape, size, data_format):
    x = RNG.standard_normal(shape).astype("float32")
    first = data_format == "channels_first"
    if first:
        x = np.moveaxis(x, -1, 1).copy()
    layer = CLASSES[kind, len(size)](size, data_format=data_format)
    y = layer(x)
    want = np_adaptive(x, size, kind, first)
    assert y.shape == want.shape == layer.compute_output_shape(x.shape)
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kind", ["average", "max"])
@pytest.mark.parametrize("shape, size", [((2, 7, 3), (3,)), ((2, 5, 7, 2), (3, 2)), ((1, 4, 5, 3, 2), (3, 2, 2))])
def test_gradients_match_finite_differences(kind, shape, size):
    x = RNG.standard_normal(shape)  # distinct values: no ties for the maximum
    layer = CLASSES[kind, len(size)](size, dtype="float64")
    check_gradient(layer, x, rtol=1e-6, atol=1e-8)
    traced = tf.function(lambda t: layer(t))
    np.testing.assert_allclose(traced(tf.constant(x)).numpy(), np_adaptive(x, size, kind), rtol=1e-12)


def test_they_train_in_a_compiled_fit():
    tf.keras.utils.set_random_seed(4)
    inputs = tf.keras.Input((28, 28, 1))
    h = layers.Conv2D(4, 3, activation="relu")(inputs)
    avg = layers.Flatten()(layers.AdaptiveAveragePooling2D(5)(h))
    top = layers.Flatten()(layers.AdaptiveMaxPooling2D((3, 4))(h))
    model = tf.keras.Model(inputs, layers.Dense(1)(layers.Concatenate()([avg, top])))
    assert model.output_shape == (None, 1)
    model.compile(tf.keras.optimizers.Adam(0.01), "mse")
    x = RNG.random((64, 28, 28, 1)).astype("float32")
    y = x[:, :14].mean(axis=(1, 2, 3))[:, None] * 4 - x[:, 14:].max(axis=(1, 2, 3))[:, None]
    before = model.evaluate(x, y, verbose=0)
    history = model.fit(x, y, batch_size=16, epochs=10, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert model.evaluate(x, y, verbose=0) < 0.5 * before


def test_configs_round_trip_with_keras_keys():
    for (_, rank), cls in CLASSES.items():
        layer = cls(3, data_format="channels_first")
        config = layer.get_config()
        assert set(config) == {"name", "trainable", "dtype", "output_size", "data_format"}
        assert config["output_size"] == (3,) * rank and config["data_format"] == "channels_first"
        assert cls.from_config(config).get_config() == config
        assert type(layers.deserialize(layers.serialize(layer))) is cls
    assert layers.AdaptiveAveragePooling2D([4, 5]).output_size == (4, 5)
    assert layers.AdaptiveMaxPooling1D([6]).output_size == (6,)
    assert layers.AdaptiveMaxPooling3D(2).compute_output_shape((None, 9, 9, 9, 4)) == (None, 2, 2, 2, 4)


def test_argument_and_input_errors():
    with pytest.raises(TypeError, match=r"integer or \(height, width\) tuple. Received: \(3, 3, 3\)"):
        layers.AdaptiveAveragePooling2D((3, 3, 3))
    with pytest.raises(TypeError, match=r"\(depth, height, width\) tuple. Received: 2.0"):
        layers.AdaptiveMaxPooling3D(2.0)
    with pytest.raises(TypeError, match="integer or tuple of 1 integer"):
        layers.AdaptiveMaxPooling1D("4")
    with pytest.raises(ValueError, match="For 1D input, `output_size` tuple must have length 1"):
        layers.AdaptiveAveragePooling1D((2, 2))
    with pytest.raises(ValueError, match="positive integers. Received: output_size=0"):
        layers.AdaptiveAveragePooling2D(0)
    with pytest.raises(ValueError, match="Invalid data_format: xx"):
        layers.AdaptiveMaxPooling2D(2, data_format="xx")
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        layers.AdaptiveMaxPooling2D(2)(np.zeros((1, 3, 3), "float32"))
    with pytest.raises(ValueError, match="statically known"):
        layers.AdaptiveAveragePooling2D(2)(tf.keras.Input((None, None, 3)))
