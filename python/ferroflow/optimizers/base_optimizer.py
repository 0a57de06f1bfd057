"""``Optimizer``: Keras 3's optimizer base, one code path for eager updates and graph-building.

``apply`` writes the step with ferroflow ops and ``Variable.assign*``, which run now when eager and add
nodes when a graph is being built. The learning rate and the step count live in variables that a graph
reads when it runs, so setting ``optimizer.learning_rate`` between batches needs no retrace, and a schedule
is evaluated in-graph from ``iterations``.
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Any, Optional, Sequence

import numpy as np

from ..framework import context
from ..framework.graph import SymbolicTensor
from ..framework.ops import apply as apply_op
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from ..layers._util import unique_name
from ..ops import array_ops
from . import _accumulation, _ema, _gradients
from ._config import check_learning_rate, config_learning_rate, snake_case
from ._keras_order import keras_variables
from ._state import OptimizerState, optimizer_scope, optimizer_variable
from ._update_rules import UpdateRuleHelpers
from .schedules import LearningRateSchedule


class Optimizer(UpdateRuleHelpers, OptimizerState):
    """The base class: subclasses create slots in ``build`` and write ``update_step(gradient, variable, lr)``."""

    def __init__(
        self,
        learning_rate: Any,
        weight_decay: Optional[float] = None,
        clipnorm: Optional[float] = None,
        clipvalue: Optional[float] = None,
        global_clipnorm: Optional[float] = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: Optional[int] = None,
        loss_scale_factor: Optional[float] = None,
        gradient_accumulation_steps: Optional[int] = None,
        name: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.", stacklevel=2)
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        _ema.check_ema_arguments(use_ema, ema_momentum, ema_overwrite_frequency)
        _accumulation.check_steps(gradient_accumulation_steps)
        _gradients.check_clip_options(clipnorm, clipvalue, global_clipnorm)
        if weight_decay is not None and (isinstance(weight_decay, bool) or not isinstance(weight_decay, (int, float))):
            raise ValueError(f"`weight_decay` must be a float or None. Received: weight_decay={weight_decay!r}")
        # Keras 3 names an optimizer after its class, unique in the session (``adam``, ``adam_1``; reset by
        # ``clear_session``); its variables' paths start with that name.
        self.name = name if name is not None else unique_name(snake_case(self.__class__.__name__))
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._variables: list = []
        self._trainable_variables: list = []
        self._trainable_variables_indices: dict = {}
        self._step_cache: dict = {}
        self._lr_var: Optional[Variable] = None
        # Optimizer state is always eager: an optimizer made inside a graph scope still owns live variables.
        self._iterations = optimizer_variable(self, np.int64(0), "iteration", "int64")
        self._variables.append(self._iterations)
        self._learning_rate: Any = None
        self.learning_rate = learning_rate

    # -- learning rate and step count
    @property
    def iterations(self) -> Any:
        """An int64 scalar variable: the number of steps applied. With ``gradient_accumulation_steps`` it is
        the number of updates made, ``calls // gradient_accumulation_steps``, a tensor as in Keras."""
        return _accumulation.update_count(self)

    @property
    def learning_rate(self) -> Any:
        """The learning rate as Keras 3 gives it: the float32 variable ``<name>/learning_rate`` (``.numpy()``,
        ``.assign``, ``float()``), or a schedule's value at ``iterations`` as a tensor, or what a callable
        learning rate returns."""
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return lr
        if isinstance(lr, LearningRateSchedule):
            return lr(self._iterations)
        return lr()

    def _current_learning_rate(self) -> float:
        """The learning rate now as a Python float (configs, reprs)."""
        with context.eager_scope():
            return float(np.asarray(self.learning_rate))

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        if isinstance(value, LearningRateSchedule) or (callable(value) and not isinstance(value, (Tensor, Variable))):
            if self._lr_var is not None:
                self._variables = [v for v in self._variables if v is not self._lr_var]
                self._lr_var = None
            self._learning_rate = value
            return
        if isinstance(self._learning_rate, LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` constructor "
                "argument, hence its learning rate is not settable. If you need the learning rate to be settable, "
                "you should instantiate the optimizer with a float `learning_rate` argument."
            )
        value = check_learning_rate(value)
        if self._lr_var is None:
            self._lr_var = optimizer_variable(self, np.float32(value), "learning_rate", "float32")
            self._variables.insert(1, self._lr_var)
        else:
            with context.eager_scope():
                self._lr_var.assign(np.float32(value))
        self._learning_rate = self._lr_var

    def _learning_rate_tensor(self) -> Tensor:
        """The learning rate as a tensor of the step being written (a graph read, or a value now)."""
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return lr.value()
        t = lr(self._iterations) if isinstance(lr, LearningRateSchedule) else lr()
        t = convert_to_tensor(t)
        return t if t.dtype.is_floating else array_ops.cast(t, "float32")

    # -- state
    @property
    def variables(self) -> list:
        """``[iteration, learning_rate (unless a schedule), slots...]`` in Keras 3's order (``_keras_order``):
        the order of ``set_weights`` and of the ``optimizer/vars`` that ``.keras`` and ``.weights.h5`` files keep."""
        return keras_variables(self) or list(self._variables)

    def build(self, variables: Sequence[Variable]) -> None:
        """Records the variables this optimizer updates (and, with ``use_ema``, adds their averages first, then
        with ``gradient_accumulation_steps`` their accumulators, as Keras does); subclasses then add their slots."""
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(variables, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self.add_optimizer_variables(variables, "gradient_accumulator")
        for i, variable in enumerate(variables):
            self._trainable_variables_indices[id(variable)] = i
        self._trainable_variables = list(variables)
        self.built = True

    # -- applying gradients
    def apply_gradients(self, grads_and_vars: Any) -> Any:
        """``apply`` on ``(gradient, variable)`` pairs: the group op in a graph, ``iterations`` eagerly."""
        grads, variables = zip(*list(grads_and_vars))
        update = self.apply(grads, variables)
        return self._iterations if update is None else update

    def apply(self, grads: Sequence[Any], trainable_variables: Optional[Sequence[Variable]] = None) -> Any:
        """One step. Eagerly updates now (returns None); in a graph returns one op that runs the whole step."""
        grads = _gradients.densified(grads)
        if not grads:
            return None
        from ..distribute import mirrored_run

        # Inside a several-replica strategy.run the replicas' gradients are summed and applied once, after every
        # replica has computed its own (distribute/mirrored_run.py).
        if mirrored_run.defer_step(self, grads, trainable_variables):
            return None
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be built on a list of "
                    "variables. Call `optimizer.build(trainable_variables)` first."
                )
            if len(grads) != len(self._trainable_variables):
                raise ValueError(
                    f"Received a list of {len(grads)} gradients, but the optimizer is tracking "
                    f"{len(self._trainable_variables)} trainable variables."
                )
            variables = list(self._trainable_variables)
        else:
            variables = list(trainable_variables)
            if len(variables) != len(grads):
                raise ValueError(f"Received {len(grads)} gradients for {len(variables)} variables.")
            if not self.built:
                with optimizer_scope(self):  # Keras builds in the optimizer's name scope
                    self.build(variables)
            self._check_variables_are_known(variables)
        grads, variables = _gradients.filter_empty_gradients(grads, variables)
        graph = context.current_graph()
        enter = contextlib.nullcontext()
        if graph is None:  # symbolic gradients outside a graph scope: build into their graph
            graph = next((g.graph for g in grads if isinstance(g, SymbolicTensor)), None)
            enter = graph.as_default() if graph is not None else enter
        with enter, context.paused_tapes():
            start = len(graph.stateful_nodes) if graph is not None else 0
            with context.name_scope(self.name):
                self._write_step(grads, variables)
            if graph is None:
                return None
            updates = [graph.tensor(n) for n in graph.stateful_nodes[start:]]
            return apply_op("group", updates, op_name="update")

    def _write_step(self, grads: list, variables: list) -> None:
        self._step_cache = {}
        try:
            grads = [_gradients.as_gradient(g, v) for g, v in zip(grads, variables)]
            if self.loss_scale_factor is not None:
                grads = [g / self.loss_scale_factor for g in grads]
            learning_rate = self._learning_rate_tensor()
            if self.gradient_accumulation_steps:
                _accumulation.write_step(self, grads, variables, learning_rate, self._write_update)
            else:
                self._write_update(grads, variables, learning_rate)
            if self.use_ema:  # before the constraints, as Keras orders them
                _ema.update_averages(self)
            for v in variables:
                constraint = getattr(v, "constraint", None)
                if constraint is not None:
                    v.assign(constraint(v))
            # Keras counts the step last: update rules see `iterations + 1` as the current step number.
            self._iterations.assign_add(1)
        finally:
            self._step_cache = {}

    def _write_update(self, grads: list, variables: list, learning_rate: Tensor) -> None:
        """Clipping, weight decay and the update rule: what moves the variables."""
        grads = _gradients.clip_gradients(grads, self.clipnorm, self.global_clipnorm, self.clipvalue)
        self._apply_weight_decay(variables, learning_rate)
        for g, v in zip(grads, variables):
            self.update_step(g, v, learning_rate)

    def update_step(self, gradient: Tensor, variable: Variable, learning_rate: Tensor) -> None:
        raise NotImplementedError(f"{self.__class__.__name__} must implement update_step(gradient, variable, lr)")

    # -- Keras odds and ends
    def scale_loss(self, loss: Any) -> Any:
        return loss * self.loss_scale_factor if self.loss_scale_factor is not None else loss

    def finalize_variable_values(self, var_list: Any) -> None:
        """Called by ``fit`` at the end of training: with ``use_ema`` the variables take their averages."""
        if self.use_ema:
            _ema.overwrite_with_averages(self, list(var_list))

    # -- configuration
    def get_config(self) -> dict:
        return {
            "name": self.name,
            "learning_rate": config_learning_rate(self._learning_rate, self._current_learning_rate),
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects: Optional[dict] = None) -> Optimizer:
        config = dict(config)
        for legacy in ("is_legacy_optimizer", "jit_compile"):  # keys older tf.keras configs carry
            config.pop(legacy, None)
        if isinstance(config.get("learning_rate"), dict):
            from .schedules import deserialize

            config["learning_rate"] = deserialize(config["learning_rate"], custom_objects=custom_objects)
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__} name={self.name!r} learning_rate={self._current_learning_rate()!r}>"
