"""Devices: a small registry of device types, TensorFlow's device-name parsing, and ``tf.device`` scopes.

The CPU is always there; GPUs are the CUDA devices the core finds at run time (none without a driver, its
libraries or a GPU, and then naming a GPU raises an error that says why, or falls back to the CPU under soft
placement). A scope's device is recorded on the graph nodes built inside it, and the core's placement honours
it (see ``record_device``).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Optional

from .. import _core

JOB_PREFIX = "/job:localhost/replica:0/task:0"

# Where the core looks for NVRTC and cuBLAS besides the loader's path: pip's nvidia-* wheels install them
# under site-packages/nvidia/*/lib, which is on no loader path (read once, when GPUs are first probed).
os.environ.setdefault(
    "FERROFLOW_CUDA_LIBRARY_PATH",
    os.pathsep.join(p for p in sys.path if p.endswith(("site-packages", "dist-packages"))),
)


@dataclass
class _DeviceType:
    count: Callable[[], int]
    unavailable: Callable[[], str]  # why there is no such device, for the error message


# How many logical CPUs the one CPU is split into (``tf.config.set_logical_device_configuration``).
_LOGICAL_CPUS = [1]


def set_logical_cpu_count(count: int) -> None:
    _LOGICAL_CPUS[0] = int(count)


_PHYSICAL_GPUS: List[int] = []


def physical_gpu_count() -> int:
    """The GPUs of this machine, hidden ones included (read before ``set_visible_devices`` first hides any)."""
    if not _PHYSICAL_GPUS:
        _PHYSICAL_GPUS.append(_core.gpu_count())
    return _PHYSICAL_GPUS[0]


def _gpu_unavailable() -> str:
    reason = _core.gpu_unavailable_reason()
    return f"no GPU device is available: {reason}" if reason else "no GPU device is visible to this process"


_TYPES: Dict[str, _DeviceType] = {
    "CPU": _DeviceType(lambda: _LOGICAL_CPUS[0], lambda: ""),
    "GPU": _DeviceType(_core.gpu_count, _gpu_unavailable),
}


def register_device_type(device_type: str, count: Callable[[], int], unavailable: str = "") -> None:
    """Makes ``device_type`` placeable; ``count()`` says how many such devices this process can use."""
    why = unavailable or f"no {device_type.upper()} device is available"
    _TYPES[device_type.upper()] = _DeviceType(count, lambda: why)


def device_types() -> List[str]:
    return list(_TYPES)


def device_count(device_type: str) -> int:
    entry = _TYPES.get(device_type.upper())
    return 0 if entry is None else int(entry.count())


@dataclass(frozen=True)
class DeviceSpec:
    """A fully resolved device (``/job:localhost/replica:0/task:0/device:CPU:0``)."""

    device_type: str
    device_index: int = 0

    def to_string(self) -> str:
        return f"{JOB_PREFIX}/device:{self.device_type}:{self.device_index}"

    @property
    def short_name(self) -> str:
        return f"/device:{self.device_type}:{self.device_index}"


CPU0 = DeviceSpec("CPU", 0)

_PART = re.compile(r"^(job|replica|task|device):(.*)$", re.IGNORECASE)


def parse_device(name: str) -> DeviceSpec:
    """Resolves a TensorFlow device string to an available device.

    Accepts "/CPU:0", "/device:CPU:0", "cpu:0", "CPU", "/job:localhost/replica:0/task:0/device:CPU:0" ...

    Raises:
        ValueError: the string is not a device name.
        InvalidArgumentError: the device does not exist in this process (a GPU in a CPU-only build).
    """
    if not isinstance(name, str):
        raise TypeError(f"a device name must be a string such as '/CPU:0', received {name!r}")
    device_type, index = None, None
    for part in [p for p in name.strip().split("/") if p]:
        m = _PART.match(part)
        if m and m.group(1).lower() != "device":
            continue  # job/replica/task: this process is /job:localhost/replica:0/task:0
        spec = m.group(2) if m else part
        dm = re.fullmatch(r"([A-Za-z_]+)(?::(\d+|\*))?", spec)
        if dm is None:
            raise ValueError(f"Invalid device name {name!r}: expected a name like '/CPU:0' or '/device:GPU:1'")
        device_type = dm.group(1).upper()
        index = None if dm.group(2) in (None, "*") else int(dm.group(2))
    if device_type is None:
        raise ValueError(f"Invalid device name {name!r}: it names no device type (expected e.g. '/CPU:0')")
    if device_type not in _TYPES:
        raise ValueError(
            f"Unknown device type {device_type!r} in device name {name!r}; known types: {', '.join(_TYPES)}"
        )
    available = device_count(device_type)
    index = 0 if index is None else index
    if index >= available:
        reason = _TYPES[device_type].unavailable() if available == 0 else (
            f"this process has {available} {device_type} device(s), numbered from 0")
        raise _core.InvalidArgumentError(
            f"Cannot place ops on device {name!r}: {reason}. Available devices: "
            f"{', '.join(d.to_string() for d in logical_devices())}"
        )
    return DeviceSpec(device_type, index)


def logical_devices(device_type: Optional[str] = None) -> List[DeviceSpec]:
    types = [device_type.upper()] if device_type else list(_TYPES)
    return [DeviceSpec(t, i) for t in types for i in range(device_count(t))]


# -- scopes ----------------------------------------------------------------------------------------

_local = threading.local()


def _stack() -> list:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def current_device() -> DeviceSpec:
    """The device ops are placed on now: the innermost ``tf.device`` scope, else CPU:0."""
    stack = _stack()
    return stack[-1] if stack else CPU0


def explicit_device() -> Optional[DeviceSpec]:
    """The device of the innermost ``tf.device`` scope, or None outside every scope."""
    stack = _stack()
    return stack[-1] if stack else None


def record_device(graph: Any, node: int) -> None:
    """Records the innermost ``tf.device`` scope's device on a node just added to ``graph`` (nothing outside
    every scope: such nodes go where the core's placement puts them)."""
    spec = explicit_device()
    if spec is not None and spec.device_type in ("CPU", "GPU"):
        graph._g.set_device(node, spec.device_type, spec.device_index if spec.device_type == "GPU" else 0)


# tf.config.set_soft_device_placement (on by default, as in TensorFlow 2).
soft_placement = {"enabled": True}


def _type_of(name: str) -> str:
    """The device type a valid device name names ("GPU" for "/job:localhost/device:GPU:0")."""
    last = [p for p in name.strip().split("/") if p][-1]
    return (last.split(":")[1] if last.lower().startswith("device:") else last.split(":")[0]).upper()


@contextlib.contextmanager
def device(device_name: Optional[str]) -> Iterator[None]:
    """``tf.device``: places the ops created in the block on ``device_name`` (None keeps the current one).

    Raises:
        InvalidArgumentError: on entering, when the device does not exist: an index past the last device, or
            a device type this build lacks (such as a GPU) with soft placement turned off.
    """
    from .device_spec import DeviceSpec as PublicDeviceSpec

    if isinstance(device_name, PublicDeviceSpec):  # ``tf.device(tf.DeviceSpec(device_type="CPU"))``
        device_name = device_name.to_string()
    try:
        spec = current_device() if device_name is None or device_name == "" else parse_device(device_name)
    except _core.InvalidArgumentError:
        if not (soft_placement["enabled"] and device_count(_type_of(device_name)) == 0):
            raise
        spec = CPU0  # soft placement: a device type this build lacks falls back to the CPU
    stack = _stack()
    stack.append(spec)
    try:
        yield
    finally:
        stack.pop()


# -- placement logging (tf.debugging.set_log_device_placement) -------------------------------------

_log = {"enabled": False}


def set_log_placement(enabled: bool) -> None:
    from . import ops

    _log["enabled"] = bool(enabled)
    _core.set_log_placement(bool(enabled))
    # The eager path checks one module global per op: None (off) costs nothing more.
    ops.eager_op_logger = _log_eager_op if enabled else None


def log_placement_enabled() -> bool:
    return _log["enabled"]


def _log_eager_op(op: Any) -> None:
    print(f"Executing op {op.type_name} in device {current_device().to_string()}", file=sys.stderr)


def log_graph_placement(graph: Any) -> None:
    """Prints each node's device when a graph is compiled with placement logging on (TensorFlow's format).
    With a GPU present the core's placement prints them instead, as it decides each one."""
    if not _log["enabled"] or _core.gpu_count() > 0:
        return
    where = current_device().to_string()
    core = getattr(graph, "_g", graph)
    for i in range(len(core)):
        name, op_type = core.node(i)[:2]
        print(f"{name}: ({op_type}): {where}", file=sys.stderr)
