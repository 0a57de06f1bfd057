"""``tf.data.experimental``: the names TensorFlow keeps there (most now also live on ``tf.data.Dataset``)."""

from __future__ import annotations

from typing import Any, Callable, Optional

from ferroflow._api import public_dir as _public_dir

from ..framework.tensor import Tensor
from .csv_readers import CsvDataset, make_csv_dataset  # noqa: F401
from .dataset_ops import INFINITE as INFINITE_CARDINALITY  # noqa: F401
from .dataset_ops import UNKNOWN as UNKNOWN_CARDINALITY  # noqa: F401
from .dataset_ops import Dataset
from .lmdb_dataset import LMDBDataset  # noqa: F401
from .options import (  # noqa: F401
    AutoShardPolicy,
    AutotuneOptions,
    DistributeOptions,
    ExternalStatePolicy,
    OptimizationOptions,
    ThreadingOptions,
)
from .resampling import rejection_resample  # noqa: F401
from .structure import DatasetSpec  # noqa: F401
from .tfrecord_writer import TFRecordWriter  # noqa: F401
from .transformations import AUTOTUNE  # noqa: F401


def cardinality(dataset: Dataset) -> Tensor:
    """``dataset.cardinality()``."""
    return dataset.cardinality()


def assert_cardinality(expected_cardinality: Any) -> Callable[[Dataset], Dataset]:
    """A transformation (for ``apply``) that checks the dataset has ``expected_cardinality`` elements."""
    from .cardinality_check import AssertCardinalityDataset

    return lambda dataset: AssertCardinalityDataset(dataset, expected_cardinality)


def scan(initial_state: Any, scan_func: Callable) -> Callable[[Dataset], Dataset]:
    return lambda dataset: dataset.scan(initial_state, scan_func)


def ignore_errors(log_warning: bool = False) -> Callable[[Dataset], Dataset]:
    return lambda dataset: dataset.ignore_errors(log_warning)


def unbatch() -> Callable[[Dataset], Dataset]:
    return lambda dataset: dataset.unbatch()


def unique() -> Callable[[Dataset], Dataset]:
    return lambda dataset: dataset.unique()


def take_while(predicate: Callable) -> Callable[[Dataset], Dataset]:
    return lambda dataset: dataset.take_while(predicate)


def enumerate_dataset(start: int = 0) -> Callable[[Dataset], Dataset]:
    return lambda dataset: dataset.enumerate(start)


def group_by_window(
    key_func: Callable, reduce_func: Callable, window_size: Any = None, window_size_func: Optional[Callable] = None
) -> Callable[[Dataset], Dataset]:
    return lambda dataset: dataset.group_by_window(key_func, reduce_func, window_size, window_size_func)


def bucket_by_sequence_length(
    element_length_func: Callable, bucket_boundaries: list, bucket_batch_sizes: list, **kwargs: Any
) -> Callable[[Dataset], Dataset]:
    return lambda dataset: dataset.bucket_by_sequence_length(
        element_length_func, bucket_boundaries, bucket_batch_sizes, **kwargs
    )


def dense_to_ragged_batch(
    batch_size: Any, drop_remainder: bool = False, row_splits_dtype: Any = "int64"
) -> Callable[[Dataset], Dataset]:
    """``Dataset.ragged_batch`` as a transformation for ``Dataset.apply``."""
    return lambda dataset: dataset.ragged_batch(batch_size, drop_remainder, row_splits_dtype)


def dense_to_sparse_batch(batch_size: Any, row_shape: Any) -> Callable[[Dataset], Dataset]:
    """Batches dense elements of varying shape (each at most ``row_shape``) into ``SparseTensor``s of dense
    shape ``[batch, *row_shape]`` holding every element of each row, zeros included."""
    from ..framework.tensor_shape import TensorShape

    dims = TensorShape(row_shape).as_list()
    for d in dims:
        if d is None or d < 0:
            raise ValueError(f"Dimension {d} must be >= 0")

    def to_sparse(x: Any) -> Any:
        import numpy as np

        from ..framework.sparse_tensor import SparseTensor
        from ..ops.array_ops import ones_like, reshape, where

        if not dims:
            return SparseTensor(np.zeros((1, 0), np.int64), reshape(x, [1]), dims)
        from ..framework.control_flow_deps import control_dependencies
        from ..ops.array_ops import shape
        from ..ops.assert_ops import assert_less_equal

        message = f"Input element had a shape that is larger than the row shape ({dims})."
        check = assert_less_equal(shape(x, out_type="int64"), np.asarray(dims, np.int64), message=message)
        with control_dependencies([check] if check is not None else []):
            # Every position of the element, in row-major order, as TensorFlow's DenseToSparseBatchDataset does.
            indices = where(ones_like(x, dtype="bool"))
        return SparseTensor(indices, reshape(x, [-1]), dims)

    return lambda dataset: dataset.map(to_sparse).batch(batch_size)


def get_single_element(dataset: Dataset) -> Any:
    return dataset.get_single_element()


def sample_from_datasets(
    datasets: list, weights: Any = None, seed: Optional[int] = None, stop_on_empty_dataset: bool = False
) -> Dataset:
    return Dataset.sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)


def choose_from_datasets(datasets: list, choice_dataset: Dataset, stop_on_empty_dataset: bool = True) -> Dataset:
    return Dataset.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)


def Counter(start: int = 0, step: int = 1, dtype: Any = "int64") -> Dataset:  # noqa: N802
    """An infinite dataset counting from ``start`` by ``step``."""
    return Dataset.counter(start, step, dtype)


# ``Dataset`` and ``DatasetSpec`` live in ``tf.data``; they stay importable here.
__dir__ = _public_dir(globals(), hidden=("Dataset", "DatasetSpec", "Tensor"))
