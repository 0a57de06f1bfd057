"""``tf.DeviceSpec``: the parts of a (possibly partial) device name, ``/job:j/replica:r/task:t/device:TYPE:i``.

Not to be confused with ``framework.device``'s internal resolved device (a type and index that exist here):
this is TensorFlow's public value class, which names devices whether or not this machine has them.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

_FIELDS = ("job", "replica", "task", "device_type", "device_index")
# Device types written in capitals however they are given, as TensorFlow does.
_UPPER_TYPES = ("cpu", "gpu", "tpu")


def _device_type(value: Any) -> Optional[str]:
    if value is None:
        return None
    text = str(value)
    return text.upper() if text.lower() in _UPPER_TYPES else text


def _index(value: str) -> Optional[int]:
    return None if value == "*" else int(value)


class DeviceSpec:
    """``tf.DeviceSpec(job=None, replica=None, task=None, device_type=None, device_index=None)``: each part may be
    left unspecified (None); ``to_string`` writes the specified ones in TensorFlow's order."""

    __slots__ = ("_job", "_replica", "_task", "_device_type", "_device_index")

    def __init__(
        self,
        job: Optional[str] = None,
        replica: Optional[int] = None,
        task: Optional[int] = None,
        device_type: Optional[str] = None,
        device_index: Optional[int] = None,
    ) -> None:
        self._job = None if job is None else str(job)
        self._replica = None if replica is None else int(replica)
        self._task = None if task is None else int(task)
        self._device_type = _device_type(device_type)
        self._device_index = None if device_index is None else int(device_index)

    job = property(lambda self: self._job)
    replica = property(lambda self: self._replica)
    task = property(lambda self: self._task)
    device_type = property(lambda self: self._device_type)
    device_index = property(lambda self: self._device_index)

    @classmethod
    def from_string(cls, spec: str) -> DeviceSpec:
        """The spec of a device string (``"/job:ps/task:1/device:GPU:0"``, ``"/cpu:0"``, ``"gpu:*"``)."""
        return cls(*_parse(spec))

    def parse_from_string(self, spec: str) -> DeviceSpec:
        """A new spec from ``spec`` (this one is immutable, as TensorFlow 2's)."""
        return DeviceSpec.from_string(spec)

    def make_merged_spec(self, dev: DeviceSpec) -> DeviceSpec:
        """This spec with every part that ``dev`` specifies taken from ``dev``."""
        return DeviceSpec(*(getattr(self, f) if getattr(dev, f) is None else getattr(dev, f) for f in _FIELDS))

    def replace(self, **kwargs: Any) -> DeviceSpec:
        """This spec with the given parts replaced."""
        unknown = sorted(set(kwargs) - set(_FIELDS))
        if unknown:
            raise TypeError(f"DeviceSpec.replace() got unexpected keyword arguments {unknown}; expected {_FIELDS}")
        return DeviceSpec(**{f: kwargs.get(f, getattr(self, f)) for f in _FIELDS})

    def to_string(self) -> str:
        parts = []
        if self._job is not None:
            parts.append(f"/job:{self._job}")
        if self._replica is not None:
            parts.append(f"/replica:{self._replica}")
        if self._task is not None:
            parts.append(f"/task:{self._task}")
        if self._device_type is not None or self._device_index is not None:
            index = "*" if self._device_index is None else self._device_index
            parts.append(f"/device:{self._device_type or '*'}:{index}")
        return "".join(parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DeviceSpec) and self.to_string() == other.to_string()

    def __hash__(self) -> int:
        return hash(self.to_string())

    def __repr__(self) -> str:
        fields = ", ".join(f"{f}={getattr(self, f)}" for f in _FIELDS)
        return f"<DeviceSpec({fields})>"


def _parse(spec: str) -> Tuple[Any, ...]:
    """(job, replica, task, device_type, device_index) of a device string; a later part overrides an earlier."""
    found: dict = {}
    for part in (p for p in str(spec).split("/") if p):
        key, _, rest = part.partition(":")
        name = key.lower()
        try:
            if name == "job":
                found["job"] = rest
            elif name in ("replica", "task"):
                found[name] = int(rest)
            elif name == "device":
                kind, _, index = rest.partition(":")
                found["device_type"] = kind
                found["device_index"] = _index(index) if index else None
            elif name in _UPPER_TYPES or rest.isdigit() or rest == "*":  # "/cpu:0", "GPU:1", "gpu:*"
                found["device_type"] = key
                found["device_index"] = _index(rest) if rest else None
            else:
                raise ValueError
        except ValueError:
            raise ValueError(
                f"Unknown attribute '{key}' is encountered while parsing the device spec: '{spec}'."
            ) from None
    return tuple(found.get(f) for f in _FIELDS)
