"""TensorFlow's "tf.data: Build TensorFlow input pipelines" guide run cell by cell with ``import ferroflow as tf``
(cells and TensorFlow 2.21's texts in ``guide_data_cells.py``, the Keras section in ``test_guide_data_keras.py``).

Changes from the notebook, made identically for both libraries: every download (flower photos, FSNS TFRecord,
Iliad texts, Titanic CSV, credit-card CSV) is replaced by local files of the same structure written by
``guide_data_files.py`` into a temporary directory (printed as ``ROOT``), and Fashion-MNIST by MNIST from
``FERROFLOW_DATASETS``; pandas is not installed, so ``pd.read_csv`` is a small NumPy reader giving the same
dict of columns and ``df.head()`` is left out; SciPy's ``ndimage.rotate`` is ``np.rot90``; matplotlib calls are
left out (the cells keep their prints); ``%%writefile`` is ``open().write``; the iterator checkpoint goes to the
temporary directory; the Estimator cells are left out (TensorFlow 2.21 has no ``tf.estimator``).

Random cells (uniform integers, NumPy normals, shuffles, ``list_files`` order, ``make_csv_dataset`` rows,
dataset sampling) cannot print TensorFlow's values: ferroflow's random streams are not TensorFlow's. They are
compared with their numbers (and byte strings) masked, and their behaviour (same multiset of elements, a new
order each epoch, seeds repeatable, bounds such as "no index above 120") is checked in ``test_guide_data_shuffle.py``.
"""

from __future__ import annotations

import os
import re

import numpy as np
import pytest

import ferroflow as tf
from guide_cells import cell_indices, mask_numbers, run_cells
from guide_data_cells import CELLS
from guide_data_files import make_files
from mnist_data import SHARED, needs_mnist

pytestmark = needs_mnist


def masked(text: str) -> str:
    """The form of a random cell: numbers as N, byte strings as B."""
    return re.sub(r"\[ ", "[", mask_numbers(re.sub(r"b'[^']*'|b\"[^\"]*\"", "B", text)))


def numbers_collapsed(text: str) -> str:
    """The form of a cell printing NumPy normals of random lengths: each run of numbers as one N."""
    return re.sub(r"[-\d.\s]+", "N", re.sub(r"\[[-+\d.e\s]*\]", "[N]", text))


def flower_label(text: str) -> str:
    """The first flower file's bytes are the same for every file (JPEG headers); its class is random."""
    return re.sub(r"b'(daisy|roses|tulips)'", "b'LABEL'", text)


def any_flower(text: str) -> str:
    """``list_files`` shuffles: which five of the six files are printed is random."""
    return re.sub(r"(daisy|roses|tulips)/\d+_photo", "CLASS/N_photo", text)


RANDOM = {11: masked, 22: numbers_collapsed, 24: numbers_collapsed, 46: masked, 48: masked}
RANDOM.update({57: any_flower, 59: flower_label, 70: masked, 71: masked, 73: masked, 108: masked, 113: masked})
_NO_PIL = (
    "the TensorFlow 2.21 reference has no PIL, so Keras's flow_from_directory prints 'Found 6 images belonging "
    "to 3 classes.' and then fails in load_img; ferroflow decodes the JPEGs itself and gives the batch"
)
GAPS = {
    9: "the value type prints as ferroflow's class (ferroflow.framework.sparse_tensor.SparseTensor)",
    28: _NO_PIL,
    29: _NO_PIL + " (float32 (6, 256, 256, 3) and float32 (6, 3), where TensorFlow still shows the MNIST arrays)",
}


def run_guide_cells(cells: list, tmp_path_factory) -> list:
    root = tmp_path_factory.mktemp("guide_data")
    ns = make_files(tf, root, str(SHARED / "mnist"))
    cwd, printopts = os.getcwd(), np.get_printoptions()
    os.chdir(root)
    try:
        return [text.replace(str(root), "ROOT") for text in run_cells(cells, ns)]
    finally:
        os.chdir(cwd)
        np.set_printoptions(**printopts)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> list:
    return run_guide_cells(CELLS, tmp_path_factory)


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(outputs: list, index: int) -> None:
    form = RANDOM.get(index, lambda text: text)
    assert form(outputs[index]) == form(CELLS[index][1]), f"cell {index}:\n{CELLS[index][0]}"
