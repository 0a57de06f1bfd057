"""``tf.compat.v1``: TensorFlow 1's graph-and-session API, so TF1 code runs after changing only the import.

Build a graph (``disable_eager_execution()`` or ``with tf.Graph().as_default():``), then run what the
fetches need with ``Session.run``. Names not defined here (``matmul``, ``reduce_mean`` ...) resolve to
ferroflow's TF2 ones, which build graph nodes in graph mode. ``data``, ``train``, ``losses``, ``layers``,
``summary``, ``metrics``, ``estimator`` and ``lookup`` load on first use. Collections (``GraphKeys``,
``get_collection``) feed the training machinery of ``train`` (``Saver``, hooks, ``MonitoredTrainingSession``).
"""

from __future__ import annotations

from typing import Any

from ferroflow._api import lazy_getattr as _lazy_getattr
from ferroflow._api import public_dir as _public_dir

from ...framework import context
from ...framework import tensor as tensor_module
from ...framework.graph import Graph
from ...framework.variables import Variable
from ...ops.random_ops import set_seed as _set_seed
from . import initializers
from .config_proto import ConfigProto, GPUOptions, GraphOptions, OptimizerOptions, ThreadPoolOptionProto
from .dimension import Dimension, dimension_value
from .graph_keys import GraphKeys, add_to_collection, add_to_collections, get_collection, get_collection_ref
from .initializers import Constant as constant_initializer
from .initializers import GlorotNormal as glorot_normal_initializer
from .initializers import GlorotUniform as glorot_uniform_initializer
from .initializers import Ones as ones_initializer
from .initializers import RandomNormal as random_normal_initializer
from .initializers import RandomUniform as random_uniform_initializer
from .initializers import TruncatedNormal as truncated_normal_initializer
from .initializers import VarianceScaling as variance_scaling_initializer
from .initializers import Zeros as zeros_initializer
from .session import InteractiveSession, Session, get_default_session
from .summary_proto import Event, HistogramProto, SessionLog, Summary
from .v1_names import ALIASES as _ALIASES
from .v1_names import NAMES as _V1_NAMES
from .v1_names import V1_FUNCTIONS as _V1_FUNCTIONS
from .v1_shared_names import SHARED as _SHARED
from .variable_scope import AUTO_REUSE, VariableScope, get_variable, get_variable_scope, variable_scope
from .variables import (
    global_variables,
    global_variables_initializer,
    initialize_all_variables,
    is_variable_initialized,
    local_variables,
    local_variables_initializer,
    model_variables,
    placeholder,
    report_uninitialized_variables,
    trainable_variables,
    variables_initializer,
)

# fmt: off
__all__ = [
    "ConfigProto", "GPUOptions", "GraphOptions", "OptimizerOptions", "ThreadPoolOptionProto", "Print", "assign",
    "assign_add", "assign_sub", "py_func", "RunMetadata", "RunOptions", "MetaGraphDef", "while_loop", "cond", "case",
    "Event", "GraphKeys", "HistogramProto", "SessionLog", "Summary", "add_to_collection", "add_to_collections",
    "get_collection", "get_collection_ref", "local_variables", "model_variables", "report_uninitialized_variables",
    "AUTO_REUSE", "Dimension", "Graph", "InteractiveSession", "dimension_value", "disable_tensor_equality",
    "enable_tensor_equality", "Session", "Variable", "VariableScope", "constant_initializer",
    "disable_eager_execution", "disable_v2_behavior", "enable_eager_execution", "enable_v2_behavior",
    "executing_eagerly", "get_default_graph", "get_default_session", "get_variable", "get_variable_scope",
    "global_variables", "global_variables_initializer", "glorot_normal_initializer", "glorot_uniform_initializer",
    "initialize_all_variables", "initializers", "is_variable_initialized", "local_variables_initializer",
    "ones_initializer", "placeholder", "random_normal_initializer", "random_uniform_initializer",
    "reset_default_graph", "set_random_seed", "trainable_variables", "truncated_normal_initializer",
    "variable_scope", "variables_initializer", "variance_scaling_initializer", "zeros_initializer",
    "initialize_all_tables", "lookup", "tables_initializer",
    "FIFOQueue", "PaddingFIFOQueue", "PriorityQueue", "QueueBase", "RandomShuffleQueue", "queue",
    *_V1_NAMES,
    *_SHARED,
]

_LAZY = {
    "data", "train", "losses", "layers", "summary", "metrics", "estimator", "lookup", "math", "nn", "logging",
    "flags", "app", "debugging", "image", "random", "gfile", "saved_model", "strings", "io",
}
# fmt: on


def disable_eager_execution() -> None:
    """From now on ops build into the default graph instead of running (TF1's programming model)."""
    context.set_eager(False)


def enable_eager_execution(config: Any = None, device_policy: Any = None, execution_mode: Any = None) -> None:
    context.set_eager(True)


disable_v2_behavior = disable_eager_execution
enable_v2_behavior = enable_eager_execution


def enable_tensor_equality() -> None:
    """``==`` on tensors compares elementwise (TensorFlow 2's behaviour, the default)."""
    tensor_module.TENSOR_EQUALITY[0] = True


def disable_tensor_equality() -> None:
    """``==`` on tensors compares identity, and tensors hash by identity (TensorFlow 1's behaviour)."""
    tensor_module.TENSOR_EQUALITY[0] = False


def executing_eagerly() -> bool:
    return context.executing_eagerly()


def get_default_graph() -> Graph:
    return context.get_default_graph()


def reset_default_graph() -> None:
    """Starts a fresh default graph; not allowed inside a ``with graph.as_default():`` block (as in TF1)."""
    if context._state.graphs:
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared graph, exit "
            "the nesting and create a new graph."
        )
    context.reset_default_graph()


def set_random_seed(seed: Any) -> None:
    """TF1's graph-level seed: the global seed of ``ferroflow.random``."""
    _set_seed(seed)


# TF1 names whose TF2 counterparts were renamed: (module under ferroflow, TF2 name).
_RENAMED = {
    "random_normal": ("ops.random_ops", "normal"),
    "random_uniform": ("ops.random_ops", "uniform"),
    "truncated_normal": ("ops.random_ops", "truncated_normal"),
    "random_shuffle": ("ops.random_ops", "shuffle"),
    "random_gamma": ("ops.random_gamma_poisson_ops", "gamma"),
    "random_poisson": ("ops.random_gamma_poisson_ops", "random_poisson"),
    "igamma": ("ops.igamma_ops", "igamma"),
    "igammac": ("ops.igamma_ops", "igammac"),
    "betainc": ("ops.betainc_ops", "betainc"),
    "polygamma": ("ops.zeta_ops", "polygamma"),
    "zeta": ("ops.zeta_ops", "zeta"),
    "lbeta": ("ops.special_math_ops", "lbeta"),
    "div": ("ops.math_ops", "divide"),
    "RunOptions": ("compat.v1.run_metadata", "RunOptions"),
    "MetaGraphDef": ("compat.v1.meta_graph", "MetaGraphDef"),
    "RunMetadata": ("compat.v1.run_metadata", "RunMetadata"),
    "Print": ("compat.v1.print_v1", "Print"),
    "py_func": ("compat.v1.py_func_graph", "py_func"),
    "assign": ("compat.v1.state_ops", "assign"),
    "assign_add": ("compat.v1.state_ops", "assign_add"),
    "assign_sub": ("compat.v1.state_ops", "assign_sub"),
    "log": ("ops.math_ops", "log"),
    "depth_to_space": ("ops.space_depth_ops", "depth_to_space_v1"),
    "space_to_depth": ("ops.space_depth_ops", "space_to_depth_v1"),
    "extract_image_patches": ("ops.image_patches_ops", "extract_image_patches"),
    "while_loop": ("ops.control_flow_ops", "while_loop_v1"),
    "cond": ("ops.cond_ops", "cond_v1"),
    "case": ("ops.cond_ops", "case_v1"),
    **{
        name: ("queue", name)
        for name in ("FIFOQueue", "PaddingFIFOQueue", "PriorityQueue", "QueueBase", "RandomShuffleQueue")
    },
    "tables_initializer": ("lookup._v1", "tables_initializer"),
    "initialize_all_tables": ("lookup._v1", "initialize_all_tables"),
}


def _from_tf2(name: str) -> Any:
    """Names not defined here: ferroflow's TF2 ones."""
    import ferroflow

    return getattr(ferroflow, name)


# Where a name is in more than one table, _V1_FUNCTIONS wins over _ALIASES, which wins over _RENAMED.
__getattr__ = _lazy_getattr(
    globals(),
    _LAZY,
    {
        **{name: (f"ferroflow.{module}", target) for name, (module, target) in _RENAMED.items()},
        **{name: (f"ferroflow.{module}", target) for name, (module, target) in _ALIASES.items()},
        **{name: f".{module}" for name, module in _V1_FUNCTIONS.items()},
    },
    fallback=_from_tf2,
)
__dir__ = _public_dir(globals(), *_LAZY)
