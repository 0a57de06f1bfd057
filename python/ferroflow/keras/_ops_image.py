"""``keras.ops.image``: Keras 3's image ops on ferroflow tensors."""

from __future__ import annotations

from ferroflow._api import public_dir as _public_dir

from ..ops.image_transform_ops import affine_transform

__all__ = ["affine_transform"]
__dir__ = _public_dir(globals())
