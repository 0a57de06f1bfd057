"""Running a model's compiled step over batches that arrive one at a time (generators, datasets, PyDataset).

Each batch is converted once to C-contiguous arrays of the model's dtypes and runs the same compiled plan as
array-fed training (one plan per input signature, so no batch re-traces). Consecutive batches of one
signature are joined into a group of up to ``GROUP`` batches and handed to the native batch loop in one call,
which runs them one by one as separate steps: the cost of entering the native loop is paid per group, not
per batch. Batches are grouped only while no callback needs to act before each batch. Reading the data and
converting it happen on a second thread (``prefetch``) while the native loop runs with the GIL released.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator, List, Optional

import numpy as np

from ..framework import nest
from . import batch_runner, data_adapter, input_checks, multi_output
from ._stream_batch import _Batch, _joined, _plain
from .batch_runner import Accumulator
from .prefetch import Prefetcher

GROUP = 16  # batches per native call; more buys nothing measurable and delays progress updates


class _Hooks:
    """The per-batch callback hooks of one pass, and how often they must be called."""

    def __init__(self, callbacks: Any, kind: str, steps: Optional[int]) -> None:
        self.callbacks = callbacks
        self.needs_begin = self.needs_end = False
        self.every = 0
        if callbacks is not None and kind != "predict":
            self.needs_begin, self.needs_end = batch_runner.callback_needs(callbacks, kind)
            self.every = 1 if self.needs_end or self.needs_begin else max(1, steps // 50) if steps else GROUP
        prefix = "on_train_batch_" if kind == "train" else "on_test_batch_"
        self.begin = getattr(callbacks, prefix + "begin", None)
        self.end = getattr(callbacks, prefix + "end", None)
        self.reported = -1

    def report(self, index: int, logs: dict) -> None:
        self.reported = index
        self.end(index, logs)


class StepRunner:
    """Feeds ``(x, y, sample_weight)`` batches to ``model``'s compiled step of ``kind`` (train, test, predict)."""

    def __init__(self, model: Any, kind: str, class_weight: Optional[dict] = None, prefetch: bool = True) -> None:
        self.model = model
        self.prefetch = prefetch
        self.kind = kind
        self.class_weight = class_weight
        self.float_dtype = getattr(model, "dtype", "float32")
        self._orders: dict = {}
        self.multi = kind != "predict" and getattr(model, "_multi_output_loss", lambda: False)()

    def convert(self, x: Any, y: Any, sw: Any) -> _Batch:
        """One batch as arrays of the model's dtypes, checked as array-fed ``fit`` checks its data."""
        if self.multi:  # one target (and weight) per output: the array path's checks and conversion
            xs, structure, ya, swa = self.model._arrays(x, y, sw, self.class_weight)
            return _Batch(xs, structure, ya, swa, multi_output.rows(ya))
        plain = _plain(x, self.float_dtype)
        if plain is not None:  # one input array: the common case, without the general checks' overhead
            if self.kind == "predict":
                return _Batch([plain], 0, None, None, len(plain))
            ya = _plain(y, self.float_dtype)
            if ya is not None and sw is None and self.class_weight is None and len(ya) == len(plain):
                if ya.dtype.kind == "f":
                    input_checks.check_sparse_labels(self.model._compiled_loss, ya)
                return _Batch([plain], 0, ya, None, len(plain))
            xs, structure = [plain], 0
        else:
            xs = data_adapter.flatten_inputs(x, self.float_dtype)
            structure = data_adapter.structure_of(x)
        names = [f"x[{i}]" if len(xs) > 1 else "x" for i in range(len(xs))]
        if self.kind == "predict" or y is None:  # no targets: predicting, or a loss only from add_loss
            return _Batch(xs, structure, None, None, data_adapter.num_samples(xs, names))
        ya = _plain(y, self.float_dtype)
        if ya is None:
            ya = data_adapter.to_array(y, "y", self.float_dtype)
        if ya.dtype.kind == "f":  # the check looks at float labels only
            input_checks.check_sparse_labels(self.model._compiled_loss, ya)
        n = data_adapter.num_samples(xs + [ya], names + ["y"])
        swa = data_adapter.sample_weight_array(sw, n)
        if self.class_weight is not None:
            if swa is not None:
                raise ValueError(
                    "You cannot specify `class_weight` and `sample_weight` at the same time: the "
                    "batches carry sample weights, and `class_weight` was passed to fit"
                )
            swa = data_adapter.class_weights_to_sample_weights(ya, self.class_weight)
        return _Batch(xs, structure, ya, swa, n)

    def _order(self, n: int) -> np.ndarray:
        order = self._orders.get(n)
        if order is None:
            order = self._orders[n] = np.arange(n, dtype="int64")
        return order

    def _groups(self, elements: Iterator[tuple], size: int) -> Iterator[tuple]:
        """``(batches, arrays)``: consecutive batches that share a plan and a batch size (the last may be
        smaller), and their arrays, each position concatenated."""
        pending: List[_Batch] = []
        for element in elements:
            x, y, sw = element
            batch = self.convert(x, y, sw)
            if getattr(element, "one_tuple", False):
                batch.one_tuple = True
                batch.key = None if batch.key is None else (*batch.key, "(x,)")
            if batch.n == 0:
                raise ValueError(
                    f"Received a batch with 0 samples (x has shapes {[a.shape for a in batch.xs]}): "
                    "every batch needs at least one sample"
                )
            if pending and (
                batch.key is None
                or batch.key != pending[0].key
                or batch.n > pending[0].n
                or pending[-1].n != pending[0].n
            ):
                yield pending, _joined(pending)
                pending = []
            pending.append(batch)
            if len(pending) >= size:
                yield pending, _joined(pending)
                pending = []
        if pending:
            yield pending, _joined(pending)

    @contextmanager
    def _prepared(self, elements: Iterator[tuple], size: int) -> Iterator[Iterator[tuple]]:
        """The groups of ``elements``, read and converted on a second thread while the steps run."""
        reader = Prefetcher(self._groups(elements, size)) if self.prefetch else None
        try:
            yield iter(reader) if reader is not None else self._groups(elements, size)
        finally:
            if reader is not None:
                reader.close(wait=sys.exc_info()[0] is None)

    def _plan(self, group: List[_Batch]) -> Any:
        first = group[0]
        return self.model._plan(self.kind, first.xs, first.structure, first.y, first.sw)

    @staticmethod
    def _packing(plan: Any, group: List[_Batch]) -> Any:
        """``plan``, told whether the group's batches came as ``(x,)`` (what a Python-run step receives)."""
        if hasattr(plan.plan, "one_tuple"):
            plan.plan.one_tuple = group[0].one_tuple
        return plan

    def run_epoch(
        self, elements: Iterator[tuple], callbacks: Any, should_stop: Callable[[], bool], steps: Optional[int]
    ) -> Optional[Accumulator]:
        """Runs every batch of ``elements`` (train or test); the epoch's totals, or None when there were none."""
        if getattr(self.model, "_call_outputs_pending", None) is not None:
            elements = self._resolve_outputs(elements)
        self.multi = getattr(self.model, "_multi_output_loss", lambda: False)()  # or another runner resolved them
        hooks = _Hooks(callbacks, self.kind, steps)
        with self._prepared(elements, 1 if hooks.needs_begin else GROUP) as groups:
            return self._run_groups(groups, hooks, should_stop)

    def _resolve_outputs(self, elements: Iterator[tuple]) -> Iterator[tuple]:
        """``elements``, once the first batch resolved the model's outputs (here, not on the read-ahead thread)."""
        from itertools import chain

        from .multi_output_call import resolve_for

        elements = iter(elements)
        first = next(elements, None)
        if first is None:
            return iter(())
        resolve_for(self.model, first[0])
        return chain([first], elements)

    def _run_groups(self, groups: Iterator[tuple], hooks: _Hooks, should_stop: Callable[[], bool]) -> Any:
        acc: Optional[Accumulator] = None
        done = 0
        plans: dict = {}  # by batch key: the plan lookup (signature, checks) once per epoch, not per group
        for group, arrays in groups:
            key = group[0].key
            plan = plans.get(key) if key is not None else None
            if plan is None:
                plan = self._plan(group)
                if key is not None:
                    plans[key] = plan
            self._packing(plan, group)
            if self.kind == "train" and getattr(self.model, "_train_plan", None) is not plan:
                self.model._train_plan = plan  # BackupAndRestore saves and restores its random-op counters
            if acc is None:
                acc = batch_runner.accumulator(self.model, plan)
            sizes = [b.n for b in group]
            order = self._order(sum(sizes))
            if hooks.needs_begin:
                batch_runner.share_batch(hooks.callbacks, arrays, order)
                hooks.begin(done)
            if hooks.needs_end or hooks.needs_begin:
                stopped = self._run_reporting(plan, arrays, order, sizes, acc, hooks, done, should_stop)
                done += len(sizes)
                if stopped:
                    return acc
                continue
            for values, size in zip(plan.plan.run_batches(arrays, order, sizes[0]), sizes):
                acc.add(values, size)
            before, done = done, done + len(sizes)
            if hooks.every and (done // hooks.every > before // hooks.every):
                hooks.report(done - 1, acc.logs())
                if should_stop():
                    return acc
        if hooks.end is not None and hooks.every and done and hooks.reported < done - 1:
            hooks.report(done - 1, acc.logs())  # the progress bar sees the epoch's last batch
        return acc

    def _run_reporting(
        self,
        plan: Any,
        arrays: list,
        order: np.ndarray,
        sizes: list,
        acc: Accumulator,
        hooks: _Hooks,
        base: int,
        should_stop: Callable[[], bool],
    ) -> bool:
        """The group with the end-of-batch hook after each batch; True when a callback stopped training."""
        stopped = [False]

        def on_batches(last: int, recent: list) -> bool:
            for i, values in enumerate(recent):
                acc.add(values, sizes[last - len(recent) + 1 + i])
            hooks.report(base + last, acc.logs())
            stopped[0] = bool(should_stop())
            return stopped[0]

        plan.plan.run_batches(arrays, order, sizes[0], on_batches, 1)
        return stopped[0]

    def predict(self, elements: Iterator[tuple], callbacks: Any) -> Any:
        """The model's outputs on every batch, concatenated; None when there were no batches."""
        parts: list = []
        structure = None
        done = 0
        with self._prepared(elements, GROUP) as groups:
            for group, arrays in groups:
                plan = self._packing(self._plan(group), group)
                if len(group) == 1:
                    outputs = plan.plan.run(arrays)
                else:
                    outputs = plan.plan.predict_batches(arrays, group[0].n)
                structure = plan.output_structure  # read after the run: an eager step learns it from the first batch
                parts.append([t.numpy() for t in outputs])
                done += len(group)
                if callbacks is not None:
                    outputs = nest.pack_sequence_as(structure, parts[-1])
                    callbacks.on_predict_batch_end(done - 1, {"outputs": outputs})
        if not parts:
            return None
        joined = [p[0] if len(parts) == 1 else np.concatenate(p) for p in zip(*parts)]
        return nest.pack_sequence_as(structure, joined)
