"""Input and training with ``MirroredStrategy`` over two logical CPUs, as TensorFlow's "Distributed training"
guide and "Custom training with tf.distribute.Strategy" tutorial use it: distributed datasets (each global batch
split over the replicas, TensorFlow 2.21's splits), ``distribute_datasets_from_function``, a custom training
loop (per-replica gradients of a loss scaled by the global batch, one optimizer step with their sum) that
trains exactly as one device does on the global batch, and ``model.fit`` in the strategy's scope."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf

pytestmark = pytest.mark.usefixtures("three_logical_cpus")  # tests/conftest.py


def _parts(per_replica):
    return [v.numpy().tolist() for v in per_replica.values]


def test_experimental_distribute_dataset_splits_each_global_batch():
    s = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1", "cpu:2"])
    assert [_parts(e) for e in s.experimental_distribute_dataset(tf.data.Dataset.range(12).batch(6))] == [
        [[0, 1], [2, 3], [4, 5]],
        [[6, 7], [8, 9], [10, 11]],
    ]
    # TensorFlow's uneven splits: ceil(batch / replicas) rows per replica in turn.
    (seven,) = list(s.experimental_distribute_dataset(tf.data.Dataset.range(7).batch(7)))
    assert _parts(seven) == [[0, 1, 2], [3, 4, 5], [6]]
    tens = [_parts(e) for e in s.experimental_distribute_dataset(tf.data.Dataset.range(10).batch(4))]
    assert tens == [[[0, 1], [2, 3], []], [[4, 5], [6, 7], []], [[8], [9], []]]
    features = np.arange(8.0).reshape(4, 2)
    dd = s.experimental_distribute_dataset(
        tf.data.Dataset.from_tensor_slices({"x": features, "y": np.arange(4)}).batch(4)
    )
    element = next(iter(dd))
    assert _parts(element["y"]) == [[0, 1], [2, 3], []] and _parts(element["x"])[1] == [[4.0, 5.0], [6.0, 7.0]]
    it = iter(dd)
    it.get_next()
    with pytest.raises(tf.errors.OutOfRangeError):
        it.get_next()
    with pytest.raises(ValueError, match="batch the dataset first"):
        next(iter(s.experimental_distribute_dataset(tf.data.Dataset.range(3))))
    total = dd.reduce(tf.constant(0, tf.int64), lambda acc, e: acc + s.reduce("SUM", e["y"], axis=0))
    assert int(total) == 6


def test_distribute_datasets_from_function_hands_out_per_replica_batches():
    s = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1", "cpu:2"])
    contexts = []

    def dataset_fn(ctx):
        contexts.append(ctx)
        return tf.data.Dataset.range(12).batch(ctx.get_per_replica_batch_size(6))

    elements = [_parts(e) for e in s.distribute_datasets_from_function(dataset_fn)]
    assert elements == [[[0, 1], [2, 3], [4, 5]], [[6, 7], [8, 9], [10, 11]]]
    (ctx,) = contexts
    assert (ctx.num_input_pipelines, ctx.input_pipeline_id, ctx.num_replicas_in_sync) == (1, 0, 3)
    assert str(ctx) == "tf.distribute.InputContext(input pipeline id 0, total: 1)"
    with pytest.raises(ValueError, match="not divisible by `num_replicas_in_sync` 3"):
        ctx.get_per_replica_batch_size(5)


RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 4)).astype(np.float32)
Y = RNG.integers(0, 3, size=40)


def _model():
    tf.keras.utils.set_random_seed(1)
    return tf.keras.Sequential(
        [tf.keras.Input((4,)), tf.keras.layers.Dense(8, activation="relu"), tf.keras.layers.Dense(3)]
    )


def _custom_loop(strategy, global_batch, in_function):
    """The tutorial's loop: per-example losses averaged over the global batch on each replica, gradients applied
    in replica context, the replicas' losses summed."""
    with strategy.scope():
        model = _model()
        optimizer = tf.keras.optimizers.Adam(0.01)
        loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")
    dataset = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices((X, Y)).batch(global_batch))

    def train_step(inputs):
        x, y = inputs
        with tf.GradientTape() as tape:
            per_example = loss_object(y, model(x, training=True))
            loss = tf.nn.compute_average_loss(per_example, global_batch_size=global_batch)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    def distributed_train_step(inputs):
        return strategy.reduce(tf.distribute.ReduceOp.SUM, strategy.run(train_step, args=(inputs,)), axis=None)

    step = tf.function(distributed_train_step) if in_function else distributed_train_step
    losses = [float(step(batch)) for _ in range(2) for batch in dataset]
    if in_function:
        assert step.experimental_get_tracing_count() == 1  # PerReplica arguments trace by their parts' specs
    return losses, model, optimizer


@pytest.mark.parametrize("in_function", [False, True])
def test_custom_training_loop_equals_one_device_on_the_global_batch(in_function):
    ref_losses, ref_model, _ = _custom_loop(tf.distribute.OneDeviceStrategy("cpu:0"), 8, in_function)
    losses, model, optimizer = _custom_loop(tf.distribute.MirroredStrategy(["cpu:0", "cpu:1"]), 8, in_function)
    assert type(model.weights[0]).__name__ == "MirroredVariable"
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-5)
    for w, ref in zip(model.weights, ref_model.weights):
        np.testing.assert_allclose(w.numpy(), ref.numpy(), rtol=1e-4, atol=1e-6)
    assert int(optimizer.iterations) == 10  # one step per global batch, not one per replica
    assert np.mean(ref_losses[5:]) < np.mean(ref_losses[:5])  # the second epoch's loss is lower


def test_fit_in_the_scope_with_two_replicas_equals_one_replica():
    def fit(strategy):
        with strategy.scope():
            model = _model()
            model.compile(
                optimizer=tf.keras.optimizers.SGD(0.1),
                loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                metrics=["accuracy"],
            )
        history = model.fit(X, Y, batch_size=8, epochs=2, verbose=0, shuffle=False)
        return history.history, model

    ref_history, ref_model = fit(tf.distribute.OneDeviceStrategy("cpu:0"))
    history, model = fit(tf.distribute.MirroredStrategy(["cpu:0", "cpu:1"]))
    assert model.distribute_strategy.num_replicas_in_sync == 2
    assert all(type(w).__name__ == "MirroredVariable" for w in model.weights)
    np.testing.assert_allclose(history["loss"], ref_history["loss"], rtol=1e-5)
    assert history["accuracy"] == ref_history["accuracy"]
    for w, ref in zip(model.weights, ref_model.weights):
        np.testing.assert_allclose(w.numpy(), ref.numpy(), rtol=1e-5, atol=1e-6)
    loss, accuracy = model.evaluate(X, Y, verbose=0)
    assert history["loss"][-1] < history["loss"][0] and 0.0 <= accuracy <= 1.0 and loss > 0
