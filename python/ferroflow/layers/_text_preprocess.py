"""``TextVectorization``'s string steps in Python, as TensorFlow's ops do them on bytes: ASCII lower-casing
(``tf.strings.lower``), Keras's punctuation pattern (``tf.strings.regex_replace``), splitting on ASCII whitespace
(``tf.strings.split``) or into UTF-8 characters (``tf.strings.unicode_split``), and ``tf.strings.ngrams``."""

from __future__ import annotations

import re
from typing import Any, Callable, List, Optional, Sequence, Tuple, Union

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..ops import string_ops
from . import _preprocessing_util as util

# Keras's DEFAULT_STRIP_REGEX (",-\." is the range of ",", "-" and ".")
PUNCTUATION = r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']'
_PUNCTUATION = re.compile(PUNCTUATION.encode())

Rows = List[List[bytes]]


def _object_array(values: Sequence[bytes]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def standardize_numpy(values: np.ndarray, standardize: Any) -> np.ndarray:
    """``values`` (an object array of bytes) after the standardization step."""
    if standardize is None:
        return values
    if callable(standardize):
        return util.to_numpy(standardize(convert_to_tensor(values)))
    flat = values.reshape(-1).tolist()
    if standardize in ("lower", "lower_and_strip_punctuation"):
        flat = [v.lower() for v in flat]  # bytes.lower() changes ASCII letters only, as tf.strings.lower
    if standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
        flat = [_PUNCTUATION.sub(b"", v) for v in flat]
    return _object_array(flat).reshape(values.shape)


def standardize_graph(x: Any, standardize: Any) -> Any:
    """The standardization step with ferroflow's string ops (for graphs)."""
    if standardize in ("lower", "lower_and_strip_punctuation"):
        x = string_ops.lower(x)
    if standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
        x = string_ops.regex_replace(x, PUNCTUATION, "")
    if callable(standardize):
        x = standardize(x)
    return x


def _rows_from(result: Any) -> Rows:
    """What a custom split returned (a RaggedTensor, a tensor or nested lists), as rows of bytes."""
    if isinstance(result, RaggedTensor):
        result = result.to_list()
    elif hasattr(result, "numpy"):
        result = result.numpy().tolist()
    return [[t.encode("utf-8") if isinstance(t, str) else t for t in row] for row in result]


def split_numpy(values: np.ndarray, split: Any) -> Tuple[Rows, bool]:
    """Splits each string into tokens: ``(rows, scalar)`` where ``scalar`` says the input was one string.

    Inputs of rank 2 must have a last dimension of 1 (one string per example), as in Keras.
    """
    if values.ndim > 1:
        if values.shape[-1] != 1:
            raise ValueError(
                "When using `TextVectorization` to tokenize strings, the input rank must be 1 or the last shape "
                f"dimension must be 1. Received: inputs.shape={values.shape} with rank={values.ndim}"
            )
        values = values.reshape(values.shape[:-1])
    scalar = values.ndim == 0
    flat = values.reshape(-1)
    if split == "whitespace":
        rows = [v.split() for v in flat.tolist()]
    elif split == "character":
        rows = [[c.encode("utf-8") for c in v.decode("utf-8", "replace")] for v in flat.tolist()]
    else:
        rows = _rows_from(split(convert_to_tensor(flat)))
    return rows, scalar


def ngram_rows(rows: Rows, widths: Optional[Tuple[int, ...]]) -> Rows:
    """``tf.strings.ngrams(rows, widths, separator=" ")``: all n-grams of each width in turn, per row."""
    if widths is None:
        return rows
    out = []
    for row in rows:
        grams: List[bytes] = []
        for n in widths:
            grams.extend(b" ".join(row[i : i + n]) for i in range(len(row) - n + 1))
        out.append(grams)
    return out


def pad_rows(rows: List[np.ndarray], length: Optional[int]) -> np.ndarray:
    """Index rows as a 2-D int64 array, padded with 0 (and cut) to ``length`` or to the longest row."""
    width = length if length is not None else max((len(r) for r in rows), default=0)
    out = np.zeros((len(rows), width), dtype=np.int64)
    for i, r in enumerate(rows):
        r = r[:width]
        out[i, : len(r)] = r
    return out


def fit_last_axis(values: np.ndarray, length: int) -> np.ndarray:
    """``values[..., :length]`` padded with zeros on the last axis up to ``length``."""
    values = values[..., :length]
    pad = [(0, 0)] * (values.ndim - 1) + [(0, length - values.shape[-1])]
    return np.pad(values, pad) if values.ndim else values


def as_widths(ngrams: Union[None, int, Tuple[int, ...]]) -> Optional[Tuple[int, ...]]:
    return tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams


def is_builtin(option: Any) -> bool:
    return option is None or isinstance(option, str)


def callable_name(fn: Callable) -> str:
    return getattr(fn, "__name__", type(fn).__name__)
