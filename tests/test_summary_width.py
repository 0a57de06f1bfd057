"""Model.summary()'s table width and cell wrapping, and layer.input / layer.output, as Keras 3 prints and
returns them. Expected tables are TensorFlow 2.21's (Keras 3 + rich) output for the same models."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
layers = keras.layers

SEQUENTIAL_80 = """\
Model: "seq"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ a_very_long_layer_name_that_wr… │ (None, 2)              │            10 │
│ (Dense)                         │                        │               │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 10 (40.00 B)
 Trainable params: 10 (40.00 B)
 Non-trainable params: 0 (0.00 B)"""

SEQUENTIAL_WIDE = """\
Model: "seq"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
│ a_very_long_layer_name_that_wraps_a… │ (None, 2)                   │              10 │
│ (Dense)                              │                             │                 │
└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘"""

FUNCTIONAL_80 = """\
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ in1 (InputLayer)    │ (None, 3)         │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ in2 (InputLayer)    │ (None, 3)         │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ add (Add)           │ (None, 3)         │          0 │ in1[0][0],        │
│                     │                   │            │ in2[0][0]         │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘"""

FUNCTIONAL_WIDE_RULE = "┏" + "━" * 31 + "┳" + "━" * 27 + "┳" + "━" * 17 + "┳" + "━" * 28 + "┓"


def _sequential() -> keras.Model:
    return keras.Sequential(
        [keras.Input((4,)), layers.Dense(2, name="a_very_long_layer_name_that_wraps_around_here")], name="seq"
    )


def _functional() -> keras.Model:
    a, b = keras.Input((3,), name="in1"), keras.Input((3,), name="in2")
    return keras.Model([a, b], layers.add([a, b]))


def _summary(model: keras.Model, **kwargs) -> str:
    lines: list = []
    model.summary(print_fn=lines.append, **kwargs)
    return "\n".join(lines)


def test_table_fits_an_80_column_console_when_output_is_not_a_terminal(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)  # pytest captures output: not a terminal, 80 columns
    assert _summary(_sequential()) == SEQUENTIAL_80
    assert FUNCTIONAL_80 in _summary(_functional())


def test_wide_console_gets_keras_default_88_and_108_column_tables(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    text = _summary(_sequential())
    assert text.startswith(SEQUENTIAL_WIDE)
    assert {len(line) for line in text.splitlines()[1:7]} == {88}
    assert _summary(_functional()).splitlines()[1] == FUNCTIONAL_WIDE_RULE


def test_line_length_argument_overrides_the_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    lines = _summary(_sequential(), line_length=100).splitlines()
    assert len(lines[1]) == 100


def test_too_narrow_console_raises_as_keras(monkeypatch):
    with pytest.raises(ValueError, match="Insufficient console width"):
        _summary(_sequential(), line_length=10)


def test_layer_input_and_output_are_those_of_its_first_symbolic_call():
    dense = layers.Dense(3)
    with pytest.raises(AttributeError, match="The layer dense.* has never been called and thus has no defined output"):
        _ = dense.output
    x = keras.Input((4,))
    y = dense(x)
    dense(keras.Input((4,)))
    assert dense.output is y and dense.input is x
    model = keras.Sequential([keras.Input((5,)), layers.Dense(2), layers.Dense(1)])
    extractor = keras.Model(model.inputs, [layer.output for layer in model.layers])
    a, b = extractor(np.ones((2, 5), np.float32))
    np.testing.assert_allclose(b.numpy(), model.layers[1](a).numpy(), rtol=1e-6)


def test_sequential_built_by_a_call_keeps_that_batch_size_in_its_summary(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    model = keras.Sequential([layers.Dense(2), layers.Dense(3)])
    model(np.ones((1, 4), np.float32))
    assert "│ (1, 2)  " in _summary(model)
    assert model(np.ones((5, 4), np.float32)).shape == (5, 3)  # other batch sizes still run


SHOW_TRAINABLE = """\
Model: "s"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━┓
┃ Layer (type)                ┃ Output Shape          ┃    Param # ┃ Trai… ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━┩
│ d1 (Dense)                  │ (None, 2)             │         10 │   Y   │
├─────────────────────────────┼───────────────────────┼────────────┼───────┤
│ drop (Dropout)              │ (None, 2)             │          0 │   -   │
├─────────────────────────────┼───────────────────────┼────────────┼───────┤
│ d2 (Dense)                  │ (None, 3)             │          9 │   N   │
└─────────────────────────────┴───────────────────────┴────────────┴───────┘
 Total params: 19 (76.00 B)
 Trainable params: 10 (40.00 B)
 Non-trainable params: 9 (36.00 B)"""


def test_show_trainable_adds_keras_centred_column(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            layers.Dense(2, name="d1"),
            layers.Dropout(0.1, name="drop"),
            layers.Dense(3, name="d2", trainable=False),
        ],
        name="s",
    )
    assert _summary(model, show_trainable=True) == SHOW_TRAINABLE
