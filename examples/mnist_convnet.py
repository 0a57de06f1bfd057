"""Keras's "simple MNIST convnet", written as tf.keras code with only the import changed.

    FERROFLOW_DATASETS=../shared/datasets python examples/mnist_convnet.py [--epochs 15] [--min-accuracy 0.99]

Conv2D(32, 3, relu) -> MaxPooling2D -> Conv2D(64, 3, relu) -> MaxPooling2D -> Flatten -> Dropout(0.5) ->
Dense(10, softmax), trained with Adam at batch 128 on one-hot labels with 10% held out for validation, as the
Keras example does; prints the test accuracy. With ``--min-accuracy`` it exits with status 1 when the accuracy
falls short.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from ferroflow import keras  # the example's `import keras`, changed
from ferroflow.keras import layers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--seed", type=int, default=None, help="fix initialization, dropout and shuffling")
    parser.add_argument("--min-accuracy", type=float, default=None, help="fail below this test accuracy")
    args = parser.parse_args()
    if args.seed is not None:
        keras.utils.set_random_seed(args.seed)

    num_classes, input_shape = 10, (28, 28, 1)
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
    x_test = np.expand_dims(x_test.astype("float32") / 255, -1)
    y_train = keras.utils.to_categorical(y_train, num_classes)
    y_test = keras.utils.to_categorical(y_test, num_classes)

    model = keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )
    model.summary()
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, validation_split=0.1)
    seconds = time.perf_counter() - start
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"test accuracy: {accuracy:.4f}  test loss: {loss:.4f}  ({seconds / max(args.epochs, 1):.2f} s/epoch)")
    if args.min_accuracy is not None and accuracy < args.min_accuracy:
        print(f"test accuracy {accuracy:.4f} is below the required {args.min_accuracy}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
