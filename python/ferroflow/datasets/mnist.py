"""MNIST handwritten digits: ``load_data()`` like ``keras.datasets.mnist.load_data``."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Tuple

from ._idx_dataset import DatasetNotFoundError, IdxDataset, Split

__all__ = ["load_data", "dataset_dir", "MnistNotFoundError"]


class MnistNotFoundError(DatasetNotFoundError):
    """MNIST is neither in the local dataset folder nor downloadable (e.g. no internet)."""


NPZ_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
NPZ_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
IDX_BASE_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"
MNIST = IdxDataset(
    title="MNIST",
    folder="mnist",
    npz_url=NPZ_URL,
    npz_sha256=NPZ_SHA256,
    idx_base_url=IDX_BASE_URL,
    idx_md5={
        "x_train": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
        "y_train": "d53e105ee54ea40749a09fcbcd1e9432",
        "x_test": "9fb629c4189551a2d022fa330f9573f3",
        "y_test": "ec29112dd5afa0611ce80d1b7f02629c",
    },
    not_found=MnistNotFoundError,
    labels="a digit 0-9",
)
# key -> (file name, md5 of the original file, rank)
IDX_FILES: Dict[str, Tuple[str, str, int]] = MNIST.idx_files


def dataset_dir() -> Path:
    """The folder MNIST is read from and downloaded to: ``$FERROFLOW_DATASETS/mnist``.

    Without ``FERROFLOW_DATASETS`` this is ``~/.ferroflow/datasets/mnist``.
    """
    return MNIST.dataset_dir()


def load_data(path: str = "mnist.npz") -> Tuple[Split, Split]:
    """Load the MNIST dataset of 28x28 grey-level images of the digits 0-9.

    Like ``keras.datasets.mnist.load_data``: returns ``(x_train, y_train), (x_test, y_test)``,
    uint8 arrays of shapes (60000, 28, 28), (60000,), (10000, 28, 28) and (10000,), pixel
    values 0-255 and labels 0-9.

    The data is read from ``$FERROFLOW_DATASETS/mnist/`` (default
    ``~/.ferroflow/datasets/mnist/``), in this order of preference:

    1. ``path`` (default ``mnist.npz``, relative to that folder): a numpy archive with the
       arrays ``x_train``, ``y_train``, ``x_test`` and ``y_test`` (loaded without pickle);
    2. the four original IDX files ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
       ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte``, gzip-compressed (``.gz``)
       or not.

    Local files are trusted as they are: their headers and sizes are validated, but their
    checksums are *not* compared with the original distribution's (a rebuilt copy of a file,
    such as the training images in the project's shared dataset folder, is accepted).

    When neither is present, the data is downloaded into that folder: first ``mnist.npz`` from
    Google's TensorFlow mirror (SHA-256 verified), falling back to the IDX files from
    ``ossci-datasets`` (MD5 verified against the original files). Downloads are atomic: an
    interrupted download leaves no partial file behind.

    Args:
        path: file name of the ``.npz`` cache, relative to the MNIST folder.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``.

    Raises:
        MnistNotFoundError: (an ``OSError``) the data is not local and could not be
            downloaded; the message says which files to put where.
        ValueError: a local file is truncated or corrupt; the message names the file.
    """
    return MNIST.load(path)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
