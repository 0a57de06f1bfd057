"""tfdbg's ``DumpingDebugHook`` and ``LocalCLIDebugHook`` in ``MonitoredSession``s and ``Estimator.train``: one dump
per run with the values the step used, training that advances exactly once per run, the other hooks unchanged,
and the terminal debugger driven by typed commands."""

import os
import sys

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.python import debug as tf_debug
from ferroflow.python.debug.wrappers import hooks as hooks_module

sys.path.insert(0, os.path.dirname(__file__))
import tfdbg_diverging  # noqa: E402
from test_tfdbg_cli import filtered_rows, section  # noqa: E402
from test_tfdbg_wrapper import feed, type_commands  # noqa: E402

v1 = tf.compat.v1
LR, W0, TARGET = 0.1, 3.0, 1.0


def tiny_graph():
    """``w`` trained towards ``TARGET`` on ``loss = (w - TARGET)^2`` with a global step."""
    g = tf.Graph()
    with g.as_default():
        step = v1.train.get_or_create_global_step()
        w = v1.Variable(np.float32(W0), name="w")
        w_value = tf.identity(w, name="w_value")
        loss = tf.square(w_value - TARGET, name="loss")
        train = v1.train.GradientDescentOptimizer(LR).minimize(loss, global_step=step)
    return g, {"step": step, "w": w, "loss": loss, "train": train}


def numpy_steps(n):
    """The value of ``w`` and the loss each of ``n`` steps used."""
    w, out = np.float32(W0), []
    for _ in range(n):
        out.append((w, np.square(w - np.float32(TARGET))))
        w = np.float32(w - np.float32(LR) * np.float32(2.0) * (w - np.float32(TARGET)))
    return out, w


def run_dirs(root):
    """The dump directories under ``root`` in run order (``run_<microseconds>_<run index>``)."""
    names = sorted(os.listdir(root), key=lambda d: int(d.rsplit("_", 1)[1]))
    return [os.path.join(root, d) for d in names]


def dumped(dump_dir, node):
    (value,) = tf_debug.DebugDumpDir(dump_dir).get_tensors(node, 0, "DebugIdentity")
    return value


def test_dumping_hook_writes_one_dump_per_run_with_the_values_the_step_used(tmp_path):
    g, t = tiny_graph()
    root = str(tmp_path / "dumps")
    with g.as_default():
        with v1.train.MonitoredSession(hooks=[tf_debug.DumpingDebugHook(root)]) as sess:
            losses = [sess.run([t["loss"], t["train"]])[0] for _ in range(3)]
            # Read below the hooks: no fourth dump.
            step, w = sess.run_step_fn(lambda step_context: step_context.session.run([t["step"], t["w"]]))
    want, w_after = numpy_steps(3)
    dirs = run_dirs(root)
    assert len(dirs) == 3
    for dump_dir, loss, (w_used, loss_want) in zip(dirs, losses, want):
        np.testing.assert_allclose(dumped(dump_dir, "loss"), loss, rtol=1e-6)
        np.testing.assert_allclose(dumped(dump_dir, "loss"), loss_want, rtol=1e-6)
        np.testing.assert_allclose(dumped(dump_dir, "w_value"), w_used, rtol=1e-6)
        info = tf_debug.DebugDumpDir(dump_dir)
        assert info.run_fetches_info == ["loss:0", "GradientDescent"] and info.run_feed_keys_info == []
        assert info.node_op_type("loss") == "Square"
    # Each step trained once: the debugged runs did not run the update twice.
    assert step == 3
    np.testing.assert_allclose(w, w_after, rtol=1e-6)


def test_dumping_hook_with_stop_at_step_and_checkpoints(tmp_path):
    g, t = tiny_graph()
    root, ckpt = str(tmp_path / "dumps"), str(tmp_path / "ckpt")
    hooks = [tf_debug.DumpingDebugHook(root), v1.train.StopAtStepHook(last_step=3)]
    runs = 0
    with g.as_default():
        with v1.train.MonitoredTrainingSession(checkpoint_dir=ckpt, hooks=hooks, save_summaries_steps=None) as sess:
            while not sess.should_stop():
                sess.run(t["train"])
                runs += 1
    assert runs == 3 and len(run_dirs(root)) == 3
    want, w_after = numpy_steps(3)
    # The checkpoint saved at the end holds the step and weight of exactly three updates.
    assert tf.train.load_variable(ckpt, "global_step") == 3
    np.testing.assert_allclose(tf.train.load_variable(ckpt, "w"), w_after, rtol=1e-6)
    for dump_dir, (w_used, loss_want) in zip(run_dirs(root), want):
        np.testing.assert_allclose(dumped(dump_dir, "w_value"), w_used, rtol=1e-6)
        np.testing.assert_allclose(dumped(dump_dir, "loss"), loss_want, rtol=1e-6)


def test_watch_fn_chooses_the_dumped_tensors(tmp_path):
    g, t = tiny_graph()
    root = str(tmp_path / "dumps")
    calls = []

    def watch_fn(fetches, feeds):
        calls.append(fetches)
        return tf_debug.WatchOptions(node_name_regex_allowlist="^loss$")

    with g.as_default():
        with v1.train.MonitoredSession(hooks=[tf_debug.DumpingDebugHook(root, watch_fn=watch_fn)]) as sess:
            sess.run([t["loss"], t["train"]])
    (dump_dir,) = run_dirs(root)
    assert [d.tensor_name for d in tf_debug.DebugDumpDir(dump_dir).dumped_tensor_data] == ["loss:0"]
    assert calls == [[t["loss"], t["train"]]]


def test_callers_trace_request_still_filled_beside_the_hook(tmp_path):
    g, t = tiny_graph()
    meta = v1.RunMetadata()
    with g.as_default():
        with v1.train.MonitoredSession(hooks=[tf_debug.DumpingDebugHook(str(tmp_path / "d"))]) as sess:
            loss = sess.run(t["loss"], options=v1.RunOptions(trace_level=v1.RunOptions.FULL_TRACE), run_metadata=meta)
    assert loss == numpy_steps(1)[0][0][1]
    assert "loss" in [op.name for op in meta.step_stats.ops]


def test_non_empty_session_root_raises_as_the_wrapper(tmp_path):
    root = tmp_path / "dumps"
    root.mkdir()
    (root / "earlier").write_text("x")
    g, t = tiny_graph()
    with pytest.raises(ValueError) as wrapper_error:
        tf_debug.DumpingDebugWrapperSession(v1.Session(graph=g), str(root))
    hook = tf_debug.DumpingDebugHook(str(root))  # checked at the first run, as TensorFlow does
    with g.as_default():
        with v1.train.MonitoredSession(hooks=[hook]) as sess:
            with pytest.raises(ValueError) as hook_error:
                sess.run(t["loss"])
    assert str(hook_error.value) == str(wrapper_error.value)
    assert str(hook_error.value) == f"session_root path points to a non-empty directory: {root}"


def diverging_session(hook):
    g, t = tfdbg_diverging.build()
    with g.as_default():
        sess = v1.train.MonitoredSession(hooks=[hook])
    return sess, t


def test_cli_hook_run_f_stops_at_the_bad_step(monkeypatch, capsys, tmp_path):
    bad_step, ref = tfdbg_diverging.reference()
    hook = tf_debug.LocalCLIDebugHook(dump_root=str(tmp_path / "cli_dumps"))
    sess, t = diverging_session(hook)
    plain_g, plain_t = tfdbg_diverging.build()
    plain = v1.Session(graph=plain_g)
    plain.run(plain_t["init"])
    type_commands(monkeypatch, "run -f has_inf_or_nan", "lt", "pt -a sq:0", "run -n", "run -n")
    with sess:
        for _ in range(bad_step + 4):
            got = sess.run([t["loss"], t["train"]], feed_dict=feed(t))
            want = plain.run([plain_t["loss"], plain_t["train"]], feed_dict=feed(plain_t))
            np.testing.assert_allclose(got[0], want[0], rtol=1e-6)
    out = capsys.readouterr().out
    # Stopped once, at the first run whose tensors hold an Inf; run -f did not ask again before it.
    assert out.count("run-end:") == 1
    assert f"run-end: run #{bad_step + 1}: 2 fetches; 2 feeds" in out
    assert filtered_rows(out)[:2] == ["sq:0", "loss:0"]
    assert "Square" in section(out, "lt") and "sq:0" in section(out, "lt")
    printed = section(out, "pt -a sq:0")
    assert 'Tensor "sq:0:DebugIdentity":' in printed and "shape: (8, 1)" in printed
    assert printed.count("inf") == int(np.isinf(ref["sq"]).sum()) == 8
    # run #1 (run -f), run #bad+3 (run -n) and run #bad+4 (end of input) asked; the dump root was cleaned up.
    assert out.count("run-start:") == 3
    assert not os.listdir(tmp_path / "cli_dumps")


def test_cli_hook_run_n_does_not_watch_and_filters_added_early(monkeypatch, capsys):
    planned = []
    real_plan = hooks_module.plan_watch
    monkeypatch.setattr(hooks_module, "plan_watch", lambda *a: planned.append(1) or real_plan(*a))
    hook = tf_debug.LocalCLIDebugHook()
    seen = []
    hook.add_tensor_filter("negative_w", lambda datum, value: seen.append(datum.node_name) or False)
    sess, t = diverging_session(hook)
    type_commands(monkeypatch, "run -n", "run -f negative_w")
    with sess:
        for _ in range(3):
            sess.run(t["loss"], feed_dict=feed(t))
    out = capsys.readouterr().out
    # Run #1 ran plainly (nothing watched); #2 and #3 were dumped and filtered by the filter added before the
    # first run, which never passed, so no analyzer opened.
    assert len(planned) == 2 and out.count("run-end:") == 0
    assert seen and set(seen) <= {"x", "y", "ReadVariableOp", "pred", "diff", "sq", "loss"}


def test_estimator_train_with_dumping_hook(tmp_path):
    x = np.array([[1.0], [2.0], [3.0], [4.0]], np.float32)
    y = 2.0 * x

    def model_fn(features, labels, mode):
        w = v1.get_variable("w", [1, 1], initializer=v1.zeros_initializer())
        pred = tf.matmul(features["x"], w, name="pred")
        loss = tf.reduce_mean(tf.square(pred - labels), name="mse")
        train_op = v1.train.GradientDescentOptimizer(0.05).minimize(loss, global_step=v1.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)

    def input_fn():
        return tf.data.Dataset.from_tensors(({"x": x}, y)).repeat()

    root = str(tmp_path / "dumps")
    estimator = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path / "model"))
    estimator.train(input_fn, steps=3, hooks=[tf_debug.DumpingDebugHook(root)])
    dirs = run_dirs(root)
    assert len(dirs) == 3 and estimator.get_variable_value("global_step") == 3
    w = np.float32(0.0)
    for dump_dir in dirs:
        pred, loss = x * w, np.mean(np.square(x * w - y))
        np.testing.assert_allclose(dumped(dump_dir, "pred"), pred, rtol=1e-6)
        np.testing.assert_allclose(dumped(dump_dir, "mse"), loss, rtol=1e-6)
        w = np.float32(w - 0.05 * np.mean(2.0 * (x * w - y) * x))
    np.testing.assert_allclose(estimator.get_variable_value("w"), [[w]], rtol=1e-5)
