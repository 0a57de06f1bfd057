"""tf.estimator.Estimator with a custom model_fn: train / resume, evaluate, predict, export, summaries."""

import os
import subprocess
import sys
import textwrap
import types

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

import ferroflow as tf

v1 = tf.compat.v1
est = tf.estimator

RNG = np.random.RandomState(0)
X = RNG.randn(320, 3).astype(np.float32)
TRUE_W = np.array([1.0, -2.0, 0.5], np.float32)
Y = (X @ TRUE_W + 0.3 + 0.1 * RNG.randn(320)).astype(np.float32)[:, None]


def train_input_fn():
    # 320 rows in batches of 32: ten batches per epoch, so a run restarted at step 100 sees the same batches.
    return tf.data.Dataset.from_tensor_slices(({"x": X}, Y)).batch(32).repeat()


def eval_input_fn():
    return tf.data.Dataset.from_tensor_slices(({"x": X}, Y)).batch(50)


def model_fn(features, labels, mode, params):
    with v1.variable_scope("lin"):
        w = v1.get_variable("w", [3, 1], initializer=v1.glorot_uniform_initializer())
        b = v1.get_variable("b", [1], initializer=v1.zeros_initializer())
    pred = tf.matmul(features["x"], w) + b
    if mode == est.ModeKeys.PREDICT:
        return est.EstimatorSpec(mode, predictions={"y": pred, "double": 2.0 * pred})
    loss = tf.reduce_mean(tf.square(pred - labels))
    train_op = v1.train.AdamOptimizer(params["lr"]).minimize(loss, global_step=v1.train.get_global_step())
    metrics = {"rmse": v1.metrics.root_mean_squared_error(labels, pred)}
    return est.EstimatorSpec(mode, loss=loss, train_op=train_op, eval_metric_ops=metrics)


def make(model_dir, **config):
    config = est.RunConfig(tf_random_seed=7, save_checkpoints_steps=50, **config)
    return est.Estimator(model_fn, model_dir=str(model_dir), config=config, params={"lr": 0.05})


def all_values(estimator):
    return {name: estimator.get_variable_value(name) for name in estimator.get_variable_names()}


def assert_same_values(a, b):
    assert sorted(a) == sorted(b)
    for name in a:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)


def test_resumed_training_equals_an_uninterrupted_run(tmp_path):
    make(tmp_path / "split").train(train_input_fn, steps=100)
    second = make(tmp_path / "split")  # a new Estimator object on the same model_dir
    assert int(second.get_variable_value("global_step")) == 100
    second.train(train_input_fn, steps=100)
    whole = make(tmp_path / "whole").train(train_input_fn, steps=200)
    assert int(whole.get_variable_value("global_step")) == 200
    assert_same_values(all_values(second), all_values(whole))
    assert {"lin/w/Adam", "lin/w/Adam_1", "Adam/iteration"} <= set(second.get_variable_names())


def test_resume_after_the_first_process_ended(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {os.path.dirname(__file__)!r})
        import test_estimator as t
        t.make({str(tmp_path / "split")!r}).train(t.train_input_fn, steps=100)
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=300)
    resumed = make(tmp_path / "split").train(train_input_fn, max_steps=200)
    whole = make(tmp_path / "whole").train(train_input_fn, max_steps=200)
    assert_same_values(all_values(resumed), all_values(whole))


def test_steps_max_steps_and_checkpoints(tmp_path):
    e = make(tmp_path, keep_checkpoint_max=2)
    e.train(train_input_fn, max_steps=120)
    assert int(e.get_variable_value("global_step")) == 120
    e.train(train_input_fn, max_steps=100)  # already past: nothing runs
    assert int(e.get_variable_value("global_step")) == 120
    e.train(train_input_fn, steps=30)
    assert e.latest_checkpoint().endswith("model.ckpt-150")
    kept = v1.train.get_checkpoint_state(str(tmp_path)).all_model_checkpoint_paths
    assert [os.path.basename(p) for p in kept] == ["model.ckpt-120", "model.ckpt-150"]
    with pytest.raises(ValueError, match="Can not provide both steps and max_steps."):
        e.train(train_input_fn, steps=1, max_steps=2)
    with pytest.raises(ValueError, match="Must specify steps > 0, given: 0"):
        e.train(train_input_fn, steps=0)
    with pytest.raises(TypeError, match="Hooks must be a SessionRunHook"):
        e.train(train_input_fn, steps=1, hooks=["nope"])


def test_evaluate_returns_the_metrics_numpy_computes(tmp_path):
    e = make(tmp_path).train(train_input_fn, steps=60)
    w, b = e.get_variable_value("lin/w"), e.get_variable_value("lin/b")
    err = X @ w + b - Y
    batch_mse = [np.mean(err[i : i + 50] ** 2) for i in range(0, 320, 50)]
    result = e.evaluate(eval_input_fn)
    assert set(result) == {"loss", "rmse", "global_step"}
    assert result["global_step"] == 60 and isinstance(result["global_step"], np.int64)
    np.testing.assert_allclose(result["loss"], np.mean(batch_mse), rtol=1e-5)
    np.testing.assert_allclose(result["rmse"], np.sqrt(np.mean(err**2)), rtol=1e-5)
    two = e.evaluate(eval_input_fn, steps=2, name="first_two")
    np.testing.assert_allclose(two["loss"], np.mean(batch_mse[:2]), rtol=1e-5)
    assert os.path.isdir(os.path.join(str(tmp_path), "eval_first_two"))
    with pytest.raises(ValueError, match="Must specify steps > 0, given: -1"):
        e.evaluate(eval_input_fn, steps=-1)


def test_predict_is_a_generator_of_examples_or_batches(tmp_path):
    e = make(tmp_path).train(train_input_fn, steps=20)
    w, b = e.get_variable_value("lin/w"), e.get_variable_value("lin/b")

    def input_fn():
        return tf.data.Dataset.from_tensor_slices({"x": X[:7]}).batch(3)

    gen = e.predict(input_fn)
    assert isinstance(gen, types.GeneratorType)
    rows = list(gen)
    assert len(rows) == 7 and set(rows[0]) == {"y", "double"}
    np.testing.assert_allclose(np.stack([r["y"] for r in rows]), X[:7] @ w + b, rtol=1e-5)
    batches = list(e.predict(input_fn, yield_single_examples=False))
    assert [len(bt["y"]) for bt in batches] == [3, 3, 1]
    only = next(e.predict(input_fn, predict_keys=["double"]))
    assert set(only) == {"double"}
    with pytest.raises(ValueError, match="Expected to run at least one output"):
        next(e.predict(input_fn, predict_keys=["missing"]))


def test_export_saved_model_serves_the_predictions(tmp_path):
    e = make(tmp_path / "model").train(train_input_fn, steps=20)
    receiver = est.export.build_raw_serving_input_receiver_fn({"x": tf.TensorSpec([None, 3], tf.float32)})
    path = e.export_saved_model(str(tmp_path / "export"), receiver)
    assert isinstance(path, bytes) and os.path.basename(path).isdigit()
    assert os.path.exists(os.path.join(os.fsdecode(path), "graph.json"))  # what the Rust loader serves
    loaded = tf.saved_model.load(path)
    out = loaded.signatures["serving_default"](x=tf.constant(X[:5]))
    expected = X[:5] @ e.get_variable_value("lin/w") + e.get_variable_value("lin/b")
    np.testing.assert_allclose(out["y"].numpy(), expected, rtol=1e-5)
    np.testing.assert_allclose(out["double"].numpy(), 2 * expected, rtol=1e-5)
    with pytest.raises(ValueError, match="Couldn't find trained model"):
        make(tmp_path / "empty").export_saved_model(str(tmp_path / "export"), receiver)


def test_summaries_are_readable_by_tensorboard(tmp_path):
    e = make(tmp_path, save_summary_steps=10, log_step_count_steps=10).train(train_input_fn, steps=40)
    e.evaluate(eval_input_fn)
    train = EventAccumulator(str(tmp_path), size_guidance={"scalars": 0})
    train.Reload()
    tags = set(train.Tags()["scalars"])
    assert {"loss", "global_step/sec"} <= tags
    assert [ev.step for ev in train.Scalars("loss")][:3] == [1, 11, 21]
    evaluated = EventAccumulator(os.path.join(str(tmp_path), "eval"))
    evaluated.Reload()
    assert {"loss", "rmse"} <= set(evaluated.Tags()["scalars"])
    assert evaluated.Scalars("rmse")[0].step == 40


def test_keras_layers_in_a_model_fn_resume_exactly(tmp_path):
    def keras_model_fn(features, labels, mode):
        hidden = tf.keras.layers.Dense(8, activation="relu")(features["x"])
        pred = tf.keras.layers.Dense(1)(hidden)
        if mode == est.ModeKeys.PREDICT:
            return est.EstimatorSpec(mode, predictions=pred)
        loss = tf.reduce_mean(tf.square(pred - labels))
        train_op = v1.train.GradientDescentOptimizer(0.05).minimize(loss, global_step=v1.train.get_global_step())
        return est.EstimatorSpec(mode, loss=loss, train_op=train_op)

    config = est.RunConfig(tf_random_seed=3)
    est.Estimator(keras_model_fn, str(tmp_path / "split"), config).train(train_input_fn, steps=30)
    split = est.Estimator(keras_model_fn, str(tmp_path / "split"), config).train(train_input_fn, steps=30)
    whole = est.Estimator(keras_model_fn, str(tmp_path / "whole"), config).train(train_input_fn, steps=60)
    assert {"dense/kernel", "dense_1/bias"} <= set(split.get_variable_names())
    assert_same_values(all_values(split), all_values(whole))


def test_warm_start_from_another_model_dir(tmp_path):
    source = make(tmp_path / "source").train(train_input_fn, steps=30)
    config = est.RunConfig(tf_random_seed=11)
    warm = est.Estimator(
        model_fn, str(tmp_path / "warm"), config, params={"lr": 0.0}, warm_start_from=str(tmp_path / "source")
    )
    warm.train(train_input_fn, steps=1)
    np.testing.assert_allclose(warm.get_variable_value("lin/w"), source.get_variable_value("lin/w"), rtol=1e-6)
    assert int(warm.get_variable_value("global_step")) == 1


def test_train_and_evaluate_with_an_exporter(tmp_path):
    e = make(tmp_path)
    receiver = est.export.build_raw_serving_input_receiver_fn({"x": tf.TensorSpec([None, 3], tf.float32)})
    train_spec = est.TrainSpec(train_input_fn, max_steps=100)
    eval_spec = est.EvalSpec(
        eval_input_fn, steps=None, exporters=est.LatestExporter("latest", receiver), throttle_secs=0
    )
    metrics, exports = est.train_and_evaluate(e, train_spec, eval_spec)
    assert metrics["global_step"] == 100 and {"loss", "rmse"} <= set(metrics)
    assert exports and all(os.path.isdir(p) for p in exports)
    assert os.path.dirname(os.fsdecode(exports[-1])) == os.path.join(str(tmp_path), "export", "latest")
    with pytest.raises(TypeError, match="`train_spec` must have type `tf.estimator.TrainSpec`"):
        est.train_and_evaluate(e, eval_spec, eval_spec)
    with pytest.raises(ValueError, match="Must specify max_steps > 0, given: 0"):
        est.TrainSpec(train_input_fn, max_steps=0)
