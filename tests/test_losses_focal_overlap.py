"""Focal crossentropies, generalized cross entropy, Dice and Tversky against NumPy versions of Keras 3's
formulas (and a few numbers Keras 3.15 computed on the same inputs); reductions, configs, lookups, gradients,
tf.function and training."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

EPS = 1e-7
L = tf.keras.losses

rng = np.random.default_rng(7)
T = (rng.random((4, 5)) > 0.5).astype("float32")
P = rng.random((4, 5)).astype("float32") * 0.98 + 0.01
Z = rng.normal(size=(4, 5)).astype("float32") * 2
ONE_HOT = np.eye(5, dtype="float32")[[0, 3, 1, 4]]


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def np_bfce(t, p, balance=False, alpha=0.25, gamma=2.0, from_logits=False, smoothing=0.0):
    t = t * (1 - smoothing) + 0.5 * smoothing
    if from_logits:
        bce = np.maximum(p, 0) - p * t + np.log1p(np.exp(-np.abs(p)))
        p = sigmoid(p)
    else:
        pc = np.clip(p, EPS, 1 - EPS)
        bce = -(t * np.log(pc) + (1 - t) * np.log(1 - pc))
    p_t = t * p + (1 - t) * (1 - p)
    out = (1 - p_t) ** gamma * bce
    if balance:
        out = (t * alpha + (1 - t) * (1 - alpha)) * out
    return out.mean(-1)


def np_cfce(t, p, alpha=0.25, gamma=2.0, from_logits=False, smoothing=0.0):
    if smoothing:
        t = t * (1 - smoothing) + smoothing / t.shape[-1]
    if from_logits:
        p = softmax(p)
    p = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return np.sum(np.asarray(alpha) * (1 - p) ** gamma * -t * np.log(p), -1)


def np_gce(labels, p, q):
    return (1 - p[np.arange(len(labels)), labels] ** q) / q


def np_dice(t, p, axis=None):
    return 1 - 2 * np.sum(t * p, axis) / (np.sum(t, axis) + np.sum(p, axis) + EPS)


def np_tversky(t, p, alpha=0.5, beta=0.5, axis=None):
    tp = np.sum(t * p, axis)
    fp = np.sum((1 - p) * t, axis)
    fn = np.sum(p * (1 - t), axis)
    return 1 - tp / (tp + alpha * fp + beta * fn + EPS)


def close(got, want, tol=1e-5):
    np.testing.assert_allclose(np.asarray(got, dtype=np.float64), want, rtol=tol, atol=tol)


def test_binary_focal_crossentropy_formula_and_options():
    close(L.binary_focal_crossentropy(T, P), np_bfce(T, P))
    close(L.binary_focal_crossentropy(T, P, gamma=0.0), np_bfce(T, P, gamma=0.0))  # plain BCE
    close(L.BinaryFocalCrossentropy()(T, P), np_bfce(T, P).mean())
    close(L.BinaryFocalCrossentropy()(T, P), 0.49322814)  # Keras 3.15
    loss = L.BinaryFocalCrossentropy(
        apply_class_balancing=True, alpha=0.3, gamma=3.0, from_logits=True, label_smoothing=0.1, reduction=None
    )
    want = np_bfce(T, Z, True, 0.3, 3.0, True, 0.1)
    close(loss(T, Z), want)
    close(want, [0.03220498, 0.00413756, 0.54908431, 0.01892521])  # Keras 3.15


def test_binary_focal_from_logits_is_exact_where_probabilities_would_clip():
    # A logit of 30 is a probability of 1 - 1e-13: clipping would give log(1e-7); the logits path does not.
    got = L.binary_focal_crossentropy(np.array([[0.0]]), np.array([[30.0]]), gamma=0.0, from_logits=True)
    close(got, [30.0], tol=1e-9)


def test_categorical_focal_crossentropy_formula_and_options():
    close(L.categorical_focal_crossentropy(ONE_HOT, P), np_cfce(ONE_HOT, P))
    close(L.CategoricalFocalCrossentropy(reduction=None)(ONE_HOT, P), [0.25523391, 0.24794799, 0.33798507, 0.45926949])
    alpha = [0.1, 0.2, 0.3, 0.2, 0.2]
    loss = L.CategoricalFocalCrossentropy(
        alpha=alpha, gamma=1.5, from_logits=True, label_smoothing=0.2, reduction="sum"
    )
    want = np_cfce(ONE_HOT, Z, alpha, 1.5, True, 0.2).sum()
    close(loss(ONE_HOT, Z), want)
    close(want, 1.31571484)  # Keras 3.15
    with pytest.warns(SyntaxWarning, match="binary_crossentropy"):
        L.categorical_focal_crossentropy(np.ones((2, 1)), np.ones((2, 1)) * 0.5)
    with pytest.raises(ValueError, match="axis"):
        L.categorical_focal_crossentropy(ONE_HOT, P, axis=True)


def test_categorical_generalized_cross_entropy():
    probs = P / P.sum(-1, keepdims=True)
    labels = np.array([0, 3, 1, 4])
    want = np_gce(labels, probs, 0.7)
    close(L.categorical_generalized_cross_entropy(labels, probs, q=0.7), want)
    close(L.CategoricalGeneralizedCrossEntropy(q=0.7, reduction=None)(labels, probs), want)
    close(want, [0.96296245, 0.9546265, 1.0458442, 1.13893235])  # Keras 3.15
    # Labels of shape (batch, 1), as documented, give the same losses.
    close(L.CategoricalGeneralizedCrossEntropy(q=0.7, reduction=None)(labels[:, None], probs), want)
    for q in (0.0, 1.0, 1.5):
        with pytest.raises(ValueError, match="interval"):
            L.CategoricalGeneralizedCrossEntropy(q=q)


def test_dice_and_tversky():
    close(L.Dice()(T, P), np_dice(T, P))
    close(L.Dice()(T, P), 0.45111752)  # Keras 3.15
    close(L.Dice(axis=1, reduction=None)(T, P), np_dice(T, P, 1))
    close(L.dice(T, P, axis=(1,)), [0.51258838, 0.3201347, 0.4821353, 0.52039957])
    close(L.Tversky(alpha=0.3, beta=0.7, axis=(1,), reduction=None)(T, P), np_tversky(T, P, 0.3, 0.7, 1))
    close(L.Tversky(axis=1)(T, P, sample_weight=np.array([1, 0.5, 2, 0])), 0.4092316)  # Keras 3.15
    close(L.tversky(T, P), np_dice(T, P))  # alpha = beta = 0.5 is Dice
    # Segmentation shapes: one loss per image over its pixels and channels.
    t = (rng.random((8, 28, 28, 3)) > 0.7).astype("float32")
    p = rng.random((8, 28, 28, 3)).astype("float32")
    close(L.Dice(axis=(1, 2, 3), reduction=None)(t, p), np_dice(t, p, (1, 2, 3)))


@pytest.mark.parametrize("reduction", ["sum", "sum_over_batch_size", "mean_with_sample_weight", None])
def test_reductions_and_sample_weights(reduction):
    sw = np.array([1.0, 0.0, 2.0, 0.5], dtype="float32")
    per_sample = np_bfce(T, P) * sw
    want = {
        "sum": per_sample.sum(),
        "sum_over_batch_size": per_sample.sum() / 4,
        "mean_with_sample_weight": per_sample.sum() / sw.sum(),
        None: per_sample,
    }[reduction]
    close(L.BinaryFocalCrossentropy(reduction=reduction)(T, P, sample_weight=sw), want)


CLASSES = [
    (L.BinaryFocalCrossentropy, {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.0, "from_logits": True}),
    (L.CategoricalFocalCrossentropy, {"alpha": 0.5, "label_smoothing": 0.1}),
    (L.CategoricalGeneralizedCrossEntropy, {"q": 0.3}),
    (L.Dice, {"axis": [1, 2]}),
    (L.Tversky, {"alpha": 0.2, "beta": 0.8}),
]


@pytest.mark.parametrize("cls,kwargs", CLASSES, ids=lambda c: getattr(c, "__name__", ""))
def test_config_round_trip_and_serialization(cls, kwargs):
    loss = cls(name="custom", reduction="sum", **kwargs)
    config = loss.get_config()
    assert config["name"] == "custom" and config["reduction"] == "sum"
    for key, value in kwargs.items():
        assert config[key] == value
    again = cls.from_config(config)
    assert again.get_config() == config
    rebuilt = L.deserialize(L.serialize(loss))
    assert type(rebuilt) is cls and rebuilt.get_config() == config


def test_keras_config_keys():
    assert list(L.BinaryFocalCrossentropy().get_config()) == [
        "name",
        "reduction",
        "from_logits",
        "label_smoothing",
        "axis",
        "apply_class_balancing",
        "alpha",
        "gamma",
    ]
    assert list(L.CategoricalFocalCrossentropy().get_config()) == [
        "name",
        "reduction",
        "from_logits",
        "label_smoothing",
        "axis",
        "alpha",
        "gamma",
    ]
    assert L.CategoricalGeneralizedCrossEntropy().get_config() == {
        "name": "categorical_generalized_cross_entropy",
        "reduction": "sum_over_batch_size",
        "q": 0.5,
    }
    assert L.Dice().get_config() == {"name": "dice", "reduction": "sum_over_batch_size", "axis": None}
    assert L.Tversky().get_config() == {
        "name": "tversky",
        "reduction": "sum_over_batch_size",
        "alpha": 0.5,
        "beta": 0.5,
        "axis": None,
    }


def test_lookup_by_name():
    for name in ("binary_focal_crossentropy", "categorical_focal_crossentropy", "dice", "tversky", "ctc", "circle"):
        assert L.get(name) is getattr(L, name)
    assert L.get("categorical_generalized_cross_entropy") is L.categorical_generalized_cross_entropy
    assert isinstance(L.get("Dice"), L.Dice)
    assert isinstance(L.get("BinaryFocalCrossentropy"), L.BinaryFocalCrossentropy)
    assert L.get("logcosh") is L.logcosh is L.log_cosh


def test_gradients_against_finite_differences():
    t = T.astype(np.float64)
    check_gradient(lambda p: L.binary_focal_crossentropy(t, p), P.astype(np.float64), rtol=1e-4, atol=1e-8)
    check_gradient(lambda z: L.binary_focal_crossentropy(t, z, from_logits=True, apply_class_balancing=True), Z)
    check_gradient(lambda z: L.categorical_focal_crossentropy(ONE_HOT, z, from_logits=True), Z, rtol=1e-4)
    check_gradient(lambda p: L.dice(t, p, axis=1), P)
    check_gradient(lambda p: L.tversky(t, p, 0.3, 0.7, axis=1), P)


def test_inside_tf_function():
    loss = L.BinaryFocalCrossentropy(from_logits=True)
    traced = tf.function(lambda t, z: loss(t, z))
    close(traced(tf.constant(T), tf.constant(Z)), np_bfce(T, Z, from_logits=True).mean())
    dice = tf.function(lambda t, p: L.Dice(axis=1, reduction=None)(t, p))
    close(dice(tf.constant(T), tf.constant(P)), np_dice(T, P, 1))


@pytest.mark.parametrize(
    "loss,labels",
    [
        (L.BinaryFocalCrossentropy(), "binary"),
        ("binary_focal_crossentropy", "binary"),
        (L.CategoricalFocalCrossentropy(), "onehot"),
        (L.CategoricalGeneralizedCrossEntropy(), "sparse"),
        (L.Dice(), "onehot"),
        (L.Tversky(alpha=0.7, beta=0.3), "onehot"),
    ],
)
def test_training_reduces_the_loss(loss, labels):
    data = np.random.default_rng(3)
    x = data.normal(size=(128, 6)).astype("float32")
    cls = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0.5).astype("int64")
    if labels == "binary":
        y, units, act = (x[:, :1] > 0).astype("float32"), 1, "sigmoid"
    elif labels == "onehot":
        y, units, act = np.eye(3, dtype="float32")[cls], 3, "softmax"
    else:
        y, units, act = cls.astype("float32"), 3, "softmax"
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((6,)), tf.keras.layers.Dense(units, activation=act)])
    model.compile(tf.keras.optimizers.Adam(0.05), loss=loss)
    history = model.fit(x, y, epochs=8, batch_size=32, verbose=0).history["loss"]
    assert history[-1] < 0.8 * history[0]
