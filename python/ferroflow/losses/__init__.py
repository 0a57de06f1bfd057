"""``ferroflow.losses`` (``keras.losses``): Keras 3's loss functions and classes, built from ferroflow ops.

Every loss works on eager tensors and on symbolic graph tensors (batch dimension unknown), so the trainer
can put it into its train-step graph.
"""

from .circle_loss import circle
from .classes import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    CategoricalHinge,
    CosineSimilarity,
    Hinge,
    Huber,
    KLDivergence,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
)
from .classes_extra import (
    CTC,
    BinaryFocalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    Circle,
    Dice,
    Tversky,
)
from .ctc_loss import ctc
from .focal import binary_focal_crossentropy, categorical_focal_crossentropy, categorical_generalized_cross_entropy
from .hinges import categorical_hinge, hinge, squared_hinge
from .loss import Loss, LossFunctionWrapper, Reduction
from .overlap import dice, tversky
from .probabilistic import (
    BCE,
    KLD,
    bce,
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    kld,
    kullback_leibler_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from .regression import (
    MAE,
    MAPE,
    MSE,
    MSLE,
    cosine_similarity,
    huber,
    log_cosh,
    logcosh,
    mae,
    mape,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    mse,
    msle,
)
from .serialization import deserialize, get, serialize

ALL_OBJECTS = (
    Loss,
    LossFunctionWrapper,
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    Huber,
    LogCosh,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    KLDivergence,
    Poisson,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    CosineSimilarity,
    mean_squared_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
    huber,
    log_cosh,
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
    kl_divergence,
    poisson,
    hinge,
    squared_hinge,
    categorical_hinge,
    cosine_similarity,
    BinaryFocalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    CTC,
    Dice,
    Tversky,
    Circle,
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
    ctc,
    dice,
    tversky,
    circle,
)
ALL_OBJECTS_DICT = {obj.__name__: obj for obj in ALL_OBJECTS}
ALL_OBJECTS_DICT.update(
    bce=bce, BCE=BCE, kld=kld, KLD=KLD, mae=mae, MAE=MAE, mse=mse, MSE=MSE, mape=mape, MAPE=MAPE, msle=msle, MSLE=MSLE
)
ALL_OBJECTS_DICT["kullback_leibler_divergence"] = kullback_leibler_divergence
ALL_OBJECTS_DICT["logcosh"] = logcosh

__all__ = sorted(ALL_OBJECTS_DICT) + ["Reduction", "ALL_OBJECTS", "ALL_OBJECTS_DICT", "get", "serialize", "deserialize"]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

# Importable but not listed: the lookup tables, the ``bce`` spellings only names resolve to, and the base of
# the function-backed losses.
__dir__ = _public_dir(globals(), hidden=("ALL_OBJECTS", "ALL_OBJECTS_DICT", "BCE", "bce", "LossFunctionWrapper"))
