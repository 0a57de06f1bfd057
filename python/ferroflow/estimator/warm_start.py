"""``tf.estimator.WarmStartSettings``: start a new model's variables from another model's checkpoint."""

from __future__ import annotations

import collections
import os
import re
from typing import Any, Optional


class VocabInfo(
    collections.namedtuple(
        "VocabInfo",
        ["new_vocab", "new_vocab_size", "num_oov_buckets", "old_vocab", "old_vocab_size", "backup_initializer", "axis"],
    )
):
    """How a vocabulary changed between the checkpoint and the model (accepted; remapping is not supported)."""

    def __new__(
        cls,
        new_vocab: Any,
        new_vocab_size: int,
        num_oov_buckets: int,
        old_vocab: Any,
        old_vocab_size: int = -1,
        backup_initializer: Any = None,
        axis: int = 0,
    ) -> VocabInfo:
        return super().__new__(
            cls, new_vocab, new_vocab_size, num_oov_buckets, old_vocab, old_vocab_size, backup_initializer, axis
        )


class WarmStartSettings(
    collections.namedtuple(
        "WarmStartSettings",
        ["ckpt_to_initialize_from", "vars_to_warm_start", "var_name_to_vocab_info", "var_name_to_prev_var_name"],
    )
):
    """Which variables (a regex over the trainable ones' names, ``".*"`` by default, or a list of regexes over
    all variables) start from ``ckpt_to_initialize_from`` (a checkpoint or a directory of them), optionally
    under other names."""

    def __new__(
        cls,
        ckpt_to_initialize_from: str,
        vars_to_warm_start: Any = ".*",
        var_name_to_vocab_info: Optional[dict] = None,
        var_name_to_prev_var_name: Optional[dict] = None,
    ) -> WarmStartSettings:
        if not ckpt_to_initialize_from:
            raise ValueError("`ckpt_to_initialize_from` MUST be set in WarmStartSettings")
        return super().__new__(
            cls,
            os.fspath(ckpt_to_initialize_from),
            vars_to_warm_start,
            var_name_to_vocab_info or {},
            var_name_to_prev_var_name or {},
        )


def get_default_warm_start_settings(warm_start_from: Any) -> Optional[WarmStartSettings]:
    """A path means every variable (not only trainable ones) starts from it; settings pass through."""
    if warm_start_from is None:
        return None
    if isinstance(warm_start_from, (str, bytes, os.PathLike)):
        path = os.fsdecode(warm_start_from)
        if os.path.isdir(os.path.join(path, "variables")) or os.path.exists(os.path.join(path, "saved_model.json")):
            raise ValueError(f"Warm-starting from a SavedModel is not supported; give a checkpoint: {path}")
        return WarmStartSettings(ckpt_to_initialize_from=path, vars_to_warm_start=".*")
    if isinstance(warm_start_from, WarmStartSettings):
        if warm_start_from.var_name_to_vocab_info:
            raise ValueError("WarmStartSettings.var_name_to_vocab_info (vocabulary remapping) is not supported")
        return warm_start_from
    raise ValueError(f"warm_start_from must be a string or a WarmStartSettings, instead got {type(warm_start_from)}")


def warm_start_saver(settings: WarmStartSettings, graph: Any) -> Any:
    """A ``Saver`` that restores the selected variables of ``graph`` from the settings' checkpoint names."""
    from ..compat.v1.saver import Saver
    from ..train import latest_checkpoint, list_variables

    path = settings.ckpt_to_initialize_from
    if os.path.isdir(path):
        path = latest_checkpoint(path)
        if path is None:
            raise ValueError(f"No checkpoint to warm-start from in {settings.ckpt_to_initialize_from}")
    names = {name for name, _ in list_variables(path)}
    chosen = settings.vars_to_warm_start
    # TensorFlow's rule: a regex selects among the trainable variables, a list of regexes among all of them.
    if isinstance(chosen, (list, tuple)):
        patterns = [re.compile(p) for p in chosen]
        candidates = [v for v in graph.get_collection("variables") if any(p.match(_base(v.op.name)) for p in patterns)]
    else:
        pattern = re.compile(chosen) if chosen else None
        pool = graph.get_collection("trainable_variables")
        candidates = [v for v in pool if pattern is not None and pattern.match(_base(v.op.name))]
    var_list = {}
    for var in candidates:
        prev = settings.var_name_to_prev_var_name.get(_base(var.op.name), _base(var.op.name))
        if prev in names:
            var_list[prev] = var
    return (Saver(var_list=var_list), path) if var_list else (None, path)


def _base(name: str) -> str:
    return name[:-2] if name.endswith(":0") else name
