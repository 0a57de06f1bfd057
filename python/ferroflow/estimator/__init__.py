"""``tf.estimator``: models defined by a ``model_fn`` (or premade), trained, evaluated and exported through
TF1 graphs, sessions, checkpoints and summaries (``tf.compat.v1.estimator`` holds the TF1-default versions)."""

from ferroflow._api import public_dir as _public_dir

from ..compat.v1.basic_hooks import LoggingTensorHook, StepCounterHook, StopAtStepHook
from ..compat.v1.checkpoint_hooks import CheckpointSaverHook, CheckpointSaverListener
from ..compat.v1.hook_timers import SecondOrStepTimer
from ..compat.v1.more_hooks import (
    FeedFnHook,
    FinalOpsHook,
    GlobalStepWaiterHook,
    NanLossDuringTrainingError,
    NanTensorHook,
    SummarySaverHook,
)
from ..compat.v1.session_run_hook import SessionRunArgs, SessionRunContext, SessionRunHook, SessionRunValues
from . import export
from .canned._class_heads import BinaryClassHead, MultiClassHead
from .canned._head_api import Head
from .canned._multi_head import MultiHead
from .canned._multi_label_head import MultiLabelHead
from .canned._regression_heads import LogisticRegressionHead, PoissonRegressionHead, RegressionHead
from .canned.baseline import BaselineClassifier, BaselineRegressor
from .canned.dnn import DNNClassifier, DNNRegressor
from .canned.dnn_linear_combined import DNNLinearCombinedClassifier, DNNLinearCombinedRegressor
from .canned.linear import LinearClassifier, LinearRegressor
from .estimator import Estimator
from .exporter import Exporter, FinalExporter, LatestExporter
from .mode_keys import ModeKeys
from .model_fn import EstimatorSpec
from .run_config import RunConfig
from .training import EvalSpec, TrainSpec, train_and_evaluate
from .warm_start import VocabInfo, WarmStartSettings

__all__ = [
    "BaselineClassifier",
    "BaselineRegressor",
    "BinaryClassHead",
    "CheckpointSaverHook",
    "CheckpointSaverListener",
    "DNNClassifier",
    "DNNLinearCombinedClassifier",
    "DNNLinearCombinedRegressor",
    "DNNRegressor",
    "Estimator",
    "EstimatorSpec",
    "EvalSpec",
    "Exporter",
    "FeedFnHook",
    "FinalExporter",
    "FinalOpsHook",
    "GlobalStepWaiterHook",
    "Head",
    "LatestExporter",
    "LinearClassifier",
    "LinearRegressor",
    "LoggingTensorHook",
    "LogisticRegressionHead",
    "ModeKeys",
    "MultiClassHead",
    "MultiHead",
    "MultiLabelHead",
    "NanLossDuringTrainingError",
    "NanTensorHook",
    "PoissonRegressionHead",
    "RegressionHead",
    "RunConfig",
    "SecondOrStepTimer",
    "SessionRunArgs",
    "SessionRunContext",
    "SessionRunHook",
    "SessionRunValues",
    "StepCounterHook",
    "StopAtStepHook",
    "SummarySaverHook",
    "TrainSpec",
    "VocabInfo",
    "WarmStartSettings",
    "export",
    "train_and_evaluate",
]

__dir__ = _public_dir(globals(), "export")
