"""The strategies: ``MirroredStrategy`` (synchronous replicas, one per device), ``OneDeviceStrategy`` and a
single-worker ``MultiWorkerMirroredStrategy``.

``MirroredStrategy`` has one replica per device it is given: the logical CPUs that
``tf.config.set_logical_device_configuration`` makes (by default the process's first GPU, else CPU:0, as
TensorFlow picks). The replicas run one after the other in this thread (see ``mirrored_run``).
"""

from __future__ import annotations

import json
import os
from typing import Any, Optional, Sequence

from .cross_device_ops import CrossDeviceOps
from .strategy import Strategy
from .strategy_extended import StrategyExtended


def _resolve(name: Any) -> str:
    from ..framework.device import parse_device

    if not isinstance(name, str):
        raise TypeError(f"a device must be given by name such as '/CPU:0', received {name!r}")
    return parse_device(name).to_string()


def _resolve_lenient(name: Any) -> str:
    """A device of a known type named past the existing ones (``"cpu:5"`` with two logical CPUs): TensorFlow
    accepts it and its soft placement runs that replica on an existing device; so does ferroflow."""
    from .. import _core
    from ..framework.device import DeviceSpec, parse_device

    try:
        return _resolve(name)
    except _core.InvalidArgumentError:
        spec = parse_device(name.rsplit(":", 1)[0])
        if spec.device_type != "CPU":
            raise
        return DeviceSpec("CPU", int(name.rsplit(":", 1)[1])).to_string()


def _default_devices() -> tuple:
    from ..framework.device import device_count

    kind = "GPU" if device_count("GPU") > 0 else "CPU"
    return (_resolve(f"/{kind}:0"),)


class MirroredStrategy(Strategy):
    """Synchronous training with a copy of the model on each device in ``devices`` (by default the GPUs, or the
    CPU when there is none).

    Raises:
        ValueError: ``devices`` names a device twice.
        TypeError: ``cross_device_ops`` is not a ``tf.distribute.CrossDeviceOps``.
    """

    def __init__(self, devices: Optional[Sequence[str]] = None, cross_device_ops: Optional[CrossDeviceOps] = None):
        if isinstance(devices, str):
            devices = [devices]
        resolved = tuple(_resolve_lenient(d) for d in devices) if devices else _default_devices()
        if len(set(resolved)) != len(resolved):
            raise ValueError(f"No duplicates allowed in `devices` argument: {resolved}")
        if cross_device_ops is not None and not isinstance(cross_device_ops, CrossDeviceOps):
            raise TypeError(
                "cross_device_ops must be a tf.distribute.CrossDeviceOps (such as "
                f"tf.distribute.HierarchicalCopyAllReduce()), received {cross_device_ops!r}"
            )
        self._cross_device_ops = cross_device_ops
        super().__init__(StrategyExtended(self, resolved))


class OneDeviceStrategy(Strategy):
    """Everything on ``device``: the variables made in ``scope()``, the computation in ``run`` and the input."""

    def __init__(self, device: str) -> None:
        super().__init__(StrategyExtended(self, (_resolve(device),)))


class MultiWorkerMirroredStrategy(Strategy):
    """Synchronous training over workers, each with its local devices; here one worker (this process) with one
    replica.

    Raises:
        NotImplementedError: a ``cluster_resolver`` is given or ``TF_CONFIG`` describes a cluster, since
            ferroflow does not communicate between processes.
    """

    def __init__(self, cluster_resolver: Any = None, communication_options: Any = None) -> None:
        if cluster_resolver is not None:
            raise NotImplementedError(
                "MultiWorkerMirroredStrategy with a cluster_resolver: ferroflow trains in one process (one worker)"
            )
        config = os.environ.get("TF_CONFIG")
        if config and json.loads(config).get("cluster"):
            raise NotImplementedError(
                "TF_CONFIG describes a cluster, but ferroflow's MultiWorkerMirroredStrategy runs one worker in "
                "this process only; unset TF_CONFIG to train on this machine"
            )
        self._communication_options = communication_options
        super().__init__(StrategyExtended(self, _default_devices()))
