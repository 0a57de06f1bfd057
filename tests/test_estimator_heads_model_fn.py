"""``head.create_estimator_spec`` in a custom ``model_fn``: train, evaluate, predict and export through an
Estimator; the public heads' metrics equal the premade TF1 heads' on the same model."""

import os

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.estimator.canned import _heads

v1 = tf.compat.v1
est = tf.estimator

RNG = np.random.RandomState(11)
X = RNG.randn(200, 4).astype(np.float32)
Y = (X @ np.array([1.5, -2.0, 0.5, 1.0]) + 0.3 * RNG.randn(200) > 0).astype(np.int64)
W = (RNG.rand(200) + 0.5).astype(np.float32)


def _input(epochs=1, shuffle=False, batch_size=32):
    return v1.estimator.inputs.numpy_input_fn(
        {"x": X, "w": W}, Y, batch_size=batch_size, num_epochs=epochs, shuffle=shuffle
    )


def _model_fn(head_factory, regularize=False):
    def model_fn(features, labels, mode, params):
        head = head_factory()
        layer = tf.keras.layers.Dense(head.logits_dimension, kernel_initializer="zeros", name="linear")
        logits = layer(features["x"])
        extra = {"regularization_losses": [0.01 * tf.reduce_sum(tf.square(layer.kernel))]} if regularize else {}
        return head.create_estimator_spec(
            features=features,
            mode=mode,
            logits=logits,
            labels=labels,
            optimizer=tf.keras.optimizers.SGD(0.5),
            trainable_variables=layer.trainable_weights,
            **extra,
        )

    return model_fn


def test_a_custom_model_fn_trains_evaluates_predicts_and_exports(tmp_path):
    model = est.Estimator(_model_fn(lambda: est.BinaryClassHead(weight_column="w"), regularize=True), str(tmp_path))
    model.train(_input(epochs=None, shuffle=True), steps=60)
    assert model.get_variable_value("global_step") == 60  # the Keras optimizer's steps are the global step
    metrics = model.evaluate(_input())
    assert metrics["global_step"] == 60
    assert metrics["accuracy"] > 0.85 and metrics["auc"] > 0.9
    assert {
        "average_loss",
        "precision",
        "recall",
        "label/mean",
        "prediction/mean",
        "accuracy_baseline",
        "auc_precision_recall",
        "regularization_loss",
        "loss",
    } <= set(metrics)
    assert metrics["regularization_loss"] > 0
    assert metrics["accuracy_baseline"] == pytest.approx(max(np.average(Y, weights=W), 1 - np.average(Y, weights=W)))
    predictions = list(model.predict(v1.estimator.inputs.numpy_input_fn({"x": X[:5], "w": W[:5]}, shuffle=False)))
    kernel = model.get_variable_value("linear/kernel")
    bias = model.get_variable_value("linear/bias")
    logits = X[:5] @ kernel + bias
    np.testing.assert_allclose([p["logits"] for p in predictions], logits, rtol=1e-5, atol=1e-6)
    assert [int(p["class_ids"][0]) for p in predictions] == [int(v > 0) for v in logits[:, 0]]
    receiver = est.export.build_raw_serving_input_receiver_fn({"x": tf.TensorSpec([None, 4], tf.float32)})
    path = model.export_saved_model(str(tmp_path / "export"), receiver)
    loaded = tf.saved_model.load(path)
    assert "predict" in loaded.signatures and "classification" in loaded.signatures
    out = loaded.signatures["predict"](x=tf.constant(X[:5]))
    np.testing.assert_allclose(out["logistic"].numpy(), 1 / (1 + np.exp(-logits)), rtol=1e-5)
    assert os.path.isfile(os.path.join(os.fsdecode(path), "graph.json"))


@pytest.mark.parametrize(
    "public, premade",
    [
        (lambda: est.BinaryClassHead(weight_column="w"), lambda: _heads.BinaryHead("w", keras_auc=True)),
        (lambda: est.RegressionHead(weight_column="w"), lambda: _heads.RegressionHead(1, "w")),
    ],
)
def test_public_heads_give_the_numbers_of_the_tf1_metric_heads(tmp_path, public, premade):
    a = est.Estimator(_model_fn(public), str(tmp_path / "a"))
    b = est.Estimator(_model_fn(premade), str(tmp_path / "b"))
    a.train(_input(epochs=2), steps=10)
    b.train(_input(epochs=2), steps=10)
    ra, rb = a.evaluate(_input(batch_size=7)), b.evaluate(_input(batch_size=7))
    assert set(ra) == set(rb)
    for key in ra:
        assert ra[key] == pytest.approx(rb[key], rel=1e-5, abs=1e-6), key


def test_multi_head_model_fn_trains_and_evaluates(tmp_path):
    def model_fn(features, labels, mode):
        head = est.MultiHead([est.BinaryClassHead(name="sign"), est.RegressionHead(name="value")])
        layer = tf.keras.layers.Dense(2, name="linear")
        logits = layer(features["x"])
        return head.create_estimator_spec(
            features,
            mode,
            logits,
            labels,
            optimizer=tf.keras.optimizers.SGD(0.1),
            trainable_variables=layer.trainable_weights,
        )

    def input_fn():
        return tf.data.Dataset.from_tensor_slices(({"x": X}, {"sign": Y, "value": X[:, 0]})).batch(50)

    model = est.Estimator(model_fn, str(tmp_path))
    model.train(input_fn, steps=4)
    metrics = model.evaluate(input_fn)
    assert {"loss/sign", "loss/value", "accuracy/sign", "average_loss/value", "loss"} <= set(metrics)
    first = next(model.predict(lambda: tf.data.Dataset.from_tensor_slices({"x": X[:2]}).batch(2)))
    assert ("sign", "logistic") in first and ("value", "predictions") in first


def test_create_estimator_spec_argument_errors():
    head = est.BinaryClassHead()
    with tf.Graph().as_default():
        logits = v1.placeholder(tf.float32, [None, 1])
        labels = v1.placeholder(tf.int64, [None, 1])
        v1.train.get_or_create_global_step()
        w = tf.Variable(1.0)
        train = est.ModeKeys.TRAIN
        with pytest.raises(ValueError, match="not a tf.keras.optimizers.Optimizer"):
            head.create_estimator_spec(
                {}, train, logits * w, labels, optimizer=v1.train.GradientDescentOptimizer(0.1), trainable_variables=[w]
            )
        with pytest.raises(ValueError, match="trainable_variables cannot be None"):
            head.create_estimator_spec({}, train, logits * w, labels, optimizer=tf.keras.optimizers.SGD(0.1))
        with pytest.raises(ValueError, match="cannot both be set"):
            head.create_estimator_spec(
                {},
                train,
                logits * w,
                labels,
                optimizer=tf.keras.optimizers.SGD(0.1),
                trainable_variables=[w],
                train_op_fn=lambda loss: tf.no_op(),
            )
        with pytest.raises(ValueError, match="cannot both be None"):
            head.create_estimator_spec({}, train, logits * w, labels)
        with pytest.raises(ValueError, match="logits shape must be"):
            head.create_estimator_spec({}, est.ModeKeys.PREDICT, v1.placeholder(tf.float32, [None, 3]))
        spec = head.create_estimator_spec({}, train, logits * w, labels, train_op_fn=lambda loss: tf.no_op())
        assert spec.loss.shape.rank == 0 and spec.train_op is not None
