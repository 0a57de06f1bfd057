"""The transformation methods of ``tf.data.Dataset``; each returns a new dataset wrapping this one."""

from __future__ import annotations

from typing import Any, Callable, Optional


def _made(cls: Any, dataset: Any, *args: Any) -> Any:
    """``cls(dataset, *args)``; arguments that are graph tensors known only when the graph runs (a
    ``tf.function``'s, an ``interleave`` element's) make it when the dataset is iterated (``graph_deferred``)."""
    from .graph_deferred import DeferredDataset, any_deferred

    if any_deferred(*args):
        return DeferredDataset(cls, (dataset,), args)
    return cls(dataset, *args)


class DatasetTransforms:
    """Mixed into ``Dataset``: ``map``, ``filter``, ``batch``, ``shuffle``, ``repeat`` ... with TensorFlow's
    names, arguments and semantics."""

    def map(
        self,
        map_func: Callable,
        num_parallel_calls: Optional[int] = None,
        deterministic: Optional[bool] = None,
        synchronous: Optional[bool] = None,
        use_unbounded_threadpool: bool = False,
        name: Optional[str] = None,
    ) -> Any:
        """Applies ``map_func`` to each element (a tuple element is passed as separate arguments). The
        function is traced once into a graph, as in TensorFlow. With ``num_parallel_calls`` (or
        ``tf.data.AUTOTUNE``) elements are mapped on worker threads; the order stays the input's."""
        from .mapping import MapDataset

        return MapDataset(self, map_func, num_parallel_calls)

    def filter(self, predicate: Callable, name: Optional[str] = None) -> Any:
        """Keeps the elements for which ``predicate`` returns True (a scalar bool tensor)."""
        from .mapping import FilterDataset

        return FilterDataset(self, predicate)

    def batch(
        self,
        batch_size: Any,
        drop_remainder: bool = False,
        num_parallel_calls: Optional[int] = None,
        deterministic: Optional[bool] = None,
        name: Optional[str] = None,
    ) -> Any:
        """Stacks ``batch_size`` consecutive elements; the last batch may be smaller unless ``drop_remainder``."""
        from .batching import BatchDataset

        return _made(BatchDataset, self, batch_size, drop_remainder)

    def ragged_batch(
        self, batch_size: Any, drop_remainder: bool = False, row_splits_dtype: Any = "int64", name: Optional[str] = None
    ) -> Any:
        """Batches elements that may differ in shape: components of rank >= 1 whose shape is not fully known
        (and ragged components) batch into ``RaggedTensor``s."""
        from .ragged_batching import RaggedBatchDataset

        return RaggedBatchDataset(self, batch_size, drop_remainder, row_splits_dtype)

    def padded_batch(
        self,
        batch_size: Any,
        padded_shapes: Any = None,
        padding_values: Any = None,
        drop_remainder: bool = False,
        name: Optional[str] = None,
    ) -> Any:
        """Batches elements of different shapes, padding each component to ``padded_shapes`` (unknown
        dimensions to the longest in the batch) with ``padding_values`` (0 by default)."""
        from .batching import PaddedBatchDataset

        return _made(PaddedBatchDataset, self, batch_size, padded_shapes, padding_values, drop_remainder)

    def unbatch(self, name: Optional[str] = None) -> Any:
        """Splits each element along its first dimension into consecutive elements."""
        from .batching import UnbatchDataset

        return UnbatchDataset(self)

    def rebatch(self, batch_size: Any, drop_remainder: bool = False, name: Optional[str] = None) -> Any:
        """Re-batches already batched elements into batches of ``batch_size`` (a list of sizes is cycled)."""
        from .batching import RebatchDataset

        return RebatchDataset(self, batch_size, drop_remainder)

    def shuffle(
        self,
        buffer_size: Any,
        seed: Optional[int] = None,
        reshuffle_each_iteration: Optional[bool] = None,
        name: Optional[str] = None,
    ) -> Any:
        """Draws elements at random from a buffer of ``buffer_size`` (refilled from the input); each iteration
        shuffles anew unless ``reshuffle_each_iteration=False``."""
        from .shuffling import ShuffleDataset

        reshuffle = True if reshuffle_each_iteration is None else reshuffle_each_iteration
        return _made(ShuffleDataset, self, buffer_size, seed, reshuffle)

    def repeat(self, count: Any = None, name: Optional[str] = None) -> Any:
        """Repeats the dataset ``count`` times (None or -1: forever)."""
        from .transformations import RepeatDataset

        return _made(RepeatDataset, self, count)

    def take(self, count: Any, name: Optional[str] = None) -> Any:
        """The first ``count`` elements (-1: all)."""
        from .transformations import TakeDataset

        return _made(TakeDataset, self, count)

    def skip(self, count: Any, name: Optional[str] = None) -> Any:
        """All but the first ``count`` elements (-1: skips everything)."""
        from .transformations import SkipDataset

        return _made(SkipDataset, self, count)

    def prefetch(self, buffer_size: Any, name: Optional[str] = None) -> Any:
        """Prepares later elements while the current one is used (``tf.data.AUTOTUNE`` picks the size)."""
        from .transformations import PrefetchDataset

        return _made(PrefetchDataset, self, buffer_size)

    def cache(self, filename: str = "", name: Optional[str] = None) -> Any:
        """Keeps the elements after the first full iteration: in memory, or in files at ``filename``."""
        from .caching import CacheDataset

        return CacheDataset(self, filename)

    def interleave(
        self,
        map_func: Callable,
        cycle_length: Optional[int] = None,
        block_length: Optional[int] = None,
        num_parallel_calls: Optional[int] = None,
        deterministic: Optional[bool] = None,
        name: Optional[str] = None,
    ) -> Any:
        """Maps each element to a dataset and interleaves ``cycle_length`` of them, ``block_length`` elements
        at a time from each."""
        from .interleave import InterleaveDataset

        return InterleaveDataset(self, map_func, cycle_length, block_length, num_parallel_calls=num_parallel_calls)

    def flat_map(self, map_func: Callable, name: Optional[str] = None) -> Any:
        """Maps each element to a dataset and chains those datasets."""
        from .interleave import InterleaveDataset

        return InterleaveDataset(self, map_func, 1, 1, what="flat_map")

    def enumerate(self, start: Any = 0, name: Optional[str] = None) -> Any:
        """``(index, element)`` pairs, the index an int64 counting from ``start``."""
        from .element_selection import EnumerateDataset

        return EnumerateDataset(self, start)

    def shard(self, num_shards: Any, index: Any, name: Optional[str] = None) -> Any:
        """Every ``num_shards``-th element, starting at ``index``."""
        from .element_selection import ShardDataset

        return _made(ShardDataset, self, num_shards, index)

    def window(
        self, size: Any, shift: Any = None, stride: Any = 1, drop_remainder: bool = False, name: Optional[str] = None
    ) -> Any:
        """A dataset of windows, each a dataset (a nest of datasets for nested elements) of ``size`` elements
        taken ``stride`` apart; windows start ``shift`` (default ``size``) elements apart."""
        from .windowing import WindowDataset

        return _made(WindowDataset, self, size, shift, stride, drop_remainder)

    def group_by_window(
        self,
        key_func: Callable,
        reduce_func: Callable,
        window_size: Any = None,
        window_size_func: Optional[Callable] = None,
        name: Optional[str] = None,
    ) -> Any:
        """Groups elements by ``key_func`` into windows of ``window_size`` and reduces each with
        ``reduce_func(key, window_dataset)``."""
        from .windowing import group_by_window

        return group_by_window(self, key_func, reduce_func, window_size, window_size_func)

    def bucket_by_sequence_length(
        self,
        element_length_func: Callable,
        bucket_boundaries: list,
        bucket_batch_sizes: list,
        padded_shapes: Any = None,
        padding_values: Any = None,
        pad_to_bucket_boundary: bool = False,
        no_padding: bool = False,
        drop_remainder: bool = False,
        name: Optional[str] = None,
    ) -> Any:
        """Batches elements of similar length together: one bucket per length range."""
        from .windowing import bucket_by_sequence_length

        return bucket_by_sequence_length(
            self,
            element_length_func,
            bucket_boundaries,
            bucket_batch_sizes,
            padded_shapes,
            padding_values,
            pad_to_bucket_boundary,
            no_padding,
            drop_remainder,
        )

    def scan(self, initial_state: Any, scan_func: Callable, name: Optional[str] = None) -> Any:
        """Carries a state through the elements: ``(state, out) = scan_func(state, element)`` yields ``out``."""
        from .mapping import ScanDataset

        return ScanDataset(self, initial_state, scan_func)

    def rejection_resample(
        self, class_func: Callable, target_dist: Any, initial_dist: Any = None, seed: Any = None, name: Any = None
    ) -> Any:
        """``(class, element)`` pairs resampled so their classes follow ``target_dist``."""
        from .resampling import rejection_resample

        return rejection_resample(class_func, target_dist, initial_dist, seed)(self)

    def take_while(self, predicate: Callable, name: Optional[str] = None) -> Any:
        """The elements up to (not including) the first for which ``predicate`` is False."""
        from .mapping import TakeWhileDataset

        return TakeWhileDataset(self, predicate)

    def unique(self, name: Optional[str] = None) -> Any:
        """The elements without repeats, in order of first appearance."""
        from .element_selection import UniqueDataset

        return UniqueDataset(self)

    def ignore_errors(self, log_warning: bool = False, name: Optional[str] = None) -> Any:
        """Drops the elements whose computation raised an error."""
        from .element_selection import IgnoreErrorsDataset

        return IgnoreErrorsDataset(self, log_warning)

    def concatenate(self, dataset: Any, name: Optional[str] = None) -> Any:
        """This dataset's elements followed by those of ``dataset`` (the types must match)."""
        from .transformations import ConcatenateDataset

        return ConcatenateDataset(self, dataset)
