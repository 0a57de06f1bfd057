"""The parts of a ``keras.utils.FeatureSpace``: ``Feature`` (a dtype, a preprocessing layer and how its output
is encoded) and ``Cross`` (features hashed together), and the named feature types that make them."""

from __future__ import annotations

from typing import Any, Optional, Sequence

from ._util import unique_name
from .base_layer import Layer


class TFDIdentity(Layer):
    """A plain float feature's preprocessor: its input unchanged (Keras's ``TFDIdentity``)."""

    def call(self, x: Any) -> Any:
        return x


class Cross:
    """Features crossed by hashing their values together into ``crossing_dim`` buckets."""

    def __init__(self, feature_names: Sequence[str], crossing_dim: int, output_mode: str = "one_hot") -> None:
        if output_mode not in {"int", "one_hot"}:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of {'int', 'one_hot'}. "
                f"Received: output_mode={output_mode}"
            )
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self) -> str:
        return "_X_".join(self.feature_names)

    def get_config(self) -> dict:
        return {"feature_names": self.feature_names, "crossing_dim": self.crossing_dim, "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config: dict) -> Cross:
        return cls(**config)


class Feature:
    """One input feature: its ``dtype``, the layer that preprocesses it, and ``output_mode`` (``"int"``,
    ``"one_hot"`` or ``"float"``)."""

    def __init__(self, dtype: str, preprocessor: Any, output_mode: str) -> None:
        if output_mode not in {"int", "one_hot", "float"}:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of {'int', 'one_hot', 'float'}. "
                f"Received: output_mode={output_mode}"
            )
        self.dtype = dtype
        if isinstance(preprocessor, dict):
            from . import deserialize

            preprocessor = deserialize(preprocessor)
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self) -> dict:
        from . import serialize

        return {"dtype": self.dtype, "preprocessor": serialize(self.preprocessor), "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config: dict) -> Feature:
        return cls(**config)


class FeatureTypes:
    """The named feature types (``FeatureSpace.float_normalized()`` ...), as class methods of FeatureSpace."""

    @classmethod
    def cross(cls, feature_names: Sequence[str], crossing_dim: int, output_mode: str = "one_hot") -> Cross:
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype: str, preprocessor: Any, output_mode: str) -> Feature:
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name: Optional[str] = None) -> Feature:
        name = name or unique_name("float")
        return Feature("float32", TFDIdentity(name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_rescaled(cls, scale: float = 1.0, offset: float = 0.0, name: Optional[str] = None) -> Feature:
        from . import Rescaling

        name = name or unique_name("float_rescaled")
        return Feature("float32", Rescaling(scale=scale, offset=offset, name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_normalized(cls, name: Optional[str] = None) -> Feature:
        from . import Normalization

        name = name or unique_name("float_normalized")
        return Feature("float32", Normalization(axis=-1, name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_discretized(
        cls, num_bins: int, bin_boundaries: Any = None, output_mode: str = "one_hot", name: Optional[str] = None
    ) -> Feature:
        from . import Discretization

        name = name or unique_name("float_discretized")
        layer = Discretization(num_bins=num_bins, bin_boundaries=bin_boundaries, name=f"{name}_preprocessor")
        return Feature("float32", layer, output_mode)

    @classmethod
    def integer_categorical(
        cls,
        max_tokens: Optional[int] = None,
        num_oov_indices: int = 1,
        output_mode: str = "one_hot",
        name: Optional[str] = None,
    ) -> Feature:
        from . import IntegerLookup

        return _lookup_feature(
            IntegerLookup, "int32", "integer_categorical", max_tokens, num_oov_indices, output_mode, name
        )

    @classmethod
    def string_categorical(
        cls,
        max_tokens: Optional[int] = None,
        num_oov_indices: int = 1,
        output_mode: str = "one_hot",
        name: Optional[str] = None,
    ) -> Feature:
        from . import StringLookup

        return _lookup_feature(
            StringLookup, "string", "string_categorical", max_tokens, num_oov_indices, output_mode, name
        )

    @classmethod
    def string_hashed(cls, num_bins: int, output_mode: str = "one_hot", name: Optional[str] = None) -> Feature:
        from . import Hashing

        name = name or unique_name("string_hashed")
        return Feature("string", Hashing(name=f"{name}_preprocessor", num_bins=num_bins), output_mode)

    @classmethod
    def integer_hashed(cls, num_bins: int, output_mode: str = "one_hot", name: Optional[str] = None) -> Feature:
        from . import Hashing

        name = name or unique_name("integer_hashed")
        return Feature("int32", Hashing(name=f"{name}_preprocessor", num_bins=num_bins), output_mode)


def _lookup_feature(
    lookup_cls: type,
    dtype: str,
    kind: str,
    max_tokens: Optional[int],
    num_oov_indices: int,
    output_mode: str,
    name: Optional[str],
) -> Feature:
    """A categorical feature: a vocabulary lookup (integer or string) named after the feature."""
    name = name or unique_name(kind)
    layer = lookup_cls(name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices)
    return Feature(dtype, layer, output_mode)
