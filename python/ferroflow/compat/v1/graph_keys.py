"""TF1's graph collections: ``GraphKeys`` and ``add_to_collection`` / ``get_collection`` / ``get_collection_ref``.

A collection is a named list kept by the graph. Variables join ``GLOBAL_VARIABLES`` (or the collections
given to them) and ``TRAINABLE_VARIABLES``; losses, summaries, update ops, the global step and savers
join theirs, and the training machinery (``Scaffold``, ``merge_all``, ``get_total_loss``) reads them.
"""

from __future__ import annotations

from typing import Any, Optional

from ...framework import context


class GraphKeys:
    """The standard collection names (TensorFlow's values)."""

    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"
    VARIABLES = "variables"  # TF1's old name of GLOBAL_VARIABLES


def _graph() -> Any:
    return context.get_default_graph()


def add_to_collection(name: str, value: Any) -> None:
    """Adds ``value`` to the default graph's collection ``name``."""
    _graph().add_to_collection(name, value)


def add_to_collections(names: Any, value: Any) -> None:
    """Adds ``value`` to each of the default graph's collections ``names`` (a name or a list of names)."""
    _graph().add_to_collections(names, value)


def get_collection(key: str, scope: Optional[str] = None) -> list:
    """A copy of the default graph's collection ``key``, filtered by ``scope`` (``re.match`` on names)."""
    return _graph().get_collection(key, scope)


def get_collection_ref(key: str) -> list:
    """The default graph's collection ``key`` itself: appending to the list adds to the collection."""
    return _graph().get_collection_ref(key)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
