"""``keras.applications`` models built with ``include_top=False`` and no ``input_shape``: their input is
``(None, None, 3)`` (the ZeroPadding2D layers pad axes of unknown length), and one model predicts images of
different sizes, each as a model built for that size with the same weights does."""

import numpy as np
import pytest

import ferroflow as tf

A = tf.keras.applications

BUILDERS = {
    "ResNet50": lambda **kw: A.ResNet50(weights=None, include_top=False, **kw),
    "MobileNet": lambda **kw: A.MobileNet(weights=None, include_top=False, alpha=0.25, **kw),
    "MobileNetV2": lambda **kw: A.MobileNetV2(weights=None, include_top=False, alpha=0.35, **kw),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_one_model_predicts_two_image_sizes_as_fixed_size_models_do(name):
    model = BUILDERS[name](pooling="avg")
    assert model.input_shape == (None, None, None, 3)
    rng = np.random.default_rng(0)
    for size in [(32, 32), (47, 38)]:
        fixed = BUILDERS[name](pooling="avg", input_shape=(*size, 3))
        fixed.set_weights(model.get_weights())
        x = rng.uniform(-1, 1, (2, *size, 3)).astype(np.float32)
        got = model.predict(x, verbose=0)
        assert got.shape == (2, model.output_shape[-1])
        np.testing.assert_allclose(got, fixed.predict(x, verbose=0), rtol=1e-4, atol=1e-5)


def test_feature_maps_keep_unknown_spatial_dims():
    model = BUILDERS["MobileNetV2"]()
    assert model.output_shape == (None, None, None, 1280)
    assert model.predict(np.zeros((1, 64, 96, 3), np.float32), verbose=0).shape == (1, 2, 3, 1280)
    # Keras 3 gives (1, 1, 1, 1280) here too: the paddings of an unknown size assume an even one.
    assert model.predict(np.zeros((1, 33, 33, 3), np.float32), verbose=0).shape == (1, 1, 1, 1280)
