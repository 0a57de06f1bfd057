"""``keras.preprocessing.image``: converting between PIL images and NumPy arrays (as ``keras.utils`` does)."""

from __future__ import annotations

from ...utils.image_utils import array_to_img, img_to_array

__all__ = ["array_to_img", "img_to_array"]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
