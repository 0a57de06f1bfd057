"""The shape of ``LinearOperator``: the static ``[B1, ..., Bb, M, N]`` shape, its batch and matrix dimensions,
and each of them as an int32 tensor."""

from __future__ import annotations

from typing import Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape


class LinearOperatorShape:
    """Mixin of ``LinearOperator``: everything here derives from the subclass's ``_shape()``."""

    @property
    def shape(self) -> TensorShape:
        """The static shape ``[B1, ..., Bb, M, N]``."""
        return self._shape()

    @property
    def batch_shape(self) -> TensorShape:
        """The leading dimensions ``[B1, ..., Bb]``."""
        return self.shape[:-2]

    @property
    def tensor_rank(self) -> Optional[int]:
        """The rank of the [batch] matrix, ``b + 2``."""
        return self.shape.rank

    @property
    def range_dimension(self) -> Optional[int]:
        """``M``: the length of the vectors the operator returns."""
        return self.shape[-2] if self.shape.rank else None

    @property
    def domain_dimension(self) -> Optional[int]:
        """``N``: the length of the vectors the operator acts on."""
        return self.shape[-1] if self.shape.rank else None

    def shape_tensor(self, name: str = "shape_tensor") -> Tensor:
        """The shape as an int32 tensor (the static shape must be known)."""
        if not self.shape.is_fully_defined():
            raise ValueError(f"{self.name}: shape_tensor needs a fully known shape, the operator has {self.shape}")
        return convert_to_tensor(np.asarray(self.shape.as_list(), np.int32))

    def batch_shape_tensor(self, name: str = "batch_shape_tensor") -> Tensor:
        """``batch_shape`` as an int32 tensor."""
        return self.shape_tensor()[:-2]

    def tensor_rank_tensor(self, name: str = "tensor_rank_tensor") -> Tensor:
        """``tensor_rank`` as an int32 tensor."""
        return convert_to_tensor(np.int32(self.shape.rank))

    def range_dimension_tensor(self, name: str = "range_dimension_tensor") -> Tensor:
        """``range_dimension`` as an int32 tensor."""
        return self.shape_tensor()[-2]

    def domain_dimension_tensor(self, name: str = "domain_dimension_tensor") -> Tensor:
        """``domain_dimension`` as an int32 tensor."""
        return self.shape_tensor()[-1]
