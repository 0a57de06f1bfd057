"""The random geometric augmentation layers (RandomRotation, RandomZoom, RandomTranslation, RandomCrop,
RandomBrightness): exact cases, parameter ranges measured from the outputs, training-only behaviour, seeds,
configs, argument errors and use inside a compiled ``fit``."""

import numpy as np
import pytest

import ferroflow as tf

layers = tf.keras.layers
RNG = np.random.default_rng(11)


# -- exact cases of the layers -------------------------------------------------------------------------------
def test_rotation_by_a_quarter_turn_is_rot90():
    x = RNG.random((8, 32, 32, 3)).astype("float32") * 255
    left = layers.RandomRotation((0.25, 0.25))(x).numpy()  # the drawn angle is exactly 90 degrees
    np.testing.assert_allclose(left, np.rot90(x, k=1, axes=(1, 2)), atol=2e-3)
    right = layers.RandomRotation((-0.25, -0.25), interpolation="nearest")(x).numpy()
    np.testing.assert_array_equal(right, np.rot90(x, k=-1, axes=(1, 2)))
    first = layers.RandomRotation((0.25, 0.25), interpolation="nearest", data_format="channels_first")
    np.testing.assert_array_equal(
        first(x.transpose(0, 3, 1, 2)).numpy(), np.rot90(x, axes=(1, 2)).transpose(0, 3, 1, 2)
    )
    one = layers.RandomRotation((0.5, 0.5), interpolation="nearest")(x[0]).numpy()
    np.testing.assert_array_equal(one, x[0, ::-1, ::-1])


def test_translation_by_whole_pixels_is_a_shift_with_the_fill():
    x = RNG.random((4, 32, 32, 3)).astype("float32") * 255
    # down by 8 rows (0.25 * 32), left by 4 columns (-0.125 * 32)
    shift = {"height_factor": (0.25, 0.25), "width_factor": (-0.125, -0.125)}
    constant = layers.RandomTranslation(**shift, fill_mode="constant", fill_value=-1.0)(x).numpy()
    want = np.full_like(x, -1.0)
    want[:, 8:, :28] = x[:, :24, 4:]
    np.testing.assert_array_equal(constant, want)
    wrapped = layers.RandomTranslation(**shift, fill_mode="wrap", interpolation="nearest")(x).numpy()
    np.testing.assert_array_equal(wrapped, np.roll(x, (8, -4), axis=(1, 2)))
    nearest = layers.RandomTranslation(**shift, fill_mode="nearest")(x).numpy()
    padded = np.pad(x, ((0, 0), (8, 0), (0, 4), (0, 0)), mode="edge")
    np.testing.assert_array_equal(nearest, padded[:, :32, 4:])
    reflected = layers.RandomTranslation(**shift, fill_mode="reflect")(x).numpy()
    padded = np.pad(x, ((0, 0), (8, 0), (0, 4), (0, 0)), mode="symmetric")  # d c b a | a b c d
    np.testing.assert_array_equal(reflected, padded[:, :32, 4:])


def test_zoom_of_factor_zero_and_inference_are_the_identity():
    x = RNG.random((4, 16, 12, 3)).astype("float32") * 255
    np.testing.assert_array_equal(layers.RandomZoom(0.0)(x).numpy(), x)
    np.testing.assert_array_equal(layers.RandomZoom(0.0, 0.0, interpolation="nearest")(x).numpy(), x)
    for layer in [
        layers.RandomRotation(0.3, seed=1),
        layers.RandomZoom(0.5, seed=1),
        layers.RandomTranslation(0.3, 0.3, seed=1),
        layers.RandomBrightness(0.5, seed=1),
    ]:
        np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
        assert not np.array_equal(layer(x, training=True).numpy(), x)
    ints = layers.RandomRotation(0.3)(x.astype("uint8"), training=False)
    assert ints.dtype == tf.float32


def test_random_crop_windows_while_training_and_identity_at_inference():
    x = RNG.random((8, 20, 24, 3)).astype("float32")
    crop = layers.RandomCrop(10, 12, seed=2)
    out = crop(x).numpy()
    assert out.shape == (8, 10, 12, 3)
    # one window for the whole batch, as Keras 3.15 draws one (top, left) per call
    matches = [(t, s) for t in range(11) for s in range(13) if np.array_equal(out, x[:, t : t + 10, s : s + 12])]
    assert len(matches) == 1
    # at inference Keras 3.15 returns the images as they are: size and dtype (its compute_output_shape still
    # gives the crop's size)
    np.testing.assert_array_equal(crop(x, training=False).numpy(), x)
    ints = crop(x.astype("int32"), training=False)
    assert ints.dtype == tf.int32 and ints.shape == (8, 20, 24, 3)
    chw = layers.RandomCrop(10, 12, data_format="channels_first")(x.transpose(0, 3, 1, 2), training=False)
    np.testing.assert_array_equal(chw.numpy(), x.transpose(0, 3, 1, 2))
    np.testing.assert_array_equal(layers.RandomCrop(20, 24)(x).numpy(), x)
    first = layers.RandomCrop(10, 12, data_format="channels_first")(x.transpose(0, 3, 1, 2))
    assert first.shape == (8, 3, 10, 12)
    assert layers.RandomCrop(10, 12)(x[0]).shape == (10, 12, 3)
    assert crop.compute_output_shape((None, 20, 24, 3)) == (None, 10, 12, 3)


def test_random_crop_without_room_in_both_dimensions_takes_keras_fixed_window():
    """Keras 3.15 draws a position only when the image is larger than the window in height AND width; else
    it starts at the largest centred window of the target's aspect ratio (top = (h - crop_h) // 2 with
    crop_h = min(h, w * height // width), likewise left), slices height x width from there (the image's
    edge may cut it short) and resizes what it got to height x width."""
    x = RNG.random((4, 20, 24, 3)).astype("float32")
    # larger: crop_h = 20, crop_w = 20, start (0, 2): the slice [0:30, 2:32] is 20 x 22, resized
    small = layers.RandomCrop(30, 30, seed=1)(x).numpy()
    np.testing.assert_allclose(small, tf.image.resize(x[:, :, 2:24], [30, 30]).numpy(), rtol=1e-5, atol=1e-6)
    # the height equal, the width larger: crop_w = 12, start (0, 6), no draw and no resize
    for _ in range(3):
        np.testing.assert_array_equal(layers.RandomCrop(20, 12)(x).numpy(), x[:, :, 6:18])
    # taller than the image, narrower: crop_h = min(20, 24 * 40 // 10) = 20, crop_w = 5, start (0, 9):
    # the slice [0:40, 9:19] is 20 x 10, resized to 40 x 10
    tall = layers.RandomCrop(40, 10)(x[0]).numpy()
    np.testing.assert_allclose(tall, tf.image.resize(x[0, :, 9:19], [40, 10]).numpy(), rtol=1e-5, atol=1e-6)
    chw = layers.RandomCrop(20, 12, data_format="channels_first")(x.transpose(0, 3, 1, 2)).numpy()
    np.testing.assert_array_equal(chw, x[:, :, 6:18].transpose(0, 3, 1, 2))
    ints = layers.RandomCrop(30, 30)(x.astype("uint8"))
    assert ints.dtype == tf.float32 and ints.shape == (4, 30, 30, 3)


def test_random_crop_draws_a_new_batch_position_each_step_inside_tf_function():
    x = np.broadcast_to(coordinates(1, 16, 16), (3, 16, 16, 2)).copy()
    crop = layers.RandomCrop(6, 5, seed=4)

    @tf.function
    def step(images):
        return crop(images, training=True)

    seen = set()
    for _ in range(40):
        out = step(x).numpy()
        assert out.shape == (3, 6, 5, 2)
        np.testing.assert_array_equal(out, out[:1].repeat(3, axis=0))  # the same window for each image
        left, top = int(out[0, 0, 0, 0]), int(out[0, 0, 0, 1])
        np.testing.assert_array_equal(out[0], x[0, top : top + 6, left : left + 5])
        seen.add((top, left))
    assert len(seen) > 10


# -- parameters measured from the outputs --------------------------------------------------------------------
def coordinates(batch, h, w):
    """Images whose two channels are each pixel's column and row: bilinear sampling of them reads back the
    input coordinates a transform used at each output pixel."""
    ys, xs = np.meshgrid(np.arange(h, dtype="float32"), np.arange(w, dtype="float32"), indexing="ij")
    return np.broadcast_to(np.stack([xs, ys], -1), (batch, h, w, 2)).copy()


def test_drawn_parameters_stay_in_their_ranges_and_differ_per_image():
    n, c = 256, 16  # a 33 x 33 image has its centre at pixel 16
    grid = coordinates(n, 33, 33)
    out = layers.RandomRotation((-0.1, 0.2), fill_mode="nearest", seed=3)(grid).numpy()
    cos, sin = out[:, c, c + 1, 0] - out[:, c, c, 0], out[:, c, c + 1, 1] - out[:, c, c, 1]
    degrees = np.degrees(np.arctan2(sin, cos))
    assert degrees.min() >= -36 - 1e-3 and degrees.max() <= 72 + 1e-3
    assert degrees.min() < -30 and degrees.max() > 65 and len(np.unique(degrees.round(3))) > 200
    np.testing.assert_allclose(out[:, c, c], 16.0, atol=1e-3)  # about the centre

    out = layers.RandomZoom((-0.3, 0.4), seed=4)(grid).numpy()
    zoom_w, zoom_h = out[:, c, c + 1, 0] - out[:, c, c, 0], out[:, c + 1, c, 1] - out[:, c, c, 1]
    np.testing.assert_allclose(zoom_w, zoom_h, atol=1e-5)  # no width_factor: the aspect ratio is kept
    assert zoom_h.min() >= 0.7 - 1e-5 and zoom_h.max() <= 1.4 + 1e-5 and np.ptp(zoom_h) > 0.6
    out = layers.RandomZoom(0.2, (0.5, 0.5), seed=5)(grid).numpy()
    zoom_w, zoom_h = out[:, c, c + 1, 0] - out[:, c, c, 0], out[:, c + 1, c, 1] - out[:, c, c, 1]
    np.testing.assert_allclose(zoom_w, 1.5, atol=1e-5)
    assert zoom_h.min() >= 0.8 - 1e-5 and zoom_h.max() <= 1.2 + 1e-5 and np.ptp(zoom_h) > 0.3

    out = layers.RandomTranslation((-0.2, 0.1), 0.3, fill_mode="nearest", seed=6)(grid).numpy()
    dx, dy = c - out[:, c, c, 0], c - out[:, c, c, 1]  # the output's centre came from (c - dx, c - dy)
    assert dy.min() >= -0.2 * 33 - 1e-3 and dy.max() <= 0.1 * 33 + 1e-3 and np.ptp(dy) > 8
    assert dx.min() >= -0.3 * 33 - 1e-3 and dx.max() <= 0.3 * 33 + 1e-3 and np.ptp(dx) > 17

    crop = layers.RandomCrop(20, 25, seed=7)
    corners = np.array([crop(grid[:2]).numpy()[:, 0, 0] for _ in range(200)])  # one draw per call
    assert np.all(corners[:, 0] == corners[:, 1])
    left, top = corners[:, 0, 0], corners[:, 0, 1]
    assert set(top) == set(range(14)) and set(left) == set(range(9))  # every offset, and only those

    flat = np.full((n, 4, 4, 1), 100.0, "float32")
    delta = layers.RandomBrightness((-0.1, 0.3), seed=8)(flat).numpy() - 100.0
    assert np.all(delta == delta[:, :1, :1])  # one delta per image
    assert delta.min() >= -25.5 - 1e-3 and delta.max() <= 76.5 + 1e-3 and np.ptp(delta) > 80
    clipped = layers.RandomBrightness(1.0, value_range=(0, 1), seed=9)(flat / 100.0).numpy()
    assert clipped.min() >= 0.0 and clipped.max() <= 1.0


def test_seeds_make_draws_repeatable():
    x = RNG.random((6, 16, 16, 3)).astype("float32") * 255
    for make in [
        lambda: layers.RandomRotation(0.2, seed=5),
        lambda: layers.RandomZoom(0.3, seed=5),
        lambda: layers.RandomTranslation(0.2, 0.2, seed=5),
        lambda: layers.RandomCrop(8, 8, seed=5),
        lambda: layers.RandomBrightness(0.3, seed=5),
    ]:
        tf.random.set_seed(1)
        layer = make()
        a, b = layer(x).numpy(), layer(x).numpy()
        assert not np.array_equal(a, b)  # a new draw each call
        tf.random.set_seed(1)
        np.testing.assert_array_equal(make()(x).numpy(), a)
    tf.random.set_seed(1)
    first = layers.RandomRotation(0.2, seed=5, data_format="channels_first")(x.transpose(0, 3, 1, 2)).numpy()
    tf.random.set_seed(1)
    last = layers.RandomRotation(0.2, seed=5)(x).numpy()
    np.testing.assert_allclose(first.transpose(0, 2, 3, 1), last, rtol=1e-6, atol=1e-4)
    tf.random.set_seed(None)


# -- configs, errors and training ------------------------------------------------------------------------------
def test_configs_round_trip_with_keras_keys():
    made = [
        layers.RandomRotation(0.1, fill_mode="constant", fill_value=1.0, seed=3),
        layers.RandomZoom((-0.2, 0.3), 0.1, interpolation="nearest"),
        layers.RandomTranslation(0.1, (-0.2, 0.1), fill_mode="wrap", data_format="channels_first"),
        layers.RandomCrop(10, 12, seed=4),
        layers.RandomBrightness((-0.2, 0.1), value_range=(1, 0)),
    ]
    for layer in made:
        config = layer.get_config()
        assert type(layer).from_config(config).get_config() == config
    rotation, zoom, translation, crop, brightness = (m.get_config() for m in made)
    assert rotation["factor"] == (-0.1, 0.1) and rotation["fill_value"] == 1.0
    geometric = {"fill_mode", "interpolation", "seed", "fill_value", "data_format"}
    assert geometric | {"factor"} <= set(rotation)
    assert geometric | {"height_factor", "width_factor"} <= set(zoom) and zoom["height_factor"] == (-0.2, 0.3)
    assert translation["width_factor"] == (-0.2, 0.1) and translation["data_format"] == "channels_first"
    assert {"height", "width", "seed", "data_format"} <= set(crop)
    assert brightness["factor"] == (-0.2, 0.1) and brightness["value_range"] == [0, 1]


def test_bad_arguments_name_what_was_expected_and_received():
    with pytest.raises(ValueError, match=r"factor.*\[-1, 1\].*Received: factor=1.5"):
        layers.RandomRotation(1.5)
    with pytest.raises(ValueError, match="Received: factor=.0.1, 0.2, 0.3"):
        layers.RandomRotation((0.1, 0.2, 0.3))
    with pytest.raises(ValueError, match=r"\(-1.0, 1.0\].*Received: height_factor=-1.0"):
        layers.RandomZoom(-1.0)
    with pytest.raises(ValueError, match="Received: width_factor=.0.1, 1.2"):
        layers.RandomZoom(0.1, (0.1, 1.2))
    with pytest.raises(ValueError, match=r"\[-1.0, 1.0\].*Received: width_factor=2"):
        layers.RandomTranslation(0.1, 2)
    with pytest.raises(
        ValueError, match=r"fill_mode.*'reflect', 'wrap', 'constant', 'nearest'.*Received: fill_mode=mirror"
    ):
        layers.RandomRotation(0.1, fill_mode="mirror")
    with pytest.raises(ValueError, match="interpolation.*Received: interpolation=bicubic"):
        layers.RandomZoom(0.1, interpolation="bicubic")
    with pytest.raises(ValueError, match="fill_mode.*Received: fill_mode=edge"):
        layers.RandomTranslation(0.1, 0.1, fill_mode="edge")
    with pytest.raises(ValueError, match="Received: factor=-2"):
        layers.RandomBrightness(-2)
    with pytest.raises(ValueError, match="value_range.*Received: value_range=5"):
        layers.RandomBrightness(0.1, value_range=5)


def test_augmentations_train_in_a_compiled_fit_step_and_not_in_predict():
    model = tf.keras.Sequential(
        [
            tf.keras.Input((16, 16, 3)),
            layers.RandomRotation(0.1, seed=1),
            layers.RandomZoom(0.2, seed=2),
            layers.RandomTranslation(0.1, 0.1, fill_mode="constant", seed=3),
            layers.RandomBrightness(0.1, seed=4),
            layers.RandomCrop(12, 12, seed=5),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(4, 3, activation="relu"),
            # RandomCrop passes the 16 x 16 images unchanged at inference (as in Keras 3.15): a global
            # pooling takes both sizes, where Flatten + Dense would not
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x = RNG.integers(0, 256, (30, 16, 16, 3)).astype("float32")
    y = RNG.integers(0, 2, 30)
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)  # the last batch has 6 images
    assert np.all(np.isfinite(history.history["loss"]))
    assert model.output_shape == (None, 2)
    predicted = model.predict(x, verbose=0)
    assert predicted.shape == (30, 2)
    np.testing.assert_allclose(model.predict(x, verbose=0), predicted)
    assert np.isfinite(model.evaluate(x, y, verbose=0)[0])
