"""Argument checks and small helpers of ``Estimator``, with TensorFlow's messages."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from typing import Any, Callable, Iterator, List, Optional

from ._inputs import fn_args
from .run_config import RunConfig

_VALID_MODEL_FN_ARGS = {"features", "labels", "mode", "params", "self", "config"}
log = logging.getLogger("ferroflow.estimator")


def verify_model_fn_args(model_fn: Callable, params: Optional[dict]) -> None:
    """``model_fn`` takes ``features`` and only the arguments an estimator passes."""
    if not callable(model_fn):
        raise TypeError(f"model_fn must be a callable returning an EstimatorSpec, given: {model_fn!r}")
    args = set(fn_args(model_fn))
    if "features" not in args:
        raise ValueError(f"model_fn ({model_fn}) must include features argument.")
    if params is not None and "params" not in args:
        raise ValueError(
            f"model_fn ({model_fn}) does not include params argument, but params ({params}) is passed to Estimator."
        )
    if params is None and "params" in args:
        log.warning(
            "Estimator's model_fn (%s) includes params argument, but params are not passed to Estimator.", model_fn
        )
    unexpected = sorted(args - _VALID_MODEL_FN_ARGS)
    if unexpected:
        raise ValueError(f"model_fn ({model_fn}) has following not expected args: {unexpected}")


def config_with_model_dir(config: Any, model_dir: Any) -> RunConfig:
    """``config`` (a default ``RunConfig`` if None) with ``model_dir`` set: the argument, the config's, or a new
    temporary directory."""
    if config is None:
        config = RunConfig()
    if not isinstance(config, RunConfig):
        raise ValueError(f"config must be an instance of `RunConfig`, but provided {config}.")
    model_dir = None if model_dir is None else os.fspath(model_dir)
    if model_dir is not None and config.model_dir is not None and config.model_dir != model_dir:
        raise ValueError(
            "`model_dir` are set both in constructor and `RunConfig`, but with different values. In constructor: "
            f"'{model_dir}', in `RunConfig`: '{config.model_dir}' "
        )
    if model_dir:
        return config.replace(model_dir=model_dir)
    if config.model_dir is None:
        model_dir = tempfile.mkdtemp()
        log.warning("Using temporary folder as model directory: %s", model_dir)
        return config.replace(model_dir=model_dir)
    return config


def check_hooks_type(hooks: Any) -> List[Any]:
    from ..compat.v1.session_run_hook import SessionRunHook

    hooks = list(hooks or [])
    for hook in hooks:
        if not isinstance(hook, SessionRunHook):
            raise TypeError(f"Hooks must be a SessionRunHook, given: {hook}")
    return hooks


def check_listeners_type(saving_listeners: Any) -> List[Any]:
    from ..compat.v1.checkpoint_hooks import CheckpointSaverListener

    listeners = list(saving_listeners or [])
    for listener in listeners:
        if not isinstance(listener, CheckpointSaverListener):
            raise TypeError(f"saving_listeners must be a list of CheckpointSaverListener, given: {listener}")
    return listeners


def load_global_step(checkpoint_dir: str) -> int:
    """The global step of the latest checkpoint in ``checkpoint_dir``, 0 if there is none."""
    from ..train import latest_checkpoint, load_variable

    try:
        path = latest_checkpoint(checkpoint_dir)
        return int(load_variable(path, "global_step")) if path else 0
    except (ValueError, OSError):
        return 0


def check_checkpoint_available(model_dir: str) -> str:
    from ..train import latest_checkpoint

    path = latest_checkpoint(model_dir)
    if not path:
        raise ValueError(f"Could not find trained model in model_dir: {model_dir}.")
    return path


def assert_members_are_not_overridden(base: type, obj: Any) -> None:
    """Subclasses configure an estimator through its ``model_fn``; they may not replace its methods."""
    allowed = {"model_fn", "_create_and_assert_global_step", "_export_all_saved_models", "latest_checkpoint"}
    members = {m for m in dir(base) if not m.startswith("__")}
    own = set(type(obj).__dict__)
    overridden = sorted(m for m in (members & own) - allowed if getattr(base, m) is not getattr(type(obj), m))
    if overridden:
        raise ValueError(
            f"Subclasses of Estimator cannot override members of Estimator. {type(obj)} does override {overridden}"
        )


def dict_to_str(dictionary: dict) -> str:
    return ", ".join(f"{k} = {v}" for k, v in sorted(dictionary.items()) if not isinstance(v, bytes))


@contextlib.contextmanager
def explained_restore_errors(model_dir: str) -> Iterator[None]:
    """Re-raises a failed restore of ``model_dir``'s checkpoint (same error type) saying that the directory holds
    another model; the original text names the missing key or the mismatched shape."""
    from .. import errors

    try:
        yield
    except (errors.NotFoundError, errors.InvalidArgumentError) as error:
        note = (
            f"model_dir {model_dir!r} holds a checkpoint that does not match this model (was it written by a "
            f"different model_fn, or with other feature columns or layer sizes?). {error}"
        )
        raise type(error)(note) from error
