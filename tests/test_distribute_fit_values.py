"""``model.fit``/``evaluate``/``predict`` and a custom training loop under a two-replica ``MirroredStrategy`` over
logical CPUs give TensorFlow 2.21's numbers (recorded by ``tests/data/record_distribute_fit.py`` from the cases of
``distribute_fit_cases``): each replica sees ``global_batch // replicas`` rows, the replicas' gradients of their
scaled losses are summed and applied once, and the loss and metrics cover the global batch."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import ferroflow as tf
from distribute_fit_cases import CASES, fit_case, run_case
from distribute_fit_expected import EXPECTED

pytestmark = pytest.mark.usefixtures("two_logical_cpus")  # tests/conftest.py


@functools.cache
def _result(name: str) -> dict:
    return run_case(tf, name)


def _close_lists(actual, expected, rtol=1e-5, atol=1e-6):
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(np.asarray(a), np.asarray(e), rtol=rtol, atol=atol)


@pytest.mark.parametrize("name", [n for n in CASES if n.startswith("fit_")])
def test_fit_evaluate_predict_match_tensorflow(name):
    got, want = _result(name), EXPECTED[name]
    assert got["batch_sizes"] == want["batch_sizes"]  # per-replica batches: 8 // 2, and 3 split as 2 and 1
    assert got["predict_batch_sizes"] == want["predict_batch_sizes"]
    np.testing.assert_allclose(got["loss"], want["loss"], rtol=1e-5)
    np.testing.assert_allclose(got["accuracy"], want["accuracy"], rtol=1e-6)
    _close_lists(got["weights"], want["weights"], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got["evaluate"], want["evaluate"], rtol=1e-5)
    np.testing.assert_allclose(got["predictions"], want["predictions"], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_two_replicas_train_as_one_when_every_batch_splits_evenly(optimizer):
    # 40 rows in batches of 8: each replica's mean over 4 rows, scaled by 1/2, sums to the mean over 8.
    two, one = _result(f"fit_r2_n40_{optimizer}"), _result(f"fit_r1_n40_{optimizer}")
    assert one["batch_sizes"] == [8] and two["batch_sizes"] == [4]
    _close_lists(two["weights"], one["weights"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(two["loss"], one["loss"], rtol=1e-6)
    # 43 rows: the last batch of 3 splits 2 + 1, whose scaled means do not sum to the mean over 3 rows; the
    # reported loss still weighs each replica by its rows, so it is the same as with one replica.
    two, one = _result(f"fit_r2_n43_{optimizer}"), _result(f"fit_r1_n43_{optimizer}")
    assert not np.allclose(two["weights"][3], one["weights"][3], rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(two["loss"], one["loss"], rtol=1e-6)


@pytest.mark.parametrize("run_eagerly,dataset", [(False, False), (True, True), (False, True)])
def test_compiled_steps_and_datasets_train_as_tensorflow(run_eagerly, dataset):
    # Without run_eagerly, and from a dataset of global batches, the batches are split over the replicas alike.
    want = EXPECTED["fit_r2_n43_adam"]
    got = fit_case(tf, 2, 43, "adam", run_eagerly=run_eagerly, dataset=dataset)
    assert got["batch_sizes"] == want["batch_sizes"]
    np.testing.assert_allclose(got["loss"], want["loss"], rtol=1e-5)
    np.testing.assert_allclose(got["accuracy"], want["accuracy"], rtol=1e-6)
    _close_lists(got["weights"], want["weights"], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", [n for n in CASES if n.startswith("step_")])
def test_overridden_train_step_runs_on_each_replica_part(name):
    got, want = _result(name), EXPECTED[name]
    _close_lists(got["weights"], want["weights"], rtol=1e-4, atol=1e-5)
    # The step's own loss-tracker updates see each replica's scaled loss (TensorFlow: half the loss).
    np.testing.assert_allclose(got["loss"], want["loss"], rtol=1e-5)
    if name != "step_r2_own":
        # TensorFlow's accuracy here is the mean of each replica's own result over its rows (22 and 21), its
        # sum-on-read variables read in replica context; ferroflow's replicas share one metric state.
        np.testing.assert_allclose(got["accuracy"], want["accuracy"], rtol=1e-6)


@pytest.mark.parametrize("name", [n for n in CASES if n.startswith("loop_")])
def test_custom_training_loop_matches_tensorflow(name):
    got, want = _result(name), EXPECTED[name]
    np.testing.assert_allclose(got["losses"], want["losses"], rtol=1e-5)
    assert got["iterations"] == want["iterations"] == 10
    np.testing.assert_allclose(got["accuracy"], want["accuracy"], rtol=1e-6)
    assert got["replica_mean"] == want["replica_mean"]
    _close_lists(got["weights"], want["weights"], rtol=1e-4, atol=1e-5)


def test_keras_losses_are_scaled_by_the_replicas_in_the_scope():
    # TensorFlow 2.21 (Keras 3): a reduced Keras loss is divided by num_replicas_in_sync under the strategy.
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    y, logits = np.array([0, 1]), np.array([[1.0, 2, 3], [0, 1, 0]], np.float32)
    np.testing.assert_allclose(float(loss(y, logits)), 1.4795253276824951, rtol=1e-6)
    with strategy.scope():
        np.testing.assert_allclose(float(loss(y, logits)), 0.7397626638412476, rtol=1e-6)
        per_replica = strategy.run(lambda: loss(y, logits))
        np.testing.assert_allclose([float(v) for v in per_replica.values], [0.7397626638412476] * 2, rtol=1e-6)
        unreduced = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)(y, logits)
        np.testing.assert_allclose(unreduced.numpy(), [2.4076059, 0.55144465], rtol=1e-6)


@pytest.mark.parametrize("name", [n for n in CASES if n.startswith("tutorial_")])
def test_custom_training_tutorial_matches_tensorflow(name):
    got, want = _result(name), EXPECTED[name]
    _close_lists(got["epochs"], want["epochs"], rtol=1e-5)  # train loss and accuracy, test loss and accuracy
    np.testing.assert_allclose(got["steps"], want["steps"], rtol=1e-5)
    np.testing.assert_allclose(got["epoch_loss"], want["epoch_loss"], rtol=1e-5)
    _close_lists(got["weights"], want["weights"], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", [n for n in CASES if n.startswith("keras_tutorial_")])
def test_distributed_training_with_keras_tutorial_matches_tensorflow(name):
    got, want = _result(name), EXPECTED[name]
    np.testing.assert_allclose(got["loss"], want["loss"], rtol=1e-5)
    np.testing.assert_allclose(got["accuracy"], want["accuracy"], rtol=1e-6)
    np.testing.assert_allclose(got["rates"], want["rates"], rtol=1e-6)
    _close_lists(got["weights"], want["weights"], rtol=1e-4, atol=1e-5)
    for key in ("evaluate", "evaluate_unreplicated", "evaluate_replicated", "train_on_batch", "test_on_batch"):
        np.testing.assert_allclose(got[key], want[key], rtol=1e-5, err_msg=key)
