"""``keras.ops``'s NumPy-named array builders, splitters and elementwise functions (diagonals, windows, bitwise ops, ``kron``, ``cross``), with Keras 3's signatures and result dtypes."""

from __future__ import annotations

__all__: list = []
