"""``tf.estimator.ModeKeys``: the mode a ``model_fn`` is called in."""

from __future__ import annotations


class ModeKeys:
    """Standard names for model modes: ``TRAIN``, ``EVAL`` and ``PREDICT`` (``"infer"``)."""

    TRAIN = "train"
    EVAL = "eval"
    PREDICT = "infer"


LOSS_METRIC_KEY = "loss"
AVERAGE_LOSS_METRIC_KEY = "average_loss"
DEFAULT_SERVING_KEY = "serving_default"
