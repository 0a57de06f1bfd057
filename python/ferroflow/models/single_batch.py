"""Keras's one-batch methods: ``train_on_batch``, ``test_on_batch`` and ``predict_on_batch``."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import batch_runner, data_adapter, multi_output, step_graph


class SingleBatchMethods:
    """A base of ``Trainer``: one batch through the compiled train or test plan, or ``predict``."""

    def train_on_batch(
        self, x: Any, y: Any = None, sample_weight: Any = None, class_weight: Any = None, return_dict: bool = False
    ) -> Any:
        """One optimizer step on one batch; returns this batch's loss (and metrics)."""
        self._require_compiled("training")
        xs, structure, ya, sw = self._arrays(x, y, sample_weight, class_weight)
        plan = self._plan("train", xs, structure, ya, sw)
        return self._one_batch(plan, xs, ya, sw, return_dict)

    def test_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None, return_dict: bool = False) -> Any:
        """The loss (and metrics) of one batch, without training."""
        self._require_compiled("evaluation")
        xs, structure, ya, sw = self._arrays(x, y, sample_weight)
        plan = self._plan("test", xs, structure, ya, sw)
        return self._one_batch(plan, xs, ya, sw, return_dict)

    def _one_batch(self, plan: step_graph.StepPlan, xs: list, ya: Any, sw: Any, return_dict: bool) -> Any:
        acc = batch_runner.accumulator(self, plan, reset=False)
        arrays = multi_output.step_arrays(xs, ya, sw)
        n = multi_output.rows(ya, xs)
        batch_runner.run(plan.plan, arrays, np.arange(n, dtype="int64"), n, acc, None, "test")
        logs = acc.logs()
        if return_dict:  # sorted by name, as Keras 3 returns them
            from ..callbacks.callback_list import _pythonify_logs

            return _pythonify_logs(logs)
        return self._flatten_metrics_in_order(logs)

    def predict_on_batch(self, x: Any) -> Any:
        """The model's outputs on one batch, as NumPy arrays."""
        return self.predict(x, batch_size=max(1, len(data_adapter.flatten_inputs(x)[0])), verbose=0)
