"""How a FeatureSpace encodes and joins its preprocessed features, and how it is called on a dict of data.

The first merge (on the KerasTensors of ``get_encoded_features``) makes the encoders: a ``CategoryEncoding``
(multi-hot over the preprocessor's cardinality) for each ``one_hot`` feature or cross, and the concatenation;
later calls reuse them, as Keras 3's FeatureSpace does.
"""

from __future__ import annotations

from typing import Any


def _cardinality(fs: Any, name: str) -> int:
    from . import CategoryEncoding, Discretization, HashedCrossing, Hashing, IntegerLookup, StringLookup

    layer = fs.preprocessors.get(name) or fs.crossers.get(name)
    if isinstance(layer, (IntegerLookup, StringLookup)):
        return layer.vocabulary_size()
    if isinstance(layer, CategoryEncoding):
        return layer.num_tokens
    if isinstance(layer, (Discretization, HashedCrossing, Hashing)):
        return layer.num_bins
    raise ValueError(
        f"Feature '{name}' has `output_mode='one_hot'`. However it isn't a standard feature and the "
        "dimensionality of its output space is not known, thus it cannot be one-hot encoded. "
        "Try using `output_mode='int'`."
    )


def _dtype_name(x: Any) -> str:
    from ..framework import nest

    dtype = nest.flatten(x)[0].dtype
    return getattr(dtype, "name", str(dtype))


def merge(fs: Any, preprocessed: dict, crossed: dict) -> Any:
    """The features joined: one concatenated tensor, or a dict by name (sorted names, crosses last)."""
    from . import CategoryEncoding, Concatenate

    if getattr(fs, "_preprocessed_names", None) is None:
        fs._preprocessed_names = sorted(preprocessed)
        fs._crossed_names = sorted(crossed)
    names = fs._preprocessed_names + fs._crossed_names
    values = [preprocessed[n] for n in fs._preprocessed_names] + [crossed[n] for n in fs._crossed_names]
    if fs._sublayers_built:  # the encoders exist: apply them
        encoded = []
        for name, value in zip(names, values):
            encoder = fs.one_hot_encoders.get(name)
            encoded.append(encoder(value) if encoder is not None else value)
        return dict(zip(names, encoded)) if fs.output_mode == "dict" else fs.concat(encoded)
    specs = [fs.features[n] for n in fs._preprocessed_names] + [fs.crosses_by_name[n] for n in fs._crossed_names]
    out = {}
    for name, value, spec in zip(names, values, specs):
        if spec.output_mode == "one_hot":
            dtype = _dtype_name(value)
            if not dtype.startswith("int"):
                raise ValueError(
                    f"Feature '{name}' has `output_mode='one_hot'`. Thus its preprocessor should return an integer "
                    f"dtype. Instead it returns a {dtype} dtype."
                )
            encoder = CategoryEncoding(num_tokens=_cardinality(fs, name), output_mode="multi_hot")
            fs.one_hot_encoders[name] = encoder
            value = encoder(value)
        if fs.output_mode == "concat":
            dtype = _dtype_name(value)
            if dtype.startswith("int") or dtype == "string":
                raise ValueError(
                    f"Cannot concatenate features because feature '{name}' has not been encoded (it has dtype "
                    f"{dtype}). Consider using `output_mode='dict'`."
                )
        out[name] = value
    if fs.output_mode == "dict":
        return out
    fs.concat = Concatenate(axis=-1)
    return fs.concat(list(out.values()))


def call(fs: Any, data: Any) -> Any:
    """``fs(data)`` for a dict of feature values (batched, or one sample of scalars)."""
    from ..framework.ops import convert_to_tensor
    from ..framework.tensor import Tensor
    from ..ops import array_ops

    if not isinstance(data, dict):
        raise ValueError(f"A FeatureSpace can only be called with a dict. Received: data={data} (of type {type(data)}")
    tensors = {}
    rebatched = False
    for key, value in data.items():
        x = value if isinstance(value, Tensor) or hasattr(value, "flat_values") else convert_to_tensor(value)
        if len(x.shape) == 0:
            x = array_ops.reshape(x, (1, 1))
            rebatched = True
        elif len(x.shape) == 1:
            x = array_ops.expand_dims(x, -1)
        tensors[key] = x
    preprocessed = fs._preprocess(tensors)
    merged = merge(fs, preprocessed, fs._cross(preprocessed))
    if rebatched:
        if fs.output_mode == "concat":
            if merged.shape[0] != 1:
                raise ValueError(f"Expected rebatched data to have batch size 1. Received: shape={merged.shape}")
            return array_ops.squeeze(merged, axis=0)
        for key, x in merged.items():
            if len(x.shape) == 2 and x.shape[0] == 1:
                merged[key] = array_ops.squeeze(x, axis=0)
    return merged
