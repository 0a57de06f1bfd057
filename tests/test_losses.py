"""Regression, hinge and probabilistic losses against NumPy versions of Keras 3's formulas; reductions; get."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import losses
from graph_runner import run_in_graph

EPS = 1e-7
rng = np.random.default_rng(1)


def softplus(x):
    return np.logaddexp(0.0, x)


def hinge_labels(y):
    return 2.0 * y - 1.0 if np.all((y == 0) | (y == 1)) else y


def l2n(x):
    return x * np.minimum(1.0 / np.sqrt(np.sum(x * x, axis=-1, keepdims=True)), 1.0 / EPS)


# Per-sample NumPy references (reduced over the last axis).
REFERENCES = {
    "mean_squared_error": lambda t, p: np.mean((t - p) ** 2, -1),
    "mean_absolute_error": lambda t, p: np.mean(np.abs(t - p), -1),
    "mean_absolute_percentage_error": lambda t, p: 100 * np.mean(np.abs((t - p) / np.maximum(np.abs(t), EPS)), -1),
    "mean_squared_logarithmic_error": lambda t, p: np.mean(
        (np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(t, EPS) + 1)) ** 2, -1
    ),
    "huber": lambda t, p: np.mean(np.where(np.abs(p - t) <= 1.0, 0.5 * (p - t) ** 2, np.abs(p - t) - 0.5), -1),
    "log_cosh": lambda t, p: np.mean(np.log(np.cosh(p - t)), -1),
    "kl_divergence": lambda t, p: np.sum(
        np.clip(t, EPS, 1) * np.log(np.clip(t, EPS, 1) / np.clip(p, EPS, 1)), -1
    ),
    "poisson": lambda t, p: np.mean(p - t * np.log(p + EPS), -1),
    "hinge": lambda t, p: np.mean(np.maximum(1 - hinge_labels(t) * p, 0), -1),
    "squared_hinge": lambda t, p: np.mean(np.maximum(1 - hinge_labels(t) * p, 0) ** 2, -1),
    "categorical_hinge": lambda t, p: np.maximum(np.max((1 - t) * p, -1) - np.sum(t * p, -1) + 1, 0),
    "cosine_similarity": lambda t, p: -np.sum(l2n(t) * l2n(p), -1),
}
CLASSES = {
    "mean_squared_error": losses.MeanSquaredError,
    "mean_absolute_error": losses.MeanAbsoluteError,
    "mean_absolute_percentage_error": losses.MeanAbsolutePercentageError,
    "mean_squared_logarithmic_error": losses.MeanSquaredLogarithmicError,
    "huber": losses.Huber,
    "log_cosh": losses.LogCosh,
    "kl_divergence": losses.KLDivergence,
    "poisson": losses.Poisson,
    "hinge": losses.Hinge,
    "squared_hinge": losses.SquaredHinge,
    "categorical_hinge": losses.CategoricalHinge,
    "cosine_similarity": losses.CosineSimilarity,
}


def data(name, shape=(6, 4)):
    if name in ("kl_divergence", "categorical_hinge"):
        t = rng.random(shape).astype(np.float32)
        return t / t.sum(-1, keepdims=True), rng.random(shape).astype(np.float32) + 0.05
    if name in ("hinge", "squared_hinge"):
        return rng.integers(0, 2, shape).astype(np.float32), rng.standard_normal(shape).astype(np.float32)
    if name == "poisson":
        return rng.poisson(2.0, shape).astype(np.float32), rng.random(shape).astype(np.float32) * 3 + 0.1
    t = rng.standard_normal(shape).astype(np.float32) * 2
    p = rng.standard_normal(shape).astype(np.float32) * 2
    if name == "mean_squared_logarithmic_error":
        t, p = np.abs(t), np.abs(p)
    return t, p


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_loss_functions_match_numpy_eagerly_and_in_graphs(name):
    fn = losses.get(name)
    t, p = data(name)
    want = REFERENCES[name](t.astype(np.float64), p.astype(np.float64))
    np.testing.assert_allclose(fn(t, p).numpy(), want, rtol=2e-5, atol=1e-5)
    np.testing.assert_allclose(run_in_graph(fn, t, p), want, rtol=2e-5, atol=1e-5)
    traced = tf.function(lambda a, b: fn(a, b))
    np.testing.assert_allclose(traced(tf.constant(t), tf.constant(p)).numpy(), want, rtol=2e-5, atol=1e-5)


@pytest.mark.parametrize("name", sorted(REFERENCES))
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean", None, "none"])
def test_loss_classes_weight_and_reduce_like_keras(name, reduction):
    t, p = data(name)
    w = rng.random(6).astype(np.float32)
    per_sample = REFERENCES[name](t.astype(np.float64), p.astype(np.float64))
    loss = CLASSES[name](reduction=reduction)
    for weights in (None, w, w[:, None]):
        values = per_sample if weights is None else per_sample * w
        if weights is not None and weights.ndim == 2:
            values = values[:, None]  # Keras expands rank-1 losses to the weights' (batch, 1)
        want = {"sum": values.sum(), "sum_over_batch_size": values.mean(), "mean": values.mean()}.get(reduction, values)
        got = loss(t, p, sample_weight=weights)
        np.testing.assert_allclose(got.numpy(), want, rtol=2e-5, atol=1e-5)
        graph_fn = (lambda a, b, loss=loss: loss(a, b)) if weights is None else (
            lambda a, b, c, loss=loss: loss(a, b, sample_weight=c))
        args = (t, p) if weights is None else (t, p, weights)
        np.testing.assert_allclose(run_in_graph(graph_fn, *args), want, rtol=2e-5, atol=1e-5)


def test_mean_with_sample_weight_divides_by_the_weight_sum():
    t, p = data("mean_squared_error")
    w = np.array([1, 2, 0, 0, 3, 1], np.float32)
    got = losses.MeanSquaredError(reduction="mean_with_sample_weight")(t, p, sample_weight=w)
    per = np.mean((t - p) ** 2, -1)
    np.testing.assert_allclose(got.numpy(), np.sum(per * w) / w.sum(), rtol=1e-5)


def test_huber_delta_and_per_sample_rank_one_inputs():
    t, p = rng.standard_normal(5).astype(np.float32) * 3, rng.standard_normal(5).astype(np.float32)
    err = np.abs(p - t)
    want = np.mean(np.where(err <= 2.0, 0.5 * err**2, 2.0 * err - 2.0))
    np.testing.assert_allclose(losses.huber(t, p, delta=2.0).numpy(), want, rtol=1e-5)
    np.testing.assert_allclose(losses.Huber(delta=2.0)(t, p).numpy(), want, rtol=1e-5)
    # (batch,) labels against (batch, 1) predictions are matched, not broadcast to (batch, batch).
    np.testing.assert_allclose(losses.MeanSquaredError()(t, p[:, None]).numpy(), np.mean((t - p) ** 2), rtol=1e-5)


def test_hinge_keeps_labels_that_are_not_binary():
    t = np.array([[-1.0, 1.0], [1.0, -1.0]], np.float32)
    p = np.array([[0.3, 0.8], [-0.2, 0.5]], np.float32)
    np.testing.assert_allclose(losses.hinge(t, p).numpy(), np.mean(np.maximum(1 - t * p, 0), -1), rtol=1e-6)


def test_empty_batch_gives_zero_not_nan_in_graphs():
    z = np.zeros((0, 3), np.float32)
    assert float(run_in_graph(lambda a, b: losses.MeanSquaredError()(a, b), z, z)) == 0.0
    # Eagerly, Keras returns an empty per-sample vector unreduced.
    assert losses.MeanSquaredError()(z, z).shape == [0]


def test_invalid_reduction_is_rejected_with_the_allowed_values():
    with pytest.raises(ValueError, match="reduction.*Received: reduction='avg'"):
        losses.MeanSquaredError(reduction="avg")


def test_get_resolves_function_names_aliases_classes_and_callables():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("MSE") is losses.mean_squared_error
    assert losses.get("kld") is losses.kl_divergence
    assert losses.get("bce") is losses.binary_crossentropy
    assert isinstance(losses.get("SparseCategoricalCrossentropy"), losses.SparseCategoricalCrossentropy)
    assert losses.get(None) is None
    custom = losses.Huber(delta=3.0)
    assert losses.get(custom) is custom
    assert losses.get({"class_name": "Huber", "config": {"delta": 2.5}})._fn_kwargs["delta"] == 2.5
    assert tf.keras.losses.get("mae") is losses.mean_absolute_error


def test_unknown_loss_name_lists_the_valid_names():
    with pytest.raises(ValueError, match="interpret loss identifier: 'mean_sqared_error'.*mean_squared_error"):
        losses.get("mean_sqared_error")


@pytest.mark.parametrize("cls", [c for c in losses.ALL_OBJECTS if isinstance(c, type) and c.__name__ not in
                                 ("Loss", "LossFunctionWrapper")])
def test_serialize_round_trips_every_loss_class(cls):
    loss = cls(reduction="sum", name="custom_name")
    config = losses.serialize(loss)
    assert config["class_name"] == cls.__name__ and config["config"]["reduction"] == "sum"
    again = losses.deserialize(config)
    assert type(again) is cls and again.get_config() == loss.get_config() and again.name == "custom_name"


def test_serialize_functions_and_wrappers():
    config = losses.serialize(losses.mean_squared_error)
    assert config["class_name"] == "function" and config["config"] == "mean_squared_error"
    assert losses.deserialize(config) is losses.mean_squared_error
    wrapper = losses.LossFunctionWrapper(losses.huber, name="h", delta=0.5)
    again = losses.deserialize(losses.serialize(wrapper))
    assert again.fn is losses.huber and again._fn_kwargs == {"delta": 0.5} and again.name == "h"
    t, p = data("huber")
    np.testing.assert_allclose(again(t, p).numpy(), wrapper(t, p).numpy())


def test_default_names_and_configs_follow_keras():
    assert losses.MeanSquaredError().name == "mean_squared_error"
    assert losses.Huber().name == "huber_loss"
    assert losses.CategoricalCrossentropy().get_config() == {
        "name": "categorical_crossentropy", "reduction": "sum_over_batch_size", "from_logits": False,
        "label_smoothing": 0.0, "axis": -1}
    assert losses.SparseCategoricalCrossentropy().get_config() == {
        "name": "sparse_categorical_crossentropy", "reduction": "sum_over_batch_size", "from_logits": False,
        "ignore_class": None}
