"""Utilities, like ``keras.utils``."""

from __future__ import annotations

from .progbar import Progbar

__all__ = ["Progbar"]
