"""``keras.ops``'s further neural-network ops (activations, normalizations, attention, transposed convolution, pixel shuffles, adaptive pooling), with Keras 3's signatures."""

from __future__ import annotations

__all__: list = []
