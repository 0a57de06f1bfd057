"""``shared_embeddings``: embedding columns of several categorical columns that look up one weight matrix.

As in TensorFlow 2.21 it refuses to run eagerly (``RuntimeError``): the columns are made inside a graph
(``tf.function`` or ``tf.Graph().as_default()``). The shared matrix is created by the first ``DenseFeatures``
layer that builds one of the columns, and reused by the others.
"""

from __future__ import annotations

import collections
from typing import Any, List, Optional

from ..framework import context
from ..framework.tensor_shape import TensorShape
from ._base import CategoricalColumn, DenseColumn, Ids
from .dense_columns import check_embedding_args, default_initializer, safe_embedding_lookup


class SharedEmbeddingColumnCreator:
    """Holds what the shared columns have in common, and the weight matrix once created."""

    def __init__(
        self,
        dimension: int,
        initializer: Any,
        ckpt_to_load_from: Any,
        tensor_name_in_ckpt: Any,
        num_buckets: int,
        trainable: bool,
        name: str = "shared_embedding_column_creator",
        use_safe_embedding_lookup: bool = True,
    ) -> None:
        self._dimension = dimension
        self._initializer = initializer
        self._ckpt_to_load_from = ckpt_to_load_from
        self._tensor_name_in_ckpt = tensor_name_in_ckpt
        self._num_buckets = num_buckets
        self._trainable = trainable
        self._name = name
        self._use_safe_embedding_lookup = use_safe_embedding_lookup
        self._embedding_weights: Any = None

    def __call__(self, categorical_column: Any, combiner: str, max_norm: Any) -> SharedEmbeddingColumn:
        return SharedEmbeddingColumn(categorical_column, self, combiner, max_norm, self._use_safe_embedding_lookup)

    @property
    def dimension(self) -> int:
        return self._dimension

    def weights_for(self, state_manager: Any) -> Any:
        if self._embedding_weights is None:
            self._embedding_weights = state_manager._layer.add_weight(
                name=self._name,
                shape=(self._num_buckets, self._dimension),
                dtype="float32",
                initializer=self._initializer,
                trainable=self._trainable,
            )
        return self._embedding_weights


class SharedEmbeddingColumn(
    DenseColumn,
    collections.namedtuple(
        "SharedEmbeddingColumn",
        ("categorical_column", "shared_embedding_column_creator", "combiner", "max_norm", "use_safe_embedding_lookup"),
    ),
):
    """See ``shared_embeddings``."""

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_shared_embedding"

    @property
    def parse_example_spec(self) -> dict:
        return self.categorical_column.parse_example_spec

    def transform_feature(self, transformation_cache: Any, state_manager: Any) -> Ids:
        return self.categorical_column.get_ids(transformation_cache, state_manager)

    @property
    def variable_shape(self) -> TensorShape:
        return TensorShape([self.shared_embedding_column_creator.dimension])

    def create_state(self, state_manager: Any) -> None:
        var = self.shared_embedding_column_creator.weights_for(state_manager)
        state_manager._cols_to_vars_map[self]["embedding_weights"] = var

    def get_dense_tensor(self, transformation_cache: Any, state_manager: Any) -> Any:
        ids = transformation_cache.get(self, state_manager)
        weights = state_manager.get_variable(self, "embedding_weights")
        return safe_embedding_lookup(weights, ids, self.combiner, self.max_norm)

    @property
    def parents(self) -> list:
        return [self.categorical_column]

    def get_config(self) -> dict:
        raise NotImplementedError("shared embedding columns have no config (as in TensorFlow)")


def _base_column(c: Any) -> Any:
    from .weighted_crossed import WeightedCategoricalColumn

    while isinstance(c, WeightedCategoricalColumn):
        c = c.categorical_column
    return c


def shared_embeddings(
    categorical_columns: List[CategoricalColumn],
    dimension: int,
    combiner: str = "mean",
    initializer: Any = None,
    shared_embedding_collection_name: Optional[str] = None,
    ckpt_to_load_from: Optional[str] = None,
    tensor_name_in_ckpt: Optional[str] = None,
    max_norm: Optional[float] = None,
    trainable: bool = True,
    use_safe_embedding_lookup: bool = True,
) -> List[SharedEmbeddingColumn]:
    """Embedding columns of ``categorical_columns`` (same type and bucket count) sharing one weight matrix."""
    if context.executing_eagerly():
        raise RuntimeError("shared_embedding_columns are not supported when eager execution is enabled.")
    check_embedding_args(dimension, ckpt_to_load_from, tensor_name_in_ckpt, initializer, None)
    if ckpt_to_load_from is not None:
        raise NotImplementedError("shared_embeddings: loading the shared weights from a checkpoint is not supported")
    if initializer is None:
        initializer = default_initializer(dimension)
    sorted_columns = sorted(categorical_columns, key=lambda x: x.name)
    c0 = sorted_columns[0]
    if not isinstance(c0, CategoricalColumn):
        raise ValueError(
            f"All categorical_columns must be subclasses of CategoricalColumn. Given: {c0}, of type: {type(c0)}"
        )
    num_buckets = c0.num_buckets
    base0 = _base_column(c0)
    for c in sorted_columns[1:]:
        base = _base_column(c)
        if not isinstance(base, type(base0)):
            raise ValueError(
                "To use shared_embedding_column, all categorical_columns must have the same type, or be "
                f"weighted_categorical_column or sequence column of the same type. Given column: {base0} of type: "
                f"{type(base0)} does not match given column: {base} of type: {type(base)}"
            )
        if num_buckets != c.num_buckets:
            raise ValueError(
                "To use shared_embedding_column, all categorical_columns must have the same number of buckets. "
                f"Given column: {c0} with buckets: {num_buckets} does  not match column: {c} with buckets: "
                f"{c.num_buckets}"
            )
    if not shared_embedding_collection_name:
        shared_embedding_collection_name = "_".join(c.name for c in sorted_columns) + "_shared_embedding"
    creator = SharedEmbeddingColumnCreator(
        dimension,
        initializer,
        ckpt_to_load_from,
        tensor_name_in_ckpt,
        num_buckets,
        trainable,
        shared_embedding_collection_name,
        use_safe_embedding_lookup,
    )
    return [creator(categorical_column=c, combiner=combiner, max_norm=max_norm) for c in categorical_columns]
