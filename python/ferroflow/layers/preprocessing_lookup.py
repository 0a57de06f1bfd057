"""``StringLookup`` and ``IntegerLookup``: vocabulary lookups of string or integer features (Keras 3)."""

from __future__ import annotations

from typing import Any, Optional

from ._index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Maps strings to integer indices from a vocabulary (given, read from a file, or learned by ``adapt``).

    Index 0 is the mask (when ``mask_token`` is set), then ``num_oov_indices`` out-of-vocabulary indices, then
    the vocabulary. ``invert=True`` maps indices back to strings; ``output_mode`` ``"one_hot"``,
    ``"multi_hot"``, ``"count"`` or ``"tf_idf"`` encodes the indices as vectors.
    """

    def __init__(
        self,
        max_tokens: Optional[int] = None,
        num_oov_indices: int = 1,
        mask_token: Optional[str] = None,
        oov_token: str = "[UNK]",
        vocabulary: Any = None,
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        pad_to_max_tokens: bool = False,
        sparse: bool = False,
        encoding: str = "utf-8",
        name: Optional[str] = None,
        salt: Any = None,
        **kwargs: Any,
    ) -> None:
        self.encoding = encoding
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens,
            sparse=sparse,
            name=name,
            salt=salt,
            vocabulary_dtype="string",
            **kwargs,
        )

    def adapt(self, data: Any, steps: Optional[int] = None) -> None:
        """Computes the vocabulary from string ``data`` (an array, list, tensor, or Dataset of batches)."""
        super().adapt(data, steps=steps)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["vocabulary_dtype"]
        config["encoding"] = self.encoding
        return config


class IntegerLookup(IndexLookup):
    """Maps integers to contiguous indices from a vocabulary (given, read from a file, or learned by ``adapt``);
    extra OOV indices take ``value % num_oov_indices`` (``oov_method="floormod"``) or a FarmHash bucket."""

    def __init__(
        self,
        max_tokens: Optional[int] = None,
        num_oov_indices: int = 1,
        mask_token: Optional[int] = None,
        oov_token: int = -1,
        vocabulary: Any = None,
        vocabulary_dtype: str = "int64",
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        sparse: bool = False,
        pad_to_max_tokens: bool = False,
        oov_method: str = "floormod",
        salt: Any = None,
        name: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(
                "If `max_tokens` is set for `IntegerLookup`, it must be greater than 1. "
                f"Received: max_tokens={max_tokens}"
            )
        if num_oov_indices < 0:
            raise ValueError(
                "The value of `num_oov_indices` argument for `IntegerLookup` must >= 0. "
                f"Received: num_oov_indices={num_oov_indices}"
            )
        if vocabulary_dtype != "int64":
            raise ValueError(
                "Only `vocabulary_dtype='int64'` is supported at this time. "
                f"Received: vocabulary_dtype={vocabulary_dtype}"
            )
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            vocabulary_dtype=vocabulary_dtype,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            oov_method=oov_method,
            salt=salt,
            name=name,
            **kwargs,
        )

    def adapt(self, data: Any, steps: Optional[int] = None) -> None:
        """Computes the vocabulary from integer ``data`` (an array, list, tensor, or Dataset of batches)."""
        super().adapt(data, steps=steps)

    def get_config(self) -> dict:
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
