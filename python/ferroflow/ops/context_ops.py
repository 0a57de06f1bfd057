"""Where code is running, with TensorFlow 2's names: ``get_logger``, ``inside_function``, ``is_symbolic_tensor``,
``get_current_name_scope``; and the variable enums ``VariableAggregation``, ``VariableSynchronization``."""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any

from ..framework import context
from ..framework.graph import SymbolicTensor
from ..framework.variable_enums import VariableAggregation, VariableSynchronization  # noqa: F401

_LOGGER: dict = {}
_LOCK = threading.Lock()


def get_logger() -> logging.Logger:
    """The ``ferroflow`` logger; configured once, as TensorFlow's, with a handler of its own unless the root
    logger already has one (then its records go there only)."""
    with _LOCK:
        logger = _LOGGER.get("logger")
        if logger is not None:
            return logger
        logger = logging.getLogger("ferroflow")
        if not logging.getLogger().handlers:
            interactive = hasattr(sys, "ps1") or bool(sys.flags.interactive)
            if interactive:
                logger.setLevel(logging.INFO)  # as TensorFlow in a notebook or REPL: INFO to stdout
            handler = logging.StreamHandler(sys.stdout if interactive else sys.stderr)
            handler.setFormatter(logging.Formatter(logging.BASIC_FORMAT, None))
            logger.addHandler(handler)
        _LOGGER["logger"] = logger
        return logger


def inside_function() -> bool:
    """Whether the code is being traced into a ``tf.function`` (False eagerly and in a TF1 graph)."""
    return bool(getattr(context.current_graph(), "is_function", False))


def is_symbolic_tensor(tensor: Any) -> bool:
    """Whether ``tensor`` is a graph tensor (no value until the graph runs), not an eager one or a variable."""
    return isinstance(tensor, SymbolicTensor)


def get_current_name_scope() -> str:
    """The name scope ops get now (``"outer/inner"``; ``""`` at the top, also at the top of a ``tf.function``)."""
    graph = context.current_graph()
    if graph is None:
        return "/".join(context._state.eager_scopes)
    return "/".join(graph._scopes)
