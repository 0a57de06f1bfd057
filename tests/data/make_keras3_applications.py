"""Writes the Keras-3-made fixtures that tests/test_keras_applications_parity.py reads (run once, with Keras 3).

KERAS_BACKEND=jax python tests/data/make_keras3_applications.py   # in an environment with keras>=3 and h5py

* ``keras3/mobilenet_025_32.weights.h5``: ``keras.applications.MobileNet(alpha=0.25, input_shape=(32, 32, 3),
  classes=10, weights=None)`` with seeded random weights (the BatchNormalization moving statistics too, so
  inference-mode normalization is exercised), 221,114 parameters (MobileNetV2 at alpha=0.35, 423,018
  parameters, would make a file over 2 MB);
* ``keras3/applications.npz``: ``images`` (4x32x32x3 float32 in [0, 255]), ``probs`` (the model's predictions
  on ``mobilenet.preprocess_input(images)``), and Keras's ``imagenet_utils.preprocess_input`` of ``images[:2]``
  in each mode and data format (``caffe_last``, ``tf_last``, ``torch_last``, ``caffe_first``, ``torch_first``).
"""

from __future__ import annotations

import os

import keras
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "keras3")
SEED = 2024


def main() -> None:
    keras.utils.set_random_seed(SEED)
    rng = np.random.default_rng(SEED)
    model = keras.applications.MobileNet(alpha=0.25, input_shape=(32, 32, 3), classes=10, weights=None)
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            gamma, beta, mean, var = layer.get_weights()
            layer.set_weights(
                [
                    rng.uniform(0.5, 1.5, gamma.shape).astype("float32"),
                    rng.normal(0.0, 0.1, beta.shape).astype("float32"),
                    rng.normal(0.0, 0.1, mean.shape).astype("float32"),
                    rng.uniform(0.5, 1.5, var.shape).astype("float32"),
                ]
            )
    model.save_weights(os.path.join(OUT, "mobilenet_025_32.weights.h5"))
    images = rng.uniform(0, 255, (4, 32, 32, 3)).astype("float32")
    probs = model.predict(keras.applications.mobilenet.preprocess_input(images.copy()), verbose=0)
    pre = keras.applications.imagenet_utils.preprocess_input
    small = images[:2]
    first = np.ascontiguousarray(np.transpose(small, (0, 3, 1, 2)))
    np.savez_compressed(
        os.path.join(OUT, "applications.npz"),
        images=images,
        probs=probs,
        caffe_last=pre(small.copy(), data_format="channels_last", mode="caffe"),
        tf_last=pre(small.copy(), data_format="channels_last", mode="tf"),
        torch_last=pre(small.copy(), data_format="channels_last", mode="torch"),
        caffe_first=pre(first.copy(), data_format="channels_first", mode="caffe"),
        torch_first=pre(first.copy(), data_format="channels_first", mode="torch"),
    )
    print(model.count_params(), probs.shape)


if __name__ == "__main__":
    main()
