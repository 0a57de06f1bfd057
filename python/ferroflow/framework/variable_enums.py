"""``tf.VariableSynchronization`` and ``tf.VariableAggregation``: how a distribution strategy would keep a
variable's copies in step and combine their updates. Variables record them; on one device they change nothing.
"""

from __future__ import annotations

import enum
from typing import Any, Optional


class VariableSynchronization(enum.Enum):
    """When a distributed variable is synchronized: AUTO (the strategy decides), NONE, ON_WRITE, ON_READ."""

    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregationV2(enum.Enum):
    """How per-replica updates of a distributed variable combine: NONE, SUM, MEAN, ONLY_FIRST_REPLICA."""

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


VariableAggregation = VariableAggregationV2


def resolve(synchronization: Any, aggregation: Any, trainable: Optional[bool], name: Any) -> tuple:
    """(synchronization, aggregation, trainable) after TensorFlow's checks: the enums or None only, and
    variables synchronized ON_READ are not trainable unless asked to be."""
    sync = VariableSynchronization.AUTO if synchronization is None else synchronization
    if not isinstance(sync, VariableSynchronization):
        raise ValueError(f"Invalid variable synchronization mode: {synchronization} for variable: {name}")
    agg = VariableAggregation.NONE if aggregation is None else aggregation
    if not isinstance(agg, VariableAggregationV2):
        raise ValueError(f"Invalid variable aggregation mode: {aggregation} for variable: {name}")
    if trainable is None:
        trainable = sync != VariableSynchronization.ON_READ
    return sync, agg, bool(trainable)
