"""keras.utils.normalize, the train-step data helpers and the serialization names keras.utils exports (as
Keras 3.15), the ops crossentropies on a target of unknown rank (a squeezed label batch in a graph), and
split_dataset, standardize_dtype, get_source_inputs, Config and the interactive-logging switch (expected
values and messages recorded from Keras 3.15 with TensorFlow 2.21)."""

import logging
import re

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras


def test_normalize_numpy_and_tensor():
    x = np.array([[3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(keras.utils.normalize(x), [[0.6, 0.8], [0.0, 0.0]])
    # Keras 3.15's NumPy branch expands the norms on the last axis even for axis=0 (`axis or -1`).
    np.testing.assert_allclose(keras.utils.normalize(x, axis=0), [[1.0, 4.0 / 3.0], [0.0, 0.0]])
    t = keras.utils.normalize(keras.ops.convert_to_tensor([[3.0, 4.0], [1.0, 0.0]]), axis=0)
    np.testing.assert_allclose(t.numpy(), [[0.9486832618713379, 1.0], [0.3162277638912201, 0.0]], rtol=1e-6)


def test_exported_helpers():
    assert keras.utils.unpack_x_y_sample_weight((1, 2)) == (1, 2, None)
    assert keras.utils.pack_x_y_sample_weight(1) == 1  # as Keras 3.15: x alone is returned as it is
    assert keras.utils.pack_x_y_sample_weight(1, 2) == (1, 2)
    assert keras.utils.is_keras_tensor(keras.Input((2,))) and not keras.utils.is_keras_tensor(tf.ones(2))
    layer = keras.layers.Dense(3, name="d")
    config = keras.utils.serialize_keras_object(layer)
    assert config["class_name"] == "Dense" and keras.utils.deserialize_keras_object(config).units == 3
    with keras.utils.custom_object_scope({"X": int}):
        assert keras.utils.get_registered_object("X") is int


def test_categorical_crossentropy_on_a_target_of_unknown_rank():
    @tf.function(input_signature=[tf.TensorSpec([None, 1], "int32"), tf.TensorSpec([None, 3])])
    def f(labels, logits):
        y = keras.ops.squeeze(labels)  # unknown rank while tracing: the batch may be 1
        y = keras.ops.one_hot(y, 3)
        return keras.ops.categorical_crossentropy(y, logits, from_logits=True)

    logits = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], "float32")
    out = f(np.array([[2], [0]], "int32"), logits).numpy()
    expected = [np.log(np.exp(logits[0]).sum()) - 3.0, np.log(3.0)]
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def _rows(ds):
    return [tuple(np.asarray(v).tolist() for v in e) if isinstance(e, tuple) else np.asarray(e).tolist() for e in ds]


def test_split_dataset_arrays():
    x = np.arange(10).reshape(10, 1).astype("float32")
    left, right = keras.utils.split_dataset((x, np.arange(10)), left_size=0.7, shuffle=True, seed=3)
    assert isinstance(left, tf.data.Dataset)
    assert [s.dtype.name for s in left.element_spec] == ["float32", "int64"]
    assert left.element_spec[0].shape.as_list() == [1]
    # Keras shuffles the listed samples with Python's random.seed(seed): the same seed picks the same samples.
    assert _rows(left) == [([v], v) for v in (1, 5, 6, 0, 9, 4, 7)]
    assert _rows(right) == [([v], v) for v in (2, 8, 3)]
    left, right = keras.utils.split_dataset(np.arange(10), right_size=3)
    assert _rows(left) == list(range(7)) and _rows(right) == [7, 8, 9]
    left, right = keras.utils.split_dataset(np.arange(10), left_size=0.5, shuffle=True, seed=1)
    assert _rows(left) == [6, 8, 9, 7, 5] and _rows(right) == [3, 0, 4, 1, 2]
    left, right = keras.utils.split_dataset([np.arange(5), np.arange(5) * 3], left_size=2, right_size=2)
    assert _rows(left) == [(0, 0), (1, 3)] and _rows(right) == [(3, 9), (4, 12)]


def test_split_dataset_rebatches_a_batched_dataset():
    ds = tf.data.Dataset.from_tensor_slices({"a": np.arange(7), "b": np.arange(7) * 2.0}).batch(3)
    left, right = keras.utils.split_dataset(ds, left_size=4)
    assert left.element_spec["a"].shape.as_list() == [None] and left.element_spec["b"].dtype.name == "float64"
    as_lists = lambda d: [{k: v.numpy().tolist() for k, v in e.items()} for e in d]  # noqa: E731
    assert as_lists(left) == [{"a": [0, 1, 2], "b": [0.0, 2.0, 4.0]}, {"a": [3], "b": [6.0]}]
    assert as_lists(right) == [{"a": [4, 5, 6], "b": [8.0, 10.0, 12.0]}]
    # an unbatched dataset stays unbatched
    left, right = keras.utils.split_dataset(tf.data.Dataset.range(6).map(lambda v: v * 2), right_size=0.5)
    assert _rows(left) == [0, 2, 4] and _rows(right) == [6, 8, 10]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({}, ValueError, "At least one of the `left_size` or `right_size` must be specified. Received: left_size=None"),
        ({"left_size": 0, "right_size": 0}, ValueError, "Both `left_size` and `right_size` are zero."),
        ({"left_size": 10}, ValueError, "`left_size` should be either a positive integer smaller than 10, or a float"),
        ({"left_size": 1.5}, ValueError, "within the range `[0, 1]`. Received: left_size=1.5"),
        ({"left_size": "a"}, TypeError, "Invalid `left_size` Type. Expected: int or float or None, Received: type("),
        ({"left_size": "a", "right_size": "b"}, TypeError, "Invalid `left_size` and `right_size` Types."),
        ({"left_size": 3, "right_size": "b"}, TypeError, "Invalid `right_size` Type. Expected: int or float or None,"),
        (
            {"left_size": 0.6, "right_size": 0.6},
            ValueError,
            "The sum of `left_size` and `right_size` is greater than 1.",
        ),
        ({"left_size": 6, "right_size": 6}, ValueError, "Received: left_size + right_size = 12.0and total_length = 10"),
        ({"left_size": 0.01}, ValueError, "`left_size`=0 and `right_size`=10.Resulting left side dataset split will"),
    ],
)
def test_split_dataset_size_errors(kwargs, error, message):
    with pytest.raises(error) as info:
        keras.utils.split_dataset(np.arange(10), **kwargs)
    assert message in str(info.value)


@pytest.mark.parametrize(
    "dataset, error, message",
    [
        ({"a": np.arange(3)}, TypeError, "Unsupported dataset type: <class 'dict'>"),
        (5, TypeError, "Unsupported dataset type: <class 'int'>"),
        ([], ValueError, "Received an empty list dataset. Please provide a non-empty list of arrays."),
        ([np.arange(3), [1, 2, 3]], ValueError, "Expected a list of `numpy.ndarray` objects,Received: <class 'list'>"),
        (
            [np.arange(3), np.arange(4)],
            ValueError,
            "Mismatch found at index 1, Expected shape=(3,) Received shape=(4,)",
        ),
        ((np.arange(3), np.arange(4)), ValueError, "Received a tuple of NumPy arrays with different lengths."),
        (tf.data.Dataset.from_tensor_slices(np.zeros((0,))), ValueError, "Received an empty dataset. Argument"),
    ],
)
def test_split_dataset_input_errors(dataset, error, message):
    with pytest.raises(error) as info:
        keras.utils.split_dataset(dataset, left_size=1)
    assert message in str(info.value)


def test_standardize_dtype():
    got = [
        keras.utils.standardize_dtype(d)
        for d in (None, "float32", int, float, bool, str, complex, "int", np.float64, np.dtype("int16"))
    ]
    assert got == [
        "float32",
        "float32",
        "int64",
        "float32",
        "bool",
        "string",
        "complex128",
        "int64",
        "float64",
        "int16",
    ]
    assert [keras.utils.standardize_dtype(d) for d in (tf.bfloat16, tf.uint8, np.bool_, tf.string, tf.complex64)] == [
        "bfloat16",
        "uint8",
        "bool",
        "string",
        "complex64",
    ]
    for bad, name in (("float", "float"), ("int128", "int128"), (object, "object")):
        with pytest.raises(ValueError, match=f"^Invalid dtype: {name}$"):
            keras.utils.standardize_dtype(bad)


def test_get_source_inputs():
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    h = keras.layers.Dense(2)(a)
    s = keras.layers.Add()([h, keras.layers.Dense(2)(b)])
    o = keras.layers.Concatenate()([s, h, keras.layers.Dense(2)(a)])
    assert [t.name for t in keras.utils.get_source_inputs(o)] == ["a", "b"]
    assert keras.utils.get_source_inputs(a)[0] is a and keras.utils.get_source_inputs(h)[0] is a
    model = keras.Model([a, b], o)
    c, d = keras.Input((3,), name="c"), keras.Input((3,), name="d")
    assert [t.name for t in keras.utils.get_source_inputs(model([c, d]))] == ["c", "d"]
    assert keras.utils.get_source_inputs(5) == 5


def test_config():
    c = keras.utils.Config(lr=0.1, momentum=0.9)
    c.seed = 3
    c["b"] = 1
    assert repr(c) == "<Config {'lr': 0.1, 'momentum': 0.9, 'seed': 3, 'b': 1}>"
    assert list(c) == ["b", "lr", "momentum", "seed"] and len(c) == 4 and "lr" in c and c.lr == c["lr"] == 0.1
    assert c.to_json() == '{"lr": 0.1, "momentum": 0.9, "seed": 3, "b": 1}' and c.get("zz", 4) == 4
    with pytest.raises(AttributeError, match=re.escape("Unknown attribute: 'lrr'. Did you mean 'lr'?")):
        _ = c.lrr
    c.freeze()
    assert c.frozen
    for change in (lambda: setattr(c, "x", 1), lambda: c.update(a=1), lambda: c.pop("lr"), lambda: c.__delitem__("b")):
        with pytest.raises(ValueError, match="Cannot mutate attribute"):
            change()
    c.unfreeze()
    c.pop("b")
    del c["seed"]
    c.update(z=2)
    assert c.as_dict() == {"lr": 0.1, "momentum": 0.9, "z": 2} and list(c.items())[-1] == ("z", 2)


def test_interactive_logging_switches_fit_output(capsys, caplog):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    assert keras.utils.is_interactive_logging_enabled()
    caplog.set_level(logging.INFO, logger="ferroflow")
    keras.utils.disable_interactive_logging()
    try:
        assert not keras.utils.is_interactive_logging_enabled()
        model.fit(x, y, epochs=2, batch_size=4, verbose=1)
        model.fit(x, y, epochs=1, batch_size=4, verbose=2)
    finally:
        keras.utils.enable_interactive_logging()
    assert capsys.readouterr().out == ""
    lines = [r.getMessage() for r in caplog.records if r.name == "ferroflow"]
    assert lines[0] == "Epoch 1/2" and "Epoch 2/2" in lines
    bars = [m for m in lines if m.startswith("2/2 ━")]
    assert len(bars) == 2 and all("\x1b" not in m and "\b" not in m and "\r" not in m for m in lines)
    assert re.fullmatch(r"2/2 - \d+s - \d+[mu]?s/step - loss: \d\.\d{4}", lines[-1])
    caplog.clear()
    model.fit(x, y, epochs=1, batch_size=4, verbose=2)
    assert re.fullmatch(r"2/2 - \d+s - \d+[mu]?s/step - loss: \d\.\d{4}\n", capsys.readouterr().out)
    assert not [r for r in caplog.records if r.name == "ferroflow"]


def test_summary_is_logged_when_interactive_logging_is_off(capsys, caplog):
    # Keras's print_summary: with no print_fn and interactive logging off, each line goes to io_utils.print_msg.
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, name="dense_out")])
    caplog.set_level(logging.INFO, logger="ferroflow")
    keras.utils.disable_interactive_logging()
    try:
        model.summary()
    finally:
        keras.utils.enable_interactive_logging()
    assert capsys.readouterr().out == ""
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "ferroflow")
    assert "dense_out" in logged and "Total params: 9" in logged
    caplog.clear()
    model.summary()
    printed = capsys.readouterr().out
    assert "dense_out" in printed and "Total params: 9" in printed
    assert not [r for r in caplog.records if r.name == "ferroflow"]
