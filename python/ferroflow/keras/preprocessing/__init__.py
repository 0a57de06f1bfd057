"""``keras.preprocessing``: the legacy home of ``pad_sequences`` (``keras.preprocessing.sequence``), the image
array helpers and the ``*_dataset_from_*`` utilities, kept because guides and older code still import them
from here; each name is the same object as in ``keras.utils``."""

from __future__ import annotations

from ...utils.image_dataset import image_dataset_from_directory
from ...utils.text_dataset import text_dataset_from_directory
from ...utils.timeseries_dataset import timeseries_dataset_from_array
from . import image, sequence

__all__ = [
    "image",
    "image_dataset_from_directory",
    "sequence",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), "image", "sequence")
