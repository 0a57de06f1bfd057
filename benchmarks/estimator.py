"""A premade DNNClassifier's training steps/s: ferroflow's ``tf.estimator`` against TensorFlow 2's TF1 loop.

Usage: python benchmarks/estimator.py [--peers-python PATH] [--steps 1000] [--warmup 100] [--rounds 2]
ferroflow trains ``tf.estimator.DNNClassifier(hidden_units=[256, 128], n_classes=10)`` (the example's model,
with the default optimizer, Adagrad) on MNIST's training images from a ``tf.data`` input_fn (shuffle 10,000,
repeat, batch 100). TensorFlow 2 no longer ships ``tf.estimator``, so its side builds the same graph by hand
under ``tf.compat.v1`` (Glorot-uniform kernels, ReLU, mean sparse softmax cross entropy, ``AdagradOptimizer``
at Keras's Adagrad defaults) and runs it in a ``MonitoredTrainingSession`` with the hooks ``Estimator.train``
adds (NaN check, loss logging, step counter and summaries every 100 steps, a checkpoint at the end), the
dense layers' summaries included. Each framework runs in its own process; the figure is steps/s between
step ``--warmup`` and the last step, timed by a hook, the best of ``--rounds`` turns per framework. The ratio
is ferroflow's steps/s over TensorFlow's (above 1 is faster). ``--peers-python`` is an environment with
tensorflow.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import numpy as np
from common import emit, mnist, reset_peak_rss

HIDDEN = (256, 128)
BATCH = 100
LEARNING_RATE = 0.001  # Keras's Adagrad default, which tf.estimator.DNNClassifier's 'Adagrad' uses
EVERY = 100  # the Estimator's save_summary_steps and log_step_count_steps defaults


def _timer_hook(base: type, warmup: int):
    """A SessionRunHook recording the time after step ``warmup`` and after the last step."""

    class Timer(base):
        def __init__(self) -> None:
            self.step, self.first, self.last = 0, None, None

        def after_run(self, run_context, run_values) -> None:
            self.step += 1
            if self.step == warmup:
                self.first = time.perf_counter()
            self.last = time.perf_counter()

    return Timer()


def _feed_hook(base: type, initializer, feed_dict: dict):
    """Runs the dataset iterator's initializer with the arrays once the session exists."""

    class Feed(base):
        def after_create_session(self, session, coord) -> None:
            session.run(initializer, feed_dict=feed_dict)

    return Feed()


def _input(data, x: np.ndarray, y: np.ndarray):
    return data.Dataset.from_tensor_slices(({"pixels": x}, y)).shuffle(10000, seed=0).repeat().batch(BATCH)


def ferroflow_workload(x: np.ndarray, y: np.ndarray, steps: int, warmup: int) -> float:
    import ferroflow as tf

    timer = _timer_hook(tf.estimator.SessionRunHook, warmup)
    with tempfile.TemporaryDirectory() as model_dir:
        classifier = tf.estimator.DNNClassifier(
            hidden_units=list(HIDDEN),
            feature_columns=[tf.feature_column.numeric_column("pixels", shape=(784,))],
            n_classes=10,
            model_dir=model_dir,
            config=tf.estimator.RunConfig(tf_random_seed=0),
        )
        classifier.train(lambda: _input(tf.data, x, y), steps=warmup + steps, hooks=[timer])
    return steps / (timer.last - timer.first)


def tensorflow_workload(x: np.ndarray, y: np.ndarray, steps: int, warmup: int) -> float:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    v1 = tf.compat.v1
    timer = _timer_hook(v1.train.SessionRunHook, warmup)
    with tf.Graph().as_default(), tempfile.TemporaryDirectory() as model_dir:
        v1.set_random_seed(0)
        global_step = v1.train.get_or_create_global_step()
        # The arrays are fed to an initializable iterator (TF1's IteratorInitializerHook pattern), as
        # numpy_input_fn feeds its queue: a from_tensor_slices constant would put 188 MB into the graph that
        # every checkpoint's meta graph and the summary writer serialise.
        x_in, y_in = v1.placeholder(tf.float32, x.shape), v1.placeholder(tf.int64, y.shape)
        iterator = v1.data.make_initializable_iterator(_input(tf.data, x_in, y_in))
        features, labels = iterator.get_next()
        net = features["pixels"]
        for i, units in enumerate((*HIDDEN, 10)):
            scope = f"dnn/hiddenlayer_{i}" if i < len(HIDDEN) else "dnn/logits"
            with v1.variable_scope(scope):
                kernel = v1.get_variable("kernel", [net.shape[-1], units], initializer=v1.glorot_uniform_initializer())
                bias = v1.get_variable("bias", [units], initializer=v1.zeros_initializer())
            net = tf.matmul(net, kernel) + bias
            if i < len(HIDDEN):
                net = tf.nn.relu(net)
            v1.summary.scalar(f"{scope}/fraction_of_zero_values", tf.math.zero_fraction(net))
            v1.summary.histogram(f"{scope}/activation", net)
        loss = v1.losses.sparse_softmax_cross_entropy(labels, net)
        v1.summary.scalar("loss", loss)
        optimizer = v1.train.AdagradOptimizer(LEARNING_RATE, initial_accumulator_value=0.1)
        train_op = optimizer.minimize(loss, global_step=global_step)
        hooks = [
            v1.train.StopAtStepHook(last_step=warmup + steps),
            v1.train.NanTensorHook(loss),
            v1.train.LoggingTensorHook({"loss": loss, "step": global_step}, every_n_iter=EVERY),
            timer,
            _feed_hook(v1.train.SessionRunHook, iterator.initializer, {x_in: x, y_in: y}),
        ]
        with v1.train.MonitoredTrainingSession(
            checkpoint_dir=model_dir,
            hooks=hooks,
            save_summaries_steps=EVERY,
            log_step_count_steps=EVERY,
            save_checkpoint_secs=600,
        ) as sess:
            while not sess.should_stop():
                sess.run(train_op)
    return steps / (timer.last - timer.first)


def workload(name: str, steps: int, warmup: int, rounds: int) -> None:
    x, y, _, _ = mnist()
    x = x.reshape(-1, 784)
    reset_peak_rss()
    run = ferroflow_workload if name == "ferroflow" else tensorflow_workload
    emit(steps_per_second=max(run(x, y, steps, warmup) for _ in range(rounds)))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--peers-python", default=sys.executable)
    p.add_argument("--steps", type=int, default=1000, help="timed steps per turn")
    p.add_argument("--warmup", type=int, default=100, help="steps before the timing starts")
    p.add_argument("--rounds", type=int, default=2, help="turns per framework; the fastest counts")
    p.add_argument("--workload", choices=["ferroflow", "tensorflow"], help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.workload:
        return workload(a.workload, a.steps, a.warmup, a.rounds)
    from run import run

    here = os.path.basename(__file__)
    args = ("--steps", str(a.steps), "--warmup", str(a.warmup), "--rounds", str(a.rounds))
    mine = run(sys.executable, here, "--workload", "ferroflow", *args)
    theirs = run(a.peers_python, here, "--workload", "tensorflow", *args)
    print(
        f"DNNClassifier {list(HIDDEN)} on MNIST, batch {BATCH}, Adagrad; steps/s over {a.steps} steps after "
        f"{a.warmup}, best of {a.rounds}; {os.cpu_count()} cores"
    )
    print("| framework | steps/s | peak RSS |")
    print("|---|---|---|")
    for label, r in (("ferroflow tf.estimator", mine), ("TensorFlow tf.compat.v1 MonitoredTrainingSession", theirs)):
        figures = "n/a | n/a" if r is None else f"{r['steps_per_second']:.0f} | {r['peak_rss_mb']:.0f} MB"
        print(f"| {label} | {figures} |")
    if mine is not None and theirs is not None:
        print(f"ferroflow / TensorFlow steps/s: {mine['steps_per_second'] / theirs['steps_per_second']:.2f}x")


if __name__ == "__main__":
    main()
