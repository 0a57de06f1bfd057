"""``compile`` / ``fit`` / ``evaluate`` / ``predict``: the Keras training API over compiled native plans."""

from __future__ import annotations

import threading
from typing import Any, Optional

import numpy as np

from . import (
    compile_utils,
    data_adapter,
    iterator_adapter,
    iterator_fit_loop,
    multi_output,
    multi_output_call,
    predict_loop,
    step_graph,
    step_inputs,
)
from .batch_runner import Accumulator
from .evaluate_loop import evaluate_arrays
from .run_limits import capped_epochs, capped_steps
from .single_batch import SingleBatchMethods
from .train_step import StepMethods


def _verbosity(verbose: Any) -> int:
    if verbose == "auto":
        return 1
    if isinstance(verbose, bool) or verbose not in (0, 1, 2):
        raise ValueError(f'`verbose` must be "auto", 0, 1 or 2. Received: verbose={verbose!r}')
    return int(verbose)


class Trainer(SingleBatchMethods, StepMethods):
    """The training half of ``Model``: mixes into it, so every model can be compiled and fitted."""

    def __init__(self) -> None:
        self.optimizer: Any = None
        self.loss: Any = None
        self.compiled = False
        self.stop_training = False
        self.history: Any = None
        self._compile_args_given: Optional[tuple] = None  # what get_compile_config serializes
        self._compiled_loss: Any = None
        self._compiled_metrics: Any = None
        self._call_outputs_pending: Any = None  # multi_output_call: compile's arguments until the first batch
        self._plans: dict = {}
        self._run_eagerly: Any = False
        self._step_functions: dict = {}
        self._busy = threading.Lock()
        self._last_epoch_logs: dict = {}

    # -- compile
    def compile(
        self,
        optimizer: Any = "rmsprop",
        loss: Any = None,
        loss_weights: Any = None,
        metrics: Any = None,
        weighted_metrics: Any = None,
        run_eagerly: bool = False,
        steps_per_execution: int = 1,
        jit_compile: Any = "auto",
        auto_scale_loss: bool = True,
    ) -> None:
        """Configures the model for training (Keras 3's signature and defaults)."""
        from .. import optimizers

        opt = optimizers.get(optimizer)
        given = (loss, metrics, weighted_metrics, loss_weights)
        # As Keras 3: a compile that names no loss (or no metrics) keeps those of the compile before it.
        if loss is None:
            loss, loss_weights = getattr(self, "_compile_loss_args", (None, None))
        if metrics is None and weighted_metrics is None:
            metrics, weighted_metrics = getattr(self, "_compile_metric_args", (None, None))
        # Without a loss, only a model whose train_step computes its own loss can train (checked at fit).
        names = multi_output.output_names(self)
        loss_error = compile_utils.loss_dict_error(loss, names)
        if loss_error is not None:  # as Keras 3: accepted here, fit/evaluate raise
            compiled_loss, compiled_metrics = None, compile_utils.CompiledMetrics(None, None, None)
        elif names is not None and loss is not None:
            from .multi_output_compile import MultiOutputLoss, MultiOutputMetrics

            compiled_loss: Any = MultiOutputLoss(names, loss, loss_weights)
            compiled_metrics: Any = MultiOutputMetrics(names, metrics, weighted_metrics, compiled_loss)
        else:
            try:
                compiled_loss = None if loss is None else compile_utils.resolve_loss(loss)
                compiled_metrics = compile_utils.CompiledMetrics(metrics, weighted_metrics, compiled_loss)
                error = None
            except (ValueError, TypeError) as e:  # per-output arguments, for outputs known once called?
                if not multi_output_call.per_output_args(self, loss, metrics, weighted_metrics):
                    raise
                compiled_loss, compiled_metrics, error = None, compile_utils.CompiledMetrics(None, None, None), e
        # A subclassed model's outputs show on the first batch, where its losses and metrics are resolved.
        deferred = multi_output_call.defers(self, loss) and names is None
        self._call_outputs_pending = (loss, loss_weights, metrics, weighted_metrics, error) if deferred else None
        # get_compile_config records the arguments as given (Keras 3's does), once they are known to be valid.
        # As Keras 3 it serializes them when asked (saving): an optimizer whose schedule has no get_config
        # compiles and trains, and fails only to be saved.
        try:
            compile_utils.compile_config(opt, *given)
        except NotImplementedError:
            pass
        self.optimizer = opt
        self.loss = loss
        self._compiled_loss = compiled_loss
        self._compiled_metrics = compiled_metrics
        self._compile_args_given = (opt, *given)
        self._compile_loss_args, self._compile_metric_args = (loss, loss_weights), (metrics, weighted_metrics)
        self._compile_loss_error = loss_error
        # Keras 3 lists a ``compile_metrics`` entry in ``model.metrics`` once metrics were given to compile.
        self._has_compile_metrics = metrics is not None or weighted_metrics is not None
        self.run_eagerly = run_eagerly  # also forgets the steps built before
        self.compiled = True

    @property
    def _compile_config(self) -> Optional[dict]:
        given = self.__dict__.get("_compile_args_given")
        return None if given is None else compile_utils.compile_config(*given)

    def get_compile_config(self) -> Optional[dict]:
        return self._compile_config

    def compile_from_config(self, config: dict) -> None:
        self.compile(**compile_utils.compile_args_from_config(config))

    @property
    def metrics(self) -> list:
        """Keras 3's order: the loss tracker, the ``compile_metrics`` container (when compile was given metrics),
        then each output's loss tracker (several outputs with losses, once the first batch built them)."""
        if not self.compiled:
            return []
        compiled = self._compiled_metrics
        out = [self._loss_tracker_metric()]
        if getattr(self, "_has_compile_metrics", False):
            out.append(compile_utils.CompileMetricsContainer(compiled, self._update_compile_metrics))
        return out + compiled.loss_trackers()

    @property
    def metrics_names(self) -> list:
        return [m.name for m in self.metrics]

    def reset_metrics(self) -> None:
        for m in self.metrics:
            m.reset_state()

    # -- shared plumbing
    def _require_compiled(self, what: str) -> None:
        if not self.compiled:
            raise RuntimeError(
                f"You must call `compile()` before using the model for {what}: model.compile("
                "optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])"
            )
        if getattr(self, "_compile_loss_error", None) is not None:
            raise ValueError(self._compile_loss_error)

    def _arrays(self, x: Any, y: Any, sample_weight: Any, class_weight: Any = None) -> tuple:
        return step_inputs.arrays(self, x, y, sample_weight, class_weight)

    def _plan(self, kind: str, xs: list, structure: Any, y: Any = None, sw: Any = None) -> step_graph.StepPlan:
        return step_inputs.plan(self, kind, xs, structure, y, sw)

    def _multi_output_loss(self) -> bool:
        from .multi_output_compile import MultiOutputLoss

        return isinstance(self._compiled_loss, MultiOutputLoss)

    def _metrics_for(self, y_true_shape: Any, y_pred_shape: Any) -> list:
        return step_inputs.metrics_for(self, y_true_shape, y_pred_shape)

    def _callbacks(self, callbacks: Any, verbose: int, epochs: int, steps: int) -> Any:
        from ..callbacks import CallbackList

        return CallbackList(
            callbacks,
            add_history=True,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=epochs,
            steps=steps,
        )

    # -- fit
    def fit(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: Optional[int] = None,
        epochs: int = 1,
        verbose: Any = "auto",
        callbacks: Any = None,
        validation_split: float = 0.0,
        validation_data: Any = None,
        shuffle: bool = True,
        class_weight: Optional[dict] = None,
        sample_weight: Any = None,
        initial_epoch: int = 0,
        steps_per_epoch: Optional[int] = None,
        validation_steps: Optional[int] = None,
        validation_batch_size: Optional[int] = None,
        validation_freq: int = 1,
    ) -> Any:
        """Trains for ``epochs`` epochs; returns the ``History``."""
        from .fit_loop import fit

        self._require_compiled("training")
        # keras.config.set_max_epochs / set_max_steps_per_epoch cap every run, its validation included.
        epochs, steps_per_epoch = capped_epochs(epochs), capped_steps(steps_per_epoch)
        validation_steps = capped_steps(validation_steps) if validation_data is not None or validation_split else None
        if not self._busy.acquire(blocking=False):
            raise RuntimeError(
                f"Model '{self.name}' is already being trained or evaluated in another thread (or "
                "from a callback): a second fit/evaluate at the same time would corrupt it"
            )
        try:
            return fit(
                self,
                x,
                y,
                batch_size,
                epochs,
                _verbosity(verbose),
                callbacks,
                validation_split,
                validation_data,
                shuffle,
                class_weight,
                sample_weight,
                initial_epoch,
                steps_per_epoch,
                validation_steps,
                validation_batch_size,
                validation_freq,
            )
        finally:
            self._busy.release()

    # -- evaluate
    def evaluate(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: Optional[int] = None,
        verbose: Any = "auto",
        sample_weight: Any = None,
        steps: Optional[int] = None,
        callbacks: Any = None,
        return_dict: bool = False,
        **kwargs: Any,
    ) -> Any:
        """The loss and metrics on ``(x, y)``: a scalar, a list ``[loss, *metrics]``, or a dict."""
        self._require_compiled("evaluation")
        verbose, steps = _verbosity(verbose), capped_steps(steps)
        if iterator_adapter.is_batch_source(x):  # a generator, dataset or PyDataset
            logs = iterator_fit_loop.evaluate(self, x, y, batch_size, verbose, sample_weight, steps, callbacks)
        else:
            batch_size = data_adapter.check_positive_int(batch_size or 32, "batch_size")
            xs, structure, ya, sw = self._arrays(x, y, sample_weight)
            logs = evaluate_arrays(self, xs, structure, ya, sw, batch_size, steps, callbacks, verbose)
        if return_dict:  # sorted by name, as Keras 3 returns them
            from ..callbacks.callback_list import _pythonify_logs

            return _pythonify_logs(logs)
        return self._flatten_metrics_in_order(logs)

    def _store_results(self, acc: Any) -> None:
        if not isinstance(acc, Accumulator):
            return  # an overridden step updated the metrics itself
        for m, totals in zip(acc.metrics, acc.per_metric_totals()):
            compile_utils.set_totals(m, totals)
        tracker = self.metrics[0]
        compile_utils.set_totals(tracker, np.array([acc.loss_sum, acc.count]))

    # -- predict
    def predict(
        self,
        x: Any,
        batch_size: Optional[int] = None,
        verbose: Any = "auto",
        steps: Optional[int] = None,
        callbacks: Any = None,
    ) -> Any:
        """The model's outputs on ``x`` as NumPy arrays, computed in batches (one native call for all of them)."""
        steps = capped_steps(steps)
        if type(x) is np.ndarray and verbose.__class__ is int and verbose == 0 and callbacks is None and steps is None:
            # One sample served again: a single plan run, so that it costs microseconds, not a framework's
            # dispatch.
            outputs = predict_loop.predict_seen_array(self, x, batch_size)
            if outputs is not None:
                return outputs
        return predict_loop.predict(self, x, batch_size, _verbosity(verbose), steps, callbacks)
