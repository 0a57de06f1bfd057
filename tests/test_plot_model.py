"""keras.utils.model_to_dot / plot_model: the DOT source of models with branches and merges."""

import re
import shutil
import sys
import types

import pytest

import ferroflow as tf

layers = tf.keras.layers


def _residual_model():
    inputs = tf.keras.Input((8, 8, 3), name="image")
    x = layers.Conv2D(4, 3, padding="same", name="stem")(inputs)
    y = layers.Conv2D(4, 3, padding="same", activation="relu", name="branch")(x)
    x = layers.add([x, y], name="merge")
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    return tf.keras.Model(inputs, layers.Dense(2, name="head")(x))


def _edges(source):
    names = dict(re.findall(r'(node_\d+) \[label="([^ "\\]+)', source))
    return {(names[a], names[b]) for a, b in re.findall(r"(node_\d+) -> (node_\d+);", source)}


def test_model_to_dot_has_every_layer_and_connection():
    source = tf.keras.utils.model_to_dot(_residual_model(), show_shapes=True).to_string()
    assert source.startswith("digraph G {") and source.rstrip().endswith("}")
    assert _edges(source) == {
        ("image", "stem"),
        ("stem", "branch"),
        ("stem", "merge"),
        ("branch", "merge"),
        ("merge", "pool"),
        ("pool", "head"),
    }
    assert "merge (Add)" in source and "Output shape: (None, 8, 8, 4)" in source
    sequential = tf.keras.Sequential([tf.keras.Input((3,)), layers.Dense(2, name="a"), layers.Dense(1, name="b")])
    assert ("a", "b") in _edges(tf.keras.utils.model_to_dot(sequential).to_string())
    with pytest.raises(ValueError, match="rankdir"):
        tf.keras.utils.model_to_dot(sequential, rankdir="BT")


def test_plot_model_writes_dot_and_renders_with_graphviz_or_says_how(tmp_path):
    model = _residual_model()
    tf.keras.utils.plot_model(model, to_file=str(tmp_path / "model.dot"), rankdir="LR")
    assert "rankdir=LR" in (tmp_path / "model.dot").read_text()
    png = tmp_path / "model.png"
    if shutil.which("dot"):
        tf.keras.utils.plot_model(model, to_file=str(png))
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        with pytest.raises(ImportError, match=r"You must install graphviz \(see instructions at"):
            tf.keras.utils.plot_model(model, to_file=str(png))
        assert not png.exists()


def test_plot_model_without_graphviz_in_ipython_prints_keras_message(tmp_path, monkeypatch, capsys):
    """Keras prints the message instead of raising when IPython is running, so a notebook goes on."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setitem(sys.modules, "IPython.core.magics.namespace", types.ModuleType("namespace"))
    assert tf.keras.utils.plot_model(_residual_model(), to_file=str(tmp_path / "m.png")) is None
    assert capsys.readouterr().out == (
        "You must install graphviz (see instructions at https://graphviz.gitlab.io/download/) "
        "for `plot_model` to work.\n"
    )
    assert not (tmp_path / "m.png").exists()


def test_plot_model_of_unbuilt_model_raises_as_keras():
    with pytest.raises(ValueError, match="This model has not yet been built"):
        tf.keras.utils.plot_model(tf.keras.Sequential([tf.keras.layers.Dense(2)]), to_file="unused.png")
