"""Trains a small MNIST classifier and saves it as a SavedModel for cpp_inference (and writes its predictions).

    FERROFLOW_DATASETS=../shared/datasets python examples/cpp_inference/export_model.py --dir /tmp/mnist_model \
        [--epochs 1] [--train-images 60000] [--predictions /tmp/predict.npy]

The model is Flatten -> Dense(128, relu) -> Dense(10, softmax) on 28x28 images scaled to [0, 1]; its
``serving_default`` signature takes ``inputs`` (None, 28, 28) float32 and returns (None, 10) probabilities.
``--predictions`` saves ``model.predict`` on the 10,000 test images, which cpp_inference's ``--probs-out``
should reproduce.
"""

from __future__ import annotations

import argparse

import numpy as np

import ferroflow as tf


def build_model() -> tf.keras.Model:
    model = tf.keras.Sequential(
        [
            tf.keras.Input((28, 28)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True, help="the SavedModel directory to write")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--train-images", type=int, default=60000, help="train on the first N images")
    parser.add_argument("--predictions", default=None, help="save model.predict on the test set (.npy)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    tf.keras.utils.set_random_seed(args.seed)
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    x_train = (x_train[: args.train_images] / 255.0).astype(np.float32)
    x_test = (x_test / 255.0).astype(np.float32)
    model = build_model()
    model.fit(x_train, y_train[: args.train_images], epochs=args.epochs, batch_size=64, verbose=0)
    tf.saved_model.save(model, args.dir)
    probabilities = model.predict(x_test, verbose=0)
    accuracy = float(np.mean(np.argmax(probabilities, 1) == y_test))
    print(f"saved to {args.dir}; model.predict test accuracy: {accuracy:.4f}")
    if args.predictions:
        np.save(args.predictions, probabilities.astype(np.float32))


if __name__ == "__main__":
    main()
