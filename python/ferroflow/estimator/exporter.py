"""``tf.estimator.Exporter``s: when ``train_and_evaluate`` exports the model after an evaluation."""

from __future__ import annotations

import os
import shutil
from typing import Any, Callable, Optional


class Exporter:
    """Base class: ``export(estimator, export_path, checkpoint_path, eval_result, is_the_final_export)``."""

    @property
    def name(self) -> str:
        raise NotImplementedError

    def export(
        self, estimator: Any, export_path: str, checkpoint_path: str, eval_result: dict, is_the_final_export: bool
    ) -> Optional[bytes]:
        raise NotImplementedError


class _SavedModelExporter(Exporter):
    def __init__(
        self, name: str, serving_input_receiver_fn: Callable, assets_extra: Optional[dict] = None, as_text: bool = False
    ) -> None:
        if not name:
            raise ValueError("`name` must be a non-empty string.")
        self._name = name
        self._serving_input_receiver_fn = serving_input_receiver_fn
        self._assets_extra = assets_extra
        self._as_text = as_text

    @property
    def name(self) -> str:
        return self._name

    def _export(self, estimator: Any, export_path: str, checkpoint_path: str) -> bytes:
        return estimator.export_saved_model(
            export_path,
            self._serving_input_receiver_fn,
            assets_extra=self._assets_extra,
            checkpoint_path=checkpoint_path,
        )


class FinalExporter(_SavedModelExporter):
    """Exports once, after the final evaluation (when training reached ``max_steps``)."""

    def export(
        self, estimator: Any, export_path: str, checkpoint_path: str, eval_result: dict, is_the_final_export: bool
    ) -> Optional[bytes]:
        if not is_the_final_export:
            return None
        return self._export(estimator, export_path, checkpoint_path)


class LatestExporter(_SavedModelExporter):
    """Exports after every evaluation, keeping the newest ``exports_to_keep`` exports (all when None)."""

    def __init__(
        self,
        name: str,
        serving_input_receiver_fn: Callable,
        assets_extra: Optional[dict] = None,
        as_text: bool = False,
        exports_to_keep: Optional[int] = 5,
    ) -> None:
        super().__init__(name, serving_input_receiver_fn, assets_extra, as_text)
        if exports_to_keep is not None and exports_to_keep <= 0:
            raise ValueError(f"`exports_to_keep`, if provided, must be a positive number. Got {exports_to_keep}")
        self._exports_to_keep = exports_to_keep

    def export(
        self, estimator: Any, export_path: str, checkpoint_path: str, eval_result: dict, is_the_final_export: bool
    ) -> Optional[bytes]:
        path = self._export(estimator, export_path, checkpoint_path)
        self._garbage_collect_exports(export_path)
        return path

    def _garbage_collect_exports(self, export_dir_base: str) -> None:
        if self._exports_to_keep is None:
            return
        stamps = sorted(int(d) for d in os.listdir(export_dir_base) if d.isdigit())
        for stamp in stamps[: max(0, len(stamps) - self._exports_to_keep)]:
            shutil.rmtree(os.path.join(export_dir_base, str(stamp)), ignore_errors=True)
