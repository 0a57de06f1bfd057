"""The premade estimators: training on synthetic data, TensorFlow's eval metrics against NumPy, predictions,
defaults (optimizers, learning rates, loss reduction) of tf.estimator and tf.compat.v1.estimator, export."""

import os

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1
est = tf.estimator
fc = tf.feature_column

RNG = np.random.RandomState(0)
N = 600
XY = RNG.randn(N, 2).astype(np.float32)
INSIDE = ((XY**2).sum(1) < 1.2).astype(np.int64)  # a circle: not linearly separable


def circle_train():
    return tf.data.Dataset.from_tensor_slices(({"xy": XY}, INSIDE)).shuffle(N, seed=1).repeat().batch(32)


def circle_eval():
    return tf.data.Dataset.from_tensor_slices(({"xy": XY}, INSIDE)).batch(100)


def circle_predict():
    return tf.data.Dataset.from_tensor_slices({"xy": XY}).batch(100)


def keras_auc(labels, scores, n=200):
    thresholds = np.array([-1e-7] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1 + 1e-7], np.float32)
    above = scores[:, None] > thresholds[None, :]
    pos = labels[:, None] == 1
    tp, fp = (above & pos).sum(0), (above & ~pos).sum(0)
    fn, tn = (~above & pos).sum(0), (~above & ~pos).sum(0)
    rec, fpr = tp / np.maximum(tp + fn, 1), fp / np.maximum(fp + tn, 1)
    return np.sum((fpr[:-1] - fpr[1:]) * (rec[:-1] + rec[1:]) / 2)


def test_dnn_classifier_learns_a_circle_and_reports_tensorflows_metrics(tmp_path):
    columns = [fc.numeric_column("xy", shape=(2,))]
    clf = est.DNNClassifier(
        [16, 16],
        columns,
        model_dir=str(tmp_path),
        optimizer=tf.keras.optimizers.Adagrad(learning_rate=0.1),
        config=est.RunConfig(tf_random_seed=0),
    )
    clf.train(circle_train, steps=600)
    result = clf.evaluate(circle_eval)
    assert set(result) == {
        "accuracy",
        "accuracy_baseline",
        "auc",
        "auc_precision_recall",
        "average_loss",
        "label/mean",
        "loss",
        "precision",
        "recall",
        "prediction/mean",
        "global_step",
    }
    assert result["accuracy"] > 0.95 and result["global_step"] == 600
    preds = list(clf.predict(circle_predict))
    assert set(preds[0]) == {
        "logits",
        "logistic",
        "probabilities",
        "class_ids",
        "classes",
        "all_class_ids",
        "all_classes",
    }
    p = np.array([r["logistic"][0] for r in preds], np.float64)
    ids = np.array([r["class_ids"][0] for r in preds])
    np.testing.assert_allclose([r["probabilities"][1] for r in preds], p, rtol=1e-5)
    assert preds[0]["classes"][0] in (b"0", b"1") and list(preds[0]["all_class_ids"]) == [0, 1]
    losses = -(INSIDE * np.log(p) + (1 - INSIDE) * np.log(1 - p))
    tp, fp, fn = (
        np.sum((ids == 1) & (INSIDE == 1)),
        np.sum((ids == 1) & (INSIDE == 0)),
        np.sum((ids == 0) & (INSIDE == 1)),
    )
    expected = {
        "accuracy": np.mean(ids == INSIDE),
        "precision": tp / (tp + fp),
        "recall": tp / (tp + fn),
        "label/mean": INSIDE.mean(),
        "accuracy_baseline": max(INSIDE.mean(), 1 - INSIDE.mean()),
        "prediction/mean": p.mean(),
        "average_loss": losses.mean(),
        "loss": np.mean([losses[i : i + 100].mean() for i in range(0, N, 100)]),
        "auc": keras_auc(INSIDE, p.astype(np.float32)),
    }
    for key, value in expected.items():
        np.testing.assert_allclose(result[key], value, rtol=2e-4, atol=1e-5, err_msg=key)
    assert 0.9 < result["auc_precision_recall"] <= 1.0


def test_multi_class_dnn_with_a_label_vocabulary(tmp_path):
    names = np.array([b"low", b"mid", b"high"], dtype=object)
    x = RNG.uniform(-3, 3, (300, 1)).astype(np.float32)
    label = names[np.digitize(x[:, 0], [-1.0, 1.0])]

    def train():
        return tf.data.Dataset.from_tensor_slices(({"x": x}, label)).repeat().batch(30)

    clf = est.DNNClassifier(
        [8],
        [fc.numeric_column("x")],
        model_dir=str(tmp_path),
        n_classes=3,
        label_vocabulary=["low", "mid", "high"],
        optimizer=lambda: tf.keras.optimizers.Adam(0.05),
        config=est.RunConfig(tf_random_seed=1),
    )
    clf.train(train, steps=300)
    result = clf.evaluate(lambda: tf.data.Dataset.from_tensor_slices(({"x": x}, label)).batch(100))
    assert set(result) == {"accuracy", "average_loss", "loss", "global_step"}
    assert result["accuracy"] > 0.9
    np.testing.assert_allclose(result["loss"], result["average_loss"], rtol=1e-5)  # equal batches, mean reduction
    preds = list(clf.predict(lambda: tf.data.Dataset.from_tensor_slices({"x": x[:20]}).batch(20)))
    assert [list(r["all_classes"]) for r in preds[:1]] == [[b"low", b"mid", b"high"]]
    assert all(r["classes"][0] == names[r["class_ids"][0]] for r in preds)
    np.testing.assert_allclose([r["probabilities"].sum() for r in preds], 1.0, rtol=1e-5)
    with pytest.raises(ValueError, match="label_vocabulary has 2 entries but n_classes is 3"):
        est.DNNClassifier([4], [fc.numeric_column("x")], n_classes=3, label_vocabulary=["a", "b"])


def test_linear_regressor_recovers_known_weights(tmp_path):
    x1, x2 = RNG.uniform(-1, 1, 400).astype(np.float32), RNG.uniform(-1, 1, 400).astype(np.float32)
    y = (2 * x1 - 3 * x2 + 1).astype(np.float32)

    def data():
        return tf.data.Dataset.from_tensor_slices(({"x1": x1, "x2": x2}, y))

    reg = est.LinearRegressor([fc.numeric_column("x1"), fc.numeric_column("x2")], model_dir=str(tmp_path))
    reg.train(lambda: data().batch(40).repeat(), steps=300)
    np.testing.assert_allclose(reg.get_variable_value("linear/linear_model/x1/weights"), [[2.0]], atol=0.05)
    np.testing.assert_allclose(reg.get_variable_value("linear/linear_model/x2/weights"), [[-3.0]], atol=0.05)
    np.testing.assert_allclose(reg.get_variable_value("linear/linear_model/bias_weights"), [1.0], atol=0.05)
    result = reg.evaluate(lambda: data().batch(100))
    assert set(result) == {"average_loss", "label/mean", "loss", "prediction/mean", "global_step"}
    pred = np.array([r["predictions"][0] for r in reg.predict(lambda: data().map(lambda f, _: f).batch(100))])
    np.testing.assert_allclose(result["prediction/mean"], pred.mean(), rtol=1e-4)
    np.testing.assert_allclose(result["label/mean"], y.mean(), rtol=1e-5)
    np.testing.assert_allclose(result["average_loss"], np.mean((pred - y) ** 2), rtol=1e-3, atol=1e-7)


def test_linear_classifier_with_a_categorical_column_and_example_weights(tmp_path):
    colors = np.array([b"red", b"green", b"blue"], dtype=object)[RNG.randint(0, 3, 300)]
    label = (colors == b"red").astype(np.int64)
    weight = np.where(label == 1, 2.0, 1.0).astype(np.float32)
    color = fc.categorical_column_with_vocabulary_list("color", ["red", "green", "blue"])

    def data():
        return tf.data.Dataset.from_tensor_slices(({"color": colors, "w": weight}, label))

    clf = est.LinearClassifier([color], model_dir=str(tmp_path), weight_column="w")
    clf.train(lambda: data().repeat().batch(50), steps=100)
    assert clf.get_variable_value("linear/linear_model/color/weights").shape == (3, 1)
    result = clf.evaluate(lambda: data().batch(100))
    assert result["accuracy"] == 1.0
    np.testing.assert_allclose(result["label/mean"], np.sum(label * weight) / weight.sum(), rtol=1e-5)


def test_dnn_regressor_weighted_average_loss(tmp_path):
    x = RNG.uniform(-1, 1, (200, 1)).astype(np.float32)
    y = np.sin(3 * x).astype(np.float32)
    w = RNG.uniform(0.5, 2.0, (200, 1)).astype(np.float32)

    def data():
        return tf.data.Dataset.from_tensor_slices(({"x": x, "w": w}, y))

    reg = est.DNNRegressor(
        [16],
        [fc.numeric_column("x")],
        model_dir=str(tmp_path),
        weight_column="w",
        optimizer="Adam",
        config=est.RunConfig(tf_random_seed=2),
    )
    reg.train(lambda: data().repeat().batch(20), steps=200)
    result = reg.evaluate(lambda: data().batch(50))
    pred = np.array([r["predictions"] for r in reg.predict(lambda: data().map(lambda f, _: f).batch(50))])
    np.testing.assert_allclose(result["average_loss"], np.sum(w * (pred - y) ** 2) / w.sum(), rtol=1e-3)
    np.testing.assert_allclose(result["prediction/mean"], np.sum(w * pred) / w.sum(), rtol=1e-3)


def test_baselines_learn_the_label_distribution(tmp_path):
    labels = np.array([1, 0, 0, 0] * 50, np.int64)
    feats = {"anything": np.zeros((200, 1), np.float32)}

    def data():
        return tf.data.Dataset.from_tensor_slices((feats, labels))

    clf = est.BaselineClassifier(model_dir=str(tmp_path / "clf"))
    clf.train(lambda: data().repeat().batch(40), steps=200)
    first = next(clf.predict(lambda: data().map(lambda f, _: f).batch(10)))
    np.testing.assert_allclose(first["probabilities"], [0.75, 0.25], atol=0.02)
    reg = est.BaselineRegressor(model_dir=str(tmp_path / "reg"))
    reg.train(lambda: tf.data.Dataset.from_tensor_slices((feats, labels * 4.0 + 1)).repeat().batch(40), steps=300)
    np.testing.assert_allclose(reg.get_variable_value("baseline/bias"), [2.0], atol=0.05)


def test_wide_and_deep_counts_one_global_step_per_step(tmp_path):
    columns = [fc.numeric_column("xy", shape=(2,))]
    clf = est.DNNLinearCombinedClassifier(
        model_dir=str(tmp_path),
        linear_feature_columns=columns,
        dnn_feature_columns=columns,
        dnn_hidden_units=[8],
        config=est.RunConfig(tf_random_seed=0),
    )
    clf.train(circle_train, steps=50)
    names = set(clf.get_variable_names())
    assert int(clf.get_variable_value("global_step")) == 50
    assert {"dnn/hiddenlayer_0/kernel", "dnn/logits/kernel", "linear/linear_model/xy/weights"} <= names
    # TensorFlow's default learning rates: Adagrad 0.001 for the DNN, FTRL min(0.005, 1/sqrt(1)) for the linear part.
    np.testing.assert_allclose(clf.get_variable_value("Adagrad/learning_rate"), 0.001, rtol=1e-6)
    np.testing.assert_allclose(clf.get_variable_value("Ftrl/learning_rate"), 0.005, rtol=1e-6)
    with pytest.raises(ValueError, match="Either linear_feature_columns or dnn_feature_columns must be defined."):
        est.DNNLinearCombinedClassifier()


@pytest.mark.parametrize(
    "make,slot,learning_rate,summed",
    [
        (lambda d, c: est.DNNClassifier([4], c, model_dir=d), "Adagrad", 0.001, False),
        (lambda d, c: v1.estimator.DNNClassifier([4], c, model_dir=d), "Adagrad", 0.05, True),
        (lambda d, c: est.LinearClassifier(c, model_dir=d), "Ftrl", 0.2, False),
        (lambda d, c: v1.estimator.LinearClassifier(c, model_dir=d), "Ftrl", 0.2, True),
    ],
)
def test_tensorflow_defaults_of_v2_and_v1_estimators(tmp_path, make, slot, learning_rate, summed):
    clf = make(str(tmp_path), [fc.numeric_column("xy", shape=(2,))])
    clf.train(circle_train, steps=3)
    np.testing.assert_allclose(clf.get_variable_value(f"{slot}/learning_rate"), learning_rate, rtol=1e-6)
    result = clf.evaluate(circle_eval)
    # tf.estimator averages the loss over the batch; tf.compat.v1.estimator sums it (batches of 100 here).
    np.testing.assert_allclose(result["loss"], result["average_loss"] * (100 if summed else 1), rtol=1e-5)


def test_exported_classifier_serves_probabilities(tmp_path):
    columns = [fc.numeric_column("xy", shape=(2,))]
    clf = est.DNNClassifier([8], columns, model_dir=str(tmp_path / "m"), config=est.RunConfig(tf_random_seed=0))
    clf.train(circle_train, steps=20)
    spec = fc.make_parse_example_spec(columns)
    receiver = est.export.build_raw_serving_input_receiver_fn({"xy": tf.TensorSpec([None, 2], tf.float32)})
    path = clf.export_saved_model(str(tmp_path / "export"), receiver)
    loaded = tf.saved_model.load(path)
    assert {"serving_default", "classification", "regression", "predict"} <= set(loaded.signatures)
    served = loaded.signatures["serving_default"](xy=tf.constant(XY[:10]))
    assert set(served) == {"scores"}  # the string "classes" output cannot be saved in the format
    expected = np.array([r["probabilities"] for r in clf.predict(lambda: circle_predict().take(1))])[:10]
    np.testing.assert_allclose(served["scores"].numpy(), expected, rtol=1e-5)
    regression = loaded.signatures["regression"](xy=tf.constant(XY[:10]))
    np.testing.assert_allclose(regression["outputs"].numpy()[:, 0], expected[:, 1], rtol=1e-5)
    assert "xy" in spec
    assert os.path.isdir(os.fsdecode(path))


def test_binary_label_vocabulary_and_dropout_only_while_training(tmp_path):
    names = np.array([b"out", b"in"], dtype=object)[INSIDE]

    def data():
        return tf.data.Dataset.from_tensor_slices(({"xy": XY}, names))

    clf = est.DNNClassifier(
        [16],
        [fc.numeric_column("xy", shape=(2,))],
        model_dir=str(tmp_path),
        label_vocabulary=["out", "in"],
        dropout=0.1,
        optimizer=lambda: tf.keras.optimizers.Adam(0.02),
        config=est.RunConfig(tf_random_seed=4),
    )
    clf.train(lambda: data().repeat().batch(50), steps=400)
    result = clf.evaluate(lambda: data().batch(100))
    assert result["accuracy"] > 0.9
    np.testing.assert_allclose(result["label/mean"], INSIDE.mean(), rtol=1e-5)  # "in" is class 1
    first = [r["logits"] for r in clf.predict(lambda: data().map(lambda f, _: f).batch(100).take(1))]
    again = [r["logits"] for r in clf.predict(lambda: data().map(lambda f, _: f).batch(100).take(1))]
    np.testing.assert_array_equal(first, again)  # no dropout when predicting
    one = next(clf.predict(lambda: data().map(lambda f, _: f).batch(1)))
    assert one["classes"][0] == names[0] and list(one["all_classes"]) == [b"out", b"in"]
