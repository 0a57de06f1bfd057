"""``tf.estimator.export``: serving input receivers and the outputs of exported signatures."""

from ferroflow._api import public_dir as _public_dir

from .export_output import ClassificationOutput, EvalOutput, ExportOutput, PredictOutput, RegressionOutput, TrainOutput
from .receivers import (
    ServingInputReceiver,
    TensorServingInputReceiver,
    build_parsing_serving_input_receiver_fn,
    build_raw_serving_input_receiver_fn,
)

__all__ = [
    "ClassificationOutput",
    "EvalOutput",
    "ExportOutput",
    "PredictOutput",
    "RegressionOutput",
    "ServingInputReceiver",
    "TensorServingInputReceiver",
    "TrainOutput",
    "build_parsing_serving_input_receiver_fn",
    "build_raw_serving_input_receiver_fn",
]

__dir__ = _public_dir(globals())
