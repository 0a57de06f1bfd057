"""``tf.estimator.RunConfig``: where an estimator writes, how often it saves checkpoints and summaries."""

from __future__ import annotations

import copy
import os
from typing import Any, Optional

_USE_DEFAULT = object()

_REPLACEABLE = (
    "model_dir",
    "tf_random_seed",
    "save_summary_steps",
    "save_checkpoints_steps",
    "save_checkpoints_secs",
    "session_config",
    "keep_checkpoint_max",
    "keep_checkpoint_every_n_hours",
    "log_step_count_steps",
    "train_distribute",
    "device_fn",
    "protocol",
    "eval_distribute",
    "experimental_distribute",
    "experimental_max_worker_delay_secs",
    "session_creation_timeout_secs",
    "checkpoint_save_graph_def",
)

# property -> (check, message): TensorFlow's validations, applied to values that are not None.
_CHECKS = {
    "model_dir": (lambda d: bool(d), "model_dir should be non-empty"),
    "save_summary_steps": (lambda s: s >= 0, "save_summary_steps should be >= 0"),
    "save_checkpoints_steps": (lambda s: s >= 0, "save_checkpoints_steps should be >= 0"),
    "save_checkpoints_secs": (lambda s: s >= 0, "save_checkpoints_secs should be >= 0"),
    "keep_checkpoint_max": (lambda k: k >= 0, "keep_checkpoint_max should be >= 0"),
    "keep_checkpoint_every_n_hours": (lambda h: h > 0, "keep_checkpoint_every_n_hours should be > 0"),
    "log_step_count_steps": (lambda n: n > 0, "log_step_count_steps should be > 0"),
    "tf_random_seed": (lambda s: isinstance(s, int) and not isinstance(s, bool), "tf_random_seed must be integer."),
    "session_creation_timeout_secs": (lambda t: t > 0, "session_creation_timeout_secs should be > 0"),
    "device_fn": (callable, 'device_fn must be callable with exactly one argument "op".'),
}


class RunConfig:
    """The run settings of an ``Estimator``. Checkpoints are saved every 600 seconds unless
    ``save_checkpoints_steps`` or ``save_checkpoints_secs`` is given (not both); summaries every 100 steps."""

    def __init__(
        self,
        model_dir: Optional[str] = None,
        tf_random_seed: Optional[int] = None,
        save_summary_steps: int = 100,
        save_checkpoints_steps: Any = _USE_DEFAULT,
        save_checkpoints_secs: Any = _USE_DEFAULT,
        session_config: Any = None,
        keep_checkpoint_max: int = 5,
        keep_checkpoint_every_n_hours: float = 10000,
        log_step_count_steps: int = 100,
        train_distribute: Any = None,
        device_fn: Any = None,
        protocol: Any = None,
        eval_distribute: Any = None,
        experimental_distribute: Any = None,
        experimental_max_worker_delay_secs: Any = None,
        session_creation_timeout_secs: int = 7200,
        checkpoint_save_graph_def: bool = True,
    ) -> None:
        if save_checkpoints_steps is _USE_DEFAULT and save_checkpoints_secs is _USE_DEFAULT:
            save_checkpoints_steps, save_checkpoints_secs = None, 600
        elif save_checkpoints_secs is _USE_DEFAULT:
            save_checkpoints_secs = None
        elif save_checkpoints_steps is _USE_DEFAULT:
            save_checkpoints_steps = None
        elif save_checkpoints_steps is not None and save_checkpoints_secs is not None:
            raise ValueError("Can not provide both save_checkpoints_steps and save_checkpoints_secs.")
        if model_dir is not None:
            model_dir = os.fspath(model_dir)
        self._values = dict(
            model_dir=model_dir,
            tf_random_seed=tf_random_seed,
            save_summary_steps=save_summary_steps,
            save_checkpoints_steps=save_checkpoints_steps,
            save_checkpoints_secs=save_checkpoints_secs,
            session_config=session_config,
            keep_checkpoint_max=keep_checkpoint_max,
            keep_checkpoint_every_n_hours=keep_checkpoint_every_n_hours,
            log_step_count_steps=log_step_count_steps,
            train_distribute=train_distribute,
            device_fn=device_fn,
            protocol=protocol,
            eval_distribute=eval_distribute,
            experimental_distribute=experimental_distribute,
            experimental_max_worker_delay_secs=experimental_max_worker_delay_secs,
            session_creation_timeout_secs=session_creation_timeout_secs,
            checkpoint_save_graph_def=checkpoint_save_graph_def,
        )
        if train_distribute is not None or eval_distribute is not None:
            raise ValueError(
                "Distribution strategies are not supported by ferroflow's estimators; leave "
                "train_distribute and eval_distribute as None."
            )
        self._validate()

    def _validate(self) -> None:
        for key, (check, message) in _CHECKS.items():
            value = self._values[key]
            if value is not None and not check(value):
                raise ValueError(message)

    def replace(self, **kwargs: Any) -> RunConfig:
        """A copy with the given properties replaced (the checkpoint step/second pair is validated again)."""
        for key in kwargs:
            if key not in _REPLACEABLE:
                raise ValueError(f"Replacing {key} is not supported. Allowed properties are {sorted(_REPLACEABLE)}.")
        new = copy.deepcopy(self)
        new._values.update(kwargs)
        if "model_dir" in kwargs and kwargs["model_dir"] is not None:
            new._values["model_dir"] = os.fspath(kwargs["model_dir"])
        if new._values["save_checkpoints_steps"] is not None and new._values["save_checkpoints_secs"] is not None:
            raise ValueError("Can not provide both save_checkpoints_steps and save_checkpoints_secs.")
        new._validate()
        return new

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("_values")
        if values is not None and name in values:
            return values[name]
        raise AttributeError(f"'RunConfig' object has no attribute '{name}'")

    # The single-machine cluster: this process is the chief, there are no parameter servers.
    cluster_spec = property(lambda self: None)
    task_type = property(lambda self: "worker")
    task_id = property(lambda self: 0)
    num_ps_replicas = property(lambda self: 0)
    num_worker_replicas = property(lambda self: 1)
    is_chief = property(lambda self: True)
    master = property(lambda self: "")
    evaluation_master = property(lambda self: "")
    global_id_in_cluster = property(lambda self: 0)
    service = property(lambda self: None)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self._values.items())
        return f"RunConfig({shown})"
