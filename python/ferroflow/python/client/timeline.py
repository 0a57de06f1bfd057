"""``timeline.Timeline(run_metadata.step_stats).generate_chrome_trace_format()``: a traced ``Session.run`` as
Chrome trace-event JSON (``chrome://tracing``, Perfetto), laid out as TensorFlow's timeline lays it out.

Processes: ``Allocators`` (memory counters), then ``<device> Compute`` (one complete event per node, on
non-overlapping lanes) and ``<device> Tensors`` (tensor lifetimes) per device; flow arrows join a tensor's
producer and its consumers on other lanes.
"""

from __future__ import annotations

import collections
import copy
import json
import re
from typing import Any, Dict, List, Optional, Tuple

AllocationMaximum = collections.namedtuple("AllocationMaximum", ("timestamp", "num_bytes", "tensors"))
StepStatsAnalysis = collections.namedtuple("StepStatsAnalysis", ("chrome_trace", "allocator_maximums"))


class _ChromeTraceFormatter:
    """Collects trace events and metadata and writes them as Chrome trace JSON."""

    def __init__(self, show_memory: bool = False) -> None:
        self._show_memory = show_memory
        self._events: List[dict] = []
        self._metadata: List[dict] = []

    @staticmethod
    def _event(ph: str, category: str, name: str, pid: int, tid: int, timestamp: int) -> dict:
        return {"ph": ph, "cat": category, "name": name, "pid": pid, "tid": tid, "ts": timestamp}

    def emit_pid(self, name: str, pid: int) -> None:
        self._metadata.append({"name": "process_name", "ph": "M", "pid": pid, "args": {"name": name}})

    def emit_tid(self, name: str, pid: int, tid: int) -> None:
        self._metadata.append({"name": "thread_name", "ph": "M", "pid": pid, "tid": tid, "args": {"name": name}})

    def emit_region(
        self, timestamp: int, duration: int, pid: int, tid: int, category: str, name: str, args: dict
    ) -> None:
        event = self._event("X", category, name, pid, tid, timestamp)
        event["dur"] = duration
        event["args"] = args
        self._events.append(event)

    def emit_obj_create(self, category: str, name: str, timestamp: int, pid: int, tid: int, object_id: int) -> None:
        self._events.append({**self._event("N", category, name, pid, tid, timestamp), "id": object_id})

    def emit_obj_delete(self, category: str, name: str, timestamp: int, pid: int, tid: int, object_id: int) -> None:
        self._events.append({**self._event("D", category, name, pid, tid, timestamp), "id": object_id})

    def emit_obj_snapshot(
        self, category: str, name: str, timestamp: int, pid: int, tid: int, object_id: int, snapshot: dict
    ) -> None:
        event = {**self._event("O", category, name, pid, tid, timestamp), "id": object_id}
        event["args"] = {"snapshot": snapshot}
        self._events.append(event)

    def emit_flow_start(self, name: str, timestamp: int, pid: int, tid: int, flow_id: int) -> None:
        self._events.append({**self._event("s", "DataFlow", name, pid, tid, timestamp), "id": flow_id})

    def emit_flow_end(self, name: str, timestamp: int, pid: int, tid: int, flow_id: int) -> None:
        self._events.append({**self._event("t", "DataFlow", name, pid, tid, timestamp), "id": flow_id})

    def emit_counter(self, category: str, name: str, pid: int, timestamp: int, counter: str, value: int) -> None:
        self._events.append({**self._event("C", category, name, pid, 0, timestamp), "args": {counter: value}})

    def emit_counters(self, category: str, name: str, pid: int, timestamp: int, counters: dict) -> None:
        self._events.append({**self._event("C", category, name, pid, 0, timestamp), "args": dict(counters)})

    def format_to_string(self, pretty: bool = False) -> str:
        trace = {"traceEvents": self._metadata + self._events}
        if pretty:
            return json.dumps(trace, indent=4, separators=(",", ": "))
        return json.dumps(trace, separators=(",", ":"))


class _TensorTracker:
    """The lifetime of one tensor: where and when it was made, its size, and when it was used."""

    def __init__(self, name: str, object_id: int, timestamp: int, pid: int, allocator: str, num_bytes: int) -> None:
        self.name = name
        self.object_id = object_id
        self.create_time = timestamp
        self.pid = pid
        self.allocator = allocator
        self.num_bytes = num_bytes
        self._ref_times: List[int] = []
        self._unref_times: List[int] = []

    @property
    def last_unref(self) -> int:
        return max(self._unref_times)

    def add_ref(self, timestamp: int) -> None:
        self._ref_times.append(timestamp)

    def add_unref(self, timestamp: int) -> None:
        self._unref_times.append(timestamp)


class Timeline:
    """The execution timeline of one step, from ``RunMetadata.step_stats``."""

    def __init__(self, step_stats: Any, graph: Optional[Any] = None) -> None:
        if not hasattr(step_stats, "dev_stats"):
            raise TypeError(
                f"Timeline expects a StepStats message (run_metadata.step_stats), received {type(step_stats).__name__}"
            )
        self._origin_step_stats = step_stats
        self._step_stats: Any = None
        self._graph = graph
        self._chrome_trace = _ChromeTraceFormatter()
        self._next_pid = 0
        self._device_pids: Dict[str, int] = {}
        self._tensor_pids: Dict[str, int] = {}
        self._tensors: Dict[str, _TensorTracker] = {}
        self._next_flow_id = 0
        self._flow_starts: Dict[str, Tuple[int, int, int]] = {}
        self._allocator_maximums: Dict[str, AllocationMaximum] = {}
        self._allocators_pid = 0

    def _alloc_pid(self) -> int:
        pid, self._next_pid = self._next_pid, self._next_pid + 1
        return pid

    def _alloc_flow_id(self) -> int:
        flow_id, self._next_flow_id = self._next_flow_id, self._next_flow_id + 1
        return flow_id

    @staticmethod
    def _parse_op_label(label: str) -> Tuple[str, str, List[str]]:
        """``name = Op(input, input)`` -> (name, Op, inputs)."""
        match = re.match(r"(.*) = (.*)\((.*)\)", label)
        if match is None:
            return "unknown", "unknown", []
        name, op, inputs = match.groups()
        return name, op, inputs.split(", ") if inputs else []

    def _assign_lanes(self) -> None:
        """Gives each node a lane (``thread_id``) where it overlaps no earlier node of its device."""
        for device_stats in self._step_stats.dev_stats:
            lanes = [0]
            for ns in device_stats.node_stats:
                end = ns.all_start_micros + ns.all_end_rel_micros
                lane = next((i for i, busy in enumerate(lanes) if ns.all_start_micros > busy), -1)
                if lane < 0:
                    lane = len(lanes)
                    lanes.append(end)
                else:
                    lanes[lane] = end
                ns.thread_id = lane

    def _emit_op(self, nodestats: Any, pid: int) -> None:
        _, op, inputs = self._parse_op_label(nodestats.timeline_label)
        args = {"name": nodestats.node_name, "op": op}
        for i, name in enumerate(inputs):
            args[f"input{i}"] = name
        self._chrome_trace.emit_region(
            nodestats.all_start_micros, nodestats.all_end_rel_micros, pid, nodestats.thread_id, "Op", op, args
        )

    def _allocate_pids(self) -> None:
        self._allocators_pid = self._alloc_pid()
        self._chrome_trace.emit_pid("Allocators", self._allocators_pid)
        for dev_stats in self._step_stats.dev_stats:
            self._device_pids[dev_stats.device] = self._alloc_pid()
            self._tensor_pids[dev_stats.device] = self._alloc_pid()
            self._chrome_trace.emit_pid(dev_stats.device + " Compute", self._device_pids[dev_stats.device])
            self._chrome_trace.emit_pid(dev_stats.device + " Tensors", self._tensor_pids[dev_stats.device])

    def _analyze_tensors(self, show_memory: bool) -> None:
        """Records each node output as a tensor, and where dataflow arrows to its consumers start."""
        for dev_stats in self._step_stats.dev_stats:
            device_pid = self._device_pids[dev_stats.device]
            tensors_pid = self._tensor_pids[dev_stats.device]
            for ns in dev_stats.node_stats:
                start, end = ns.all_start_micros, ns.all_start_micros + ns.all_end_rel_micros
                for index, output in enumerate(ns.output):
                    name = f"{ns.node_name}:{index}" if index else ns.node_name
                    allocation = output.tensor_description.allocation_description
                    tensor = _TensorTracker(
                        name,
                        len(self._tensors),
                        start,
                        tensors_pid,
                        allocation.allocator_name,
                        allocation.requested_bytes,
                    )
                    self._tensors[name] = tensor
                    tensor.add_ref(start)
                    tensor.add_unref(end)
                    self._flow_starts[name] = (end, device_pid, ns.thread_id)
                    if show_memory:
                        self._chrome_trace.emit_obj_create(
                            "Tensor", name, start, tensors_pid, ns.thread_id, tensor.object_id
                        )
                        snapshot = {"tensor_description": str(output.tensor_description).replace('"', "")}
                        self._chrome_trace.emit_obj_snapshot(
                            "Tensor", name, end - 1, tensors_pid, ns.thread_id, tensor.object_id, snapshot
                        )

    def _show_compute(self, show_dataflow: bool) -> None:
        for dev_stats in self._step_stats.dev_stats:
            device_pid = self._device_pids[dev_stats.device]
            for ns in dev_stats.node_stats:
                tid, start = ns.thread_id, ns.all_start_micros
                end = start + ns.all_end_rel_micros
                self._emit_op(ns, device_pid)
                for name in self._parse_op_label(ns.timeline_label)[2]:
                    tensor = self._tensors.get(name)
                    if tensor is None:
                        continue  # a control input (^name), or a value the run was fed
                    tensor.add_ref(start)
                    tensor.add_unref(end - 1)
                    if show_dataflow:
                        create_time, create_pid, create_tid = self._flow_starts[name]
                        # Arrows only between lanes: along one lane they would only clutter the view.
                        if create_pid != device_pid or create_tid != tid:
                            flow_id = self._alloc_flow_id()
                            self._chrome_trace.emit_flow_start(name, create_time, create_pid, create_tid, flow_id)
                            self._chrome_trace.emit_flow_end(name, start, device_pid, tid, flow_id)

    def _show_memory_counters(self) -> None:
        """A running total of live bytes per allocator, and the moment each reached its maximum."""
        allocations: Dict[str, list] = {}
        for name, tensor in self._tensors.items():
            self._chrome_trace.emit_obj_delete("Tensor", name, tensor.last_unref, tensor.pid, 0, tensor.object_id)
            events = allocations.setdefault(tensor.allocator, [])
            events.append((tensor.create_time, tensor.num_bytes, name))
            events.append((tensor.last_unref, -tensor.num_bytes, name))
        maxima = {}
        for allocator, events in allocations.items():
            events.sort()
            total = 0
            live: set = set()
            maxima[allocator] = AllocationMaximum(timestamp=0, num_bytes=0, tensors=set())
            for timestamp, num_bytes, name in sorted(events, key=lambda e: e[0]):
                total += num_bytes
                if num_bytes < 0:
                    live.discard(name)
                else:
                    live.add(name)
                if total > maxima[allocator].num_bytes:
                    maxima[allocator] = AllocationMaximum(timestamp=timestamp, num_bytes=total, tensors=set(live))
                self._chrome_trace.emit_counter("Memory", allocator, self._allocators_pid, timestamp, allocator, total)
        self._allocator_maximums = maxima

    def _preprocess_op_time(self, op_time: str) -> None:
        if op_time not in ("schedule", "gpu", "all"):
            raise ValueError(f"op_time must be 'schedule', 'gpu' or 'all', received {op_time!r}")
        # Without GPU kernel streams the three views coincide; the others work on a copy, as in TensorFlow.
        stats = self._origin_step_stats
        self._step_stats = stats if op_time == "schedule" else copy.deepcopy(stats)

    def analyze_step_stats(
        self, show_dataflow: bool = True, show_memory: bool = True, op_time: str = "schedule"
    ) -> StepStatsAnalysis:
        self._preprocess_op_time(op_time)
        self._allocate_pids()
        self._assign_lanes()
        self._analyze_tensors(show_memory)
        self._show_compute(show_dataflow)
        if show_memory:
            self._show_memory_counters()
        return StepStatsAnalysis(chrome_trace=self._chrome_trace, allocator_maximums=self._allocator_maximums)

    def generate_chrome_trace_format(
        self, show_dataflow: bool = True, show_memory: bool = False, op_time: str = "schedule"
    ) -> str:
        """The step as Chrome trace-event JSON (indented)."""
        analysis = self.analyze_step_stats(show_dataflow=show_dataflow, show_memory=show_memory, op_time=op_time)
        return analysis.chrome_trace.format_to_string(pretty=True)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
