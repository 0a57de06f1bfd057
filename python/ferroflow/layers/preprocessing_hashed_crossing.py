"""``HashedCrossing``: the cross of two or more categorical features hashed to ``num_bins`` buckets, with
TensorFlow's ``tf.sparse.cross_hashed`` (FarmHash fingerprints), so the bucket numbers are TensorFlow's."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import Tensor
from .base_layer import Layer


class HashedCrossing(Layer):
    """Crosses integer or string features of shape ``()``, ``(batch,)`` or ``(batch, 1)`` into one bucket in
    ``[0, num_bins)`` per sample (``output_mode="int"``), or its one-hot code (``"one_hot"``)."""

    _allow_non_tensor_positional_args = True  # a preprocessing layer, as in Keras

    def __init__(
        self,
        num_bins: int,
        output_mode: str = "int",
        sparse: bool = False,
        name: Optional[str] = None,
        dtype: Any = None,
        **kwargs: Any,
    ) -> None:
        if dtype is None:
            dtype = "int64" if output_mode == "int" else "float32"
        super().__init__(name=name, dtype=dtype, **kwargs)
        self.autocast = False
        if output_mode not in ("int", "one_hot"):
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of ('int', 'one_hot'). "
                f"Received: output_mode={output_mode}"
            )
        self.num_bins = int(num_bins)
        self.output_mode = output_mode
        self.sparse = bool(sparse)

    def _checked(self, inputs: Any) -> list:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"`HashedCrossing` should be called on a list or tuple of inputs. Received: inputs={inputs}"
            )
        if len(inputs) < 2:
            raise ValueError(f"`HashedCrossing` should be called on at least two inputs. Received: inputs={inputs}")
        if any(isinstance(x, SparseTensor) or hasattr(x, "flat_values") for x in inputs):
            raise ValueError(f"All `HashedCrossing` inputs should be dense tensors. Received: inputs={inputs}")
        tensors = [x if isinstance(x, Tensor) else convert_to_tensor(x) for x in inputs]
        first = tuple(tensors[0].shape)
        if len(first) > 2 or (len(first) == 2 and first[-1] != 1):
            raise ValueError(
                f"All `HashedCrossing` inputs should have shape `()`, `(batch_size)` or `(batch_size, 1)`. "
                f"Received: inputs={inputs}"
            )
        if not all(tuple(x.shape) == first for x in tensors[1:]):
            raise ValueError(f"All `HashedCrossing` inputs should have equal shape. Received: inputs={inputs}")
        if not all(x.dtype.is_integer or x.dtype.name == "string" for x in tensors):
            raise ValueError(
                f"All `HashedCrossing` inputs should have an integer or string dtype. Received: inputs={inputs}"
            )
        return tensors

    def call(self, inputs: Any) -> Any:
        from ..ops import array_ops
        from ..ops.sparse_cross_ops import cross_hashed
        from ..ops.sparse_ops import to_dense

        tensors = self._checked(inputs)
        first = tuple(tensors[0].shape)
        rank = len(first)
        for _ in range(2 - rank):
            tensors = [array_ops.expand_dims(x, -1) for x in tensors]
        out = to_dense(cross_hashed(tensors, self.num_bins))
        if rank == 2:
            out.set_shape(first)
        elif rank == 1:
            out.set_shape(first + (1,))
            out = array_ops.squeeze(out, axis=1)
        else:
            out = array_ops.reshape(out, [])
        if self.output_mode == "one_hot":
            out = array_ops.one_hot(out if rank != 2 else array_ops.squeeze(out, axis=-1), self.num_bins)
            out = array_ops.cast(out, self.dtype)
            if self.sparse:
                from ..framework.sparse_tensor import from_dense

                out = from_dense(out)
            return out
        return array_ops.cast(out, self.dtype)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        first = tuple(input_shape[0])
        if self.output_mode == "int":
            return first
        if first and first[-1] != 1:
            return first + (self.num_bins,)
        return first[:-1] + (self.num_bins,)

    def get_config(self) -> dict:
        return {
            "num_bins": self.num_bins,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }
