"""Utilities, like ``keras.utils``."""

from __future__ import annotations

from .get_file import get_file
from .progbar import Progbar

__all__ = ["Progbar", "get_file"]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
