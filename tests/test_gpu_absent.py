"""The CUDA backend on a machine without a usable GPU: an empty device list that says why, a clear error for
an explicit GPU without soft placement, the CPU with it, and the GPU settings' APIs answering as TensorFlow's."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import _core
from ferroflow.framework import device as device_lib

pytestmark = pytest.mark.skipif(_core.gpu_count() > 0, reason="a CUDA device is present")


def test_no_gpu_is_listed_and_the_reason_names_what_is_missing():
    assert tf.config.list_physical_devices("GPU") == []
    assert tf.config.list_logical_devices("GPU") == []
    reason = _core.gpu_unavailable_reason()
    # This machine has no CUDA driver: the probe names the library instead of cudarc panicking.
    assert reason is not None and ("libcuda.so.1" in reason or "FERROFLOW_DISABLE_GPU" in reason), reason
    assert tf.test.is_built_with_cuda() is True
    assert tf.test.is_gpu_available() is False
    assert tf.test.is_gpu_available(min_cuda_compute_capability=(9, 0)) is False


def test_an_explicit_gpu_without_soft_placement_raises_with_the_reason():
    tf.config.set_soft_device_placement(False)
    try:
        with pytest.raises(tf.errors.InvalidArgumentError, match="could not be loaded|FERROFLOW_DISABLE_GPU"):
            with tf.device("/GPU:0"):
                pass
    finally:
        tf.config.set_soft_device_placement(True)


def _fake_gpu_scope():
    """Makes Python's device registry believe in one GPU, so that graph nodes carry a GPU request which the
    core (which finds none) must resolve."""
    saved = dict(device_lib._TYPES)
    device_lib.register_device_type("GPU", lambda: 1)
    return saved


def test_graph_nodes_asking_for_a_missing_gpu_run_on_the_cpu_under_soft_placement():
    saved = _fake_gpu_scope()
    try:
        with tf.device("/GPU:0"):
            f = tf.function(lambda x: tf.nn.relu(tf.matmul(x, x)) + 1.0)
            out = f(tf.constant([[1.0, -2.0], [3.0, 4.0]]))
    finally:
        device_lib._TYPES.clear()
        device_lib._TYPES.update(saved)
    np.testing.assert_allclose(out.numpy(), [[1.0, 1.0], [16.0, 11.0]])


def test_graph_nodes_asking_for_a_missing_gpu_fail_to_compile_without_soft_placement():
    saved = _fake_gpu_scope()
    try:
        with tf.device("/GPU:0"):
            f = tf.function(lambda x: tf.matmul(x, x))
            tf.config.set_soft_device_placement(False)
            with pytest.raises(tf.errors.InvalidArgumentError, match="Could not satisfy explicit device specification"):
                f(tf.constant([[1.0]]))
    finally:
        tf.config.set_soft_device_placement(True)
        device_lib._TYPES.clear()
        device_lib._TYPES.update(saved)


def test_cpu_plans_have_no_device_steps():
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [2])
        y = tf.exp(x) * 2.0
    plan = g._g.compile([y.node], [x.node])
    assert plan.placement() == ([], 0)


def test_gpu_settings_answer_without_a_gpu():
    assert tf.config.experimental.tensor_float_32_execution_enabled() is True  # TensorFlow's default
    tf.config.experimental.enable_tensor_float_32_execution(False)
    assert tf.config.experimental.tensor_float_32_execution_enabled() is False
    tf.config.experimental.enable_tensor_float_32_execution(True)
    with pytest.raises(tf.errors.InvalidArgumentError, match="no GPU device is available"):
        tf.config.experimental.get_memory_info("GPU:0")
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.config.experimental.reset_memory_stats("GPU:0")
    with pytest.raises(ValueError, match="only kept for GPUs"):
        tf.config.experimental.get_memory_info("CPU:0")
    assert tf.config.experimental.get_device_details(tf.config.list_physical_devices("CPU")[0]) == {}


def test_disable_gpu_variable_hides_gpus_with_its_own_reason():
    code = "import ferroflow as tf; print(tf._core.gpu_count(), tf._core.gpu_unavailable_reason())"
    env = {**os.environ, "FERROFLOW_DISABLE_GPU": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0 GPUs are hidden by FERROFLOW_DISABLE_GPU"
