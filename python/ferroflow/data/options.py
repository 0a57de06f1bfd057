"""``tf.data.Options`` and its groups (threading, optimization, autotuning, distribution).

Every option TensorFlow has is accepted and kept (``ds.options()`` gives them back, merged along the
pipeline); the Python pipeline is sequential and deterministic, so most of them do not change what it does.
"""

from __future__ import annotations

import enum
from typing import Any, Optional


class AutoShardPolicy(enum.IntEnum):
    """``tf.data.experimental.AutoShardPolicy``."""

    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


class ExternalStatePolicy(enum.Enum):
    """``tf.data.experimental.ExternalStatePolicy``."""

    WARN = 0
    IGNORE = 1
    FAIL = 2


class _OptionsBase:
    """Options with a fixed set of names: unset ones read as their default, unknown ones are refused."""

    _fields: dict = {}  # name -> default (a class for nested option groups)
    _aliases: dict = {}

    def __init__(self) -> None:
        object.__setattr__(self, "_values", {})
        for name, default in self._fields.items():
            if isinstance(default, type) and issubclass(default, _OptionsBase):
                self._values[name] = default()

    def __getattr__(self, name: str) -> Any:
        name = type(self)._aliases.get(name, name)
        if name not in type(self)._fields:
            raise AttributeError(f"{type(self).__name__} has no option {name!r}")
        return self._values.get(name, self._fields[name])

    def __setattr__(self, name: str, value: Any) -> None:
        name = type(self)._aliases.get(name, name)
        if name not in type(self)._fields:
            raise AttributeError(f"Cannot set the property {name} on {type(self).__name__}.")
        default = self._fields[name]
        if isinstance(default, type) and issubclass(default, _OptionsBase) and not isinstance(value, default):
            raise TypeError(f"{type(self).__name__}.{name} must be a {default.__name__}, received {value!r}")
        self._values[name] = value

    def merge(self, other: Optional[_OptionsBase]) -> Any:
        """These options with every option set in ``other`` taking its value."""
        out = type(self)()
        for name, value in self._values.items():
            out._values[name] = value
        if other is None:
            return out
        for name, value in other._values.items():
            mine = out._values.get(name)
            out._values[name] = mine.merge(value) if isinstance(mine, _OptionsBase) else value
        return out

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self._fields)

    def __repr__(self) -> str:
        set_ = ", ".join(f"{k}={v!r}" for k, v in self._values.items() if not isinstance(v, _OptionsBase))
        return f"{type(self).__name__}({set_})"


class ThreadingOptions(_OptionsBase):
    """``tf.data.ThreadingOptions``."""

    _fields = {"max_intra_op_parallelism": None, "private_threadpool_size": None}


class AutotuneOptions(_OptionsBase):
    """``tf.data.experimental.AutotuneOptions``."""

    _fields = {
        "enabled": None,
        "cpu_budget": None,
        "ram_budget": None,
        "initial_parallelism": None,
        "autotune_algorithm": None,
    }


class DistributeOptions(_OptionsBase):
    """``tf.data.experimental.DistributeOptions``."""

    _fields = {"auto_shard_policy": AutoShardPolicy.AUTO, "num_devices": None}


class OptimizationOptions(_OptionsBase):
    """``tf.data.experimental.OptimizationOptions``."""

    _fields = {
        name: None
        for name in (
            "apply_default_optimizations",
            "filter_fusion",
            "filter_parallelization",
            "inject_prefetch",
            "map_and_batch_fusion",
            "map_and_filter_fusion",
            "map_fusion",
            "map_parallelization",
            "noop_elimination",
            "parallel_batch",
            "seq_interleave_prefetch",
            "shuffle_and_repeat_fusion",
            "warm_start",
        )
    }


class Options(_OptionsBase):
    """``tf.data.Options``: set with ``options.deterministic = False`` etc., attached with ``ds.with_options``."""

    _fields = {
        "autotune": AutotuneOptions,
        "dataset_name": None,
        "deterministic": None,
        "experimental_distribute": DistributeOptions,
        "experimental_external_state_policy": None,
        "experimental_optimization": OptimizationOptions,
        "experimental_slack": None,
        "experimental_symbolic_checkpoint": None,
        "experimental_warm_start": None,
        "framework_type": None,
        "threading": ThreadingOptions,
    }
    _aliases = {"experimental_deterministic": "deterministic", "experimental_threading": "threading"}
