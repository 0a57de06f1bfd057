"""``keras.utils.FeatureSpace``: one layer that preprocesses and encodes a dict of structured-data features.

Each feature is preprocessed by its layer (a lookup, normalization, discretization, rescaling or hashing),
crosses hash features together (``HashedCrossing``), categorical codes are one-hot encoded
(``CategoryEncoding``), and the results are concatenated in sorted name order (``output_mode="concat"``) or
returned by name (``"dict"``), as Keras 3 does. ``adapt`` fits the preprocessing layers on a dataset of
dicts; the FeatureSpace is then called on a dict of tensors (in ``Dataset.map`` too), or its
``get_inputs()``/``get_encoded_features()`` build a functional model.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ._feature_space_specs import Cross, Feature, FeatureTypes
from .base_layer import Layer

_NAMED = {
    "float": lambda fs, name: fs.float(name=name),
    "float_normalized": lambda fs, name: fs.float_normalized(name=name),
    "float_rescaled": lambda fs, name: fs.float_rescaled(name=name),
    "float_discretized": lambda fs, name: fs.float_discretized(name=name, num_bins=fs.num_discretization_bins),
    "integer_categorical": lambda fs, name: fs.integer_categorical(name=name),
    "string_categorical": lambda fs, name: fs.string_categorical(name=name),
    "integer_hashed": lambda fs, name: fs.integer_hashed(fs.hashing_dim, name=name),
    "string_hashed": lambda fs, name: fs.string_hashed(fs.hashing_dim, name=name),
}


class FeatureSpace(FeatureTypes, Layer):
    """Preprocesses and encodes a dict of features (``features``: name -> feature type or ``Feature``)."""

    def __init__(
        self,
        features: Dict[str, Any],
        output_mode: str = "concat",
        crosses: Optional[List[Any]] = None,
        crossing_dim: int = 32,
        hashing_dim: int = 32,
        num_discretization_bins: int = 32,
        name: Optional[str] = None,
    ) -> None:
        super().__init__(name=name)
        if not features:
            raise ValueError("The `features` argument cannot be None or empty.")
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.features = {key: self._standardize_feature(key, value) for key, value in features.items()}
        self.crosses: List[Cross] = []
        for cross in crosses or []:
            if isinstance(cross, dict):
                cross = Cross.from_config(cross.get("config", cross))
            if not isinstance(cross, Cross):
                if not crossing_dim:
                    raise ValueError(
                        "When specifying `crosses`, the argument `crossing_dim` (dimensionality of the crossing "
                        "space) should be specified as well."
                    )
                unknown = [key for key in cross if key not in features]
                if unknown:
                    raise ValueError(
                        "All features referenced in the `crosses` argument should be present in the `features` "
                        f"dict. Received unknown features: {cross}"
                    )
                cross = Cross(cross, crossing_dim=crossing_dim)
            self.crosses.append(cross)
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        if output_mode not in {"dict", "concat"}:
            raise ValueError(
                f"Invalid value for argument `output_mode`. Expected one of {{'dict', 'concat'}}. "
                f"Received: output_mode={output_mode}"
            )
        self.output_mode = output_mode
        from . import HashedCrossing, Input

        self.inputs = {key: Input(shape=(1,), dtype=f.dtype, name=key) for key, f in self.features.items()}
        self.preprocessors = {key: f.preprocessor for key, f in self.features.items()}
        self.crossers = {c.name: HashedCrossing(c.crossing_dim, name=c.name) for c in self.crosses}
        # sub-layers held in dicts, tracked in a fixed order (their weights and state save with the space)
        self._layers.extend([*self.preprocessors.values(), *self.crossers.values()])
        self.encoded_features: Any = None
        self.one_hot_encoders: Dict[str, Any] = {}
        self.concat: Any = None
        self._is_adapted = False
        self._sublayers_built = False

    def _standardize_feature(self, name: str, feature: Any) -> Feature:
        if isinstance(feature, Feature):
            return feature
        if isinstance(feature, dict):
            return Feature.from_config(feature.get("config", feature))
        make = _NAMED.get(feature) if isinstance(feature, str) else None
        if make is None:
            raise ValueError(f"Invalid feature type: {feature}")
        return make(self, name)

    # -- adapting
    def _adaptable(self) -> List[str]:
        from . import Normalization

        names = []
        for key, layer in self.preprocessors.items():
            if isinstance(layer, Normalization) and layer.input_mean is not None:
                continue  # given its mean and variance
            if getattr(layer, "_has_input_vocabulary", False):
                continue
            if hasattr(layer, "adapt"):
                names.append(key)
        return names

    def adapt(self, dataset: Any) -> None:
        """Fits each adaptable preprocessing layer on its feature of ``dataset`` (a Dataset of dicts, or a dict
        of arrays)."""
        from ..data import Dataset
        from ..ops import array_ops

        if not isinstance(dataset, Dataset):
            if not isinstance(dataset, dict):
                raise ValueError(
                    "`adapt()` can only be called on a tf.data.Dataset or a dict of arrays/lists. "
                    f"Received instead: {dataset} (of type {type(dataset)})"
                )
            dataset = Dataset.from_tensor_slices(dataset)
        for key in self._adaptable():
            feature_data = dataset.map(lambda x, key=key: x[key])
            rank = len(next(iter(feature_data)).shape)
            if rank == 0:  # unbatched scalars: batch them
                feature_data = feature_data.batch(32)
            if rank in (0, 1):
                feature_data = feature_data.map(lambda x: array_ops.expand_dims(x, -1))
            self.preprocessors[key].adapt(feature_data)
        self._is_adapted = True
        self.get_encoded_features()  # builds the encoders and the concatenation
        self.built = True
        self._sublayers_built = True

    def _check_if_adapted(self) -> None:
        if not self._is_adapted:
            if self._adaptable():
                raise ValueError(
                    "You need to call `.adapt(dataset)` on the FeatureSpace before you can start using it."
                )
            self._is_adapted = True

    def _check_if_built(self) -> None:
        if not self._sublayers_built:
            self._check_if_adapted()
            self.get_encoded_features()
            self._sublayers_built = True

    # -- the functional graph
    def get_inputs(self) -> Dict[str, Any]:
        """The ``keras.Input`` of each feature, by name."""
        self._check_if_built()
        return self.inputs

    def get_encoded_features(self) -> Any:
        """The encoded features of :meth:`get_inputs` (a KerasTensor, or a dict of them in dict mode)."""
        self._check_if_adapted()
        if self.encoded_features is None:
            preprocessed = self._preprocess(self.inputs)
            self.encoded_features = self._merge(preprocessed, self._cross(preprocessed))
        return self.encoded_features

    def _preprocess(self, features: dict) -> dict:
        return {key: self.preprocessors[key](features[key]) for key in features}

    def _cross(self, features: dict) -> dict:
        return {c.name: self.crossers[c.name]([features[k] for k in c.feature_names]) for c in self.crosses}

    def _merge(self, preprocessed: dict, crossed: dict) -> Any:
        from ._feature_space_encode import merge

        return merge(self, preprocessed, crossed)

    # -- calling
    def __call__(self, data: Any) -> Any:
        from ._feature_space_encode import call

        self._check_if_built()
        return call(self, data)

    def get_config(self) -> dict:
        return {
            "features": {k: _entry("Feature", f.get_config()) for k, f in self.features.items()},
            "output_mode": self.output_mode,
            "crosses": [_entry("Cross", c.get_config()) for c in self.crosses],
            "crossing_dim": self.crossing_dim,
            "hashing_dim": self.hashing_dim,
            "num_discretization_bins": self.num_discretization_bins,
        }

    @classmethod
    def from_config(cls, config: dict) -> FeatureSpace:
        return cls(**config)

    def get_build_config(self) -> dict:
        return {key: f.preprocessor.get_build_config() for key, f in self.features.items()}

    def build_from_config(self, config: dict) -> None:
        """Rebuilt from a saved file: the preprocessors' state is loaded next, so the space counts as adapted."""
        for key, build_config in (config or {}).items():
            layer = self.features[key].preprocessor
            if not layer.built and build_config:
                layer.build_from_config(build_config)
        self._is_adapted = True
        self.built = True

    def save(self, filepath: str) -> None:
        """Saves the FeatureSpace to a ``.keras`` file, which ``keras.models.load_model`` reloads."""
        from ..models.saving_api import save_model

        save_model(self, filepath)


def _entry(class_name: str, config: dict) -> dict:
    return {"module": "keras.src.layers.preprocessing.feature_space", "class_name": class_name, "config": config}
