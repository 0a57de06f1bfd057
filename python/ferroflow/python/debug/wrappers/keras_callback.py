"""``LocalCLIDebugCallback``: tfdbg for ``model.fit``, stopping at the first batch that makes a NaN or an Inf.

After each training batch the callback checks the loss and the weights. When one is not finite it puts the
weights, the optimizer's state and the random-op counters back as they were before the batch, reruns that
batch's training step with every tensor watched (the step updates the weights once more, to the same
values), stops training and opens the analyzer on that step with ``lt -f <filter>`` as its first command.
"""

from __future__ import annotations

import math
import os
from typing import Any, Callable, Optional

import numpy as np

from ....callbacks.callback import Callback, Logs
from ..cli.analyzer import create_analyzer_registry
from ..cli.ui import LineUI
from ..lib import dump_io
from ..lib.debug_data import DebugDumpDir, has_inf_or_nan
from ..lib.graph_debug import WatchedPlan


class LocalCLIDebugCallback(Callback):
    """Stops ``fit`` at the first batch whose loss or updated weights hold a NaN or an Inf, and opens the
    debugger on that batch's training step.

    Args:
        tensor_filter: the registered filter the analyzer opens with (``lt -f``).
        ui_type: ``"readline"`` or ``"curses"`` (both the line-mode terminal).
        dump_root: if set, the step's dump is also written there (``run_<microseconds>_<batch>``) for the
            offline analyzer, and kept.
        open_cli: False skips the terminal and only keeps the dump (``self.dump``).
    """

    def __init__(
        self,
        tensor_filter: str = "has_inf_or_nan",
        ui_type: str = "readline",
        dump_root: Optional[str] = None,
        open_cli: bool = True,
    ) -> None:
        super().__init__()
        if ui_type not in ("readline", "curses"):
            raise ValueError(f"Invalid ui_type: '{ui_type}'; expected one of readline, curses")
        self._filters: dict = {"has_inf_or_nan": has_inf_or_nan}
        self.tensor_filter = tensor_filter
        self.dump_root = None if dump_root is None else os.fspath(dump_root)
        self.open_cli = open_cli
        self.dump: Optional[DebugDumpDir] = None
        self.stopped_batch: Optional[tuple] = None  # (epoch, batch) of the step that went bad
        self._epoch = 0
        self._batch: Optional[list] = None
        self._saved: Optional[tuple] = None

    def add_tensor_filter(self, filter_name: str, tensor_filter: Callable[[Any, Any], bool]) -> None:
        if not isinstance(filter_name, str) or not filter_name or not callable(tensor_filter):
            raise TypeError(
                "add_tensor_filter expects a non-empty name and a callable fn(datum, tensor); received "
                f"{filter_name!r}, {type(tensor_filter).__name__}"
            )
        self._filters[filter_name] = tensor_filter

    def on_train_begin(self, logs: Logs = None) -> None:
        if self.tensor_filter not in self._filters:
            raise ValueError(
                f'There is no tensor filter named "{self.tensor_filter}"; registered: {sorted(self._filters)}'
            )

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        self._epoch = epoch

    def _receive_batch(self, arrays: list, indices: np.ndarray) -> None:
        # Copies of this batch's rows: the training arrays stay untouched.
        self._batch = [None if a is None else np.ascontiguousarray(a[indices]) for a in arrays]

    def _state_variables(self) -> list:
        opt = getattr(self.model, "optimizer", None)
        return list(self.model.weights) + list(getattr(opt, "variables", []) or [])

    def on_train_batch_begin(self, batch: int, logs: Logs = None) -> None:
        plan = getattr(self.model, "_train_plan", None)
        counters = None
        if plan is not None and hasattr(plan.plan, "random_state"):
            counters = list(plan.plan.random_state())
        self._saved = ([np.array(v.numpy(), copy=True) for v in self._state_variables()], counters)

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        loss = (logs or {}).get("loss")
        bad = loss is not None and not math.isfinite(float(loss))
        if not bad:
            bad = any(
                not np.all(np.isfinite(w))
                for w in (np.asarray(v.numpy()) for v in self.model.weights)
                if w.dtype.kind in "fc"
            )
        if not bad:
            return
        self.model.stop_training = True
        self.stopped_batch = (self._epoch, batch)
        self.dump = self._replay(batch)
        if self.open_cli:
            self._open(self.dump, batch)

    def _replay(self, batch: int) -> DebugDumpDir:
        plan = getattr(self.model, "_train_plan", None)
        if plan is None or plan.graph is None or self._batch is None or self._saved is None:
            raise RuntimeError(
                "LocalCLIDebugCallback could not find the training step to replay: it works with "
                "model.fit on arrays or datasets of dense tensors"
            )
        values, counters = self._saved
        for v, value in zip(self._state_variables(), values):
            v.assign(value)
        watched = WatchedPlan(plan.graph, plan.fetch_nodes, plan.feed_nodes)
        if counters is not None and hasattr(watched.plan, "set_random_state"):
            try:
                watched.plan.set_random_state(counters)  # the same dropout masks as the step being replayed
            except Exception:  # a plan with other random ops keeps its own counters
                pass
        feeds = [a for a in self._batch if a is not None]
        _, datums = watched.run(feeds)
        run_info = {
            "run_index": batch,
            "fetches": ["train_step"],
            "feeds": [n.name for n in watched.nodes if n.op_type == "Placeholder"],
            "t0_us": datums[0].timestamp if datums else 0,
            "epoch": self._epoch,
            "batch": batch,
        }
        nodes = watched.node_infos()
        if self.dump_root is not None:
            os.makedirs(self.dump_root, exist_ok=True)
            run_dir = dump_io.write_run(dump_io.new_run_dir(self.dump_root, batch), nodes, datums, run_info)
            return DebugDumpDir(run_dir)
        return DebugDumpDir.from_records(None, nodes, datums, run_info)

    def _open(self, dump: DebugDumpDir, batch: int) -> None:
        registry = create_analyzer_registry(dump, self._filters)
        title = (
            f"fit-stop: epoch {self._epoch + 1}, batch {batch}: a NaN or Inf appeared; the training step of "
            "this batch was rerun with every tensor dumped"
        )
        LineUI(registry).run_ui(init_command=f"lt -f {self.tensor_filter}", title=title)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
