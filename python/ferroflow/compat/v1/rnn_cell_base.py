"""The base of TF1's recurrent cells (``tf.compat.v1.nn.rnn_cell.RNNCell``) and ``LSTMStateTuple``.

A cell maps ``(inputs, state)`` to ``(output, new_state)`` for one time step. As TF1's layer-based cells, it
creates its variables with ``get_variable`` on its first call, inside a variable scope named after the cell
(``rnn/basic_lstm_cell/kernel`` when ``dynamic_rnn`` calls it), and reuses them on every later call.
"""

from __future__ import annotations

import collections
from typing import Any, Optional

from ...framework import nest
from ...framework.dtypes import as_dtype
from ...framework.graph import SymbolicTensor
from ...framework.ops import convert_to_tensor
from ...ops import array_ops
from .variable_scope import variable_scope


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """The state of an LSTM cell: ``c`` the memory cell, ``h`` the output (hidden state)."""

    __slots__ = ()

    @property
    def dtype(self) -> Any:
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError(f"Inconsistent internal state: {c.dtype} vs {h.dtype}")
        return c.dtype


class RNNCell:
    """The abstract cell: subclasses give ``state_size``, ``output_size``, ``build(input_depth)`` (creating
    variables with ``get_variable``) and ``call(inputs, state)``."""

    _base_name = "rnn_cell"

    def __init__(self, trainable: bool = True, name: Optional[str] = None, dtype: Any = None, **kwargs: Any) -> None:
        self._name = name
        self._dtype = None if dtype is None else as_dtype(dtype)
        self.trainable = trainable
        self._built = False
        self._scope_name: Optional[str] = None
        self._variables: list = []

    @property
    def name(self) -> str:
        return self._scope_name.rsplit("/", 1)[-1] if self._scope_name else (self._name or self._base_name)

    @property
    def state_size(self) -> Any:
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self) -> Any:
        raise NotImplementedError("Abstract method")

    @property
    def variables(self) -> list:
        return list(self._variables)

    weights = variables

    @property
    def trainable_variables(self) -> list:
        return [v for v in self._variables if v.trainable]

    trainable_weights = trainable_variables

    def build(self, input_depth: int) -> None:
        """Creates the cell's variables for inputs of ``input_depth`` features (none by default)."""

    def call(self, inputs: Any, state: Any) -> tuple:
        raise NotImplementedError("Abstract method")

    def _get_variable(self, name: str, shape: list, initializer: Any = None, dtype: Any = None) -> Any:
        from .variable_scope import get_variable

        v = get_variable(name, shape, dtype=dtype or self._dtype, initializer=initializer, trainable=self.trainable)
        self._variables.append(v)
        return v

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple:
        """One step: ``(output, new_state)``. The first call creates the variables under ``scope`` (the cell's
        name, made unique in the enclosing variable scope, by default)."""
        inputs = convert_to_tensor(inputs)
        if self._dtype is None:
            self._dtype = inputs.dtype
        if not self._built:
            depth = inputs.shape[-1] if inputs.shape.rank else None
            if depth is None:
                raise ValueError(f"Expected inputs.shape[-1] to be known, saw shape: {inputs.shape}")
            with variable_scope(scope, default_name=self._name or self._base_name) as vs:
                self._scope_name = vs.name
                self.build(int(depth))
            self._built = True
        return self.call(inputs, state)

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        """Zeros of ``[batch_size, size]`` for each part of ``state_size`` (``batch_size`` may be a tensor)."""
        d = as_dtype(dtype)

        def zeros(size: Any) -> Any:
            dims = [int(s) for s in size] if isinstance(size, (list, tuple)) else [int(size)]
            z = array_ops.zeros([batch_size, *dims], dtype=d)
            if isinstance(z, SymbolicTensor):  # a batch size known at run time: the other sizes are known now
                z.set_shape([batch_size if isinstance(batch_size, int) else None, *dims])
            return z

        return nest.map_structure(zeros, self.state_size)

    def get_initial_state(self, inputs: Any = None, batch_size: Any = None, dtype: Any = None) -> Any:
        if inputs is not None:
            inputs = convert_to_tensor(inputs)
            batch_size = inputs.shape[0] if inputs.shape[0] is not None else array_ops.shape(inputs)[0]
            dtype = dtype or inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError("get_initial_state needs inputs, or batch_size and dtype")
        return self.zero_state(batch_size, dtype)


def linear(args: list, kernel: Any, bias: Any) -> Any:
    """``concat(args, 1) @ kernel + bias``: the affine map every cell applies to its input and state."""
    from ...ops.math_ops import matmul
    from ...ops.nn_ops import bias_add

    joined = args[0] if len(args) == 1 else array_ops.concat(args, 1)
    out = matmul(joined, kernel)
    return out if bias is None else bias_add(out, bias)
