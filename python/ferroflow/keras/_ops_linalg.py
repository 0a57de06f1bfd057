"""``keras.ops``'s linear algebra (``keras.ops.linalg``): factorizations, solves, inverses and determinants, with Keras 3's signatures."""

from __future__ import annotations

__all__: list = []
