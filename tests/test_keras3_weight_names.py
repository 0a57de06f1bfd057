"""Keras 3's weights, symbolic tensors and layer configs, as TensorFlow 2.21 with Keras 3 prints them: weight
``name`` (``kernel``), ``path`` (``dense/kernel``) and repr; ``KerasTensor.shape`` a tuple and ``.dtype`` a name;
``get_config()['dtype']`` the serialized DTypePolicy; only Keras variables tracked as layer weights. The
expected texts were printed by Keras 3.15 (TensorFlow backend); the weights stay usable as ``tf.Variable``."""

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
POLICY = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def _dense(name="proj"):
    layer = keras.layers.Dense(2, name=name, kernel_initializer="ones")
    layer.build((None, 3))
    return layer


def test_weight_name_path_and_repr():
    layer = _dense()
    assert (layer.kernel.name, layer.kernel.path) == ("kernel", "proj/kernel")
    assert repr(layer.kernel) == (
        "<Variable path=proj/kernel, shape=(3, 2), dtype=float32, value=[[1. 1.]\n [1. 1.]\n [1. 1.]]>"
    )
    assert str(layer.bias) == "<Variable path=proj/bias, shape=(2,), dtype=float32, value=[0. 0.]>"
    bn = keras.layers.BatchNormalization(name="bn")
    bn.build((None, 2))
    assert [v.name for v in bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [v.path for v in bn.weights] == ["bn/gamma", "bn/beta", "bn/moving_mean", "bn/moving_variance"]


def test_model_weight_listing():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="dense")])
    assert [v.name for v in model.weights] == ["kernel", "bias"]
    assert [v.path for v in model.weights] == [f"{model.name}/dense/kernel", f"{model.name}/dense/bias"]
    inputs = keras.Input((3,))
    functional = keras.Model(inputs, keras.layers.Dense(2, name="f")(inputs))
    assert [v.path for v in functional.weights] == ["f/kernel", "f/bias"]

    class Sub(keras.Model):
        def __init__(self):
            super().__init__(name="mm")
            self.d = keras.layers.Dense(2, name="g")

        def call(self, x):
            return self.d(x)

    sub = Sub()
    sub(np.ones((1, 3), "float32"))
    assert [v.path for v in sub.weights] == ["mm/g/kernel", "mm/g/bias"]
    assert all(repr(v).startswith("<Variable path=") for v in model.trainable_variables)


def test_keras_variable_constructor():
    v = keras.Variable(np.zeros((2,), "float32"), name="s")
    assert repr(v) == "<Variable path=s, shape=(2,), dtype=float32, value=[0. 0.]>"
    assert repr(keras.Variable("ones", shape=(2,), name="o")) == (
        "<Variable path=o, shape=(2,), dtype=float32, value=[1. 1.]>"
    )
    with pytest.raises(ValueError, match="the `shape` argument should be specified"):
        keras.Variable("ones")


def test_weights_work_as_tf_variables():
    layer = _dense()
    x = tf.constant([[1.0, 2.0, 3.0]])
    assert isinstance(layer.kernel, tf.Variable)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x))
    grads = tape.gradient(loss, layer.trainable_weights)
    np.testing.assert_allclose(grads[0].numpy(), [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    keras.optimizers.SGD(0.5).apply_gradients(zip(grads, layer.trainable_weights))
    np.testing.assert_allclose(layer.bias.numpy(), [-0.5, -0.5])

    @tf.function
    def step():
        layer.bias.assign_add([1.0, 1.0])
        return layer(x)

    np.testing.assert_allclose(step().numpy(), [[-0.5, -0.5]])  # kernel rows 0.5, 0, -0.5; bias 0.5
    assert layer.kernel.op.name == "proj/kernel"  # TF1-style keys (savers, moving averages) use the path


def test_weights_files_round_trip(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(2)])
    x = np.arange(6, dtype="float32").reshape(2, 3)
    want = model(x).numpy()
    for name in ("m.weights.h5", "m.weights.npz"):
        pytest.importorskip("h5py") if name.endswith("h5") else None
        model.save_weights(str(tmp_path / name))
        fresh = keras.models.clone_model(model)
        fresh.load_weights(str(tmp_path / name))
        np.testing.assert_allclose(fresh(x).numpy(), want, rtol=1e-6)
    model.save(str(tmp_path / "m.keras"))
    np.testing.assert_allclose(keras.models.load_model(str(tmp_path / "m.keras"))(x).numpy(), want, rtol=1e-6)
    checkpoint = tf.train.Checkpoint(model=model)
    path = checkpoint.save(str(tmp_path / "ckpt"))
    fresh = keras.models.clone_model(model)
    tf.train.Checkpoint(model=fresh).restore(path)
    np.testing.assert_allclose(fresh(x).numpy(), want, rtol=1e-6)


def test_keras_tensor_shape_and_dtype():
    inputs = keras.Input(shape=(784,), name="img")
    assert inputs.shape == (None, 784) and type(inputs.shape) is tuple
    assert inputs.dtype == "float32" and type(inputs.dtype) is str
    assert keras.Input(shape=(None, 5), dtype="int32").shape == (None, None, 5)
    assert keras.Input((3,), dtype="float16").dtype == "float16"
    out = keras.layers.Dense(3)(inputs)
    assert (out.shape, out.dtype) == ((None, 3), "float32")
    assert repr(out).startswith("<KerasTensor shape=(None, 3), dtype=float32, sparse=False, ragged=False, name=")


def test_layer_config_dtype_is_the_policy_dict():
    assert keras.layers.Dense(2).get_config()["dtype"] == POLICY
    assert keras.layers.SpatialDropout1D(0.5).get_config()["dtype"] == "float32"  # Keras 3 keeps a name here
    assert keras.Input((3,)).name  # InputLayer keeps its plain dtype name as well
    assert keras.layers.Dense.from_config({"units": 2, "dtype": "float64"}).dtype_policy.name == "float64"
    mixed = {**POLICY, "config": {"name": "mixed_float16"}}
    assert keras.layers.Dense.from_config({"units": 2, "dtype": mixed}).compute_dtype == "float16"


def test_only_keras_variables_are_layer_weights():
    class Holder(keras.layers.Layer):
        def __init__(self):
            super().__init__(name="holder")
            self.v = tf.Variable(1.0)
            self.k = keras.Variable(np.ones((3,), "float32"))
            self.w = self.add_weight(shape=(), initializer="zeros", name="w")

    layer = Holder()
    assert [v.name for v in layer.weights] == ["variable", "w"]
    assert all(v is not layer.v for v in layer.weights)


def test_nested_weight_paths():
    keras.backend.clear_session()  # the unnamed LSTM's automatic name is "lstm" only from a fresh counter
    x = np.ones((1, 2, 4), "float32")
    lstm = keras.layers.LSTM(3, name="lstm")
    lstm(x)
    assert [(w.name, w.path) for w in lstm.weights] == [
        ("kernel", "lstm/lstm_cell/kernel"),
        ("recurrent_kernel", "lstm/lstm_cell/recurrent_kernel"),
        ("bias", "lstm/lstm_cell/bias"),
    ]
    bidirectional = keras.layers.Bidirectional(keras.layers.LSTM(2), name="bidirectional")
    bidirectional(x)
    assert [w.path for w in bidirectional.weights][:2] == [
        "bidirectional/forward_lstm/lstm_cell/kernel",
        "bidirectional/forward_lstm/lstm_cell/recurrent_kernel",
    ]
    mha = keras.layers.MultiHeadAttention(4, 16, name="mha")
    q = np.ones((1, 2, 64), "float32")
    mha(q, q)
    assert [(w.name, w.path) for w in mha.weights][:2] == [("kernel", "mha/query/kernel"), ("bias", "mha/query/bias")]
