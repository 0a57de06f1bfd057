"""TensorFlow's "Multilayer perceptrons for digit recognition with Core APIs" guide run cell by cell with
``import ferroflow as tf`` on an MNIST subset (cells and changes in ``guide_core_mlp_cells``). The training
log, the test accuracy and the per-digit breakdown follow the random initial weights, so they are compared
masked (the breakdown's digit order too); below, the loss must fall, accuracies end high, and the saved
model must classify the test set as the model does.
"""

from __future__ import annotations

import numpy as np
import pytest

from guide_core_cells import guide_test
from guide_core_mlp_cells import MODEL_CELLS
from guide_core_mlp_training_cells import TRAINING_CELLS
from mnist_data import load_mnist, needs_mnist

pytestmark = [needs_mnist, pytest.mark.slow]  # ten epochs of a 784-700-500-10 MLP: about 20 s here

CELLS = MODEL_CELLS + TRAINING_CELLS
guide, test_cell = guide_test(
    CELLS, varying={16, 22, 23}, namespace=lambda: {"load_mnist": load_mnist}, masks={23: r"Digit \d"}
)


def test_training_lowers_the_loss(guide: tuple) -> None:
    """TensorFlow's run: training loss 0.927 -> 0.023, validation accuracy 0.855 -> 0.921, test 0.933."""
    ns = guide[1]
    train = [float(v) for v in ns["train_losses"]]
    assert len(train) == 10 and train[-1] < 0.2 * train[0] and train[-1] < 0.1
    assert float(ns["train_accs"][-1]) > 0.97 and float(ns["val_accs"][-1]) > 0.88
    assert float(ns["test_acc"]) > 0.88


def test_saved_model_classifies_as_the_model(guide: tuple) -> None:
    ns = guide[1]
    classes = ns["test_classes"].numpy()
    assert classes.shape == (10000,) and classes.dtype == np.int64
    x = ns["x_test"].numpy().reshape(-1, 784).astype(np.float32) / 255
    logits = ns["mlp_model"](x).numpy()
    np.testing.assert_array_equal(classes, logits.argmax(axis=1))
    np.testing.assert_allclose(float(ns["test_acc"]), np.mean(classes == ns["y_test"].numpy()), rtol=1e-6)


def test_breakdown_lists_each_digit_by_rising_accuracy(guide: tuple) -> None:
    ns = guide[1]
    y, classes = ns["y_test"].numpy(), ns["test_classes"].numpy()
    per_digit = {d: np.mean(classes[y == d] == d) for d in range(10)}
    lines = guide[0][23].splitlines()[2:]
    assert len(lines) == len(ns["label_accs"])
    shown = [(int(line.split()[1][:-1]), float(line.split()[2])) for line in lines]
    assert [a for _, a in shown] == sorted(a for _, a in shown)
    for digit, acc in shown:
        assert abs(acc - per_digit[digit]) < 6e-4
