"""``BatchNormalization`` under ``model.fit`` with a two-replica ``MirroredStrategy`` over logical CPUs gives
TensorFlow 2.21's numbers (recorded by ``tests/data/record_distribute_batch_norm.py`` from the cases of
``distribute_batch_norm_cases``).

By default each replica normalizes with the statistics of its own part of the global batch, and each replica
updates its own copy of the moving statistics (Keras's non-trainable weights have no aggregation): read outside
the replicas (``numpy()``, ``get_weights``, saving) they are the first replica's, while the second replica's copy,
which it predicts with, follows the second part of each batch. ``synchronized=True`` normalizes with the global
batch's statistics (all-reduced sums), differentiated through the all-reduce, so every copy stays equal."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import ferroflow as tf
from distribute_batch_norm_cases import CASES, X, all_reduce_gradients, run_case
from distribute_batch_norm_expected import EXPECTED

pytestmark = pytest.mark.usefixtures("two_logical_cpus")


@functools.cache
def _result(name: str) -> dict:
    return run_case(tf, name)


def _close(actual, expected, rtol=2e-5, atol=2e-6):
    if isinstance(expected, list) and expected and isinstance(expected[0], list) and not np.ndim(expected[0][0]) == 0:
        for a, e in zip(actual, expected, strict=True):
            np.testing.assert_allclose(np.asarray(a), np.asarray(e), rtol=rtol, atol=atol)
        return
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=rtol, atol=atol)


@pytest.mark.parametrize("name", list(CASES))
def test_moving_statistics_match_tensorflow(name):
    got, want = _result(name), EXPECTED[name]
    _close(got["moving_mean"], want["moving_mean"])
    _close(got["moving_variance"], want["moving_variance"])
    _close(got["replica_moving_mean"], want["replica_moving_mean"])
    _close(got["replica_moving_variance"], want["replica_moving_variance"])


@pytest.mark.parametrize("name", list(CASES))
def test_training_and_outputs_match_tensorflow(name):
    got, want = _result(name), EXPECTED[name]
    _close(got["loss"], want["loss"], rtol=1e-5)
    for a, e in zip(got["weights"], want["weights"], strict=True):
        _close(a, e)
    _close(got["evaluate"], want["evaluate"], rtol=1e-5)
    _close(got["predict"], want["predict"])
    _close(got["predict_one_device"], want["predict_one_device"])


def test_replicas_keep_their_own_moving_statistics_unless_synchronized():
    local, sync = EXPECTED["fit_r2_local"], EXPECTED["fit_r2_sync"]
    # The recorded semantics the cases above check: without synchronization the copies differ and the second
    # replica predicts the second half of the batch with its own; synchronized, they agree.
    assert not np.allclose(*local["replica_moving_mean"])
    np.testing.assert_allclose(*sync["replica_moving_mean"], rtol=1e-6)
    assert not np.allclose(np.asarray(local["predict"])[4:], np.asarray(local["predict_one_device"])[4:])
    got = _result("fit_r2_local")
    _close(got["replica_moving_mean"][0], got["moving_mean"])


def test_synchronized_statistics_are_the_global_batchs():
    # One step of a fresh model: the moving mean moves halfway (momentum 0.5) to the mean over all 8 rows of the
    # first Dense's output, which the unsynchronized layer gives only for the first replica's 4 rows.
    from distribute_batch_norm_cases import KERNEL

    s = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    hidden = X[:8] @ KERNEL
    for synchronized, rows in ((True, hidden), (False, hidden[:4])):
        with s.scope():
            model = tf.keras.Sequential(
                [
                    tf.keras.Input((3,)),
                    tf.keras.layers.Dense(4, kernel_initializer=tf.keras.initializers.Constant(KERNEL)),
                    tf.keras.layers.BatchNormalization(momentum=0.5, synchronized=synchronized),
                ]
            )
            model.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss="mse")
        model.fit(X[:8], np.zeros((8, 4), np.float32), batch_size=8, shuffle=False, verbose=0)
        bn = model.layers[1]
        np.testing.assert_allclose(bn.moving_mean.numpy(), 0.5 * rows.mean(0), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(bn.moving_variance.numpy(), 0.5 + 0.5 * rows.var(0), rtol=1e-5)


def test_all_reduce_gradient_is_the_all_reduce_of_the_replicas_gradients():
    np.testing.assert_allclose(all_reduce_gradients(tf), EXPECTED["all_reduce_gradients"], rtol=1e-6)


def test_cross_replica_assign_writes_every_copy():
    s = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    with s.scope():
        v = tf.Variable([0.0, 0.0], trainable=False)
    # Each replica adds its own id to its own copy (no aggregation), read back by each replica.
    s.run(
        lambda: v.assign_add(
            tf.ones([2]) + tf.cast(tf.distribute.get_replica_context().replica_id_in_sync_group, tf.float32)
        )
    )
    assert [c.numpy().tolist() for c in v.values] == [[1.0, 1.0], [2.0, 2.0]]
    reads = s.experimental_local_results(s.run(lambda: tf.identity(v)))
    assert [r.numpy().tolist() for r in reads] == [[1.0, 1.0], [2.0, 2.0]]
    assert v.numpy().tolist() == [1.0, 1.0]  # outside the replicas: the first replica's copy
    v.assign([5.0, 6.0])
    assert [c.numpy().tolist() for c in v.values] == [[5.0, 6.0], [5.0, 6.0]]
    v.assign_add([1.0, 1.0])
    assert [c.numpy().tolist() for c in v.values] == [[6.0, 7.0], [6.0, 7.0]]
