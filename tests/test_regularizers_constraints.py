"""keras.regularizers and keras.constraints: Keras's formulas, eagerly and in graphs, lookup by name, and a
Dense layer that uses them."""

import json

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import constraints, initializers, keras, regularizers
from ferroflow.layers import Dense

rng = np.random.default_rng(3)
W = rng.standard_normal((5, 4))


def both_modes(fn, x):
    """``fn(x)`` eagerly and inside a traced function: both must agree."""
    eager = fn(tf.constant(x)).numpy()
    graph = tf.function(fn)(tf.constant(x)).numpy()
    np.testing.assert_allclose(graph, eager, rtol=1e-12)
    return eager


@pytest.mark.parametrize(
    "reg, want",
    [
        # Keras 3 holds L1's factor as float32 and casts it to the input's dtype
        (regularizers.L1(), float(np.float32(0.01)) * np.abs(W).sum()),
        (regularizers.L1(l1=0.3), float(np.float32(0.3)) * np.abs(W).sum()),
        (regularizers.L2(), 0.01 * np.square(W).sum()),
        (regularizers.L2(0.5), 0.5 * np.square(W).sum()),  # no 0.5 factor of tf.nn.l2_loss
        (regularizers.L1L2(l1=0.1, l2=0.2), 0.1 * np.abs(W).sum() + 0.2 * np.square(W).sum()),
        (regularizers.L1L2(), 0.0),
    ],
)
def test_regularizer_values_match_keras_formulas(reg, want):
    got = both_modes(reg, W)
    assert got.shape == ()
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_regularizer_of_a_variable_and_float32_dtype():
    v = tf.Variable(W.astype(np.float32))
    out = regularizers.L2(0.1)(v)
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), 0.1 * np.square(W).sum(), rtol=1e-5)


def test_orthogonal_regularizer_matches_mean_absolute_cosine():
    def ref(x, factor):
        n = x / np.linalg.norm(x, axis=1, keepdims=True)
        p = np.abs(n @ n.T)
        size = x.shape[0]
        return factor * 0.5 * (p.sum() - np.trace(p)) / (size * (size - 1) / 2)

    got = both_modes(regularizers.OrthogonalRegularizer(factor=0.2), W)
    np.testing.assert_allclose(got, ref(W, 0.2), rtol=1e-10)
    got = both_modes(regularizers.OrthogonalRegularizer(factor=0.2, mode="columns"), W)
    np.testing.assert_allclose(got, ref(W.T, 0.2), rtol=1e-10)


def test_regularizer_arguments_are_validated():
    with pytest.raises(ValueError, match="l2: expected a non-negative float. Received: l2=-1"):
        regularizers.L2(-1)
    with pytest.raises(ValueError, match="l1"):
        regularizers.L1L2(l1="big")
    assert regularizers.L1(None).l1 == 0.01


def test_regularizer_lookup_and_serialization():
    assert isinstance(regularizers.get("l2"), regularizers.L2)
    assert isinstance(regularizers.get("L1L2"), regularizers.L1L2)
    assert isinstance(regularizers.get("l1_l2"), regularizers.L1L2)
    assert isinstance(regularizers.get(regularizers.L1), regularizers.L1)
    assert regularizers.get(None) is None
    assert regularizers.l2 is regularizers.L2 and keras.regularizers.l1_l2 is regularizers.L1L2
    reg = regularizers.L1L2(l1=0.25, l2=0.5)
    config = regularizers.serialize(reg)
    assert config["class_name"] == "L1L2" and config["config"] == {"l1": 0.25, "l2": 0.5}
    back = regularizers.get(json.loads(json.dumps(config)))
    assert isinstance(back, regularizers.L1L2) and (back.l1, back.l2) == (0.25, 0.5)
    with pytest.raises(ValueError, match="Could not interpret regularizer identifier: 'l3'"):
        regularizers.get("l3")


def col_norms(x, axis=0):
    return np.sqrt(np.square(x).sum(axis=axis, keepdims=True))


@pytest.mark.parametrize(
    "con, want",
    [
        (constraints.MaxNorm(), W * (np.clip(col_norms(W), 0, 2) / (1e-7 + col_norms(W)))),
        (constraints.MaxNorm(max_value=1.5, axis=1), W * (np.clip(col_norms(W, 1), 0, 1.5) / (1e-7 + col_norms(W, 1)))),
        (constraints.NonNeg(), np.where(W >= 0, W, 0.0)),
        (constraints.UnitNorm(), W / (1e-7 + col_norms(W))),
        (constraints.UnitNorm(axis=(0, 1)), W / (1e-7 + np.sqrt(np.square(W).sum()))),
        (
            constraints.MinMaxNorm(min_value=1.0, max_value=2.0, rate=0.5),
            W * ((0.5 * np.clip(col_norms(W), 1, 2) + 0.5 * col_norms(W)) / (1e-7 + col_norms(W))),
        ),
        (constraints.Constraint(), W),
    ],
)
def test_constraint_outputs_match_keras_formulas(con, want):
    np.testing.assert_allclose(both_modes(con, W), want, rtol=1e-12)


def test_max_norm_actually_caps_the_column_norms():
    big = W * 10.0
    out = constraints.MaxNorm(max_value=2.0)(tf.constant(big)).numpy()
    np.testing.assert_allclose(col_norms(out), 2.0, rtol=1e-6)


def test_constraint_lookup_and_serialization():
    assert isinstance(constraints.get("non_neg"), constraints.NonNeg)
    assert isinstance(constraints.get("MaxNorm"), constraints.MaxNorm)
    assert isinstance(constraints.get("unit_norm"), constraints.UnitNorm)
    assert isinstance(constraints.get("min_max_norm"), constraints.MinMaxNorm)
    assert constraints.get(None) is None
    assert constraints.max_norm is constraints.MaxNorm and keras.constraints.NonNeg is constraints.NonNeg
    assert tf.constraints is constraints
    con = constraints.MinMaxNorm(min_value=0.5, max_value=3.0, rate=0.7, axis=1)
    back = constraints.deserialize(json.loads(json.dumps(constraints.serialize(con))))
    assert isinstance(back, constraints.MinMaxNorm) and back.get_config() == con.get_config()
    with pytest.raises(ValueError, match="Could not interpret constraint identifier: 'positive'"):
        constraints.get("positive")


def test_dense_with_string_initializer_regularizer_and_constraint():
    keras.backend.clear_session()
    initializers.set_global_seed(1)
    layer = Dense(3, kernel_initializer="he_normal", kernel_regularizer="l2", kernel_constraint="non_neg")
    x = rng.standard_normal((2, 8)).astype(np.float32)
    y = layer(x)
    kernel = layer.kernel.numpy()
    assert kernel.std() > 0.1  # he_normal for fan_in 8 has stddev 0.5, not glorot's or zeros
    np.testing.assert_allclose(y.numpy(), x @ kernel + layer.bias.numpy(), rtol=1e-5, atol=1e-6)
    [penalty] = layer.losses
    np.testing.assert_allclose(penalty.numpy(), 0.01 * np.square(kernel).sum(), rtol=1e-5)
    assert isinstance(layer.kernel.constraint, constraints.NonNeg)
    np.testing.assert_array_equal(layer.kernel.constraint(layer.kernel).numpy(), np.maximum(kernel, 0))

    config = json.loads(json.dumps(layer.get_config()))
    clone = Dense.from_config(config)
    clone.build((None, 8))
    assert isinstance(clone.kernel_initializer, initializers.HeNormal)
    assert isinstance(clone.kernel.constraint, constraints.NonNeg)
    assert len(clone.losses) == 1
    assert json.loads(json.dumps(clone.get_config())) == config


def test_dense_with_regularizer_and_constraint_objects_round_trips():
    keras.backend.clear_session()
    layer = Dense(
        2,
        activation="gelu",
        kernel_initializer=initializers.Orthogonal(gain=2.0, seed=5),
        kernel_regularizer=regularizers.L1L2(l1=0.1, l2=0.2),
        kernel_constraint=constraints.MaxNorm(max_value=3.0),
    )
    layer.build((None, 4))
    clone = Dense.from_config(json.loads(json.dumps(layer.get_config())))
    clone.build((None, 4))
    assert clone.activation is keras.activations.gelu
    np.testing.assert_array_equal(clone.kernel.numpy(), layer.kernel.numpy())  # seeded initializer
    [penalty] = clone.losses
    k = clone.kernel.numpy()
    np.testing.assert_allclose(penalty.numpy(), 0.1 * np.abs(k).sum() + 0.2 * np.square(k).sum(), rtol=1e-5)
    assert clone.kernel.constraint.max_value == 3.0
