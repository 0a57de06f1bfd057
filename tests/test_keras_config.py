"""``tf.keras.config``: Keras 3's global settings, compared with what Keras 3.15 (TensorFlow backend) does."""

import logging
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.layers import dtype_policy as _dtype_policy
from ferroflow.layers import lambda_layer as _lambda_layer
from ferroflow.utils import io_utils as _io_utils

config = tf.keras.config

# sorted(n for n in dir(keras.config) if not n.startswith("_")) in Keras 3.15.
KERAS_NAMES = [
    "backend",
    "disable_flash_attention",
    "disable_interactive_logging",
    "disable_traceback_filtering",
    "dtype_policy",
    "enable_flash_attention",
    "enable_interactive_logging",
    "enable_traceback_filtering",
    "enable_unsafe_deserialization",
    "epsilon",
    "floatx",
    "image_data_format",
    "is_flash_attention_enabled",
    "is_interactive_logging_enabled",
    "is_nnx_enabled",
    "is_traceback_filtering_enabled",
    "max_epochs",
    "max_steps_per_epoch",
    "set_backend",
    "set_dtype_policy",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "set_max_epochs",
    "set_max_steps_per_epoch",
]


@pytest.fixture(autouse=True)
def _restore_global_state():
    """Every setting a test changes is put back, whatever the test does."""
    backend = tf.keras.backend
    saved = (
        backend.floatx(),
        backend.epsilon(),
        backend.image_data_format(),
        _dtype_policy._global["policy"],
        _io_utils.is_interactive_logging_enabled(),
        dict(config._state),
        (config.max_epochs(), config.max_steps_per_epoch()),
        dict(_lambda_layer._unsafe_everywhere),
    )
    try:
        yield
    finally:
        floatx, eps, data_format, policy, interactive, state, (epochs, steps), unsafe = saved
        backend.set_floatx(floatx)
        backend.set_epsilon(eps)
        backend.set_image_data_format(data_format)
        _dtype_policy._global["policy"] = policy
        (_io_utils.enable_interactive_logging if interactive else _io_utils.disable_interactive_logging)()
        config._state.clear()
        config._state.update(state)
        config.set_max_epochs(epochs)
        config.set_max_steps_per_epoch(steps)
        _lambda_layer._unsafe_everywhere.clear()
        _lambda_layer._unsafe_everywhere.update(unsafe)


def test_public_names_are_keras_3_15s():
    assert dir(config) == KERAS_NAMES
    assert all(callable(getattr(config, name)) for name in KERAS_NAMES)


def test_defaults_match_keras():
    # Keras: tensorflow float32 1e-07 channels_last float32 True None ... False None None
    assert config.backend() == "tensorflow"
    assert config.floatx() == "float32"
    assert config.epsilon() == 1e-7
    assert config.image_data_format() == "channels_last"
    assert config.dtype_policy().name == "float32"
    assert config.is_interactive_logging_enabled() is True
    assert config.is_flash_attention_enabled() is None
    assert config.is_nnx_enabled() is False
    assert config.max_epochs() is None
    assert config.max_steps_per_epoch() is None


def test_floatx_and_epsilon_are_the_backends():
    # As in a fresh Keras process: no global policy fixed yet (an earlier test may have set one; the fixture
    # puts it back), so the policy follows floatx.
    _dtype_policy._global["policy"] = None
    config.set_floatx("float64")
    assert tf.keras.backend.floatx() == "float64"
    dense = tf.keras.layers.Dense(2)
    dense.build((None, 3))
    # Keras: float64 kernel, float64 output, policy float64
    assert dense.kernel.dtype == tf.float64
    assert dense(np.ones((1, 3))).dtype == tf.float64
    assert config.dtype_policy().name == "float64"
    with pytest.raises(ValueError, match="Unknown `floatx` value: int32"):
        config.set_floatx("int32")
    config.set_epsilon(1e-5)
    assert config.epsilon() == 1e-5 and tf.keras.backend.epsilon() == 1e-5


def test_set_image_data_format_is_followed_by_layers():
    with pytest.raises(ValueError) as err:
        config.set_image_data_format("nchw")
    assert str(err.value) == (
        "The `data_format` argument must be one of {'channels_first', 'channels_last'}. Received: data_format=nchw"
    )
    config.set_image_data_format("CHANNELS_FIRST")
    assert config.image_data_format() == "channels_first"
    assert tf.keras.backend.image_data_format() == "channels_first"
    conv = tf.keras.layers.Conv2D(4, 3)
    pool = tf.keras.layers.MaxPooling2D()
    gap = tf.keras.layers.GlobalAveragePooling2D()
    assert (conv.data_format, pool.data_format, gap.data_format) == ("channels_first",) * 3
    x = np.ones((2, 3, 8, 8), "float32")
    # Keras: (2, 4, 6, 6) (2, 3, 4, 4) (2, 3)
    assert tuple(conv.compute_output_shape(x.shape)) == (2, 4, 6, 6)
    assert tuple(pool(x).shape) == (2, 3, 4, 4)
    np.testing.assert_allclose(gap(x).numpy(), np.ones((2, 3)))
    config.set_image_data_format("channels_last")
    assert tf.keras.layers.Conv2D(4, 3).data_format == "channels_last"


def test_set_dtype_policy_mixed_float16():
    config.set_dtype_policy("mixed_float16")
    assert config.dtype_policy().name == "mixed_float16"
    assert tf.keras.mixed_precision.global_policy().name == "mixed_float16"
    dense = tf.keras.layers.Dense(2)
    dense.build((None, 3))
    # Keras: mixed_float16 float16 float32 float16
    assert (dense.compute_dtype, dense.variable_dtype) == ("float16", "float32")
    assert dense(np.ones((1, 3))).dtype == tf.float16


def test_interactive_logging_switches_are_keras_utils(caplog):
    assert config.disable_interactive_logging is tf.keras.utils.disable_interactive_logging
    config.disable_interactive_logging()
    assert config.is_interactive_logging_enabled() is False
    with caplog.at_level(logging.INFO, logger="ferroflow"):
        _io_utils.print_msg("hello")
    assert [r.getMessage() for r in caplog.records] == ["hello"]
    config.enable_interactive_logging()
    assert tf.keras.utils.is_interactive_logging_enabled() is True


def test_enable_unsafe_deserialization_loads_lambdas(tmp_path):
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Lambda(lambda t: t * 2.0 + 1.0)])
    path = str(tmp_path / "m.keras")
    model.save(path)
    with pytest.raises(ValueError, match="enable_unsafe_deserialization"):
        tf.keras.models.load_model(path)
    config.enable_unsafe_deserialization()
    loaded = tf.keras.models.load_model(path)  # safe_mode=True, as in Keras
    # Keras: [[3.0, 5.0, 7.0]]
    np.testing.assert_allclose(loaded.predict(np.array([[1.0, 2.0, 3.0]]), verbose=0), [[3.0, 5.0, 7.0]])


class _Counter(tf.keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.train_batches, self.test_batches, self.predict_batches = [], 0, 0

    def on_epoch_begin(self, epoch, logs=None):
        self.train_batches.append(0)

    def on_train_batch_end(self, batch, logs=None):
        self.train_batches[-1] += 1

    def on_test_batch_end(self, batch, logs=None):
        self.test_batches += 1

    def on_predict_batch_end(self, batch, logs=None):
        self.predict_batches += 1


def _model_and_data():
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x = np.arange(60, dtype="float32").reshape(20, 3) / 60
    return model, x, x.sum(1, keepdims=True)


def test_max_epochs_and_steps_cap_fit_evaluate_predict():
    model, x, y = _model_and_data()
    config.set_max_epochs(2)
    config.set_max_steps_per_epoch(3)
    counter = _Counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(x, y, batch_size=2, epochs=5, verbose=0, callbacks=[counter], validation_data=(x, y))
    # Keras: warnings ['Limiting epochs to 2', 'Limiting steps_per_epoch to 3'], 2 epochs of 3 batches,
    # 6 validation batches, params {'verbose': 0, 'epochs': 2, 'steps': 3}
    assert sorted({str(w.message) for w in caught}) == ["Limiting epochs to 2", "Limiting steps_per_epoch to 3"]
    assert len(history.history["loss"]) == 2 and counter.train_batches == [3, 3]
    assert counter.test_batches == 6
    assert history.params == {"verbose": 0, "epochs": 2, "steps": 3}
    counter = _Counter()
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 3"):
        model.evaluate(x, y, batch_size=2, verbose=0, callbacks=[counter])
    assert counter.test_batches == 3
    counter = _Counter()
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 3"):
        out = model.predict(x, batch_size=2, verbose=0, callbacks=[counter])
    assert counter.predict_batches == 3 and out.shape == (6, 1)


def test_caps_only_apply_below_what_is_asked():
    model, x, y = _model_and_data()
    config.set_max_epochs(2)
    counter = _Counter()
    with pytest.warns(UserWarning, match="Limiting epochs to 2"):
        model.fit(x, y, batch_size=2, epochs=5, verbose=0, callbacks=[counter])
    assert counter.train_batches == [10, 10]  # Keras: 2 epochs of 10
    config.set_max_epochs(7)
    counter = _Counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "Limiting" warning either
        model.fit(x, y, batch_size=10, epochs=3, verbose=0, callbacks=[counter])
    assert counter.train_batches == [2, 2, 2]  # Keras: a cap above the epochs changes nothing
    config.set_max_epochs(None)
    config.set_max_steps_per_epoch(5)
    counter = _Counter()
    model.fit(x, y, batch_size=2, epochs=1, steps_per_epoch=4, verbose=0, callbacks=[counter])
    assert counter.train_batches == [4]  # Keras: [4]


def test_flash_attention_flag_and_dot_product_attention():
    config.disable_flash_attention()
    assert config.is_flash_attention_enabled() is False
    config.enable_flash_attention()
    assert config.is_flash_attention_enabled() is None
    q = np.random.RandomState(0).rand(1, 2, 2, 4).astype("float32")
    with pytest.raises(ValueError, match="^Flash attention is not supported in tensorflow backend.$"):
        tf.keras.ops.dot_product_attention(q, q, q, flash_attention=True)
    # Keras's TensorFlow backend does not read the global flag: None computes plain attention.
    out = tf.keras.ops.dot_product_attention(q, q, q).numpy()
    qt = q.transpose(0, 2, 1, 3)
    logits = qt @ qt.transpose(0, 1, 3, 2) / 2.0
    weights = np.exp(logits - logits.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    np.testing.assert_allclose(out, (weights @ qt).transpose(0, 2, 1, 3), rtol=1e-5)
    # Keras: first values [0.7611945867538452, 0.5453518033027649, 0.6995018720626831]
    np.testing.assert_allclose(out.ravel()[:3], [0.7611945867538452, 0.5453518033027649, 0.6995018720626831], rtol=1e-5)


def test_set_backend():
    config.set_backend("tensorflow")
    assert config.backend() == "tensorflow"
    with pytest.raises(ValueError, match="ferroflow implements Keras on its TensorFlow-compatible backend only"):
        config.set_backend("jax")
    with pytest.raises(ValueError, match="Available backends are"):
        config.set_backend("nope")
    assert config.backend() == "tensorflow"


def test_traceback_filtering_is_reported_off():
    # ferroflow never filters tracebacks: the query says so whatever is asked.
    assert config.is_traceback_filtering_enabled() is False
    config.disable_traceback_filtering()
    assert config.is_traceback_filtering_enabled() is False
    with pytest.warns(UserWarning, match="does not filter tracebacks"):
        config.enable_traceback_filtering()
    assert config.is_traceback_filtering_enabled() is False


def test_backend_module_has_set_image_data_format():
    tf.keras.backend.set_image_data_format("channels_first")
    assert config.image_data_format() == "channels_first"
    assert "set_image_data_format" in dir(tf.keras.backend)


def test_caps_are_read_from_the_environment():
    # Keras reads KERAS_MAX_EPOCHS and KERAS_MAX_STEPS_PER_EPOCH when it is imported.
    env = dict(os.environ, KERAS_MAX_EPOCHS="3", KERAS_MAX_STEPS_PER_EPOCH="4")
    code = "import ferroflow as tf; print(tf.keras.config.max_epochs(), tf.keras.config.max_steps_per_epoch())"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["3", "4"]
