"""Linear regression written as TensorFlow 1 code: placeholders, variables, an optimizer and a session.

Only the import differs from TensorFlow 1. Fits y = X @ [2, -3.5] + 0.7 on synthetic data and exits
non-zero if the fitted weights are not close to the truth.
"""

import sys

import numpy as np

import ferroflow as tf

TRUE_W = np.array([[2.0], [-3.5]], np.float32)
TRUE_B = 0.7


def main() -> int:
    tf.compat.v1.disable_eager_execution()
    tf.compat.v1.set_random_seed(0)
    rng = np.random.default_rng(0)
    x_data = rng.normal(size=(256, 2)).astype(np.float32)
    y_data = x_data @ TRUE_W + TRUE_B + 0.01 * rng.normal(size=(256, 1)).astype(np.float32)

    x = tf.compat.v1.placeholder(tf.float32, shape=[None, 2], name="x")
    y = tf.compat.v1.placeholder(tf.float32, shape=[None, 1], name="y")
    w = tf.compat.v1.get_variable("w", shape=[2, 1])
    b = tf.compat.v1.get_variable("b", shape=[1], initializer=tf.compat.v1.zeros_initializer())
    pred = tf.matmul(x, w) + b
    loss = tf.reduce_mean(tf.square(pred - y))
    train_op = tf.compat.v1.train.GradientDescentOptimizer(0.1).minimize(loss)
    init = tf.compat.v1.global_variables_initializer()

    with tf.compat.v1.Session() as sess:
        sess.run(init)
        for step in range(200):
            batch = slice((step * 32) % 256, (step * 32) % 256 + 32)
            _, loss_value = sess.run([train_op, loss], feed_dict={x: x_data[batch], y: y_data[batch]})
            if step % 50 == 0:
                print(f"step {step:3d}  loss {loss_value:.5f}")
        w_fit, b_fit = sess.run([w, b])

    print(f"fitted w = {w_fit.ravel().round(3).tolist()}  b = {float(b_fit[0]):.3f}")
    print(f"true   w = {TRUE_W.ravel().tolist()}  b = {TRUE_B}")
    if not (np.allclose(w_fit, TRUE_W, atol=0.05) and abs(float(b_fit[0]) - TRUE_B) < 0.05):
        print("did not converge", file=sys.stderr)
        return 1
    print("converged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
