"""``IndexLookup``: the vocabulary state and options shared by ``StringLookup`` and ``IntegerLookup``.

The vocabulary (set, read from a file, or learned by ``adapt``), its special tokens and TF-IDF weights follow
Keras's rules and messages; the lookups themselves are in ``_index_lookup_call``, the learning of the
vocabulary by ``adapt`` in ``_index_lookup_adapt``, what a saved model keeps in ``_index_lookup_state``.
"""

from __future__ import annotations

import collections
import os
from typing import Any, List, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from . import _preprocessing_util as util
from ._index_lookup_adapt import VocabularyAdapt
from ._index_lookup_call import LookupCalls
from ._index_lookup_state import LookupState
from ._lookup_table import LookupTable, as_key, read_vocabulary_file
from .base_layer import Layer
from .preprocessing_hashing import salt_pair


def listify(x: Any) -> Any:
    if isinstance(x, Tensor):
        x = x.numpy()
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if isinstance(x, list):
        return [v.decode("utf-8") if isinstance(v, bytes) else v for v in x]
    return x


class IndexLookup(LookupCalls, VocabularyAdapt, LookupState, Layer):
    """Maps tokens to indices (or back, with ``invert``), optionally encoded as one-hot/multi-hot/count/TF-IDF."""

    _allow_non_tensor_positional_args = True  # a preprocessing layer, as in Keras

    # Keras's config holds it though it is no argument of the signature (read from **kwargs).
    _config_only_keys = ("vocabulary_size",)

    def __init__(
        self,
        max_tokens: Optional[int],
        num_oov_indices: int,
        mask_token: Any,
        oov_token: Any,
        vocabulary_dtype: str,
        vocabulary: Any = None,
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        sparse: bool = False,
        pad_to_max_tokens: bool = False,
        oov_method: str = "floormod",
        name: Optional[str] = None,
        salt: Any = None,
        **kwargs: Any,
    ) -> None:
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"If set, `max_tokens` must be greater than 1. Received: max_tokens={max_tokens}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError(
                f"`num_oov_indices` must be greater than or equal to 0. Received: num_oov_indices={num_oov_indices}"
            )
        caller = type(self).__name__
        util.validate_string_arg(oov_method, ("floormod", "farmhash"), caller, "oov_method")
        if salt is not None and vocabulary_dtype != "string" and oov_method != "farmhash":
            raise ValueError(f"`salt` can only be used when `oov_method='farmhash'`. Received: oov_method={oov_method}")
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        util.validate_string_arg(output_mode, ("int", "one_hot", "multi_hot", "count", "tf_idf"), caller, "output_mode")
        if invert and output_mode != "int":
            raise ValueError(
                f"`output_mode` must be `'int'` when `invert` is true. Received: output_mode={output_mode}"
            )
        if sparse and output_mode == "int":
            raise ValueError(
                "`sparse` may only be true if `output_mode` is `'one_hot'`, `'multi_hot'`, `'count'` or `'tf_idf'`. "
                f"Received: sparse={sparse} and output_mode={output_mode}"
            )
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(
                "`idf_weights` should only be set if `output_mode` is `'tf_idf'`. "
                f"Received: idf_weights={idf_weights} and output_mode={output_mode}"
            )
        self._frozen_vocab_size = kwargs.pop("vocabulary_size", None)
        self._has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword argument(s): {kwargs}")
        super().__init__(name=name)
        self.autocast = False
        self.invert = bool(invert)
        self.max_tokens = max_tokens
        self.num_oov_indices = int(num_oov_indices)
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = bool(sparse)
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        self.salt = salt_pair(salt, "IndexLookup") if salt is not None else None
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._is_string = vocabulary_dtype == "string"
        self._table = LookupTable([], self._token_start_index(), self._is_string)
        self._initialized = False
        self._idf: Optional[np.ndarray] = None
        if output_mode == "tf_idf":
            if self._has_input_vocabulary and idf_weights is None:
                raise ValueError(
                    "When specifying the `vocabulary` argument, in TF-IDF output mode, the `idf_weights` argument "
                    "must also be provided."
                )
            if idf_weights is not None:
                self._idf = util.to_numpy(idf_weights).astype("float32")
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self.reset_state()

    @property
    def _keras_tensor_dtype(self) -> Optional[str]:
        """Keras 3 declares floatx outputs for the encoded modes on KerasTensors, though it computes int64
        one/multi-hot and counts on tensors (its ``compute_output_spec``)."""
        if self.output_mode == "int":
            return None
        from ..keras.backend import floatx

        return floatx()

    # -- indices of the special tokens
    def _oov_start_index(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self) -> int:
        return self._oov_start_index() + self.num_oov_indices

    def _key(self, token: Any) -> Any:
        return as_key(token, self._is_string)

    # -- vocabulary
    def vocabulary_size(self) -> int:
        """The number of indices the layer produces: the vocabulary plus the mask and OOV indices."""
        return len(self._table) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens: bool = True) -> List[Any]:
        """The tokens by index; ``include_special_tokens=False`` leaves out the mask and OOV entries."""
        start = self._token_start_index()
        vocab: List[Any] = [self.oov_token] * start + list(self._table.tokens)
        if self.mask_token is not None and self.output_mode == "int":
            vocab[0] = self.mask_token
        if not include_special_tokens:
            vocab = vocab[start:]
        if self._is_string:
            encoding = getattr(self, "encoding", "utf-8")
            return [v.decode(encoding) if isinstance(v, bytes) else v for v in vocab]
        return [int(v) if v is not None else v for v in vocab]

    @property
    def idf_weights(self) -> Any:
        """The TF-IDF weights by index (``tf_idf`` mode), as a float32 tensor."""
        return None if self._idf is None else convert_to_tensor(self._idf)

    idf_weights_const = idf_weights

    def _record_vocabulary_size(self) -> None:
        if self.output_mode != "int" and not self.pad_to_max_tokens:
            size = self.vocabulary_size()
            if self._frozen_vocab_size is not None and size != self._frozen_vocab_size:
                raise RuntimeError(
                    f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, the vocabulary "
                    f"size cannot be changed after the layer is called. Old vocab size is {self._frozen_vocab_size}, "
                    f"new vocab size is {size}"
                )
        self._frozen_vocab_size = self.vocabulary_size()

    def _set_tokens(self, tokens: List[Any]) -> None:
        self._table = LookupTable(tokens, self._token_start_index(), self._is_string)
        self._initialized = True

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Sets the vocabulary (a list, array, tensor or the path of a file with one token per line) and, in
        ``tf_idf`` mode, its ``idf_weights``. Special tokens may lead the list, in the layer's order."""
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        elif idf_weights is not None:
            raise ValueError(
                "`idf_weights` should only be set if output_mode is `'tf_idf'`. "
                f"Received: output_mode={self.output_mode} and idf_weights={idf_weights}"
            )
        if isinstance(vocabulary, str):
            self._set_vocabulary_file(vocabulary)
            return
        vocab = util.to_numpy(vocabulary).reshape(-1) if not isinstance(vocabulary, list) else vocabulary
        keys = [self._key(v) for v in (vocab.tolist() if isinstance(vocab, np.ndarray) else vocab)]
        if not keys:
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        oov_start, start = self._oov_start_index(), self._token_start_index()
        special = [self.mask_token] * oov_start + [self.oov_token] * self.num_oov_indices
        special_keys = [self._key(t) for t in special] if None not in special else special
        found_special = keys[:start] == special_keys and len(keys) >= start
        tokens = keys[start:] if found_special else keys
        repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
        if repeated:
            raise ValueError(
                "The passed vocabulary has at least one repeated term. Please uniquify your dataset. "
                f"The repeated terms are: {listify(repeated)}"
            )
        for which, token in (("mask", self.mask_token), ("OOV", self.oov_token if self.invert else None)):
            if token is not None and self._key(token) in tokens:
                where = len(keys) - 1 - keys[::-1].index(self._key(token))
                raise ValueError(
                    f"Found reserved {which} token at unexpected location in `vocabulary`. Note that passed "
                    "`vocabulary` does not need to include the OOV and mask tokens. Either remove all mask and OOV "
                    "tokens, or include them only at the start of the vocabulary in precisely this order: "
                    f"{special}. Received: {which.lower()}_token={token} at vocabulary index {where}"
                )
        if self.max_tokens is not None and start + len(tokens) > self.max_tokens:
            raise ValueError(
                "Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary size is "
                f"{start + len(tokens)}; `max_tokens` is {self.max_tokens}."
            )
        self._set_tokens(tokens)
        self._record_vocabulary_size()
        if self.output_mode == "tf_idf" and idf_weights is not None:
            self._set_idf(np.asarray(util.to_numpy(idf_weights)), len(keys), found_special)

    def _set_idf(self, weights: np.ndarray, vocab_len: int, found_special: bool) -> None:
        if len(weights) != vocab_len:
            raise ValueError(
                "`idf_weights` must be the same length as vocabulary. "
                f"len(idf_weights) is {len(weights)}; len(vocabulary) is {vocab_len}"
            )
        if weights.ndim != 1:
            raise ValueError(f"TF-IDF data must be a 1-index array. Received: type(idf_weights)={type(weights)}")
        front = 0 if found_special else self._token_start_index()
        front_value = 0 if found_special else np.average(weights)
        back = self.max_tokens - front - len(weights) if self.pad_to_max_tokens and self.max_tokens else 0
        padded = np.pad(weights, (front, back), "constant", constant_values=(front_value, 0))
        self._idf = padded.astype("float32")

    def _set_vocabulary_file(self, path: str) -> None:
        if not os.path.exists(path):
            raise ValueError(f"Vocabulary file {path} does not exist.")
        if self.output_mode == "tf_idf":
            raise ValueError("output_mode `'tf_idf'` does not support loading a vocabulary from file.")
        self._set_tokens(read_vocabulary_file(path, self._is_string, self._token_start_index()))
        self._record_vocabulary_size()

    # -- config
    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            invert=self.invert,
            max_tokens=self.max_tokens,
            num_oov_indices=self.num_oov_indices,
            oov_token=self.oov_token,
            mask_token=self.mask_token,
            output_mode=self.output_mode,
            sparse=self.sparse,
            pad_to_max_tokens=self.pad_to_max_tokens,
            vocabulary_dtype=self.vocabulary_dtype,
            idf_weights=listify(self.input_idf_weights),
            vocabulary=listify(self.input_vocabulary),
            vocabulary_size=self._frozen_vocab_size,
            oov_method=self.oov_method,
            salt=self.salt,
        )
        return config
