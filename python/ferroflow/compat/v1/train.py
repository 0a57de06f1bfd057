"""``tf.compat.v1.train``: TF1's optimizers (``minimize`` / ``compute_gradients`` / ``apply_gradients``) and
the global step.

The update rules are ``ferroflow.optimizers``' Keras ones: ``apply`` called while a graph is being
built adds the update nodes and returns one op that runs the step. Nothing runs until a session does.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ...framework import context
from ...framework.dtypes import int64
from ...framework.graph import SymbolicTensor
from ...framework.ops import apply
from ...framework.variables import Variable

_eager_global_step: dict = {}


class Optimizer:
    """Base of the TF1 optimizers: gradients come from ``ferroflow.gradients``, updates from a Keras optimizer."""

    def __init__(self, use_locking: bool, name: str) -> None:
        self._name = name
        self._keras: dict = {}  # one Keras optimizer per variable list: Keras's are bound to the list they build on

    def get_name(self) -> str:
        return self._name

    def _make_keras(self) -> Any:
        raise NotImplementedError

    def compute_gradients(
        self,
        loss: Any,
        var_list: Any = None,
        gate_gradients: int = 1,
        aggregation_method: Any = None,
        colocate_gradients_with_ops: bool = False,
        grad_loss: Any = None,
    ) -> list:
        """``[(gradient, variable)]`` for ``var_list`` (the graph's trainable variables by default)."""
        if callable(loss) and not isinstance(loss, (SymbolicTensor, Variable)):
            return self._eager_gradients(loss, var_list, grad_loss)
        if not isinstance(loss, SymbolicTensor):
            raise TypeError(
                f"compute_gradients expects the loss as a graph tensor (or a callable when executing eagerly), "
                f"received {type(loss).__name__}"
            )
        if var_list is None:
            var_list = loss.graph.get_collection("trainable_variables")
        var_list = list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        from ...ops.gradients_ops import gradients

        with loss.graph.as_default():
            grads = gradients(loss, var_list, grad_ys=grad_loss)
        return list(zip(grads, var_list))

    def _eager_gradients(self, loss_fn: Any, var_list: Any, grad_loss: Any) -> list:
        from ...framework.tape import GradientTape

        with GradientTape() as tape:
            loss = loss_fn()
        if var_list is None:
            var_list = [v for v in tape.watched_variables()]
        var_list = list(var_list)
        grads = tape.gradient(loss, var_list, output_gradients=grad_loss)
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars: Any, global_step: Any = None, name: Optional[str] = None) -> Any:
        """One op that updates each variable from its gradient, then increments ``global_step`` if given."""
        pairs = list(grads_and_vars)
        kept = [(g, v) for g, v in pairs if g is not None]
        if not kept:
            raise ValueError(f"No gradients provided for any variable: {[v.name for _, v in pairs]}.")
        grads = [g for g, _ in kept]
        variables = [v for _, v in kept]
        graph = next((g.graph for g in grads if isinstance(g, SymbolicTensor)), None)
        keras = self._keras_for(variables, graph)
        if graph is None:  # eager: update now, as TF1 optimizers do under eager execution
            keras.apply(grads, variables)
            if global_step is not None:
                global_step.assign_add(1)
            return None
        with graph.as_default():
            update = keras.apply(grads, variables)
            if global_step is None:
                return update
            # Nodes run in creation order, so the increment follows the update, like TF1's control dependency.
            step = global_step.assign_add(1)
            return apply("group", [update, step], op_name=name or self._name)

    def _keras_for(self, variables: list, graph: Any = None) -> Any:
        key = tuple(id(v) for v in variables)
        keras = self._keras.get(key)
        if keras is None:
            with context.eager_scope():  # optimizer state is eager, like the slots it creates
                keras = self._keras[key] = self._make_keras()
                keras.build(variables)
                self._init_slots(keras)
            if graph is not None:  # TF1 slot names in GLOBAL_VARIABLES, so a Saver keeps them
                from .optimizer_slots import register_slots

                register_slots(graph, self._name, keras, variables)
        return keras

    def _init_slots(self, keras: Any) -> None:
        """Hook for slots whose TF1 starting value differs from Keras's."""

    def minimize(
        self,
        loss: Any,
        global_step: Any = None,
        var_list: Any = None,
        gate_gradients: int = 1,
        aggregation_method: Any = None,
        colocate_gradients_with_ops: bool = False,
        name: Optional[str] = None,
        grad_loss: Any = None,
    ) -> Any:
        """``apply_gradients(compute_gradients(loss, var_list), global_step)``: the training op."""
        grads_and_vars = self.compute_gradients(loss, var_list=var_list, grad_loss=grad_loss)
        if all(g is None for g, _ in grads_and_vars):
            raise ValueError(
                f"No gradients provided for any variable, check your graph for ops that do not support "
                f"gradients, between variables {[v.name for _, v in grads_and_vars]} and loss {loss!r}."
            )
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)


def _opt() -> Any:
    from ... import optimizers

    return optimizers


def _keras_lr(learning_rate: Any) -> Any:
    """A graph tensor or variable learning rate is read when the step runs, through a Keras callable rate."""
    if isinstance(learning_rate, (SymbolicTensor, Variable)):
        return lambda: learning_rate.value() if isinstance(learning_rate, Variable) else learning_rate
    return learning_rate


class GradientDescentOptimizer(Optimizer):
    """``var -= learning_rate * grad``: Keras's SGD without momentum."""

    def __init__(self, learning_rate: Any, use_locking: bool = False, name: str = "GradientDescent") -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate

    def _make_keras(self) -> Any:
        return _opt().SGD(learning_rate=_keras_lr(self._learning_rate))


class MomentumOptimizer(Optimizer):
    """TF1's momentum: ``accum = momentum * accum + grad; var -= lr * accum`` (Nesterov: ``lr * (grad + momentum
    * accum)``).

    Keras's SGD keeps ``m = momentum * m - lr * grad; var += m`` instead: with a constant learning rate
    ``m == -lr * accum`` at every step, so the two give the same variables; Keras's SGD is reused.
    """

    def __init__(
        self,
        learning_rate: Any,
        momentum: float,
        use_locking: bool = False,
        name: str = "Momentum",
        use_nesterov: bool = False,
    ) -> None:
        super().__init__(use_locking, name)
        self._learning_rate, self._momentum, self._nesterov = learning_rate, momentum, use_nesterov

    def _make_keras(self) -> Any:
        lr = _keras_lr(self._learning_rate)
        return _opt().SGD(learning_rate=lr, momentum=self._momentum, nesterov=self._nesterov)


class AdamOptimizer(Optimizer):
    """TF1's Adam is Keras's Adam with its own default epsilon (1e-8)."""

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-08,
        use_locking: bool = False,
        name: str = "Adam",
    ) -> None:
        super().__init__(use_locking, name)
        self._args = (learning_rate, beta1, beta2, epsilon)

    def _make_keras(self) -> Any:
        lr, b1, b2, eps = self._args
        return _opt().Adam(learning_rate=_keras_lr(lr), beta_1=b1, beta_2=b2, epsilon=eps)


class RMSPropOptimizer(Optimizer):
    """``ms = decay * ms + (1 - decay) * g^2; mom = momentum * mom + lr * g / sqrt(ms + eps); var -= mom``.

    That is Keras's RMSprop (rho = decay) except for the start: TF1 starts ``ms`` at ones, Keras at zeros,
    so the mean-square slots are set to ones once Keras has made them.
    """

    def __init__(
        self,
        learning_rate: Any,
        decay: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-10,
        use_locking: bool = False,
        centered: bool = False,
        name: str = "RMSProp",
    ) -> None:
        super().__init__(use_locking, name)
        self._args = (learning_rate, decay, momentum, epsilon, centered)

    def _make_keras(self) -> Any:
        lr, decay, momentum, eps, centered = self._args
        return _opt().RMSprop(
            learning_rate=_keras_lr(lr), rho=decay, momentum=momentum, epsilon=eps, centered=centered
        )

    def _init_slots(self, keras: Any) -> None:
        for velocity in keras._velocities:
            velocity.assign(np.ones(velocity.shape.as_list(), velocity.dtype.as_numpy_dtype))


# -- global step
def _graph_for(graph: Any) -> Any:
    return graph if graph is not None else context.current_graph()


def get_global_step(graph: Any = None) -> Optional[Variable]:
    """The graph's global step variable, or None if it has none."""
    g = _graph_for(graph)
    if g is None:
        return _eager_global_step.get("step")
    found = g.get_collection("global_step")
    return found[0] if found else None


def create_global_step(graph: Any = None) -> Variable:
    """A new int64 global step, starting at 0 and not trainable; an error if the graph has one already."""
    g = _graph_for(graph)
    if get_global_step(g) is not None:
        raise ValueError('"global_step" already exists.')
    if g is None:
        step = _eager_global_step["step"] = Variable(0, trainable=False, name="global_step", dtype=int64)
        return step
    with g.as_default():
        step = Variable(0, trainable=False, name="global_step", dtype=int64)
    g.add_to_collection("global_step", step)
    # The hooks' read of the step, made now: plans run nodes in creation order, so it sees the step before the
    # training op built later increments it (TF1's "stale" global step).
    from .training_util import get_or_create_global_step_read

    get_or_create_global_step_read(g)
    return step


def get_or_create_global_step(graph: Any = None) -> Variable:
    step = get_global_step(graph)
    return step if step is not None else create_global_step(graph)


def global_step(sess: Any, global_step_tensor: Any) -> int:
    """The global step's value as a Python int."""
    return int(sess.run(global_step_tensor))

def __getattr__(name: str) -> Any:
    from .train_more_names import MORE
    from .train_names import resolve

    if name in MORE:
        import importlib

        value = getattr(importlib.import_module(f"ferroflow.compat.v1.{MORE[name]}"), name)
    else:
        value = resolve(name)
    globals()[name] = value
    return value


from ferroflow._api import public_dir as _public_dir  # noqa: E402

from .train_more_names import MORE as _MORE  # noqa: E402
from .train_names import NAMES as _NAMES  # noqa: E402

__dir__ = _public_dir(globals(), names=[*_NAMES, *_MORE], hidden=("SymbolicTensor", "Variable", "apply", "int64"))
