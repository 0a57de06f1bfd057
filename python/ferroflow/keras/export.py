"""``keras.export``: ``ExportArchive``, a SavedModel of chosen endpoints (functions with input signatures) over
tracked models and layers, which ``tf.saved_model.load`` restores as attributes, and as signatures."""

from __future__ import annotations

import os
from typing import Any, Callable, Optional

from ..framework import nest
from ..framework.function import Function, function
from ..framework.module import Module
from ..framework.tensor_spec import TensorSpec

__all__ = ["ExportArchive"]


def _as_tensor_spec(spec: Any) -> Any:
    """A ``keras.InputSpec`` (or a tensor spec) as the ``tf.TensorSpec`` a ``tf.function`` signature takes."""
    if isinstance(spec, TensorSpec) or not hasattr(spec, "shape") or not hasattr(spec, "dtype"):
        return spec
    dtype = spec.dtype if spec.dtype is not None else "float32"
    return TensorSpec(shape=spec.shape, dtype=dtype, name=getattr(spec, "name", None))


class _Archive(Module):
    """What is saved: the tracked resources' variables and the endpoints as ``tf.function`` attributes."""


class ExportArchive:
    """Collects endpoints for a SavedModel, as Keras 3's ``keras.export.ExportArchive``::

    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint("serve", model.call, input_signature=[tf.TensorSpec((None, 3), tf.float32)])
    archive.write_out(path)
    tf.saved_model.load(path).serve(x)
    """

    def __init__(self) -> None:
        self._archive = _Archive(name="export_archive")
        self._endpoint_names: list = []
        self._tracked: list = []

    @property
    def variables(self) -> list:
        return list(self._archive.variables)

    @property
    def trainable_variables(self) -> list:
        return list(self._archive.trainable_variables)

    @property
    def non_trainable_variables(self) -> list:
        return list(self._archive.non_trainable_variables)

    def track(self, resource: Any) -> None:
        """Tracks a Keras layer or model (or a ``tf.Module``): its variables are saved with the endpoints."""
        from ..layers.base_layer import Layer

        if isinstance(resource, Layer):
            if not resource.built:
                raise ValueError("The layer provided has not yet been built. It must be built before export.")
        elif not isinstance(resource, Module):
            raise ValueError(
                "Invalid resource type. Expected a Keras `Layer` or `Model` or a TensorFlow `Trackable` object. "
                f"Received object {resource} of type '{type(resource)}'. "
            )
        self._tracked.append(resource)
        self._archive._tracked_resources = list(self._tracked)

    def add_endpoint(self, name: str, fn: Optional[Callable] = None, input_signature: Any = None, **kwargs: Any) -> Any:
        """Adds ``fn`` (called with tensors matching ``input_signature``) as the endpoint ``name``."""
        if name in self._endpoint_names:
            raise ValueError(f"Endpoint name '{name}' is already taken.")
        if fn is None:
            raise ValueError("You must provide a function `fn` when adding an endpoint.")
        if input_signature is None and not (isinstance(fn, Function) and fn.input_signature is not None):
            raise ValueError(
                "If the `fn` argument provided is not a `tf.function`, you must provide an `input_signature` "
                "argument to specify the shape and dtype of the function arguments. Example:\n\n"
                "export_archive.add_endpoint(\n    name='call',\n    fn=model.call,\n    input_signature=[\n"
                "        keras.InputSpec(\n            shape=(None, 224, 224, 3),\n            dtype='float32',\n"
                "        )\n    ],\n)"
            )
        if input_signature is not None:
            signature = nest.map_structure(_as_tensor_spec, list(input_signature))
            inner = fn.python_function if isinstance(fn, Function) else fn
            decorated = function(inner, input_signature=signature, autograph=False)
        else:
            decorated = fn
        setattr(self._archive, name, decorated)
        self._endpoint_names.append(name)
        return decorated

    def track_and_add_endpoint(self, name: str, resource: Any, input_signature: Any, **kwargs: Any) -> Any:
        """Tracks ``resource`` and adds its call (with ``training=False`` for a layer) as the endpoint ``name``."""
        from ..layers.base_layer import Layer

        self.track(resource)
        if isinstance(resource, Layer):
            return self.add_endpoint(name, lambda *args: resource(*args, training=False), input_signature)
        return self.add_endpoint(name, resource.__call__, input_signature)

    def add_variable_collection(self, name: str, variables: Any) -> None:
        """Saves ``variables`` (a list, tuple or dict of variables) as the attribute ``name``."""
        if not isinstance(variables, (list, tuple, dict, set)):
            raise ValueError(
                "Expected `variables` to be a list/tuple/dict/set of variables. "
                f"Received instead object of type '{type(variables)}'."
            )
        setattr(self._archive, name, list(variables) if isinstance(variables, set) else variables)

    def write_out(self, filepath: Any, options: Any = None, verbose: bool = True) -> None:
        """Writes the SavedModel: each endpoint an attribute and a signature; the first is ``serving_default``."""
        from ..saved_model import save

        if not self._endpoint_names:
            raise ValueError("No endpoints have been set yet. Call add_endpoint().")
        endpoints = {name: getattr(self._archive, name) for name in self._endpoint_names}
        signatures = dict(endpoints)
        if "serving_default" not in signatures:
            signatures["serving_default"] = endpoints[self._endpoint_names[0]]
        save(self._archive, os.fspath(filepath), signatures=signatures, options=options)
        if verbose:
            names = ", ".join(f"'{n}'" for n in self._endpoint_names)
            print(f"Saved artifact at '{os.fspath(filepath)}'. The following endpoints are available: {names}")


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
