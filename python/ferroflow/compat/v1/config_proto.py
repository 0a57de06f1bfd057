"""``tf.compat.v1.ConfigProto`` and its parts (``GPUOptions``, ``GraphOptions``, ``OptimizerOptions``), with
TensorFlow's field names and numbers, and what a ``Session`` does with them.

``Session(config=...)`` honours ``intra_op_parallelism_threads`` (the size of ferroflow's thread pool, which
can only be set before the first op runs: later a warning says the pool keeps its size),
``log_device_placement`` (each node's device printed to stderr, as TensorFlow's placer does) and
``graph_options.build_cost_model`` (``RunMetadata.cost_graph`` filled by traced runs). The other fields are
accepted: ferroflow has one CPU device, so placement is always soft and GPU memory options have nothing to
act on; a plan runs its nodes in order, so there is no inter-op pool to size.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any

from ... import _core
from ...framework.device import JOB_PREFIX
from .proto_message import ProtoMessage

CPU_DEVICE = JOB_PREFIX + "/device:CPU:0"


class GPUOptions(ProtoMessage):
    _FIELDS = {
        "per_process_gpu_memory_fraction": (1, "double"),
        "allocator_type": (2, "string"),
        "deferred_deletion_bytes": (3, "int"),
        "allow_growth": (4, "bool"),
        "visible_device_list": (5, "string"),
        "polling_active_delay_usecs": (6, "int"),
        "polling_inactive_delay_msecs": (7, "int"),
        "force_gpu_compatible": (8, "bool"),
    }


class OptimizerOptions(ProtoMessage):
    # Level and GlobalJitLevel enum values.
    L1, L0 = 0, -1
    DEFAULT, OFF, ON_1, ON_2 = 0, -1, 1, 2
    _FIELDS = {
        "do_common_subexpression_elimination": (1, "bool"),
        "do_constant_folding": (2, "bool"),
        "opt_level": (3, "int"),
        "do_function_inlining": (4, "bool"),
        "global_jit_level": (5, "int"),
        "max_folded_constant_in_bytes": (6, "int"),
        "cpu_global_jit": (7, "bool"),
    }
    _ENUMS = {"opt_level": {0: "L1", -1: "L0"}, "global_jit_level": {-1: "OFF", 1: "ON_1", 2: "ON_2"}}


class GraphOptions(ProtoMessage):
    _FIELDS = {
        "enable_recv_scheduling": (2, "bool"),
        "optimizer_options": (3, OptimizerOptions),
        "build_cost_model": (4, "int"),
        "infer_shapes": (5, "bool"),
        "place_pruned_graph": (6, "bool"),
        "enable_bfloat16_sendrecv": (7, "bool"),
        "timeline_step": (8, "int"),
        "build_cost_model_after": (9, "int"),
    }


class ThreadPoolOptionProto(ProtoMessage):
    _FIELDS = {"num_threads": (1, "int"), "global_name": (2, "string")}


class ConfigProto(ProtoMessage):
    """Session configuration: thread counts, placement logging and rules, GPU and graph options."""

    _FIELDS = {
        "device_count": (1, "int_map"),
        "intra_op_parallelism_threads": (2, "int"),
        "placement_period": (3, "int"),
        "device_filters": (4, "strings"),
        "inter_op_parallelism_threads": (5, "int"),
        "gpu_options": (6, GPUOptions),
        "allow_soft_placement": (7, "bool"),
        "log_device_placement": (8, "bool"),
        "use_per_session_threads": (9, "bool"),
        "graph_options": (10, GraphOptions),
        "operation_timeout_in_ms": (11, "int"),
        "session_inter_op_thread_pool": (12, [ThreadPoolOptionProto]),
        "isolate_session_state": (15, "bool"),
        "share_cluster_devices_in_session": (17, "bool"),
    }


def check_config(config: Any) -> Any:
    """``config`` if it is a ``ConfigProto`` (or None); TypeError otherwise, as TensorFlow raises."""
    if config is not None and not isinstance(config, ConfigProto):
        raise TypeError(f"config must be a tf.ConfigProto, but got {type(config)}")
    if config is not None and config.intra_op_parallelism_threads < 0:
        raise ValueError(f"intra_op_parallelism_threads must be >= 0, received {config.intra_op_parallelism_threads}")
    return config


def apply_threads(config: Any) -> None:
    """Sizes ferroflow's thread pool to ``intra_op_parallelism_threads`` (0: leave it as it is)."""
    want = config.intra_op_parallelism_threads if config is not None else 0
    # Asking the pool its size starts it, after which it cannot be resized: try to size it first.
    if want <= 0 or _core.set_num_threads(int(want)) or _core.num_threads() == want:
        return
    warnings.warn(
        f"ConfigProto.intra_op_parallelism_threads={want} is ignored: ferroflow's thread pool already runs "
        f"with {_core.num_threads()} threads, and its size can only be set before the first op runs "
        "(tf.config.threading.set_intra_op_parallelism_threads at program start)",
        RuntimeWarning,
        stacklevel=3,
    )


def log_placement(graph: Any, start: int) -> int:
    """Prints the device of each node from ``start`` on, as ``name: (Type): device`` lines on stderr; returns
    how many nodes the graph has (where the next call starts)."""
    g = graph._g
    end = len(g)
    lines = []
    for i in range(start, end):
        name, op_type = g.node(i)[:2]
        lines.append(f"{name}: ({op_type}): {CPU_DEVICE}\n")
    if lines:
        sys.stderr.write("".join(lines))
        sys.stderr.flush()
    return end


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("ProtoMessage", "check_config", "apply_threads", "log_placement"))
