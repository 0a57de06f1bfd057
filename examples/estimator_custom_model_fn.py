"""A tf.estimator.Estimator with a custom model_fn on MNIST: Keras layers, a custom loss (cross entropy with
label smoothing plus an L2 penalty), custom eval metrics, and export_saved_model for serving.

    FERROFLOW_DATASETS=../shared/datasets python examples/estimator_custom_model_fn.py [--steps 2000]
        [--model-dir DIR] [--min-accuracy 0.97]

The exported directory's ``serving_default`` signature takes ``pixels`` (N, 28, 28) and returns the class
probabilities, so the Rust loader serves it without Python:

    cargo run --release -p rust_inference -- --model <export dir> --count 1000
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile

import numpy as np

import ferroflow as tf

v1 = tf.compat.v1
PARAMS = {"learning_rate": 1e-3, "label_smoothing": 0.05, "l2": 1e-5}


def model_fn(features, labels, mode, params):
    """784 -> 128 (relu) -> 10: predictions, a smoothed cross entropy + L2 loss, accuracy metrics."""
    pixels = tf.reshape(features["pixels"], [-1, 784])
    hidden_layer = tf.keras.layers.Dense(128, activation="relu", name="hidden")
    logits = tf.keras.layers.Dense(10, name="logits")(hidden_layer(pixels))
    probabilities = tf.nn.softmax(logits)
    class_ids = tf.argmax(logits, 1)
    if mode == tf.estimator.ModeKeys.PREDICT:
        outputs = {
            "serving_default": tf.estimator.export.PredictOutput({"probabilities": probabilities}),
            "predict": tf.estimator.export.PredictOutput({"probabilities": probabilities, "class_ids": class_ids}),
        }
        return tf.estimator.EstimatorSpec(
            mode, predictions={"class_ids": class_ids, "probabilities": probabilities}, export_outputs=outputs
        )
    onehot = tf.one_hot(labels, 10)
    smoothing = params["label_smoothing"]
    targets = onehot * (1.0 - smoothing) + smoothing / 10.0
    cross_entropy = tf.reduce_mean(-tf.reduce_sum(targets * tf.nn.log_softmax(logits), 1))
    l2 = params["l2"] * tf.reduce_sum(tf.square(hidden_layer.kernel))
    loss = cross_entropy + l2
    metrics = {
        "accuracy": v1.metrics.accuracy(labels, class_ids),
        "cross_entropy": v1.metrics.mean(cross_entropy),
        "mean_confidence": v1.metrics.mean(tf.reduce_max(probabilities, 1)),
    }
    if mode == tf.estimator.ModeKeys.EVAL:
        return tf.estimator.EstimatorSpec(mode, loss=loss, eval_metric_ops=metrics)
    v1.summary.scalar("cross_entropy", cross_entropy)
    train_op = v1.train.AdamOptimizer(params["learning_rate"]).minimize(loss, global_step=v1.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000, help="train up to this global step")
    parser.add_argument("--model-dir", default=None, help="checkpoints, logs and exports (default: a temp dir)")
    parser.add_argument("--min-accuracy", type=float, default=None, help="fail below this test accuracy")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    model_dir = args.model_dir or tempfile.mkdtemp(prefix="ferroflow_custom_model_fn_")

    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    x_train, x_test = (x_train / 255.0).astype(np.float32), (x_test / 255.0).astype(np.float32)
    y_train, y_test = y_train.astype(np.int64), y_test.astype(np.int64)

    def train_input_fn():
        data = tf.data.Dataset.from_tensor_slices(({"pixels": x_train}, y_train))
        return data.shuffle(10000, seed=0).repeat().batch(100)

    def test_input_fn():
        return tf.data.Dataset.from_tensor_slices(({"pixels": x_test}, y_test)).batch(1000)

    estimator = tf.estimator.Estimator(
        model_fn,
        model_dir=model_dir,
        params=PARAMS,
        config=tf.estimator.RunConfig(tf_random_seed=0, save_checkpoints_steps=1000),
    )
    estimator.train(train_input_fn, max_steps=args.steps)
    metrics = estimator.evaluate(test_input_fn)
    print(", ".join(f"{k}: {metrics[k]:.4f}" for k in sorted(metrics) if k != "global_step"))

    receiver = tf.estimator.export.build_raw_serving_input_receiver_fn(
        {"pixels": tf.TensorSpec([None, 28, 28], tf.float32)}
    )
    export_dir = os.fsdecode(estimator.export_saved_model(os.path.join(model_dir, "export"), receiver))
    served = tf.saved_model.load(export_dir).signatures["serving_default"](pixels=tf.constant(x_test[:100]))
    predicted = np.array([p["probabilities"] for p in estimator.predict(lambda: test_input_fn().take(1))])[:100]
    np.testing.assert_allclose(served["probabilities"].numpy(), predicted, rtol=1e-4, atol=1e-6)
    with open(os.path.join(export_dir, "graph.json")) as f:
        ops = sorted({node["op"] for node in json.load(f)["nodes"]})
    print(f"exported to {export_dir} (ops {ops}); serve it from Rust with:")
    print(f"  cargo run --release -p rust_inference -- --model {export_dir} --count 1000")
    if args.min_accuracy is not None and metrics["accuracy"] < args.min_accuracy:
        print(f"accuracy below {args.min_accuracy}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
