"""What all of Keras 3's image augmentation layers added with RandomShear ... RandomGaussianBlur share: inference
behaviour and dtypes as Keras's, seeds, single images, channels-first images, Keras's config keys and round
trips, rank errors, and use inside tf.function and a compiled fit."""

import numpy as np
import pytest

import ferroflow as tf

layers = tf.keras.layers
RNG = np.random.default_rng(3)

# name -> (a layer with random draws, whether inference casts to float32 as Keras does, Keras's own config keys)
LAYERS = {
    "RandomShear": (lambda **k: layers.RandomShear(0.3, 0.2, **k), True, {"x_factor", "y_factor", "fill_mode"}),
    "RandomHue": (lambda **k: layers.RandomHue(0.5, **k), False, {"factor", "value_range", "seed"}),
    "RandomSaturation": (lambda **k: layers.RandomSaturation(0.5, **k), False, {"factor", "value_range", "seed"}),
    "RandomGrayscale": (lambda **k: layers.RandomGrayscale(0.5, **k), False, {"factor"}),
    "RandomInvert": (lambda **k: layers.RandomInvert(**k), False, {"factor", "value_range", "seed"}),
    "Solarization": (
        lambda **k: layers.Solarization(0.3, 0.6, **k),
        True,
        {"value_range", "addition_factor", "threshold_factor", "seed"},
    ),
    "RandomPosterization": (lambda **k: layers.RandomPosterization(8, **k), False, {"factor", "value_range"}),
    "RandomSharpness": (lambda **k: layers.RandomSharpness(0.8, **k), True, {"factor", "value_range", "seed"}),
    "RandomColorDegeneration": (lambda **k: layers.RandomColorDegeneration(0.5, **k), False, {"factor", "seed"}),
    "AutoContrast": (lambda **k: layers.AutoContrast(**k), None, {"value_range"}),
    "Equalization": (lambda **k: layers.Equalization(**k), False, {"bins", "value_range"}),
    "RandomColorJitter": (
        lambda **k: layers.RandomColorJitter(
            brightness_factor=0.2, contrast_factor=0.3, saturation_factor=0.4, hue_factor=0.2, **k
        ),
        False,
        {"value_range", "brightness_factor", "contrast_factor", "saturation_factor", "hue_factor", "seed"},
    ),
    "RandomPerspective": (lambda **k: layers.RandomPerspective(**k), True, {"factor", "scale", "interpolation"}),
    "RandomErasing": (lambda **k: layers.RandomErasing(**k), True, {"factor", "scale", "fill_value", "value_range"}),
    "RandomGaussianBlur": (
        lambda **k: layers.RandomGaussianBlur(kernel_size=5, **k),
        True,
        {"factor", "kernel_size", "sigma", "value_range", "seed"},
    ),
}
DETERMINISTIC = {"AutoContrast", "Equalization"}
NO_SEED = DETERMINISTIC


def make(name, **kwargs):
    if name in NO_SEED:
        kwargs.pop("seed", None)
    return LAYERS[name][0](**kwargs)


def images(batch=6, h=16, w=16):
    return (RNG.random((batch, h, w, 3)) * 255).astype("float32")


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_inference_returns_the_input_with_keras_dtypes(name):
    x = images().round()
    ints = x.astype("uint8")
    layer = make(name, seed=1)
    if name == "AutoContrast":  # always on
        np.testing.assert_array_equal(layer(x, training=False).numpy(), layer(x, training=True).numpy())
        return
    casts = LAYERS[name][1]
    out = layer(ints, training=False)
    assert out.dtype == (tf.float32 if casts else tf.uint8)
    np.testing.assert_array_equal(out.numpy(), ints)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    trained = layer(ints, training=True)
    assert trained.dtype == (tf.uint8 if name == "RandomGrayscale" else tf.float32)
    assert not np.array_equal(np.asarray(layer(np.repeat(x, 4, 0)), dtype="float32"), np.repeat(x, 4, 0))


@pytest.mark.parametrize("name", sorted(set(LAYERS) - DETERMINISTIC))
def test_seeds_repeat_the_draws_and_each_call_draws_anew(name):
    x = images()
    tf.random.set_seed(1)
    layer = make(name, seed=5)
    a, b = layer(x).numpy(), layer(x).numpy()
    assert not np.array_equal(a, b)
    tf.random.set_seed(1)
    np.testing.assert_array_equal(make(name, seed=5)(x).numpy(), a)
    tf.random.set_seed(1)
    first = make(name, seed=5, data_format="channels_first")(x.transpose(0, 3, 1, 2)).numpy()
    np.testing.assert_allclose(first.transpose(0, 2, 3, 1), a, rtol=1e-5, atol=1e-3)
    tf.random.set_seed(None)


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_a_single_image_is_a_batch_of_one(name):
    x = images(batch=1)
    tf.random.set_seed(2)
    batched = make(name, seed=7)(x).numpy()
    tf.random.set_seed(2)
    single = make(name, seed=7)(x[0]).numpy()
    tf.random.set_seed(None)
    assert single.shape == x.shape[1:]
    np.testing.assert_allclose(single, batched[0], rtol=1e-6, atol=1e-4)
    with pytest.raises(ValueError, match=r"rank 3 \(single image\) or 4 \(batch of images\)"):
        make(name)(np.zeros((2, 2, 4, 4, 3), "float32"))


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_configs_round_trip_with_keras_keys(name):
    layer = make(name, seed=3)
    config = layer.get_config()
    assert LAYERS[name][2] | {"name", "trainable", "dtype", "data_format"} <= set(config)
    rebuilt = type(layer).from_config(config)
    assert rebuilt.get_config() == config
    again = layers.deserialize(layers.serialize(layer))
    assert type(again) is type(layer) and again.get_config() == config
    assert name in dir(layers) and getattr(tf.keras.layers, name) is type(layer)


def test_every_layer_runs_in_tf_function_on_a_realistic_batch():
    x = images(batch=32, h=28, w=28)
    for name in sorted(LAYERS):
        layer = make(name, seed=4)

        @tf.function
        def augment(batch, layer=layer):
            return layer(batch, training=True)

        out = augment(x).numpy()
        assert out.shape == x.shape and np.all(np.isfinite(out)), name
        if name not in DETERMINISTIC and name != "RandomSaturation":  # saturation past 0.5 may leave [0, 255]
            assert out.min() >= -1e-3 and out.max() <= 255 + 1e-3, name
        assert not np.array_equal(out, augment(x).numpy()) or name in DETERMINISTIC, name


def test_augmentations_train_in_a_compiled_fit_and_stay_off_in_predict():
    model = tf.keras.Sequential(
        [
            tf.keras.Input((16, 16, 3)),
            layers.RandomShear(0.2, 0.2, seed=1),
            layers.RandomPerspective(factor=0.5, scale=0.3, seed=2),
            layers.RandomColorJitter(brightness_factor=0.1, contrast_factor=0.2, saturation_factor=0.3, seed=3),
            layers.RandomGrayscale(0.2, seed=4),
            layers.Solarization(0.1, 0.8, seed=5),
            layers.RandomPosterization(6, seed=6),
            layers.RandomSharpness(0.5, seed=7),
            layers.RandomGaussianBlur(0.5, seed=8),
            layers.RandomErasing(0.5, seed=9),
            layers.Equalization(),
            layers.AutoContrast(),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(4, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy")
    x = RNG.integers(0, 256, (30, 16, 16, 3)).astype("float32")
    y = RNG.integers(0, 2, 30)
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)  # the last batch has 6 images
    assert np.all(np.isfinite(history.history["loss"]))
    predicted = model.predict(x, verbose=0)
    np.testing.assert_allclose(model.predict(x, verbose=0), predicted, rtol=1e-6)
