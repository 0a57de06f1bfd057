"""The optimizers of the premade estimators: names (``'Adagrad'``, ``'Adam'``, ``'Ftrl'``, ``'RMSProp'``,
``'SGD'``), instances or callables; Keras optimizers for ``tf.estimator``, TF1 ones for
``tf.compat.v1.estimator`` (TensorFlow's ``canned/optimizers.py``)."""

from __future__ import annotations

import inspect
from typing import Any, Optional

_NAMES = ("Adagrad", "Adam", "Ftrl", "RMSProp", "SGD")


def _v1_classes() -> dict:
    from ...compat.v1 import train

    return {
        "Adagrad": train.AdagradOptimizer,
        "Adam": train.AdamOptimizer,
        "Ftrl": train.FtrlOptimizer,
        "RMSProp": train.RMSPropOptimizer,
        "SGD": train.GradientDescentOptimizer,
    }


def _v2_classes() -> dict:
    from ... import optimizers

    return {
        "Adagrad": optimizers.Adagrad,
        "Adam": optimizers.Adam,
        "Ftrl": optimizers.Ftrl,
        "RMSProp": optimizers.RMSprop,
        "SGD": optimizers.SGD,
    }


def get_optimizer_instance(opt: Any, learning_rate: Optional[float] = None) -> Any:
    """A TF1 optimizer: ``opt`` itself, ``opt()`` for a callable, or the named class at ``learning_rate``."""
    from ...compat.v1.train import Optimizer

    if isinstance(opt, str):
        if opt in _NAMES:
            if not learning_rate:
                raise ValueError("learning_rate must be specified when opt is string.")
            return _v1_classes()[opt](learning_rate=learning_rate)
        raise ValueError(f"Unsupported optimizer name: {opt}. Supported names are: {tuple(sorted(_NAMES))}")
    if callable(opt) and not isinstance(opt, Optimizer):
        opt = opt()
    if not isinstance(opt, Optimizer):
        raise ValueError(f"The given object is not an Optimizer instance. Given: {opt}")
    return opt


def get_optimizer_instance_v2(opt: Any, learning_rate: Optional[float] = None) -> Any:
    """A Keras optimizer: ``opt`` itself, ``opt()`` for a callable, or the named class at ``learning_rate`` (its
    own default learning rate when None)."""
    from ... import optimizers

    if isinstance(opt, str):
        if opt in _NAMES:
            cls = _v2_classes()[opt]
            if not learning_rate:
                default = inspect.signature(cls.__init__).parameters["learning_rate"].default
                return cls() if default is not inspect.Parameter.empty else cls(learning_rate=0.05)
            return cls(learning_rate=learning_rate)
        raise ValueError(f"Unsupported optimizer name: {opt}. Supported names are: {tuple(sorted(_NAMES))}")
    if callable(opt) and not isinstance(opt, optimizers.Optimizer):
        opt = opt()
    if not isinstance(opt, optimizers.Optimizer):
        raise ValueError(f"The given object is not a tf.keras.optimizers.Optimizer instance. Given: {opt}")
    return opt


class _KerasInGraph:
    """Applies a Keras optimizer to a TF1 graph through the TF1 optimizer machinery: a copy of the optimizer is
    built for the graph's variables, and its state joins GLOBAL_VARIABLES (so checkpoints carry it)."""

    def __new__(cls, keras: Any) -> Any:
        from ...compat.v1.train import Optimizer

        class KerasInGraph(Optimizer):
            def _make_keras(self) -> Any:
                return type(keras).from_config(keras.get_config())

        name = type(keras).__name__
        return KerasInGraph(False, "RMSProp" if name == "RMSprop" else name)


def minimize(optimizer: Any, loss: Any, var_list: Any, global_step: Any) -> Any:
    """The op that applies one step of ``optimizer`` (TF1 or Keras) to ``var_list`` and increments
    ``global_step``."""
    from ... import optimizers
    from ...compat.v1.train import Optimizer

    if isinstance(optimizer, optimizers.Optimizer):
        optimizer = _KerasInGraph(optimizer)
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"The given object is not an optimizer instance. Given: {optimizer}")
    var_list = list(var_list) if var_list is not None else None
    if var_list is not None and not var_list:
        raise ValueError("trainable_variables cannot be empty. Given: []")
    return optimizer.minimize(loss, global_step=global_step, var_list=var_list)
