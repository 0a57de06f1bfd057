"""``ferroflow.config``: threads and devices."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Optional

from . import _core


@dataclass(frozen=True)
class PhysicalDevice:
    name: str
    device_type: str


def _set_intra(num_threads: int) -> None:
    """Sets the intra-op thread count; it must be called before the first op runs, as in TensorFlow."""
    if int(num_threads) < 0:
        raise ValueError(f"num_threads must be >= 0, received {num_threads}")
    if not _core.set_num_threads(int(num_threads)):
        raise RuntimeError(
            "intra-op parallelism cannot be changed after ferroflow has been initialized"
        )


def _get_intra() -> int:
    return _core.num_threads()


threading = SimpleNamespace(
    set_intra_op_parallelism_threads=_set_intra,
    get_intra_op_parallelism_threads=_get_intra,
    set_inter_op_parallelism_threads=lambda n: None,
    get_inter_op_parallelism_threads=lambda: 1,
)


def list_physical_devices(device_type: Optional[str] = None) -> list:
    devices = [PhysicalDevice("/physical_device:CPU:0", "CPU")]
    if device_type is None:
        return devices
    return [d for d in devices if d.device_type == device_type.upper()]


list_logical_devices = list_physical_devices
