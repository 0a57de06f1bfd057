"""Keras mixed precision: dtype policies and layer autocasting (TensorFlow's "Mixed precision" guide).

Expected dtypes, reprs and messages are TensorFlow 2.21 / Keras 3.15's (printed by the same calls with
``import tensorflow as tf``).
"""

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
layers = tf.keras.layers
mixed_precision = tf.keras.mixed_precision


@pytest.fixture(autouse=True)
def _float32_afterwards():
    yield
    mixed_precision.set_global_policy("float32")


@pytest.mark.parametrize(
    "name, compute, variable",
    [
        ("float32", "float32", "float32"),
        ("float16", "float16", "float16"),
        ("float64", "float64", "float64"),
        ("mixed_float16", "float16", "float32"),
        ("int32", "int32", "int32"),
    ],
)
def test_policy_dtypes_and_repr(name, compute, variable):
    policy = mixed_precision.Policy(name)
    assert (policy.name, policy.compute_dtype, policy.variable_dtype) == (name, compute, variable)
    assert repr(policy) == str(policy) == f'<DTypePolicy "{name}">'
    assert policy == mixed_precision.DTypePolicy(name) and policy != mixed_precision.Policy(
        "float64" if name != "float64" else "float32"
    )
    assert policy.get_config() == {"name": name}
    assert mixed_precision.Policy.from_config(policy.get_config()) == policy
    assert mixed_precision.Policy is mixed_precision.DTypePolicy is keras.DTypePolicy


@pytest.mark.parametrize("name", ["mixed_float32", "float17", "mixed_half"])
def test_unknown_policy_names(name):
    with pytest.raises(
        ValueError,
        match=f"Cannot convert '{name}' to a mixed precision DTypePolicy. Valid policies include 'mixed_float16', "
        "'mixed_bfloat16', and the name of any float dtype such as 'float32'.",
    ):
        mixed_precision.Policy(name)
    with pytest.raises(ValueError, match="Cannot convert"):
        layers.Dense(2, dtype=name)


@pytest.mark.parametrize(
    "name, compute, variable", [("bfloat16", "bfloat16", "bfloat16"), ("mixed_bfloat16", "bfloat16", "float32")]
)
def test_bfloat16_policies(name, compute, variable):
    policy = mixed_precision.Policy(name)
    assert (policy.compute_dtype, policy.variable_dtype) == (compute, variable)
    assert layers.Dense(2, dtype=name).compute_dtype == compute


def test_policy_argument_types():
    with pytest.raises(
        TypeError,
        match=r"'name' must be a string, such as 'mixed_float16'. Received: name=3 \(of "
        r"type <class 'int'>\)",
    ):
        mixed_precision.Policy(3)
    with pytest.raises(ValueError, match="Invalid `policy` argument. Expected the string name of a policy"):
        mixed_precision.set_global_policy(None)


def test_global_policy_applies_to_new_layers():
    assert repr(mixed_precision.global_policy()) == '<DTypePolicy "float32">'
    mixed_precision.set_global_policy("mixed_float16")
    assert mixed_precision.global_policy() == mixed_precision.Policy("mixed_float16")
    assert mixed_precision.dtype_policy() is mixed_precision.global_policy()
    dense = layers.Dense(3)
    assert repr(dense.dtype_policy) == '<DTypePolicy "mixed_float16">'
    assert (dense.dtype, dense.compute_dtype, dense.variable_dtype) == ("float32", "float16", "float32")
    own = layers.Dense(3, dtype="float32")
    assert (own.dtype_policy.name, own.compute_dtype) == ("float32", "float32")
    policy = mixed_precision.Policy("mixed_float16")
    mixed_precision.set_global_policy("float32")
    assert layers.Dense(3, dtype=policy).dtype_policy is policy
    assert layers.Dense(3, dtype=tf.float64).dtype_policy.name == "float64"


def _guide_model():
    """The guide's model with its 4096-unit Dense layers scaled down."""
    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    x = layers.Dense(10, name="dense_logits")(x)
    outputs = layers.Activation("softmax", dtype="float32", name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs), x, outputs


def test_guide_model_dtypes_per_layer():
    mixed_precision.set_global_policy("mixed_float16")
    model, logits, outputs = _guide_model()
    assert (logits.dtype, outputs.dtype) == ("float16", "float32")  # Keras 3: KerasTensor dtypes are names
    table = [(layer.name, repr(layer.dtype_policy), layer.dtype, layer.compute_dtype) for layer in model.layers]
    assert table == [
        ("digits", '<DTypePolicy "mixed_float16">', "float32", "float16"),
        ("dense_1", '<DTypePolicy "mixed_float16">', "float32", "float16"),
        ("dense_2", '<DTypePolicy "mixed_float16">', "float32", "float16"),
        ("dense_logits", '<DTypePolicy "mixed_float16">', "float32", "float16"),
        ("predictions", '<DTypePolicy "float32">', "float32", "float32"),
    ]
    assert repr(model.dtype_policy) == '<DTypePolicy "mixed_float16">'
    assert all(w.dtype == tf.float32 for w in model.weights)
    x = np.random.default_rng(0).random((3, 784), np.float32)
    assert model(x).dtype == tf.float32 and model.predict(x, verbose=0).dtype == np.float32
    assert model.layers[1](x).dtype == tf.float16
    assert model.layers[1](x.astype(np.float64)).dtype == tf.float16


def _run(layer, x, **kwargs):
    return layer(x, **kwargs)


def test_layers_output_float16_on_float32_variables():
    mixed_precision.set_global_policy("mixed_float16")
    rng = np.random.default_rng(1)
    images = rng.random((2, 6, 6, 3), np.float32)
    cases = [
        (layers.Dense(4), rng.random((2, 5), np.float32), {}),
        (layers.Conv2D(4, 3), images, {}),
        (layers.MaxPooling2D(), images, {}),
        (layers.AveragePooling2D(), images, {}),
        (layers.GlobalAveragePooling2D(), images, {}),
        (layers.BatchNormalization(), images, {"training": True}),
        (layers.Dropout(0.5), images, {"training": True}),
        (layers.Flatten(), images, {}),
        (layers.Activation("relu"), images, {}),
        (layers.Embedding(10, 4), np.array([[1, 2, 3]]), {}),
        (layers.LayerNormalization(), rng.random((2, 5), np.float32), {}),
    ]
    for layer, x, kwargs in cases:
        out = _run(layer, x, **kwargs)
        assert out.dtype == tf.float16, type(layer).__name__
        assert all(w.dtype == tf.float32 for w in layer.weights), type(layer).__name__
    assert layers.Activation("softmax", dtype="float32")(np.ones((1, 3), np.float16)).dtype == tf.float32


def test_dense_computes_on_float16_casts_of_its_inputs_and_weights():
    layer = layers.Dense(3, dtype="mixed_float16")
    x = np.random.default_rng(2).standard_normal((4, 5)).astype(np.float32)
    y = layer(x).numpy()
    kernel, bias = (w.numpy().astype(np.float16).astype(np.float32) for w in layer.weights)
    product = (x.astype(np.float16).astype(np.float32) @ kernel).astype(np.float16).astype(np.float32)
    want = (product + bias).astype(np.float16)
    assert y.dtype == np.float16
    np.testing.assert_allclose(y.astype(np.float32), want.astype(np.float32), rtol=2e-3, atol=2e-3)


class _Probe(layers.Layer):
    """Records the dtypes its weights show inside ``call``."""

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")
        self.kept = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="kept", autocast=False)
        self.plain = tf.Variable(np.ones(input_shape[-1], np.float32))

    def call(self, x):
        self.seen = (
            self.w.dtype,
            tf.convert_to_tensor(self.w).dtype,
            (self.w * 1.0).dtype,
            self.kept.dtype,
            self.plain.dtype,
        )
        return x * self.w


def test_autocast_scope_casts_autocast_weights_only_inside_call():
    probe = _Probe(dtype="mixed_float16")
    x = np.ones((2, 3), np.float32)
    out = probe(x)
    assert out.dtype == tf.float16
    assert probe.seen == (tf.float16, tf.float16, tf.float16, tf.float32, tf.float32)
    assert probe.w.dtype == tf.float32 and tf.convert_to_tensor(probe.w).dtype == tf.float32

    @tf.function
    def traced(v):
        return probe(v)

    assert traced(tf.constant(x)).dtype == tf.float16 and probe.seen[0] == tf.float16


def test_gradients_reach_the_float32_variables():
    layer = layers.Dense(3, dtype="mixed_float16")
    reference = layers.Dense(3)
    x = np.random.default_rng(3).standard_normal((4, 5)).astype(np.float32)
    layer.build((None, 5))
    reference.build((None, 5))
    reference.set_weights(layer.get_weights())
    grads = []
    for model in (layer, reference):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.cast(model(x), tf.float32) ** 2)
        grads.append(tape.gradient(loss, model.trainable_weights))
    for mixed, full in zip(*grads):
        assert mixed.dtype == tf.float32
        np.testing.assert_allclose(mixed.numpy(), full.numpy(), rtol=2e-2, atol=2e-2)


def test_batch_normalization_keeps_float32_statistics():
    bn = layers.BatchNormalization(momentum=0.5, dtype="mixed_float16")
    x = (np.random.default_rng(4).standard_normal((16, 3)) * 3 + 2).astype(np.float32)
    out = bn(x, training=True)
    half = x.astype(np.float16).astype(np.float32)
    assert out.dtype == tf.float16 and bn.moving_mean.dtype == tf.float32
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.5 * half.mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.5 + 0.5 * half.var(0), rtol=1e-4)
    want = (half - half.mean(0)) / np.sqrt(half.var(0) + 1e-3)
    np.testing.assert_allclose(out.numpy().astype(np.float32), want, atol=1e-2)


def test_config_round_trips_the_policy():
    dense = layers.Dense(3, dtype="mixed_float16")
    config = dense.get_config()
    assert config["dtype"] == {  # Keras 3: the serialized policy
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "mixed_float16"},
        "registered_name": None,
    }
    assert layers.Dense.from_config({**config, "dtype": "mixed_float16"}).compute_dtype == "float16"  # old files
    back = layers.Dense.from_config(config)
    assert repr(back.dtype_policy) == '<DTypePolicy "mixed_float16">' and back.compute_dtype == "float16"
    keras_form = {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "mixed_float16"},
        "registered_name": None,
    }
    assert layers.Dense(3, dtype=keras_form).dtype_policy == dense.dtype_policy
    seq = keras.Sequential([keras.Input((4,)), layers.Dense(3, dtype="mixed_float16")])
    seq2 = keras.Sequential.from_config(seq.get_config())
    assert seq2.layers[0].dtype_policy.name == "mixed_float16"
    assert seq2(np.ones((1, 4), np.float32)).dtype == tf.float16
