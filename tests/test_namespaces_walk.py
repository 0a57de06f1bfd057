"""Every public module reachable from ``tf`` lists its API and nothing else.

The walk follows the modules ``dir()`` lists, from ``tf`` down. For each name a module lists: it resolves; it
is not private; it is not a typing helper; a module must be one of the public modules below; a class or
function must be ferroflow's own, unless TensorFlow lists that very name in the same module; and the core
framework objects every file imports (``Tensor``, ``convert_to_tensor``, ``Variable``, dtypes ...) may only
show where TensorFlow lists them too.
"""

import types

import pytest

import ferroflow as tf

# Every public module, by the path users reach it under.
PUBLIC_MODULES = {
    "tf",
    "tf.activations",
    "tf.audio",
    "tf.autodiff",
    "tf.autograph",
    "tf.autograph.experimental",
    "tf.bitwise",
    "tf.callbacks",
    "tf.compat",
    "tf.compat.v1",
    "tf.compat.v1.app",
    "tf.compat.v1.app.flags",
    "tf.compat.v1.data",
    "tf.compat.v1.debugging",
    "tf.compat.v1.debugging.experimental",
    "tf.compat.v1.data.experimental",
    "tf.compat.v1.estimator",
    "tf.compat.v1.estimator.export",
    "tf.compat.v1.estimator.inputs",
    "tf.compat.v1.flags",
    "tf.compat.v1.gfile",
    "tf.compat.v1.image",
    "tf.compat.v1.initializers",
    "tf.compat.v1.io",
    "tf.compat.v1.io.gfile",
    "tf.compat.v1.layers",
    "tf.compat.v1.lookup",
    "tf.compat.v1.logging",
    "tf.compat.v1.lookup.experimental",
    "tf.compat.v1.losses",
    "tf.compat.v1.math",
    "tf.compat.v1.math.special",
    "tf.compat.v1.nn",
    "tf.compat.v1.nn.rnn_cell",
    "tf.compat.v1.metrics",
    "tf.compat.v1.queue",
    "tf.compat.v1.random",
    "tf.compat.v1.saved_model",
    "tf.compat.v1.saved_model.builder",
    "tf.compat.v1.saved_model.loader",
    "tf.compat.v1.saved_model.main_op",
    "tf.compat.v1.saved_model.signature_constants",
    "tf.compat.v1.saved_model.signature_def_utils",
    "tf.compat.v1.saved_model.tag_constants",
    "tf.compat.v1.saved_model.utils",
    "tf.compat.v1.strings",
    "tf.compat.v1.summary",
    "tf.compat.v1.train",
    "tf.compat.v1.train.queue_runner",
    "tf.compat.v2",
    "tf.config",
    "tf.constraints",
    "tf.data",
    "tf.data.experimental",
    "tf.datasets",
    "tf.datasets.fashion_mnist",
    "tf.datasets.mnist",
    "tf.debugging",
    "tf.debugging.experimental",
    "tf.distribute",
    "tf.distribute.experimental",
    "tf.dtypes",
    "tf.errors",
    "tf.estimator",
    "tf.estimator.export",
    "tf.experimental",
    "tf.experimental.numpy",
    "tf.experimental.numpy.random",
    "tf.feature_column",
    "tf.image",
    "tf.initializers",
    "tf.io",
    "tf.io.gfile",
    "tf.keras",
    "tf.keras.activations",
    "tf.keras.applications",
    "tf.keras.applications.densenet",
    "tf.keras.applications.efficientnet",
    "tf.keras.applications.imagenet_utils",
    "tf.keras.applications.inception_v3",
    "tf.keras.applications.mobilenet",
    "tf.keras.applications.mobilenet_v2",
    "tf.keras.applications.resnet",
    "tf.keras.applications.resnet50",
    "tf.keras.applications.resnet_v2",
    "tf.keras.applications.vgg16",
    "tf.keras.applications.vgg19",
    "tf.keras.applications.xception",
    "tf.keras.backend",
    "tf.keras.callbacks",
    "tf.keras.config",
    "tf.keras.constraints",
    "tf.keras.datasets",
    "tf.keras.datasets.cifar10",
    "tf.keras.datasets.cifar100",
    "tf.keras.datasets.fashion_mnist",
    "tf.keras.datasets.imdb",
    "tf.keras.datasets.mnist",
    "tf.keras.datasets.reuters",
    "tf.keras.export",
    "tf.keras.initializers",
    "tf.keras.layers",
    "tf.keras.losses",
    "tf.keras.metrics",
    "tf.keras.mixed_precision",
    "tf.keras.models",
    "tf.keras.ops",
    "tf.keras.ops.image",
    "tf.keras.ops.linalg",
    "tf.keras.ops.nn",
    "tf.keras.ops.numpy",
    "tf.keras.optimizers",
    "tf.keras.optimizers.schedules",
    "tf.keras.preprocessing",
    "tf.keras.preprocessing.image",
    "tf.keras.preprocessing.sequence",
    "tf.keras.random",
    "tf.keras.regularizers",
    "tf.keras.saving",
    "tf.keras.utils",
    "tf.layers",
    "tf.linalg",
    "tf.lookup",
    "tf.lookup.experimental",
    "tf.losses",
    "tf.math",
    "tf.math.special",
    "tf.metrics",
    "tf.models",
    "tf.nest",
    "tf.nn",
    "tf.optimizers",
    "tf.optimizers.schedules",
    "tf.profiler",
    "tf.test",
    "tf.queue",
    "tf.ragged",
    "tf.random",
    "tf.saved_model",
    "tf.sets",
    "tf.signal",
    "tf.sparse",
    "tf.strings",
    "tf.summary",
    "tf.summary.experimental",
    "tf.train",
    "tf.utils",
    "tf.version",
}

# Where the module's names come from when they are ferroflow's: the package and the native module.
OWN_PACKAGES = {"ferroflow", "_core"}
TYPING_MODULES = {"typing", "typing_extensions", "collections.abc", "__future__"}
# Values of outside types that TensorFlow lists in the same place (checked against TF 2.21 by hand).
OUTSIDE_VALUES_TF_LISTS = {("tf.config", "experimental"), ("tf.config", "threading")}
# Framework objects (``ferroflow.framework``) TensorFlow lists in these modules too (checked by hand).
FRAMEWORK_NAMES_TF_LISTS = {
    "tf.autodiff": {"ForwardAccumulator", "GradientTape"},
    "tf.experimental.numpy": {"ndarray"},  # TensorFlow's ND array is tf.Tensor
    "tf.compat.v1": {"Graph", "Variable"}
    | {"DType", "GradientTape", "Module", "RaggedTensor", "RaggedTensorSpec", "SparseTensor", "SparseTensorSpec"}
    | {"Tensor", "TensorShape", "TensorSpec", "UnconnectedGradients", "VariableAggregation"}
    | {"VariableSynchronization", "as_dtype", "control_dependencies", "custom_gradient", "device", "function"}
    | {"init_scope", "name_scope", "recompute_grad", "bool", "double", "string", "complex64", "complex128"}
    | {"float32", "float64"}
    | {f"{kind}{bits}" for kind in ("int", "uint") for bits in (8, 16, 32, 64)},
    "tf.config": {
        "experimental_functions_run_eagerly",
        "experimental_run_functions_eagerly",
        "functions_run_eagerly",
        "run_functions_eagerly",
    },
    "tf.dtypes": {"DType", "as_dtype", "bool", "double", "string"}
    | {f"{kind}{bits}" for kind in ("int", "uint") for bits in (8, 16, 32, 64)}
    | {"float16", "bfloat16", "half", "float32", "float64", "complex64", "complex128"},
    "tf.keras": {"Variable"},
    "tf.keras.ops": {"convert_to_tensor"},
    "tf.nest": {"flatten", "is_nested", "map_structure", "pack_sequence_as"},
    "tf.sparse": {"SparseTensor", "from_dense"},
}


def walk():
    """``{path: module}`` for every module reachable through ``dir()``, every alias path included."""
    found, queue, descended = {}, [("tf", tf)], set()
    while queue:
        path, module = queue.pop(0)
        found[path] = module
        if id(module) in descended:
            continue
        descended.add(id(module))
        for name in dir(module):
            value = getattr(module, name)
            if isinstance(value, types.ModuleType):
                queue.append((f"{path}.{name}", value))
    return found


MODULES = walk()


def root(module_name):
    return str(module_name).split(".")[0]


def problems_in(path, module):
    """What is wrong with the names ``dir(module)`` lists, as ``name: reason``."""
    bad = {}
    for name in dir(module):
        try:
            value = getattr(module, name)
        except AttributeError:
            bad[name] = "listed but does not resolve"
            continue
        origin = getattr(value, "__module__", None)
        if name.startswith("_"):
            bad[name] = "private"
        elif isinstance(value, types.ModuleType):
            if root(value.__name__) != "ferroflow" or not any(value is MODULES.get(p) for p in PUBLIC_MODULES):
                bad[name] = f"module {value.__name__} is not a public submodule"
        elif origin in TYPING_MODULES or type(value).__module__ in TYPING_MODULES:
            bad[name] = "typing helper"
        elif isinstance(value, (type, types.FunctionType, types.BuiltinFunctionType)):
            if root(origin) not in OWN_PACKAGES:
                bad[name] = f"imported from {origin}"
            elif str(origin).startswith("ferroflow.framework.") and module is not tf:
                if name not in FRAMEWORK_NAMES_TF_LISTS.get(path, ()):
                    bad[name] = f"framework object from {origin}"
        elif root(type(value).__module__) not in OWN_PACKAGES | {"builtins"}:
            if (path, name) not in OUTSIDE_VALUES_TF_LISTS:
                bad[name] = f"a {type(value).__module__}.{type(value).__name__} value"
        elif type(value).__module__.startswith("ferroflow.framework.") and module is not tf:
            if name not in FRAMEWORK_NAMES_TF_LISTS.get(path, ()):
                bad[name] = f"a {type(value).__name__} from {type(value).__module__}"
    return bad


def test_the_walk_reaches_every_public_module_and_only_those():
    assert set(MODULES) == PUBLIC_MODULES


@pytest.mark.parametrize("path", sorted(PUBLIC_MODULES))
def test_module_lists_only_its_api(path):
    module = MODULES[path]
    assert "__dir__" in vars(module), f"{path} has no __dir__"
    assert not problems_in(path, module)


def test_the_check_catches_leaks():
    fake = types.ModuleType("ferroflow.fake")
    fake.Any = __import__("typing").Any
    fake.np = __import__("numpy")
    fake.ndarray = __import__("numpy").ndarray
    fake.Tensor = tf.Tensor
    fake.float32 = tf.float32
    fake.helper = lambda: None
    fake._hidden = 1
    fake.__dir__ = lambda: ["Any", "np", "ndarray", "Tensor", "float32", "helper", "_hidden", "missing"]
    found = problems_in("tf.fake", fake)
    assert set(found) == {"Any", "np", "ndarray", "Tensor", "float32", "helper", "_hidden", "missing"}


def test_names_kept_importable_but_not_listed():
    schedules = tf.keras.optimizers.schedules
    assert {"Tensor", "convert_to_tensor"}.isdisjoint(dir(schedules))
    assert schedules.Tensor is tf.Tensor and schedules.convert_to_tensor is tf.convert_to_tensor
    assert "bool" in dir(tf.dtypes) and tf.dtypes.bool is tf.bool and tf.dtypes.bool_ is tf.bool
    assert "bool_" not in dir(tf.dtypes)
    assert "compute_fans" not in dir(tf.keras.initializers)
    assert tf.keras.initializers.compute_fans((3, 5)) == (3, 5)
    assert "KerasTensor" not in dir(tf.keras.layers) and "KerasTensor" in dir(tf.keras)
    assert tf.keras.layers.KerasTensor is tf.keras.KerasTensor
    assert {"SimpleNamespace", "dataclass"}.isdisjoint(dir(tf.config))
    assert {"relu", "softmax", "convert_to_tensor"}.isdisjoint(dir(tf.experimental.numpy))
    assert tf.experimental.numpy.relu is not None
