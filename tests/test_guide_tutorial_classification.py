"""TensorFlow's tutorial "Basic classification: Classify images of clothing": each code cell run in order under
ferroflow on the local Fashion-MNIST, its printed text compared with what TensorFlow 2.21 prints for the same
cell (``guide_tutorial_classification_expected``, recorded by ``tests/data/record_tensorflow_tutorials.py``).

Training follows the random initial weights, so the version line, progress bars, losses, accuracies and
probabilities are compared with numbers masked (``keras_form``), and in the cells that show what the model
predicts for each test image the predicted class is masked too (which class a hard image like number 12 gets
differs from run to run, in TensorFlow as well); the true labels stay compared. Below, the trained model must
classify the test set about as well as TensorFlow's does.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from guide_cells import fresh_run, keras_form, run_cells
from guide_tutorial_classification_cells import CELLS
from guide_tutorial_classification_expected import EXPECTED

LOCAL = [Path(os.environ.get("FERROFLOW_DATASETS", "~/.ferroflow/datasets")).expanduser() / "fashion_mnist"]
LOCAL.append(Path("/usr/share/datasets/fashion-mnist"))
pytestmark = pytest.mark.skipif(not any(p.is_dir() for p in LOCAL), reason="Fashion-MNIST is not installed")

RANDOM_CELLS = {0, 13, 14, 16, 17, 21, 22, 23, 26, 27}
PREDICTION_CELLS = {21, 22, 23}


def screen(text: str) -> str:
    """An object's default repr without its module path and address (``<keras.src.callbacks.history.History
    object at 0x7f...>`` is ``<History object>``): where a class lives and its address differ by design."""
    return re.sub(r"<[\w.]+\.(\w+) object at 0x[0-9a-f]+>", r"<\1 object>", text)


def predictions_form(text: str) -> str:
    """``plot_image``'s caption without the predicted class and its colour, the true label kept."""
    return re.sub(r"\) [A-Za-z/ -]+ N% \(([A-Za-z/ -]+)\) (blue|red)", r") P N% (\1)", text)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> tuple:
    ns: dict = {}
    with fresh_run(tmp_path_factory.mktemp("classification")):
        return run_cells([(code, None) for code in CELLS], ns), ns


def test_expected_recorded_for_each_cell() -> None:
    assert len(EXPECTED) == len(CELLS)


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_cell(outputs: tuple, index: int) -> None:
    got, want = screen(outputs[0][index]), screen(EXPECTED[index])
    if index in RANDOM_CELLS:
        got, want = keras_form(got), keras_form(want)
    if index in PREDICTION_CELLS:
        got, want = predictions_form(got), predictions_form(want)
    assert got == want, f"cell {index}:\n{CELLS[index]}"


def test_trained_model_classifies_the_test_set(outputs: tuple) -> None:
    """TensorFlow's run: test accuracy 0.88 after 10 epochs; 14 of the first 15 test images right."""
    import numpy as np

    ns = outputs[1]
    assert 0.85 < ns["test_acc"] < 0.95
    predicted = np.argmax(ns["predictions"], axis=1)
    assert np.mean(predicted == ns["test_labels"]) == pytest.approx(ns["test_acc"], abs=1e-4)
    np.testing.assert_allclose(ns["predictions"].sum(axis=1), 1.0, rtol=1e-5)
    assert np.sum(predicted[:15] == ns["test_labels"][:15]) >= 12
