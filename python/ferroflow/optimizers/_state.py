"""Optimizer state: slot variables, their initial values, saving and restoring them, weight-decay exclusions."""

from __future__ import annotations

import contextlib
import re
import threading
import warnings
from typing import Any, Iterator, Optional, Sequence

import numpy as np

from ..framework import context
from ..framework.variables import Variable
from ..layers.keras_variable import KerasVariable
from ._config import initial_value

_scopes = threading.local()


@contextlib.contextmanager
def optimizer_scope(optimizer: Any) -> Iterator[None]:
    """Variables ``optimizer`` creates inside have paths under the optimizers whose scopes are open, as Keras 3's
    name scopes give them: a ``LossScaleOptimizer`` builds its inner optimizer's slots in its own scope
    (``loss_scale_optimizer/sgd/dense_kernel_momentum``)."""
    stack = _scopes.__dict__.setdefault("stack", [])
    entered = not stack or stack[-1] is not optimizer  # Keras enters an optimizer's own scope once
    if entered:
        stack.append(optimizer)
    try:
        yield
    finally:
        if entered:
            stack.pop()


def _variable_path(optimizer: Optional[Any], name: str) -> str:
    """``name`` under the open optimizer scopes and (unless None) ``optimizer``'s own."""
    stack = list(_scopes.__dict__.get("stack", []))
    if optimizer is not None and (not stack or stack[-1] is not optimizer):
        stack.append(optimizer)
    return "/".join([o.name for o in stack] + [name])


def slot_base(reference_variable: Any) -> str:
    """The prefix of a slot of ``reference_variable``, as Keras 3 makes it: a Keras weight's path
    (``sequential/dense/kernel`` -> ``sequential_dense_kernel``), else its name (``a:0`` -> ``a_0``)."""
    base = reference_variable.path if isinstance(reference_variable, KerasVariable) else reference_variable.name
    return str(base).replace("/", "_").replace(":", "_")


class OptimizerVariable(KerasVariable):
    """An optimizer's variable as Keras 3's: ``name`` is the name given (``iteration``,
    ``dense_kernel_momentum``), ``path`` is it under the optimizer's name (``adam/iteration``).

    A TF1 optimizer that keeps its state in a Keras optimizer renames the variables after TF1's slots
    (``w/Adam:0``, ``compat/v1/optimizer_slots.py``): once given the ``:0`` suffix they are named as
    ``tf.Variable``s."""

    @property
    def name(self) -> str:
        return self._keras_name if self._name_suffix == "" else self._name + self._name_suffix

    @property
    def path(self) -> str:
        return self._keras_path if self._name_suffix == "" else self._name


def optimizer_variable(optimizer: Optional[Any], value: Any, name: str, dtype: Any) -> OptimizerVariable:
    """A non-trainable variable of ``optimizer`` named ``name``, made eagerly even while a graph is built. With
    ``optimizer`` None its path has only the open scopes, as a Keras variable an optimizer makes itself rather
    than by ``add_variable`` (Nadam's product): ``nadam/variable`` when ``apply`` builds, ``variable`` when
    ``build`` is called directly."""
    path = _variable_path(optimizer, name)
    with context.eager_scope():
        return OptimizerVariable(value, dtype=dtype, trainable=False, autocast=False, name=name, path=path)


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
        variable = optimizer_variable(self, value, name or "variable", dtype or "float32")
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(
        self, reference_variable: Variable, name: Optional[str] = None, initializer: Any = "zeros"
    ) -> Variable:
        """A slot shaped and typed like ``reference_variable``, named ``<reference path>_<name>``
        (``slot_base``)."""
        base = slot_base(reference_variable)
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

    def _variables_in_creation_order(self) -> list:
        """The variables as they were made (each slot list whole): the order of ferroflow's older checkpoints."""
        return list(self._variables)

    def set_weights(self, weights: Sequence[Any]) -> None:
        """Assigns ``weights`` to ``self.variables``, in that (Keras 3's) order."""
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. Please call "
                "`optimizer.build(trainable_variables)` to create the optimizer weights before calling "
                "`set_weights()`."
            )
        variables = self.variables  # type: ignore[attr-defined]
        if len(weights) != len(variables):
            raise ValueError(f"expected {len(variables)} weights, received {len(weights)}")
        for variable, weight in zip(variables, weights):
            weight = np.asarray(weight)
            if tuple(variable.shape) != weight.shape:
                raise ValueError(
                    f"Optimizer variable {variable.path} has shape {tuple(variable.shape)} not compatible with "
                    f"provided weight shape {weight.shape}."
                )
            with context.eager_scope():
                variable.assign(weight.astype(variable.dtype.as_numpy_dtype))

    def save_own_variables(self, store: dict) -> None:
        """The variables as ``store["0"]``, ``store["1"]`` ... in Keras 3's order (see ``_keras_order``)."""
        for i, variable in enumerate(self.variables):  # type: ignore[attr-defined]
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store: Any) -> None:
        if len(store.keys()) != len(self._variables):
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}', because it has {len(self._variables)} "
                f"variables whereas the saved optimizer has {len(store.keys())} variables.",
                stacklevel=2,
            )
            return
        self.set_weights([store[str(i)] for i in range(len(self._variables))])

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
