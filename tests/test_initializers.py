"""keras.initializers: statistics of the draws, Keras's fan computation, seeding, orthogonality and lookup."""

import subprocess
import sys

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import initializers, keras
from ferroflow.framework.tensor import EagerTensor

SHAPE = (400, 500)  # 200k draws: sample moments land well within the tolerances below


def values(init, shape=SHAPE, dtype=None):
    out = init(shape, dtype=dtype)
    assert isinstance(out, EagerTensor)
    return out.numpy()


def test_zeros_ones_constant_identity():
    np.testing.assert_array_equal(values(initializers.Zeros(), (2, 3)), np.zeros((2, 3)))
    np.testing.assert_array_equal(values(initializers.Ones(), (4,)), np.ones(4))
    np.testing.assert_array_equal(values(initializers.Constant(2.5), (2, 2)), np.full((2, 2), 2.5))
    np.testing.assert_array_equal(values(initializers.Identity(gain=3.0), (2, 3)), 3.0 * np.eye(2, 3))
    with pytest.raises(ValueError, match="2D"):
        initializers.Identity()((2, 2, 2))


def test_default_dtype_is_float32_and_dtype_argument_is_honoured():
    assert initializers.GlorotUniform()((3, 3)).dtype == tf.float32
    assert initializers.RandomNormal()((3, 3), dtype="float64").dtype == tf.float64
    assert initializers.Zeros()((3,), dtype="int32").dtype == tf.int32
    with pytest.raises(ValueError, match="floating dtype"):
        initializers.RandomNormal()((3,), dtype="int32")


def test_random_normal_and_uniform_statistics():
    v = values(initializers.RandomNormal(mean=1.0, stddev=2.0))
    assert abs(v.mean() - 1.0) < 0.02 and abs(v.std() - 2.0) < 0.02
    v = values(initializers.RandomUniform(minval=-3.0, maxval=1.0))
    assert v.min() >= -3.0 and v.max() < 1.0
    assert abs(v.mean() + 1.0) < 0.02 and abs(v.std() - 4.0 / np.sqrt(12)) < 0.01
    v = values(initializers.RandomNormal())
    assert abs(v.std() - 0.05) < 0.001  # Keras's default stddev


def test_truncated_normal_stays_within_two_stddevs():
    v = values(initializers.TruncatedNormal(mean=0.5, stddev=0.1), dtype="float64")
    assert v.min() >= 0.5 - 0.2 and v.max() <= 0.5 + 0.2
    assert abs(v.mean() - 0.5) < 0.002
    assert abs(v.std() - 0.1 * 0.87962566103423978) < 0.002  # the std of a unit normal cut at +-2


def test_compute_fans_counts_the_receptive_field_of_conv_kernels():
    assert initializers.compute_fans(()) == (1, 1)
    assert initializers.compute_fans((7,)) == (7, 7)
    assert initializers.compute_fans((3, 5)) == (3, 5)
    assert initializers.compute_fans((3, 3, 16, 32)) == (3 * 3 * 16, 3 * 3 * 32)
    assert initializers.compute_fans((2, 3, 4, 5, 6)) == (2 * 3 * 4 * 5, 2 * 3 * 4 * 6)


@pytest.mark.parametrize(
    "name, scale, fan",
    [
        ("glorot_normal", 1.0, lambda i, o: (i + o) / 2),
        ("he_normal", 2.0, lambda i, o: i),
        ("lecun_normal", 1.0, lambda i, o: i),
    ],
)
def test_variance_scaling_normal_presets_have_keras_stddev(name, scale, fan):
    shape = (5, 5, 40, 60)
    fan_in, fan_out = 5 * 5 * 40, 5 * 5 * 60
    v = values(initializers.get(name), shape)
    target = np.sqrt(scale / fan(fan_in, fan_out))
    assert abs(v.std() - target) / target < 0.02
    # Truncation happens at two standard deviations of the uncorrected normal.
    assert np.abs(v).max() <= 2 * target / 0.87962566103423978 + 1e-6


@pytest.mark.parametrize(
    "name, scale, fan",
    [
        ("glorot_uniform", 1.0, lambda i, o: (i + o) / 2),
        ("he_uniform", 2.0, lambda i, o: i),
        ("lecun_uniform", 1.0, lambda i, o: i),
    ],
)
def test_variance_scaling_uniform_presets_have_keras_limits(name, scale, fan):
    v = values(initializers.get(name))
    limit = np.sqrt(3.0 * scale / fan(*SHAPE))
    assert np.abs(v).max() <= limit
    assert np.abs(v).max() > 0.99 * limit
    assert abs(v.std() - limit / np.sqrt(3)) / (limit / np.sqrt(3)) < 0.01


def test_variance_scaling_modes_and_validation():
    v = values(initializers.VarianceScaling(scale=3.0, mode="fan_out", distribution="untruncated_normal"))
    assert abs(v.std() - np.sqrt(3.0 / SHAPE[1])) < 0.001
    assert np.abs(v).max() > 2.5 * np.sqrt(3.0 / SHAPE[1])  # not truncated
    assert initializers.VarianceScaling(distribution="normal").distribution == "truncated_normal"
    with pytest.raises(ValueError, match="scale"):
        initializers.VarianceScaling(scale=0.0)
    with pytest.raises(ValueError, match="mode"):
        initializers.VarianceScaling(mode="fan_sum")
    with pytest.raises(ValueError, match="distribution"):
        initializers.VarianceScaling(distribution="laplace")


def test_orthogonal_gives_orthonormal_rows_or_columns():
    tall = values(initializers.Orthogonal(), (50, 20), dtype="float64")
    np.testing.assert_allclose(tall.T @ tall, np.eye(20), atol=1e-10)
    wide = values(initializers.Orthogonal(gain=2.0), (20, 50), dtype="float64")
    np.testing.assert_allclose(wide @ wide.T, 4.0 * np.eye(20), atol=1e-10)
    conv = values(initializers.Orthogonal(), (3, 3, 4, 8), dtype="float64").reshape(36, 8)
    np.testing.assert_allclose(conv.T @ conv, np.eye(8), atol=1e-10)
    with pytest.raises(ValueError, match="at least two-dimensional"):
        initializers.Orthogonal()((5,))


def test_seeded_instance_repeats_and_different_seeds_differ():
    a = initializers.GlorotUniform(seed=3)
    np.testing.assert_array_equal(values(a, (4, 4)), values(a, (4, 4)))
    np.testing.assert_array_equal(values(a, (4, 4)), values(initializers.GlorotUniform(seed=3), (4, 4)))
    assert not np.array_equal(values(a, (4, 4)), values(initializers.GlorotUniform(seed=4), (4, 4)))
    with pytest.raises(ValueError, match="seed"):
        initializers.RandomNormal(seed="abc")


def test_global_seed_makes_unseeded_draws_repeatable_and_successive_draws_differ():
    initializers.set_global_seed(11)
    first = [values(initializers.HeNormal(), (3, 3)) for _ in range(2)]
    initializers.set_global_seed(11)
    second = [values(initializers.HeNormal(), (3, 3)) for _ in range(2)]
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    assert not np.array_equal(first[0], first[1])


_BUILD_TWICE = """
import numpy as np, ferroflow as tf
from ferroflow import keras
keras.utils.set_random_seed(5)
model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(3)])
model.build((None, 6))
w = model.get_weights()
assert not np.array_equal(w[0][:4, :3], w[2][:4, :3])
print(repr(np.concatenate([x.ravel() for x in w]).tolist()))
"""


def test_set_random_seed_gives_identical_models_in_fresh_processes():
    runs = [subprocess.run([sys.executable, "-c", _BUILD_TWICE], capture_output=True, text=True) for _ in range(2)]
    for r in runs:
        assert r.returncode == 0, r.stderr
    assert runs[0].stdout == runs[1].stdout and len(runs[0].stdout) > 50


def test_get_accepts_names_classes_instances_callables_and_configs():
    assert isinstance(initializers.get("glorot_uniform"), initializers.GlorotUniform)
    assert isinstance(initializers.get("GlorotUniform"), initializers.GlorotUniform)
    assert isinstance(initializers.get("zeros"), initializers.Zeros)
    assert isinstance(initializers.get("uniform"), initializers.RandomUniform)
    assert isinstance(initializers.get(initializers.HeNormal), initializers.HeNormal)
    inst = initializers.Orthogonal(gain=2.0)
    assert initializers.get(inst) is inst

    def custom(shape, dtype=None):
        return np.full(shape, 7.0)

    assert initializers.get(custom) is custom
    assert initializers.get(None) is None
    assert initializers.he_normal is initializers.HeNormal
    assert keras.initializers.glorot_uniform is initializers.GlorotUniform


@pytest.mark.parametrize(
    "init",
    [
        initializers.RandomNormal(mean=1.0, stddev=0.5, seed=2),
        initializers.TruncatedNormal(stddev=0.3),
        initializers.RandomUniform(minval=0.0, maxval=2.0, seed=1),
        initializers.VarianceScaling(scale=2.0, mode="fan_avg", distribution="uniform", seed=9),
        initializers.HeUniform(seed=4),
        initializers.Orthogonal(gain=0.5, seed=3),
        initializers.Constant(3.0),
        initializers.Identity(gain=2.0),
    ],
)
def test_serialize_round_trips_configs(init):
    config = initializers.serialize(init)
    assert config["module"] == "keras.initializers" and config["class_name"] == type(init).__name__
    back = initializers.deserialize(config)
    assert type(back) is type(init) and back.get_config() == init.get_config()
    assert type(init.clone()) is type(init) and init.clone().get_config() == init.get_config()


def test_keras_saved_class_names_and_unknown_names():
    orth = initializers.deserialize({"class_name": "OrthogonalInitializer", "config": {"gain": 2.0, "seed": None}})
    assert isinstance(orth, initializers.Orthogonal) and orth.gain == 2.0
    with pytest.raises(ValueError, match="Could not interpret initializer identifier: 'glorot_unifrom'") as info:
        initializers.get("glorot_unifrom")
    assert "glorot_uniform" in str(info.value)


def test_calling_an_initializer_while_tracing_gives_an_eager_tensor():
    seen = []

    def traced(x):
        seen.append(initializers.Ones()((2,)))
        return x * 2.0

    tf.function(traced)(tf.constant([1.0]))
    assert isinstance(seen[0], EagerTensor)
    np.testing.assert_array_equal(seen[0].numpy(), [1.0, 1.0])
