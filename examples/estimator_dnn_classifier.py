"""A premade tf.estimator.DNNClassifier on MNIST, fed by numpy_input_fn; only the import changed.

    FERROFLOW_DATASETS=../shared/datasets python examples/estimator_dnn_classifier.py [--steps 3000]
        [--model-dir DIR] [--min-accuracy 0.97]

Trains a 784 -> 256 -> 128 -> 10 ReLU network (checkpoints every 1000 steps, summaries every 100, both in
``--model-dir`` for TensorBoard), evaluates it on the test set and prints TensorFlow's eval metrics. Run it
again with the same ``--model-dir`` and a larger ``--steps``: training resumes from the last checkpoint.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time

import numpy as np

import ferroflow as tf


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000, help="train up to this global step")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--model-dir", default=None, help="checkpoints and TensorBoard logs (default: a temp dir)")
    parser.add_argument("--min-accuracy", type=float, default=None, help="fail below this test accuracy")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    model_dir = args.model_dir or tempfile.mkdtemp(prefix="ferroflow_dnn_classifier_")

    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    x_train = (x_train.reshape(-1, 784) / 255.0).astype(np.float32)
    x_test = (x_test.reshape(-1, 784) / 255.0).astype(np.float32)
    y_train, y_test = y_train.astype(np.int64), y_test.astype(np.int64)

    classifier = tf.estimator.DNNClassifier(
        hidden_units=[256, 128],
        feature_columns=[tf.feature_column.numeric_column("pixels", shape=(784,))],
        n_classes=10,
        optimizer=lambda: tf.keras.optimizers.Adam(learning_rate=1e-3),
        model_dir=model_dir,
        config=tf.estimator.RunConfig(tf_random_seed=0, save_checkpoints_steps=1000, save_summary_steps=100),
    )
    inputs = tf.compat.v1.estimator.inputs
    train_input_fn = inputs.numpy_input_fn(
        {"pixels": x_train}, y_train, batch_size=args.batch_size, num_epochs=None, shuffle=True
    )
    test_input_fn = inputs.numpy_input_fn({"pixels": x_test}, y_test, batch_size=1000, shuffle=False)

    start = time.time()
    classifier.train(train_input_fn, max_steps=args.steps)
    seconds = time.time() - start
    metrics = classifier.evaluate(test_input_fn)
    print(f"trained to step {metrics['global_step']} in {seconds:.1f}s; model_dir: {model_dir}")
    for key in sorted(metrics):
        print(f"  {key}: {metrics[key]}")
    first = next(classifier.predict(inputs.numpy_input_fn({"pixels": x_test[:1]}, shuffle=False)))
    print(f"first test digit: predicted {first['class_ids'][0]}, label {y_test[0]}")
    if args.min_accuracy is not None and metrics["accuracy"] < args.min_accuracy:
        print(f"accuracy below {args.min_accuracy}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
