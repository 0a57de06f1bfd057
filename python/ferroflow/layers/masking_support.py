"""Keras masks: a boolean tensor carried on a tensor as ``_keras_mask`` and handed from layer to layer.

A layer whose ``call`` takes ``mask`` receives the mask of its (only) tensor argument; one whose ``call``
takes ``<arg>_mask`` (``query_mask`` ...) receives that argument's mask. After the call, a layer that
``supports_masking`` attaches ``compute_mask(inputs, previous_mask)`` to its outputs, as Keras 3 does.
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any, Optional

from ..framework import nest

_CONTEXT_ARGS = ("training", "mask")


def get_mask(x: Any) -> Any:
    """The mask attached to ``x`` (``None`` when it has none)."""
    return getattr(x, "_keras_mask", None)


def set_mask(x: Any, mask: Any) -> None:
    """Attaches ``mask`` to ``x``; objects that cannot carry one (sparse, ragged, NumPy) are left alone."""
    try:
        x._keras_mask = mask
    except AttributeError:
        pass


def keep_mask(original: Any, converted: Any) -> Any:
    """``converted`` carrying ``original``'s mask (an input cast to the layer's dtype keeps its mask)."""
    mask = get_mask(original)
    if mask is not None and converted is not original and get_mask(converted) is None:
        set_mask(converted, mask)
    return converted


def _is_tensor(x: Any) -> bool:
    from ..framework.tensor import Tensor

    return isinstance(x, Tensor) or getattr(x, "_is_keras_tensor", False)


def _tensor_arg(value: Any) -> bool:
    if _is_tensor(value):
        return True
    if isinstance(value, (list, tuple, dict)) and value:
        flat = nest.flatten(value)
        return all(v is None or _is_tensor(v) for v in flat) and any(_is_tensor(v) for v in flat)
    return False


def _call_signature(layer: Any) -> Optional[inspect.Signature]:
    """``call``'s signature when it names a mask argument (cached on the layer), else None."""
    cached = layer.__dict__.get("_mask_signature", False)
    if cached is not False:
        return cached
    sig = inspect.signature(layer.call)
    names = [n for n, p in sig.parameters.items() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    found = sig if any(n == "mask" or n.endswith("_mask") for n in names) else None
    layer.__dict__["_mask_signature"] = found
    return found


def populate_mask_args(layer: Any, args: tuple, kwargs: dict) -> Any:
    """Fills ``mask=`` / ``<arg>_mask=`` in ``kwargs`` from the tensors' masks; returns the previous mask."""
    sig = _call_signature(layer)
    if sig is not None:
        try:
            bound = sig.bind(*args, **kwargs).arguments
        except TypeError:
            bound = None  # ``call`` will raise the clear error itself
        if bound is not None:
            tensors = {k: v for k, v in bound.items() if k not in _CONTEXT_ARGS and _tensor_arg(v)}
            if len(tensors) == 1:
                if "mask" in sig.parameters and bound.get("mask") is None:
                    masks = nest.map_structure(get_mask, next(iter(tensors.values())))
                    if any(m is not None for m in nest.flatten(masks)):
                        kwargs["mask"] = masks
            else:
                for name, value in tensors.items():
                    key = f"{name}_mask"
                    if key in sig.parameters and bound.get(key) is None:
                        masks = nest.map_structure(get_mask, value)
                        if any(m is not None for m in nest.flatten(masks)):
                            kwargs[key] = masks
    if kwargs.get("mask") is not None:
        return kwargs["mask"]
    return nest.map_structure(get_mask, args[0])


def attach_output_masks(layer: Any, inputs: Any, outputs: Any, previous_mask: Any) -> None:
    """Sets ``layer.compute_mask(inputs, previous_mask)`` on the outputs that carry no mask yet."""
    if not layer.supports_masking:
        if any(m is not None for m in nest.flatten(previous_mask)):
            warnings.warn(
                f"Layer '{layer.name}' (of type {type(layer).__name__}) was passed an input with a mask attached to "
                "it. However, this layer does not support masking and will therefore destroy the mask information. "
                "Downstream layers will not see the mask.",
                UserWarning,
                stacklevel=3,
            )
        return
    flat_outputs = nest.flatten(outputs)
    if all(get_mask(x) is not None for x in flat_outputs):
        return
    masks = layer.compute_mask(inputs, previous_mask)
    if masks is None:
        return
    for tensor, mask in zip(flat_outputs, nest.flatten(masks)):
        if mask is not None and get_mask(tensor) is None:
            set_mask(tensor, mask)
