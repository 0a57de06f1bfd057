"""Restoring a name-based checkpoint: every value is checked against its variable before any is assigned."""

from __future__ import annotations

import os
from typing import Any, Dict, Optional

import numpy as np

from ... import errors
from ...framework import context
from ...train import _format
from .saver_def import _restore_error


def restore_by_name(names: Optional[Dict[str, Any]], save_path: Optional[str]) -> None:
    """Assigns each variable of ``names`` (checkpoint key -> variable) its value from checkpoint ``save_path``.

    Raises ValueError (no checkpoint), NotFoundError (a key missing) or InvalidArgumentError (a shape or dtype
    differing) as TF1's ``Saver.restore`` does, before anything is assigned.
    """
    if save_path is None:
        raise ValueError("Can't load save_path when it is None.")
    prefix = os.fspath(save_path)
    if not _format.exists(prefix):
        raise ValueError("The passed save_path is not a valid checkpoint: " + prefix)
    values, _ = _format.read(prefix)
    assert names is not None  # a saver built before restoring
    values = _with_keras2_depthwise_names(names, values)
    missing = [key for key in names if key not in values]
    if missing:
        raise errors.NotFoundError(
            _restore_error(
                "a Variable name or other graph key that is missing",
                f"Key {missing[0]} not found in checkpoint {prefix}: the checkpoint lacks the variables "
                f"{missing}; it holds {sorted(values)}",
            )
        )
    todo = []
    for key, var in names.items():
        value = np.asarray(values[key])
        if list(value.shape) != var.shape.as_list():
            raise errors.InvalidArgumentError(
                _restore_error(
                    "a mismatch between the current graph and the graph",
                    f"Assign requires shapes of both tensors to match. lhs shape= {var.shape.as_list()} rhs shape= "
                    f"{list(value.shape)} (variable {var.name}, checkpoint key {key})",
                )
            )
        if value.dtype != var.dtype.as_numpy_dtype:
            raise errors.InvalidArgumentError(
                _restore_error(
                    "a mismatch between the current graph and the graph",
                    f"tensor_name = {key}; expected dtype {var.dtype.name} does not equal original dtype "
                    f"{value.dtype.name}",
                )
            )
        todo.append((var, value))
    with context.eager_scope():
        for var, value in todo:
            var.assign(value)


def _with_keras2_depthwise_names(names: Dict[str, Any], values: Dict[str, Any]) -> Dict[str, Any]:
    """``values`` with a ``<layer>/depthwise_kernel`` value also under ``<layer>/kernel`` for a wanted key the
    file lacks: depthwise layers' kernels were named ``depthwise_kernel`` (Keras 2, and ferroflow's files
    written before it followed Keras 3), ``kernel`` now."""
    out = values
    for key in names:
        if key in values or not key.endswith("/kernel"):
            continue
        old = key[: -len("kernel")] + "depthwise_kernel"
        if old in values and old not in names:
            out = dict(out) if out is values else out
            out[key] = values[old]
    return out
