"""A TF1 graph whose training diverges to Inf at a known step, for the tfdbg tests; also a script that trains it
under a debug wrapper (``python tests/tfdbg_diverging.py [cli|dump DIR] [steps]``).

Linear regression on all-ones inputs with learning rate 1000: each step multiplies the weights' sum ``s`` by
``1 - 2 * lr * 4 = -7999``, so ``square(pred - y)`` overflows float32 at a step ``reference()`` finds.
"""

import sys

import numpy as np

import ferroflow as tf

LR = 1000.0
BATCH = 8
W0 = 0.01  # the error squared stays far below float32's max until one step overflows it by far
FEATURES = 4


def batch():
    x = np.ones((BATCH, FEATURES), np.float32)
    x[:, 1] = 0.5  # not all equal: the checks see different per-feature gradients
    return x, np.zeros((BATCH, 1), np.float32)


def build():
    """``(graph, tensors)``: placeholders ``x``, ``y``, nodes ``pred``, ``diff``, ``sq``, ``loss`` and ``train``."""
    tf1 = tf.compat.v1
    g = tf.Graph()
    with g.as_default():
        x = tf1.placeholder(tf.float32, [None, FEATURES], name="x")
        y = tf1.placeholder(tf.float32, [None, 1], name="y")
        w = tf1.Variable(np.full((FEATURES, 1), W0, np.float32), name="w")
        pred = tf.matmul(x, w, name="pred")
        diff = tf.subtract(pred, y, name="diff")
        sq = tf.square(diff, name="sq")
        loss = tf.reduce_mean(sq, name="loss")
        train = tf1.train.GradientDescentOptimizer(LR).minimize(loss)
        init = tf1.global_variables_initializer()
    return g, {"x": x, "y": y, "w": w, "pred": pred, "diff": diff, "sq": sq, "loss": loss, "train": train, "init": init}


def reference(max_steps=50):
    """NumPy float32 replay: ``(first bad step (0-based), {name: value at that step})``."""
    x, y = batch()
    w = np.full((FEATURES, 1), W0, np.float32)
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(max_steps):
            pred = x @ w
            diff = pred - y
            sq = np.square(diff)
            loss = np.mean(sq, dtype=np.float32)
            values = {"x": x, "pred": pred, "diff": diff, "sq": sq, "loss": loss, "w": w.copy()}
            if not all(np.all(np.isfinite(v)) for v in values.values()):
                return step, values
            grad = x.T @ (2.0 * diff / np.float32(BATCH))
            w = (w - np.float32(LR) * grad).astype(np.float32)
    raise AssertionError("the model did not diverge")


def main(argv):
    from ferroflow.python import debug as tf_debug

    mode = argv[1] if len(argv) > 1 else "cli"
    g, t = build()
    sess = tf.compat.v1.Session(graph=g)
    sess.run(t["init"])
    if mode == "cli":
        sess = tf_debug.LocalCLIDebugWrapperSession(sess, ui_type="readline")
        sess.add_tensor_filter("has_inf_or_nan", tf_debug.has_inf_or_nan)
        steps = int(argv[2]) if len(argv) > 2 else 10
    else:
        sess = tf_debug.DumpingDebugWrapperSession(sess, argv[2])
        steps = int(argv[3]) if len(argv) > 3 else 10
    x, y = batch()
    for step in range(steps):
        loss, _ = sess.run([t["loss"], t["train"]], feed_dict={t["x"]: x, t["y"]: y})
        print(f"step {step} loss {loss!r}", flush=True)


if __name__ == "__main__":
    main(sys.argv)
