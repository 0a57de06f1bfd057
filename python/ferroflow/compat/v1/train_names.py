"""The names of ``tf.compat.v1.train`` defined in other modules, loaded on first use."""

from __future__ import annotations

import importlib
from typing import Any

# name -> module under ferroflow.compat.v1 that defines it.
_LAZY = {
    **dict.fromkeys(["Saver", "SaverDef"], "saver"),
    **dict.fromkeys(
        [
            "checkpoint_exists",
            "generate_checkpoint_state_proto",
            "get_checkpoint_mtimes",
            "remove_checkpoint",
            "update_checkpoint_state",
        ],
        "checkpoint_management",
    ),
    **dict.fromkeys(["SessionRunArgs", "SessionRunContext", "SessionRunHook", "SessionRunValues"], "session_run_hook"),
    **dict.fromkeys(["LoggingTensorHook", "StepCounterHook", "StopAtStepHook"], "basic_hooks"),
    **dict.fromkeys(["CheckpointSaverHook", "CheckpointSaverListener"], "checkpoint_hooks"),
    "SecondOrStepTimer": "hook_timers",
    **dict.fromkeys(
        [
            "FeedFnHook",
            "FinalOpsHook",
            "GlobalStepWaiterHook",
            "NanLossDuringTrainingError",
            "NanTensorHook",
            "SummarySaverHook",
        ],
        "more_hooks",
    ),
    "Scaffold": "scaffold",
    **dict.fromkeys(["export_meta_graph", "import_meta_graph"], "meta_graph"),
    **dict.fromkeys(["AdagradOptimizer", "FtrlOptimizer"], "train_optimizers"),
    **dict.fromkeys(
        ["ChiefSessionCreator", "SessionCreator", "SessionManager", "WorkerSessionCreator"], "session_manager"
    ),
    **dict.fromkeys(["MonitoredSession", "MonitoredTrainingSession", "SingularMonitoredSession"], "monitored_session"),
    "Coordinator": "coordinator",
    **dict.fromkeys(["QueueRunner", "add_queue_runner", "start_queue_runners"], "queue_runner"),
    **dict.fromkeys(
        [
            f"{maybe}{kind}{join}"
            for maybe in ("", "maybe_")
            for kind in ("batch", "shuffle_batch")
            for join in ("", "_join")
        ],
        "input_batch",
    ),
    **dict.fromkeys(
        ["input_producer", "limit_epochs", "range_input_producer", "slice_input_producer", "string_input_producer"],
        "input_producers",
    ),
    **dict.fromkeys(["assert_global_step", "write_graph"], "training_util"),
    "summary_iterator": "summary_writer",
}
# TensorFlow 2's tf.train names that tf.compat.v1.train shares.
_FROM_TF2 = (
    "BytesList",
    "Checkpoint",
    "CheckpointManager",
    "Example",
    "Feature",
    "FeatureList",
    "FeatureLists",
    "Features",
    "FloatList",
    "Int64List",
    "SequenceExample",
    "get_checkpoint_state",
    "latest_checkpoint",
    "list_variables",
    "load_variable",
)
# Submodules of tf.compat.v1.train: name -> module under ferroflow.compat.v1.
_MODULES = {"queue_runner": "queue_runner"}
NAMES = sorted([*_LAZY, *_FROM_TF2, *_MODULES])


def resolve(name: str) -> Any:
    """The value of ``tf.compat.v1.train.<name>``; AttributeError for names the module lacks."""
    if name in _MODULES:
        return importlib.import_module(f"ferroflow.compat.v1.{_MODULES[name]}")
    if name in _LAZY:
        return getattr(importlib.import_module(f"ferroflow.compat.v1.{_LAZY[name]}"), name)
    if name in _FROM_TF2:
        return getattr(importlib.import_module("ferroflow.train"), name)
    raise AttributeError(f"module 'ferroflow.compat.v1.train' has no attribute '{name}'")
