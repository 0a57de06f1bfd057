"""``Hashing``: strings or integers to ``num_bins`` buckets with TensorFlow's string hashes (FarmHash
``Fingerprint64``, or SipHash keyed by ``salt``), so the bucket numbers are TensorFlow's."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from . import _preprocessing_util as util
from ._string_hash import hash_buckets
from .base_layer import Layer
from .preprocessing_numeric import _sparse_if


def salt_pair(salt: Any, what: str) -> Optional[list]:
    """A ``salt`` as Keras stores it: two integers (a single integer is used twice)."""
    if salt is None:
        return None
    if isinstance(salt, (tuple, list)) and len(salt) == 2:
        return [int(s) for s in salt]
    if isinstance(salt, (int, np.integer)) and not isinstance(salt, bool):
        return [int(salt), int(salt)]
    raise ValueError(
        f"The `salt` argument for `{what}` can only be a tuple of size 2 integers, or a single integer. "
        f"Received: salt={salt}."
    )


def as_hash_input(values: np.ndarray) -> np.ndarray:
    """What TensorFlow hashes: strings as they are, integers (floats truncated first) as decimal text."""
    if values.dtype.kind == "O":
        return values
    if values.dtype.kind == "f":
        values = values.astype(np.int64)
    out = np.empty(values.shape, dtype=object)
    out.reshape(-1)[:] = [str(int(v)).encode() for v in values.reshape(-1)]
    return out


class Hashing(Layer):
    """Hashes each input to a bin in ``[0, num_bins)``; with ``mask_value``, that value goes to bin 0 and the
    others to ``[1, num_bins)``. Strings are hashed as bytes, integers as their decimal text."""

    _allow_non_tensor_positional_args = True  # a preprocessing layer, as in Keras

    def __init__(
        self,
        num_bins: int,
        mask_value: Any = None,
        salt: Any = None,
        output_mode: str = "int",
        sparse: bool = False,
        **kwargs: Any,
    ) -> None:
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else "float32"
        super().__init__(**kwargs)
        self.autocast = False  # floats are truncated to integers before hashing, whatever the layer dtype
        if num_bins is None or num_bins <= 0:
            raise ValueError(
                f"The `num_bins` for `Hashing` cannot be `None` or non-positive values. Received: num_bins={num_bins}."
            )
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError(
                "When `output_mode=\"int\"`, `dtype` should be an integer type, 'int32' or 'in64'. "
                f"Received: dtype={kwargs['dtype']}"
            )
        modes = ("int", "one_hot", "multi_hot", "count")
        if output_mode not in modes:
            raise ValueError(
                f"Invalid value for argument `output_mode`. Expected one of {modes}. "
                f"Received: output_mode={output_mode}"
            )
        if sparse and output_mode == "int":
            raise ValueError(
                '`sparse` may only be true if `output_mode` is `"one_hot"`, `"multi_hot"`, or `"count"`. '
                f"Received: sparse={sparse} and output_mode={output_mode}"
            )
        self.num_bins = int(num_bins)
        self.mask_value = mask_value
        self.strong_hash = salt is not None
        self.output_mode = output_mode
        self.sparse = bool(sparse)
        self.salt = salt_pair(salt, "Hashing")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if util.has_keras_tensor(args, kwargs):
            return util.symbolic(self, args, kwargs)
        return super().__call__(*args, **kwargs)

    def _output_dtype(self) -> str:
        return self.dtype

    def _bins(self, values: np.ndarray) -> np.ndarray:
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            target = self.mask_value.encode() if isinstance(self.mask_value, str) else self.mask_value
            mask = values == target
        out = hash_buckets(as_hash_input(values), bins, self.salt)
        if mask is not None:
            out = np.where(mask, 0, out + 1)
        return out

    def call(self, inputs: Any) -> Any:
        mode, depth, dtype = self.output_mode, self.num_bins, self.dtype

        def numpy_fn(v: np.ndarray) -> np.ndarray:
            return util.encode_numpy(self._bins(v), mode, depth, dtype)

        x = convert_to_tensor(inputs)
        shape = util.encoded_shape(tuple(x.shape), mode, depth) if x.shape.rank is not None else None
        return _sparse_if(util.run(x, numpy_fn, None, dtype, shape, "Hashing"), self.sparse)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        if self.output_mode == "int":
            return shape
        return (self.num_bins,) if not shape else shape[:-1] + (self.num_bins,)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            num_bins=self.num_bins,
            salt=self.salt,
            mask_value=self.mask_value,
            output_mode=self.output_mode,
            sparse=self.sparse,
        )
        return config
