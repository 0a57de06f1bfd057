"""The weights half of ``Layer``: creating weights, the trainable flag, and the weight lists Keras exposes."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..distribute.values import mirrored_class
from ..framework import context
from ..framework.dtypes import as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.variables import Variable
from . import _resolve
from .keras_variable import KerasVariable, weight_path


class LayerWeights:
    """Mixed into ``Layer``: ``add_weight``, ``weights``/``trainable_weights``, ``get_weights``/``set_weights``."""

    # Layers Keras 3 does not have (DenseFeatures, from Keras 2) keep Keras 2's weights: tf.Variables named by
    # their full path; the others make Keras 3's keras.Variable (keras_variable.py).
    _keras2_weights = False

    # -- weights
    def add_weight(
        self,
        *args: Any,
        shape: Any = None,
        initializer: Any = None,
        dtype: Any = None,
        trainable: bool = True,
        autocast: bool = True,
        regularizer: Any = None,
        constraint: Any = None,
        aggregation: Any = None,
        name: Optional[str] = None,
        **kwargs: Any,
    ) -> Variable:
        """Creates a weight of this layer (eagerly, even while a function is being traced). As in Keras 3,
        ``shape``, ``initializer`` and ``dtype`` may come positionally (Keras 2's order) but ``name`` may not."""
        if args:
            shape, initializer, dtype = _positional_weight_args(args, shape, initializer, dtype)
        shape = () if shape is None else tuple(int(d) for d in shape)
        dtype = as_dtype(dtype or self._dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating else "zeros"
        init = _resolve.initializer(initializer)
        name = name or "variable"
        with context.eager_scope():
            value = init(shape, dtype=dtype.name) if callable(init) else init
            value = convert_to_tensor(value, dtype=dtype)
            if mirrored_class(Variable) is Variable and not self._keras2_weights:
                # A name with a sublayer part (MultiHeadAttention's "query/kernel") is Keras 3's "kernel".
                short = name.rsplit("/", 1)[-1]
                path = weight_path(self.name, name)
                var = KerasVariable(
                    value, trainable=trainable, autocast=autocast, name=short, path=path, _op_name=f"{self.name}/{name}"
                )
            else:  # a strategy's mirrored variable, or a Keras 2 layer's tf.Variable, named by its path
                var = Variable(value, trainable=trainable, name=f"{self.name}/{name}")
                var._name_suffix = ""
        var._autocast = bool(autocast)  # read as the compute dtype inside a mixed-precision call
        var.constraint = _resolve.constraint(constraint)
        (self._trainable_vars if trainable else self._non_trainable_vars).append(var)
        if trainable and not self._trainable:
            var.trainable = False
        reg = _resolve.regularizer(regularizer)
        if reg is not None:
            self._regularizers.append((reg, var))
        return var

    def _own_weights(self) -> list:
        return self._trainable_vars + self._non_trainable_vars

    def save_own_variables(self, store: Any) -> None:
        """Keras 3's hook: puts the layer's own variables (trainable, then non-trainable) in ``store`` as
        ``"0"``, ``"1"`` ...; a subclass that overrides it (and ``load_own_variables``) saves what it likes."""
        for i, v in enumerate(self._own_weights()):
            store[f"{i}"] = v.numpy()

    def load_own_variables(self, store: Any) -> None:
        """Keras 3's hook: assigns ``store["0"]``, ``store["1"]`` ... to the layer's own variables."""
        own = self._own_weights()
        if len(store.keys()) != len(own):
            if not own and not self.built:
                raise ValueError(
                    f"Layer '{self.name}' was never built and thus it doesn't have any variables. However the "
                    f"weights file lists {len(store.keys())} variables for this layer."
                )
            raise ValueError(
                f"Layer '{self.name}' expected {len(own)} variables, but received {len(store.keys())} variables "
                f"during loading. Expected: {[v.name for v in own]}"
            )
        for i, v in enumerate(own):
            v.assign(store[f"{i}"])

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        value = bool(value)
        self._trainable = value
        for v in self._trainable_vars:
            v.trainable = value
        for layer in self._layers:
            layer.trainable = value

    def _dedup(self, variables: list) -> list:
        seen, out = set(), []
        for v in variables:
            if id(v) not in seen:
                seen.add(id(v))
                out.append(v)
        return out

    @property
    def trainable_weights(self) -> list:
        if not self._trainable:
            return []
        own = [v for v in self._trainable_vars]
        return self._dedup(own + [w for layer in self._layers for w in layer.trainable_weights])

    @property
    def non_trainable_weights(self) -> list:
        if not self._trainable:
            return self.weights
        own = list(self._non_trainable_vars)
        return self._dedup(own + [w for layer in self._layers for w in layer.non_trainable_weights])

    @property
    def weights(self) -> list:
        return self._dedup(self._own_weights() + [w for layer in self._layers for w in layer.weights])

    variables = weights
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def count_params(self) -> int:
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer '{self.name}', but the layer isn't built. "
                "You can build it manually via: `layer.build(input_shape)`."
            )
        return int(sum(int(np.prod(v.shape)) for v in self.weights))

    def get_weights(self) -> list:
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights: Any) -> None:
        from ..models.weights_io import assign_weights

        assign_weights(self, self.weights, weights)


def _positional_weight_args(args: tuple, shape: Any, initializer: Any, dtype: Any) -> tuple:
    """``add_weight``'s positional (shape, initializer, dtype), with Keras 3's errors for a positional name, too
    many arguments, or one given both ways."""
    if len(args) > 3:
        raise TypeError(f"add_weight() takes at most 3 positional arguments but {len(args)} were given.")
    if isinstance(args[0], str):
        raise ValueError(
            "`name` must be passed as a keyword argument. "
            f"Received: add_weight('{args[0]}', ...). Use: add_weight(shape=..., name='{args[0]}')."
        )
    given = [shape, initializer, dtype]
    for i, (label, value) in enumerate(zip(("shape", "initializer", "dtype"), args)):
        if given[i] is not None:
            raise ValueError(f"`{label}` was passed both positionally and as a keyword argument.")
        given[i] = value
    return tuple(given)
