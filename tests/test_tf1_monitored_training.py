"""MonitoredTrainingSession end to end: a TF1 linear regression trained with hooks, stopped at step 100 and
resumed from its checkpoint in a new graph and session, gives bit-identical losses and weights to an
uninterrupted 200-step run (Adam's slots included); checkpoints, the state file and TensorBoard summaries
land in checkpoint_dir; another model's checkpoint_dir is refused with the mismatch named."""

import os

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

import ferroflow as tf

v1 = tf.compat.v1

RNG = np.random.default_rng(42)
X = RNG.normal(size=(320, 8)).astype(np.float32)
TRUE_W = RNG.normal(size=(8, 1)).astype(np.float32)
Y = (X @ TRUE_W + 0.3 + 0.05 * RNG.normal(size=(320, 1))).astype(np.float32)
BATCH = 32


def _build(hidden=None):
    """Linear regression whose batch is chosen by the global step inside the graph, so a resumed run sees
    the same data at the same step."""
    v1.set_random_seed(0)
    step = v1.train.get_or_create_global_step()
    start = tf.math.floormod(tf.cast(step.value(), tf.int32), len(X) // BATCH) * BATCH
    rows = start + tf.range(BATCH)
    x, y = tf.gather(tf.constant(X), rows), tf.gather(tf.constant(Y), rows)
    with v1.variable_scope("linear"):
        w = v1.get_variable("w", [8, hidden or 1], initializer=v1.random_normal_initializer(stddev=0.1))
        b = v1.get_variable("b", [hidden or 1], initializer=v1.zeros_initializer())
    pred = tf.matmul(x, w) + b
    loss = v1.losses.mean_squared_error(y, pred)
    train = v1.train.AdamOptimizer(0.05).minimize(loss, global_step=step)
    v1.summary.scalar("loss", loss)
    v1.summary.histogram("weights", w)
    return step, loss, train, w, b


def _train(checkpoint_dir, last_step, **kwargs):
    """Trains until ``last_step``; returns ({step: loss}, final w, final b, first step run)."""
    with tf.Graph().as_default():
        step, loss, train, w, b = _build()
        hooks = [v1.train.StopAtStepHook(last_step=last_step), v1.train.NanTensorHook(loss)]
        losses = {}
        with v1.train.MonitoredTrainingSession(
            checkpoint_dir=checkpoint_dir,
            hooks=hooks,
            save_checkpoint_steps=50,
            save_summaries_steps=25,
            log_step_count_steps=50,
            **kwargs,
        ) as sess:
            while not sess.should_stop():
                _, value, at = sess.run([train, loss, step])  # ``step`` reads the value before this run's update
                losses[int(at)] = float(value)
        return losses, w.numpy(), b.numpy(), min(losses)


def test_resuming_from_the_checkpoint_matches_an_uninterrupted_run(tmp_path):
    interrupted, whole = str(tmp_path / "interrupted"), str(tmp_path / "whole")
    first, _, _, start_a = _train(interrupted, 100)
    assert sorted(first) == list(range(100)) and start_a == 0
    assert v1.train.latest_checkpoint(interrupted) == os.path.join(interrupted, "model.ckpt-100")
    second, w_resumed, b_resumed, start_b = _train(interrupted, 200)
    assert start_b == 100 and sorted(second) == list(range(100, 200))  # restored at the start, not re-initialized
    full, w_full, b_full, _ = _train(whole, 200)
    assert [full[i] for i in range(100)] == [first[i] for i in range(100)]
    assert [full[i] for i in range(100, 200)] == [second[i] for i in range(100, 200)]  # bit-identical
    np.testing.assert_array_equal(w_resumed, w_full)
    np.testing.assert_array_equal(b_resumed, b_full)
    assert full[199] < 0.01 < full[0]  # it trained
    np.testing.assert_allclose(w_full, TRUE_W, atol=0.05)
    # Saved every 50 steps and at the end; the default Saver keeps the newest 5.
    files = sorted(f for f in os.listdir(interrupted) if f.startswith("model.ckpt"))
    assert files == [f"model.ckpt-{s}.{e}" for s in (0, 100, 150, 200, 50) for e in ("ckpt", "meta")]
    state = v1.train.get_checkpoint_state(interrupted)
    assert state.all_model_checkpoint_paths == [
        os.path.join(interrupted, f"model.ckpt-{s}") for s in (0, 50, 100, 150, 200)
    ]
    saved = dict(v1.train.list_variables(state.model_checkpoint_path))
    assert {"global_step", "linear/w", "linear/b", "linear/w/Adam", "linear/w/Adam_1", "Adam/iteration"} <= set(saved)
    assert v1.train.load_variable(state.model_checkpoint_path, "global_step") == 200
    assert "graph.pbtxt" in os.listdir(interrupted)


def test_summaries_and_step_rate_reach_tensorboard(tmp_path):
    losses, _, _, _ = _train(str(tmp_path), 60)
    acc = EventAccumulator(str(tmp_path), size_guidance={"scalars": 0, "histograms": 0})
    acc.Reload()
    assert acc.Tags()["graph"] and acc.Tags()["histograms"] == ["weights"]
    scalars = {e.step: e.value for e in acc.Scalars("loss")}
    # As TensorFlow: the first run's summary, then every 25 steps; each holds the loss of its run and is
    # written at the global step reached after that run.
    assert sorted(scalars) == [1, 26, 51]
    assert [scalars[s] for s in (1, 26, 51)] == pytest.approx([losses[0], losses[25], losses[50]])
    assert [e.step for e in acc.Scalars("global_step/sec")] == [51]


def test_hooks_and_defaults_of_monitored_training_session(tmp_path):
    with tf.Graph().as_default():
        step, loss, train, _, _ = _build()
        # Defaults: a checkpoint every 600 s (so only at the start and the end), summaries every 100 steps.
        final = v1.train.FinalOpsHook(loss)
        with v1.train.MonitoredTrainingSession(
            checkpoint_dir=str(tmp_path), hooks=[v1.train.StopAtStepHook(num_steps=3), final]
        ) as sess:
            while not sess.should_stop():
                sess.run(train)
        assert final.final_ops_values is not None
    assert sorted(f for f in os.listdir(tmp_path) if f.endswith(".ckpt")) == ["model.ckpt-0.ckpt", "model.ckpt-3.ckpt"]
    with tf.Graph().as_default():  # no checkpoint_dir: nothing is saved, the variables are initialized
        step, loss, train, _, _ = _build()
        with v1.train.MonitoredTrainingSession(hooks=[v1.train.StopAtStepHook(last_step=2)]) as sess:
            while not sess.should_stop():
                sess.run(train)
        assert step.numpy() == 2


class _Listener(v1.train.CheckpointSaverListener):
    def __init__(self):
        self.calls = []

    def begin(self):
        self.calls.append("begin")

    def before_save(self, session, global_step_value):
        self.calls.append(("before", global_step_value))

    def after_save(self, session, global_step_value):
        self.calls.append(("after", global_step_value))
        return global_step_value >= 4  # asks to stop training

    def end(self, session, global_step_value):
        self.calls.append(("end", global_step_value))


def test_checkpoint_saver_hook_listeners_can_stop_training(tmp_path):
    listener = _Listener()
    with tf.Graph().as_default():
        step, _, train, _, _ = _build()
        saver = v1.train.Saver(max_to_keep=2)
        hook = v1.train.CheckpointSaverHook(
            str(tmp_path), save_steps=2, saver=saver, listeners=[listener], checkpoint_basename="m.ckpt"
        )
        with v1.train.SingularMonitoredSession(hooks=[hook]) as sess:
            runs = 0
            while not sess.should_stop():
                sess.run(train)
                runs += 1
    assert runs == 4
    assert listener.calls == [
        "begin",
        ("before", 0),
        ("after", 0),
        ("before", 2),
        ("after", 2),
        ("before", 4),
        ("after", 4),
        ("end", 4),
    ]
    assert saver.last_checkpoints == [str(tmp_path / "m.ckpt-2"), str(tmp_path / "m.ckpt-4")]
    with pytest.raises(ValueError, match="cannot provide both saver and scaffold"):
        v1.train.CheckpointSaverHook(str(tmp_path), save_steps=1, saver=saver, scaffold=v1.train.Scaffold())
    with pytest.raises(ValueError, match="Can not provide both every_secs and every_steps"):
        v1.train.CheckpointSaverHook(str(tmp_path), save_steps=1, save_secs=1)


def test_a_checkpoint_dir_of_another_model_is_refused_with_the_mismatch(tmp_path):
    _train(str(tmp_path), 5)
    with tf.Graph().as_default():
        _build(hidden=4)  # linear/w is [8, 4] here, [8, 1] in the checkpoint
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"lhs shape= \[8, 4\] rhs shape= \[8, 1\]"):
            v1.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path))
    with tf.Graph().as_default():
        v1.train.get_or_create_global_step()
        v1.get_variable("other/kernel", [3])
        with pytest.raises(tf.errors.NotFoundError, match="Key other/kernel not found in checkpoint"):
            v1.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path))
