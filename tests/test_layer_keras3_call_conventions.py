"""Keras 3 conventions the "Custom layers" tutorial meets (expected values from TensorFlow 2.21 / Keras 3):
``add_weight`` takes shape, initializer and dtype positionally but never the name; ``name=''`` is kept (not
replaced by an automatic name); ``summary()`` shows an eagerly called layer's output shape from the call that
built it, batch size included; ``tf.test`` answers the build and device questions."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest

import ferroflow as tf


def test_add_weight_rejects_a_positional_name() -> None:
    layer = tf.keras.layers.Layer()
    with pytest.raises(ValueError) as info:
        layer.add_weight("kernel", shape=[2, 3])
    assert str(info.value) == (
        "`name` must be passed as a keyword argument. Received: add_weight('kernel', ...). "
        "Use: add_weight(shape=..., name='kernel')."
    )


def test_add_weight_positional_shape_initializer_dtype() -> None:
    layer = tf.keras.layers.Layer()
    w = layer.add_weight((2,), "ones", "float64", name="w")
    assert w.dtype == tf.float64 and w.name == "w"
    np.testing.assert_array_equal(w.numpy(), [1.0, 1.0])
    with pytest.raises(ValueError, match="`shape` was passed both positionally and as a keyword argument."):
        layer.add_weight((2,), shape=(3,))
    with pytest.raises(TypeError, match="at most 3 positional arguments but 4 were given"):
        layer.add_weight((2,), "ones", "float32", True)


def test_empty_name_is_kept() -> None:
    assert tf.keras.layers.Dense(2, name="").name == ""
    assert tf.keras.Model(name="").name == ""
    assert tf.keras.layers.Dense(2).name.startswith("dense")


class _Two(tf.keras.Model):
    def __init__(self) -> None:
        super().__init__(name="")
        self.a = tf.keras.layers.Dense(3)
        self.b = tf.keras.layers.Dense(2)

    def call(self, x):
        return self.b(self.a(x))


def test_summary_shows_the_building_call_shape() -> None:
    model = _Two()
    model(tf.zeros([4, 5]))
    model(tf.zeros([7, 5]))  # later calls do not change what summary shows, as in Keras 3
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        model.summary()
    text = buf.getvalue()
    assert text.startswith('Model: ""\n')
    assert "│ dense" in text and "(4, 3)" in text and "(4, 2)" in text and "None" not in text


def test_tf_test_build_questions() -> None:
    has_gpu = bool(tf.config.list_physical_devices("GPU"))
    assert tf.test.is_gpu_available() is has_gpu and tf.test.is_gpu_available(cuda_only=True) is has_gpu
    assert tf.test.gpu_device_name() == ("/device:GPU:0" if has_gpu else "")
    # The CUDA backend is in every build, loaded at run time.
    assert tf.test.is_built_with_cuda() and not tf.test.is_built_with_rocm()
    assert tf.test.is_built_with_gpu_support()
