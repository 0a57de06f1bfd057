"""``ref()`` on tensors and variables, and the ``UnreadVariable`` that eager ``assign`` returns; expected values
and texts from TensorFlow 2.21."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf


def test_variable_ref_is_an_identity_key() -> None:
    v, w = tf.Variable(1.0), tf.Variable(1.0)
    r = v.ref()
    assert r.deref() is v
    assert r == v.ref() and hash(r) == hash(v.ref()) == id(v)
    assert r != w.ref()
    assert {v.ref(): "v", w.ref(): "w"}[v.ref()] == "v"
    assert repr(r) == "<Reference wrapping <tf.Variable 'Variable:0' shape=() dtype=float32, numpy=1.0>>"
    with pytest.raises(TypeError, match="Cannot compare wrapped object with unwrapped object"):
        _ = r == v


def test_tensor_ref() -> None:
    t = tf.constant(1.0)
    assert t.ref().deref() is t and t.experimental_ref() == t.ref()
    assert repr(t.ref()) == "<Reference wrapping <tf.Tensor: shape=(), dtype=float32, numpy=1.0>>"
    assert len({t.ref(), t.ref(), tf.constant(1.0).ref()}) == 2


def test_assign_returns_an_unread_view() -> None:
    v = tf.Variable([1.0, 2.0], name="w")
    u = v.assign([3.0, 4.0])
    assert u is not v and isinstance(u, tf.Variable) and u.name == "UnreadVariable"
    assert repr(u) == "<tf.Variable 'UnreadVariable' shape=(2,) dtype=float32, numpy=array([3., 4.], dtype=float32)>"
    assert repr(u.assign_add([1.0, 1.0])).endswith("numpy=array([4., 5.], dtype=float32)>")
    assert v.assign([0.0, 0.0], read_value=False) is None
    np.testing.assert_array_equal(u.numpy(), [0.0, 0.0])  # reads the variable now
    np.testing.assert_array_equal(v.assign_sub([1.0, 1.0]).numpy(), [-1.0, -1.0])
    assert repr(v) == "<tf.Variable 'w:0' shape=(2,) dtype=float32, numpy=array([-1., -1.], dtype=float32)>"


def test_unread_view_reads_are_the_variables() -> None:
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        u = v.assign([1.0, 2.0])
        y = u * 2.0
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [2.0, 2.0])
    assert len(tape.watched_variables()) == 1 and tape.watched_variables()[0] is v

    @tf.function
    def f():
        return v.assign([5.0, 6.0])

    np.testing.assert_array_equal(f().numpy(), [5.0, 6.0])
