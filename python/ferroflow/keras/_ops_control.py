"""``keras.ops``'s control flow and signal ops (``scan``, ``associative_scan``, ``switch``, ``custom_gradient``, ``vectorize``, FFTs, ``stft``) on ferroflow tensors."""

from __future__ import annotations

__all__: list = []
