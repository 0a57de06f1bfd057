"""``tf.train.Example`` and ``Features``: a map of named features, serialized by the core's protobuf codec
byte for byte as TensorFlow writes it with ``deterministic=True`` (map entries sorted by key)."""

from __future__ import annotations

from typing import Any, Dict, Iterator, Optional

from .. import _core
from ..summary._proto import DecodeError  # noqa: F401 (protobuf's error, raised by every message class here)
from ._feature import BytesList, Feature, FloatList, Int64List  # noqa: F401


class _FeatureMap(dict):
    """``Features.feature``: a message map, so reading a missing key adds an empty ``Feature``."""

    def __missing__(self, key: str) -> Feature:
        value = self[key] = Feature()
        return value

    def __setitem__(self, key: str, value: Feature) -> None:
        if not isinstance(key, str):
            raise TypeError(f"feature keys must be str, received {type(key).__name__}")
        if not isinstance(value, Feature):
            raise TypeError(f"feature values must be tf.train.Feature, received {type(value).__name__}")
        super().__setitem__(key, value)

    def get_or_create(self, key: str) -> Feature:
        return self[key]


class Features:
    """``tf.train.Features(feature={name: tf.train.Feature, ...})``."""

    def __init__(self, feature: Optional[Dict[str, Feature]] = None) -> None:
        self._feature = _FeatureMap()
        for key, value in (feature or {}).items():
            self._feature[key] = value

    @property
    def feature(self) -> _FeatureMap:
        return self._feature

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Features) and dict(self._feature) == dict(other._feature)

    def _text(self, indent: str) -> str:
        out = []
        for key, value in self._feature.items():
            inner = value._text(indent + "    ")
            value_text = (
                f"{indent}  value {{\n{inner}{indent}  }}\n" if inner else f"{indent}  value {{\n{indent}  }}\n"
            )
            out.append(f'{indent}feature {{\n{indent}  key: "{key}"\n{value_text}{indent}}}\n')
        return "".join(out)

    def __str__(self) -> str:
        return self._text("")

    __repr__ = __str__


class Example:
    """``tf.train.Example(features=tf.train.Features(...))``: one record of named features."""

    def __init__(self, features: Optional[Features] = None) -> None:
        if features is not None and not isinstance(features, Features):
            raise TypeError(f"features must be a tf.train.Features, received {type(features).__name__}")
        self._features = Features(dict(features.feature)) if features is not None else Features()
        self._has_features = features is not None

    @property
    def features(self) -> Features:
        return self._features

    def HasField(self, field_name: str) -> bool:  # noqa: N802 - protobuf's name
        if field_name != "features":
            raise ValueError(f'Protocol message Example has no non-repeated field "{field_name}"')
        return self._has_features or bool(self._features.feature)

    def SerializeToString(self, deterministic: bool = False) -> bytes:  # noqa: N802
        """The protobuf wire bytes, map entries sorted by key (TensorFlow's ``deterministic=True`` order; its
        default order changes from one process to the next)."""
        if not self.HasField("features"):
            return _core.encode_example_proto(None)
        items = sorted(self._features.feature.items(), key=lambda kv: kv[0].encode())
        return _core.encode_example_proto([(k.encode(), *f._wire()) for k, f in items])

    def ParseFromString(self, serialized: bytes) -> int:  # noqa: N802
        """Replaces this message by the one ``serialized`` holds; returns the bytes read."""
        try:
            entries = _core.decode_example_proto(bytes(serialized))
            features = {key.decode("utf-8"): Feature._from_wire(kind, values) for key, kind, values in entries}
        except (ValueError, UnicodeDecodeError) as e:
            raise DecodeError(f"Error parsing message: {e}") from None
        self._features = Features(features)
        self._has_features = bool(serialized)
        return len(serialized)

    def MergeFromString(self, serialized: bytes) -> int:  # noqa: N802
        other = Example.FromString(serialized)
        self._features.feature.update(other.features.feature)
        self._has_features = self._has_features or other._has_features
        return len(serialized)

    @classmethod
    def FromString(cls, serialized: bytes) -> Example:  # noqa: N802
        out = cls()
        out.ParseFromString(serialized)
        return out

    def CopyFrom(self, other: Example) -> None:  # noqa: N802
        self.ParseFromString(other.SerializeToString())

    def Clear(self) -> None:  # noqa: N802
        self._features, self._has_features = Features(), False

    def ByteSize(self) -> int:  # noqa: N802
        return len(self.SerializeToString())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Example) and self.SerializeToString(True) == other.SerializeToString(True)

    def __iter__(self) -> Iterator[Any]:
        raise TypeError("'Example' object is not iterable")

    def __str__(self) -> str:
        if not self.HasField("features"):
            return ""
        return f"features {{\n{self._features._text('  ')}}}\n"

    __repr__ = __str__
