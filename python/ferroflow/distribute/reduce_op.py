"""``tf.distribute.ReduceOp``: how values from the replicas combine (summed or averaged)."""

from __future__ import annotations

import enum
from typing import Any


class ReduceOp(enum.Enum):
    """``SUM`` adds the replicas' values; ``MEAN`` averages them."""

    SUM = "SUM"
    MEAN = "MEAN"

    @staticmethod
    def from_variable_aggregation(aggregation: Any) -> ReduceOp:
        """The reduction a ``tf.VariableAggregation`` of SUM or MEAN stands for."""
        from ..framework.variable_enums import VariableAggregation

        mapping = {VariableAggregation.SUM: ReduceOp.SUM, VariableAggregation.MEAN: ReduceOp.MEAN}
        if aggregation not in mapping:
            raise ValueError(
                f"Could not convert from `tf.VariableAggregation` {aggregation} to`tf.distribute.ReduceOp` type"
            )
        return mapping[aggregation]


def as_reduce_op(reduce_op: Any) -> ReduceOp:
    """A ``ReduceOp`` from itself or its name (``"SUM"``, ``"mean"``), as strategies accept both."""
    if isinstance(reduce_op, ReduceOp):
        return reduce_op
    if isinstance(reduce_op, str):
        return ReduceOp(reduce_op.upper())  # ValueError: 'BAD' is not a valid ReduceOp
    raise ValueError(f"reduce_op must be a tf.distribute.ReduceOp or its name ('SUM', 'MEAN'), received {reduce_op!r}")
