"""Linear regression in TensorFlow 2 style: ``tf.Variable``, ``tf.GradientTape`` and a ``tf.function`` step.

Fits y = X @ [2, -3.5] + 0.7 on synthetic data with a plain gradient-descent update and exits
non-zero if the fitted weights are not close to the truth.
"""

import sys

import numpy as np

import ferroflow as tf

TRUE_W = np.array([[2.0], [-3.5]], np.float32)
TRUE_B = 0.7
LEARNING_RATE = 0.1


def main() -> int:
    tf.random.set_seed(0)
    rng = np.random.default_rng(0)
    x_data = rng.normal(size=(256, 2)).astype(np.float32)
    y_data = x_data @ TRUE_W + TRUE_B + 0.01 * rng.normal(size=(256, 1)).astype(np.float32)

    w = tf.Variable(tf.random.normal([2, 1], stddev=0.1), name="w")
    b = tf.Variable(tf.zeros([1]), name="b")

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        dw, db = tape.gradient(loss, [w, b])
        w.assign_sub(LEARNING_RATE * dw)
        b.assign_sub(LEARNING_RATE * db)
        return loss

    for step in range(200):
        start = (step * 32) % 256
        loss = train_step(x_data[start:start + 32], y_data[start:start + 32])
        if step % 50 == 0:
            print(f"step {step:3d}  loss {float(loss):.5f}")

    w_fit, b_fit = w.numpy(), b.numpy()
    print(f"fitted w = {w_fit.ravel().round(3).tolist()}  b = {float(b_fit[0]):.3f}")
    print(f"true   w = {TRUE_W.ravel().tolist()}  b = {TRUE_B}")
    if train_step.experimental_get_tracing_count() != 1:
        print("train_step was traced more than once", file=sys.stderr)
        return 1
    if not (np.allclose(w_fit, TRUE_W, atol=0.05) and abs(float(b_fit[0]) - TRUE_B) < 0.05):
        print("did not converge", file=sys.stderr)
        return 1
    print("converged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
