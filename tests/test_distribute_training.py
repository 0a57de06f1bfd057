"""TensorFlow's distributed-training guides with ``import ferroflow as tf``: "Distributed training with Keras"
(a Keras model built and compiled in ``MirroredStrategy.scope()``, then fit) and "Custom training with
tf.distribute.Strategy" (``strategy.run`` in a tf.function, ``strategy.reduce(SUM, ..., axis=None)``,
``tf.nn.compute_average_loss`` and ``tf.nn.scale_regularization_loss``), on an MNIST subset read from
``FERROFLOW_DATASETS``. TensorFlow 2.21 runs the same code with one replica on a machine with one CPU.
As in the guide, the Keras metrics are updated inside ``strategy.run`` in the tf.function."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf
from mnist_data import load_mnist, needs_mnist


@pytest.fixture(scope="module")
def mnist():
    (x_train, y_train), (x_test, y_test) = load_mnist()
    # The guide's preprocessing: a channel axis and pixel values in [0, 1].
    train_images = (x_train[:2048, ..., None] / np.float32(255)).astype(np.float32)
    test_images = (x_test[:512, ..., None] / np.float32(255)).astype(np.float32)
    return train_images, y_train[:2048], test_images, y_test[:512]


@needs_mnist
def test_custom_training_loop_of_the_guide_lowers_the_loss(mnist):
    train_images, train_labels, test_images, test_labels = mnist
    strategy = tf.distribute.MirroredStrategy()
    assert strategy.num_replicas_in_sync == 1
    BATCH_SIZE_PER_REPLICA = 64
    GLOBAL_BATCH_SIZE = BATCH_SIZE_PER_REPLICA * strategy.num_replicas_in_sync
    train_dataset = (
        tf.data.Dataset.from_tensor_slices((train_images, train_labels)).shuffle(2048).batch(GLOBAL_BATCH_SIZE)
    )
    test_dataset = tf.data.Dataset.from_tensor_slices((test_images, test_labels)).batch(GLOBAL_BATCH_SIZE)
    train_dist_dataset = strategy.experimental_distribute_dataset(train_dataset)
    test_dist_dataset = strategy.experimental_distribute_dataset(test_dataset)

    def create_model():
        regularizer = tf.keras.regularizers.L2(1e-5)
        return tf.keras.Sequential(
            [
                tf.keras.layers.Conv2D(8, 3, activation="relu", kernel_regularizer=regularizer),
                tf.keras.layers.MaxPooling2D(),
                tf.keras.layers.Flatten(),
                tf.keras.layers.Dense(32, activation="relu", kernel_regularizer=regularizer),
                tf.keras.layers.Dense(10, kernel_regularizer=regularizer),
            ]
        )

    with strategy.scope():
        loss_object = tf.keras.losses.SparseCategoricalCrossentropy(
            from_logits=True, reduction=tf.keras.losses.Reduction.NONE
        )

        def compute_loss(labels, predictions, model_losses):
            per_example_loss = loss_object(labels, predictions)
            loss = tf.nn.compute_average_loss(per_example_loss, global_batch_size=GLOBAL_BATCH_SIZE)
            if model_losses:
                loss += tf.nn.scale_regularization_loss(tf.add_n(model_losses))
            return loss

        test_loss = tf.keras.metrics.Mean(name="test_loss")
        train_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")
        test_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="test_accuracy")
        model = create_model()
        optimizer = tf.keras.optimizers.Adam(learning_rate=0.001)
    assert model.distribute_strategy is strategy

    def train_step(inputs):
        images, labels = inputs
        with tf.GradientTape() as tape:
            predictions = model(images, training=True)
            loss = compute_loss(labels, predictions, model.losses)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        train_accuracy.update_state(labels, predictions)
        return loss

    def test_step(inputs):
        images, labels = inputs
        predictions = model(images, training=False)
        test_loss.update_state(loss_object(labels, predictions))
        test_accuracy.update_state(labels, predictions)

    @tf.function
    def distributed_train_step(dataset_inputs):
        per_replica_losses = strategy.run(train_step, args=(dataset_inputs,))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_losses, axis=None)

    @tf.function
    def distributed_test_step(dataset_inputs):
        return strategy.run(test_step, args=(dataset_inputs,))

    losses = []
    for _ in range(3):
        test_loss.reset_state()
        train_accuracy.reset_state()
        test_accuracy.reset_state()
        total_loss, num_batches = 0.0, 0
        for x in train_dist_dataset:
            total_loss += distributed_train_step(x)
            num_batches += 1
        losses.append(float(total_loss / num_batches))
        for x in test_dist_dataset:
            distributed_test_step(x)
    assert num_batches == 32
    assert losses[2] < losses[1] < losses[0] < 2.4, losses
    assert float(train_accuracy.result()) > 0.8
    assert float(test_accuracy.result()) > 0.8 and 0.0 < float(test_loss.result()) < 1.0

    # The guide's iterator form: next() on the distributed iterator feeds the same step.
    train_iter = iter(train_dist_dataset)
    step_losses = [float(distributed_train_step(next(train_iter))) for _ in range(4)]
    assert all(0.0 < v < losses[0] for v in step_losses)


@needs_mnist
def test_keras_model_compiled_in_the_scope_fits_and_evaluates(mnist):
    train_images, train_labels, test_images, test_labels = mnist
    tf.keras.utils.set_random_seed(0)  # 2 epochs on 2048 images left 2 of 8 seeds below the bound; 3 left none
    strategy = tf.distribute.MirroredStrategy()
    assert strategy.num_replicas_in_sync == 1
    BATCH_SIZE = 64 * strategy.num_replicas_in_sync
    train_dataset = tf.data.Dataset.from_tensor_slices((train_images, train_labels)).batch(BATCH_SIZE)
    eval_dataset = tf.data.Dataset.from_tensor_slices((test_images, test_labels)).batch(BATCH_SIZE)
    with strategy.scope():
        model = tf.keras.Sequential(
            [
                tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(28, 28, 1)),
                tf.keras.layers.MaxPooling2D(),
                tf.keras.layers.Flatten(),
                tf.keras.layers.Dense(32, activation="relu"),
                tf.keras.layers.Dense(10),
            ]
        )
        model.compile(
            loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            optimizer=tf.keras.optimizers.Adam(),
            metrics=["accuracy"],
        )
    assert model.distribute_strategy is strategy
    assert all(w.device == "/job:localhost/replica:0/task:0/device:CPU:0" for w in model.weights)
    history = model.fit(train_dataset, epochs=3, verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]
    eval_loss, eval_acc = model.evaluate(eval_dataset, verbose=0)
    assert eval_acc > 0.8 and eval_loss < 1.0
