"""``tf.compat.v1.layers``' layer classes (``Dense``, ``Conv2D``, ``MaxPooling2D``, ``BatchNormalization``,
``Dropout``, ``Flatten`` ...): objects holding a layer's configuration whose first call creates its
variables, as the functional form does, in a variable scope named after the layer (``dense``, ``dense_1``);
later calls reuse them. ``kernel``, ``bias``, ``variables``, ``trainable_variables`` and ``updates`` are
there as on TF1's layers."""

from __future__ import annotations

from typing import Any, Callable, Optional

from ...framework import context
from . import layers_more as _more
from .layers_conv import average_pooling2d, conv2d, flatten, max_pooling2d
from .layers_norm import batch_normalization, dropout
from .variable_scope import _store, variable_scope


class Layer:
    """The base of the TF1 layer classes: ``layer(inputs)`` builds on the first call, then reuses."""

    _fn: Optional[Callable] = None
    _base = "layer"
    _has_weights = True
    _call_args: tuple = ()

    def __init__(self, trainable: bool = True, name: Optional[str] = None, **config: Any) -> None:
        self.trainable = trainable
        self._name = name
        self._config = config
        self._scope: Any = None
        self._variables: list = []
        self._updates: list = []
        self.built = False

    @property
    def name(self) -> str:
        return self._scope.name.rsplit("/", 1)[-1] if self._scope is not None else (self._name or self._base)

    @property
    def variables(self) -> list:
        return list(self._variables)

    weights = variables

    @property
    def trainable_variables(self) -> list:
        return [v for v in self._variables if v.trainable] if self.trainable else []

    trainable_weights = trainable_variables

    @property
    def non_trainable_variables(self) -> list:
        return [v for v in self._variables if v not in self.trainable_variables]

    non_trainable_weights = non_trainable_variables

    @property
    def updates(self) -> list:
        return list(self._updates)

    @property
    def losses(self) -> list:
        graph = context.current_graph()
        if graph is None or self._scope is None:
            return []
        return graph.get_collection("regularization_losses", self._scope.name)

    def _variable(self, suffix: str) -> Any:
        return next((v for v in self._variables if v.name.split(":")[0].endswith("/" + suffix)), None)

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        extra = dict(zip(self._call_args, args))
        extra.update(kwargs)
        fn = type(self)._fn
        if not self._has_weights:
            return fn(inputs, **self._config, **extra, name=self._name)
        graph = context.current_graph()
        before = list(graph.get_collection("update_ops")) if graph is not None else []
        if self._scope is None:
            with variable_scope(self._name, default_name=self._base) as scope:
                self._scope = scope
            out = fn(inputs, **self._config, **extra, trainable=self.trainable, name=scope)
            prefix = scope.name + "/"
            self._variables = [v for key, v in _store().variables.items() if key.startswith(prefix)]
            self.built = True
        else:
            out = fn(inputs, **self._config, **extra, trainable=self.trainable, name=self._scope, reuse=True)
        if graph is not None:
            self._updates += [u for u in graph.get_collection("update_ops") if all(u is not b for b in before)]
        return out

    apply = __call__


def _layer(fn: Callable, base: str, has_weights: bool = True, call_args: tuple = (), doc: str = "") -> type:
    def attribute(suffix: str) -> property:
        return property(lambda self: self._variable(suffix))

    namespace = {
        "_fn": staticmethod(fn),
        "_base": base,
        "_has_weights": has_weights,
        "_call_args": call_args,
        "__doc__": doc or f"The layer form of ``tf.compat.v1.layers.{fn.__name__}``.",
        "__module__": __name__,
    }
    for suffix in (
        "kernel",
        "bias",
        "depthwise_kernel",
        "pointwise_kernel",
        "gamma",
        "beta",
        "moving_mean",
        "moving_variance",
    ):
        namespace[suffix] = attribute(suffix)
    return namespace


def _class(name: str, fn: Callable, base: str, has_weights: bool = True, call_args: tuple = ()) -> type:
    cls = type(name, (Layer,), _layer(fn, base, has_weights, call_args))
    cls.__qualname__ = name
    return cls


def _dense(inputs: Any, units: int, **kwargs: Any) -> Any:
    from .layers import dense

    return dense(inputs, units, **kwargs)


def _positional(fn: Callable, *names: str) -> Callable:
    """A class's constructor arguments given positionally, in TF1's order, as keywords of ``fn``."""

    def init(self: Layer, *args: Any, trainable: bool = True, name: Optional[str] = None, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__} takes at most {len(names)} positional arguments")
        kwargs.update(zip(names, args))
        kwargs.pop("dtype", None)
        Layer.__init__(self, trainable=trainable, name=name, **kwargs)

    return init


def _make(name: str, fn: Callable, base: str, names: tuple, has_weights: bool = True, call_args: tuple = ()) -> type:
    cls = _class(name, fn, base, has_weights, call_args)
    cls.__init__ = _positional(fn, *names)
    return cls


Dense = _make("Dense", _dense, "dense", ("units", "activation", "use_bias"))
Conv1D = _make("Conv1D", _more.conv1d, "conv1d", ("filters", "kernel_size", "strides", "padding"))
Conv2D = _make("Conv2D", conv2d, "conv2d", ("filters", "kernel_size", "strides", "padding"))
Conv3D = _make("Conv3D", _more.conv3d, "conv3d", ("filters", "kernel_size", "strides", "padding"))
Conv2DTranspose = _make(
    "Conv2DTranspose", _more.conv2d_transpose, "conv2d_transpose", ("filters", "kernel_size", "strides", "padding")
)
Conv3DTranspose = _make(
    "Conv3DTranspose", _more.conv3d_transpose, "conv3d_transpose", ("filters", "kernel_size", "strides", "padding")
)
SeparableConv1D = _make(
    "SeparableConv1D", _more.separable_conv1d, "separable_conv1d", ("filters", "kernel_size", "strides", "padding")
)
SeparableConv2D = _make(
    "SeparableConv2D", _more.separable_conv2d, "separable_conv2d", ("filters", "kernel_size", "strides", "padding")
)
BatchNormalization = _make(
    "BatchNormalization",
    batch_normalization,
    "batch_normalization",
    ("axis", "momentum", "epsilon"),
    call_args=("training",),
)
_POOL = ("pool_size", "strides", "padding", "data_format")
MaxPooling1D = _make("MaxPooling1D", _more.max_pooling1d, "max_pooling1d", _POOL, has_weights=False)
MaxPooling2D = _make("MaxPooling2D", max_pooling2d, "max_pooling2d", _POOL, has_weights=False)
MaxPooling3D = _make("MaxPooling3D", _more.max_pooling3d, "max_pooling3d", _POOL, has_weights=False)
AveragePooling1D = _make("AveragePooling1D", _more.average_pooling1d, "average_pooling1d", _POOL, has_weights=False)
AveragePooling2D = _make("AveragePooling2D", average_pooling2d, "average_pooling2d", _POOL, has_weights=False)
AveragePooling3D = _make("AveragePooling3D", _more.average_pooling3d, "average_pooling3d", _POOL, has_weights=False)
Dropout = _make(
    "Dropout", dropout, "dropout", ("rate", "noise_shape", "seed"), has_weights=False, call_args=("training",)
)
Flatten = _make("Flatten", flatten, "flatten", ("data_format",), has_weights=False)
