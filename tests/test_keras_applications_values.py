# ruff: noqa: E501
"""``keras.applications`` DenseNet121, Xception, InceptionV3 and EfficientNetB0 compute what Keras 3 computes:
with the same deterministic weights (``seeded_weights``, set in ``model.weights`` order) and the same seeded
images passed through each module's ``preprocess_input``, the logits equal Keras 3's, printed by
tests/data/make_keras3_applications_values.py (which holds the same ``seeded_weights``; EfficientNet's
Normalization mean and variance are seeded too, so its in-model preprocessing is compared)."""

import math

import numpy as np
import pytest

import ferroflow as tf

A = tf.keras.applications

CASES = {
    "DenseNet121": ("densenet", 32),
    "Xception": ("xception", 71),
    "InceptionV3": ("inception_v3", 75),
    "EfficientNetB0": ("efficientnet", 32),
}
KERAS3_LOGITS = {
    "DenseNet121": [[1.8282, 2.51634, 0.8816, -0.68628, 4.13572, 2.25123, 2.59575, 4.17498, -4.06736, 2.57525], [1.56959, 2.43675, 1.13662, -0.93722, 4.00811, 2.02358, 2.58507, 4.02458, -3.73291, 2.57087]],
    "Xception": [[664700.5625, -653789.875, -1314852.0, 719309.25, -606451.3125, -373011.40625, -374229.1875, 584556.375, -1196363.75, 427217.90625], [626462.875, -568411.8125, -1360139.0, 787171.9375, -554081.0, -355398.78125, -352314.5, 569759.9375, -1228336.125, 519422.46875]],
    "InceptionV3": [[0.64355, 0.85512, -0.98366, 0.41163, -0.12301, -0.90594, 0.48113, -0.04805, 0.72632, -0.02154], [0.65689, 0.83655, -0.98402, 0.43123, -0.10935, -0.89962, 0.49246, -0.07389, 0.75155, -0.06665]],
    "EfficientNetB0": [[-0.26555, -0.28684, 0.18344, -0.07877, -0.08312, -0.08038, -0.07068, 0.01085, -0.1362, 0.23563], [-0.26533, -0.28683, 0.17888, -0.07931, -0.08431, -0.07667, -0.06742, 0.01535, -0.13633, 0.23463]],
}  # fmt: skip


def seeded_weights(shapes: list, seed: int = 7) -> list:
    """Arrays for weights ``(leaf name, shape)``: He-scaled normal kernels (depthwise ones by their window),
    small biases, betas and means, gammas and variances in [0.5, 1.5], counts 0."""
    rng = np.random.default_rng(seed)
    out = []
    for leaf, shape in shapes:
        if leaf in ("gamma", "moving_variance", "variance"):
            a = rng.uniform(0.5, 1.5, shape)
        elif leaf in ("beta", "moving_mean", "bias", "mean"):
            a = rng.normal(0.0, 0.1, shape)
        elif leaf == "count":
            a = np.zeros(shape)
        else:
            fan_in = shape[0] * shape[1] if len(shape) == 4 and shape[3] == 1 else math.prod(shape[:-1])
            a = rng.normal(0.0, math.sqrt(2.0 / fan_in), shape)
        out.append(a)
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_logits_match_keras3_with_the_same_weights(name):
    module, size = CASES[name]
    model = getattr(A, name)(weights=None, input_shape=(size, size, 3), classes=10, classifier_activation=None)
    shapes = [(w.path.split("/")[-1], tuple(w.shape)) for w in model.weights]
    model.set_weights([a.astype(w.dtype.as_numpy_dtype) for a, w in zip(seeded_weights(shapes), model.weights)])
    images = np.random.default_rng(11).uniform(0, 255, (2, size, size, 3)).astype("float32")
    x = getattr(A, module).preprocess_input(images.copy())
    logits = model.predict(x, verbose=0)
    want = np.asarray(KERAS3_LOGITS[name])
    np.testing.assert_allclose(logits, want, rtol=1e-4, atol=2e-5 * np.abs(want).max())
