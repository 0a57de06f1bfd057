"""Keras 3's ``DTypePolicy`` (``keras.mixed_precision.Policy``): the compute and variable dtypes of a layer.

``"mixed_float16"`` computes in float16 on float32 variables (the layer autocasts, see _layer_dtypes), and
``"mixed_bfloat16"`` in bfloat16; any dtype name (``"float32"``, ``"bfloat16"``, ``"float64"``, ``"int32"``
...) uses that dtype for both.
"""

from __future__ import annotations

from typing import Any, Optional

from ..framework.dtypes import DType, as_dtype


def _dtype_name(name: str) -> Optional[str]:
    try:
        return as_dtype(name).name
    except (TypeError, ValueError, KeyError):
        return None


class DTypePolicy:
    """A layer's dtype policy: ``compute_dtype`` (its math and outputs) and ``variable_dtype`` (its weights).

    Passing a policy name as a layer's ``dtype`` is the same as passing ``DTypePolicy(name)``; without one a
    layer takes the global policy (``keras.mixed_precision.set_global_policy``).
    """

    def __init__(self, name: Optional[str] = None) -> None:
        if name is None:
            name = dtype_policy().name
        self._name = name
        self._compute_dtype, self._variable_dtype = self._parse_name(name)
        self._quantization_mode = None

    def _parse_name(self, name: Any) -> tuple:
        if not isinstance(name, str):
            raise TypeError(
                f"'name' must be a string, such as 'mixed_float16'. Received: name={name} (of type {type(name)})"
            )
        if name in ("mixed_float16", "mixed_bfloat16"):
            return name[len("mixed_") :], "float32"
        dtype = _dtype_name(name)
        if dtype is None:
            raise ValueError(
                f"Cannot convert '{name}' to a mixed precision DTypePolicy. Valid policies include 'mixed_float16', "
                "'mixed_bfloat16', and the name of any float dtype such as 'float32'."
            )
        return dtype, dtype

    @property
    def name(self) -> str:
        """The policy's name (``"mixed_float16"``, ``"float32"`` ...)."""
        return self._name

    @property
    def compute_dtype(self) -> str:
        """The dtype layers compute in and output (float16 under ``mixed_float16``)."""
        return self._compute_dtype

    @property
    def variable_dtype(self) -> str:
        """The dtype layers create their variables in (float32 under ``mixed_float16``)."""
        return self._variable_dtype

    @property
    def quantization_mode(self) -> None:
        return self._quantization_mode

    def convert_input(self, x: Any, autocast: bool, dtype: Any) -> Any:
        """``x`` cast to ``dtype`` when ``autocast`` is on and ``x`` is a float tensor of another dtype."""
        from ..ops.array_ops import cast

        x_dtype = getattr(x, "dtype", None)
        if autocast and isinstance(x_dtype, DType) and x_dtype.is_floating and x_dtype != as_dtype(dtype):
            return cast(x, dtype)
        return x

    def get_config(self) -> dict:
        return {"name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> DTypePolicy:
        return cls(**config)

    def __repr__(self) -> str:
        return f'<DTypePolicy "{self._name}">'

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, DTypePolicy) and self._name == other._name

    def __hash__(self) -> int:
        return hash(("DTypePolicy", self._name))


class FloatDTypePolicy(DTypePolicy):
    """Keras's alias of ``DTypePolicy``."""


_global: dict = {"policy": None}


def set_dtype_policy(policy: Any) -> None:
    """Sets the policy of layers made without a ``dtype`` (``"mixed_float16"`` turns on mixed precision)."""
    if not isinstance(policy, DTypePolicy):
        if not isinstance(policy, str):
            raise ValueError(
                "Invalid `policy` argument. Expected the string name of a policy (such as 'mixed_float16') or a "
                f"`DTypePolicy` instance. Received: policy={policy} (of type {type(policy)})"
            )
        policy = DTypePolicy(policy)
    _global["policy"] = policy


def dtype_policy() -> DTypePolicy:
    """The global policy: the one set, else ``keras.backend.floatx()``'s (float32)."""
    policy = _global["policy"]
    if policy is None:
        from ..keras import backend

        policy = DTypePolicy(backend.floatx())
    return policy


def get(identifier: Any) -> DTypePolicy:
    """A policy from None (the global one), a name, a DType, a config dict or a policy (returned as is)."""
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    try:
        return DTypePolicy(as_dtype(identifier).name)
    except (TypeError, ValueError, KeyError):
        raise ValueError(
            f"Cannot interpret `dtype` argument. Expected a string or an instance of DTypePolicy. "
            f"Received: dtype={identifier}"
        ) from None


def serialize(policy: DTypePolicy) -> dict:
    """Keras's serialized form ``{"module": "keras", "class_name": "DTypePolicy", "config": {"name": ...}}``."""
    return {"module": "keras", "class_name": "DTypePolicy", "config": policy.get_config(), "registered_name": None}


def deserialize(config: dict, custom_objects: Any = None) -> DTypePolicy:
    inner = config.get("config", config)
    if config.get("class_name", "DTypePolicy") not in ("DTypePolicy", "FloatDTypePolicy", "Policy"):
        raise ValueError(f"Cannot deserialize a dtype policy of class {config.get('class_name')!r}: {config}")
    return DTypePolicy(inner.get("name", "float32"))
