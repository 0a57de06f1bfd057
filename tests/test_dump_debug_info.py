"""``tf.debugging.experimental.enable_dump_debug_info``: eager ops and ``tf.function`` nodes dumped in each tensor
debug mode, the circular buffer, the filters, and the dump read back by ``DebugDumpDir`` and the analyzer."""

import io
import sys

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.framework import ops as framework_ops
from ferroflow.framework import trace
from ferroflow.python import debug as tf_debug
from ferroflow.python.debug.cli.offline_analyzer import run_offline

dbg = tf.debugging.experimental


@pytest.fixture(autouse=True)
def _disabled_afterwards():
    yield
    dbg.disable_dump_debug_info()


@tf.function
def root_sum(a):
    return tf.reduce_sum(tf.sqrt(a) * 2.0)


def by_op(dump, op_type):
    return [d for d in dump.dumped_tensor_data if dump.node_op_type(d.node_name) == op_type]


def test_full_tensor_dumps_eager_ops_and_function_nodes(tmp_path):
    dbg.enable_dump_debug_info(str(tmp_path), tensor_debug_mode="FULL_TENSOR", circular_buffer_size=-1)
    x = tf.constant([1.0, -1.0])
    logs = tf.math.log(x)
    first, second = root_sum(x), root_sum(tf.constant([4.0, 9.0]))
    dbg.disable_dump_debug_info()
    assert framework_ops.eager_op_observer is None and trace.plan_runner is None
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(logs.numpy(), np.log(np.array([1.0, -1.0], np.float32)))
    assert np.isnan(first.numpy()) and second.numpy() == pytest.approx(10.0)
    dump = tf_debug.DebugDumpDir(str(tmp_path))
    (log,) = by_op(dump, "Log")
    assert log.node_name.startswith("eager/Log_") and log.debug_op == "FULL_TENSOR"
    np.testing.assert_array_equal(log.get_tensor(), logs.numpy())
    sqrt_node = next(n for n in dump.nodes() if dump.node_op_type(n) == "Sqrt")
    assert sqrt_node.endswith("Sqrt") and len(dump.node_inputs(sqrt_node)) == 1
    calls = dump.get_tensors(sqrt_node, 0, "FULL_TENSOR")
    assert len(calls) == 2  # one dump per call of the function
    np.testing.assert_array_equal(calls[1], np.sqrt([4.0, 9.0]).astype(np.float32))
    assert [d.node_name for d in dump.find(tf_debug.has_inf_or_nan)][:2] == [log.node_name, sqrt_node]


def test_health_modes_and_shape(tmp_path):
    values = tf.constant([0.0, -1.0, 1.0, 2.0])
    for mode, want in [
        ("CURT_HEALTH", [1.0]),
        ("CONCISE_HEALTH", [4, 1, 0, 1]),
        ("FULL_HEALTH", [-1, 1, 1, 4, 1, 0, 1, 0, 1, 1]),
        ("SHAPE", [1, 1, 4, 4, 0, 0, 0, 0, 0]),
    ]:
        root = tmp_path / mode
        dbg.enable_dump_debug_info(str(root), tensor_debug_mode=mode)
        tf.math.log(values)  # [-inf, nan, 0, 0.693]
        tf.cast(values, tf.int32)
        dbg.disable_dump_debug_info()
        dump = tf_debug.DebugDumpDir(str(root))
        (log,) = by_op(dump, "Log")
        summary = log.get_tensor()
        assert summary.dtype == np.float64 and summary[0] >= 1  # the tensor id comes first
        np.testing.assert_array_equal(summary[1:], want)
        assert tf_debug.has_inf_or_nan(log, summary) == (mode != "SHAPE")
        (cast,) = by_op(dump, "Cast")
        # The health modes summarize floating-point tensors only; SHAPE covers every dtype.
        assert (cast.get_tensor() is None) == (mode != "SHAPE")


def test_no_tensor_records_the_ops_only(tmp_path, monkeypatch, capsys):
    dbg.enable_dump_debug_info(str(tmp_path))
    tf.math.log(tf.constant([2.0]))
    dbg.disable_dump_debug_info()
    dump = tf_debug.DebugDumpDir(str(tmp_path))
    (log,) = by_op(dump, "Log")
    assert log.get_tensor() is None and log.file_path is None and log.debug_op == "NO_TENSOR"
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"pt {log.node_name}:0\nexit\n"))
    assert run_offline(str(tmp_path)) == 0
    assert "(no value dumped for this tensor)" in capsys.readouterr().out


def test_circular_buffer_and_filters(tmp_path):
    dbg.enable_dump_debug_info(str(tmp_path / "ring"), tensor_debug_mode="FULL_TENSOR", circular_buffer_size=3)
    for i in range(5):
        tf.math.exp(tf.constant([float(i)]))
    dbg.disable_dump_debug_info()
    kept = [d.get_tensor()[0] for d in tf_debug.DebugDumpDir(str(tmp_path / "ring")).dumped_tensor_data]
    np.testing.assert_allclose(kept, np.exp([2.0, 3.0, 4.0]), rtol=1e-6)
    dbg.enable_dump_debug_info(str(tmp_path / "ops"), tensor_debug_mode="FULL_TENSOR", op_regex="^Sqrt$")
    root_sum(tf.constant([1.0, 4.0]))
    tf.math.exp(tf.constant([1.0]))
    dbg.disable_dump_debug_info()
    assert {
        d.node_name.rsplit("/", 1)[-1] for d in tf_debug.DebugDumpDir(str(tmp_path / "ops")).dumped_tensor_data
    } == {"Sqrt"}
    dbg.enable_dump_debug_info(str(tmp_path / "ints"), tensor_debug_mode="FULL_TENSOR", tensor_dtypes=[tf.int32])
    tf.cast(tf.constant([1.5]), tf.int32)
    tf.math.exp(tf.constant([1.0]))
    dbg.disable_dump_debug_info()
    assert [d.node_name.split("_")[0] for d in tf_debug.DebugDumpDir(str(tmp_path / "ints")).dumped_tensor_data] == [
        "eager/Cast"
    ]


def test_stateful_functions_run_once_per_call(tmp_path):
    v = tf.Variable(0.0)

    @tf.function
    def bump():
        v.assign_add(1.0)
        return v.read_value() * 2.0

    dbg.enable_dump_debug_info(str(tmp_path), tensor_debug_mode="FULL_TENSOR")
    outs = [float(bump()) for _ in range(3)]
    dbg.disable_dump_debug_info()
    # The dumped run is the function's only run: the variable moves once per call.
    assert outs == [2.0, 4.0, 6.0] and float(v.numpy()) == 3.0
    dump = tf_debug.DebugDumpDir(str(tmp_path))
    (assign,) = [n for n in dump.nodes() if dump.node_op_type(n) == "AssignAddVariableOp"]
    assert len(dump.get_tensors(assign, 0, "FULL_TENSOR")) == 3


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match=r"Invalid value in tensor_debug_mode \('LOUD'\)"):
        dbg.enable_dump_debug_info(str(tmp_path), tensor_debug_mode="LOUD")
    with pytest.raises(NotImplementedError, match="FULL_NUMERICS is not implemented"):
        dbg.enable_dump_debug_info(str(tmp_path), tensor_debug_mode="FULL_NUMERICS")
    with pytest.raises(ValueError, match="tensor_dtypes is expected to be a list"):
        dbg.enable_dump_debug_info(str(tmp_path), tensor_dtypes="float32")
    with pytest.raises(TypeError, match="circular_buffer_size must be an integer"):
        dbg.enable_dump_debug_info(str(tmp_path), circular_buffer_size=1.5)
    writer = dbg.enable_dump_debug_info(str(tmp_path / "a"), tensor_debug_mode="SHAPE")
    with pytest.raises(ValueError, match="different tensor-debug mode"):
        dbg.enable_dump_debug_info(str(tmp_path / "a"), tensor_debug_mode="FULL_TENSOR")
    with pytest.raises(ValueError, match="different circular-buffer size"):
        dbg.enable_dump_debug_info(str(tmp_path / "a"), tensor_debug_mode="SHAPE", circular_buffer_size=5)
    assert dbg.enable_dump_debug_info(str(tmp_path / "b"), tensor_debug_mode="SHAPE") is writer
    assert writer.dump_root == str(tmp_path / "b")
    dbg.disable_dump_debug_info()
    dbg.disable_dump_debug_info()  # a no-op when off
    assert sorted(dir(dbg)) == ["disable_dump_debug_info", "enable_dump_debug_info"]
