"""``tf.train.SequenceExample``: context ``Features`` plus ``FeatureLists`` (named lists of ``Feature`` steps),
serialized by the core's codec with map entries sorted by key, as TensorFlow's ``deterministic=True``."""

from __future__ import annotations

from typing import Dict, Iterable, Optional

from .. import _core
from ._feature import Feature
from .example import DecodeError, Features


def _key(item: tuple) -> bytes:
    return item[0].encode()


class FeatureList:
    """``tf.train.FeatureList(feature=[tf.train.Feature, ...])``: the steps of one sequence."""

    def __init__(self, feature: Optional[Iterable[Feature]] = None) -> None:
        self._feature: list = []
        for f in feature or []:
            if not isinstance(f, Feature):
                raise TypeError(f"feature must hold tf.train.Feature values, received {type(f).__name__}")
            self._feature.append(f)

    @property
    def feature(self) -> list:
        return self._feature

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FeatureList) and self._feature == other._feature

    def _text(self, indent: str) -> str:
        return "".join(f"{indent}feature {{\n{f._text(indent + '  ')}{indent}}}\n" for f in self._feature)


class _ListMap(dict):
    """``FeatureLists.feature_list``: a message map, so reading a missing key adds an empty ``FeatureList``."""

    def __missing__(self, key: str) -> FeatureList:
        value = self[key] = FeatureList()
        return value


class FeatureLists:
    """``tf.train.FeatureLists(feature_list={name: tf.train.FeatureList, ...})``."""

    def __init__(self, feature_list: Optional[Dict[str, FeatureList]] = None) -> None:
        self._map = _ListMap(feature_list or {})

    @property
    def feature_list(self) -> _ListMap:
        return self._map

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FeatureLists) and dict(self._map) == dict(other._map)


class SequenceExample:
    """``tf.train.SequenceExample(context=tf.train.Features(...), feature_lists=tf.train.FeatureLists(...))``."""

    def __init__(self, context: Optional[Features] = None, feature_lists: Optional[FeatureLists] = None) -> None:
        self._context = context if context is not None else Features()
        self._lists = feature_lists if feature_lists is not None else FeatureLists()
        self._has = (context is not None, feature_lists is not None)

    @property
    def context(self) -> Features:
        return self._context

    @property
    def feature_lists(self) -> FeatureLists:
        return self._lists

    def SerializeToString(self, deterministic: bool = False) -> bytes:  # noqa: N802 - protobuf's name
        context = None
        if self._has[0] or self._context.feature:
            context = [(k.encode(), *f._wire()) for k, f in sorted(self._context.feature.items(), key=_key)]
        lists = None
        if self._has[1] or self._lists.feature_list:
            lists = [
                (k.encode(), [f._wire() for f in fl.feature])
                for k, fl in sorted(self._lists.feature_list.items(), key=_key)
            ]
        return _core.encode_sequence_example_proto(context, lists)

    def ParseFromString(self, serialized: bytes) -> int:  # noqa: N802
        try:
            context, lists = _core.decode_sequence_example_proto(bytes(serialized))
            self._context = Features({k.decode(): Feature._from_wire(kind, v) for k, kind, v in context})
            self._lists = FeatureLists(
                {k.decode(): FeatureList([Feature._from_wire(kind, v) for kind, v in steps]) for k, steps in lists}
            )
        except (ValueError, UnicodeDecodeError) as e:
            raise DecodeError(f"Error parsing message: {e}") from None
        self._has = (bool(context), bool(lists))
        return len(serialized)

    @classmethod
    def FromString(cls, serialized: bytes) -> SequenceExample:  # noqa: N802
        out = cls()
        out.ParseFromString(serialized)
        return out

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SequenceExample) and self.SerializeToString() == other.SerializeToString()

    def __str__(self) -> str:
        out = ""
        if self._has[0] or self._context.feature:
            out += f"context {{\n{self._context._text('  ')}}}\n"
        if self._has[1] or self._lists.feature_list:
            body = "".join(
                f'  feature_list {{\n    key: "{k}"\n    value {{\n{fl._text("      ")}    }}\n  }}\n'
                for k, fl in self._lists.feature_list.items()
            )
            out += f"feature_lists {{\n{body}}}\n"
        return out

    __repr__ = __str__
