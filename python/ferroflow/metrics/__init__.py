"""``ferroflow.metrics`` (``keras.metrics``): Keras 3's metrics as running totals of per-batch terms.

Every metric's ``_batch_terms`` is built from ferroflow ops, so the trainer computes it inside its
train-step graph; ``update_state``/``result``/``reset_state`` give the usual eager API.
"""

from .accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from .auc import AUC
from .base import Mean, MeanMetricWrapper, Metric, Sum
from .confusion_metrics import FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives
from .correlation_metrics import (
    ConcordanceCorrelation,
    PearsonCorrelation,
    concordance_correlation,
    pearson_correlation,
)
from .f_score_metrics import F1Score, FBetaScore
from .iou_metrics import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from .loss_functions import (
    KLD,
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
    huber,
    kld,
    kullback_leibler_divergence,
    logcosh,
)
from .probabilistic_metrics import (
    BCE,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    CategoricalHinge,
    Hinge,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
    bce,
    binary_crossentropy,
    categorical_crossentropy,
    categorical_hinge,
    hinge,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from .r2_score import R2Score
from .regression_metrics import (
    MAE,
    MAPE,
    MSE,
    MSLE,
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
    cosine_similarity,
    log_cosh,
    mae,
    mape,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    mse,
    msle,
)
from .resolve import deserialize, get, resolve_for_loss, serialize
from .threshold_metrics import (
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)

ALL_OBJECTS = (
    Metric,
    Mean,
    Sum,
    MeanMetricWrapper,
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
    CosineSimilarity,
    LogCoshError,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    KLDivergence,
    Poisson,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    Precision,
    Recall,
    TruePositives,
    FalsePositives,
    TrueNegatives,
    FalseNegatives,
    AUC,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    top_k_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    mean_squared_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
    cosine_similarity,
    log_cosh,
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
    kl_divergence,
    poisson,
    hinge,
    squared_hinge,
    categorical_hinge,
    R2Score,
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    ConcordanceCorrelation,
    PearsonCorrelation,
    F1Score,
    FBetaScore,
    IoU,
    BinaryIoU,
    MeanIoU,
    OneHotIoU,
    OneHotMeanIoU,
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
    concordance_correlation,
    pearson_correlation,
    huber,
)
ALL_OBJECTS_DICT = {obj.__name__: obj for obj in ALL_OBJECTS}
ALL_OBJECTS_DICT.update(
    bce=bce, BCE=BCE, mse=mse, MSE=MSE, mae=mae, MAE=MAE, mape=mape, MAPE=MAPE, msle=msle, MSLE=MSLE
)
# tf.keras's spellings.
ALL_OBJECTS_DICT.update(kld=kld, KLD=KLD, kullback_leibler_divergence=kullback_leibler_divergence, logcosh=logcosh)

__all__ = sorted(ALL_OBJECTS_DICT) + ["ALL_OBJECTS", "ALL_OBJECTS_DICT", "get", "serialize", "deserialize",
                                      "resolve_for_loss"]


def _snake_case_names() -> dict:
    """Keras's snake-case names of the metric classes (``"auc"``, ``"f1_score"``), where no function has the name."""
    from ..layers._util import to_snake_case

    classes = [obj for obj in ALL_OBJECTS if isinstance(obj, type)]
    return {to_snake_case(c.__name__): c for c in classes if to_snake_case(c.__name__) not in ALL_OBJECTS_DICT}


# Looked up by name only (not attributes of the module).
ALL_OBJECTS_DICT.update(_snake_case_names())

from ferroflow._api import public_dir as _public_dir  # noqa: E402

# Importable but not listed: the lookup tables, the ``bce`` spellings only names resolve to, and the helper
# ``compile`` uses to pick a metric for a loss.
__dir__ = _public_dir(globals(), hidden=("ALL_OBJECTS", "ALL_OBJECTS_DICT", "BCE", "bce", "resolve_for_loss"))
del _snake_case_names
