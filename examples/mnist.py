"""The MNIST hello-world, written as tf.keras code with only the import changed.

    FERROFLOW_DATASETS=../shared/datasets python examples/mnist.py [--epochs 5] [--min-accuracy 0.975]

Trains Flatten -> Dense(512, relu) -> Dropout(0.2) -> Dense(10, softmax) with Adam and prints the test
accuracy. With ``--min-accuracy`` it exits with status 1 when the accuracy falls short.
"""

from __future__ import annotations

import argparse
import sys
import time

import ferroflow as tf


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=None, help="fix initialization, dropout and shuffling")
    parser.add_argument("--min-accuracy", type=float, default=None, help="fail below this test accuracy")
    args = parser.parse_args()
    if args.seed is not None:
        tf.keras.utils.set_random_seed(args.seed)

    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    x_train, x_test = x_train / 255.0, x_test / 255.0

    model = tf.keras.models.Sequential(
        [
            tf.keras.Input(shape=(28, 28)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(512, activation="relu"),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs)
    seconds = time.perf_counter() - start
    loss, accuracy = model.evaluate(x_test, y_test, verbose=2)
    print(f"test accuracy: {accuracy:.4f}  test loss: {loss:.4f}  ({seconds / max(args.epochs, 1):.2f} s/epoch)")
    if args.min_accuracy is not None and accuracy < args.min_accuracy:
        print(f"test accuracy {accuracy:.4f} is below the required {args.min_accuracy}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
