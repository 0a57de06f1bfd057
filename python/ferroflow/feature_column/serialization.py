"""Feature column configs (TensorFlow's ``serialize_feature_column`` format) and ``make_parse_example_spec``."""

from __future__ import annotations

from typing import Any, Iterable, Optional

from ._base import FeatureColumn


def _classes() -> dict:
    from .categorical import (
        HashedCategoricalColumn,
        IdentityCategoricalColumn,
        VocabularyFileCategoricalColumn,
        VocabularyListCategoricalColumn,
    )
    from .dense_columns import EmbeddingColumn, IndicatorColumn
    from .numeric import BucketizedColumn, NumericColumn
    from .weighted_crossed import CrossedColumn, WeightedCategoricalColumn

    classes = (
        NumericColumn,
        BucketizedColumn,
        HashedCategoricalColumn,
        VocabularyListCategoricalColumn,
        VocabularyFileCategoricalColumn,
        IdentityCategoricalColumn,
        WeightedCategoricalColumn,
        CrossedColumn,
        IndicatorColumn,
        EmbeddingColumn,
    )
    return {c.__name__: c for c in classes}


def serialize_feature_column(fc: Any) -> Any:
    """``{'class_name': ..., 'config': ...}`` for a column; raw feature keys (strings) stay as they are."""
    if isinstance(fc, str):
        return fc
    if isinstance(fc, FeatureColumn):
        return {"class_name": type(fc).__name__, "config": fc.get_config()}
    raise ValueError(f"Instance: {fc} is not a FeatureColumn")


def deserialize_feature_column(
    config: Any, custom_objects: Optional[dict] = None, columns_by_name: Optional[dict] = None
) -> Any:
    """The column a ``serialize_feature_column`` config describes."""
    if isinstance(config, str):
        return config
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise ValueError(
            f"Improper config format: {config}. Expecting python dict contains `class_name` and `config` as keys"
        )
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _classes().get(name)
    if cls is None:
        raise ValueError(
            f"Unknown feature_column_v2: {name}. Please ensure this object is passed to the `custom_objects` argument."
        )
    if not (isinstance(cls, type) and issubclass(cls, FeatureColumn)):
        raise ValueError(f"Expected FeatureColumn class, instead found: {cls}")
    if columns_by_name is None:
        columns_by_name = {}
    column = cls.from_config(config["config"], custom_objects=custom_objects, columns_by_name=columns_by_name)
    # Equal columns are shared. (TensorFlow shares columns of one class and name even when they differ, e.g.
    # two bucketizations of one feature; those stay distinct here.)
    return columns_by_name.setdefault(column, column)


def serialize_feature_columns(feature_columns: Iterable[Any]) -> list:
    return [serialize_feature_column(fc) for fc in feature_columns]


def deserialize_feature_columns(configs: Iterable[Any], custom_objects: Optional[dict] = None) -> list:
    columns_by_name: dict = {}
    return [deserialize_feature_column(c, custom_objects, columns_by_name) for c in configs]


def serialize_function(fn: Any) -> Any:
    """A function as Keras serializes one: by name (it must be registered or passed as a custom object)."""
    if fn is None:
        return None
    return getattr(fn, "__name__", None) or repr(fn)


def deserialize_function(name: Any, custom_objects: Optional[dict] = None) -> Any:
    if name is None or callable(name):
        return name
    from ..models.registry import get_registered_object

    fn = get_registered_object(name, custom_objects)
    if fn is None:
        raise ValueError(
            f"Unknown function: {name}. Please ensure this object is passed to the `custom_objects` argument."
        )
    return fn


def serialize_initializer(init: Any) -> Any:
    if hasattr(init, "get_config"):
        return {"class_name": type(init).__name__, "config": init.get_config()}
    return serialize_function(init)


def deserialize_initializer(config: Any, custom_objects: Optional[dict] = None) -> Any:
    if isinstance(config, dict):
        from ..compat.v1 import initializers

        name = config["class_name"]
        cls = (custom_objects or {}).get(name) or getattr(initializers, name, None)
        if cls is None:
            raise ValueError(
                f"Unknown initializer: {name}. Please ensure this object is passed to the `custom_objects` argument."
            )
        return cls.from_config(config["config"]) if hasattr(cls, "from_config") else cls(**config["config"])
    return deserialize_function(config, custom_objects)


def make_parse_example_spec(feature_columns: Iterable[Any]) -> dict:
    """The ``tf.io.parse_example`` spec (feature key -> ``FixedLenFeature``/``VarLenFeature``) the columns read."""
    result: dict = {}
    for column in feature_columns:
        if not isinstance(column, FeatureColumn):
            raise ValueError(f"All feature_columns must be FeatureColumn instances. Given: {column}")
        config = column.parse_example_spec
        for key, value in config.items():
            if key in result and value != result[key]:
                raise ValueError(
                    f"feature_columns contain different parse_spec for key {key}. Given {value} and {result[key]}"
                )
        result.update(config)
    return result
