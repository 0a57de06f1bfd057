"""SessionRunHook protocol and MonitoredSession behaviour as documented by TensorFlow: call order, hook
fetches and feeds, stopping (StopAtStepHook boundaries, NanTensorHook, OutOfRangeError), end() rules,
LoggingTensorHook / StepCounterHook / FinalOpsHook / FeedFnHook, run_step_fn and Scaffold."""

import logging

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1


def _counter_graph():
    """A graph whose 'train op' adds 1 to the global step and to a float accumulator ``x``."""
    step = v1.train.get_or_create_global_step()
    x = tf.Variable(0.0, name="x")
    delta = v1.placeholder(tf.float32, [], name="delta")
    train = tf.group(x.assign_add(delta), step.assign_add(1))
    return step, x, delta, train


class Recorder(v1.train.SessionRunHook):
    def __init__(self, fetches=None, feeds=None):
        self.calls, self.results, self._fetches, self._feeds = [], [], fetches, feeds

    def begin(self):
        self.calls.append("begin")

    def after_create_session(self, session, coord):
        self.calls.append("after_create_session")
        assert isinstance(session, v1.Session) and isinstance(coord, v1.train.Coordinator)

    def before_run(self, run_context):
        self.calls.append("before_run")
        self.original = run_context.original_args
        if self._fetches is None and self._feeds is None:
            return None
        return v1.train.SessionRunArgs(self._fetches, feed_dict=self._feeds)

    def after_run(self, run_context, run_values):
        self.calls.append("after_run")
        assert isinstance(run_values, v1.train.SessionRunValues)
        self.results.append(run_values.results)

    def end(self, session):
        self.calls.append("end")


def test_hook_call_order_fetches_and_feeds():
    with tf.Graph().as_default():
        step, x, delta, train = _counter_graph()
        doubled = x * 2.0
        rec = Recorder(fetches={"x": x, "twice": [doubled]})
        feeder = Recorder(feeds={delta: 2.5})
        with v1.train.MonitoredSession(hooks=[rec, feeder]) as sess:
            assert rec.calls == ["begin", "after_create_session"]
            assert sess.run(train) is None
            out = sess.run([x, step], feed_dict=None)
        assert rec.calls == ["begin", "after_create_session"] + ["before_run", "after_run"] * 2 + ["end"]
        assert rec.original == v1.train.SessionRunArgs([x, step], None)
        assert out == [2.5, 1]
        assert rec.results[1] == {"x": 2.5, "twice": [5.0]} and feeder.results == [None, None]
        assert sess.should_stop()  # closed


def test_conflicting_feeds_are_refused():
    with tf.Graph().as_default():
        _, _, delta, train = _counter_graph()
        with v1.train.MonitoredSession(hooks=[Recorder(feeds={delta: 1.0}), Recorder(feeds={delta: 2.0})]) as s:
            with pytest.raises(RuntimeError, match="Same tensor is fed by two hooks"):
                s.run(train)
        with v1.train.MonitoredSession(hooks=[Recorder(feeds={delta: 1.0})]) as s:
            with pytest.raises(RuntimeError, match="Same tensor is fed by a SessionRunHook and user"):
                s.run(train, feed_dict={delta: 3.0})


@pytest.mark.parametrize("kwargs, runs", [({"num_steps": 5}, 5), ({"last_step": 3}, 3), ({"last_step": 0}, 1)])
def test_stop_at_step_hook_boundaries(kwargs, runs):
    with tf.Graph().as_default():
        step, _, delta, train = _counter_graph()
        count = 0
        with v1.train.MonitoredSession(hooks=[v1.train.StopAtStepHook(**kwargs)]) as sess:
            while not sess.should_stop():
                sess.run(train, {delta: 1.0})
                count += 1
            with pytest.raises(RuntimeError, match="Run called even after should_stop requested"):
                sess.run(train, {delta: 1.0})
        assert count == runs


def test_stop_at_step_hook_needs_a_global_step_and_one_argument():
    with pytest.raises(ValueError, match="One of num_steps or last_step"):
        v1.train.StopAtStepHook()
    with pytest.raises(ValueError, match="Only one of"):
        v1.train.StopAtStepHook(num_steps=1, last_step=2)
    with tf.Graph().as_default():
        tf.Variable(1.0)
        with pytest.raises(RuntimeError, match="Global step should be created to use StopAtStepHook"):
            v1.train.MonitoredSession(hooks=[v1.train.StopAtStepHook(num_steps=1)])


def test_nan_tensor_hook_raises_and_skips_end(tmp_path):
    with tf.Graph().as_default():
        step, x, delta, train = _counter_graph()
        loss = tf.math.log(x)  # NaN once x < 0
        rec = Recorder()
        hooks = [v1.train.NanTensorHook(loss), rec]
        with pytest.raises(v1.train.NanLossDuringTrainingError, match="NaN loss during training"):
            with v1.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path), hooks=hooks) as sess:
                sess.run(train, {delta: 1.0})
                sess.run(train, {delta: -5.0})
                sess.run(train, {delta: 1.0})
        assert "end" not in rec.calls and rec.calls.count("after_run") == 1
        # Saved at the start (step 0) only: the error skipped the final save.
        assert v1.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-0")
    with tf.Graph().as_default():
        step, x, delta, train = _counter_graph()
        with v1.train.MonitoredSession(hooks=[v1.train.NanTensorHook(tf.math.log(x), fail_on_nan_loss=False)]) as s:
            s.run(train, {delta: -1.0})
            assert s.should_stop()


def test_out_of_range_ends_the_loop_quietly_and_runs_end():
    with tf.Graph().as_default():
        step = v1.train.get_or_create_global_step()
        data = v1.data.make_one_shot_iterator(tf.data.Dataset.from_tensor_slices(np.arange(5.0))).get_next()
        total = tf.Variable(0.0, name="total", dtype=tf.float64)
        train = tf.group(total.assign_add(data), step.assign_add(1))
        final = v1.train.FinalOpsHook(total)
        rec = Recorder()
        seen = 0
        with v1.train.MonitoredSession(hooks=[final, rec]) as sess:
            while not sess.should_stop():
                sess.run(train)
                seen += 1
        assert seen == 5 and rec.calls[-1] == "end" and final.final_ops_values == 10.0


def test_other_errors_propagate_without_end():
    rec = Recorder()
    with tf.Graph().as_default():
        tf.Variable(1.0)
        with pytest.raises(KeyError):
            with v1.train.MonitoredSession(hooks=[rec]):
                raise KeyError("boom")
    assert "end" not in rec.calls


def test_logging_tensor_hook(caplog):
    with tf.Graph().as_default():
        step, x, delta, train = _counter_graph()
        with pytest.raises(ValueError, match="exactly one of every_n_iter and every_n_secs"):
            v1.train.LoggingTensorHook([x])
        hook = v1.train.LoggingTensorHook({"x": x, "step": "global_step"}, every_n_iter=2, at_end=True)
        named = v1.train.LoggingTensorHook(["x"], every_n_iter=3, formatter=lambda v: f"X is {v['x']:.1f}")
        with caplog.at_level(logging.INFO, logger="ferroflow"):
            with v1.train.MonitoredSession(hooks=[hook, named]) as sess:
                for _ in range(5):
                    sess.run(train, {delta: 1.0})
    lines = [r.getMessage() for r in caplog.records if "x" in r.getMessage() or "X is" in r.getMessage()]
    logged = [line.split(" (")[0] for line in lines if line.startswith("step")]
    # Tags in sorted order for a dict; every 2nd run, then once more at the end.
    assert logged == ["step = 0, x = 0.0", "step = 2, x = 2.0", "step = 4, x = 4.0", "step = 5, x = 5.0"]
    assert [line for line in lines if line.startswith("X is")] == ["X is 0.0", "X is 3.0"]


def test_step_counter_hook_writes_steps_per_second(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    with tf.Graph().as_default():
        step, x, delta, train = _counter_graph()
        writer = v1.summary.FileWriter(str(tmp_path))
        with v1.train.MonitoredSession(hooks=[v1.train.StepCounterHook(every_n_steps=2, summary_writer=writer)]) as s:
            for _ in range(6):
                s.run(train, {delta: 1.0})
        writer.close()
    acc = EventAccumulator(str(tmp_path))
    acc.Reload()
    events = acc.Scalars("global_step/sec")
    assert [e.step for e in events] == [3, 5] and all(e.value > 0 for e in events)


def test_run_step_fn_singular_session_and_scaffold_init_fn():
    with tf.Graph().as_default():
        step, x, delta, train = _counter_graph()
        inits = []
        scaffold = v1.train.Scaffold(init_fn=lambda scaffold, sess: inits.append(sess.run(x)))
        rec = Recorder()
        with v1.train.SingularMonitoredSession(hooks=[rec], scaffold=scaffold) as sess:
            assert inits == [0.0] and scaffold.saver is not None and scaffold.init_op is not None
            raw = sess.raw_session()
            raw.run(train, {delta: 1.0})  # the raw session runs without the hooks
            assert "before_run" not in rec.calls

            def step_fn(step_context):
                step_context.session.run(train, {delta: 1.0})
                return step_context.run_with_hooks(x)

            assert sess.run_step_fn(step_fn) == 2.0 and rec.calls.count("before_run") == 1

            def stop(step_context):
                step_context.request_stop()

            with pytest.raises(StopIteration):
                sess.run_step_fn(stop)
            with pytest.raises(ValueError, match="step_context"):
                sess.run_step_fn(lambda ctx: None)


def test_scaffold_reads_its_collections():
    with tf.Graph().as_default():
        x = tf.Variable(1.0)
        v1.add_to_collection(v1.GraphKeys.INIT_OP, x.initializer)
        scaffold = v1.train.Scaffold().finalize()
        assert scaffold.init_op is x.initializer
        v1.add_to_collection(v1.GraphKeys.SAVERS, v1.train.Saver())
        v1.add_to_collection(v1.GraphKeys.SAVERS, v1.train.Saver())
        with pytest.raises(RuntimeError, match="More than one item in collection savers"):
            v1.train.Scaffold().finalize()
        with pytest.raises(TypeError, match="copy_from_scaffold"):
            v1.train.Scaffold(copy_from_scaffold=object())


def test_timer_and_run_args():
    with pytest.raises(ValueError, match="Either every_secs or every_steps"):
        v1.train.SecondOrStepTimer()
    timer = v1.train.SecondOrStepTimer(every_steps=3)
    assert timer.should_trigger_for_step(0)
    timer.update_last_triggered_step(0)
    assert [timer.should_trigger_for_step(s) for s in (0, 1, 2, 3, 4)] == [False, False, False, True, True]
    args = v1.train.SessionRunArgs("f")
    assert args == ("f", None, None) and args.fetches == "f"
    ctx = v1.train.SessionRunContext(args, session="s")
    assert not ctx.stop_requested
    ctx.request_stop()
    assert ctx.stop_requested and ctx.session == "s"
