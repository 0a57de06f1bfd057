"""tf.config device listing, tf.device scopes and device-placement logging."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf

# These describe a machine without a usable GPU (tests/test_gpu_backend.py covers both kinds).
pytestmark = pytest.mark.skipif(tf._core.gpu_count() > 0, reason="a CUDA device is present")

FULL_CPU = "/job:localhost/replica:0/task:0/device:CPU:0"


def test_device_lists():
    assert tf.config.list_physical_devices() == [tf.config.PhysicalDevice("/physical_device:CPU:0", "CPU")]
    assert repr(tf.config.list_physical_devices("CPU")[0]) == (
        "PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')"
    )
    assert tf.config.list_physical_devices("GPU") == []
    logical = tf.config.list_logical_devices()
    assert [(d.name, d.device_type) for d in logical] == [("/device:CPU:0", "CPU")]  # TF 2.21's short name
    assert tf.config.list_logical_devices("gpu") == []
    assert tf.config.get_visible_devices() == tf.config.list_physical_devices()
    assert tf.config.experimental.list_physical_devices("GPU") == []


def test_visible_devices_keep_the_cpu():
    cpu = tf.config.list_physical_devices("CPU")
    tf.config.set_visible_devices(cpu)
    assert tf.config.get_visible_devices("CPU") == cpu
    with pytest.raises(ValueError, match="CPU"):
        tf.config.set_visible_devices([], "CPU")
    with pytest.raises(ValueError, match="Unrecognized device"):
        tf.config.set_visible_devices([tf.config.PhysicalDevice("/physical_device:GPU:0", "GPU")])
    with pytest.raises(ValueError, match="non-GPU"):
        tf.config.experimental.set_memory_growth(cpu[0], True)


@pytest.mark.parametrize("name", ["/CPU:0", "/device:CPU:0", "cpu:0", "CPU", FULL_CPU, "/cpu:*", None])
def test_device_scope_accepts_cpu_names(name):
    with tf.device(name):
        out = tf.matmul([[1.0, 2.0]], [[3.0], [4.0]])
        assert tf.framework.device.current_device().to_string() == FULL_CPU
    np.testing.assert_allclose(out.numpy(), [[11.0]])


@pytest.mark.parametrize("name", ["/GPU:0", "/device:GPU:0", "gpu:0", "/job:localhost/replica:0/task:0/device:GPU:0"])
def test_gpu_without_soft_placement_raises_a_clear_error(name):
    tf.config.set_soft_device_placement(False)
    try:
        assert tf.config.get_soft_device_placement() is False
        with pytest.raises(tf.errors.InvalidArgumentError, match="no GPU device is available: "):
            with tf.device(name):
                pass
    finally:
        tf.config.set_soft_device_placement(True)


@pytest.mark.parametrize("name", ["/GPU:0", "GPU:0", "/job:localhost/replica:0/task:0/device:GPU:0"])
def test_gpu_with_soft_placement_runs_on_the_cpu(name):
    # The variables guide: soft placement is on by default, so a GPU block runs on the CPU of a CPU-only build.
    assert tf.config.get_soft_device_placement() is True
    a = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with tf.device(name):
        k = a * tf.Variable([[1.0, 2.0, 3.0]])
        assert tf.framework.device.current_device().to_string() == FULL_CPU
    np.testing.assert_allclose(k.numpy(), [[1.0, 4.0, 9.0], [4.0, 10.0, 18.0]])


def test_bad_names_and_missing_indices():
    with pytest.raises(ValueError, match="Unknown device type 'TPU'"):
        with tf.device("/TPU:0"):
            pass
    with pytest.raises(ValueError, match="Invalid device name"):
        with tf.device("/device:CPU:x"):
            pass
    with pytest.raises(tf.errors.InvalidArgumentError, match="1 CPU device"):
        with tf.device("/CPU:1"):
            pass


def test_a_registered_backend_becomes_placeable():
    from ferroflow.framework import device as dev

    saved = dict(dev._TYPES)
    try:
        dev.register_device_type("GPU", lambda: 2)
        assert [d.name for d in tf.config.list_logical_devices("GPU")] == ["/device:GPU:0", "/device:GPU:1"]
        with tf.device("/GPU:1"):
            assert dev.current_device() == dev.DeviceSpec("GPU", 1)
        assert dev.current_device() == dev.CPU0
    finally:
        dev._TYPES.clear()
        dev._TYPES.update(saved)


def test_log_device_placement_eager_and_compiled(capsys):
    tf.debugging.set_log_device_placement(True)
    try:
        tf.matmul([[1.0]], [[2.0]])
        err = capsys.readouterr().err
        assert f"Executing op MatMul in device {FULL_CPU}" in err
        model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        model.fit(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), epochs=2, verbose=0)
        err = capsys.readouterr().err
        matmul_lines = [line for line in err.splitlines() if line.endswith(f"(MatMul): {FULL_CPU}")]
        assert any(line.startswith(f"{model.name}/{model.layers[0].name}/MatMul:") for line in matmul_lines)
        forward = [line for line in err.splitlines() if line.startswith(f"{model.name}/{model.layers[0].name}/MatMul")]
        assert len(forward) == 1  # printed once, when the step is compiled, not per batch or epoch
    finally:
        tf.debugging.set_log_device_placement(False)
    tf.matmul([[1.0]], [[2.0]])
    assert capsys.readouterr().err == ""
    from ferroflow.framework import ops

    assert ops.eager_op_logger is None  # off: the eager path checks one global and does nothing else


def test_the_cpu_splits_into_logical_devices():
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
        )
        assert len(tf.config.list_logical_devices("CPU")) == 2
        assert len(tf.config.list_physical_devices("CPU")) == 1
        assert len(tf.config.get_logical_device_configuration(cpu)) == 2
        with tf.device("/CPU:1"):
            assert float(tf.add(1.0, 2.0)) == 3.0
    finally:
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()])
    assert len(tf.config.list_logical_devices("CPU")) == 1
    with pytest.raises(ValueError, match="at least one"):
        tf.config.set_logical_device_configuration(cpu, [])
