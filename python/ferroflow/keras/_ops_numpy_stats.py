"""``keras.ops``'s NumPy-named statistics, searches and sets (medians and quantiles, nan-ignoring reductions, histograms, ``unique``, ``searchsorted``), with Keras 3's signatures and result dtypes."""

from __future__ import annotations

__all__: list = []
