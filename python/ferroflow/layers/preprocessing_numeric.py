"""``CategoryEncoding`` and ``Discretization``: integer categories to one-/multi-hot or count vectors, and
numbers to bucket indices (boundaries given, or learned from data by ``adapt``)."""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..ops import array_ops, math_ops
from . import _preprocessing_util as util
from .base_layer import Layer


def _sparse_if(out: Any, sparse: bool) -> Any:
    if not sparse:
        return out
    from ..framework.sparse_tensor import from_dense

    return from_dense(out)


class CategoryEncoding(Layer):
    """Encodes integer features (``0 <= value < num_tokens``) as one-hot, multi-hot or count vectors."""

    _allow_non_tensor_positional_args = True  # a preprocessing layer, as in Keras

    def __init__(
        self, num_tokens: Optional[int] = None, output_mode: str = "multi_hot", sparse: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in ("count", "one_hot", "multi_hot"):
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        if num_tokens is None:
            raise ValueError(
                "num_tokens must be set to use this layer. If the number of tokens is not known beforehand, use the "
                "IntegerLookup layer instead."
            )
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        self.num_tokens = int(num_tokens)
        self.output_mode = output_mode
        self.sparse = bool(sparse)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if util.has_keras_tensor(args, kwargs):
            return util.symbolic(self, args, kwargs)
        return super().__call__(*args, **kwargs)

    def _output_dtype(self) -> str:
        return self.compute_dtype

    def call(self, inputs: Any, count_weights: Any = None) -> Any:
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    "`count_weights` is not used when `output_mode` is not `'count'`. "
                    f"Received `count_weights={count_weights}`."
                )
            count_weights = array_ops.cast(convert_to_tensor(count_weights), self.compute_dtype)
        mode, depth, dtype = self.output_mode, self.num_tokens, self.compute_dtype
        x = convert_to_tensor(inputs)
        if count_weights is not None:
            if util.is_symbolic(x) or util.is_symbolic(count_weights):
                return _sparse_if(util.encode_graph(x, mode, depth, dtype, count_weights), self.sparse)
            out = util.encode_numpy(util.to_numpy(x), mode, depth, dtype, util.to_numpy(count_weights))
            return _sparse_if(convert_to_tensor(out), self.sparse)
        out = util.run(
            x,
            lambda v: util.encode_numpy(v, mode, depth, dtype),
            lambda t: util.encode_graph(t, mode, depth, dtype, count_weights),
            dtype,
            None,
            "CategoryEncoding",
        )
        return _sparse_if(out, self.sparse)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return util.encoded_shape(tuple(input_shape), self.output_mode, self.num_tokens)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(num_tokens=self.num_tokens, output_mode=self.output_mode)
        return config


# -- Discretization's quantile summaries: Keras's algorithm (a sorted sample of values with weights, merged and
# compressed to about 1/epsilon entries), so that adapt() learns the same boundaries.


def _summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    values = np.sort(np.reshape(values, [-1]))
    step = max(np.size(values) / (1.0 / epsilon), 1)
    boundaries = values[int(step - 1) :: int(step)]
    return np.stack([boundaries, np.ones_like(boundaries) * step])


def _compress(summary: np.ndarray, epsilon: float) -> np.ndarray:
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum_weights = summary[1].cumsum()
    cum_weight_percents = cum_weights / cum_weights[-1]
    new_bins = np.interp(percents, cum_weight_percents, summary[0])
    cum_weights = np.interp(percents, cum_weight_percents, cum_weights)
    new_weights = cum_weights - np.concatenate((np.array([0]), cum_weights[:-1]))
    return np.stack((new_bins, new_weights)).astype("float32")


def _merge(prev: np.ndarray, nxt: np.ndarray, epsilon: float) -> np.ndarray:
    merged = np.concatenate((prev, nxt), axis=1)
    return _compress(np.take(merged, np.argsort(merged[0]), axis=1), epsilon)


class Discretization(Layer):
    """Buckets numbers by ``bin_boundaries`` (``[0., 1., 2.]`` gives the buckets ``(-inf, 0)``, ``[0, 1)``,
    ``[1, 2)``, ``[2, inf)``), or by ``num_bins`` quantile boundaries that ``adapt`` learns."""

    _allow_non_tensor_positional_args = True  # a preprocessing layer, as in Keras

    def __init__(
        self,
        bin_boundaries: Optional[List[float]] = None,
        num_bins: Optional[int] = None,
        epsilon: float = 0.01,
        output_mode: str = "int",
        sparse: bool = False,
        dtype: Any = None,
        name: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, dtype=dtype, **kwargs)
        if sparse and output_mode == "int":
            raise ValueError(
                "`sparse=True` may only be used if `output_mode` is `'one_hot'`, `'multi_hot'`, or `'count'`. "
                f"Received: sparse={sparse} and output_mode={output_mode}"
            )
        util.validate_string_arg(output_mode, ("int", "one_hot", "multi_hot", "count"), "Discretization", "output_mode")
        if num_bins is not None and num_bins < 0:
            raise ValueError(f"`num_bins` must be greater than or equal to 0. Received: `num_bins={num_bins}`")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Both `num_bins` and `bin_boundaries` should not be set. "
                f"Received: `num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`"
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        self.bin_boundaries = None if bin_boundaries is None else [float(b) for b in bin_boundaries]
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = bool(sparse)
        self.summary = None if self.bin_boundaries else np.array([[], []], dtype="float32")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if util.has_keras_tensor(args, kwargs):
            return util.symbolic(self, args, kwargs)
        return super().__call__(*args, **kwargs)

    def _output_dtype(self) -> str:
        return self.compute_dtype if self.output_mode != "int" else "int32"

    def adapt(self, data: Any, steps: Optional[int] = None) -> None:
        """Learns ``num_bins`` quantile boundaries from ``data`` (an array, a tensor, a Dataset or an iterable of
        batches, read batch by batch as Keras does)."""
        if self.num_bins is None:
            raise ValueError(
                "Cannot adapt a Discretization layer that has been initialized with `bin_boundaries`, use "
                "`num_bins` instead."
            )
        self.reset_state()
        if isinstance(data, (list, tuple)):
            data = iter(data)  # Keras reads a Python list element by element, as batches
        for batch in util.adapt_batches(data, steps, lambda d: d):
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        values = util.to_numpy(data).astype("float32")
        self.summary = _merge(_summarize(values, self.epsilon), self.summary, self.epsilon)

    def finalize_state(self) -> None:
        if self.num_bins is None:
            return
        self.bin_boundaries = _compress(self.summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def reset_state(self) -> None:
        if self.num_bins is None:
            return
        self.summary = np.array([[], []], dtype="float32")

    def call(self, inputs: Any) -> Any:
        if self.bin_boundaries is None:
            raise ValueError(
                "You need to either pass the `bin_boundaries` argument at construction time or call "
                "`adapt(dataset)` before you can start using the `Discretization` layer."
            )
        bounds = np.asarray(self.bin_boundaries, "float32")
        mode, depth, dtype = self.output_mode, len(bounds) + 1, self._output_dtype()

        def numpy_fn(v: np.ndarray) -> np.ndarray:
            # NaN lands past the last boundary, as TensorFlow's Bucketize puts it
            idx = np.digitize(v.astype("float32"), bounds).astype("int32")
            return util.encode_numpy(idx, mode, depth, dtype)

        def graph_fn(t: Any) -> Any:
            t = array_ops.cast(t, "float32")
            below = array_ops.cast(math_ops.less(array_ops.expand_dims(t, -1), bounds), "int32")
            idx = math_ops.subtract(np.int32(len(bounds)), math_ops.reduce_sum(below, -1))
            return util.encode_graph(idx, mode, depth, dtype)

        out = util.run(convert_to_tensor(inputs), numpy_fn, graph_fn, dtype, None, "Discretization")
        return _sparse_if(out, self.sparse)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        if self.output_mode == "int":
            return shape
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins
        if self.output_mode == "one_hot":
            return (shape[:-1] if shape and shape[-1] == 1 and len(shape) > 1 else shape) + (depth,)
        return (shape[0],) + shape[2:] + (depth,) if len(shape) >= 2 else (depth,)

    def get_config(self) -> dict:
        return {
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }

    @classmethod
    def from_config(cls, config: dict) -> Discretization:
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            config = dict(config)
            boundaries = config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = boundaries  # adapted boundaries come back without a new adapt
            return layer
        return cls(**config)
