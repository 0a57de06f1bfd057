"""``StackedRNNCells``: several cells run as one, each step feeding the next cell's input."""

from __future__ import annotations

from typing import Any, Optional, Sequence

from ..framework import nest
from ..ops import array_ops
from ._keras_weight_groups import container_groups
from ._sublayer_config import deserialize_sublayer, serialize_sublayer
from .base_layer import Layer


def check_cell(cell: Any, what: str) -> None:
    """Keras's checks of a cell: a ``call`` method and a ``state_size`` attribute."""
    if "call" not in dir(cell):
        raise ValueError(f"{what} should have a `call` method. Received: cell={cell}")
    if "state_size" not in dir(cell):
        raise ValueError(
            "The RNN cell should have a `state_size` attribute (single integer or list of integers, one integer "
            f"per RNN state). Received: cell={cell}"
        )


def build_cell(cell: Any, input_shape: tuple) -> None:
    if isinstance(cell, Layer):
        cell._maybe_build(input_shape)
    elif hasattr(cell, "build") and not getattr(cell, "built", False):
        cell.build(input_shape)
        cell.built = True


def cell_output_size(cell: Any) -> Any:
    if getattr(cell, "output_size", None) is not None:
        return cell.output_size
    if isinstance(cell.state_size, (list, tuple)):
        return cell.state_size[0]
    return cell.state_size


def zero_initial_state(cell: Any) -> bool:
    """Whether ``cell``'s initial state is all zeros (so a graph with unknown batch size can broadcast it)."""
    return getattr(cell, "get_initial_state", None) is None or bool(getattr(cell, "_zero_initial_state", False))


class StackedRNNCells(Layer):
    """Wraps a list of cells so that an ``RNN`` runs them as one cell: ``RNN([LSTMCell(8), LSTMCell(4)])``."""

    def __init__(self, cells: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for cell in cells:
            if "call" not in dir(cell):
                raise ValueError(f"All cells must have a `call` method. Received cell without a `call` method: {cell}")
            if "state_size" not in dir(cell):
                raise ValueError(
                    f"All cells must have a `state_size` attribute. Received cell without a `state_size`: {cell}"
                )
        self.cells = list(cells)

    @property
    def state_size(self) -> list:
        return [c.state_size for c in self.cells]

    @property
    def output_size(self) -> Any:
        return cell_output_size(self.cells[-1])

    @property
    def _zero_initial_state(self) -> bool:
        return all(zero_initial_state(c) for c in self.cells)

    def get_initial_state(self, batch_size: Any = None) -> list:
        states = []
        for cell in self.cells:
            fn = getattr(cell, "get_initial_state", None)
            if fn is not None:
                states.append(fn(batch_size=batch_size))
            elif isinstance(cell.state_size, int):
                states.append(array_ops.zeros((batch_size, cell.state_size), dtype=self.compute_dtype))
            else:
                states.append([array_ops.zeros((batch_size, d), dtype=self.compute_dtype) for d in cell.state_size])
        return states

    def call(self, inputs: Any, states: Any, training: Any = False, **kwargs: Any) -> Any:
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            is_list = nest.is_nested(cell_states)
            cell_states = list(cell_states) if is_list else [cell_states]
            call_fn = cell if callable(cell) else cell.call
            if isinstance(cell, Layer):
                inputs, cell_states = call_fn(inputs, cell_states, training=training, **kwargs)
            else:
                inputs, cell_states = call_fn(inputs, cell_states, **kwargs)
            if not nest.is_nested(cell_states):
                cell_states = [cell_states]
            if len(cell_states) == 1 and not is_list:
                cell_states = cell_states[0]
            new_states.append(cell_states)
        if len(new_states) == 1:
            new_states = new_states[0]
        return inputs, new_states

    def build(self, input_shape: Any) -> None:
        batch = tuple(input_shape)[0]
        for cell in self.cells:
            build_cell(cell, tuple(input_shape))
            input_shape = (batch, cell_output_size(cell))
        self.built = True

    def _keras_weight_groups(self) -> list:
        return container_groups(self.cells, "cells")

    def get_config(self) -> dict:
        config = super().get_config()
        config["cells"] = [serialize_sublayer(cell) for cell in self.cells]
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: Optional[dict] = None) -> StackedRNNCells:
        config = dict(config)
        cells = [deserialize_sublayer(c, custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)
