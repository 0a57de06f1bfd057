"""Keras models: Sequential, functional, subclassed; summary, weights, saving and loading."""

import os

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras
from ferroflow.framework.function import FuncGraph
from ferroflow.framework.ops import apply
from ferroflow.layers import Dense, Dropout, Flatten, Input, Layer


@pytest.fixture(autouse=True)
def fresh_names():
    keras.backend.clear_session()
    yield


def mnist_model():
    return keras.Sequential(
        [
            keras.layers.Flatten(input_shape=(28, 28)),
            keras.layers.Dense(512, activation="relu"),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def images(n=4, seed=0):
    return np.random.RandomState(seed).rand(n, 28, 28).astype(np.float32)


def test_mnist_model_builds_immediately_and_counts_params():
    with pytest.warns(UserWarning, match="input_shape"):
        model = mnist_model()
    assert model.built and model.count_params() == 407_050
    assert [layer.name for layer in model.layers] == ["flatten", "dense", "dropout", "dense_1"]
    y = model(images()).numpy()
    assert y.shape == (4, 10)
    np.testing.assert_allclose(y.sum(axis=1), 1, rtol=1e-5)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_summary_table_matches_keras():
    lines = []
    mnist_model().summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert lines[0] == 'Model: "sequential"'
    assert "Layer (type)" in lines[2] and "Output Shape" in lines[2] and "Param #" in lines[2]
    assert "flatten (Flatten)" in text and "(None, 784)" in text
    row = next(line for line in lines if "dense (Dense)" in line)
    assert "(None, 512)" in row and row.rstrip("│ ").endswith("401,920")
    assert " Total params: 407,050 (1.55 MB)" in lines
    assert " Trainable params: 407,050 (1.55 MB)" in lines
    assert " Non-trainable params: 0 (0.00 B)" in lines
    assert len({len(line) for line in lines[1:-3]}) == 1  # a rectangular table


def test_unbuilt_sequential_builds_on_first_batch():
    model = keras.Sequential([Flatten(), Dense(8, activation="relu"), Dense(3)])
    assert not model.built
    lines = []
    model.summary(print_fn=lines.append)
    assert " Total params: 0 (0.00 B)" in lines and any("?" in line for line in lines)
    model(np.ones((5, 2, 3), np.float32))
    assert model.built and model.count_params() == (6 * 8 + 8) + (8 * 3 + 3)
    assert tuple(model.output.shape) == (5, 3)  # as Keras: built for the first batch's shape
    model(np.ones((2, 2, 3), np.float32))  # another batch size still works


def test_sequential_add_pop_input_and_errors():
    model = keras.Sequential(name="seq")
    model.add(Input((4,)))
    model.add(Dense(3, name="a"))
    assert model.built and model.count_params() == 15
    model.add(Dense(2))
    assert model.output.shape == (None, 2)
    assert model.pop().units == 2 and model.output.shape == (None, 3)
    with pytest.raises(ValueError, match="unique names"):
        model.add(Dense(1, name="a"))
    with pytest.raises(ValueError, match="Only instances of `keras.Layer`"):
        model.add("dense")
    with pytest.raises(ValueError, match="expected shape=\\(None, 4\\), found shape=\\(2, 5\\)"):
        model(np.ones((2, 5), np.float32))
    with pytest.raises(TypeError, match="no layers"):
        keras.Sequential().pop()


def test_model_build_with_input_shape():
    model = keras.Sequential([Dense(4), Dense(1)])
    model.build((None, 6))
    assert model.count_params() == 6 * 4 + 4 + 5
    assert len(model.trainable_weights) == 4


def test_graph_forward_is_named_by_scopes_and_matches_eager():
    with pytest.warns(UserWarning):
        model = mnist_model()
    x = images(3)
    eager = model(x, training=False).numpy()
    traced = tf.function(lambda t: model(t, training=False))(x).numpy()
    np.testing.assert_allclose(eager, traced, rtol=1e-5, atol=1e-7)
    g = FuncGraph()
    with g.as_default():
        p = apply("placeholder", [], {"dtype": "float32", "shape": [None, 28, 28]})
        y = model(p, training=True)
    assert tuple(y.shape) == (None, 10)
    names = [t.name for t in g.get_operations()]
    assert any("dense/MatMul" in n for n in names) and any("dropout/" in n for n in names)


def test_dropout_only_in_training():
    model = keras.Sequential([Input((100,)), Dropout(0.5)])
    x = np.ones((4, 100), np.float32)
    np.testing.assert_array_equal(model(x).numpy(), x)
    assert (model(x, training=True).numpy() == 0).any()


def test_functional_model_multi_input_and_replay():
    a, b = Input((3,), name="a"), Input((2,), name="b")
    ha = Dense(4, name="da")(a)
    hb = Dense(4, name="db")(b)
    shared = Dense(1, name="out")
    out = shared(keras.layers.Activation("linear")(ha))
    model = keras.Model(inputs=[a, b], outputs=[out, hb], name="two")
    # Keras 3's order (TF 2.21): by depth from the outputs, ties in the order reached from them
    assert [layer.name for layer in model.layers] == ["a", "da", "activation", "b", "out", "db"]
    xa, xb = np.ones((2, 3), np.float32), np.ones((2, 2), np.float32)
    y1, y2 = model([xa, xb])
    assert y1.shape == (2, 1) and y2.shape == (2, 4)
    expect = shared(model.get_layer("activation")(model.get_layer("da")(xa))).numpy()
    np.testing.assert_allclose(y1.numpy(), expect, rtol=1e-6)
    lines = []
    model.summary(print_fn=lines.append)
    assert any("Connected to" in line for line in lines)


def test_functional_model_default_name_and_nesting():
    inp = Input((5,))
    inner = keras.Model(inp, Dense(3)(inp))
    assert inner.name == "functional"
    x = Input((5,))
    outer = keras.Model(x, Dense(2)(inner(x)))
    assert outer.count_params() == 18 + 8
    assert outer(np.ones((1, 5), np.float32)).shape == (1, 2)


def test_graph_disconnected_raises():
    a, b = Input((3,)), Input((3,))
    out = Dense(1)(b)
    with pytest.raises(ValueError, match="Graph disconnected"):
        keras.Model(a, out)


class TwoLayer(keras.Model):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = Dense(units, activation="relu")
        self.drop = Dropout(0.5)
        self.out = Dense(2)

    def call(self, inputs, training=None):
        return self.out(self.drop(self.hidden(inputs), training=training))

    def get_config(self):
        return {"units": self.units, "name": self.name}


def test_subclassed_model_tracks_layers_and_builds():
    model = TwoLayer()
    assert model.name == "two_layer" and not model.built
    x = np.ones((3, 5), np.float32)
    np.testing.assert_array_equal(model(x).numpy(), model(x, training=False).numpy())
    assert model.layers == [model.hidden, model.drop, model.out]
    assert model.count_params() == 5 * 4 + 4 + 4 * 2 + 2
    built = TwoLayer()
    built.build((None, 7))
    assert built.built and built.count_params() == 7 * 4 + 4 + 10


def test_get_set_weights_round_trip_and_errors():
    model = keras.Sequential([Input((3,)), Dense(4), Dense(2)])
    weights = [np.full(w.shape, i, np.float32) for i, w in enumerate(model.get_weights())]
    model.set_weights(weights)
    for got, want in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="weight list of length 3, but the model was expecting 4 weights"):
        model.set_weights(weights[:3])
    bad = list(weights)
    bad[2] = np.zeros((5, 2), np.float32)
    with pytest.raises(ValueError, match=r"Layer dense_1 weight shape \(4, 2\) .* provided weight shape \(5, 2\)"):
        model.set_weights(bad)
    np.testing.assert_array_equal(model.get_weights()[0], weights[0])  # nothing assigned on error


def test_get_layer():
    model = keras.Sequential([Input((3,)), Dense(4, name="h"), Dense(2)])
    assert model.get_layer("h") is model.layers[0] and model.get_layer(index=1) is model.layers[1]
    with pytest.raises(ValueError, match="No such layer: nope"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="only has 2 layers"):
        model.get_layer(index=5)


@pytest.mark.parametrize("suffix", [".weights.h5", ".weights.npz"])
def test_save_and_load_weights(tmp_path, suffix):
    model = keras.Sequential([Input((6,)), Dense(5, activation="relu"), Dense(2)])
    x = np.random.RandomState(1).rand(3, 6).astype(np.float32)
    path = tmp_path / f"m{suffix}"
    model.save_weights(path)
    other = keras.Sequential([Input((6,)), Dense(5, activation="relu"), Dense(2)])
    assert not np.allclose(other(x).numpy(), model(x).numpy())
    other.load_weights(path)
    np.testing.assert_array_equal(other(x).numpy(), model(x).numpy())
    with pytest.raises(ValueError, match=r"must end in `.weights.h5`"):
        model.save_weights(tmp_path / "m.h5")
    wrong = keras.Sequential([Input((6,)), Dense(4), Dense(2)])
    with pytest.raises(ValueError, match="not compatible"):
        wrong.load_weights(path)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_save_and_load_model_sequential(tmp_path):
    model = mnist_model()
    x = images(5)
    path = tmp_path / "mnist.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, keras.Sequential) and loaded.name == "sequential"
    assert [type(layer).__name__ for layer in loaded.layers] == ["Flatten", "Dense", "Dropout", "Dense"]
    np.testing.assert_array_equal(loaded(x).numpy(), model(x).numpy())
    assert loaded.count_params() == 407_050


def test_save_and_load_functional_model(tmp_path):
    a, b = Input((3,), name="a"), Input((2,), name="b")
    shared = Dense(4, name="shared", activation="tanh")
    out = Dense(1, name="head")(shared(Dense(3)(a)))
    model = keras.Model([a, b], [out, Dense(2)(b)])
    xs = [np.ones((2, 3), np.float32), np.ones((2, 2), np.float32)]
    model.save(tmp_path / "f.keras")
    loaded = keras.saving.load_model(tmp_path / "f.keras")
    for got, want in zip(loaded(xs), model(xs)):
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]


def test_save_and_load_subclassed_model_needs_custom_objects(tmp_path):
    model = TwoLayer(units=3)
    x = np.ones((2, 5), np.float32)
    y = model(x).numpy()
    model.save(tmp_path / "s.keras")
    with pytest.raises(TypeError, match="Could not locate class 'TwoLayer'"):
        keras.models.load_model(tmp_path / "s.keras")
    loaded = keras.models.load_model(tmp_path / "s.keras", custom_objects={"TwoLayer": TwoLayer})
    np.testing.assert_array_equal(loaded(x).numpy(), y)


def test_custom_layer_registered_round_trip(tmp_path):
    @keras.saving.register_keras_serializable(package="test")
    class Times(Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, inputs):
            return inputs * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    model = keras.Sequential([Input((2,)), Times(3.0), Dense(1)])
    model.save(tmp_path / "c.keras")
    loaded = keras.models.load_model(tmp_path / "c.keras")
    x = np.ones((1, 2), np.float32)
    np.testing.assert_array_equal(loaded(x).numpy(), model(x).numpy())


def test_save_requires_keras_extension(tmp_path):
    model = keras.Sequential([Input((2,)), Dense(1)])
    with pytest.raises(ValueError, match="Invalid filepath extension for saving"):
        model.save(tmp_path / "m.h5")
    with pytest.raises(ValueError, match="File format not supported"):
        keras.models.load_model(tmp_path / "m.h5")


def test_failed_save_keeps_old_file(tmp_path, monkeypatch):
    model = keras.Sequential([Input((2,)), Dense(1)])
    path = tmp_path / "m.keras"
    model.save(path)
    before = path.read_bytes()
    model.get_layer(index=0).kernel.assign(np.full((2, 1), 9.0, np.float32))

    def broken_config():
        return {"not json": object()}

    monkeypatch.setattr(model, "get_config", broken_config)
    with pytest.raises(TypeError, match="not JSON-serializable"):
        model.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.keras"]  # no temporary left behind


def test_loading_corrupt_file_names_it(tmp_path):
    path = tmp_path / "bad.keras"
    path.write_bytes(b"this is not a zip archive")
    with pytest.raises(ValueError, match="bad.keras"):
        keras.models.load_model(path)
    model = keras.Sequential([Input((2,)), Dense(1)])
    model.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="bad.keras"):
        keras.models.load_model(path)
    with pytest.raises(FileNotFoundError):
        keras.models.load_model(tmp_path / "missing.keras")


def test_config_round_trip_and_json():
    model = keras.Sequential([Input((4,)), Dense(3, activation="relu"), Dropout(0.1), Dense(1)], name="cfg")
    config = model.get_config()
    assert config["name"] == "cfg" and config["layers"][0]["class_name"] == "InputLayer"
    clone = keras.Sequential.from_config(config)
    assert clone.built and clone.count_params() == model.count_params()
    again = keras.models.model_from_json(model.to_json())
    assert [type(layer) for layer in again.layers] == [type(layer) for layer in model.layers]
    assert os.path.basename(__file__) == "test_models.py"


def test_keras_namespace_exports():
    import ferroflow.keras.layers as klayers

    assert klayers.Dense is tf.keras.layers.Dense is tf.layers.Dense
    assert keras.Sequential is tf.models.Sequential and keras.Model is tf.keras.models.Model
    assert keras.Input is Input and callable(keras.models.load_model)
    assert keras.datasets.mnist.load_data is tf.datasets.mnist.load_data
    np.testing.assert_array_equal(keras.utils.to_categorical([0, 2], 3), [[1, 0, 0], [0, 0, 1]])
