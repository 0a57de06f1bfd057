"""``tf.compat.v1.ConfigProto`` and what ``Session(config=...)`` does with it; ``InteractiveSession`` with
``Tensor.eval`` / ``Operation.run``; ``tf.compat.v1.assign*`` and ``Variable.read_value`` / ``eval``."""

import subprocess
import sys
import warnings

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import _core

v1 = tf.compat.v1
CPU = "/job:localhost/replica:0/task:0/device:CPU:0"
# TensorFlow 2.21's bytes for the config built in test_config_proto_fields_and_bytes.
CONFIG_HEX = (
    "0a070a0347505510000a070a03435055100110022801320b09000000000000e03f200138014001520f1a0b18ffffffffffffffffff012001"
)


def test_config_proto_fields_and_bytes():
    config = v1.ConfigProto(
        log_device_placement=True,
        allow_soft_placement=True,
        intra_op_parallelism_threads=2,
        inter_op_parallelism_threads=1,
        device_count={"CPU": 1, "GPU": 0},
    )
    config.gpu_options.allow_growth = True  # sub-messages read as empty messages until set, as in protobuf
    config.gpu_options.per_process_gpu_memory_fraction = 0.5
    config.graph_options.build_cost_model = 1
    config.graph_options.optimizer_options.opt_level = v1.OptimizerOptions.L0
    parsed = v1.ConfigProto.FromString(bytes.fromhex(CONFIG_HEX))
    assert parsed == config  # map entries are written in key order here, TensorFlow's order differs
    assert parsed.device_count == {"CPU": 1, "GPU": 0} and parsed.allow_soft_placement is True
    assert parsed.graph_options.optimizer_options.opt_level == -1 and parsed.gpu_options.allow_growth
    assert v1.ConfigProto().SerializeToString() == b""
    assert "log_device_placement: true" in str(config) and "opt_level: L0" in str(config)
    with pytest.raises(ValueError, match='no "log_placement" field'):
        v1.ConfigProto(log_placement=True)
    with pytest.raises(AttributeError, match="Assignment not allowed"):
        config.gpu_options.grow = True


def test_log_device_placement_prints_each_node_once(capfd):
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        y = tf.nn.relu(tf.matmul(x, tf.ones([3, 2]), name="mm"), name="out")
    with v1.Session(graph=graph, config=v1.ConfigProto(log_device_placement=True)) as sess:
        sess.run(y, {x: np.ones((1, 3), "float32")})
        first = capfd.readouterr().err.splitlines()
        sess.run(y, {x: np.ones((1, 3), "float32")})
        assert capfd.readouterr().err == ""  # placed once, as TensorFlow's placer logs the graph once
        with graph.as_default():
            z = tf.identity(y, name="later")
        sess.run(z, {x: np.ones((1, 3), "float32")})
        second = capfd.readouterr().err.splitlines()
    assert f"x: (Placeholder): {CPU}" in first
    assert f"mm: (MatMul): {CPU}" in first and f"out: (Relu): {CPU}" in first
    assert len(first) == len(graph) - 1 and second == [f"later: (Identity): {CPU}"]
    with v1.Session(graph=graph) as sess:  # without the option: silent
        sess.run(y, {x: np.ones((1, 3), "float32")})
    assert capfd.readouterr().err == ""


def test_intra_op_threads_size_the_pool_of_a_fresh_process():
    script = (
        "import ferroflow as tf\n"
        "v1 = tf.compat.v1\n"
        "with tf.Graph().as_default():\n"
        "    x = v1.placeholder(tf.float32, [None, 2])\n"
        "    y = tf.reduce_sum(x * 2.0)\n"
        "    with v1.Session(config=v1.ConfigProto(intra_op_parallelism_threads=1)) as sess:\n"
        "        print(sess.run(y, {x: [[1.0, 2.0]]}), tf.config.threading.get_intra_op_parallelism_threads())\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["6.0", "1"]


def test_thread_options():
    _core.num_threads()  # the pool is running: its size is fixed from now on
    same = v1.ConfigProto(intra_op_parallelism_threads=_core.num_threads(), inter_op_parallelism_threads=2)
    same.allow_soft_placement = True
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v1.Session(config=same).close()  # nothing to change: no warning
    with pytest.warns(RuntimeWarning, match="intra_op_parallelism_threads"):
        v1.Session(config=v1.ConfigProto(intra_op_parallelism_threads=_core.num_threads() + 1)).close()
    with pytest.raises(TypeError, match="ConfigProto"):
        v1.Session(config={"intra_op_parallelism_threads": 2})
    with pytest.raises(ValueError, match="intra_op_parallelism_threads"):
        v1.Session(config=v1.ConfigProto(intra_op_parallelism_threads=-1))


def test_interactive_session_eval_run_and_assign():
    graph = tf.Graph()
    with graph.as_default():
        sess = v1.InteractiveSession()
        try:
            v = tf.Variable([1.0, 2.0], name="v")
            v.initializer.run()
            np.testing.assert_array_equal(v.eval(), [1.0, 2.0])
            added = v1.assign_add(v, [1.0, 1.0])
            np.testing.assert_array_equal(added.eval(), [2.0, 3.0])  # the new value, as TF1's ref ops give
            np.testing.assert_array_equal(v.read_value().eval(), [2.0, 3.0])
            np.testing.assert_array_equal(v1.assign(v, [5.0, 5.0]).eval(), [5.0, 5.0])
            np.testing.assert_array_equal(v1.assign_sub(v, [1.0, 2.0]).eval(), [4.0, 3.0])
            step = tf.group(v1.assign_add(v, [10.0, 10.0]))
            assert step.run() is None
            np.testing.assert_array_equal(v.eval(), [14.0, 13.0])
            np.testing.assert_array_equal((v * 2.0).eval(), [28.0, 26.0])
            x = v1.placeholder(tf.float32, [2])
            np.testing.assert_array_equal((x + v).eval(feed_dict={x: [1.0, 1.0]}), [15.0, 14.0])
            with pytest.raises(ValueError, match="incompatible"):
                v1.assign(v, [1.0, 2.0, 3.0])
            with pytest.raises(AttributeError, match="tf.Variable"):
                v1.assign(tf.constant(1.0), 2.0)
        finally:
            sess.close()
        assert v1.get_default_session() is None
        with pytest.raises(ValueError, match="no default session"):
            v.eval()


def test_assign_eagerly_returns_an_unread_view_of_the_variable():
    # TensorFlow 2.21 returns an `UnreadVariable` (not the variable itself) that reads the current value.
    v = tf.Variable(1.0)
    added = v1.assign_add(v, 2.0)
    assert added is not v and added.name == "UnreadVariable" and float(v.numpy()) == 3.0
    assert float(v1.assign(v, 5.0).numpy()) == 5.0 and float(v1.assign_sub(v, 1.0).numpy()) == 4.0
    assert float(added.numpy()) == 4.0
