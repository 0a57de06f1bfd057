"""``tf.io.RaggedFeature``: a feature of any number of values per example, parsed to a ``RaggedTensor``
(a batch) or a 1-D tensor (one example), instead of ``VarLenFeature``'s ``SparseTensor``.

The values are read as a ``VarLenFeature`` of ``value_key`` and the example index of each value becomes its
row, so this runs eagerly and inside traced functions as the sparse parse does. Extra partitions
(``RaggedFeature.RowSplits`` ...) that split each example's values further are not supported.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Optional


class RaggedFeature(NamedTuple):
    """A feature parsed to a ragged tensor of ``dtype`` (rows are examples); ``value_key`` defaults to the
    feature's key."""

    dtype: Any
    value_key: Optional[str] = None
    partitions: tuple = ()
    row_splits_dtype: Any = "int32"
    validate: bool = False


def parse(serialized: Any, key: str, spec: RaggedFeature, single: bool) -> Any:
    from ..framework.ragged_tensor import RaggedTensor
    from .parsing_ops import VarLenFeature, _parse_one

    if spec.partitions:
        raise NotImplementedError(
            f"Feature {key}: RaggedFeature partitions are not supported; parse the values and build the "
            "RaggedTensor with RaggedTensor.from_row_splits / from_row_lengths"
        )
    sparse = _parse_one(serialized, spec.value_key or key, VarLenFeature(spec.dtype), single)
    if single:
        return sparse.values
    rows = sparse.indices[:, 0]
    return RaggedTensor.from_value_rowids(sparse.values, rows, nrows=sparse.dense_shape[0], validate=False)
