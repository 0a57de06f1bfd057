"""Fashion-MNIST, Zalando's 28x28 grey images of clothing: ``load_data()`` like
``keras.datasets.fashion_mnist.load_data``."""

from __future__ import annotations

from pathlib import Path
from typing import Tuple

from ._idx_dataset import DatasetNotFoundError, IdxDataset, Split

__all__ = ["load_data", "dataset_dir", "FashionMnistNotFoundError"]


class FashionMnistNotFoundError(DatasetNotFoundError):
    """Fashion-MNIST is neither local nor downloadable (e.g. no internet)."""


FASHION_MNIST = IdxDataset(
    title="Fashion-MNIST",
    folder="fashion_mnist",
    npz_url=None,
    npz_sha256=None,
    idx_base_url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
    # the originals' checksums, from Fashion-MNIST's README
    idx_md5={
        "x_train": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "y_train": "25c81989df183df01b3e8a0aad5dffbe",
        "x_test": "bef4ecab320f06d8554ea6380940ec79",
        "y_test": "bb300cfdad3c16e7a12a480ee83cd310",
    },
    system_folders=("/usr/share/datasets/fashion-mnist",),  # Debian's dataset-fashion-mnist
    not_found=FashionMnistNotFoundError,
    labels="a class 0-9",
)


def dataset_dir() -> Path:
    """``$FERROFLOW_DATASETS/fashion_mnist`` (default ``~/.ferroflow/datasets/fashion_mnist``)."""
    return FASHION_MNIST.dataset_dir()


def load_data(path: str = "fashion_mnist.npz") -> Tuple[Split, Split]:
    """``(x_train, y_train), (x_test, y_test)``: 60,000 training and 10,000 test images, uint8 arrays of shape
    ``(N, 28, 28)``, and labels 0-9 (T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag,
    Ankle boot).

    Read from ``$FERROFLOW_DATASETS/fashion_mnist/`` (``path``, a ``.npz`` archive with the four arrays, or
    the four IDX files gzip-compressed or not), else from Debian's ``dataset-fashion-mnist`` package
    (``/usr/share/datasets/fashion-mnist``), else downloaded from Keras's mirror with the originals' MD5
    checked. Raises ``FashionMnistNotFoundError`` (an ``OSError``) saying where to put the files when none of
    these works.
    """
    return FASHION_MNIST.load(path)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
