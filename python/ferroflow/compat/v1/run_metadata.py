"""``RunOptions`` and ``RunMetadata`` shaped as TensorFlow's messages, with ``StepStats``, ``CostGraphDef`` and
the partition ``GraphDef``s that a traced ``Session.run`` fills.

``run_metadata.step_stats.dev_stats[0].node_stats`` lists each node a traced run executed (``node_name``,
``all_start_micros``, ``op_start_rel_micros``, ``op_end_rel_micros``, ``all_end_rel_micros``,
``timeline_label``, ``output`` and ``memory``), which is what ``ferroflow.python.client.timeline`` reads. The
``StepStats`` also answers ferroflow's own profile summary (``ops``, ``peak_bytes``, ``table()``).
"""

from __future__ import annotations

from typing import Any

from ...summary import _proto
from .proto_message import ProtoMessage

DTYPE_NAMES = {
    1: "DT_FLOAT",
    2: "DT_DOUBLE",
    3: "DT_INT32",
    4: "DT_UINT8",
    5: "DT_INT16",
    6: "DT_INT8",
    7: "DT_STRING",
    9: "DT_INT64",
    10: "DT_BOOL",
    14: "DT_BFLOAT16",
    17: "DT_UINT16",
    19: "DT_HALF",
    22: "DT_UINT32",
    23: "DT_UINT64",
}


def dtype_enum(name: str) -> int:
    return _proto.dtype_enum(name)


class _Dim(ProtoMessage):
    _FIELDS = {"size": (1, "int"), "name": (2, "string")}


class TensorShapeProto(ProtoMessage):
    Dim = _Dim
    _FIELDS = {"dim": (2, [_Dim]), "unknown_rank": (3, "bool")}

    @classmethod
    def of(cls, dims: Any) -> TensorShapeProto:
        """The shape ``dims`` (None: unknown rank; a None dimension: size -1, as TensorFlow writes it)."""
        if dims is None:
            return cls(unknown_rank=True)
        return cls(dim=[_Dim(size=-1 if d is None else int(d)) for d in dims])


_Dim.__name__ = _Dim.__qualname__ = "Dim"


class AllocationDescription(ProtoMessage):
    _FIELDS = {
        "requested_bytes": (1, "int"),
        "allocated_bytes": (2, "int"),
        "allocator_name": (3, "string"),
        "allocation_id": (4, "int"),
        "has_single_reference": (5, "bool"),
        "ptr": (6, "int"),
    }


class TensorDescription(ProtoMessage):
    _FIELDS = {
        "dtype": (1, "int"),
        "shape": (2, TensorShapeProto),
        "allocation_description": (4, AllocationDescription),
    }
    _ENUMS = {"dtype": DTYPE_NAMES}


class NodeOutput(ProtoMessage):
    _FIELDS = {"slot": (1, "int"), "tensor_description": (3, TensorDescription)}


class AllocationRecord(ProtoMessage):
    _FIELDS = {"alloc_micros": (1, "int"), "alloc_bytes": (2, "int")}


class AllocatorMemoryUsed(ProtoMessage):
    _FIELDS = {
        "allocator_name": (1, "string"),
        "total_bytes": (2, "int"),
        "peak_bytes": (3, "int"),
        "live_bytes": (4, "int"),
        "allocator_bytes_in_use": (5, "int"),
        "allocation_records": (6, [AllocationRecord]),
    }


class MemoryStats(ProtoMessage):
    _FIELDS = {
        "temp_memory_size": (1, "int"),
        "persistent_memory_size": (3, "int"),
        "persistent_tensor_alloc_ids": (5, "ints"),
    }


class NodeExecStats(ProtoMessage):
    """One node's execution: times in microseconds (``all_start_micros`` since the epoch, the others relative
    to it) and nanoseconds, its outputs and the memory it used."""

    _FIELDS = {
        "node_name": (1, "string"),
        "all_start_micros": (2, "int"),
        "op_start_rel_micros": (3, "int"),
        "op_end_rel_micros": (4, "int"),
        "all_end_rel_micros": (5, "int"),
        "memory": (6, [AllocatorMemoryUsed]),
        "output": (7, [NodeOutput]),
        "timeline_label": (8, "string"),
        "scheduled_micros": (9, "int"),
        "thread_id": (10, "int"),
        "referenced_tensor": (11, [AllocationDescription]),
        "memory_stats": (12, MemoryStats),
        "all_start_nanos": (13, "int"),
        "op_start_rel_nanos": (14, "int"),
        "op_end_rel_nanos": (15, "int"),
        "all_end_rel_nanos": (16, "int"),
        "scheduled_nanos": (17, "int"),
    }


class DeviceStepStats(ProtoMessage):
    _FIELDS = {"device": (1, "string"), "node_stats": (2, [NodeExecStats])}


class StepStats(ProtoMessage):
    """The per-device node statistics of one traced run (``dev_stats``)."""

    _FIELDS = {"dev_stats": (1, [DeviceStepStats])}

    def __getattr__(self, name: str) -> Any:
        # ferroflow's profile summary of the same run (ops, peak_bytes, table(), chrome_trace() ...).
        summary = self.__dict__.get("_summary")
        if summary is None or name.startswith("_"):
            raise AttributeError(f"'StepStats' object has no attribute '{name}'")
        return getattr(summary, name)


class _InputInfo(ProtoMessage):
    _FIELDS = {"preceding_node": (1, "int"), "preceding_port": (2, "int")}


class _OutputInfo(ProtoMessage):
    _FIELDS = {"size": (1, "int"), "alias_input_port": (2, "int"), "shape": (3, TensorShapeProto), "dtype": (4, "int")}
    _ENUMS = {"dtype": DTYPE_NAMES}


class _CostNode(ProtoMessage):
    InputInfo = _InputInfo
    OutputInfo = _OutputInfo
    _FIELDS = {
        "name": (1, "string"),
        "device": (2, "string"),
        "id": (3, "int"),
        "input_info": (4, [_InputInfo]),
        "output_info": (5, [_OutputInfo]),
        "temporary_memory_size": (6, "int"),
        "is_final": (7, "bool"),
        "control_input": (8, "ints"),
        "compute_cost": (9, "int"),
        "persistent_memory_size": (12, "int"),
        "compute_time": (14, "int"),
        "memory_time": (15, "int"),
    }


class CostGraphDef(ProtoMessage):
    """Per-node costs of the executed graph (filled when ``GraphOptions.build_cost_model`` is set)."""

    Node = _CostNode
    _FIELDS = {"node": (1, [_CostNode])}


for _cls, _name in ((_InputInfo, "InputInfo"), (_OutputInfo, "OutputInfo"), (_CostNode, "Node")):
    _cls.__name__ = _cls.__qualname__ = _name


class NodeDef(ProtoMessage):
    _FIELDS = {"name": (1, "string"), "op": (2, "string"), "input": (3, "strings"), "device": (4, "string")}


class VersionDef(ProtoMessage):
    _FIELDS = {"producer": (1, "int"), "min_consumer": (2, "int")}


class GraphDef(ProtoMessage):
    _FIELDS = {"node": (1, [NodeDef]), "versions": (4, VersionDef)}


class RunOptions(ProtoMessage):
    """``trace_level=RunOptions.FULL_TRACE`` asks ``Session.run`` for step stats; ``output_partition_graphs``
    for the graphs it ran."""

    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3
    _FIELDS = {
        "trace_level": (1, "int"),
        "timeout_in_ms": (2, "int"),
        "inter_op_thread_pool": (3, "int"),
        "output_partition_graphs": (5, "bool"),
        "report_tensor_allocations_upon_oom": (7, "bool"),
    }
    _ENUMS = {"trace_level": {1: "SOFTWARE_TRACE", 2: "HARDWARE_TRACE", 3: "FULL_TRACE"}}

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "trace_level" and value not in (0, 1, 2, 3):
            raise ValueError(
                f"trace_level must be one of NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE (0-3); "
                f"received {value!r}"
            )
        super().__setattr__(name, value)


class RunMetadata(ProtoMessage):
    """What a ``Session.run`` given ``run_metadata=`` reports: ``step_stats``, ``cost_graph``,
    ``partition_graphs``."""

    _FIELDS = {"step_stats": (1, StepStats), "cost_graph": (2, CostGraphDef), "partition_graphs": (3, [GraphDef])}


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("ProtoMessage", "dtype_enum", "DTYPE_NAMES"))
