"""bfloat16 tensors: storage, casts (round to nearest even), math in float32, gradients, serialization and
the ``mixed_bfloat16`` policy. Expected values are TensorFlow 2.21's (its CPU kernels widen bfloat16 to
float32 as ferroflow's core does) or NumPy computed through ``ml_dtypes.bfloat16``."""

import ml_dtypes
import numpy as np
import pytest

import ferroflow as tf

BF16 = ml_dtypes.bfloat16


def bf16(values):
    return np.asarray(values, dtype=np.float32).astype(BF16)


def test_dtype_object_matches_tensorflow():
    d = tf.bfloat16
    assert str(d) == "<dtype: 'bfloat16'>" and repr(d) == "tf.bfloat16"
    assert d.is_floating and not d.is_integer and d.size == 2
    assert d.as_numpy_dtype is BF16
    assert d.min == pytest.approx(-3.38953e38, rel=1e-5) and d.max == pytest.approx(3.38953e38, rel=1e-5)
    assert tf.as_dtype("bfloat16") is d and tf.as_dtype(BF16) is d and tf.dtypes.bfloat16 is d
    assert tf.bfloat16 != tf.float16 and tf.bfloat16 == "bfloat16"


def test_constant_keeps_float32_range_and_prints_like_tensorflow():
    x = tf.constant([1.0, 2.5, 1.00390625, 3e38], dtype=tf.bfloat16)
    assert x.dtype == tf.bfloat16
    assert str(x) == "tf.Tensor([1 2.5 1 3.00406e+38], shape=(4,), dtype=bfloat16)"
    values = x.numpy()
    assert values.dtype == BF16
    np.testing.assert_array_equal(values.view(np.uint16), bf16([1.0, 2.5, 1.00390625, 3e38]).view(np.uint16))
    # The same values through float16 overflow: bfloat16 keeps float32's exponent.
    assert np.isinf(tf.cast(tf.constant(3e38), tf.float16).numpy())


def test_casts_round_to_nearest_even_both_ways():
    x = tf.constant([1.00390625, 1.01171875, -2.0, 0.1])
    y = tf.cast(x, tf.bfloat16)
    np.testing.assert_array_equal(y.numpy().astype(np.float32), bf16([1.00390625, 1.01171875, -2.0, 0.1]))
    np.testing.assert_array_equal(y.numpy().astype(np.float32)[:3], [1.0, 1.015625, -2.0])
    np.testing.assert_array_equal(tf.cast(y, tf.int32).numpy(), [1, 1, -2, 0])
    np.testing.assert_array_equal(tf.cast(tf.constant([3, -7]), tf.bfloat16).numpy(), bf16([3, -7]))
    np.testing.assert_array_equal(tf.cast(y, tf.float16).numpy(), bf16([1.0, 1.015625, -2.0, 0.1]).astype(np.float16))


def test_numpy_bfloat16_arrays_convert_both_ways():
    a = bf16([[1.5, -2.25], [1e30, 7.0]])
    t = tf.constant(a)
    assert t.dtype == tf.bfloat16 and t.shape == (2, 2)
    np.testing.assert_array_equal(t.numpy().view(np.uint16), a.view(np.uint16))
    np.testing.assert_array_equal(tf.convert_to_tensor(a).numpy().view(np.uint16), a.view(np.uint16))


@pytest.mark.parametrize("shape", [(2, 2), (64, 300)])
def test_math_is_float32_math_rounded_to_bfloat16(shape):
    rng = np.random.default_rng(0)
    a = bf16(rng.normal(size=shape))
    b = bf16(rng.normal(size=shape[::-1]))
    ta, tb = tf.constant(a), tf.constant(b)
    f32 = np.float32
    cases = {
        "matmul": (tf.matmul(ta, tb), a.astype(f32) @ b.astype(f32)),
        "add": (ta + ta, a.astype(f32) * 2),
        "relu": (tf.nn.relu(ta - 0.5), np.maximum(a.astype(f32) - f32(0.5), 0)),
        "sum": (tf.reduce_sum(ta), a.astype(f32).sum()),
        "mean": (tf.reduce_mean(ta, axis=0), a.astype(f32).mean(axis=0)),
        "softmax": (tf.nn.softmax(ta), np.exp(a.astype(f32)) / np.exp(a.astype(f32)).sum(-1, keepdims=True)),
    }
    for name, (got, want) in cases.items():
        assert got.dtype == tf.bfloat16, name
        np.testing.assert_allclose(
            got.numpy().astype(f32),
            np.asarray(want, f32).astype(BF16).astype(f32),
            rtol=1e-2,
            atol=1e-2 * np.abs(want).max(),
            err_msg=name,
        )


def test_tensorflow_examples_small():
    a = tf.constant([[1.5, 2.0], [3.0, 0.5]], dtype=tf.bfloat16)
    np.testing.assert_array_equal(tf.matmul(a, a).numpy().astype(np.float32), [[8.25, 4], [6, 6.25]])
    assert float(tf.reduce_sum(a).numpy()) == 7.0
    # 7 / 3 rounds to 2.328125 in bfloat16, as TensorFlow prints (2.32812).
    assert float(tf.reduce_mean(tf.constant([1.0, 2.0, 4.0], tf.bfloat16)).numpy()) == 2.328125
    np.testing.assert_array_equal(tf.zeros([2], tf.bfloat16).numpy().astype(np.float32), [0, 0])
    np.testing.assert_array_equal((tf.ones([2], tf.bfloat16) * 3).numpy().astype(np.float32), [3, 3])
    assert tf.random.uniform([2], dtype=tf.bfloat16, seed=1).dtype == tf.bfloat16


def test_mixing_with_float16_is_refused():
    with pytest.raises(TypeError, match="received bfloat16 and float16"):
        tf.constant([1.0], tf.bfloat16) + tf.constant([1.0], tf.float16)


def test_gradient_of_a_bfloat16_variable():
    v = tf.Variable(tf.constant([0.5, -1.5], tf.bfloat16))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v * v * v)
    g = tape.gradient(y, v)
    assert g.dtype == tf.bfloat16
    np.testing.assert_array_equal(g.numpy().astype(np.float32), [0.75, 6.75])
    v.assign_add(tf.constant([1.0, 1.0], tf.bfloat16))
    np.testing.assert_array_equal(v.numpy().astype(np.float32), [1.5, -0.5])


def test_graph_function_and_conv_in_bfloat16():
    rng = np.random.default_rng(1)
    x = bf16(rng.normal(size=(2, 9, 9, 3)))
    k = bf16(rng.normal(size=(3, 3, 3, 4)))

    @tf.function
    def f(x, k):
        return tf.nn.max_pool2d(tf.nn.conv2d(x, k, 1, "SAME"), 2, 2, "VALID")

    got = f(tf.constant(x), tf.constant(k))
    assert got.dtype == tf.bfloat16 and got.shape == (2, 4, 4, 4)
    want = f(tf.constant(x.astype(np.float32)), tf.constant(k.astype(np.float32))).numpy()
    np.testing.assert_allclose(got.numpy().astype(np.float32), want, rtol=1e-2, atol=2e-2)


def test_serialize_tensor_matches_tensorflows_bytes():
    a = tf.constant([[1.5, 2.0], [3.0, 0.5]], dtype=tf.bfloat16)
    data = tf.io.serialize_tensor(a).numpy()
    assert data == b'\x08\x0e\x12\x08\x12\x02\x08\x02\x12\x02\x08\x02"\x08\xc0?\x00@@@\x00?'
    back = tf.io.parse_tensor(data, tf.bfloat16)
    np.testing.assert_array_equal(back.numpy().view(np.uint16), a.numpy().view(np.uint16))


def test_checkpoint_round_trip(tmp_path):
    v = tf.Variable(tf.constant([1.25, -3.0, 1e20], tf.bfloat16))
    path = tf.train.Checkpoint(v=v).save(str(tmp_path / "ckpt"))
    w = tf.Variable(tf.zeros([3], tf.bfloat16))
    tf.train.Checkpoint(v=w).restore(path)
    np.testing.assert_array_equal(w.numpy().view(np.uint16), v.numpy().view(np.uint16))


def test_mixed_bfloat16_policy_computes_in_bfloat16_on_float32_weights():
    tf.keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        dense = tf.keras.layers.Dense(3)
        norm = tf.keras.layers.BatchNormalization()
        out = dense(np.ones((2, 4), "float32"))
        assert (out.dtype, dense.kernel.dtype) == (tf.bfloat16, tf.float32)
        assert (dense.compute_dtype, dense.variable_dtype) == ("bfloat16", "float32")
        assert norm(out, training=True).dtype == tf.bfloat16
    finally:
        tf.keras.mixed_precision.set_global_policy("float32")


def test_mixed_bfloat16_model_trains():
    tf.keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        rng = np.random.default_rng(0)
        x = rng.normal(size=(256, 8)).astype("float32")
        y = (x[:, :1] - 2 * x[:, 1:2] > 0).astype("float32")
        model = tf.keras.Sequential(
            [
                tf.keras.Input((8,)),
                tf.keras.layers.Dense(16, activation="relu"),
                tf.keras.layers.Dense(1, activation="sigmoid", dtype="float32"),
            ]
        )
        model.compile(optimizer=tf.keras.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])
        history = model.fit(x, y, epochs=8, batch_size=32, verbose=0)
        assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
        assert history.history["accuracy"][-1] > 0.9
        assert model.layers[0].kernel.dtype == tf.float32
    finally:
        tf.keras.mixed_precision.set_global_policy("float32")
