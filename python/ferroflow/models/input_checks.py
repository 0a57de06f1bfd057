"""Checks of the data given to ``fit``/``evaluate``/``predict`` that need the model, run before a plan is built.

The compiled plans are traced on placeholders whose batch axis is unknown, so a shape error raised while
tracing shows ``None`` for the batch size. Checking the real arrays first gives messages with the shapes
the user actually passed, e.g. ``expected shape=(None, 784), found shape=(32, 28, 28)``.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from ..framework import nest
from ..layers.input_spec import assert_input_compatibility


def check_inputs(model: Any, xs: list, structure: Any) -> None:
    """Raises ``ValueError`` naming the model and both shapes when ``xs`` cannot feed ``model``."""
    from .sequential import Sequential

    first = (getattr(model, "layers", None) or [None])[0]
    feature_layer = getattr(first, "_is_feature_layer", False)  # DenseFeatures takes the dict of features
    if isinstance(structure, dict) and isinstance(model, Sequential) and not feature_layer:
        raise ValueError(
            f"Sequential model '{model.name}' takes a single input array (or tensor); received a dict with keys "
            f"{sorted(structure)}. Pass the array itself, or use a functional model with named inputs."
        )
    spec = getattr(model, "input_spec", None)
    if spec is None or isinstance(structure, dict) or isinstance(spec, dict):
        return
    specs = nest.flatten(spec)
    if len(specs) != len(xs):
        raise ValueError(
            f"Model '{model.name}' expects {len(specs)} input(s), but it received {len(xs)} input arrays "
            f"with shapes {[tuple(a.shape) for a in xs]}"
        )
    packed = xs[0] if len(xs) == 1 and not isinstance(spec, (list, tuple)) else list(xs)
    # The arrays hold every sample; a fixed batch size (``Input(batch_size=16)``) is the batches', which fit
    # cuts later (as Keras, which checks each batch): the batch axis is not compared here.
    specs = [_any_batch(s) for s in specs]
    assert_input_compatibility(nest.pack_sequence_as(spec, specs) if len(specs) > 1 else specs[0], packed, model.name)


def _any_batch(spec: Any) -> Any:
    """``spec`` with its batch size left free."""
    if spec is None or not spec.shape or spec.shape[0] is None:
        return spec
    free = copy.copy(spec)
    free.shape = (None,) + tuple(spec.shape[1:])
    return free


def check_sparse_labels(loss: Any, y: np.ndarray) -> None:
    """Float labels for a sparse categorical loss must be whole numbers (NaN would silently become class 0)."""
    from ..losses.probabilistic import sparse_categorical_crossentropy

    if getattr(loss, "fn", None) is not sparse_categorical_crossentropy or y.dtype.kind != "f":
        return
    bad = ~np.isfinite(y) | (y != np.floor(y))
    if bad.any():
        at = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"Loss '{getattr(loss, 'name', 'sparse_categorical_crossentropy')}' expects integer class labels "
            f"in `y`; received the value {float(y[at])!r} at index {at[0] if len(at) == 1 else at} "
            f"(y has dtype {y.dtype} and shape {y.shape})"
        )
