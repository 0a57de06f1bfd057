"""Keras on the GPU: the hello-world MLP and a model with the core's layers train to the CPU's accuracy, the
allocator's statistics move, and placement logging names the GPU."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import _core

pytestmark = pytest.mark.skipif(_core.gpu_count() == 0, reason="no CUDA device")


def clusters(n: int, shape: tuple, seed: int):
    """Ten Gaussian clusters in ``shape``-shaped inputs, which both models learn to over 90% in two epochs."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((10, int(np.prod(shape)))).astype("float32")
    y = rng.integers(0, 10, n)
    x = centres[y] + 1.5 * rng.standard_normal((n, centres.shape[1])).astype("float32")
    return x.reshape((n, *shape)), y.astype("int32")


def train(build, shape, gpu: bool, epochs: int = 2) -> float:
    """Test accuracy after training the same seeded model on the GPU or, with GPUs hidden, on the CPU."""
    gpus = tf.config.list_physical_devices("GPU")
    tf.config.set_visible_devices([] if not gpu else gpus, "GPU")
    try:
        tf.keras.utils.set_random_seed(1)
        x, y = clusters(6000, shape, 0)
        xt, yt = clusters(2000, shape, 0)
        model = build()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=32, epochs=epochs, verbose=0)
        return model.evaluate(xt, yt, verbose=0)[1]
    finally:
        tf.config.set_visible_devices(gpus, "GPU")


def mlp():
    return tf.keras.Sequential([
        tf.keras.Input((28, 28)),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(512, activation="relu"),
        tf.keras.layers.Dropout(0.2),
        tf.keras.layers.Dense(10, activation="softmax"),
    ])


def every_layer():
    return tf.keras.Sequential([
        tf.keras.Input((28, 28, 1)),
        tf.keras.layers.Conv2D(8, 3, activation="relu"),
        tf.keras.layers.BatchNormalization(),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Dropout(0.1),
        tf.keras.layers.Reshape((13, 13 * 8)),
        tf.keras.layers.LSTM(16),
        tf.keras.layers.LayerNormalization(),
        tf.keras.layers.Dense(32, activation="tanh"),
        tf.keras.layers.Dense(10, activation="softmax"),
    ])


@pytest.mark.parametrize("build,shape", [(mlp, (28, 28)), (every_layer, (28, 28, 1))], ids=["mlp", "every_layer"])
def test_training_on_the_gpu_reaches_the_cpus_accuracy(build, shape):
    on_gpu = train(build, shape, gpu=True)
    on_cpu = train(build, shape, gpu=False)
    assert on_gpu > 0.9, on_gpu
    assert abs(on_gpu - on_cpu) < 0.02, (on_gpu, on_cpu)


def test_memory_statistics_follow_the_allocator():
    tf.config.experimental.reset_memory_stats("GPU:0")
    before = tf.config.experimental.get_memory_info("GPU:0")
    f = tf.function(lambda x: tf.reduce_sum(tf.matmul(x, x)))
    f(tf.ones((2048, 2048)))
    after = tf.config.experimental.get_memory_info("GPU:0")
    assert after["peak"] >= before["current"] + 2 * 2048 * 2048 * 4
    tf.config.experimental.reset_memory_stats("GPU:0")
    assert tf.config.experimental.get_memory_info("GPU:0")["peak"] == after["current"]
    details = tf.config.experimental.get_device_details(tf.config.list_physical_devices("GPU")[0])
    assert isinstance(details["device_name"], str) and len(details["compute_capability"]) == 2


def test_placement_is_logged_and_listed(capfd):
    tf.debugging.set_log_device_placement(True)
    try:
        g = tf.Graph()
        with g.as_default():
            x = tf.compat.v1.placeholder(tf.float32, [4, 4])
            y = tf.nn.relu(tf.matmul(x, x))
        plan = g._g.compile([y.node], [x.node])
    finally:
        tf.debugging.set_log_device_placement(False)
    err = capfd.readouterr().err
    assert "(MatMul): /job:localhost/replica:0/task:0/device:GPU:0" in err
    assert "(Placeholder): /job:localhost/replica:0/task:0/device:CPU:0" in err
    placed, copies = plan.placement()
    # The feed goes up once; relu and the product run where it is, and the fetch comes back down.
    assert dict(placed)[g._g.node(y.node)[0]].endswith("device:GPU:0") and copies == 1
    np.testing.assert_allclose(plan.run([np.eye(4, dtype="float32")])[0].numpy(), np.eye(4))
