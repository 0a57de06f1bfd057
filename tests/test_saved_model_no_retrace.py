"""``tf.saved_model.save`` runs a ``tf.function``'s Python body as TensorFlow 2.21 does: once per input signature
at the first save (TensorFlow traces under its save context), never for traces an earlier save made, and never
for a signature given as a concrete function. The counts below are TensorFlow 2.21's for the same code."""

from __future__ import annotations

import os

import numpy as np

import ferroflow as tf


class _Counted(tf.Module):
    def __init__(self) -> None:
        super().__init__()
        self.v = tf.Variable(2.0)
        self.log: list = []

    @tf.function
    def f(self, x):
        self.log.append(("f", None if x.shape.rank is None else tuple(x.shape.as_list())))
        return x * self.v

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def g(self, x):
        self.log.append(("g", tuple(x.shape.as_list())))
        return {"y": x + self.v}


def test_traced_signature_runs_once_at_the_first_save_only(tmp_path) -> None:
    m = _Counted()
    before = m.f(tf.constant(3.0)).numpy()
    assert m.log == [("f", ())]
    tf.saved_model.save(m, str(tmp_path / "a"))
    # One trace for saving per signature (f's scalar trace, g's input signature), f's first as in TensorFlow.
    assert m.log == [("f", ()), ("f", ()), ("g", (None,))]
    tf.saved_model.save(m, str(tmp_path / "b"))
    tf.saved_model.save(m, str(tmp_path / "c"), signatures=m.g)
    assert len(m.log) == 3
    m.f(tf.constant(4.0))
    assert len(m.log) == 3
    loaded = tf.saved_model.load(str(tmp_path / "c"))
    assert loaded.f(tf.constant(3.0)).numpy() == before == 6.0
    np.testing.assert_array_equal(loaded.signatures["serving_default"](tf.constant([1.0, 2.0]))["y"].numpy(), [3, 4])


def test_input_signature_is_traced_once_for_saving_and_once_when_called(tmp_path) -> None:
    m = _Counted()
    tf.saved_model.save(m, str(tmp_path / "a"), signatures=m.g)
    assert m.log == [("g", (None,))]
    tf.saved_model.save(m, str(tmp_path / "b"), signatures={"serving_default": m.g.get_concrete_function()})
    assert m.log == [("g", (None,)), ("g", (None,))]  # get_concrete_function traces outside saving
    tf.saved_model.save(m, str(tmp_path / "c"))
    m.g(tf.constant([5.0]))
    assert len(m.log) == 2
    loaded = tf.saved_model.load(str(tmp_path / "c"))
    assert list(loaded.signatures) == ["serving_default"]
    np.testing.assert_array_equal(loaded.g(tf.constant([5.0, 6.0]))["y"].numpy(), [7.0, 8.0])


def test_concrete_function_signature_reuses_the_functions_trace(tmp_path) -> None:
    m = _Counted()
    call = m.f.get_concrete_function(tf.TensorSpec(None, tf.float32))
    assert m.log == [("f", None)]
    # The unknown-shape trace accepts a vector spec and vectors: no new trace, as TensorFlow's function cache.
    assert (
        m.f.get_concrete_function(tf.TensorSpec([None], tf.float32)).structured_input_signature[0][0].shape.rank is None
    )
    np.testing.assert_array_equal(m.f(tf.constant([1.0, 2.0])).numpy(), [2.0, 4.0])
    assert m.f.experimental_get_tracing_count() == 1
    signatures = {"serving_default": call, "vector": m.f.get_concrete_function(tf.TensorSpec([None], tf.float32))}
    tf.saved_model.save(m, str(tmp_path / "a"), signatures=signatures)
    assert m.log == [("f", None), ("f", None), ("g", (None,))]
    loaded = tf.saved_model.load(str(tmp_path / "a"))
    assert list(loaded.signatures) == ["serving_default", "vector"]
    np.testing.assert_array_equal(loaded.signatures["vector"](tf.constant([1.0, 3.0]))["output_0"].numpy(), [2, 6])
    assert loaded.f(tf.constant(5.0)).numpy() == 10.0
    np.testing.assert_array_equal(loaded.f(tf.constant([[1.0], [2.0]])).numpy(), [[2.0], [4.0]])


def test_reused_traces_save_the_variables_current_values(tmp_path) -> None:
    m = _Counted()
    m.f(tf.constant(1.0))
    tf.saved_model.save(m, str(tmp_path / "a"))
    m.v.assign(10.0)
    tf.saved_model.save(m, str(tmp_path / "b"))
    assert len(m.log) == 3
    assert tf.saved_model.load(str(tmp_path / "a")).f(tf.constant(1.0)).numpy() == 2.0
    assert tf.saved_model.load(str(tmp_path / "b")).f(tf.constant(1.0)).numpy() == 10.0


def test_keras_model_export_is_unaffected(tmp_path) -> None:
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    model.set_weights([np.arange(6, dtype="float32").reshape(3, 2) / 10, np.array([0.5, -0.5], "float32")])
    x = np.array([[1.0, 2.0, 3.0]], "float32")
    expected = model(x).numpy()
    for name in ("a", "b"):
        path = os.path.join(str(tmp_path), name)
        tf.saved_model.save(model, path)
        serve = tf.saved_model.load(path).signatures["serving_default"]
        (got,) = serve(tf.constant(x)).values()
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-6)
