"""Whether weight arrays read from a file fit a layer's variables (count and shapes), and assigning them."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np


def check_fit(variables: Sequence[Any], arrays: Sequence[np.ndarray], where: str) -> None:
    """Raises ValueError, prefixed with ``where`` (the file and the layer), unless ``arrays`` has one array per
    variable in ``variables`` with that variable's shape: checked before anything is assigned, so that a file
    that does not fit leaves the model as it was."""
    if len(arrays) != len(variables):
        raise ValueError(
            f"{where}: the file holds {len(arrays)} weights, ferroflow's layer has {len(variables)} "
            f"({', '.join(v.name for v in variables) or 'none'})"
        )
    for var, array in zip(variables, arrays):
        if tuple(array.shape) != tuple(var.shape):
            raise ValueError(
                f"{where}: weight '{var.name}' has shape {tuple(var.shape)}, which is not compatible "
                f"with the file's shape {tuple(array.shape)}"
            )


def assign(variables: Sequence[Any], arrays: Sequence[np.ndarray]) -> None:
    """Assigns each array to its variable, in the variable's dtype."""
    for var, array in zip(variables, arrays):
        var.assign(array.astype(var.dtype.as_numpy_dtype, copy=False))
