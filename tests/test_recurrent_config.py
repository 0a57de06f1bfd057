"""Recurrent layers' arguments, defaults, weights and config as Keras 3: get_config keys in Keras's order, the
initializers (orthogonal recurrent kernel, unit forget bias), from_config and deserialize round trips, and
bad arguments or inputs raising clear errors."""

import numpy as np
import pytest

import ferroflow as tf

L = tf.keras.layers
RNG = np.random.default_rng(3)

# The keys of Keras 3.15's get_config() after name, trainable and dtype, in its order.
KERAS_KEYS = {
    "SimpleRNNCell": [
        "units",
        "activation",
        "use_bias",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "seed",
    ],
    "LSTMCell": [
        "units",
        "activation",
        "recurrent_activation",
        "use_bias",
        "unit_forget_bias",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "seed",
    ],
    "GRUCell": [
        "units",
        "activation",
        "recurrent_activation",
        "use_bias",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "reset_after",
        "seed",
    ],
    "SimpleRNN": [
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
        "unroll",
        "zero_output_for_mask",
        "units",
        "activation",
        "use_bias",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
    ],
    "LSTM": [
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
        "unroll",
        "zero_output_for_mask",
        "units",
        "activation",
        "recurrent_activation",
        "use_bias",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "unit_forget_bias",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "seed",
    ],
    "GRU": [
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
        "unroll",
        "zero_output_for_mask",
        "units",
        "activation",
        "recurrent_activation",
        "use_bias",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "reset_after",
        "seed",
    ],
    "RNN": ["return_sequences", "return_state", "go_backwards", "stateful", "unroll", "zero_output_for_mask", "cell"],
    "StackedRNNCells": ["cells"],
    "Bidirectional": ["merge_mode", "layer", "backward_layer"],
    "TimeDistributed": ["layer"],
}

MAKERS = {
    "SimpleRNNCell": lambda: L.SimpleRNNCell(3),
    "LSTMCell": lambda: L.LSTMCell(3),
    "GRUCell": lambda: L.GRUCell(3),
    "SimpleRNN": lambda: L.SimpleRNN(3),
    "LSTM": lambda: L.LSTM(3),
    "GRU": lambda: L.GRU(3),
    "RNN": lambda: L.RNN(L.LSTMCell(3)),
    "StackedRNNCells": lambda: L.StackedRNNCells([L.LSTMCell(3)]),
    "Bidirectional": lambda: L.Bidirectional(L.LSTM(3)),
    "TimeDistributed": lambda: L.TimeDistributed(L.Dense(2)),
}


@pytest.mark.parametrize("name", sorted(KERAS_KEYS))
def test_config_keys_are_keras_keys_in_keras_order(name):
    config = MAKERS[name]().get_config()
    assert list(config)[:3] == ["name", "trainable", "dtype"]
    assert list(config)[3:] == KERAS_KEYS[name]


def test_defaults_are_keras_defaults():
    for layer in (L.LSTM(3), L.LSTMCell(3), L.GRU(3), L.GRUCell(3), L.SimpleRNN(3), L.SimpleRNNCell(3)):
        config = layer.get_config()
        assert config["activation"] == "tanh" and config["use_bias"] is True
        assert config["kernel_initializer"]["class_name"] == "GlorotUniform"
        assert config["recurrent_initializer"]["class_name"] == "Orthogonal"
        assert config["bias_initializer"]["class_name"] == "Zeros"
        assert config["dropout"] == 0.0 and config["recurrent_dropout"] == 0.0
        assert config.get("recurrent_activation", "sigmoid") == "sigmoid"
        assert config.get("seed") is None and config.get("unit_forget_bias", True) is True
        assert config.get("return_sequences", False) is False and config.get("stateful", False) is False
    assert L.GRU(3).get_config()["reset_after"] is True
    assert L.Bidirectional(L.GRU(3)).get_config()["merge_mode"] == "concat"
    assert L.LSTM(3).use_cudnn == "auto"
    assert L.LSTM(3).cell.name == "lstm_cell" and L.GRU(3).cell.name == "gru_cell"


def test_weight_shapes_and_initializers():
    lstm = L.LSTM(16)
    lstm(np.zeros((2, 3, 5), "float32"))
    kernel, recurrent, bias = lstm.get_weights()
    assert kernel.shape == (5, 64) and recurrent.shape == (16, 64) and bias.shape == (64,)
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(16), atol=1e-5)  # orthogonal rows
    np.testing.assert_array_equal(bias, np.r_[np.zeros(16), np.ones(16), np.zeros(32)])  # unit forget bias
    plain = L.LSTM(4, unit_forget_bias=False, bias_initializer="ones")
    plain(np.zeros((1, 2, 3), "float32"))
    np.testing.assert_array_equal(plain.get_weights()[2], np.ones(16))
    for gru, bias_shape in ((L.GRU(4), (2, 12)), (L.GRU(4, reset_after=False), (12,))):
        gru(np.zeros((1, 2, 3), "float32"))
        assert [w.shape for w in gru.get_weights()] == [(3, 12), (4, 12), bias_shape]
    simple = L.SimpleRNN(4, use_bias=False)
    simple(np.zeros((1, 2, 3), "float32"))
    assert [w.shape for w in simple.get_weights()] == [(3, 4), (4, 4)]
    assert [w.name for w in lstm.trainable_weights] == ["kernel", "recurrent_kernel", "bias"]  # as Keras 3
    assert [w.path for w in lstm.trainable_weights] == [
        f"{lstm.name}/lstm_cell/kernel",
        f"{lstm.name}/lstm_cell/recurrent_kernel",
        f"{lstm.name}/lstm_cell/bias",
    ]
    assert lstm.count_params() == 5 * 64 + 16 * 64 + 64


def test_regularizers_constraints_and_properties_reach_the_cell():
    layer = L.GRU(
        4,
        kernel_regularizer="l2",
        recurrent_regularizer=tf.keras.regularizers.L1(0.1),
        activity_regularizer="l1",
        kernel_constraint="non_neg",
        dropout=0.25,
        recurrent_dropout=2.0,
    )
    assert layer.units == 4 and layer.dropout == 0.25 and layer.recurrent_dropout == 1.0  # clipped as Keras
    assert layer.cell.kernel_constraint is layer.kernel_constraint
    out = layer(RNG.standard_normal((2, 3, 5)).astype("float32"))
    kernel, recurrent = layer.cell.kernel.numpy(), layer.cell.recurrent_kernel.numpy()
    assert len(layer.losses) == 3
    want = 0.01 * np.sum(kernel**2) + 0.1 * np.sum(np.abs(recurrent)) + 0.01 * np.sum(np.abs(out.numpy()))
    assert float(sum(np.asarray(v) for v in layer.losses)) == pytest.approx(want, rel=1e-5)
    config = layer.get_config()
    assert config["kernel_regularizer"]["class_name"] == "L2"
    assert config["activity_regularizer"]["class_name"] == "L1"


@pytest.mark.parametrize("name", ["SimpleRNN", "LSTM", "GRU", "RNN", "Bidirectional", "TimeDistributed"])
def test_from_config_and_deserialize_round_trips_keep_outputs(name):
    layer = MAKERS[name]()
    x = RNG.standard_normal((2, 4, 5)).astype("float32")
    want = layer(x)
    for copy in (type(layer).from_config(layer.get_config()), L.deserialize(L.serialize(layer))):
        assert type(copy) is type(layer) and copy.get_config() == layer.get_config()
        copy(x)
        copy.set_weights(layer.get_weights())
        np.testing.assert_array_equal(copy(x).numpy(), want.numpy())


def test_cell_configs_round_trip():
    for cell in (L.SimpleRNNCell(3, seed=4), L.LSTMCell(3, unit_forget_bias=False), L.GRUCell(3, reset_after=False)):
        config = cell.get_config()
        assert type(cell).from_config(config).get_config() == config
    stacked = L.StackedRNNCells([L.LSTMCell(3), L.GRUCell(2)])
    config = stacked.get_config()
    assert [c["class_name"] for c in config["cells"]] == ["LSTMCell", "GRUCell"]
    assert L.StackedRNNCells.from_config(config).get_config() == config
    rnn = L.RNN([L.SimpleRNNCell(3), L.SimpleRNNCell(2)], return_sequences=True)
    assert rnn.get_config()["cell"]["class_name"] == "StackedRNNCells"
    assert L.RNN.from_config(rnn.get_config()).state_size == [3, 2]


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="expected a positive integer, got 0"):
        L.LSTM(0)
    with pytest.raises(ValueError, match="expected a positive integer"):
        L.GRUCell(-2)
    with pytest.raises(ValueError, match="Invalid merge mode"):
        L.Bidirectional(L.LSTM(3), merge_mode="max")
    with pytest.raises(ValueError, match="keras.layers.Layer"):
        L.Bidirectional("lstm")
    with pytest.raises(ValueError, match="use_cudnn"):
        L.GRU(3, use_cudnn="yes")
    with pytest.raises(ValueError, match="should have a `call` method"):
        L.RNN(object())
    with pytest.raises(ValueError, match="state_size"):
        L.RNN(L.Dense(3))
    with pytest.raises(ValueError, match="keras.layers.Layer"):
        L.TimeDistributed(lambda t: t)
    with pytest.raises(ValueError, match="different `go_backwards`"):
        L.Bidirectional(L.LSTM(3), backward_layer=L.LSTM(3))


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match=r"expected ndim=3, found ndim=2. Full shape received: \(32, 16\)"):
        L.LSTM(4)(np.zeros((32, 16), "float32"))
    with pytest.raises(ValueError, match=r"expected ndim=3, found ndim=2"):
        L.RNN(L.GRUCell(4))(np.zeros((32, 16), "float32"))
    # a sequence of unknown length runs in a while loop (tests/test_recurrent_unknown_length.py)
    assert tuple(L.LSTM(4, return_sequences=True)(tf.keras.Input((None, 3))).shape) == (None, None, 4)
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        L.TimeDistributed(L.Dense(2))(np.zeros((3, 4), "float32"))
    with pytest.raises(ValueError, match="batch size must be static"):
        L.LSTM(3, stateful=True)(tf.keras.Input((5, 3)))
