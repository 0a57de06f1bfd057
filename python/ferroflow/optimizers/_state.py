"""Optimizer state: slot variables, their initial values, saving and restoring them, weight-decay exclusions."""

from __future__ import annotations

import re
import warnings
from typing import Any, Optional, Sequence

import numpy as np

from ..framework import context
from ..framework.variables import Variable
from ._config import initial_value
from ._keras_order import keras_variables


class OptimizerState:
    """The variable bookkeeping of ``Optimizer`` (Keras's ``add_variable*``, ``set_weights``, ...)."""

    _keras_interleaved = 1  # how many of the first slot lists Keras 3 interleaves per variable (_keras_order)

    _variables: list
    _trainable_variables_indices: dict
    built: bool
    name: str

    def add_variable(
        self, shape: Any, initializer: Any = "zeros", dtype: Any = None, aggregation: str = "mean", name: Any = None
    ) -> Variable:
        """A non-trainable optimizer variable, created eagerly even while a graph is being built."""
        with context.eager_scope():
            value = initial_value(initializer, shape, dtype or "float32")
            variable = Variable(value, trainable=False, name=name or "optimizer_variable", dtype=dtype or "float32")
        variable._name_suffix = ""  # Keras's name, without TensorFlow's ":0"
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(
        self, reference_variable: Variable, name: Optional[str] = None, initializer: Any = "zeros"
    ) -> Variable:
        """A slot shaped and typed like ``reference_variable``, named ``<reference path>_<name>``."""
        base = str(getattr(reference_variable, "path", reference_variable.name)).replace("/", "_").replace(":", "_")
        return self.add_variable(
            shape=reference_variable.shape.as_list(),
            initializer=initializer,
            dtype=reference_variable.dtype,
            name=f"{base}_{name or 'var'}",
        )

    def add_optimizer_variables(
        self, trainable_variables: Sequence[Variable], name: str, initializer: Any = "zeros"
    ) -> list:
        """One slot per variable, in the variables' order."""
        return [self.add_variable_from_reference(v, name, initializer) for v in trainable_variables]

    def _get_variable_index(self, variable: Variable) -> int:
        return self._trainable_variables_indices[id(variable)]

    def _check_variables_are_known(self, variables: list) -> None:
        for v in variables:
            if id(v) not in self._trainable_variables_indices:
                raise ValueError(
                    f"Unknown variable: {v}. This optimizer can only be called for the variables it was originally "
                    "built with. When working with a new set of variables, you should recreate a new optimizer "
                    "instance."
                )

    def set_weights(self, weights: Sequence[Any]) -> None:
        if not self.built:
            raise ValueError("set_weights() needs a built optimizer: call optimizer.build(trainable_variables) first")
        if len(weights) != len(self._variables):
            raise ValueError(f"expected {len(self._variables)} weights, received {len(weights)}")
        for variable, weight in zip(self._variables, weights):
            weight = np.asarray(weight)
            if tuple(variable.shape) != weight.shape:
                raise ValueError(
                    f"Optimizer variable {variable.name} has shape {tuple(variable.shape)}, not compatible with "
                    f"provided weight shape {weight.shape}."
                )
            with context.eager_scope():
                variable.assign(weight.astype(variable.dtype.as_numpy_dtype))

    def save_own_variables(self, store: dict) -> None:
        """The variables as ``store["0"]``, ``store["1"]`` ... in Keras 3's order (see ``_keras_order``)."""
        for i, variable in enumerate(keras_variables(self) or self._variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store: Any) -> None:
        if len(store.keys()) != len(self._variables):
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}', because it has {len(self._variables)} "
                f"variables whereas the saved optimizer has {len(store.keys())} variables.",
                stacklevel=2,
            )
            return
        order = keras_variables(self) or self._variables
        position = {id(v): i for i, v in enumerate(order)}
        self.set_weights([store[str(position[id(v)])] for v in self._variables])

    def exclude_from_weight_decay(self, var_list: Optional[list] = None, var_names: Optional[list] = None) -> None:
        """Excludes variables (by object, or by a substring of their name) from weight decay; call before build."""
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before the optimizer is built.")
        self._exclude_ids = {id(v) for v in var_list or []}
        self._exclude_pattern = re.compile("|".join(set(var_names))) if var_names else None

    def _use_weight_decay(self, variable: Variable) -> bool:
        if id(variable) in getattr(self, "_exclude_ids", ()):
            return False
        pattern = getattr(self, "_exclude_pattern", None)
        return pattern is None or re.search(pattern, variable.name) is None
