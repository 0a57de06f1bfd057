"""TensorFlow's "Logistic regression for binary classification with Core APIs" guide run cell by cell with
``import ferroflow as tf`` (cells and changes in ``guide_core_logreg_cells``). Cells whose digits follow the
random streams (initial weights, the dataset shuffle) are compared masked; what their numbers should do is
checked below: the log loss falls, accuracy ends high, and the saved model classifies as the model does.
"""

from __future__ import annotations

import numpy as np

from guide_core_cells import guide_test
from guide_core_logreg_cells import CELLS

guide, test_cell = guide_test(CELLS, varying={10, 13, 14, 15, 20})


def test_untrained_model_outputs_probabilities(guide: tuple) -> None:
    y = guide[1]["y_pred"].numpy()
    assert y.shape == (5,) and y.dtype == np.float32 and np.all((y > 0) & (y < 1))


def test_training_lowers_the_log_loss_and_classifies_well(guide: tuple) -> None:
    """On this table TensorFlow goes from a log loss of 0.832 (epoch 0) to 0.147, accuracy 0.943 (train) and
    0.930 (test)."""
    ns = guide[1]
    train, test = [float(v) for v in ns["train_losses"]], [float(v) for v in ns["test_losses"]]
    assert len(train) == len(test) == 200
    assert train[-1] < 0.5 * train[0] and train[-1] < 0.25 and test[-1] < 0.3
    assert float(ns["train_accs"][-1]) > 0.9 and float(ns["test_accs"][-1]) > 0.88
    # The accuracy the loop reports is the share of thresholded predictions equal to the labels.
    acc = np.mean(ns["test_classes"].numpy() == ns["y_test"].numpy())
    np.testing.assert_allclose(float(ns["accuracy"](ns["log_reg"](ns["x_test_norm"]), ns["y_test"])), acc, rtol=1e-6)


def test_log_loss_matches_numpy(guide: tuple) -> None:
    ns = guide[1]
    z, y = ns["log_reg"](ns["x_test_norm"]).numpy().astype(np.float64), ns["y_test"].numpy()
    expected = np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
    np.testing.assert_allclose(
        float(ns["log_loss"](ns["log_reg"](ns["x_test_norm"]), ns["y_test"])), expected, rtol=1e-5
    )


def test_saved_model_classifies_as_the_model(guide: tuple) -> None:
    ns = guide[1]
    got = ns["test_preds"].numpy()
    assert got.shape == (142,) and got.dtype == np.float32 and set(np.unique(got)) <= {0.0, 1.0}
    np.testing.assert_array_equal(got, ns["test_classes"].numpy())
    np.testing.assert_array_equal(got, ns["log_reg_export"](ns["x_test"]).numpy())
