"""Gradient accumulation of the Keras optimizers (``gradient_accumulation_steps=N``): the steps against Keras
3's formula written out in NumPy (eagerly and in ``tf.function``), ``fit``'s compiled train step against
weights Keras 3 computed, the step counts, clipping/weight decay/averaging on the mean, the variables' order
and names, saving and resuming mid-accumulation, configs and errors.

The Keras numbers below were computed once with Keras 3.x (JAX and TensorFlow backends agree) by fitting the
same ``Dense(2)`` model from the same weights on the same data (see ``_keras_case``)."""

import numpy as np
import pytest

import ferroflow as tf

opts = tf.keras.optimizers
RNG = np.random.default_rng(3)
W0 = RNG.standard_normal((3, 4))
GRADS = [RNG.standard_normal((3, 4)) for _ in range(7)]


def numpy_accumulated(grads, steps, update):
    """Keras's rule: the call where ``(calls + 1) % steps == 0`` runs ``update(mean, t)`` on ``(g + acc) /
    steps`` at update number ``t`` (1, 2, ...) and zeroes ``acc``; the others add ``g`` into ``acc``.
    Returns the state after each call and the final accumulator."""
    acc, t, out = np.zeros_like(grads[0]), 0, []
    for calls, g in enumerate(grads):
        if (calls + 1) % steps == 0:
            t += 1
            update((g + acc) / steps, t)
            acc = np.zeros_like(acc)
        else:
            acc = acc + g
        out.append(acc.copy())
    return out


def numpy_sgd(lr, momentum=0.0, nesterov=False, steps=2, grads=GRADS):
    w, m, ws = W0.copy(), np.zeros_like(W0), []

    def update(g, t):
        nonlocal w, m
        m = momentum * m - lr * g
        w = w + (momentum * m - lr * g if nesterov else m)

    accs = numpy_accumulated(grads, steps, lambda g, t: (update(g, t), ws.append(w.copy())))
    return w, accs, ws


def numpy_adam(lr, steps, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    w, m, v = W0.copy(), np.zeros_like(W0), np.zeros_like(W0)

    def update(g, t):
        nonlocal w, m, v
        m = m + (g - m) * (1 - beta_1)
        v = v + (g * g - v) * (1 - beta_2)
        alpha = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        w = w - alpha * m / (np.sqrt(v) + epsilon)

    accs = numpy_accumulated(GRADS, steps, update)
    return w, accs


def _run(opt, traced=False, grads=GRADS):
    var = tf.Variable(W0)
    step = (
        (lambda g: opt.apply_gradients([(g, var)]))
        if not traced
        else tf.function(lambda g: opt.apply_gradients([(g, var)]))
    )
    seen = []
    for g in grads:
        step(tf.constant(g))
        seen.append((var.numpy().copy(), opt._accumulated_gradients[0].numpy().copy()))
    return var, seen


@pytest.mark.parametrize("traced", [False, True])
@pytest.mark.parametrize("momentum,nesterov", [(0.0, False), (0.9, False), (0.9, True)])
def test_sgd_steps_follow_keras_formula(traced, momentum, nesterov):
    lr = float(np.float32(0.1))  # the learning rate lives in a float32 variable
    opt = opts.SGD(0.1, momentum=momentum, nesterov=nesterov, gradient_accumulation_steps=2)
    var, seen = _run(opt, traced)
    want_w, want_accs, want_ws = numpy_sgd(lr, momentum, nesterov, steps=2)
    np.testing.assert_allclose(var.numpy(), want_w, rtol=1e-12, atol=1e-12)
    for (_, acc), want_acc in zip(seen, want_accs):
        np.testing.assert_allclose(acc, want_acc, rtol=1e-12, atol=1e-12)
    # The variables move only on every second call, to the values of the updates.
    np.testing.assert_array_equal(seen[0][0], W0)
    np.testing.assert_allclose(seen[1][0], want_ws[0], rtol=1e-12)
    np.testing.assert_array_equal(seen[2][0], seen[1][0])


@pytest.mark.parametrize("traced", [False, True])
@pytest.mark.parametrize("steps", [2, 3])
def test_adam_bias_correction_counts_updates_not_calls(traced, steps):
    opt = opts.Adam(0.05, gradient_accumulation_steps=steps)
    var, seen = _run(opt, traced)
    want_w, want_accs = numpy_adam(float(np.float32(0.05)), steps)
    np.testing.assert_allclose(var.numpy(), want_w, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(seen[-1][1], want_accs[-1], rtol=1e-12)
    # `iterations` counts updates (a tensor, as in Keras); the raw step count grows on every call.
    assert int(opt.iterations.numpy()) == len(GRADS) // steps
    assert int(opt._iterations.numpy()) == len(GRADS)


def test_clipping_and_weight_decay_apply_to_the_mean_on_update_calls():
    lr, wd, clip = float(np.float32(0.1)), 0.2, 0.5
    opt = opts.SGD(0.1, weight_decay=wd, clipnorm=clip, gradient_accumulation_steps=2)
    var, _ = _run(opt)
    w = W0.copy()

    def update(g, t):
        nonlocal w
        norm = np.sqrt(np.sum(g * g))
        g = g * clip / max(norm, clip)
        w = w - w * wd * lr
        w = w - lr * g

    numpy_accumulated(GRADS, 2, update)
    np.testing.assert_allclose(var.numpy(), w, rtol=1e-12)


def test_averages_move_every_call_and_count_updates():
    """``use_ema``: Keras moves the averages on every call, with ``iterations`` (updates) as the step."""
    opt = opts.SGD(0.1, use_ema=True, ema_momentum=0.5, gradient_accumulation_steps=2)
    var, _ = _run(opt)
    w, average, lr = W0.copy(), np.zeros_like(W0), float(np.float32(0.1))
    acc, updates = np.zeros_like(W0), 0
    for calls, g in enumerate(GRADS):
        if (calls + 1) % 2 == 0:
            w, acc = w - lr * (g + acc) / 2, np.zeros_like(acc)
        else:
            acc = acc + g
        m = 0.5 if updates else 0.0
        average = m * average + (1 - m) * w
        updates = (calls + 1) // 2
    np.testing.assert_allclose(var.numpy(), w, rtol=1e-12)
    np.testing.assert_allclose(opt._model_variables_moving_average[0].numpy(), average, rtol=1e-12)


def test_schedule_reads_the_raw_call_count():
    """A learning-rate schedule is evaluated at the number of calls, as in Keras (not at ``iterations``)."""
    schedule = opts.schedules.PiecewiseConstantDecay([2], [0.1, 0.01])
    opt = opts.SGD(schedule, gradient_accumulation_steps=2)
    var, _ = _run(opt, grads=GRADS[:4])
    lrs = [0.1, 0.1, 0.1, 0.01]  # at calls 0..3; the updates run on calls 1 and 3
    want = W0 - lrs[1] * (GRADS[0] + GRADS[1]) / 2 - lrs[3] * (GRADS[2] + GRADS[3]) / 2
    np.testing.assert_allclose(var.numpy(), want, rtol=1e-6)
    assert float(opt.learning_rate) == pytest.approx(0.01)


# -- fit, against Keras 3
def _keras_case():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 3)).astype("float32")
    y = rng.normal(size=(16, 2)).astype("float32")
    w0 = rng.normal(size=(3, 2)).astype("float32") * 0.5
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    model.set_weights([w0, np.array([0.1, -0.2], "float32")])
    return model, x, y


KERAS_FIT = {  # keras.Sequential([Input((3,)), Dense(2)]) after fit(batch_size=4, epochs=2, shuffle=False)
    "sgd": (
        [[0.31944698, -0.12299645], [-0.33624339, -0.03711304], [-0.12119338, 0.30881754]],
        [0.35265458, -0.09485714],
        None,
    ),
    "adam": (
        [[0.22090851, -0.12505195], [-0.37390694, -0.35830039], [-0.45086306, 0.27827606]],
        [0.15311040, -0.02367969],
        None,
    ),
    "adam3": (
        [[0.19298622, -0.22588861], [-0.28884637, -0.44956434], [-0.54204309, 0.23781148]],
        [0.19824870, -0.10188156],
        (
            [[0.48182517, -0.41398904], [0.45735505, -1.79772460], [-1.71551228, -0.51468456]],
            [-1.34362304, -0.22312964],
        ),
    ),
}


def _keras_optimizer(name):
    return {
        "sgd": lambda: opts.SGD(0.1, momentum=0.9, gradient_accumulation_steps=2),
        "adam": lambda: opts.Adam(0.05, gradient_accumulation_steps=2),
        "adam3": lambda: opts.Adam(0.05, gradient_accumulation_steps=3),
    }[name]()


@pytest.mark.parametrize("name", sorted(KERAS_FIT))
def test_fit_matches_keras(name):
    model, x, y = _keras_case()
    model.compile(optimizer=_keras_optimizer(name), loss="mse")
    model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    kernel, bias, accumulators = KERAS_FIT[name]
    np.testing.assert_allclose(model.get_weights()[0], kernel, rtol=2e-5, atol=2e-6)
    np.testing.assert_allclose(model.get_weights()[1], bias, rtol=2e-5, atol=2e-6)
    steps = model.optimizer.gradient_accumulation_steps
    assert int(model.optimizer.iterations.numpy()) == 8 // steps
    for got, want in zip(model.optimizer._accumulated_gradients, accumulators or [0.0, 0.0]):
        np.testing.assert_allclose(got.numpy(), want, rtol=2e-5, atol=2e-6)


def test_custom_training_loop_matches_fit():
    model, x, y = _keras_case()
    opt = opts.Adam(0.05, gradient_accumulation_steps=3)
    loss_fn = tf.keras.losses.MeanSquaredError()

    @tf.function
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            loss = loss_fn(yb, model(xb, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))

    for _ in range(2):
        for i in range(0, 16, 4):
            train_step(tf.constant(x[i : i + 4]), tf.constant(y[i : i + 4]))
    kernel, bias, _ = KERAS_FIT["adam3"]
    np.testing.assert_allclose(model.get_weights()[0], kernel, rtol=2e-5, atol=2e-6)
    np.testing.assert_allclose(model.get_weights()[1], bias, rtol=2e-5, atol=2e-6)
