"""``keras.layers.TFSMLayer``: a SavedModel (from ``model.export`` or ``tf.saved_model.save``) reloaded as a
layer for inference, whose call runs one of its endpoints and whose weights are the SavedModel's variables."""

from __future__ import annotations

from typing import Any, Optional

from .base_layer import Layer


class TFSMLayer(Layer):
    """Reloads the SavedModel at ``filepath`` and calls its ``call_endpoint`` (an attribute of the reloaded
    object, or one of its signatures); with ``training=True`` it calls ``call_training_endpoint`` if given."""

    def __init__(
        self,
        filepath: str,
        call_endpoint: str = "serve",
        call_training_endpoint: Optional[str] = None,
        trainable: bool = True,
        name: Optional[str] = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(trainable=trainable, name=name, dtype=dtype)
        from ..saved_model import load

        self._reloaded_obj = load(filepath)
        self.filepath = filepath
        self.call_endpoint = call_endpoint
        self.call_training_endpoint = call_training_endpoint
        self.call_endpoint_fn = self._endpoint(call_endpoint, "call_endpoint")
        self.call_training_endpoint_fn = (
            self._endpoint(call_training_endpoint, "call_training_endpoint") if call_training_endpoint else None
        )
        seen: set = set()
        for v in list(getattr(self._reloaded_obj, "variables", [])):
            if id(v) in seen:
                continue
            seen.add(id(v))
            (self._trainable_vars if getattr(v, "trainable", True) else self._non_trainable_vars).append(v)
        self.built = True

    def _endpoint(self, endpoint: str, argument: str) -> Any:
        obj = self._reloaded_obj
        if hasattr(obj, endpoint):
            return getattr(obj, endpoint)
        signatures = getattr(obj, "signatures", {}) or {}
        if endpoint in signatures:
            return signatures[endpoint]
        raise ValueError(
            f"The endpoint '{endpoint}' is neither an attribute of the reloaded SavedModel, nor an entry in the "
            f"`signatures` field of the reloaded SavedModel. Select another endpoint via the `{argument}` "
            f"argument. Available endpoints for this SavedModel: {list(signatures.keys())}"
        )

    def call(self, inputs: Any, training: bool = False, **kwargs: Any) -> Any:
        if training and self.call_training_endpoint_fn is not None:
            return self.call_training_endpoint_fn(inputs, **kwargs)
        return self.call_endpoint_fn(inputs, **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "filepath": self.filepath,
                "call_endpoint": self.call_endpoint,
                "call_training_endpoint": self.call_training_endpoint,
            }
        )
        return config
