"""``tf.data.Dataset``: the base class, its iteration protocol, cardinality, options and source constructors.

A dataset knows its ``element_spec`` and makes iterators of flat component tuples (``structure``); the
transformations (``dataset_transforms``) wrap one dataset in another. Iterating with ``for`` or ``iter``
yields ferroflow tensors; ``as_numpy_iterator`` yields NumPy values.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

import numpy as np

from ..framework import nest
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from . import structure
from .dataset_transforms import DatasetTransforms
from .options import Options

INFINITE = -1
UNKNOWN = -2


class Dataset(DatasetTransforms):
    """``tf.data.Dataset``: a sequence of elements, each a nested structure of tensors.

    Build one with a source (``from_tensor_slices``, ``range``, ``from_generator`` ...) and chain
    transformations (``map``, ``shuffle``, ``batch`` ...); iterate it with ``for`` in eager code.
    """

    def __init__(self, element_spec: Any, inputs: tuple = ()) -> None:
        self._structure = element_spec
        self._inputs = tuple(inputs)
        self._options: Optional[Options] = None

    # -- what subclasses provide
    def _iterator(self) -> Iterator[tuple]:
        """A fresh iterator of flat component tuples."""
        raise NotImplementedError

    def _cardinality(self) -> int:
        return UNKNOWN

    def _host_iterator(self) -> Iterator[tuple]:
        """Flat elements for ``Model.fit``, which copies each batch into its step's input before using it: a
        dataset may then hand out views of its in-memory arrays instead of copies (batches of tensor slices)."""
        return self._iterator()

    def _batch_iterator(self, size: int, drop_remainder: bool) -> Optional[Iterator[tuple]]:
        """Batches of ``size`` made directly, when this dataset can do better than stacking its elements one by
        one (tensor slices take whole row ranges); None otherwise."""
        return None

    def _rows(self) -> Optional[tuple]:
        """The flat in-memory arrays whose rows are this dataset's elements, when ``_row_iterator`` can give
        their order as row numbers (``rows``); None otherwise."""
        return None

    def _row_iterator(self) -> Iterator[int]:
        """The row numbers of the elements ``_iterator`` would yield, with that call's side effects."""
        raise NotImplementedError

    # -- the public protocol
    @property
    def element_spec(self) -> Any:
        """The nested structure of ``tf.TensorSpec`` (or ``DatasetSpec``) describing one element."""
        return self._structure

    def __iter__(self) -> Any:
        from .iterator import OwnedIterator

        return OwnedIterator(self)

    def as_numpy_iterator(self) -> Iterator[Any]:
        """An iterator of the elements as NumPy values (0-d tensors as NumPy scalars)."""
        spec = self._structure
        for flat in self._iterator():
            yield structure.to_numpy(spec, flat)

    def cardinality(self) -> Tensor:
        """The number of elements as an int64 scalar tensor: ``tf.data.INFINITE_CARDINALITY`` (-1) or
        ``tf.data.UNKNOWN_CARDINALITY`` (-2) when it is infinite or cannot be known without iterating."""
        return convert_to_tensor(np.int64(self._cardinality()))

    def __len__(self) -> int:
        n = self._cardinality()
        if n == INFINITE:
            raise TypeError("The dataset is infinite.")
        if n == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return n

    def __bool__(self) -> bool:
        return True

    def options(self) -> Options:
        """The options of this dataset and its inputs, merged (later ``with_options`` calls win)."""
        merged = Options()
        for d in self._inputs:
            if isinstance(d, Dataset):
                merged = merged.merge(d.options())
        return merged.merge(self._options) if self._options is not None else merged

    def with_options(self, options: Options, name: Optional[str] = None) -> Dataset:
        """This dataset with ``options`` set (merged over the options it already has)."""
        if not isinstance(options, Options):
            raise TypeError(f"with_options expects a tf.data.Options, received {type(options).__name__}")
        from .transformations import PassThroughDataset

        out = PassThroughDataset(self)
        out._options = options
        return out

    def __repr__(self) -> str:
        name = getattr(self, "_repr_name", None) or "_" + type(self).__name__
        return f"<{name} element_spec={self._structure}>"

    # -- sources
    @staticmethod
    def from_tensor_slices(tensors: Any, name: Optional[str] = None) -> Dataset:
        """A dataset of the slices of ``tensors`` along their first dimension (a nest of tuples/dicts)."""
        from .graph_sources import GraphSourceDataset, has_deferred
        from .sources import TensorSliceDataset

        if has_deferred(tensors):  # placeholders of a TF1 graph: the values come with an iterator's initializer
            return GraphSourceDataset(tensors, sliced=True)
        return TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors: Any, name: Optional[str] = None) -> Dataset:
        """A dataset of one element, ``tensors``."""
        from .graph_sources import GraphSourceDataset, has_deferred
        from .sources import TensorDataset

        if has_deferred(tensors):
            return GraphSourceDataset(tensors, sliced=False)
        return TensorDataset(tensors)

    @staticmethod
    def range(*args: Any, dtype: Any = "int64", name: Optional[str] = None) -> Dataset:
        """``range(stop)``, ``range(start, stop)`` or ``range(start, stop, step)`` as a dataset of scalars."""
        from ..framework.graph import SymbolicTensor
        from .graph_sources import GraphRangeDataset
        from .sources import RangeDataset

        if any(isinstance(a, SymbolicTensor) for a in args):  # bounds known when the graph runs
            return GraphRangeDataset(args, dtype)
        return RangeDataset(*args, dtype=dtype)

    @staticmethod
    def from_generator(
        generator: Callable,
        output_types: Any = None,
        output_shapes: Any = None,
        args: Any = None,
        output_signature: Any = None,
        name: Optional[str] = None,
    ) -> Dataset:
        """A dataset of what ``generator(*args)`` yields, checked against ``output_signature`` (or the older
        ``output_types`` and ``output_shapes``)."""
        from .graph_deferred import DeferredDataset, any_deferred
        from .sources import GeneratorDataset

        if args is not None and any_deferred(*args):  # tensors of a graph: the arguments of each run
            make = lambda *a: GeneratorDataset(generator, output_types, output_shapes, a, output_signature)  # noqa: E731
            return DeferredDataset(make, (), tuple(args))
        return GeneratorDataset(generator, output_types, output_shapes, args, output_signature)

    @staticmethod
    def zip(*datasets: Any, name: Optional[str] = None) -> Dataset:
        """A dataset of tuples (or the nest given) of the elements of ``datasets``, as long as the shortest."""
        from .sources import ZipDataset

        if not datasets:
            raise TypeError("Dataset.zip() needs at least one dataset")
        return ZipDataset(datasets[0] if len(datasets) == 1 else datasets)

    @staticmethod
    def list_files(
        file_pattern: Any, shuffle: Optional[bool] = None, seed: Optional[int] = None, name: Optional[str] = None
    ) -> Dataset:
        """A dataset of the file names matching the glob ``file_pattern`` (a pattern or a list of them),
        shuffled unless ``shuffle=False``."""
        from ..framework.tensor_spec import TensorSpec
        from .graph_deferred import DeferredDataset, any_deferred
        from .sources import list_files

        if any_deferred(file_pattern):  # a pattern computed by the graph: the files are listed at each run
            make = lambda p: list_files(p, shuffle, seed)  # noqa: E731
            return DeferredDataset(make, (), (file_pattern,), spec=TensorSpec((), "string"))
        return list_files(file_pattern, shuffle, seed)

    @staticmethod
    def counter(start: int = 0, step: int = 1, dtype: Any = "int64", name: Optional[str] = None) -> Dataset:
        """An infinite dataset counting from ``start`` by ``step``."""
        from .sources import RangeDataset

        return RangeDataset(start, None, step, dtype=dtype)

    @staticmethod
    def sample_from_datasets(
        datasets: list,
        weights: Any = None,
        seed: Optional[int] = None,
        stop_on_empty_dataset: bool = False,
        rerandomize_each_iteration: Any = None,
    ) -> Dataset:
        """Elements drawn at random from ``datasets`` with probabilities ``weights`` (uniform by default)."""
        from .choosing import SampleDataset

        return SampleDataset(datasets, weights, seed, stop_on_empty_dataset)

    @staticmethod
    def choose_from_datasets(datasets: list, choice_dataset: Dataset, stop_on_empty_dataset: bool = True) -> Dataset:
        """Elements of ``datasets[i]`` for each index ``i`` that ``choice_dataset`` yields."""
        from .choosing import ChooseDataset

        return ChooseDataset(datasets, choice_dataset, stop_on_empty_dataset)

    def get_single_element(self, name: Optional[str] = None) -> Any:
        """The one element of a dataset that has exactly one."""
        from ..autograph._dataset_loops import runs_in_graph
        from ..errors import InvalidArgumentError
        from .graph_reduce import graph_single_element

        if runs_in_graph(self):  # in tf.function: a node of the graph, run at each call
            return graph_single_element(self)
        it = self._iterator()
        first = next(it, None)
        if first is None:
            raise InvalidArgumentError("Dataset was empty.")
        if next(it, None) is not None:
            raise InvalidArgumentError("Dataset had more than one element.")
        return structure.to_user(self._structure, first)

    def reduce(self, initial_state: Any, reduce_func: Callable, name: Optional[str] = None) -> Any:
        """Folds the elements into a state: ``state = reduce_func(state, element)``; returns the final state."""
        from ..autograph._dataset_loops import runs_in_graph
        from . import traced
        from .graph_reduce import graph_reduce
        from .graph_reduce import initial_state as graph_state

        if runs_in_graph(self):  # in tf.function: a loop of the graph, run at each call
            state = graph_state(initial_state)
            if state is not None:
                return graph_reduce(self, state, reduce_func)
        spec, flat = traced.as_numpy_state(initial_state)
        fn, spec = traced.relaxed_state(reduce_func, spec, self._structure, "reduce")
        state = flat
        for element in self._iterator():
            args = state + element
            try:
                state = fn(args)
            except Exception as e:
                raise fn.error(e, args) from e
        return structure.to_user(spec, state)

    def apply(self, transformation_func: Callable[[Dataset], Dataset]) -> Dataset:
        """``transformation_func(self)``, which must return a dataset."""
        out = transformation_func(self)
        if not isinstance(out, Dataset):
            raise TypeError(f"`transformation_func` must return a Dataset, returned {type(out).__name__}")
        return out


def flat_specs(dataset: Dataset) -> list:
    return nest.flatten(dataset.element_spec)


DatasetV2 = Dataset
