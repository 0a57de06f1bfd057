"""TensorFlow's custom training loops with Keras metrics inside ``tf.function``, with ``import ferroflow as tf``:
"TensorFlow 2 quickstart for experts" (a subclassed model, ``train_loss(loss)`` and
``train_accuracy(labels, predictions)`` in the traced steps, ``reset_state()`` each epoch) and "Writing a training
loop from scratch" (``update_state`` in the traced train/test steps, ``result()`` read inside and outside them),
on an MNIST subset read from ``FERROFLOW_DATASETS``. Models are smaller than the guides' to keep the file fast."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.keras import Model
from ferroflow.keras.layers import Conv2D, Dense, Flatten
from mnist_data import load_mnist, needs_mnist


@pytest.fixture(scope="module")
def mnist():
    (x_train, y_train), (x_test, y_test) = load_mnist()
    return (x_train[:768], y_train[:768]), (x_test[:256], y_test[:256])


@needs_mnist
def test_quickstart_for_experts(mnist, capsys):
    tf.random.set_seed(0)
    (x_train, y_train), (x_test, y_test) = mnist
    x_train, x_test = x_train / 255.0, x_test / 255.0
    # Add a channels dimension
    x_train = x_train[..., tf.newaxis].astype("float32")
    x_test = x_test[..., tf.newaxis].astype("float32")
    train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(10000).batch(32)
    test_ds = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(32)

    class MyModel(Model):
        def __init__(self):
            super().__init__()
            self.conv1 = Conv2D(8, 3, activation="relu")
            self.flatten = Flatten()
            self.d1 = Dense(32, activation="relu")
            self.d2 = Dense(10)

        def call(self, x):
            x = self.conv1(x)
            x = self.flatten(x)
            x = self.d1(x)
            return self.d2(x)

    # Create an instance of the model
    model = MyModel()
    loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = tf.keras.optimizers.Adam()
    train_loss = tf.keras.metrics.Mean(name="train_loss")
    train_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")
    test_loss = tf.keras.metrics.Mean(name="test_loss")
    test_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="test_accuracy")

    @tf.function
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            # training=True is only needed if there are layers with different
            # behavior during training versus inference (e.g. Dropout).
            predictions = model(images, training=True)
            loss = loss_object(labels, predictions)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))

        train_loss(loss)
        train_accuracy(labels, predictions)

    @tf.function
    def test_step(images, labels):
        # training=False is only needed if there are layers with different
        # behavior during training versus inference (e.g. Dropout).
        predictions = model(images, training=False)
        t_loss = loss_object(labels, predictions)

        test_loss(t_loss)
        test_accuracy(labels, predictions)

    EPOCHS = 2
    history = []
    for epoch in range(EPOCHS):
        # Reset the metrics at the start of the next epoch
        train_loss.reset_state()
        train_accuracy.reset_state()
        test_loss.reset_state()
        test_accuracy.reset_state()

        for images, labels in train_ds:
            train_step(images, labels)

        for test_images, test_labels in test_ds:
            test_step(test_images, test_labels)

        print(
            f"Epoch {epoch + 1}, "
            f"Loss: {train_loss.result():0.2f}, "
            f"Accuracy: {train_accuracy.result() * 100:0.2f}, "
            f"Test Loss: {test_loss.result():0.2f}, "
            f"Test Accuracy: {test_accuracy.result() * 100:0.2f}"
        )
        history.append([float(m.result()) for m in (train_loss, train_accuracy, test_loss, test_accuracy)])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(",")[0] for line in lines] == ["Epoch 1", "Epoch 2"]
    assert f"Loss: {history[1][0]:0.2f}, Accuracy: {history[1][1] * 100:0.2f}," in lines[1]
    (loss1, acc1, tloss1, tacc1), (loss2, acc2, tloss2, tacc2) = history
    assert loss2 < loss1 and acc2 > acc1 and tacc2 >= tacc1 and tloss2 < tloss1, history
    assert acc2 > 0.75 and tacc2 > 0.7, history
    # An independent check of the accuracy the metric accumulated on the test set.
    logits = np.concatenate([model(x, training=False).numpy() for x, _ in test_ds])
    assert float(test_accuracy.result()) == pytest.approx(np.mean(logits.argmax(-1) == y_test), abs=1e-6)


@needs_mnist
def test_writing_a_training_loop_from_scratch(mnist):
    tf.random.set_seed(1)
    keras, layers = tf.keras, tf.keras.layers
    (x_train, y_train), (x_test, y_test) = mnist
    x_train = np.reshape(x_train, (-1, 784)).astype("float32") / 255.0
    x_test = np.reshape(x_test, (-1, 784)).astype("float32") / 255.0
    # Reserve 128 samples for validation.
    x_val, y_val = x_train[-128:], y_train[-128:]
    x_train, y_train = x_train[:-128], y_train[:-128]
    batch_size = 64
    train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(1024).batch(batch_size)
    val_dataset = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(batch_size)

    inputs = keras.Input(shape=(784,), name="digits")
    x1 = layers.Dense(32, activation="relu")(inputs)
    outputs = layers.Dense(10, name="predictions")(x1)
    model = keras.Model(inputs=inputs, outputs=outputs)
    optimizer = keras.optimizers.Adam(learning_rate=3e-3)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    train_acc_metric = keras.metrics.SparseCategoricalAccuracy()
    val_acc_metric = keras.metrics.SparseCategoricalAccuracy()

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss_value = loss_fn(y, logits)
        grads = tape.gradient(loss_value, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        train_acc_metric.update_state(y, logits)
        return {"loss": loss_value, "accuracy": train_acc_metric.result()}

    @tf.function
    def test_step(x, y):
        val_logits = model(x, training=False)
        val_acc_metric.update_state(y, val_logits)

    train_accs, val_accs = [], []
    for _epoch in range(3):
        seen, correct = 0, 0.0
        for x_batch_train, y_batch_train in train_dataset:
            logs = train_step(x_batch_train, y_batch_train)
            seen += len(y_batch_train)
            # result() inside the step is the running accuracy of the epoch so far.
            running = float(logs["accuracy"])
            assert float(train_acc_metric.result()) == running
            correct = running * seen
        assert correct == pytest.approx(round(correct), abs=1e-3)
        # Display metrics at the end of each epoch, then reset them.
        train_accs.append(float(train_acc_metric.result()))
        train_acc_metric.reset_state()
        for x_batch_val, y_batch_val in val_dataset:
            test_step(x_batch_val, y_batch_val)
        val_accs.append(float(val_acc_metric.result()))
        val_acc_metric.reset_state()
    assert train_accs[0] < train_accs[1] < train_accs[2] and train_accs[2] > 0.8, train_accs
    assert val_accs[2] > val_accs[0] and val_accs[2] > 0.7, val_accs
    assert float(train_acc_metric.result()) == 0.0 and float(val_acc_metric.result()) == 0.0


def test_customizing_what_happens_in_fit_with_metrics_updated_in_the_traced_train_step():
    # Keras's "Customizing what happens in fit()": fit traces the overridden train_step with tf.function.
    keras = tf.keras
    tf.keras.utils.set_random_seed(2)

    class CustomModel(keras.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.loss_tracker = keras.metrics.Mean(name="loss")
            self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")

        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = keras.losses.MeanSquaredError()(y, y_pred)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.loss_tracker.update_state(loss)
            self.mae_metric.update_state(y, y_pred)
            return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

        @property
        def metrics(self):
            return [self.loss_tracker, self.mae_metric]

    inputs = keras.Input(shape=(8,))
    outputs = keras.layers.Dense(1)(inputs)
    model = CustomModel(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.05))
    rng = np.random.default_rng(0)
    x = rng.random((512, 8)).astype("float32")
    y = (x @ rng.normal(size=(8, 1))).astype("float32")
    history = model.fit(x, y, batch_size=64, epochs=3, verbose=0).history
    assert history["loss"][2] < history["loss"][1] < history["loss"][0], history
    assert history["mae"][2] < history["mae"][0], history
    # The logs are the metrics' running values over the last epoch (reset by fit at each epoch start).
    assert float(model.loss_tracker.result()) == pytest.approx(history["loss"][2], rel=1e-6)
    assert float(model.mae_metric.result()) == pytest.approx(history["mae"][2], rel=1e-6)
