"""``tf.compat.v1.estimator``: ``tf.estimator`` with TensorFlow 1's premade estimators (TF1 optimizers and
defaults) and the ``inputs`` module (``numpy_input_fn``, ``pandas_input_fn``)."""

from ferroflow._api import public_dir as _public_dir

from ...estimator import (  # noqa: F401
    BinaryClassHead,
    CheckpointSaverHook,
    CheckpointSaverListener,
    Estimator,
    EstimatorSpec,
    EvalSpec,
    Exporter,
    FeedFnHook,
    FinalExporter,
    FinalOpsHook,
    GlobalStepWaiterHook,
    Head,
    LatestExporter,
    LoggingTensorHook,
    LogisticRegressionHead,
    ModeKeys,
    MultiClassHead,
    MultiHead,
    MultiLabelHead,
    NanLossDuringTrainingError,
    NanTensorHook,
    PoissonRegressionHead,
    RegressionHead,
    RunConfig,
    SecondOrStepTimer,
    SessionRunArgs,
    SessionRunContext,
    SessionRunHook,
    SessionRunValues,
    StepCounterHook,
    StopAtStepHook,
    SummarySaverHook,
    TrainSpec,
    VocabInfo,
    WarmStartSettings,
    export,
    inputs,  # noqa: F401
    train_and_evaluate,
)
from ...estimator._v1 import (  # noqa: F401
    BaselineClassifier,
    BaselineRegressor,
    DNNClassifier,
    DNNLinearCombinedClassifier,
    DNNLinearCombinedRegressor,
    DNNRegressor,
    LinearClassifier,
    LinearRegressor,
)

__dir__ = _public_dir(globals(), "export", "inputs")
