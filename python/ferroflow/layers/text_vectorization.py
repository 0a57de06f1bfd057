"""``TextVectorization``: strings to token indices or bag-of-words vectors (standardize, split, n-grams, then a
``StringLookup`` whose vocabulary is given or learned by ``adapt``).

The string steps run in Python on eager values (see ``_text_preprocess``). In a graph, a layer without
splitting or n-grams uses ferroflow's string ops and graph lookups; otherwise the whole call (split, lookup, pad
or cut to ``output_sequence_length``, or the bag-of-words encoding) runs through ``tf.numpy_function``: per element
inside ``tf.data`` functions (``Dataset.map``), and as one host call per batch inside ``tf.function`` and the
compiled steps of ``fit``/``evaluate``/``predict``, where the rest of the model stays a compiled graph. Its dense
output then has a static shape (``(batch, output_sequence_length)`` or ``(batch, depth)``). Ragged output
(``ragged=True``) runs eagerly only.
"""

from __future__ import annotations

from typing import Any, List, Optional

from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import Tensor
from . import _preprocessing_util as util
from . import _text_preprocess as text
from ._function_config import deserialize_function, is_function_config, serialize_function
from ._index_lookup import listify
from ._text_vectorization_numpy import _TextVectorizationNumpy
from .base_layer import Layer
from .preprocessing_lookup import StringLookup


class TextVectorization(_TextVectorizationNumpy, Layer):
    """Turns strings into sequences of token indices (``output_mode="int"``) or into one vector per string
    (``"multi_hot"``, ``"count"``, ``"tf_idf"``); index 0 is padding and 1 the OOV token ``"[UNK]"``."""

    _allow_non_tensor_positional_args = True  # a preprocessing layer, as in Keras

    _config_only_keys = ("vocabulary_size",)

    def __init__(
        self,
        max_tokens: Optional[int] = None,
        standardize: Any = "lower_and_strip_punctuation",
        split: Any = "whitespace",
        ngrams: Any = None,
        output_mode: str = "int",
        output_sequence_length: Optional[int] = None,
        pad_to_max_tokens: bool = False,
        vocabulary: Any = None,
        idf_weights: Any = None,
        sparse: bool = False,
        ragged: bool = False,
        encoding: str = "utf-8",
        name: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        caller = "TextVectorization"
        util.validate_string_arg(
            standardize,
            ("lower_and_strip_punctuation", "lower", "strip_punctuation"),
            caller,
            "standardize",
            allow_none=True,
            allow_callables=True,
        )
        util.validate_string_arg(
            split, ("whitespace", "character"), caller, "split", allow_none=True, allow_callables=True
        )
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        util.validate_string_arg(output_mode, ("int", "one_hot", "multi_hot", "count", "tf_idf"), caller, "output_mode")
        if not (
            ngrams is None
            or isinstance(ngrams, int)
            or isinstance(ngrams, tuple)
            and all(isinstance(item, int) for item in ngrams)
        ):
            raise ValueError(f"`ngrams` must be None, an integer, or a tuple of integers. Received: ngrams={ngrams}")
        if output_mode == "int" and not (isinstance(output_sequence_length, int) or output_sequence_length is None):
            raise ValueError(
                "`output_sequence_length` must be either None or an integer when `output_mode` is 'int'. "
                f"Received: output_sequence_length={output_sequence_length}"
            )
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(
                "`output_sequence_length` must not be set if `output_mode` is not 'int'. "
                f"Received output_sequence_length={output_sequence_length}."
            )
        if ragged and output_mode != "int":
            raise ValueError(
                "`ragged` must not be true if `output_mode` is `'int'`. "
                f"Received: ragged={ragged} and output_mode={output_mode}"
            )
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = text.as_widths(ngrams)
        self._ragged = bool(ragged)
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self.autocast = False
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token="",
            output_mode=output_mode,
            sparse=sparse,
            has_input_vocabulary=has_input_vocabulary,
            encoding=encoding,
            vocabulary_size=vocabulary_size,
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if util.has_keras_tensor(args, kwargs):
            return util.symbolic(self, args, kwargs)
        return super().__call__(*args, **kwargs)

    def _output_dtype(self) -> str:
        return "float32" if self._output_mode == "tf_idf" else "int64"

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        if self._output_mode == "int":
            return (shape[0] if shape else None, self._output_sequence_length)
        if self._split is None:
            shape = shape + (1,) if len(shape) <= 1 else shape
        else:
            shape = shape + (None,)
        return self._lookup_layer.compute_output_shape(shape)

    # -- vocabulary
    def get_vocabulary(self, include_special_tokens: bool = True) -> List[str]:
        """The vocabulary by index: ``""`` (padding) and ``"[UNK]"`` first, in ``int`` mode."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Sets the vocabulary (and, in ``tf_idf`` mode, the IDF weights), as ``StringLookup.set_vocabulary``."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # -- adapt
    def adapt(self, data: Any, batch_size: Any = None, steps: Optional[int] = None) -> None:
        """Learns the vocabulary (and IDF weights) from strings: a list, an array, a tensor, or a Dataset of
        batches of strings. Each string is one document."""
        self.reset_state()

        def whole(d: Any) -> Any:
            arr = util.to_numpy(d)
            return arr[:, None] if arr.ndim == 1 else arr

        for batch in util.adapt_batches(data, steps, whole):
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        lookup = self._lookup_layer
        if lookup._has_input_vocabulary:
            lookup.update_state(data)  # raises Keras's error
        kind, value, _ = self._preprocess(util.to_numpy(data))
        lookup._update_rows(value if kind == "rows" else lookup._documents(value))

    def finalize_state(self) -> None:
        self._lookup_layer.finalize_state()

    def reset_state(self) -> None:
        self._lookup_layer.reset_state()

    # -- the call
    def _graph_fn(self) -> Any:
        """The call with graph ops, when there is one: no splitting, n-grams, ragged output or sequence length
        to fit, and a lookup without hashed OOV buckets."""
        plain = self._split is None and self._ngrams is None and not self._ragged
        if not plain or self._output_sequence_length is not None or not self._lookup_layer._graph_lookup_possible():
            return None
        return lambda t: self._lookup_layer(text.standardize_graph(t, self._standardize))

    def call(self, inputs: Any) -> Any:
        self._lookup_layer._check_ready(util.is_symbolic(inputs))
        x = inputs if isinstance(inputs, Tensor) else convert_to_tensor(util.to_numpy(inputs))
        if not util.is_symbolic(x):
            out = self._call_numpy(util.to_numpy(x))
            return (
                out if isinstance(out, (RaggedTensor, Tensor)) else convert_to_tensor(out, dtype=self._output_dtype())
            )
        graph_fn = self._graph_fn()
        if graph_fn is not None:
            return graph_fn(x)
        rank = x.shape.rank
        if self._ragged and rank != 0:
            return self._ragged_in_python(x)
        batch = x.shape[0] if rank else None
        if self._output_mode == "int":
            shape = [self._output_sequence_length] if rank == 0 else [batch, self._output_sequence_length]
        else:
            shape = [self._lookup_layer._depth()] if rank == 0 else [batch, self._lookup_layer._depth()]
        return util.in_python(self._call_numpy, x, self._output_dtype(), shape, "TextVectorization")

    def _ragged_in_python(self, x: Any) -> RaggedTensor:
        """``ragged=True`` in a graph: a host call gives the token ids and row splits, the ragged tensor is
        made of them."""
        from ..ops.py_function_ops import numpy_function

        def parts(values: Any) -> tuple:
            out = self._call_numpy(util.to_numpy(values))
            return out.flat_values.numpy(), out.row_splits.numpy()

        flat, splits = numpy_function(parts, [x], ["int64", "int64"], stateful=False, name="TextVectorization")
        flat.set_shape([None])
        splits.set_shape([None])
        return RaggedTensor.from_row_splits(flat, splits, validate=False)

    # -- saving: the lookup layer's state, under this layer's name and its own (``_lookup_layer``), as in Keras
    def save_own_variables(self, store: Any) -> None:
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store: Any) -> None:
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path: str) -> None:
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path: str) -> None:
        self._lookup_layer.load_assets(dir_path)

    def _keras_children(self) -> List[tuple]:
        return [("_lookup_layer", self._lookup_layer)]

    # -- config
    def get_config(self) -> dict:
        lookup = self._lookup_layer
        config = super().get_config()
        config.update(
            max_tokens=lookup.max_tokens,
            standardize=serialize_function(self._standardize) if callable(self._standardize) else self._standardize,
            split=serialize_function(self._split) if callable(self._split) else self._split,
            ngrams=self._ngrams_arg,
            output_mode=self._output_mode,
            output_sequence_length=self._output_sequence_length,
            pad_to_max_tokens=lookup.pad_to_max_tokens,
            sparse=lookup.sparse,
            ragged=self._ragged,
            vocabulary=listify(lookup.input_vocabulary),
            idf_weights=listify(lookup.input_idf_weights),
            encoding=self._encoding,
            vocabulary_size=self.vocabulary_size(),
        )
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: Optional[dict] = None) -> TextVectorization:
        config = dict(config)
        for key in ("standardize", "split"):
            if is_function_config(config.get(key)):  # a callable, saved by name
                config[key] = deserialize_function(config[key], custom_objects)
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)
