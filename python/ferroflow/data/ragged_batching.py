"""``Dataset.ragged_batch`` (and ``tf.data.experimental.dense_to_ragged_batch``): batches whose elements may
differ in shape. A component of rank >= 1 whose shape is not fully known becomes a ragged leaf of
``ragged_rank`` 0, so its batches are ``RaggedTensor``s; ragged leaves gain a ragged dimension; components of
known shape batch as ``batch`` stacks them."""

from __future__ import annotations

import functools
import itertools
from typing import Any, Iterator

from ..framework import nest
from ..framework.composite_specs import RaggedTensorSpec
from ..framework.dtypes import as_dtype
from ..framework.tensor_spec import TensorSpec
from . import structure
from .batching import _batched_cardinality, _BatchIterator, _positive, stack
from .dataset_ops import Dataset


def _ragged_leaf(spec: Any, row_splits_dtype: Any) -> Any:
    if isinstance(spec, RaggedTensorSpec):
        return RaggedTensorSpec(spec.shape, spec.dtype, spec.ragged_rank, row_splits_dtype)
    if isinstance(spec, TensorSpec) and spec.shape.rank != 0 and not spec.shape.is_fully_defined():
        if spec.shape.rank is None:
            raise ValueError(f"ragged_batch needs components of known rank, received {spec}")
        return RaggedTensorSpec(spec.shape, spec.dtype, 0, row_splits_dtype)
    return spec


class RaggedBatchDataset(Dataset):
    """``Dataset.ragged_batch``."""

    def __init__(self, dataset: Dataset, batch_size: Any, drop_remainder: bool, row_splits_dtype: Any) -> None:
        self._input = dataset
        self._size = _positive(batch_size, "batch_size")
        self._drop = bool(drop_remainder)
        splits_dtype = as_dtype(row_splits_dtype)
        leaves = [_ragged_leaf(s, splits_dtype) for s in nest.flatten(dataset.element_spec)]
        self._ragged = [isinstance(s, RaggedTensorSpec) for s in leaves]
        leading = self._size if self._drop else None
        super().__init__(structure.batched(nest.pack_sequence_as(dataset.element_spec, leaves), leading), (dataset,))

    def _iterator(self) -> Iterator[tuple]:
        combine = functools.partial(stack, ragged=self._ragged)
        return _BatchIterator(self._input._iterator(), itertools.repeat(self._size), self._drop, combine)

    def _cardinality(self) -> int:
        return _batched_cardinality(self._input._cardinality(), self._size, self._drop)
