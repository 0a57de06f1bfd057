"""``keras.preprocessing.image``: converting between PIL images and NumPy arrays (as ``keras.utils`` does) and
the legacy ``ImageDataGenerator`` augmentation."""

from __future__ import annotations

from ...utils.image_utils import array_to_img, img_to_array, load_img, save_img
from .image_data_generator import ImageDataGenerator
from .image_generator import DirectoryIterator, Iterator, NumpyArrayIterator, apply_affine_transform

__all__ = [
    "DirectoryIterator",
    "ImageDataGenerator",
    "Iterator",
    "NumpyArrayIterator",
    "apply_affine_transform",
    "array_to_img",
    "img_to_array",
    "load_img",
    "save_img",
]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
