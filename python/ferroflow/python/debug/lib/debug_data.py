"""The data of one debugged run (tfdbg's ``DebugDumpDir``): the nodes that ran and every tensor they dumped.

A dump lives in memory (the local CLI wrapper) or in a run directory written by ``dump_io`` (the dumping
wrapper, ``enable_dump_debug_info``); both read the same way. Each node has one output, slot 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import numpy as np

DEFAULT_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"
DEFAULT_DEBUG_OP = "DebugIdentity"
# Summary layouts of enable_dump_debug_info's health modes: which entries count bad (-inf, +inf, NaN) values.
_HEALTH_BAD = {"CURT_HEALTH": slice(1, 2), "CONCISE_HEALTH": slice(2, 5), "FULL_HEALTH": slice(5, 8)}


class WatchKeyDoesNotExistInDebugDumpDirError(ValueError):
    """A tensor (``node:slot:debug_op``) that the dump holds no data for."""


@dataclass
class NodeInfo:
    """A node of the debugged graph: what ``ni``, ``li`` and ``lo`` show."""

    name: str
    op_type: str
    inputs: list
    dtype: str
    shape: Optional[list]
    device: str = DEFAULT_DEVICE
    attributes: dict = field(default_factory=dict)


class DebugTensorDatum:
    """One dumped tensor: which node and slot, by which debug op, when, how big, and its value."""

    def __init__(
        self,
        dump_root: Optional[str],
        node_name: str,
        output_slot: int,
        debug_op: str,
        timestamp: int,
        dump_size_bytes: int,
        file_path: Optional[str] = None,
        value: Any = None,
        order: int = 0,
    ) -> None:
        self._dump_root = dump_root
        self._node_name = node_name
        self._output_slot = int(output_slot)
        self._debug_op = debug_op
        self._timestamp = int(timestamp)
        self._dump_size_bytes = int(dump_size_bytes)
        self._file_path = file_path
        self._value = value
        self.order = order  # execution position: breaks ties between equal microsecond timestamps

    dump_root = property(lambda self: self._dump_root)
    node_name = property(lambda self: self._node_name)
    output_slot = property(lambda self: self._output_slot)
    debug_op = property(lambda self: self._debug_op)
    timestamp = property(lambda self: self._timestamp, doc="Microseconds since the epoch.")
    dump_size_bytes = property(lambda self: self._dump_size_bytes)
    file_path = property(lambda self: self._file_path)
    device_name = property(lambda self: DEFAULT_DEVICE)

    @property
    def tensor_name(self) -> str:
        return f"{self._node_name}:{self._output_slot}"

    @property
    def watch_key(self) -> str:
        return f"{self.tensor_name}:{self._debug_op}"

    def get_tensor(self) -> Any:
        """The dumped value as a NumPy array (None when the run recorded no value, e.g. ``NO_TENSOR``)."""
        if self._value is None and self._file_path is not None:
            value = np.load(self._file_path, allow_pickle=False)
            self._value = value.astype(object) if value.dtype.kind == "S" else value
        return self._value

    def __str__(self) -> str:
        return f"{{DebugTensorDatum ({DEFAULT_DEVICE}) {self.tensor_name} @ {self._debug_op} @ {self._timestamp}}}"

    __repr__ = __str__


class DebugDumpDir:
    """The dump of one run: ``DebugDumpDir(run_directory)`` reads one written by ``DumpingDebugWrapperSession``."""

    def __init__(self, dump_root: str, partition_graphs: Any = None, validate: bool = True) -> None:
        from .dump_io import read_run

        nodes, datums, run_info = read_run(dump_root)
        self._setup(dump_root, nodes, datums, run_info)

    @classmethod
    def from_records(cls, dump_root: Optional[str], nodes: list, datums: list, run_info: dict) -> DebugDumpDir:
        """A dump held in memory: ``nodes`` (``NodeInfo``), ``datums`` (``DebugTensorDatum``) and the run's facts."""
        dump = cls.__new__(cls)
        dump._setup(dump_root, nodes, datums, run_info)
        return dump

    def _setup(self, dump_root: Optional[str], nodes: list, datums: list, run_info: dict) -> None:
        self._dump_root = dump_root
        self._nodes = {n.name: n for n in nodes}
        self._recipients: dict = {n.name: [] for n in nodes}
        for n in nodes:
            for i in n.inputs:
                if i in self._recipients and n.name not in self._recipients[i]:
                    self._recipients[i].append(n.name)
        self._datums = sorted(datums, key=lambda d: (d.timestamp, d.order))
        self._by_key: dict = {}
        for d in self._datums:
            self._by_key.setdefault(d.watch_key, []).append(d)
        self._run_info = dict(run_info)

    # -- the run
    @property
    def dump_root(self) -> Optional[str]:
        return self._dump_root

    @property
    def dumped_tensor_data(self) -> list:
        """Every dumped tensor, in the order the run computed them."""
        return list(self._datums)

    @property
    def size(self) -> int:
        return len(self._datums)

    @property
    def t0(self) -> int:
        """The earliest dump timestamp (microseconds); ``lt`` times are relative to it."""
        return self._datums[0].timestamp if self._datums else int(self._run_info.get("t0_us", 0))

    @property
    def run_info(self) -> dict:
        return dict(self._run_info)

    @property
    def run_fetches_info(self) -> list:
        return list(self._run_info.get("fetches", []))

    @property
    def run_feed_keys_info(self) -> list:
        return list(self._run_info.get("feeds", []))

    def devices(self) -> list:
        return [DEFAULT_DEVICE]

    # -- the graph
    def nodes(self, device_name: Optional[str] = None) -> list:
        return list(self._nodes)

    def node_exists(self, node_name: str, device_name: Optional[str] = None) -> bool:
        return node_name in self._nodes

    def _node(self, node_name: str) -> NodeInfo:
        node = self._nodes.get(node_name)
        if node is None:
            raise ValueError(f'There is no node named "{node_name}" in the partition graphs')
        return node

    def node_op_type(self, node_name: str, device_name: Optional[str] = None) -> str:
        return self._node(node_name).op_type

    def node_device(self, node_name: str) -> str:
        return self._node(node_name).device

    def node_attributes(self, node_name: str, device_name: Optional[str] = None) -> dict:
        return dict(self._node(node_name).attributes)

    def node_inputs(self, node_name: str, is_control: bool = False, device_name: Optional[str] = None) -> list:
        """The nodes feeding ``node_name`` (ferroflow graphs carry control dependencies as data inputs)."""
        node = self._node(node_name)
        return [] if is_control else list(node.inputs)

    def node_recipients(self, node_name: str, is_control: bool = False, device_name: Optional[str] = None) -> list:
        self._node(node_name)
        return [] if is_control else list(self._recipients[node_name])

    def transitive_inputs(self, node_name: str, include_control: bool = True) -> list:
        seen, todo = [], list(self.node_inputs(node_name))
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.append(name)
                todo.extend(self._nodes[name].inputs if name in self._nodes else [])
        return seen

    # -- the tensors
    def debug_watch_keys(self, node_name: str, device_name: Optional[str] = None) -> list:
        return [k for k, data in self._by_key.items() if data[0].node_name == node_name]

    def watch_key_to_data(self, debug_watch_key: str, device_name: Optional[str] = None) -> list:
        return list(self._by_key.get(debug_watch_key, []))

    def _data(self, node_name: str, output_slot: int, debug_op: str) -> list:
        key = f"{node_name}:{output_slot}:{debug_op}"
        if key not in self._by_key:
            raise WatchKeyDoesNotExistInDebugDumpDirError(
                f'Watch key "{key}" does not exist in the debug dump of device {DEFAULT_DEVICE}'
            )
        return self._by_key[key]

    def get_tensors(self, node_name: str, output_slot: int, debug_op: str, device_name: Optional[str] = None) -> list:
        return [d.get_tensor() for d in self._data(node_name, output_slot, debug_op)]

    def get_tensor_file_paths(
        self, node_name: str, output_slot: int, debug_op: str, device_name: Optional[str] = None
    ) -> list:
        return [d.file_path for d in self._data(node_name, output_slot, debug_op)]

    def get_rel_timestamps(
        self, node_name: str, output_slot: int, debug_op: str, device_name: Optional[str] = None
    ) -> list:
        return [d.timestamp - self.t0 for d in self._data(node_name, output_slot, debug_op)]

    def get_dump_sizes_bytes(
        self, node_name: str, output_slot: int, debug_op: str, device_name: Optional[str] = None
    ) -> list:
        return [d.dump_size_bytes for d in self._data(node_name, output_slot, debug_op)]

    def find(
        self,
        predicate: Callable[[DebugTensorDatum, Any], bool],
        first_n: int = 0,
        device_name: Optional[str] = None,
        exclude_node_names: Optional[str] = None,
    ) -> list:
        """The dumped tensors for which ``predicate(datum, value)`` is true, in execution order (the first
        ``first_n`` when it is positive); nodes whose names match ``exclude_node_names`` are skipped."""
        skip = re.compile(exclude_node_names) if exclude_node_names else None
        found = []
        for d in self._datums:
            if skip is not None and skip.match(d.node_name):
                continue
            if predicate(d, d.get_tensor()):
                found.append(d)
                if first_n > 0 and len(found) >= first_n:
                    break
        return found


def has_inf_or_nan(datum: DebugTensorDatum, tensor: Any) -> bool:
    """The built-in tensor filter: whether a floating-point (or complex) tensor holds an Inf or a NaN.

    For the health summaries of ``enable_dump_debug_info`` it reads their counts of -inf, +inf and NaN.
    """
    if tensor is None:
        return False
    bad = _HEALTH_BAD.get(getattr(datum, "debug_op", None))
    if bad is not None:
        return bool(np.any(np.asarray(tensor)[..., bad] > 0))
    if not isinstance(tensor, (np.ndarray, np.generic)):
        return False
    if not (np.issubdtype(tensor.dtype, np.floating) or np.issubdtype(tensor.dtype, np.complexfloating)):
        return False
    return bool(np.any(np.isnan(tensor)) or np.any(np.isinf(tensor)))


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
