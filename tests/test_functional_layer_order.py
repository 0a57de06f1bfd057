"""A functional model's ``layers`` (and so weights and summary rows) in Keras 3's order: by depth from the
outputs, ties broken by the order the walk from the outputs reaches them. Expected lists are TF 2.21's."""

import ferroflow as tf

keras = tf.keras
L = keras.layers


def test_encoder_decoder_branches_interleave_by_depth() -> None:
    keras.backend.clear_session()
    a, b = keras.Input((None,)), keras.Input((None,))
    ea, eb = L.Embedding(10, 4)(a), L.Embedding(10, 4)(b)
    _, h, c = L.LSTM(3, return_state=True)(ea)
    d = L.LSTM(3)(eb, initial_state=[h, c])
    model = keras.Model([a, b], L.Dense(2)(d))
    names = ["input_layer", "input_layer_1", "embedding", "embedding_1", "lstm", "lstm_1", "dense"]
    assert [layer.name for layer in model.layers] == names


def test_shared_layer_and_unused_input() -> None:
    x, y, z = (keras.Input((4,), name=n) for n in "xyz")
    shared = L.Dense(4, name="shared")
    s1, s2 = shared(x), shared(L.Dense(4, name="pre")(y))
    out = L.Add(name="add")([s1, L.Dense(4, name="post")(s2)])
    model = keras.Model([x, y, z], [out, L.Dense(1, name="head")(s1)])
    assert [layer.name for layer in model.layers] == ["y", "x", "pre", "shared", "post", "z", "add", "head"]
    assert [w.shape for w in model.get_weights()] == [(4, 4), (4,), (4, 4), (4,), (4, 4), (4,), (4, 1), (1,)]


def test_two_outputs_order() -> None:
    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    ha, hb = L.Dense(4, name="da")(a), L.Dense(4, name="db")(b)
    out = L.Dense(1, name="out")(L.Activation("linear", name="act")(ha))
    model = keras.Model([a, b], [out, hb])
    assert [layer.name for layer in model.layers] == ["a", "da", "act", "b", "out", "db"]
