"""Calling an ``input_fn`` and checking what it returns: a ``Dataset`` of ``(features, labels)``, or
``(features, labels)`` tensors, where features are a tensor or a dict of them."""

from __future__ import annotations

import inspect
from typing import Any, Callable, List, Tuple

import numpy as np

from ..compat.v1.session_run_hook import SessionRunHook
from ..data.dataset_ops import Dataset
from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import Tensor


def fn_args(fn: Callable) -> Tuple[str, ...]:
    """The names of ``fn``'s parameters (of its ``func`` for a ``functools.partial``; ``self`` excluded)."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return ()
    return tuple(name for name, p in params.items() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))


class DatasetInitializerHook(SessionRunHook):
    """Runs the initializer of the iterator over the ``input_fn``'s dataset when the session is made."""

    def __init__(self, iterator: Any) -> None:
        self._iterator = iterator

    def begin(self) -> None:
        self._initializer = self._iterator.initializer

    def after_create_session(self, session: Any, coord: Any) -> None:
        session.run(self._initializer)


def call_input_fn(input_fn: Callable, mode: str, params: dict, config: Any) -> Any:
    """``input_fn`` called with the ``mode``, ``params`` and ``config`` arguments it declares."""
    if not callable(input_fn):
        raise TypeError(f"input_fn must be a callable that returns the input data, given: {input_fn!r}")
    args = fn_args(input_fn)
    kwargs: dict = {}
    if "mode" in args:
        kwargs["mode"] = mode
    if "params" in args:
        kwargs["params"] = params
    if "config" in args:
        kwargs["config"] = config
    return input_fn(**kwargs)


def _describe(value: Any) -> str:
    if isinstance(value, (Tensor, SparseTensor, RaggedTensor)):
        return f"{type(value).__name__}(shape={value.shape}, dtype={value.dtype.name})"
    return type(value).__name__


def _as_input(value: Any, what: str) -> Any:
    """A feature or label value as a tensor; NumPy arrays and Python lists become constants."""
    if isinstance(value, (Tensor, SparseTensor, RaggedTensor)):
        return value
    if isinstance(value, (np.ndarray, list, float, int, np.generic)):
        return convert_to_tensor(np.asarray(value))
    raise ValueError(
        f"{what} must be a Tensor, SparseTensor or RaggedTensor (or a dict of them); received {_describe(value)}: "
        f"{value!r:.200}"
    )


def _check_structure(value: Any, what: str, allow_none: bool) -> Any:
    if value is None:
        if allow_none:
            return None
        raise ValueError(f"{what} must not be None")
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"the keys of {what} must be strings; received key {key!r}")
            out[key] = _as_input(item, f"{what}[{key!r}]")
        return out
    if isinstance(value, (tuple, list)) and what == "features" and value and isinstance(value[0], Tensor):
        raise ValueError(
            f"features must be a Tensor or a dict of Tensors, received a {type(value).__name__} of "
            f"{len(value)} items: {[_describe(v) for v in value]}. An input_fn returns (features, labels)."
        )
    return _as_input(value, what)


def parse_input_fn_result(result: Any, mode: str) -> Tuple[Any, Any, List[SessionRunHook]]:
    """``(features, labels, input_hooks)`` from an ``input_fn``'s result; a dataset gets an initializable
    iterator (and the hook that initializes it)."""
    hooks: List[SessionRunHook] = []
    if isinstance(result, Dataset):
        from ..compat.v1.iterator_ops import make_initializable_iterator

        iterator = make_initializable_iterator(result)
        hooks.append(DatasetInitializerHook(iterator))
        result = iterator.get_next()
    if isinstance(result, (list, tuple)):
        if len(result) != 2:
            raise ValueError(
                f"input_fn should return (features, labels) as a len 2 tuple; it returned a {type(result).__name__} "
                f"of {len(result)} items: {[_describe(v) for v in result]}"
            )
        features, labels = result
    else:
        features, labels = result, None
    features = _check_structure(features, "features", allow_none=False)
    labels = _check_structure(labels, "labels", allow_none=True)
    return features, labels, hooks
