"""A TensorFlow 1 training loop on MNIST with hooks, checkpoints and summaries; only the import changed.

    FERROFLOW_DATASETS=../shared/datasets python examples/monitored_session.py [--steps 2000]
        [--model-dir DIR] [--min-accuracy 0.97]

Builds a one-hidden-layer classifier with placeholders and ``tf.compat.v1`` variables, trains it with
``MonitoredTrainingSession`` (StopAtStepHook, LoggingTensorHook, NanTensorHook; checkpoints every 500
steps, summaries every 100, both in ``--model-dir`` for TensorBoard), then restores the last checkpoint
with a ``Saver`` in a fresh graph and measures the test accuracy with ``tf.compat.v1.metrics.accuracy``.
Run it twice with the same ``--model-dir`` and a larger ``--steps``: training resumes where it stopped.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile

import numpy as np

import ferroflow as tf

v1 = tf.compat.v1


def build_model(images: tf.Tensor) -> tf.Tensor:
    """784 -> 256 (relu) -> 10 logits, with TF1 variables named hidden/w, hidden/b, out/w, out/b."""
    with v1.variable_scope("hidden"):
        w = v1.get_variable("w", [784, 256], initializer=v1.glorot_uniform_initializer())
        b = v1.get_variable("b", [256], initializer=v1.zeros_initializer())
        hidden = tf.nn.relu(tf.matmul(images, w) + b)
    with v1.variable_scope("out"):
        w = v1.get_variable("w", [256, 10], initializer=v1.glorot_uniform_initializer())
        b = v1.get_variable("b", [10], initializer=v1.zeros_initializer())
        return tf.matmul(hidden, w) + b


def train(x_train: np.ndarray, y_train: np.ndarray, model_dir: str, steps: int, batch_size: int) -> None:
    with tf.Graph().as_default():
        v1.set_random_seed(0)
        images = v1.placeholder(tf.float32, [None, 784], name="images")
        labels = v1.placeholder(tf.int64, [None], name="labels")
        logits = build_model(images)
        loss = v1.losses.sparse_softmax_cross_entropy(labels, logits)
        step = v1.train.get_or_create_global_step()
        train_op = v1.train.AdamOptimizer(1e-3).minimize(loss, global_step=step)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))
        v1.summary.scalar("loss", loss)
        v1.summary.scalar("batch_accuracy", accuracy)
        v1.summary.histogram("hidden_weights", v1.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES, scope="hidden")[0])
        hooks = [
            v1.train.StopAtStepHook(last_step=steps),
            v1.train.NanTensorHook(loss),
            v1.train.LoggingTensorHook({"loss": loss, "step": step, "accuracy": accuracy}, every_n_iter=250),
        ]
        order = np.random.default_rng(0).permutation(len(x_train))
        with v1.train.MonitoredTrainingSession(
            checkpoint_dir=model_dir, hooks=hooks, save_checkpoint_steps=500, save_summaries_steps=100
        ) as sess:
            at = 0
            while not sess.should_stop():
                rows = order[(at * batch_size) % len(order) :][:batch_size]
                _, at = sess.run([train_op, step], feed_dict={images: x_train[rows], labels: y_train[rows]})
                at = int(at) + 1


def evaluate(x_test: np.ndarray, y_test: np.ndarray, model_dir: str) -> float:
    """Restores the latest checkpoint into a new graph and streams the test set through metrics.accuracy."""
    with tf.Graph().as_default():
        images = v1.placeholder(tf.float32, [None, 784])
        labels = v1.placeholder(tf.int64, [None])
        predictions = tf.argmax(build_model(images), 1)
        accuracy, update = v1.metrics.accuracy(labels, predictions)
        saver = v1.train.Saver(v1.trainable_variables())
        with v1.Session() as sess:
            saver.restore(sess, v1.train.latest_checkpoint(model_dir))
            sess.run(v1.local_variables_initializer())
            for start in range(0, len(x_test), 1000):
                sess.run(update, {images: x_test[start : start + 1000], labels: y_test[start : start + 1000]})
            return float(sess.run(accuracy))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--model-dir", default=None, help="checkpoints and TensorBoard logs (default: a temp dir)")
    parser.add_argument("--min-accuracy", type=float, default=None, help="fail below this test accuracy")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    model_dir = args.model_dir or tempfile.mkdtemp(prefix="ferroflow_monitored_")

    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    x_train = (x_train.reshape(-1, 784) / 255.0).astype(np.float32)
    x_test = (x_test.reshape(-1, 784) / 255.0).astype(np.float32)
    y_train, y_test = y_train.astype(np.int64), y_test.astype(np.int64)

    train(x_train, y_train, model_dir, args.steps, args.batch_size)
    accuracy = evaluate(x_test, y_test, model_dir)
    print(f"checkpoint: {v1.train.latest_checkpoint(model_dir)}")
    print(f"test accuracy: {accuracy:.4f}")
    if args.min_accuracy is not None and accuracy < args.min_accuracy:
        print(f"accuracy below {args.min_accuracy}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
