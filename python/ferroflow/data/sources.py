"""Source datasets: tensor slices, single tensors, ranges, Python generators, zips and file listings."""

from __future__ import annotations

import glob
import itertools
from typing import Any, Callable, Iterator, Optional

import numpy as np

from ..errors import InvalidArgumentError
from ..framework import nest
from ..framework.dtypes import as_dtype
from ..framework.tensor_shape import TensorShape
from ..framework.tensor_spec import TensorSpec
from . import structure
from .dataset_ops import INFINITE, UNKNOWN, Dataset


class TensorSliceDataset(Dataset):
    """``Dataset.from_tensor_slices``: element ``i`` holds row ``i`` of every component."""

    def __init__(self, tensors: Any) -> None:
        value = structure.normalize(tensors)
        spec, self._flat = structure.structure_of(value)
        if any(structure.is_dataset(c) for c in self._flat):
            raise TypeError("from_tensor_slices cannot slice datasets")
        if any(c.ndim == 0 for c in self._flat):
            raise ValueError("Unbatching a tensor is only supported for rank >= 1")
        sizes = {c.shape[0] for c in self._flat}
        if len(sizes) > 1:
            shapes = ", ".join(str(tuple(c.shape)) for c in self._flat)
            raise ValueError(
                f"Dimensions must be equal: all components need the same first dimension, received {shapes}"
            )
        self._n = sizes.pop() if sizes else 0
        super().__init__(structure.unbatched(spec))

    def _iterator(self) -> Iterator[tuple]:
        # zip and map over C iterators build each element without running Python code per element.
        return zip(*[_rows_of(c) for c in self._flat]) if self._flat else iter(())

    def _cardinality(self) -> int:
        return self._n

    def _rows(self) -> tuple:
        return self._flat

    def _row_iterator(self) -> Iterator[int]:
        return iter(range(self._n))

    def _batch_iterator(self, size: int, drop_remainder: bool) -> Iterator[tuple]:
        # Row ranges, copied so that a batch never aliases the user's arrays: one copy per component instead
        # of one small array per element and a stack.
        end = self._n - self._n % size if drop_remainder else self._n
        flat = self._flat
        return (tuple([c[low : low + size].copy() for c in flat]) for low in range(0, end, size))

    def _batch_views(self, size: int, drop_remainder: bool) -> Iterator[tuple]:
        """The same batches as views of the components (see ``Dataset._host_iterator``)."""
        end = self._n - self._n % size if drop_remainder else self._n
        flat = self._flat
        return (tuple([c[low : low + size] for c in flat]) for low in range(0, end, size))


def _rows_of(c: np.ndarray) -> Iterator[np.ndarray]:
    """The rows of ``c`` as arrays (views): 0-d arrays for a vector, where plain iteration gives scalars."""
    if c.ndim > 1:
        return iter(c)
    return map(c.__getitem__, zip(range(len(c)), itertools.repeat(Ellipsis)))


class TensorDataset(Dataset):
    """``Dataset.from_tensors``: one element."""

    def __init__(self, tensors: Any) -> None:
        spec, self._flat = structure.structure_of(structure.normalize(tensors))
        super().__init__(spec)

    def _iterator(self) -> Iterator[tuple]:
        return iter((self._flat,))

    def _cardinality(self) -> int:
        return 1


class ListDataset(Dataset):
    """A dataset over flat elements held in memory (the windows ``window`` makes)."""

    _repr_name = "_VariantDataset"  # TensorFlow's name for a window

    def __init__(self, elements: list, element_spec: Any) -> None:
        self._elements = elements
        super().__init__(element_spec)

    def _iterator(self) -> Iterator[tuple]:
        return iter(self._elements)

    def _cardinality(self) -> int:
        return len(self._elements)


def _int(value: Any, what: str) -> int:
    v = structure.to_component(value)
    if not isinstance(v, np.ndarray) or v.ndim != 0 or v.dtype.kind not in "iu":
        raise TypeError(f"{what} must be an integer scalar, received {value!r}")
    return int(v)


class RangeDataset(Dataset):
    """``Dataset.range``: scalars from ``start`` to ``stop`` (exclusive) by ``step``; no ``stop`` counts forever."""

    def __init__(self, *args: Any, dtype: Any = "int64") -> None:
        if not 1 <= len(args) <= 3:
            raise ValueError(f"Dataset.range takes 1 to 3 positional arguments, received {len(args)}")
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (args[0], args[1], args[2] if len(args) == 3 else 1)
        self._start = _int(start, "start")
        self._stop = None if stop is None else _int(stop, "stop")
        self._step = _int(step, "step")
        if self._step == 0:
            raise InvalidArgumentError("step must be a non-zero integer.")
        self._dtype = np.dtype(as_dtype(dtype).as_numpy_dtype)
        super().__init__(TensorSpec((), as_dtype(dtype)))

    def _iterator(self) -> Iterator[tuple]:
        make = self._dtype.type
        if self._stop is None:
            return ((np.asarray(make(i)),) for i in itertools.count(self._start, self._step))
        return ((np.asarray(make(i)),) for i in range(self._start, self._stop, self._step))

    def _cardinality(self) -> int:
        return INFINITE if self._stop is None else len(range(self._start, self._stop, self._step))


def _signature(output_types: Any, output_shapes: Any, output_signature: Any) -> Any:
    if output_signature is not None:
        if output_types is not None or output_shapes is not None:
            raise TypeError("`output_types` and `output_shapes` cannot be used together with `output_signature`")
        for s in nest.flatten(output_signature):
            if not isinstance(s, TensorSpec):
                raise TypeError(f"`output_signature` must hold tf.TensorSpec objects, received {s!r}")
        return _lists_to_tuples(output_signature)
    if output_types is None:
        raise TypeError("from_generator needs `output_signature` (or the older `output_types`)")
    output_types = _lists_to_tuples(output_types)
    flat_types = structure.flatten_value(output_types)
    if output_shapes is None:
        flat_shapes = [None] * len(flat_types)
    else:
        flat_shapes = _shapes_up_to(output_types, output_shapes)
    specs = [TensorSpec(s, t) for t, s in zip(flat_types, flat_shapes)]
    return nest.pack_sequence_as(output_types, specs)


def _lists_to_tuples(value: Any) -> Any:
    if isinstance(value, dict):
        return type(value)((k, _lists_to_tuples(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_lists_to_tuples(v) for v in value)
    return value


def _shapes_up_to(types: Any, shapes: Any) -> list:
    """The shapes lined up with the leaves of ``types`` (a shape is itself a list or tuple)."""
    if isinstance(types, dict):
        return [s for k in sorted(types) for s in _shapes_up_to(types[k], shapes[k])]
    if isinstance(types, tuple):
        if len(types) != len(shapes):
            raise ValueError(f"`output_shapes` {shapes} does not match the structure of `output_types` {types}")
        return [s for t, sh in zip(types, shapes) for s in _shapes_up_to(t, sh)]
    return [TensorShape(shapes) if shapes is not None else TensorShape(None)]


def _flatten_up_to(spec: Any, value: Any) -> list:
    """The parts of ``value`` lined up with the leaves of ``spec``, as TensorFlow's ``nest.flatten_up_to``: a leaf
    of the signature takes whatever stands there (``(0,)`` for a shape-``(1,)`` spec is one array), a tuple takes
    any sequence of its length, a dict a mapping with its keys."""
    if isinstance(spec, dict):
        if not isinstance(value, dict) or sorted(value) != sorted(spec):
            raise TypeError(f"expected a dict with keys {sorted(spec)}, received {value!r}")
        return [leaf for k in sorted(spec) for leaf in _flatten_up_to(spec[k], value[k])]
    if isinstance(spec, tuple):
        if not isinstance(value, (tuple, list)) or len(value) != len(spec):
            raise TypeError(f"expected a sequence of length {len(spec)}, received {value!r}")
        return [leaf for s, v in zip(spec, value) for leaf in _flatten_up_to(s, v)]
    return [value]


class GeneratorDataset(Dataset):
    """``Dataset.from_generator``: each iteration calls ``generator(*args)`` afresh."""

    _repr_name = "_FlatMapDataset"  # as TensorFlow, which builds it from a flat_map

    def __init__(
        self, generator: Callable, output_types: Any, output_shapes: Any, args: Any, output_signature: Any
    ) -> None:
        if not callable(generator):
            raise TypeError("`generator` must be a callable (called once per iteration to make an iterator)")
        self._generator = generator
        self._args = tuple(args) if args is not None else ()
        super().__init__(_signature(output_types, output_shapes, output_signature))
        self._specs = nest.flatten(self._structure)

    def _iterator(self) -> Iterator[tuple]:
        from ..ops._eager_py_errors import generator_error

        args = [structure.to_numpy(None, (structure.to_component(a),)) for a in self._args]
        source = iter(self._generator(*args))
        while True:
            try:
                value = next(source)
            except StopIteration:
                return
            except Exception as e:  # TensorFlow's PyFunc kernel reports the generator's exception as a status
                raise generator_error(e) from e
            yield self._convert(value)

    def _convert(self, value: Any) -> tuple:
        try:
            leaves = _flatten_up_to(self._structure, value)
        except (TypeError, ValueError):
            raise InvalidArgumentError(
                f"TypeError: `generator` yielded an element that did not match the expected structure. The expected "
                f"structure was {self._structure}, but the yielded element was {value}."
            ) from None
        out = []
        for s, v in zip(self._specs, leaves):
            try:
                arr = np.asarray(v.numpy() if hasattr(v, "numpy") else v, dtype=s.dtype.as_numpy_dtype)
            except (TypeError, ValueError):
                raise InvalidArgumentError(
                    f"TypeError: `generator` yielded an element that could not be converted to the expected type. The "
                    f"expected type was {s.dtype.name}, but the yielded element was {v!r}."
                ) from None
            if not s.shape.is_compatible_with(arr.shape):
                raise InvalidArgumentError(
                    f"TypeError: `generator` yielded an element of shape {tuple(arr.shape)} where an element of shape "
                    f"{s.shape} was expected."
                )
            out.append(arr)
        return tuple(out)


class ZipDataset(Dataset):
    """``Dataset.zip``: the nest of datasets becomes the nest of their elements."""

    def __init__(self, datasets: Any) -> None:
        if isinstance(datasets, list):
            datasets = tuple(datasets)
        self._datasets = nest.flatten(datasets)
        for d in self._datasets:
            if not isinstance(d, Dataset):
                raise TypeError(f"Dataset.zip expects datasets (in tuples or dicts), received {type(d).__name__}")
        specs = nest.pack_sequence_as(datasets, [d.element_spec for d in self._datasets])
        super().__init__(specs, self._datasets)

    def _iterator(self) -> Iterator[tuple]:
        iterators = [d._iterator() for d in self._datasets]
        while True:
            out: tuple = ()
            for it in iterators:
                part = next(it, None)
                if part is None:
                    return
                out += part
            yield out

    def _cardinality(self) -> int:
        cards = [d._cardinality() for d in self._datasets]
        if UNKNOWN in cards:
            return UNKNOWN
        finite = [c for c in cards if c != INFINITE]
        return min(finite) if finite else INFINITE


def list_files(file_pattern: Any, shuffle: Optional[bool], seed: Optional[int]) -> Dataset:
    """``Dataset.list_files``: the sorted matches of the patterns, shuffled unless ``shuffle=False``."""
    string = structure.string_dtype()
    if string is None:
        raise NotImplementedError("Dataset.list_files yields tf.string file names; this build has no string dtype yet")
    patterns = (
        [file_pattern] if isinstance(file_pattern, (str, bytes)) else list(structure.to_component(file_pattern).ravel())
    )
    patterns = [p.decode() if isinstance(p, bytes) else str(p) for p in patterns]
    names = sorted({name for p in patterns for name in glob.glob(p)})
    if not names:
        raise InvalidArgumentError(f"No files matched pattern: {', '.join(patterns)}")
    ds = TensorSliceDataset(np.array([n.encode() for n in names], dtype=object))
    return ds.shuffle(len(names), seed=seed) if shuffle is None or shuffle else ds
