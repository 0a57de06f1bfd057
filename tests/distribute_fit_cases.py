"""Training under ``tf.distribute`` strategies, written against the TensorFlow API so that the same code runs with
ferroflow (``tests/test_distribute_fit_values.py``) and with TensorFlow 2.21, whose results
``tests/data/record_distribute_fit.py`` writes to ``tests/distribute_fit_expected.py``.

Every case starts from the same weights (drawn with NumPy) on the same data, so the results can be compared
value for value. ``tf`` is the module under test (``ferroflow`` or ``tensorflow``); the caller has already split
the CPU into two logical devices.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

RNG = np.random.default_rng(7)
X = RNG.normal(size=(44, 4)).astype(np.float32)
Y = RNG.integers(0, 3, size=44).astype(np.int64)
WEIGHTS = [
    RNG.normal(scale=0.5, size=(4, 8)).astype(np.float32),
    RNG.normal(scale=0.1, size=(8,)).astype(np.float32),
    RNG.normal(scale=0.5, size=(8, 3)).astype(np.float32),
    RNG.normal(scale=0.1, size=(3,)).astype(np.float32),
]


def _strategy(tf, replicas: int):
    if replicas == 1:
        return tf.distribute.OneDeviceStrategy("/cpu:0")
    return tf.distribute.MirroredStrategy([f"/cpu:{k}" for k in range(replicas)])


def _model(tf, batch_sizes: Optional[list]):
    """A small classifier whose first layer notes, for every concrete batch it sees, whether it trains and the
    batch size (no such layer when ``batch_sizes`` is None)."""

    class Recorder(tf.keras.layers.Layer):
        def call(self, inputs, training=None):
            size = inputs.shape[0]
            if isinstance(size, int):
                batch_sizes.append((bool(training), size))
            return inputs

    model = tf.keras.Sequential(
        [tf.keras.Input((4,))]
        + ([] if batch_sizes is None else [Recorder()])
        + [
            tf.keras.layers.Dense(8, activation="relu", kernel_regularizer=tf.keras.regularizers.L2(0.01)),
            tf.keras.layers.Dense(3),
        ]
    )
    model.set_weights(WEIGHTS)
    return model


def _weights(model) -> list:
    return [np.asarray(w.numpy()).tolist() for w in model.weights]


def fit_case(tf, replicas: int, samples: int, optimizer: str, run_eagerly: bool = True, dataset: bool = False) -> dict:
    """``model.fit`` for one epoch (global batch 8, no shuffling) in the strategy's scope, then ``evaluate`` and
    ``predict``; the data as arrays, or as a dataset of global batches when ``dataset``."""
    strategy = _strategy(tf, replicas)
    sizes: list = []
    with strategy.scope():
        model = _model(tf, sizes)
        opt = tf.keras.optimizers.SGD(0.1) if optimizer == "sgd" else tf.keras.optimizers.Adam(0.01)
        model.compile(
            optimizer=opt,
            loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
            run_eagerly=run_eagerly,  # eagerly, the recording layer sees each concrete batch
        )
    if dataset:
        data = tf.data.Dataset.from_tensor_slices((X[:samples], Y[:samples])).batch(8)
        history = model.fit(data, epochs=1, shuffle=False, verbose=0)
    else:
        history = model.fit(X[:samples], Y[:samples], batch_size=8, epochs=1, shuffle=False, verbose=0)
    fit_sizes = sorted({size for training, size in sizes if training})
    loss, accuracy = model.evaluate(X[:samples], Y[:samples], batch_size=8, verbose=0)
    del sizes[:]
    predictions = model.predict(X[:samples], batch_size=8, verbose=0)
    return {
        "loss": history.history["loss"],
        "accuracy": history.history["accuracy"],
        "weights": _weights(model),
        "batch_sizes": fit_sizes,
        "evaluate": [float(loss), float(accuracy)],
        "predict_batch_sizes": sorted({size for _, size in sizes}),
        "predictions": np.asarray(predictions).tolist(),
    }


def custom_step_case(tf, replicas: int, use_super: bool) -> dict:
    """``fit`` of a model overriding ``train_step`` (Keras's guide "Customizing what happens in fit"): its own
    step, which updates the loss tracker with the replica's (scaled) loss, or one calling ``super().train_step``;
    the step runs on each replica's part of the global batch."""

    class CustomModel(tf.keras.Sequential):
        def train_step(self, data):
            if use_super:
                return super().train_step(data)
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    strategy = _strategy(tf, replicas)
    with strategy.scope():
        model = CustomModel(
            [tf.keras.Input((4,)), tf.keras.layers.Dense(8, activation="relu"), tf.keras.layers.Dense(3)]
        )
        model.set_weights([w for w in WEIGHTS])
        model.compile(
            optimizer=tf.keras.optimizers.SGD(0.1),
            loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
    history = model.fit(X[:43], Y[:43], batch_size=8, epochs=2, shuffle=False, verbose=0)
    return {
        "loss": history.history["loss"],
        "accuracy": history.history["accuracy"],
        "weights": _weights(model),
    }


def custom_loop_case(tf, replicas: int, from_function: bool) -> dict:
    """The custom training loop of TensorFlow's "Custom training with tf.distribute.Strategy" tutorial: per-example
    losses averaged over the global batch on each replica, one optimizer step per global batch, the replicas'
    losses summed with ``strategy.reduce``; a ``tf.function`` step over a distributed dataset."""
    strategy = _strategy(tf, replicas)
    global_batch = 8
    sizes: list = []
    with strategy.scope():
        model = _model(tf, sizes)
        optimizer = tf.keras.optimizers.Adam(0.01)
        loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")
        accuracy = tf.keras.metrics.SparseCategoricalAccuracy()
        # Built in the scope: TensorFlow cannot create the slots lazily inside the several-replica tf.function.
        optimizer.build(model.trainable_variables)
    if from_function:

        def dataset_fn(ctx):
            per_replica = ctx.get_per_replica_batch_size(global_batch)
            return tf.data.Dataset.from_tensor_slices((X[:40], Y[:40])).batch(per_replica)

        dataset = strategy.distribute_datasets_from_function(dataset_fn)
    else:
        dataset = strategy.experimental_distribute_dataset(
            tf.data.Dataset.from_tensor_slices((X[:40], Y[:40])).batch(global_batch)
        )

    def train_step(inputs):
        x, y = inputs
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss = tf.nn.compute_average_loss(loss_object(y, logits), global_batch_size=global_batch)
            loss += tf.nn.scale_regularization_loss(tf.add_n(model.losses))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        accuracy.update_state(y, logits)
        return loss

    @tf.function
    def distributed_train_step(inputs):
        per_replica = strategy.run(train_step, args=(inputs,))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)

    losses = [float(distributed_train_step(batch)) for _ in range(2) for batch in dataset]
    mean = strategy.reduce(
        tf.distribute.ReduceOp.MEAN,
        strategy.run(lambda: tf.cast(tf.distribute.get_replica_context().replica_id_in_sync_group, tf.float32)),
        axis=None,
    )
    return {
        "losses": losses,
        "accuracy": float(accuracy.result()),
        "weights": _weights(model),
        "replica_mean": float(mean),
        "iterations": int(optimizer.iterations.numpy()),
    }


def tutorial_loop_case(tf, replicas: int) -> dict:
    """The rest of the "Custom training with tf.distribute.Strategy" tutorial: ``compute_average_loss`` without
    ``global_batch_size`` plus the scaled regularization loss, a test step updating ``Mean`` and accuracy metrics
    on every replica, an iterator stepped with ``next``, and a ``tf.function`` looping over a distributed dataset."""
    strategy = _strategy(tf, replicas)
    train = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices((X[:40], Y[:40])).batch(8))
    test = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices((X[40:], Y[40:])).batch(8))
    with strategy.scope():
        loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")
        test_loss = tf.keras.metrics.Mean(name="test_loss")
        train_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")
        test_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="test_accuracy")
        model = _model(tf, [])
        optimizer = tf.keras.optimizers.SGD(0.1)

    def train_step(inputs):
        x, y = inputs
        with tf.GradientTape() as tape:
            predictions = model(x, training=True)
            loss = tf.nn.compute_average_loss(loss_object(y, predictions))
            loss += tf.nn.scale_regularization_loss(tf.add_n(model.losses))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        train_accuracy.update_state(y, predictions)
        return loss

    def test_step(inputs):
        x, y = inputs
        predictions = model(x, training=False)
        test_loss.update_state(loss_object(y, predictions))
        test_accuracy.update_state(y, predictions)

    @tf.function
    def distributed_train_step(inputs):
        per_replica_losses = strategy.run(train_step, args=(inputs,))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_losses, axis=None)

    @tf.function
    def distributed_test_step(inputs):
        return strategy.run(test_step, args=(inputs,))

    epochs = []
    for _ in range(2):
        total_loss, num_batches = 0.0, 0
        for x in train:
            total_loss += distributed_train_step(x)
            num_batches += 1
        for x in test:
            distributed_test_step(x)
        metrics = (train_accuracy, test_loss, test_accuracy)
        epochs.append([float(total_loss / num_batches)] + [float(m.result()) for m in metrics])
        for m in metrics:
            m.reset_state()
    train_iter = iter(train)
    steps = [float(distributed_train_step(next(train_iter))) for _ in range(3)]

    @tf.function
    def distributed_train_epoch(dataset):
        total_loss = 0.0
        num_batches = 0
        for x in dataset:
            per_replica_losses = strategy.run(train_step, args=(x,))
            total_loss += strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_losses, axis=None)
            num_batches += 1
        return total_loss / tf.cast(num_batches, tf.float32)

    epoch_loss = float(distributed_train_epoch(train))
    return {"epochs": epochs, "steps": steps, "epoch_loss": epoch_loss, "weights": _weights(model)}


def keras_tutorial_case(tf, replicas: int, directory: str) -> dict:
    """TensorFlow's "Distributed training with Keras" tutorial: a mapped, cached dataset batched by
    ``4 * num_replicas_in_sync``, ``fit`` with checkpoint and learning-rate callbacks, the weights of one epoch
    restored, ``evaluate``, and the saved model loaded without and within the strategy, which then trains with
    ``train_on_batch``."""
    import os

    strategy = _strategy(tf, replicas)
    batch_size = 4 * strategy.num_replicas_in_sync

    def scale(x, y):
        return tf.cast(x, tf.float32) * 2.0, y

    train = tf.data.Dataset.from_tensor_slices((X[:40], Y[:40])).map(scale).cache().batch(batch_size)
    evaluation = tf.data.Dataset.from_tensor_slices((X[40:], Y[40:])).map(scale).batch(batch_size)

    def compile_model(model):
        model.compile(
            loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            optimizer=tf.keras.optimizers.Adam(),
            metrics=["accuracy"],
        )

    with strategy.scope():
        model = _model(tf, None)  # no recording layer, which a saved model could not load
        compile_model(model)
    rates = []

    class RecordLR(tf.keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            rates.append(float(np.asarray(model.optimizer.learning_rate)))

    callbacks = [
        tf.keras.callbacks.ModelCheckpoint(
            filepath=os.path.join(directory, "ckpt_{epoch}.weights.h5"), save_weights_only=True
        ),
        tf.keras.callbacks.LearningRateScheduler(lambda epoch: 1e-2 if epoch < 1 else 1e-3),
        RecordLR(),
    ]
    history = model.fit(train, epochs=3, callbacks=callbacks, verbose=0)
    model.load_weights(os.path.join(directory, "ckpt_2.weights.h5"))
    out = {
        "loss": history.history["loss"],
        "accuracy": history.history["accuracy"],
        "rates": rates,
        "weights": _weights(model),
        "evaluate": [float(v) for v in model.evaluate(evaluation, verbose=0)],
    }
    path = os.path.join(directory, "model.keras")
    model.save(path)
    unreplicated = tf.keras.models.load_model(path)
    compile_model(unreplicated)
    out["evaluate_unreplicated"] = [float(v) for v in unreplicated.evaluate(evaluation, verbose=0)]
    with strategy.scope():
        replicated = tf.keras.models.load_model(path)
        compile_model(replicated)
        out["evaluate_replicated"] = [float(v) for v in replicated.evaluate(evaluation, verbose=0)]
    # On the loaded model (its optimizer fresh): load_weights restores no optimizer state in ferroflow yet.
    out["train_on_batch"] = [float(v) for v in replicated.train_on_batch(X[:8], Y[:8])]
    out["test_on_batch"] = [float(v) for v in replicated.test_on_batch(X[:8], Y[:8])]
    return out


CASES = {
    **{
        f"fit_r{replicas}_n{samples}_{optimizer}": (fit_case, (replicas, samples, optimizer))
        for replicas in (1, 2)
        for samples in (40, 43)
        for optimizer in ("sgd", "adam")
    },
    **{
        f"step_r{replicas}_{'super' if use_super else 'own'}": (custom_step_case, (replicas, use_super))
        for replicas in (1, 2)
        for use_super in (False, True)
    },
    **{f"tutorial_r{replicas}": (tutorial_loop_case, (replicas,)) for replicas in (1, 2)},
    **{f"keras_tutorial_r{replicas}": (keras_tutorial_case, (replicas,)) for replicas in (1, 2)},
    **{
        f"loop_r{replicas}_{'fn' if from_function else 'ds'}": (custom_loop_case, (replicas, from_function))
        for replicas in (1, 2)
        for from_function in (False, True)
    },
}


def run_case(tf, name: str) -> dict:
    """The results of case ``name`` of ``CASES`` (files it writes go to a temporary directory)."""
    import tempfile

    fn, args = CASES[name]
    if fn is keras_tutorial_case:
        with tempfile.TemporaryDirectory() as directory:
            return fn(tf, *args, directory)
    return fn(tf, *args)
