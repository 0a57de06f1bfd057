"""Prints the Keras 3 logits that tests/test_keras_applications_values.py hard-codes (run once, with Keras 3):

python tests/data/make_keras3_applications_values.py   # in an environment with keras>=3

Each model gets the deterministic weights of ``seeded_weights`` (the same function is in the test), in the
order of ``model.weights``, and predicts logits for seeded images passed through its ``preprocess_input``.
Keras's Normalization computes with constants taken from its weights when built, adapted or finalized, so
after ``set_weights`` its ``finalize_state()`` is called (ferroflow's reads its weights at every call).
"""

from __future__ import annotations

import math

import keras
import numpy as np

CASES = {
    "DenseNet121": ("densenet", 32),
    "Xception": ("xception", 71),
    "InceptionV3": ("inception_v3", 75),
    "EfficientNetB0": ("efficientnet", 32),
}


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


def main() -> None:
    for name, (module, size) in CASES.items():
        model = getattr(keras.applications, name)(
            weights=None, input_shape=(size, size, 3), classes=10, classifier_activation=None
        )
        shapes = [(w.path.split("/")[-1], tuple(w.shape)) for w in model.weights]
        model.set_weights([a.astype(w.dtype) for a, w in zip(seeded_weights(shapes), model.weights)])
        for layer in model.layers:  # Keras's Normalization reads constants made from its weights when built
            if isinstance(layer, keras.layers.Normalization):
                layer.finalize_state()
        images = np.random.default_rng(11).uniform(0, 255, (2, size, size, 3)).astype("float32")
        x = getattr(keras.applications, module).preprocess_input(images.copy())
        logits = model.predict(x, verbose=0)
        print(f'    "{name}": {np.round(logits.astype("float64"), 5).tolist()},')


if __name__ == "__main__":
    main()
