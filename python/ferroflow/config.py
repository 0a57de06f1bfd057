"""``ferroflow.config``: threads and devices (``tf.config``)."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, List, Optional

from . import _core
from .framework import device as _device
from .framework.function import functions_run_eagerly, run_functions_eagerly  # noqa: F401


@dataclass(frozen=True)
class PhysicalDevice:
    """A device of this machine, as ``tf.config.PhysicalDevice``."""

    name: str
    device_type: str


@dataclass(frozen=True)
class LogicalDevice:
    """A device ops can be placed on, as ``tf.config.LogicalDevice``."""

    name: str
    device_type: str


def _set_intra(num_threads: int) -> None:
    """Sets the intra-op thread count; it must be called before the first op runs, as in TensorFlow."""
    if int(num_threads) < 0:
        raise ValueError(f"num_threads must be >= 0, received {num_threads}")
    if not _core.set_num_threads(int(num_threads)):
        raise RuntimeError("intra-op parallelism cannot be changed after ferroflow has been initialized")


def _get_intra() -> int:
    return _core.num_threads()


threading = SimpleNamespace(
    set_intra_op_parallelism_threads=_set_intra,
    get_intra_op_parallelism_threads=_get_intra,
    set_inter_op_parallelism_threads=lambda n: None,
    get_inter_op_parallelism_threads=lambda: 1,
)


def _physical(device_type: Optional[str]) -> List[PhysicalDevice]:
    # One physical CPU however many logical ones it was split into (set_logical_device_configuration); every
    # GPU of the machine, hidden ones included (set_visible_devices).
    types = [device_type.upper()] if device_type else _device.device_types()
    counts = {"CPU": 1, "GPU": _device.physical_gpu_count()}
    return [
        PhysicalDevice(f"/physical_device:{t}:{i}", t)
        for t in types
        for i in range(counts.get(t, _device.device_count(t)))
    ]


@dataclass(frozen=True)
class LogicalDeviceConfiguration:
    """One logical device to make from a physical one (``tf.config.LogicalDeviceConfiguration``)."""

    memory_limit: Optional[int] = None
    experimental_priority: Optional[int] = None
    experimental_device_ordinal: Optional[int] = None


_logical_configuration: dict = {}


def set_logical_device_configuration(device: PhysicalDevice, logical_devices: Any) -> None:
    """Splits the CPU into ``len(logical_devices)`` logical CPUs (``/CPU:0``, ``/CPU:1`` ...), as TensorFlow's
    guides do to try distribution on one machine. They share the one intra-op thread pool."""
    configs = list(logical_devices or [])
    if getattr(device, "device_type", None) != "CPU":
        raise ValueError(f"only the CPU can be split into logical devices here, received {device!r}")
    if not configs:
        raise ValueError("set_logical_device_configuration needs at least one LogicalDeviceConfiguration")
    _logical_configuration[device.name] = configs
    _device.set_logical_cpu_count(len(configs))


def get_logical_device_configuration(device: PhysicalDevice) -> Optional[List[LogicalDeviceConfiguration]]:
    return _logical_configuration.get(device.name)


def list_physical_devices(device_type: Optional[str] = None) -> List[PhysicalDevice]:
    """The machine's devices, e.g. ``[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]``.

    ``device_type`` ("CPU", "GPU") filters them; a type with no device gives ``[]``.
    """
    return _physical(device_type)


def list_logical_devices(device_type: Optional[str] = None) -> List[LogicalDevice]:
    """The devices ops can be placed on, named as TensorFlow 2.21 names them (``/device:CPU:0``; a tensor's
    ``.device`` gives the full ``/job:localhost/replica:0/task:0/device:CPU:0``)."""
    return [LogicalDevice(d.short_name, d.device_type) for d in _device.logical_devices(device_type)]


_visible: dict = {}


def get_visible_devices(device_type: Optional[str] = None) -> List[PhysicalDevice]:
    """The physical devices this process uses (all of them unless ``set_visible_devices`` narrowed them)."""
    devices = _physical(device_type)
    return [d for d in devices if _visible.get(d.device_type) is None or d in _visible[d.device_type]]


def set_visible_devices(devices: Any, device_type: Optional[str] = None) -> None:
    """Restricts the devices this process uses (GPUs are kept in order: hiding GPU:0 hides the later ones too,
    as ``CUDA_VISIBLE_DEVICES`` would renumber them); the CPU must stay visible."""
    devices = [devices] if isinstance(devices, PhysicalDevice) else list(devices)
    known = _physical(device_type)
    for d in devices:
        if d not in known:
            raise ValueError(f"Unrecognized device: {d!r}; the devices of this machine are {known}")
    for t in {d.device_type for d in known}:
        chosen = [d for d in devices if d.device_type == t]
        if t == "CPU" and not chosen:
            raise ValueError("Cannot hide the CPU: variables and feeds live in its memory")
        _visible[t] = chosen
    gpus = _physical("GPU")
    if gpus and (device_type is None or device_type.upper() == "GPU"):
        kept = 0
        while kept < len(gpus) and gpus[kept] in _visible["GPU"]:
            kept += 1
        _core.set_visible_gpu_count(kept)


def get_soft_device_placement() -> bool:
    return _device.soft_placement["enabled"]


def set_soft_device_placement(enabled: bool) -> None:
    """When on (the default, as in TensorFlow 2), an op asked for a device it cannot run on (a GPU this
    machine lacks, an op without a GPU kernel) runs on the CPU instead of raising."""
    _device.soft_placement["enabled"] = bool(enabled)
    _core.set_soft_placement(bool(enabled))


# The names TensorFlow 2.0-2.2 used; still exported by TensorFlow.
experimental_run_functions_eagerly = run_functions_eagerly
experimental_functions_run_eagerly = functions_run_eagerly


_memory_growth: dict = {}


def _set_memory_growth(device: PhysicalDevice, enable: bool) -> None:
    """Recorded for ``get_memory_growth``. The GPU allocator always grows on demand (a caching allocator that
    keeps freed blocks for reuse), so both settings behave as memory growth on."""
    if getattr(device, "device_type", None) != "GPU":
        raise ValueError("Cannot set memory growth on non-GPU devices")
    _memory_growth[device.name] = bool(enable)


def _get_memory_growth(device: PhysicalDevice) -> bool:
    if getattr(device, "device_type", None) != "GPU":
        raise ValueError("Cannot get memory growth on non-GPU devices")
    return _memory_growth.get(device.name, False)


def _gpu_index(device: Any) -> int:
    """The index of a GPU named as ``get_memory_info`` takes it ("GPU:0", "/device:GPU:1")."""
    name = device.name if isinstance(device, (PhysicalDevice, LogicalDevice)) else device
    spec = _device.parse_device(name.replace("physical_device:", "device:"))
    if spec.device_type != "GPU":
        raise ValueError(f"Memory statistics are only kept for GPUs, received {name!r}")
    return spec.device_index


def _get_memory_info(device: str) -> dict:
    """``{'current': bytes in use, 'peak': their high-water mark}`` of a GPU's allocator."""
    return dict(_core.gpu_memory_info(_gpu_index(device)))


def _reset_memory_stats(device: str) -> None:
    """Starts a GPU's peak from its current use."""
    _core.gpu_reset_memory_stats(_gpu_index(device))


def _get_device_details(device: PhysicalDevice) -> dict:
    """``{'device_name': ..., 'compute_capability': (major, minor)}`` of a GPU; ``{}`` for the CPU."""
    if getattr(device, "device_type", None) != "GPU":
        return {}
    details = _core.gpu_details(_gpu_index(device))
    return {"device_name": details["device_name"], "compute_capability": tuple(details["compute_capability"])}


def _enable_tensor_float_32_execution(enabled: bool) -> None:
    """TensorFloat-32 in float32 GPU products (on by default, as in TensorFlow): about 10 mantissa bits in the
    products' inputs for several times the matrix rate."""
    _core.set_tensor_float_32(bool(enabled))


def _enable_op_determinism() -> None:
    """Accepted for TensorFlow code that asks for determinism: ferroflow's kernels already give the same
    results on every run (fixed summation orders whatever the thread count; counter-based random ops)."""


experimental = SimpleNamespace(
    enable_op_determinism=_enable_op_determinism,
    set_virtual_device_configuration=set_logical_device_configuration,
    get_virtual_device_configuration=get_logical_device_configuration,
    VirtualDeviceConfiguration=LogicalDeviceConfiguration,
    list_physical_devices=list_physical_devices,
    list_logical_devices=list_logical_devices,
    get_visible_devices=get_visible_devices,
    set_visible_devices=set_visible_devices,
    set_memory_growth=_set_memory_growth,
    get_memory_growth=_get_memory_growth,
    get_memory_info=_get_memory_info,
    reset_memory_stats=_reset_memory_stats,
    get_device_details=_get_device_details,
    enable_tensor_float_32_execution=_enable_tensor_float_32_execution,
    tensor_float_32_execution_enabled=_core.tensor_float_32,
)

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
