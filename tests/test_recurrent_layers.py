"""SimpleRNN, LSTM and GRU forward values: against NumPy versions of Keras's equations at realistic shapes
(eager and in tf.function), against numbers from Keras 3.15 with the same weights, return_sequences,
return_state, go_backwards and initial_state."""

import numpy as np
import pytest

import ferroflow as tf
from recurrent_refs import det_inputs, det_weights, gru_step, lstm_step, run, simple_rnn_step

L = tf.keras.layers
RNG = np.random.default_rng(5)

# Keras 3.15 (TensorFlow backend) on det_inputs() with det_weights(...) set by set_weights, rounded to 6 places;
# each entry lists the flattened outputs (output, then the states).
KERAS = {
    "simple_rnn": [np.array([[-0.002502, -0.197323, -0.354279], [0.61305, 0.520188, 0.346414]])],
    "lstm_sequences_state": [
        np.array(
            [
                [
                    [0.025634, 0.080778, 0.116744],
                    [-0.06682, -0.059349, -0.045427],
                    [-0.137457, -0.07016, 0.004289],
                    [-0.016214, 0.061578, 0.125925],
                ],
                [
                    [-0.086139, -0.093776, -0.089419],
                    [-0.147279, -0.085842, -0.015707],
                    [-0.020935, 0.054337, 0.116362],
                    [-0.079053, -0.064834, -0.042404],
                ],
            ]
        ),
        np.array([[-0.016214, 0.061578, 0.125925], [-0.079053, -0.064834, -0.042404]]),
        np.array([[-0.023309, 0.088198, 0.187409], [-0.183963, -0.142661, -0.08739]]),
    ],
    "gru": [np.array([[-0.177063, -0.099378, -0.006256], [-0.141443, -0.089568, -0.022372]])],
    "gru_reset_before_backwards": [np.array([[-0.286436, -0.145349, 0.028817], [-0.178809, -0.028326, 0.124626]])],
    "lstm_masked": [
        np.array(
            [
                [
                    [0.025634, 0.080778, 0.116744],
                    [-0.06682, -0.059349, -0.045427],
                    [-0.137457, -0.07016, 0.004289],
                    [-0.137457, -0.07016, 0.004289],
                ],
                [
                    [-0.086139, -0.093776, -0.089419],
                    [-0.147279, -0.085842, -0.015707],
                    [-0.147279, -0.085842, -0.015707],
                    [-0.147279, -0.085842, -0.015707],
                ],
            ]
        )
    ],
    "stacked_lstm_gru": [
        np.array([[0.236189, 0.131062], [0.243741, 0.141802]]),
        np.array([[-0.016214, 0.061578, 0.125925], [-0.079053, -0.064834, -0.042404]]),
        np.array([[-0.023309, 0.088198, 0.187409], [-0.183963, -0.142661, -0.08739]]),
        np.array([[0.236189, 0.131062], [0.243741, 0.141802]]),
    ],
    "bidirectional_lstm_sum": [
        np.array(
            [
                [
                    [0.102562, 0.076198, 0.035256],
                    [0.104654, 0.062192, -0.004121],
                    [-0.017146, -0.046126, -0.060608],
                    [-0.01639, 0.001829, 0.021494],
                ],
                [
                    [0.100804, 0.04818, -0.026767],
                    [-0.005353, -0.0372, -0.059385],
                    [0.006137, 0.024439, 0.040252],
                    [2.7e-05, 0.023892, 0.045268],
                ],
            ]
        )
    ],
    "bidirectional_gru_concat_masked": [
        np.array(
            [
                [
                    [-0.147721, -0.117989, -0.064205, 0.242152, 0.18637, 0.109374],
                    [-0.133761, -0.107493, -0.059733, 0.092946, 0.049566, 0.00062],
                    [-0.047383, 0.038919, 0.114897, 0.019009, -0.04307, -0.101065],
                    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                ],
                [
                    [-0.063199, -0.050741, -0.02924, 0.091658, 0.04779, -0.001406],
                    [-0.022638, 0.058865, 0.125969, 0.019923, -0.042312, -0.100509],
                    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                ],
            ]
        )
    ],
}

MASK = np.array([[True, True, True, False], [True, True, False, False]])
KERAS_LAYERS = {
    "simple_rnn": (lambda: L.SimpleRNN(3), {}),
    "lstm_sequences_state": (lambda: L.LSTM(3, return_sequences=True, return_state=True), {}),
    "gru": (lambda: L.GRU(3), {}),
    "gru_reset_before_backwards": (lambda: L.GRU(3, reset_after=False, go_backwards=True), {}),
    "lstm_masked": (lambda: L.LSTM(3, return_sequences=True), {"mask": MASK}),
    "stacked_lstm_gru": (lambda: L.RNN([L.LSTMCell(3), L.GRUCell(2)], return_state=True), {}),
    "bidirectional_lstm_sum": (lambda: L.Bidirectional(L.LSTM(3, return_sequences=True), merge_mode="sum"), {}),
    "bidirectional_gru_concat_masked": (lambda: L.Bidirectional(L.GRU(3, return_sequences=True)), {"mask": MASK}),
}


@pytest.mark.parametrize("name", sorted(KERAS))
def test_matches_keras_with_the_same_weights(name):
    make, call_kwargs = KERAS_LAYERS[name]
    layer = make()
    x = det_inputs().astype("float32")
    layer(x)
    layer.set_weights(det_weights([w.shape for w in layer.get_weights()]))
    kwargs = {k: tf.constant(v) for k, v in call_kwargs.items()}
    got = tf.nest.flatten(layer(x, **kwargs))
    assert len(got) == len(KERAS[name])
    for g, want in zip(got, KERAS[name]):
        np.testing.assert_allclose(g.numpy(), want, atol=2e-6)


def _random_weights(layer, scale=0.3):
    layer.set_weights([RNG.uniform(-scale, scale, w.shape) for w in layer.get_weights()])
    return layer.get_weights()


CASES = {
    "simple_rnn": (lambda **kw: L.SimpleRNN(64, **kw), simple_rnn_step, 1),
    "lstm": (lambda **kw: L.LSTM(64, **kw), lstm_step, 2),
    "gru_reset_after": (lambda **kw: L.GRU(64, **kw), gru_step, 1),
    "gru_reset_before": (
        lambda **kw: L.GRU(64, reset_after=False, **kw),
        lambda x, s, *w: gru_step(x, s, *w, reset_after=False),
        1,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_match_numpy_at_realistic_shapes_eager_and_traced(name):
    make, step, n_states = CASES[name]
    layer = make(return_sequences=True, return_state=True)
    x = RNG.standard_normal((32, 20, 16)).astype("float32")
    layer(x)
    w = [a.astype("float64") for a in _random_weights(layer)]
    zeros = [np.zeros((32, 64))] * n_states
    last, seq, states = run(lambda xt, s: step(xt, s, *w), x.astype("float64"), zeros)
    for got in (layer(x), tf.function(lambda t: layer(t))(tf.constant(x))):
        assert len(got) == 1 + n_states
        np.testing.assert_allclose(got[0].numpy(), seq, atol=2e-5)
        for g, want in zip(got[1:], states):
            np.testing.assert_allclose(g.numpy(), want, atol=2e-5)
    np.testing.assert_allclose(seq[:, -1], last)
    plain = make()
    plain(x)
    plain.set_weights(layer.get_weights())
    out = plain(x)
    assert out.shape == (32, 64)
    np.testing.assert_allclose(out.numpy(), last, atol=2e-5)


@pytest.mark.parametrize("name", sorted(CASES))
def test_go_backwards_runs_from_the_last_step_and_returns_the_reversed_sequence(name):
    make, step, n_states = CASES[name]
    layer = make(return_sequences=True, go_backwards=True, dtype="float64")
    x = RNG.standard_normal((4, 7, 5))
    layer(x)
    w = _random_weights(layer)
    _, seq, _ = run(lambda xt, s: step(xt, s, *w), x, [np.zeros((4, 64))] * n_states, go_backwards=True)
    np.testing.assert_allclose(layer(x).numpy(), seq, rtol=1e-10, atol=1e-12)
    forward = make(return_sequences=True, dtype="float64")
    forward(x)
    forward.set_weights(w)
    np.testing.assert_allclose(layer(x).numpy(), forward(x[:, ::-1]).numpy(), rtol=1e-10, atol=1e-12)


def test_initial_state_argument_eager_and_functional():
    layer = L.LSTM(8, return_state=True, dtype="float64")
    x = RNG.standard_normal((3, 6, 4))
    h0, c0 = RNG.standard_normal((3, 8)), RNG.standard_normal((3, 8))
    layer(x)
    w = _random_weights(layer)
    last, _, (h, c) = run(lambda xt, s: lstm_step(xt, s, *w), x, [h0, c0])
    out, got_h, got_c = layer(x, initial_state=[h0, c0])
    np.testing.assert_allclose(out.numpy(), last, rtol=1e-10)
    np.testing.assert_allclose(got_c.numpy(), c, rtol=1e-10)
    # the states of one layer start another, as in a sequence-to-sequence encoder/decoder
    seq_in = tf.keras.Input((6, 4), dtype="float64")
    h_in, c_in = tf.keras.Input((8,), dtype="float64"), tf.keras.Input((8,), dtype="float64")
    model = tf.keras.Model([seq_in, h_in, c_in], layer(seq_in, initial_state=[h_in, c_in])[0])
    np.testing.assert_allclose(model([x, h0, c0]).numpy(), last, rtol=1e-5, atol=1e-7)  # the model feeds float32
    gru = L.GRU(8, dtype="float64")
    gru(x)
    w = _random_weights(gru)
    want = run(lambda xt, s: gru_step(xt, s, *w), x, [h0])[0]
    np.testing.assert_allclose(gru(x, initial_state=h0).numpy(), want, rtol=1e-10)  # a single state, unwrapped
    with pytest.raises(ValueError, match="expects 2 initial state"):
        layer(x, initial_state=[h0])


def test_return_state_of_single_state_layers_and_output_shapes():
    x = RNG.standard_normal((5, 9, 3)).astype("float32")
    for layer in (L.SimpleRNN(4, return_state=True), L.GRU(4, return_state=True)):
        out, state = layer(x)
        np.testing.assert_array_equal(out.numpy(), state.numpy())
        assert layer.compute_output_shape((None, 9, 3)) == ((None, 4), (None, 4))
    lstm = L.LSTM(4, return_sequences=True, return_state=True)
    assert lstm.compute_output_shape((None, 9, 3)) == ((None, 9, 4), (None, 4), (None, 4))
    symbolic = lstm(tf.keras.Input((9, 3)))
    assert [tuple(t.shape) for t in symbolic] == [(None, 9, 4), (None, 4), (None, 4)]


def test_unroll_is_accepted_and_gives_the_same_values():
    x = RNG.standard_normal((2, 5, 3)).astype("float32")
    a, b = L.GRU(4), L.GRU(4, unroll=True)
    a(x)
    b(x)
    b.set_weights(a.get_weights())
    np.testing.assert_array_equal(a(x).numpy(), b(x).numpy())
    assert b.get_config()["unroll"] is True


@pytest.mark.parametrize(
    "make, matmuls_per_step, gate_width",
    [
        # (An LSTM with Keras's default activations runs the whole-sequence op, inference calls too.)
        (lambda: L.LSTM(8, activation="relu"), 1, 32),
        (lambda: L.SimpleRNN(8), 1, 8),
        (lambda: L.GRU(8), 1, 24),
        (lambda: L.GRU(8, reset_after=False), 2, 24),
    ],
)
def test_traced_graph_projects_inputs_by_width(make, matmuls_per_step, gate_width):
    """Inputs wider than the gates are projected for all steps in one product; narrower ones per step (a
    slice of the projected sequence would cost a gradient as large as the whole projection)."""
    for features, projections in ((gate_width + 1, 1), (3, 20)):
        layer = make()
        layer(np.zeros((4, 20, features), "float32"))
        spec = tf.TensorSpec((None, 20, features), tf.float32)
        graph = tf.function(lambda t, layer=layer: layer(t)).get_concrete_function(spec).graph
        types = [op.type for op in graph.get_operations()]
        assert types.count("MatMul") == projections + 20 * matmuls_per_step
        assert types.count("ReadVariableOp") <= 2 * len(layer.weights)  # the weights are not read at every step


def test_traced_lstm_is_one_projection_and_one_sequence_op():
    """An LSTM with Keras's activations runs a training call's whole sequence in one native op (BlockLSTM),
    whatever the inputs' width: its gradient has no per-step slices, so the inputs are projected in one product."""
    for features in (33, 3):
        layer = L.LSTM(8)
        layer(np.zeros((4, 20, features), "float32"))
        spec = tf.TensorSpec((None, 20, features), tf.float32)
        graph = tf.function(lambda t, layer=layer: layer(t, training=True)).get_concrete_function(spec).graph
        types = [op.type for op in graph.get_operations()]
        assert (types.count("MatMul"), types.count("BlockLSTM")) == (1, 1)


def test_cells_compute_one_step_like_numpy():
    x = RNG.standard_normal((5, 4))
    h, c = RNG.standard_normal((5, 3)), RNG.standard_normal((5, 3))
    for cell, step, states in (
        (L.SimpleRNNCell(3, dtype="float64"), simple_rnn_step, [h]),
        (L.LSTMCell(3, dtype="float64"), lstm_step, [h, c]),
        (L.GRUCell(3, dtype="float64"), gru_step, [h]),
        (L.GRUCell(3, reset_after=False, dtype="float64"), lambda *a: gru_step(*a, reset_after=False), [h]),
    ):
        cell.build((None, 4))
        weights = [RNG.uniform(-0.5, 0.5, w.shape) for w in cell.get_weights()]
        cell.set_weights(weights)
        out, new_states = cell(x, states)
        want_out, want_states = step(x, states, *weights)
        np.testing.assert_allclose(out.numpy(), want_out, rtol=1e-12)
        assert isinstance(new_states, list) and len(new_states) == len(states)
        for got, want in zip(new_states, want_states):
            np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)
        if len(states) == 1:  # a single state passed unwrapped comes back unwrapped, as in Keras
            single = cell(x, states[0])[1]
            np.testing.assert_allclose(single.numpy(), want_states[0], rtol=1e-12)
        assert [tuple(s.shape) for s in cell.get_initial_state(batch_size=5)] == [(5, 3)] * len(states)
