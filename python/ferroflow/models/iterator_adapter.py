"""Data that arrives batch by batch: generators and iterators, ``keras.utils.PyDataset`` and datasets.

A dataset is recognised by iteration alone: any iterable that is not an array, a tensor, a list, a tuple or
a dict (``tf.data.Dataset`` included), with ``cardinality()`` giving its number of batches when it knows it.
``BatchStream`` hands out the batches of one epoch at a time with Keras 3's rules: without
``steps_per_epoch`` every epoch starts the data afresh; with it, epochs continue one iterator and start
afresh only when the data runs out (a warning says so). A generator cannot start afresh: once it runs out,
training stops after that epoch.
"""

from __future__ import annotations

import random
import types
import warnings
from contextlib import contextmanager
from typing import Any, Iterator, Optional

import numpy as np

from ..framework import nest
from ..utils.py_dataset import PyDataset, batches
from . import data_adapter

RAN_OUT = (
    "Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate "
    "at least `steps_per_epoch * epochs` batches. You may need to use the `.repeat()` function when building "
    "your dataset."
)
_INFINITE = -1  # tf.data.INFINITE_CARDINALITY (UNKNOWN_CARDINALITY, -2, counts as unknown)


def is_batch_source(x: Any) -> bool:
    """Whether ``x`` yields batches (a generator, iterator, ``PyDataset`` or dataset) rather than holding data."""
    if x is None or isinstance(x, (np.ndarray, list, tuple, dict, str, bytes)):
        return False
    if isinstance(x, PyDataset):
        return True
    if hasattr(x, "numpy") or hasattr(x, "shape") or hasattr(x, "__array__") or data_adapter._is_composite(x):
        return False
    return hasattr(x, "__iter__") or hasattr(x, "__next__")


def source_name(x: Any) -> str:
    """What ``x`` is, in words for messages: "generator", "PyDataset", "tf.data.Dataset" ..."""
    if isinstance(x, PyDataset):
        return "PyDataset"
    if isinstance(x, types.GeneratorType):
        return "generator"
    if hasattr(x, "__next__"):
        return "iterator"
    if hasattr(x, "cardinality") or hasattr(x, "element_spec"):
        return "tf.data.Dataset"
    return f"iterable ({type(x).__name__})"


def check_arguments(
    x: Any,
    y: Any = None,
    sample_weight: Any = None,
    batch_size: Any = None,
    validation_split: float = 0.0,
    what: str = "x",
) -> None:
    """Keras's checks of the arguments that must not come with batched data. ``batch_size`` is accepted and
    ignored, as in Keras 3 (the data yields whole batches; tf.keras 2 rejected it)."""
    del batch_size
    name = source_name(x)
    for arg, value, description in (("y", y, "the targets"), ("sample_weight", sample_weight, "the sample weights")):
        if value is not None:
            raise ValueError(
                f"When providing `{what}` as a {name}, `{arg}` should not be passed. Instead, "
                f"{description} should be included as part of the {name}."
            )
    if validation_split:
        raise ValueError(
            "Argument `validation_split` is only supported for tensors or NumPy arrays. Found "
            f"incompatible type in the input: [{type(x)}]"
        )


def describe(value: Any) -> str:
    """A short description of a batch element for error messages (type, shape and dtype, not its values)."""
    if isinstance(value, (tuple, list)):
        inner = ", ".join(describe(v) for v in value[:4]) + (", ..." if len(value) > 4 else "")
        return f"{type(value).__name__} of {len(value)} ({inner})"
    if isinstance(value, dict):
        return "dict with keys " + str(sorted(map(str, value)))
    shape = getattr(value, "shape", None)
    if shape is not None:
        return f"{type(value).__name__} of shape {tuple(shape)} and dtype {getattr(value, 'dtype', '?')}"
    text = repr(value)
    return f"{type(value).__name__} {text[:60] + '...' if len(text) > 60 else text}"


class Unpacked(tuple):
    """``(x, y, sample_weight)`` of one batch; ``one_tuple`` when the batch was ``(x,)`` itself, which Keras 3
    hands to an overridden step as ``(x,)``, not ``x``."""

    one_tuple = False


def unpack(element: Any, name: str, needs_y: bool) -> tuple:
    """``(x, y, sample_weight)`` from one batch, or a ``ValueError`` saying what was expected and received."""
    one_tuple = isinstance(element, tuple) and len(element) == 1
    if name == "PyDataset":
        if isinstance(element, list):
            element = tuple(element)
        elif not isinstance(element, tuple):
            element = (element,)
    elif name in ("generator", "iterator"):
        if not isinstance(element, tuple):
            if needs_y:
                raise ValueError(
                    f"When passing a Python {name} to a Keras model, the {name} must yield a tuple, "
                    "either (inputs,) or (inputs, targets) or (inputs, targets, sample_weights). "
                    f"Received: {describe(element)}"
                )
            element = (element,)
    elif isinstance(element, list):
        element = tuple(element)
    elif not isinstance(element, tuple):
        element = (element,)
    if not 1 <= len(element) <= 3:
        raise ValueError(
            "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`; the "
            f"{name} yielded a {describe(element)}"
        )
    x, y, sw = (tuple(element) + (None, None))[:3]
    if needs_y and y is None:
        raise ValueError(
            f"Training and evaluating need targets: each batch of the {name} must be (inputs, "
            f"targets) or (inputs, targets, sample_weights). Received: {describe(element)}"
        )
    out = Unpacked((x, y, sw))
    out.one_tuple = one_tuple
    return out


def _count(x: Any) -> tuple:
    """(number of batches or None, whether the data is known to be infinite)."""
    if isinstance(x, PyDataset):
        n = x.num_batches
        return (None, True) if n is None else (int(n), False)
    if hasattr(x, "__next__"):
        return None, False
    if hasattr(x, "cardinality"):
        try:
            c = x.cardinality()
            c = int(c.numpy() if hasattr(c, "numpy") else c)
        except (TypeError, ValueError, NotImplementedError):
            return None, False
        return (c, False) if c >= 0 else (None, c == _INFINITE)
    try:
        return int(len(x)), False
    except (TypeError, ValueError):
        return None, False


class BatchStream:
    """The batches of ``data`` epoch by epoch, as ``(x, y, sample_weight)`` tuples, with Keras 3's rules."""

    def __init__(
        self,
        data: Any,
        steps: Optional[int] = None,
        shuffle: bool = False,
        needs_y: bool = True,
        steps_name: str = "steps_per_epoch",
    ) -> None:
        self.data = data
        self.name = source_name(data)
        self.needs_y = needs_y
        self.steps = data_adapter.check_positive_int(steps, steps_name, allow_none=True)
        self.num_batches, infinite = _count(data)
        if infinite and self.steps is None:
            raise ValueError(
                f"The {self.name} is infinite: pass `{steps_name}` to say how many batches make an "
                "epoch (or a step count)"
            )
        self.one_shot = hasattr(data, "__next__")
        self.shuffle = shuffle and isinstance(data, PyDataset) and self.num_batches is not None
        self._iterator: Optional[Iterator] = None
        self._seen = 0
        self.exhausted = False  # a generator ran out: no further epoch can have data

    @property
    def epoch_steps(self) -> Optional[int]:
        """Batches per epoch, when known (for the progress bar and ``params["steps"]``)."""
        return self.steps or self.num_batches

    def _fresh(self) -> Iterator:
        if isinstance(self.data, PyDataset):
            indices: Any = range(self.num_batches) if self.num_batches is not None else _count_up()
            if self.shuffle:
                indices = list(indices)
                random.shuffle(indices)
            return batches(self.data, indices)
        elements = _host_elements(self.data)
        return iter(self.data) if elements is None else elements

    @contextmanager
    def epoch(self) -> Iterator[Iterator[tuple]]:
        """``with stream.epoch() as batches:`` one epoch's batches, between the PyDataset's epoch hooks (called
        here, on the calling thread)."""
        if isinstance(self.data, PyDataset):
            self.data.on_epoch_begin()
        batches = iter(()) if self.exhausted else self._epoch()
        try:
            yield batches
        finally:
            try:
                batches.close()  # type: ignore[union-attr]
            except (AttributeError, ValueError):  # a reader stopped by an error may still be running it
                pass
            if isinstance(self.data, PyDataset):
                self.data.on_epoch_end()

    def _epoch(self) -> Iterator[tuple]:
        steps = self.epoch_steps
        if self._iterator is None or self.steps is None:
            self._iterator, self._seen = self._fresh(), 0
        step = 0
        while steps is None or step < steps:
            if self.num_batches is not None and self._seen >= self.num_batches:
                if self.steps is not None:
                    warnings.warn(RAN_OUT, stacklevel=4)
                break
            try:
                element = next(self._iterator)
            except StopIteration:
                warnings.warn(RAN_OUT, stacklevel=4)
                self._iterator = None  # the next epoch starts the data afresh, if it can
                self.exhausted = self.one_shot
                return
            self._seen += 1
            step += 1
            yield unpack(element, self.name, self.needs_y)
        if self.num_batches is not None and self._seen >= self.num_batches:
            self._iterator = None  # the next epoch starts the data afresh


def _host_elements(data: Any) -> Optional[Iterator[Any]]:
    """The elements of a ferroflow ``tf.data.Dataset`` as iteration yields them, except that numeric components
    stay the NumPy arrays the pipeline holds instead of becoming tensors: the step converts every tensor back
    to an array, so the round trip (two copies per component) would be wasted; batches of tensor slices are
    views, copied once when a group of them is joined. None for anything else."""
    from ..data import structure
    from ..data.dataset_ops import Dataset

    if not isinstance(data, Dataset) or type(data).__iter__ is not Dataset.__iter__:
        return None
    spec = data.element_spec
    single = not isinstance(spec, (tuple, dict))
    wrap = structure.wrap

    def host(c: Any) -> Any:
        return c if type(c) is np.ndarray and c.dtype.kind in "biuf" else wrap(c)

    def elements() -> Iterator[Any]:
        for flat in data._host_iterator():
            if single and len(flat) == 1:
                yield host(flat[0])
            else:
                yield nest.pack_sequence_as(spec, [host(c) for c in flat])

    return elements()


def _count_up() -> Iterator[int]:
    i = 0
    while True:
        yield i
        i += 1
