"""Models whose outputs are known only once called: a subclassed ``Model`` whose ``call`` returns a list,
tuple or dict of tensors.

``compile`` cannot tell such a model's outputs, so (as Keras 3 builds its compiled loss on the first batch)
the losses and metrics are resolved when the first batch arrives: the model is traced once on placeholders
shaped like it, in a graph that is then dropped. Names follow Keras 3 for models without output layers:

- ``call`` returns a dict: the outputs are its keys (flat order: sorted); ``loss``, ``y``, ``sample_weight``
  and ``metrics`` may be dicts keyed by them (a loss dict may leave outputs out) or lists in that order;
  logs are ``<key>_loss`` and ``<key>_<metric>``.
- ``call`` returns a list or tuple: nothing names the outputs, so each output's loss is reported under the
  loss's own name (``mse_loss``; two outputs with the same loss share the key, the last one's value shows),
  metrics under their own names made unique by a counter (``mae``, ``mae_1``); dicts are refused.
"""

from __future__ import annotations

from typing import Any

from ..framework import nest


def defers(model: Any, loss: Any) -> bool:
    """Whether ``compile`` leaves the loss to the first batch: a subclassed model (not functional, not
    ``Sequential``, whose outputs are single) compiled with a loss."""
    from .sequential import Sequential

    return loss is not None and not getattr(model, "_is_graph_network", False) and not isinstance(model, Sequential)


def per_output_args(model: Any, loss: Any, metrics: Any, weighted_metrics: Any) -> bool:
    """Whether compile's arguments may be per output (a list or dict of losses, lists of metric lists, a dict of
    metrics) for a model whose outputs show only once called: then they wait for the first batch."""

    def nested(value: Any) -> bool:
        return isinstance(value, dict) or (
            isinstance(value, (list, tuple)) and any(isinstance(v, (list, tuple, dict)) for v in value)
        )

    return defers(model, loss) and (
        isinstance(loss, (list, tuple, dict)) or nested(metrics) or nested(weighted_metrics)
    )


def resolve_for(model: Any, x: Any) -> None:
    """``resolve`` for a batch's ``x`` as given to fit or evaluate."""
    from . import data_adapter

    resolve(model, data_adapter.flatten_inputs(x, getattr(model, "dtype", "float32")), data_adapter.structure_of(x))


def output_structure(model: Any, xs: list, structure: Any) -> Any:
    """What ``model`` returns for inputs like ``xs``, with every tensor replaced by None (traced, not run)."""
    from ..framework.function import FuncGraph
    from . import data_adapter, step_graph

    graph = FuncGraph()
    with graph.as_default():
        placeholders = []
        for i, a in enumerate(xs):
            p = step_graph._placeholder(a, "x" if len(xs) == 1 else f"x_{i}")
            placeholders.append(p[0] if isinstance(p, tuple) else p)
        y_pred = model(data_adapter.pack_like(structure, placeholders), training=False)
    return nest.map_structure(lambda _: None, y_pred)


def _loss_name(identifier: Any, resolved: Any) -> str:
    """The name Keras reports an unnamed output's loss under: the string given, else the loss's name."""
    return identifier if isinstance(identifier, str) else resolved.name


def _missing_path(key: Any) -> KeyError:
    return KeyError(
        f"The path: ({key!r},) in the `loss` argument, can't be found in either the model's output (`y_pred`) "
        "or in the labels (`y_true`)."
    )


def resolve(model: Any, xs: list, structure: Any) -> None:
    """Sets ``model``'s compiled loss and metrics from the outputs its ``call`` returns for ``xs``."""
    from .multi_output_compile import MultiOutputLoss, MultiOutputMetrics

    loss, loss_weights, metrics, weighted_metrics, error = model._call_outputs_pending
    try:
        out = output_structure(model, xs, structure)
    except NotImplementedError:
        # A model without ``call`` whose own train/test step computes the loss (a masked autoencoder calling
        # compute_loss on its parts): the loss compiled as given stands.
        if not (model._overrides_step("train") or model._overrides_step("test")):
            raise
        out = None
    if isinstance(out, dict):
        keys = sorted(out)
        if isinstance(loss, dict):
            for key in loss:
                if key not in out:
                    raise _missing_path(key)
        compiled_loss: Any = MultiOutputLoss(keys, loss, loss_weights, require_all=False)
        compiled_metrics: Any = MultiOutputMetrics(keys, metrics, weighted_metrics, compiled_loss)
    elif isinstance(out, (list, tuple)) and len(out) > 1:
        if any(isinstance(o, (list, tuple, dict)) for o in out):
            raise NotImplementedError(
                f"Model '{model.name}' returns nested outputs {out!r}: fit/evaluate support a flat list, tuple "
                "or dict of output tensors"
            )
        if isinstance(loss, (list, tuple)) and len(loss) > len(out):
            raise _missing_path(len(out))
        placeholder_names = [f"output_{i}" for i in range(len(out))]
        compiled_loss = MultiOutputLoss(placeholder_names, loss, loss_weights, keyed=False)
        entries = list(loss) if isinstance(loss, (list, tuple)) else [loss] * len(out)
        compiled_loss.names = [
            placeholder_names[i] if fn is None else _loss_name(entries[i], fn)
            for i, fn in enumerate(compiled_loss.losses)
        ]
        compiled_metrics = MultiOutputMetrics(
            compiled_loss.names, metrics, weighted_metrics, compiled_loss, prefixed=False
        )
    else:
        if error is not None:
            raise error  # what compile found wrong for a model with one output
        model._call_outputs_pending = None
        return
    model._compiled_loss = compiled_loss
    model._compiled_metrics = compiled_metrics
    model._call_outputs_pending = None
    model._plans.clear()
