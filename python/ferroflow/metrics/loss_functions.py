"""Loss functions that ``keras.metrics`` also exports (focal crossentropies, Huber) and tf.keras's aliases."""

from ..losses.focal import binary_focal_crossentropy, categorical_focal_crossentropy
from ..losses.probabilistic import KLD, kld, kullback_leibler_divergence
from ..losses.regression import huber, logcosh

__all__ = [
    "KLD",
    "binary_focal_crossentropy",
    "categorical_focal_crossentropy",
    "huber",
    "kld",
    "kullback_leibler_divergence",
    "logcosh",
]
