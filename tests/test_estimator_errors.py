"""tf.estimator's checks: EstimatorSpec validation, model_fn / input_fn mistakes, a model_dir holding another
model's checkpoint, RunConfig arguments, and the namespaces."""

import os

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1
est = tf.estimator

X = np.arange(24, dtype=np.float32).reshape(8, 3) / 10.0
Y = np.ones((8, 1), np.float32)


def input_fn():
    return tf.data.Dataset.from_tensor_slices(({"x": X}, Y)).batch(4).repeat()


def linear_model_fn(units):
    def model_fn(features, labels, mode):
        w = v1.get_variable("w", [3, units], initializer=v1.zeros_initializer())
        pred = tf.reduce_sum(tf.matmul(features["x"], w), 1, keepdims=True)
        if mode == est.ModeKeys.PREDICT:
            return est.EstimatorSpec(mode, predictions=pred)
        loss = tf.reduce_mean(tf.square(pred - labels))
        train_op = v1.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=v1.train.get_global_step())
        return est.EstimatorSpec(mode, predictions=pred, loss=loss, train_op=train_op)

    return model_fn


def test_estimator_spec_requires_what_each_mode_needs():
    with tf.Graph().as_default():
        loss = tf.constant(1.0)
        step = v1.train.get_or_create_global_step()
        train_op = step.assign_add(1)
        with pytest.raises(ValueError, match="Missing train_op."):
            est.EstimatorSpec(est.ModeKeys.TRAIN, loss=loss)
        with pytest.raises(ValueError, match="Missing loss."):
            est.EstimatorSpec(est.ModeKeys.EVAL)
        with pytest.raises(ValueError, match="Missing predictions."):
            est.EstimatorSpec(est.ModeKeys.PREDICT)
        with pytest.raises(ValueError, match="Loss must be scalar"):
            est.EstimatorSpec(est.ModeKeys.EVAL, loss=tf.constant([1.0, 2.0]))
        with pytest.raises(TypeError, match="loss must be Tensor, given: 1.5"):
            est.EstimatorSpec(est.ModeKeys.EVAL, loss=1.5)
        with pytest.raises(TypeError, match="Values of eval_metric_ops must be \\(metric_value, update_op\\) tuples"):
            est.EstimatorSpec(est.ModeKeys.EVAL, loss=loss, eval_metric_ops={"m": loss})
        with pytest.raises(TypeError, match="All hooks must be SessionRunHook instances"):
            est.EstimatorSpec(est.ModeKeys.TRAIN, loss=loss, train_op=train_op, training_hooks=[object()])
        with pytest.raises(ValueError, match="mode must be one of"):
            est.EstimatorSpec("fit", loss=loss)
        spec = est.EstimatorSpec(est.ModeKeys.TRAIN, loss=tf.constant([2.0]), train_op=train_op)
        assert spec.loss.shape.rank == 0  # a [1] loss becomes a scalar
        predict = est.EstimatorSpec(est.ModeKeys.PREDICT, predictions={"p": loss})
        assert set(predict.export_outputs) == {"serving_default"}
        with pytest.raises(ValueError, match="mode of EstimatorSpec cannot be changed."):
            predict._replace(mode=est.ModeKeys.EVAL)
    with tf.Graph().as_default():
        other = tf.reduce_sum(v1.placeholder(tf.float32, [2]))
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="loss with .* must be from the default graph"):
            est.EstimatorSpec(est.ModeKeys.EVAL, loss=other)


def test_model_fn_mistakes_are_named(tmp_path):
    with pytest.raises(ValueError, match="must include features argument"):
        est.Estimator(lambda x, labels: None)
    with pytest.raises(ValueError, match="has following not expected args: \\['extra'\\]"):
        est.Estimator(lambda features, labels, extra: None)
    with pytest.raises(ValueError, match="does not include params argument, but params"):
        est.Estimator(lambda features, labels: None, params={"a": 1})

    def returns_dict(features, labels, mode):
        return {"loss": tf.constant(1.0)}

    with pytest.raises(ValueError, match="model_fn should return an EstimatorSpec; it returned dict"):
        est.Estimator(returns_dict, str(tmp_path / "a")).train(input_fn, steps=1)

    def no_labels(features, mode):
        return None

    with pytest.raises(ValueError, match="model_fn does not take labels, but input_fn returns labels."):
        est.Estimator(no_labels, str(tmp_path / "b")).train(input_fn, steps=1)


def test_input_fn_of_the_wrong_structure(tmp_path):
    e = est.Estimator(linear_model_fn(1), str(tmp_path))
    with pytest.raises(ValueError, match="input_fn should return \\(features, labels\\) as a len 2 tuple"):
        e.train(lambda: (tf.constant(X), tf.constant(Y), tf.constant(Y)), steps=1)
    with pytest.raises(ValueError, match="features must be a Tensor, SparseTensor or RaggedTensor .* received str"):
        e.train(lambda: ("x", tf.constant(Y)), steps=1)
    with pytest.raises(ValueError, match="the keys of features must be strings"):
        e.train(lambda: ({1: tf.constant(X)}, tf.constant(Y)), steps=1)
    with pytest.raises(TypeError, match="input_fn must be a callable"):
        e.train("not a function", steps=1)


def test_model_dir_holding_another_models_checkpoint(tmp_path):
    est.Estimator(linear_model_fn(1), str(tmp_path)).train(input_fn, steps=2)
    wider = est.Estimator(linear_model_fn(2), str(tmp_path))
    with pytest.raises(tf.errors.InvalidArgumentError, match="holds a checkpoint that does not match this model"):
        wider.train(input_fn, steps=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="lhs shape= \\[3, 2\\] rhs shape= \\[3, 1\\]"):
        wider.evaluate(input_fn, steps=1)

    def renamed(features, labels, mode):
        with v1.variable_scope("other"):
            return linear_model_fn(1)(features, labels, mode)

    with pytest.raises(tf.errors.NotFoundError, match="Key other/w not found in checkpoint"):
        est.Estimator(renamed, str(tmp_path)).train(input_fn, steps=1)


def test_export_with_a_parsing_receiver_says_what_to_use_instead(tmp_path):
    e = est.Estimator(linear_model_fn(1), str(tmp_path / "m"))
    e.train(input_fn, steps=1)
    spec = {"x": tf.io.FixedLenFeature([3], tf.float32)}
    receiver = est.export.build_parsing_serving_input_receiver_fn(spec)
    with pytest.raises(ValueError, match="export with build_raw_serving_input_receiver_fn"):
        e.export_saved_model(str(tmp_path / "export"), receiver)
    assert not os.path.exists(tmp_path / "export") or not os.listdir(tmp_path / "export")
    with pytest.raises(ValueError, match="An input_receiver_fn must be defined."):
        e.export_saved_model(str(tmp_path / "export"), None)

    def not_a_receiver():
        return {"x": v1.placeholder(tf.float32, [None, 3])}

    with pytest.raises(TypeError, match="must return a tf.estimator.export.ServingInputReceiver"):
        e.export_saved_model(str(tmp_path / "export"), not_a_receiver)


def test_run_config_defaults_and_checks(tmp_path):
    config = est.RunConfig()
    assert (config.save_checkpoints_secs, config.save_checkpoints_steps) == (600, None)
    assert (config.save_summary_steps, config.log_step_count_steps, config.keep_checkpoint_max) == (100, 100, 5)
    assert config.is_chief and config.num_ps_replicas == 0 and config.tf_random_seed is None
    steps = est.RunConfig(save_checkpoints_steps=10)
    assert (steps.save_checkpoints_secs, steps.save_checkpoints_steps) == (None, 10)
    assert steps.replace(tf_random_seed=3).tf_random_seed == 3
    with pytest.raises(ValueError, match="Can not provide both save_checkpoints_steps and save_checkpoints_secs."):
        est.RunConfig(save_checkpoints_steps=10, save_checkpoints_secs=5)
    with pytest.raises(ValueError, match="tf_random_seed must be integer."):
        est.RunConfig(tf_random_seed=1.5)
    with pytest.raises(ValueError, match="log_step_count_steps should be > 0"):
        est.RunConfig(log_step_count_steps=0)
    with pytest.raises(ValueError, match="Replacing session_creation is not supported"):
        config.replace(session_creation=1)
    with pytest.raises(ValueError, match="`model_dir` are set both in constructor and `RunConfig`"):
        est.Estimator(linear_model_fn(1), str(tmp_path / "a"), est.RunConfig(model_dir=str(tmp_path / "b")))
    e = est.Estimator(linear_model_fn(1), config=est.RunConfig(model_dir=str(tmp_path / "c")))
    assert e.model_dir == str(tmp_path / "c") and e.config.model_dir == e.model_dir
    assert e.eval_dir() == str(tmp_path / "c" / "eval") and e.eval_dir("x").endswith("eval_x")
    with pytest.raises(ValueError, match="Could not find trained model in model_dir"):
        e.get_variable_names()


def test_subclasses_may_not_override_estimator_methods():
    class Bad(est.Estimator):
        def train(self, *args, **kwargs):
            return self

    with pytest.raises(ValueError, match="Subclasses of Estimator cannot override members of Estimator"):
        Bad(linear_model_fn(1))


def test_namespaces():
    for name in (
        "Estimator",
        "EstimatorSpec",
        "ModeKeys",
        "RunConfig",
        "TrainSpec",
        "EvalSpec",
        "train_and_evaluate",
        "DNNClassifier",
        "LinearRegressor",
        "BaselineClassifier",
        "SessionRunHook",
        "LatestExporter",
    ):
        assert name in dir(tf.estimator)
        assert name in dir(v1.estimator)
    assert "numpy_input_fn" in dir(v1.estimator.inputs) and "pandas_input_fn" in dir(v1.estimator.inputs)
    assert v1.estimator.DNNClassifier is not tf.estimator.DNNClassifier
    assert issubclass(v1.estimator.DNNClassifier, tf.estimator.Estimator)
    assert est.ModeKeys.PREDICT == "infer" and est.ModeKeys.TRAIN == "train" and est.ModeKeys.EVAL == "eval"
    assert "build_raw_serving_input_receiver_fn" in dir(tf.estimator.export)
