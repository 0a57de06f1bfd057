"""ferroflow: the TensorFlow/Keras programming model over a fast Rust core.

``import ferroflow as tf`` gives TensorFlow 2's everyday names. Heavy submodules (``keras``,
``compat``, ``datasets`` ...) load on first use, so the import itself stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

from ferroflow._api import public_dir as _public_dir

from .framework.composite_specs import RaggedTensorSpec, SparseTensorSpec
from .framework.context import eager_scope as init_scope
from .framework.context import executing_eagerly, name_scope
from .framework.control_flow_deps import control_dependencies
from .framework.custom_gradient import custom_gradient, recompute_grad
from .framework.device import device
from .framework.device_spec import DeviceSpec
from .framework.dtypes import (
    DType,
    as_dtype,
    bfloat16,
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    string,
    uint8,
    uint16,
    uint32,
    uint64,
)
from .framework.dtypes import bool_ as bool
from .framework.function import function
from .framework.graph import Graph
from .framework.graph_constants import convert_to_tensor
from .framework.indexed_slices import IndexedSlices, IndexedSlicesSpec
from .framework.module import Module
from .framework.ragged_tensor import RaggedTensor
from .framework.sparse_tensor import SparseTensor
from .framework.tape import GradientTape
from .framework.tensor import Tensor
from .framework.tensor_shape import TensorShape
from .framework.tensor_spec import TensorSpec
from .framework.type_spec import TypeSpec, type_spec_from_value
from .framework.unconnected import UnconnectedGradients
from .framework.variables import Variable
from .ops.exports import EXPORTS as _OP_EXPORTS

__version__ = "0.1.0"

# Submodules loaded on first attribute access.
_SUBMODULES = {
    "keras",
    "autograph",
    "compat",
    "config",
    "data",
    "datasets",
    "distribute",
    "math",
    "nn",
    "random",
    "linalg",
    "nest",
    "errors",
    "train",
    "losses",
    "metrics",
    "optimizers",
    "initializers",
    "activations",
    "callbacks",
    "constraints",
    "layers",
    "models",
    "utils",
    "saving",
    "dtypes",
    "profiler",
    "summary",
    "debugging",
    "experimental",
    "estimator",
    "feature_column",
    "version",
    "ragged",
    "sparse",
    "autodiff",
    "image",
    "strings",
    "io",
    "saved_model",
    "bitwise",
    "sets",
    "audio",
    "lookup",
    "queue",
    "signal",
    "test",
}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    target = _OP_EXPORTS.get(name)
    if target is not None:
        module = importlib.import_module(f".ops.{target}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ferroflow' has no attribute '{name}'")


# ``saving`` is the archive format behind ``keras.saving``: importable, but not a TensorFlow namespace.
__dir__ = _public_dir(globals(), *_SUBMODULES, names=_OP_EXPORTS, hidden=("saving",))


del annotations
