"""``LossScaleOptimizer``: Keras 3's dynamic loss scaling around another optimizer (mixed precision).

float16 gradients underflow; multiplying the loss by a large scale keeps them representable and dividing the
gradients by it restores their values. The scale adapts: a step whose gradients are not all finite is skipped
and halves the scale; ``dynamic_growth_steps`` finite steps in a row double it. ``Model.compile`` wraps the
optimizer in one under a ``mixed_float16`` policy; ``fit`` scales the loss with ``scale_loss``.

Custom loops work both ways: Keras 3's (``scale_loss``, then ``apply`` unscales) and tf.keras 2's from the
TensorFlow mixed precision guide (``get_scaled_loss``, ``get_unscaled_gradients``, ``apply_gradients``).
Gradients that came from ``get_unscaled_gradients`` are recognised and not unscaled a second time.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from ..framework import context
from ..framework.graph import SymbolicTensor
from ..framework.ops import apply as apply_op
from ..framework.ops import convert_to_tensor
from ..framework.variables import Variable
from ..ops import array_ops, math_derived_ops, math_ops
from . import _gradients
from ._keras_order import keras_variables
from ._state import optimizer_scope
from .base_optimizer import Optimizer

# Base-optimizer arguments older LossScaleOptimizer configs carry: accepted only at their defaults (as Keras).
_BASE_DEFAULTS = {
    "weight_decay": None,
    "clipnorm": None,
    "global_clipnorm": None,
    "clipvalue": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


class LossScaleOptimizer(Optimizer):
    """Wraps ``inner_optimizer`` with a dynamic loss scale (``initial_scale``, doubled after
    ``dynamic_growth_steps`` finite steps, halved, with the step skipped, on non-finite gradients)."""

    def __init__(
        self,
        inner_optimizer: Optimizer,
        initial_scale: float = 2.0**15,
        dynamic_growth_steps: int = 2000,
        name: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set `loss_scale_factor` "
                "directly on the `inner_optimizer`."
            )
        for arg, default in _BASE_DEFAULTS.items():
            if arg in kwargs and kwargs.pop(arg) != default:
                raise ValueError(
                    f"LossScaleOptimizer does not support `{arg}`. Instead, set `{arg}` on the `inner_optimizer`."
                )
        if kwargs:
            raise ValueError(f"LossScaleOptimizer does not support arguments: `{'`, `'.join(kwargs)}`.")
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(
                "LossScaleOptimizer expects a keras Optimizer instance as `inner_optimizer`. "
                f"Received: inner_optimizer={inner_optimizer!r} (of type {type(inner_optimizer).__name__})"
            )
        if isinstance(dynamic_growth_steps, bool) or int(dynamic_growth_steps) < 1:
            raise ValueError(f"`dynamic_growth_steps` must be a positive integer. Received: {dynamic_growth_steps}")
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = float(initial_scale)
        self.dynamic_growth_steps = int(dynamic_growth_steps)
        self.inner_optimizer.loss_scale_factor = None  # else the gradients would be unscaled twice
        # Made now, not in build, so a loss scaled in a traced step before the first update reads the variable.
        self.step_counter = self.add_variable((), "zeros", "int64", "none", "step_counter")
        self.dynamic_scale = self.add_variable((), self.initial_scale, "float32", "none", "dynamic_scale")
        self._unscaled_ids: set = set()
        self._unscaled_refs: list = []

    def build(self, var_list: Sequence[Variable]) -> None:
        with optimizer_scope(self):  # Keras 3's paths: loss_scale_optimizer/sgd/dense_kernel_momentum
            self.inner_optimizer.build(var_list)
        super().build(var_list)

    # -- delegated to the inner optimizer
    @property
    def variables(self) -> list:
        return list(self._variables) + list(self.inner_optimizer.variables)

    @property
    def learning_rate(self) -> Any:
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        if "inner_optimizer" not in self.__dict__:  # the base constructor's own (unused) learning rate
            Optimizer.learning_rate.fset(self, value)  # type: ignore[attr-defined]
        else:
            self.inner_optimizer.learning_rate = value

    @property
    def iterations(self) -> Any:
        return self.inner_optimizer.iterations

    def finalize_variable_values(self, var_list: Any) -> None:
        self.inner_optimizer.finalize_variable_values(var_list)

    # -- scaling
    def _scale_as(self, dtype: Any) -> Any:
        scale = self.dynamic_scale.value()
        return scale if scale.dtype == dtype else array_ops.cast(scale, dtype)

    def scale_loss(self, loss: Any) -> Any:
        """``loss * dynamic_scale``: what to differentiate so small float16 gradients survive."""
        loss = convert_to_tensor(loss) if not hasattr(loss, "dtype") else loss
        return loss * self._scale_as(loss.dtype)

    @property
    def loss_scale(self) -> Any:
        """The current loss scale, a float32 scalar tensor (tf.keras 2's name)."""
        return self.dynamic_scale.value()

    @property
    def dynamic(self) -> bool:
        return True

    @property
    def dynamic_counter(self) -> Variable:
        """Finite steps since the scale last changed (tf.keras 2's name of ``step_counter``)."""
        return self.step_counter

    def get_scaled_loss(self, loss: Any) -> Any:
        """tf.keras 2's ``loss * loss_scale`` (a callable loss gives a callable)."""
        if callable(loss):
            return lambda: self.scale_loss(loss())
        return self.scale_loss(loss)

    def get_unscaled_gradients(self, grads: Sequence[Any]) -> list:
        """tf.keras 2's ``grads / loss_scale`` (None stays None); ``apply_gradients`` then does not unscale."""
        out = [None if g is None else _divided(g, self._scale_as(g.dtype)) for g in grads]
        for g in out:
            if g is not None:
                self._unscaled_ids.add(id(g))
                self._unscaled_refs.append(g)  # keeps the ids valid until the next apply
        return out

    def check_finite(self, grads: Sequence[Any]) -> Any:
        """A bool scalar: whether every gradient is finite."""
        checks = [math_derived_ops.reduce_all(math_ops.is_finite(g)) for g in grads if g is not None]
        return math_derived_ops.reduce_all(array_ops.stack(checks))

    # -- applying
    def apply(self, grads: Sequence[Any], trainable_variables: Optional[Sequence[Variable]] = None) -> Any:
        """Unscales, then applies the inner optimizer if all gradients are finite, and updates the scale."""
        grads = list(grads)
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be built on a list of "
                    "variables. Call `optimizer.build(trainable_variables)` first."
                )
            variables = list(self._trainable_variables)
        else:
            variables = list(trainable_variables)
        if not self.built:
            with context.eager_scope():
                self.build(variables)
        pre_unscaled = all(g is None or id(g) in self._unscaled_ids for g in grads)
        self._unscaled_ids, self._unscaled_refs = set(), []
        grads = _gradients.densified(grads)
        unscaled = grads if pre_unscaled else [None if g is None else g / self._scale_as(g.dtype) for g in grads]
        graph = context.current_graph()
        if graph is None:
            graph = next((g.graph for g in grads if isinstance(g, SymbolicTensor)), None)
        if graph is None:  # eager: decide in Python
            if bool(np.asarray(self.check_finite(grads))):
                self._handle_finite(unscaled, variables)
            else:
                self._handle_non_finite()
            return None
        from ..ops.cond_ops import cond

        with graph.as_default(), context.name_scope(self.name):
            start = len(graph.stateful_nodes)
            finite = self.check_finite(grads)

            def finite_branch() -> Any:
                self._handle_finite(unscaled, variables)
                return convert_to_tensor(np.int32(1))

            def non_finite_branch() -> Any:
                self._handle_non_finite()
                return convert_to_tensor(np.int32(0))

            applied = cond(finite, finite_branch, non_finite_branch)
            updates = [graph.tensor(n) for n in graph.stateful_nodes[start:]]
            return apply_op("group", [applied] + updates, op_name="update")

    def _handle_finite(self, grads: list, variables: list) -> None:
        self.inner_optimizer.apply(grads, variables)
        grow = math_ops.equal(self.step_counter.value(), np.int64(self.dynamic_growth_steps - 1))
        scale = self.dynamic_scale.value()
        counter = self.step_counter.value()
        self.dynamic_scale.assign(array_ops.where(grow, scale * 2.0, scale))
        self.step_counter.assign(array_ops.where(grow, array_ops.zeros_like(counter), counter + np.int64(1)))

    def _handle_non_finite(self) -> None:
        self.step_counter.assign(np.int64(0))
        self.dynamic_scale.assign(self.dynamic_scale.value() * 0.5)

    # -- state and configuration
    def _keras_ordered_variables(self) -> list:
        return list(self._variables) + (keras_variables(self.inner_optimizer) or list(self.inner_optimizer.variables))

    def _variables_in_creation_order(self) -> list:
        return list(self._variables) + self.inner_optimizer._variables_in_creation_order()

    def set_weights(self, weights: Sequence[Any]) -> None:
        own = len(self._variables)
        Optimizer.set_weights(self, list(weights)[:own])
        self.inner_optimizer.set_weights(list(weights)[own:])

    def load_own_variables(self, store: Any) -> None:
        order = self._keras_ordered_variables()
        if len(store.keys()) != len(order):
            return Optimizer.load_own_variables(self, store)  # warns and skips, as Keras
        for i, variable in enumerate(order):
            with context.eager_scope():
                variable.assign(np.asarray(store[str(i)]).astype(variable.dtype.as_numpy_dtype))
        return None

    def get_config(self) -> dict:
        from . import serialize

        return {
            "name": self.name,
            "inner_optimizer": serialize(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects: Optional[dict] = None) -> LossScaleOptimizer:
        from . import deserialize

        config = dict(config)
        inner = deserialize(config.pop("inner_optimizer"), custom_objects=custom_objects)
        return cls(inner, **config)


def _divided(g: Any, scale: Any) -> Any:
    """``g / scale``; IndexedSlices stay IndexedSlices (their values divided), as tf.keras 2 kept them."""
    from ..framework.indexed_slices import IndexedSlices

    if isinstance(g, IndexedSlices):
        return IndexedSlices(g.values / scale, g.indices, g.dense_shape)
    return g / scale
