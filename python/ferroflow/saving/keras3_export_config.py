"""ferroflow's model config written as Keras 3's ``config.json``: the inverse of :mod:`.keras3_config`.

Keras 3 describes each object as ``{"module", "class_name", "config", "registered_name"}``; a functional
model lists, with each layer, its calls as ``inbound_nodes`` whose tensor arguments are
``__keras_tensor__`` dicts (``shape``, ``dtype``, ``keras_history``); a layer's dtype is a
``DTypePolicy`` dict (an ``InputLayer``'s stays a name), and initializers, regularizers and
constraints live in the ``keras.*`` modules. :func:`to_keras3_config` produces that from
``layers.serialize(model)``. A model that Keras 3 could not rebuild the same way (a layer class outside
:data:`KERAS_LAYERS`, a custom object, a subclassed model, an argument Keras does not encode like
this) raises :class:`NotKerasExpressible`.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ..framework.dtypes import as_dtype

__all__ = ["KERAS_LAYERS", "NotKerasExpressible", "to_keras3_config"]

# Layer classes whose constructor arguments and weights (their own variables, in order) are the same in
# ferroflow and Keras 3. Layers with other state (random-augmentation seed generators, nested sub-layers)
# or Python code (Lambda) are not written for Keras; the weights of MultiHeadAttention and of the recurrent
# layers and wrappers, sub-layers' in Keras, are laid out by saving/keras3_nested.py, the preprocessing
# layers' state (vocabularies, adapted statistics) by saving/keras3_layer_state.py.
KERAS_LAYERS = frozenset(
    """
    Activation ActivityRegularization AdaptiveAveragePooling1D AdaptiveAveragePooling2D
    AdaptiveAveragePooling3D AdaptiveMaxPooling1D AdaptiveMaxPooling2D AdaptiveMaxPooling3D Add
    AdditiveAttention Attention Average AveragePooling1D AveragePooling2D AveragePooling3D
    BatchNormalization CenterCrop Concatenate Conv1D Conv1DTranspose Conv2D Conv2DTranspose Conv3D
    Conv3DTranspose Cropping1D Cropping2D Cropping3D Dense DepthwiseConv1D DepthwiseConv2D Dot Dropout ELU
    Embedding Flatten GaussianDropout GaussianNoise GlobalAveragePooling1D GlobalAveragePooling2D
    GlobalAveragePooling3D GlobalMaxPooling1D GlobalMaxPooling2D GlobalMaxPooling3D GroupNormalization
    InputLayer LayerNormalization LeakyReLU Masking MaxPooling1D MaxPooling2D MaxPooling3D Maximum Minimum
    MultiHeadAttention Multiply PReLU Permute ReLU RepeatVector Rescaling Reshape Resizing SeparableConv1D
    SeparableConv2D Softmax SpatialDropout1D SpatialDropout2D SpatialDropout3D Subtract UnitNormalization
    UpSampling1D UpSampling2D UpSampling3D ZeroPadding1D ZeroPadding2D ZeroPadding3D
    Bidirectional ConvLSTM1D ConvLSTM2D ConvLSTM3D GRU LSTM RNN SimpleRNN TimeDistributed
    CategoryEncoding Discretization Hashing IntegerLookup Normalization StringLookup TextVectorization
    """.split()
)

_OBJECT_KINDS = ("initializers", "regularizers", "constraints")
# Keras's config of these has no ``trainable`` and keeps ``dtype`` a plain name.
_PLAIN_CONFIG = frozenset({"Discretization", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"})


class NotKerasExpressible(ValueError):
    """The model holds something Keras 3's ``.keras`` format cannot describe the same way."""


def to_keras3_config(model: Any, config: Dict[str, Any]) -> Dict[str, Any]:
    """Keras 3's ``config.json`` dict for ``model``, whose ferroflow config is ``config``.

    ``config`` is ``layers.serialize(model)``, optionally with top-level ``build_config`` and
    ``compile_config`` entries (both carried over as they are).

    Raises:
        NotKerasExpressible: the model cannot be described in Keras 3's format.
    """
    out = _model(model, config)
    for key in ("build_config", "compile_config"):
        if config.get(key) is not None:
            out[key] = _value(config[key], f"the model's {key}")
    return out


def _model(model: Any, entry: Dict[str, Any]) -> Dict[str, Any]:
    class_name, inner = entry.get("class_name"), entry.get("config") or {}
    if class_name == "Sequential":
        layers = [_layer(sub, e) for sub, e in zip(_sequential_layers(model, inner), inner["layers"])]
        config = {"name": inner["name"], "trainable": inner.get("trainable", True)}
        config.update(dtype=_policy("float32"), layers=layers)
        if inner.get("build_input_shape") is not None:
            config["build_input_shape"] = inner["build_input_shape"]
        return {"module": "keras", "class_name": "Sequential", "config": config, "registered_name": None}
    if class_name in ("Model", "Functional") and "calls" in inner and entry.get("module") == "keras.layers":
        return {
            "module": "keras.src.models.functional",
            "class_name": "Functional",
            "config": _functional(model, inner),
            "registered_name": "Functional",
        }
    raise NotKerasExpressible(
        f"model '{model.name}' ({type(model).__name__}) is not a Sequential or functional model of Keras layers"
    )


def _sequential_layers(model: Any, inner: Dict[str, Any]) -> List[Any]:
    """The layer objects in the order of ``inner["layers"]`` (which may start with an InputLayer)."""
    layers = list(model.layers)
    entries = inner.get("layers") or []
    if len(entries) == len(layers) + 1 and entries[0].get("class_name") == "InputLayer":
        return [None, *layers]
    if len(entries) != len(layers):
        raise NotKerasExpressible(f"Sequential model '{model.name}': its config and its layers differ")
    return layers


def _functional(model: Any, inner: Dict[str, Any]) -> Dict[str, Any]:
    specs = _tensor_specs(model)
    nodes: Dict[str, List[dict]] = {}
    for call in inner["calls"]:
        args = _tensors(call["args"], specs)
        kwargs = _tensors(call.get("kwargs") or {}, specs)
        nodes.setdefault(call["layer"], []).append({"args": args, "kwargs": kwargs})
    layers = []
    for entry in inner["layers"]:
        name = entry.get("name") or (entry.get("config") or {}).get("name")
        if str(entry.get("module") or "").startswith("keras.src.ops"):  # an operation (``x + y``): as Keras
            out = {k: _value(v, f"operation '{name}'") for k, v in entry.items() if k != "name"}
        else:
            out = _layer(model.get_layer(name), {k: v for k, v in entry.items() if k != "name"})
        out.update(name=name, inbound_nodes=nodes.get(name, []))
        layers.append(out)
    return {
        "name": inner["name"],
        "trainable": inner.get("trainable", True),
        "layers": layers,
        "input_layers": inner["input_layers"],
        "output_layers": inner["output_layers"],
    }


def _tensor_specs(model: Any) -> Dict[Tuple[str, int, int], Tuple[list, str]]:
    """``(layer name, node index within the model, tensor index)`` -> the output's (shape, dtype)."""
    from ..framework import nest
    from ..models.functional import _local_index

    nodes = list(getattr(model, "_nodes", None) or [])
    local = _local_index(nodes)
    specs = {}
    for node in nodes:
        for i, t in enumerate(nest.flatten(node.outputs)):
            shape = [None if d is None else int(d) for d in t.shape]
            specs[(node.layer.name, local[id(node)], i)] = (shape, as_dtype(t.dtype).name)
    return specs


def _tensors(x: Any, specs: Dict[Tuple[str, int, int], Tuple[list, str]]) -> Any:
    if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
        history = list(x["config"]["keras_history"])
        spec = specs.get(tuple(history))
        if spec is None:
            raise NotKerasExpressible(f"a layer call uses the unknown tensor {history}")
        return {
            "class_name": "__keras_tensor__",
            "config": {"shape": spec[0], "dtype": spec[1], "keras_history": history},
        }
    if isinstance(x, dict):
        return {k: _tensors(v, specs) for k, v in x.items()}
    if isinstance(x, list):
        return [_tensors(v, specs) for v in x]
    return _value(x, "a layer call's argument")


def _layer(layer: Any, entry: Dict[str, Any]) -> Dict[str, Any]:
    class_name = entry.get("class_name")
    inner = entry.get("config") or {}
    if class_name in ("Sequential", "Model", "Functional") and layer is not None:
        return _model(layer, entry)
    if class_name not in KERAS_LAYERS or entry.get("module") != "keras.layers":
        raise NotKerasExpressible(
            f"layer '{inner.get('name')}' ({class_name}, module {entry.get('module')!r}) is not written for Keras 3"
        )
    where = f"layer '{inner.get('name')}' ({class_name})"
    config = {}
    for key, value in inner.items():
        if class_name in _PLAIN_CONFIG and key == "trainable":
            if value is not True:
                raise NotKerasExpressible(f"{where}: Keras's {class_name} has no `trainable` argument")
            continue
        if key == "dtype" and class_name not in _PLAIN_CONFIG | {"InputLayer"} and isinstance(value, (str, dict)):
            config[key] = _policy(value if isinstance(value, str) else value.get("config", {}).get("name", "float32"))
        else:
            config[key] = _value(value, f"{where}: argument {key}")
    out = {"module": "keras.layers", "class_name": class_name, "config": config, "registered_name": None}
    return out


def _policy(name: str) -> Dict[str, Any]:
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": name}, "registered_name": None}


def _value(value: Any, where: str) -> Any:
    """A config value in Keras 3's encoding: built-in initializers/regularizers/constraints in ``keras.*``."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_value(v, where) for v in value]
    if not isinstance(value, dict):
        raise NotKerasExpressible(f"{where}: {value!r:.80} has no JSON form")
    if "class_name" in value and isinstance(value.get("config"), dict) and "module" in value:
        return _keras_object(value, where)
    return {str(k): _value(v, where) for k, v in value.items()}


def _keras_object(value: Dict[str, Any], where: str) -> Dict[str, Any]:
    import importlib

    module, class_name = str(value.get("module") or ""), value["class_name"]
    if module == "keras" and class_name in ("DTypePolicy", "FloatDTypePolicy"):  # a nested layer's dtype
        return _policy(str(value["config"].get("name", "float32")))
    config = {k: _value(v, where) for k, v in value["config"].items()}
    for kind in _OBJECT_KINDS:
        if module in (f"keras.{kind}", f"ferroflow.{kind}") or module.startswith(f"ferroflow.{kind}."):
            table = importlib.import_module(f"ferroflow.{kind}")._TABLE
            if value.get("registered_name") or class_name not in table.objects:
                break
            return {"module": f"keras.{kind}", "class_name": class_name, "config": config, "registered_name": None}
    else:
        if module.startswith("keras.") and not value.get("registered_name"):
            return {**value, "config": config}  # optimizers, schedules, losses, metrics: already Keras's
    raise NotKerasExpressible(f"{where}: the object {class_name} (module {module!r}) is not a Keras built-in")
