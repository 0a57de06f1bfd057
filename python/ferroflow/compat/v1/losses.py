"""``tf.compat.v1.losses``: TF1's loss functions with weights and the ``SUM_BY_NONZERO_WEIGHTS`` reduction."""

from __future__ import annotations

from typing import Any, Optional

from ...framework import context
from ...framework.ops import convert_to_tensor


class Reduction:
    """TF1's loss reductions."""

    NONE = "none"
    SUM = "weighted_sum"
    MEAN = "weighted_mean"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"


def compute_weighted_loss(
    losses: Any,
    weights: Any = 1.0,
    scope: Optional[str] = None,
    loss_collection: str = "losses",
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """Weights the per-element ``losses`` and reduces them as ``reduction`` says."""
    from ... import cast, not_equal, ones_like, reduce_sum

    losses = convert_to_tensor(losses)
    weights = convert_to_tensor(weights, dtype=losses.dtype) if not hasattr(weights, "dtype") else weights
    weighted = losses * weights
    if reduction == Reduction.NONE:
        loss = weighted
    else:
        loss = reduce_sum(weighted)
        if reduction == Reduction.MEAN:
            loss = loss / reduce_sum(ones_like(losses) * weights)
        elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
            loss = loss / reduce_sum(ones_like(losses))
        elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
            present = reduce_sum(cast(not_equal(ones_like(losses) * weights, 0), losses.dtype))
            loss = _div_no_nan(loss, present)  # all-zero weights give a zero loss rather than NaN
        elif reduction != Reduction.SUM:
            raise ValueError(
                f"Invalid reduction {reduction!r}: expected one of the tf.compat.v1.losses.Reduction values"
            )
    graph = context.current_graph()
    if graph is not None and loss_collection:
        graph.add_to_collection(loss_collection, loss)
    return loss


def _div_no_nan(x: Any, y: Any) -> Any:
    from ... import cast, equal, where, zeros_like

    safe = y + cast(equal(y, 0), y.dtype)
    return where(equal(y, 0), zeros_like(x), x / safe)


def mean_squared_error(
    labels: Any,
    predictions: Any,
    weights: Any = 1.0,
    scope: Optional[str] = None,
    loss_collection: str = "losses",
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """``(predictions - labels)^2``, weighted and reduced (by default: mean over the non-zero weights)."""
    from ... import square

    predictions = convert_to_tensor(predictions)
    labels = convert_to_tensor(labels, dtype=predictions.dtype) if not hasattr(labels, "dtype") else labels
    if labels.dtype != predictions.dtype:
        from ... import cast

        labels = cast(labels, predictions.dtype)
    return compute_weighted_loss(square(predictions - labels), weights, scope, loss_collection, reduction)


def absolute_difference(
    labels: Any,
    predictions: Any,
    weights: Any = 1.0,
    scope: Optional[str] = None,
    loss_collection: str = "losses",
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """``|predictions - labels|``, weighted and reduced like ``mean_squared_error``."""
    from ... import abs as abs_

    predictions = convert_to_tensor(predictions)
    labels = convert_to_tensor(labels, dtype=predictions.dtype) if not hasattr(labels, "dtype") else labels
    return compute_weighted_loss(abs_(predictions - labels), weights, scope, loss_collection, reduction)


def get_losses(scope: Optional[str] = None, loss_collection: str = "losses") -> list:
    graph = context.current_graph()
    return graph.get_collection(loss_collection, scope) if graph is not None else []


def get_regularization_losses(scope: Optional[str] = None) -> list:
    graph = context.current_graph()
    return graph.get_collection("regularization_losses", scope) if graph is not None else []


def add_loss(loss: Any, loss_collection: str = "losses") -> None:
    """Adds ``loss`` to ``loss_collection`` (nothing when running eagerly, as in TensorFlow)."""
    graph = context.current_graph()
    if loss_collection and graph is not None:
        graph.add_to_collection(loss_collection, loss)


def get_regularization_loss(scope: Optional[str] = None, name: str = "total_regularization_loss") -> Any:
    """The sum of the REGULARIZATION_LOSSES (0.0 when there are none)."""
    from ... import add_n, constant

    found = get_regularization_losses(scope)
    return add_n(found, name=name) if found else constant(0.0)


def get_total_loss(add_regularization_losses: bool = True, name: str = "total_loss", scope: Optional[str] = None
                   ) -> Any:
    """The sum of the LOSSES collection, plus the REGULARIZATION_LOSSES unless ``add_regularization_losses`` is
    False. ValueError when there is no loss at all (TensorFlow's ``add_n`` of nothing)."""
    from ... import add_n

    found = get_losses(scope)
    if add_regularization_losses:
        found += get_regularization_losses(scope)
    if not found:
        raise ValueError("inputs must be a list of at least one Tensor/IndexedSlices with the same dtype and shape")
    return add_n(found, name=name)

# The cross-entropies, huber, log and hinge losses, in their own file (imported last: they use the above).
from ferroflow._api import public_dir as _public_dir  # noqa: E402

from .losses_more import (  # noqa: E402, F401
    hinge_loss,
    huber_loss,
    log_loss,
    sigmoid_cross_entropy,
    softmax_cross_entropy,
    sparse_softmax_cross_entropy,
)
from .losses_pairwise import cosine_distance, mean_pairwise_squared_error  # noqa: E402, F401

__dir__ = _public_dir(globals(), hidden=("convert_to_tensor",))
