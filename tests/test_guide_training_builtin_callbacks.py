# ruff: noqa: E501
"""Keras's "Training & evaluation with the built-in methods" guide, fourth part: callbacks,
checkpointing, learning-rate schedules and TensorBoard.

The expected texts are TensorFlow 2.21's (Keras 3), normalized as in ``guide_training_builtin_setup``;
the EarlyStopping cell's (None) stops after a number of epochs that depends on training, so its
text is checked line by line against the History it returns.
Two cells are added to the guide's: one trains with its ``LossHistory`` callback (which the guide
only defines) and one calls ``make_or_restore_model()`` again, which restores the checkpoint saved
by the cell before.
"""

from __future__ import annotations

import numpy as np
import pytest

from guide_training_builtin_setup import run_guide

CELLS = [
    (
        """\
model = get_compiled_model()

callbacks = [
    keras.callbacks.EarlyStopping(
        # Stop training when `val_loss` is no longer improving
        monitor="val_loss",
        # "no longer improving" being defined as "no better than 1e-2 less"
        min_delta=1e-2,
        # "no longer improving" being further defined as "for at least 2 epochs"
        patience=2,
        verbose=1,
    )
]
early_history = model.fit(
    x_train,
    y_train,
    epochs=20,
    batch_size=64,
    callbacks=callbacks,
    validation_split=0.2,
)
""",
        None,
    ),
    (
        """\
class LossHistory(keras.callbacks.Callback):
    def on_train_begin(self, logs):
        self.per_batch_losses = []

    def on_batch_end(self, batch, logs):
        self.per_batch_losses.append(logs.get("loss"))


loss_history = LossHistory()
model = get_compiled_model()
model.fit(x_train, y_train, batch_size=64, epochs=1, verbose=0, callbacks=[loss_history])
print(len(loss_history.per_batch_losses))
""",
        """\
79
""",
    ),
    (
        """\
model = get_compiled_model()

callbacks = [
    keras.callbacks.ModelCheckpoint(
        # Path where to save the model
        # The two parameters below mean that we will overwrite
        # the current checkpoint if and only if
        # the `val_loss` score has improved.
        # The saved model name will include the current epoch.
        filepath="mymodel_{epoch}.keras",
        save_best_only=True,  # Only save a model if `val_loss` has improved.
        monitor="val_loss",
        verbose=1,
    )
]
model.fit(
    x_train,
    y_train,
    epochs=2,
    batch_size=64,
    callbacks=callbacks,
    validation_split=0.2,
)
""",
        """\
Epoch 1/2
Epoch 1: val_loss improved from None to F, saving model to mymodel_1.keras

Epoch 1: finished saving model to mymodel_1.keras
63/63 [bar] - loss: F - sparse_categorical_accuracy: F - val_loss: F - val_sparse_categorical_accuracy: F
Epoch 2/2
Epoch 2: val_loss improved from F to F, saving model to mymodel_2.keras

Epoch 2: finished saving model to mymodel_2.keras
63/63 [bar] - loss: F - sparse_categorical_accuracy: F - val_loss: F - val_sparse_categorical_accuracy: F
<History object>
""",
    ),
    (
        """\
# Prepare a directory to store all the checkpoints.
checkpoint_dir = "./ckpt"
if not os.path.exists(checkpoint_dir):
    os.makedirs(checkpoint_dir)


def make_or_restore_model():
    # Either restore the latest model, or create a fresh one
    # if there is no checkpoint available.
    checkpoints = [
        checkpoint_dir + "/" + name for name in os.listdir(checkpoint_dir)
    ]
    if checkpoints:
        latest_checkpoint = max(checkpoints, key=os.path.getctime)
        print("Restoring from", latest_checkpoint)
        return keras.models.load_model(latest_checkpoint)
    print("Creating a new model")
    return get_compiled_model()


model = make_or_restore_model()
callbacks = [
    # This callback saves the model every 100 batches.
    # We include the training loss in the saved model name.
    keras.callbacks.ModelCheckpoint(
        filepath=checkpoint_dir + "/model-loss={loss:.2f}.keras", save_freq=100
    )
]
model.fit(x_train, y_train, epochs=1, callbacks=callbacks)
""",
        """\
Creating a new model
157/157 [bar] - loss: F - sparse_categorical_accuracy: F
<History object>
""",
    ),
    (
        """\
restored = make_or_restore_model()
restored.evaluate(x_test, y_test, verbose=0)[1] > 0.5
""",
        """\
Restoring from ./ckpt/model-loss=F.keras
True
""",
    ),
    (
        """\
initial_learning_rate = 0.1
lr_schedule = keras.optimizers.schedules.ExponentialDecay(
    initial_learning_rate, decay_steps=100000, decay_rate=0.96, staircase=True
)

optimizer = keras.optimizers.RMSprop(learning_rate=lr_schedule)
""",
        "",
    ),
    (
        """\
keras.callbacks.TensorBoard(
    log_dir="/full_path_to_your_logs",
    histogram_freq=0,  # How often to log histogram visualizations
    embeddings_freq=0,  # How often to log embedding visualizations
    update_freq="epoch",
)  # How often to write logs (default: once per epoch)
""",
        """\
<TensorBoard object>
""",
    ),
]


@pytest.fixture(scope="module")
def guide(tmp_path_factory) -> tuple:
    directory = tmp_path_factory.mktemp("guide")
    return (*run_guide(CELLS, directory), directory)


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_cell(guide: tuple, index: int) -> None:
    expected = CELLS[index][1] if CELLS[index][1] is not None else guide[0][index]
    assert "EXC" not in guide[0][index] and guide[0][index] == expected, f"cell {index}:\n{CELLS[index][0]}"


def test_early_stopping_prints_each_epoch_then_stops(guide: tuple) -> None:
    """As Keras prints it: one "Epoch k/20" and one full bar per epoch run, then
    "Epoch K: early stopping" for the last one, K < 20 and at least patience + 1 = 3."""
    index = next(i for i, (_, text) in enumerate(CELLS) if text is None)
    epochs = len(guide[1]["early_history"].history["loss"])
    bar = "63/63 [bar] - loss: F - sparse_categorical_accuracy: F - val_loss: F - val_sparse_categorical_accuracy: F"
    lines = [line for k in range(1, epochs + 1) for line in (f"Epoch {k}/20", bar)]
    assert 3 <= epochs < 20
    assert guide[0][index] == "\n".join([*lines, f"Epoch {epochs}: early stopping", ""])


def test_multi_output_history_and_checkpoints(guide: tuple) -> None:
    ns, directory = guide[1], guide[2]
    assert {p.name for p in directory.glob("*.keras")} == {"mymodel_1.keras", "mymodel_2.keras"}
    (saved,) = (directory / "ckpt").iterdir()  # saved once, at batch 100 of 157
    assert saved.name.startswith("model-loss=") and len(saved.name) == len("model-loss=0.00.keras")
    assert ns["loss_history"].per_batch_losses[-1] < ns["loss_history"].per_batch_losses[0]
    assert float(ns["lr_schedule"](0)) == pytest.approx(0.1)
    assert float(ns["lr_schedule"](100000)) == pytest.approx(0.096)
    assert float(ns["lr_schedule"](150000)) == pytest.approx(0.096)  # staircase
    probabilities = ns["restored"].predict(ns["x_test"][:3], verbose=0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
