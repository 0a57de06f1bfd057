"""Filling ``RunMetadata`` from a traced plan run: step stats per node, partition graphs, cost graph.

The plan's profile gives each executed node's name, start and duration; the graph gives its type, inputs,
dtype and static shape. Fed values and fetched outputs have their real shapes; another node whose static
shape has an unknown dimension is described with size -1 there, and no byte count.
"""

from __future__ import annotations

import time
from typing import Any, Optional

import numpy as np

from ...framework.dtypes import as_dtype
from ...profiler import profile_plan
from .config_proto import CPU_DEVICE
from .run_metadata import (
    AllocationDescription,
    AllocatorMemoryUsed,
    CostGraphDef,
    DeviceStepStats,
    GraphDef,
    MemoryStats,
    NodeDef,
    NodeExecStats,
    NodeOutput,
    StepStats,
    TensorDescription,
    TensorShapeProto,
    VersionDef,
    dtype_enum,
)

ALLOCATOR = "cpu"


def wants_trace(options: Any, run_metadata: Any) -> bool:
    return run_metadata is not None and options is not None and bool(getattr(options, "trace_level", 0))


def wants_cost_graph(config: Any, run_metadata: Any, step: int) -> bool:
    """Whether this run (the session's ``step``-th, from 0) updates the cost model, by TensorFlow's rule:
    every ``build_cost_model`` steps once ``build_cost_model_after`` steps have run."""
    every = config.graph_options.build_cost_model if config is not None else 0
    if run_metadata is None or every <= 0:
        return False
    measured = step - config.graph_options.build_cost_model_after
    return measured >= 0 and (measured + 1) % every == 0


def traced_run(
    session: Any,
    plan: Any,
    feed_nodes: list,
    feed_values: list,
    fetch_nodes: list,
    options: Any,
    run_metadata: Any,
    cost_graph: bool = False,
) -> list:
    """Runs ``plan`` once with profiling, fills ``run_metadata``, and returns the plan's outputs."""
    start_ns = time.time_ns()
    outputs, summary = profile_plan(plan, feed_values)
    g = session.graph._g
    base_us = start_ns // 1000
    known: dict = {n: _shape_dtype(v) for n, v in zip(feed_nodes, feed_values)}
    for node, out in zip(fetch_nodes, outputs):
        known.setdefault(node, _shape_dtype(out))
    executed: list = []  # (node id, op type, NodeExecStats)
    for node in feed_nodes:
        name = g.node(node)[0]
        stats = NodeExecStats(
            node_name=name,
            all_start_micros=base_us,
            all_start_nanos=start_ns,
            scheduled_micros=base_us,
            scheduled_nanos=start_ns,
            timeline_label=f"{name} = _Arg()",
            output=[_output(g, node, known)],
        )
        executed.append((node, "_Arg", stats))
    for op in summary.ops:
        node = session._node_by_name(op.name)
        begin_ns = start_ns + int(round(op.start_us * 1000))
        dur_ns = int(round(op.duration_us * 1000))
        data, controls = _fused_inputs(g, node, op.op_type)
        label_inputs = [g.node(i)[0] for i in data] + ["^" + g.node(i)[0] for i in controls]
        output = _output(g, node, known)
        size = output.tensor_description.allocation_description.requested_bytes
        stats = NodeExecStats(
            node_name=op.name,
            all_start_micros=begin_ns // 1000,
            op_start_rel_micros=0,
            op_end_rel_micros=dur_ns // 1000,
            all_end_rel_micros=dur_ns // 1000,
            all_start_nanos=begin_ns,
            op_start_rel_nanos=0,
            op_end_rel_nanos=dur_ns,
            all_end_rel_nanos=dur_ns,
            scheduled_micros=begin_ns // 1000,
            scheduled_nanos=begin_ns,
            timeline_label=f"{op.name} = {op.op_type}({', '.join(label_inputs)})",
            output=[output] if g.node(node)[1] != "NoOp" else [],
            memory=[
                AllocatorMemoryUsed(
                    allocator_name=ALLOCATOR, total_bytes=size, peak_bytes=size, live_bytes=op.live_bytes
                )
            ],
            memory_stats=MemoryStats(),
        )
        executed.append((node, op.op_type, stats))
    step_stats = StepStats(dev_stats=[DeviceStepStats(device=CPU_DEVICE, node_stats=[s for _, _, s in executed])])
    step_stats._summary = summary
    if wants_trace(options, run_metadata):
        run_metadata.step_stats = step_stats
    if options is not None and getattr(options, "output_partition_graphs", False):
        run_metadata.partition_graphs = [_partition_graph(g, executed)]
    if cost_graph:
        run_metadata.cost_graph = _cost_graph(g, executed, set(fetch_nodes))
    return outputs


def _inputs(g: Any, node: int) -> tuple:
    """(data inputs, control inputs) of ``node``: a control_dependencies block's ``Identity`` carries the
    control inputs after its data input."""
    info = g.node(node)
    nodes = [i for i in info[4] if i is not None]
    if info[1] == "Identity" and len(nodes) > 1:
        return nodes[:1], nodes[1:]
    if info[1] == "NoOp":
        return [], nodes
    return nodes, []


def _fused_inputs(g: Any, node: int, op_type: str) -> tuple:
    """(data inputs, control inputs) of what ran as ``node``: for a fused group (``MatMul+AddV2+Relu``,
    recorded under its last node), the inputs of its members that come from outside the group."""
    kinds = op_type.split("+")
    members = [node]
    for kind in reversed(kinds[:-1]):
        found = next((i for i in _inputs(g, members[-1])[0] if g.node(i)[1] == kind), None)
        if found is None:
            break
        members.append(found)
    inside = set(members)
    data: list = []
    controls: list = []
    for member in reversed(members):
        d, c = _inputs(g, member)
        data += [i for i in d if i not in inside]
        controls += [i for i in c if i not in inside]
    return data, controls


def _shape_dtype(value: Any) -> tuple:
    arr = value if isinstance(value, np.ndarray) else value.numpy()
    return list(arr.shape), arr


def _output(g: Any, node: int, known: dict) -> NodeOutput:
    _, _, static, dtype_name, _ = g.node(node)
    shape: Optional[list] = static
    if node in known:
        shape = known[node][0]
    size = 0
    if shape is not None and all(d is not None for d in shape) and dtype_name != "string":
        size = int(np.prod(shape, dtype=np.int64)) * as_dtype(dtype_name).as_numpy_dtype().itemsize
    description = TensorDescription(
        dtype=dtype_enum(dtype_name),
        shape=TensorShapeProto.of(shape),
        allocation_description=AllocationDescription(
            requested_bytes=size, allocated_bytes=size, allocator_name=ALLOCATOR
        ),
    )
    return NodeOutput(slot=0, tensor_description=description)


def _partition_graph(g: Any, executed: list) -> GraphDef:
    """The graph the run executed, on its one device (a fused group of nodes as one node)."""
    ran = {node for node, _, _ in executed}
    defs = []
    for node, op_type, stats in executed:
        data, controls = _fused_inputs(g, node, op_type)
        inputs = [g.node(i)[0] for i in data] + ["^" + g.node(i)[0] for i in controls if i in ran]
        defs.append(NodeDef(name=stats.node_name, op=op_type, input=inputs, device=CPU_DEVICE))
    return GraphDef(node=defs, versions=VersionDef(producer=1))


def _cost_graph(g: Any, executed: list, fetched: set) -> CostGraphDef:
    ids = {node: i for i, (node, _, _) in enumerate(executed)}
    nodes = []
    for i, (node, op_type, stats) in enumerate(executed):
        data, controls = _fused_inputs(g, node, op_type)
        outputs = []
        for out in stats.output:
            desc = out.tensor_description
            outputs.append(
                CostGraphDef.Node.OutputInfo(
                    size=desc.allocation_description.requested_bytes,
                    alias_input_port=-1,
                    shape=desc.shape,
                    dtype=desc.dtype,
                )
            )
        nodes.append(
            CostGraphDef.Node(
                name=stats.node_name,
                device=CPU_DEVICE,
                id=i,
                input_info=[CostGraphDef.Node.InputInfo(preceding_node=ids[d]) for d in data if d in ids],
                output_info=outputs,
                control_input=[ids[c] for c in controls if c in ids],
                compute_cost=stats.all_end_rel_micros,
                compute_time=stats.all_end_rel_micros,
                is_final=node in fetched,
            )
        )
    return CostGraphDef(node=nodes)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
