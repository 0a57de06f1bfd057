"""The LSTM layer through its whole-sequence op (TensorFlow's BlockLSTM): what the layer computes equals the
NumPy recursion and the unrolled loop (which an all-true mask selects), with every gradient checked against
finite differences in float64, eagerly and traced, at a test's size and at a model's (the op itself is tested
in test_lstm_sequence_op.py)."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient
from recurrent_refs import lstm_step, run

L = tf.keras.layers
RNG = np.random.default_rng(5)


def _layer(units, x, **kwargs):
    layer = L.LSTM(units, dtype=str(x.dtype), **kwargs)
    layer(x)
    layer.set_weights([RNG.uniform(-0.6, 0.6, w.shape).astype(x.dtype) for w in layer.get_weights()])
    return layer


def _reference(layer, x, go_backwards=False, initial=None):
    kernel, recurrent, bias = layer.get_weights()
    u = recurrent.shape[0]
    states = initial or [np.zeros((x.shape[0], u)), np.zeros((x.shape[0], u))]
    return run(lambda xt, s: lstm_step(xt, s, kernel, recurrent, bias), x, states, go_backwards=go_backwards)


def _uses_sequence_op(layer, x):
    graph = tf.function(lambda t: layer(t, training=True))
    graph = graph.get_concrete_function(tf.TensorSpec(x.shape, x.dtype)).graph
    return any(op.type == "BlockLSTM" for op in graph.get_operations())


@pytest.mark.parametrize("go_backwards", [False, True])
def test_outputs_and_states_equal_the_recursion(go_backwards):
    x = RNG.standard_normal((3, 5, 4))
    layer = _layer(6, x, return_sequences=True, return_state=True, go_backwards=go_backwards)
    assert _uses_sequence_op(layer, x)
    seq, h, c = layer(x, training=True)
    last, want_seq, (want_h, want_c) = _reference(layer, x, go_backwards)
    np.testing.assert_allclose(seq.numpy(), want_seq, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h.numpy(), want_h, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(c.numpy(), want_c, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h.numpy(), last, rtol=1e-12, atol=1e-12)


def test_inference_takes_the_ops_inference_form():
    # Inference calls run the op without the pre-activations the backward pass needs: [h | c] per step.
    x = RNG.standard_normal((3, 5, 4))
    layer = _layer(6, x, return_sequences=True, recurrent_dropout=0.5)
    graph = tf.function(lambda t: layer(t)).get_concrete_function(tf.TensorSpec(x.shape, x.dtype)).graph
    (op,) = [op for op in graph.get_operations() if op.type == "BlockLSTM"]
    assert tuple(op.outputs[0].shape.as_list()) == (5, 3, 12)
    _, want_seq, _ = _reference(layer, x)
    np.testing.assert_allclose(layer(x).numpy(), want_seq, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer(x, training=False).numpy(), want_seq, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("return_sequences", [False, True])
def test_gradients_through_an_inference_call(return_sequences):
    # An input gradient through a layer called with training=False (the op is run again in its training
    # form for the backward pass) against finite differences in float64.
    x = RNG.standard_normal((2, 4, 3))
    layer = _layer(5, x, return_sequences=return_sequences)
    w = RNG.standard_normal(tuple(layer.compute_output_shape(x.shape)))

    def loss(v):
        return float(np.sum(layer(v, training=False).numpy() * w))

    t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(t)
        out = tf.reduce_sum(layer(t, training=False) * w)
    got = tape.gradient(out, t)
    np.testing.assert_allclose(got.numpy(), numeric_gradient(loss, x.copy()), rtol=1e-6, atol=1e-9)


def test_masked_and_recurrent_dropout_layers_keep_the_loop():
    x = RNG.standard_normal((2, 4, 3))
    assert not _uses_sequence_op(_layer(3, x, activation="relu"), x)
    layer = _layer(3, x)
    graph = (
        tf.function(lambda t: layer(t, mask=tf.ones([2, 4], tf.bool), training=True))
        .get_concrete_function(tf.TensorSpec(x.shape, x.dtype))
        .graph
    )
    assert not any(op.type == "BlockLSTM" for op in graph.get_operations())


def test_initial_state_and_every_weight_gradient_eager_and_traced():
    x = RNG.standard_normal((2, 4, 3))
    layer = _layer(3, x, return_sequences=True)
    h0, c0 = RNG.standard_normal((2, 3)), RNG.standard_normal((2, 3))
    w = RNG.standard_normal((2, 4, 3))
    sources = [tf.Variable(h0), tf.Variable(c0), tf.Variable(x)]

    def loss():
        return tf.reduce_sum(layer(sources[2], initial_state=sources[:2], training=True) * w)

    with tf.GradientTape() as tape:
        value = loss()
    targets = layer.trainable_weights + sources
    grads = tape.gradient(value, targets)

    @tf.function
    def traced():
        with tf.GradientTape() as tape:
            value = loss()
        return tape.gradient(value, targets)

    for var, got, got_traced in zip(targets, grads, traced()):
        start = var.numpy()

        def at(v, var=var):
            var.assign(v)
            return float(loss().numpy())

        want = numeric_gradient(at, start.copy())
        var.assign(start)
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6, atol=1e-9, err_msg=var.name)
        np.testing.assert_allclose(got_traced.numpy(), got.numpy(), rtol=1e-10, atol=1e-12, err_msg=var.name)


def test_a_models_size_matches_the_unrolled_loop_in_float32():
    # Batch 64, 128 units (the cell's vectorized rows and the one-product weight gradient), 20 steps.
    x = RNG.standard_normal((64, 20, 32)).astype(np.float32)
    layer = L.LSTM(128, return_sequences=True)
    layer(x)
    all_steps = tf.ones([64, 20], tf.bool)

    def value_and_grads(mask):
        with tf.GradientTape() as tape:
            t = tf.constant(x)
            tape.watch(t)
            y = layer(t, mask=mask, training=True)
            loss = tf.reduce_sum(y * y)
        return [y, *tape.gradient(loss, [t, *layer.trainable_weights])]

    fused, unrolled = value_and_grads(None), value_and_grads(all_steps)
    for a, b in zip(fused, unrolled):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=2e-4, atol=2e-4 * np.abs(b.numpy()).max())


def test_model_with_unknown_batch_trains_and_saves(tmp_path):
    tf.keras.utils.set_random_seed(0)
    x = RNG.standard_normal((256, 12, 8)).astype(np.float32)
    y = (x[:, :, 0].sum(1) > 0).astype(np.int64)
    model = tf.keras.Sequential([tf.keras.Input((12, 8)), L.LSTM(16), L.Dense(2, activation="softmax")])
    model.compile(tf.keras.optimizers.Adam(0.02), "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=6, verbose=0)
    assert history.history["loss"][-1] < 0.7 * history.history["loss"][0]
    path = str(tmp_path / "m.keras")
    model.save(path)
    np.testing.assert_allclose(tf.keras.models.load_model(path).predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize("return_sequences", [False, True])
def test_the_backward_op_takes_the_slices_gradients_compact(return_sequences):
    # The layer reads its output through slices; their gradients reach the backward op in their own shapes
    # (every step's h [T, B, u], the last h [B, u]), not as zero-filled tensors of the whole [T, B, 6u]
    # output, and without initial states no row for their gradients is made.
    x = RNG.standard_normal((8, 5, 3)).astype(np.float32)
    layer = L.LSTM(4, return_sequences=return_sequences)
    layer(x)

    @tf.function
    def grads(t):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(layer(t, training=True) ** 2)
        return tape.gradient(loss, layer.trainable_weights)

    graph = grads.get_concrete_function(tf.TensorSpec(x.shape, tf.float32)).graph
    (op,) = [op for op in graph.get_operations() if op.type == "BlockLSTMGrad"]
    shapes = [tuple(t.shape.as_list()) for t in op.inputs[5:]]
    every_h, last_h = ((5, 8, 4), ()) if return_sequences else ((), (8, 4))
    assert shapes == [(), every_h, last_h, ()]
    assert tuple(op.outputs[0].shape.as_list()) == (5, 8, 16)
