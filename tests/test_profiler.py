"""Per-op run metadata: the slowest-ops table, peak working memory and a Chrome trace."""

from __future__ import annotations

import json

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras


def _model() -> keras.Model:
    model = keras.Sequential([keras.Input(shape=(20,)), keras.layers.Dense(64, activation="relu"),
                              keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_profile_train_step_names_layer_ops_and_measures_memory(tmp_path):
    model = _model()
    x = np.random.rand(64, 20).astype("float32")
    y = np.random.randint(0, 3, 64)
    stats = tf.profiler.profile_train_step(model, x, y, batch_size=16, runs=3)
    names = [op.name for op in stats.ops]
    # The first layer's product, bias and relu run as one fused step named after its last node, with the
    # members as its type. Auto-names depend on earlier tests.
    first_layer = f"{model.name}/{model.layers[0].name}/Relu"
    assert any(op.name == first_layer and op.op_type == "MatMul+AddV2+Relu" for op in stats.ops)
    assert any(n.startswith("gradients/") for n in names)
    assert any(op.op_type == "MatMul+ResourceApplyAdam" for op in stats.ops)
    assert int(model.optimizer.iterations.numpy()) == 3  # real steps were run
    assert stats.runs == 3 and all(op.duration_us >= 0 for op in stats.ops)
    # The forward activations of the batch (16 x 64 floats) are alive at some point.
    assert stats.peak_bytes >= 16 * 64 * 4
    table = stats.table(top=3)
    assert len(table.splitlines()) == 5 and "peak working memory" in table
    assert sum(stats.by_op_type().values()) == pytest.approx(stats.total_us)
    path = stats.save_chrome_trace(tmp_path / "trace.json")
    trace = json.loads(open(path).read())
    complete = [e for e in trace["traceEvents"] if e["ph"] == "X"]
    assert len(complete) == len(stats.ops)
    assert all(b["ts"] >= a["ts"] for a, b in zip(complete, complete[1:]))  # execution order
    assert {e["args"]["name"] for e in complete} == set(names)


def test_session_run_fills_run_metadata_with_full_trace():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, shape=(None, 3), name="x")
        with tf.name_scope("layer"):
            y = tf.reduce_sum(tf.matmul(x, tf.constant(np.ones((3, 2), "float32"))))
    feed = {x: np.arange(6, dtype="float32").reshape(2, 3)}
    with tf.compat.v1.Session(graph=graph) as sess:
        plain = sess.run(y, feed_dict=feed)
        meta = tf.compat.v1.RunMetadata()
        options = tf.compat.v1.RunOptions(trace_level=tf.compat.v1.RunOptions.FULL_TRACE)
        traced = sess.run(y, feed_dict=feed, options=options, run_metadata=meta)
    assert traced == plain == 30.0
    assert any(op.name == "layer/MatMul" and op.op_type == "MatMul" for op in meta.step_stats.ops)
    assert meta.step_stats.peak_bytes > 0
    with pytest.raises(ValueError, match="trace_level"):
        tf.compat.v1.RunOptions(trace_level=7)


def test_profile_rejects_bad_run_counts():
    model = _model()
    with pytest.raises(ValueError, match="runs"):
        tf.profiler.profile_train_step(model, np.zeros((4, 20), "float32"), np.zeros(4, "int64"), runs=0)
