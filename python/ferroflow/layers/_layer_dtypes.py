"""The dtype side of ``Layer``: its Keras dtype policy, the autocast scope ``call`` runs in, and how call
inputs are converted and cast to the compute dtype."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.autocast_scope import AutocastScope, get_autocast_scope
from ..framework.dtypes import as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from . import dtype_policy


class LayerDTypes:
    """Keras's dtype policy on a layer: ``add_weight`` creates variables in ``variable_dtype``; calls compute in
    ``compute_dtype``, with float variables autocast to it while ``call`` runs."""

    autocast: bool
    _convert_input_args: bool

    @property
    def dtype_policy(self) -> dtype_policy.DTypePolicy:
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value: Any) -> None:
        policy = dtype_policy.get(value)
        self._dtype_policy = policy
        self._dtype = as_dtype(policy.variable_dtype)  # what add_weight creates
        self._compute = as_dtype(policy.compute_dtype)

    @property
    def dtype(self) -> str:
        """The variable dtype (Keras's alias of ``variable_dtype``)."""
        return self._dtype.name

    @property
    def compute_dtype(self) -> str:
        return self._compute.name

    @property
    def variable_dtype(self) -> str:
        return self._dtype.name

    @property
    def input_dtype(self) -> str:
        """The dtype floating inputs are cast to (the compute dtype)."""
        return self._compute.name

    def _autocast_scope(self) -> Optional[AutocastScope]:
        """The autocast scope ``call`` runs in (Keras's rule), or None to keep the current one."""
        current = get_autocast_scope()
        if current is not None:
            if not self.autocast or not self._compute.is_floating:
                return AutocastScope(None)
            if current.dtype != self._compute:
                return AutocastScope(self._compute)
            return None
        if self._compute != self._dtype and self._compute.is_floating:
            return AutocastScope(self._compute)
        return None

    def _convert_input(self, x: Any) -> Any:
        """A call input as a tensor: Python and NumPy values converted, floating ones cast to the compute
        dtype when the layer autocasts (Keras's rule); other objects as they are."""
        if isinstance(x, Variable):
            x = x.value()
        elif not isinstance(x, Tensor):
            if isinstance(x, (np.ndarray, list, float, int, np.generic)):
                arr = np.asarray(x)
                if arr.dtype.kind == "f" and self.autocast and self._convert_input_args:
                    arr = arr.astype(self._compute.as_numpy_dtype, copy=False)
                return convert_to_tensor(arr)
            return x
        if self.autocast and self._convert_input_args and x.dtype.is_floating and x.dtype != self._compute:
            from ..ops.array_ops import cast

            x = cast(x, self._compute)
        return x
