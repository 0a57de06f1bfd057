"""``tf.TypeSpec``, the base of every value's spec (``TensorSpec``, ``SparseTensorSpec``, ``RaggedTensorSpec``,
``IndexedSlicesSpec``, ``tf.data.DatasetSpec``), and ``tf.type_spec_from_value``."""

from __future__ import annotations

import abc
from typing import Any, Optional


class TypeSpec(abc.ABC):
    """``tf.TypeSpec``: the type of a value, as ``tf.function`` signatures and ``tf.data`` element specs give
    it. Each spec says which Python class its values have (``value_type``), which values it admits
    (``is_compatible_with``) and how it relates to other specs of its kind."""

    @property
    @abc.abstractmethod
    def value_type(self) -> type:
        """The Python type of the values this spec describes."""

    def is_compatible_with(self, spec_or_value: Any) -> bool:
        """Whether ``spec_or_value`` (a spec or a value) could be described by this spec."""
        other = spec_or_value if isinstance(spec_or_value, TypeSpec) else _spec_or_none(spec_or_value)
        return other is not None and self.most_specific_common_supertype([other]) is not None

    def most_specific_common_supertype(self, others: Any) -> Optional[TypeSpec]:
        """The most specific spec describing the values of ``self`` and of every spec of ``others``, or None
        when they are of different kinds. Specs without a rule of their own relate only to equal ones."""
        return self if all(o == self for o in others) else None

    def is_subtype_of(self, other: Any) -> bool:
        """Whether every value of this spec is also one of ``other`` (``TensorSpec([2])`` is a subtype of
        ``TensorSpec([None])`` of the same dtype)."""
        if not isinstance(other, TypeSpec):
            return False
        return self.most_specific_common_supertype([other]) == other


def _spec_or_none(value: Any) -> Optional[TypeSpec]:
    try:
        return type_spec_from_value(value)
    except TypeError:
        return None


def type_spec_from_value(value: Any) -> TypeSpec:
    """``tf.type_spec_from_value``: the spec of ``value``, a tensor (or anything convertible to one: arrays,
    lists, numbers), a sparse or ragged tensor, ``IndexedSlices`` or a ``tf.data.Dataset``. A variable gives
    the ``TensorSpec`` of its value."""
    from . import composite_graph
    from .ops import convert_to_tensor
    from .tensor_spec import TensorSpec

    if composite_graph.is_composite(value) and not isinstance(value, TypeSpec):
        return composite_graph.spec_of(value)
    from ..data.dataset_ops import Dataset

    if isinstance(value, Dataset):
        from ..data.element_specs import DatasetSpec

        return DatasetSpec(value.element_spec)
    if not isinstance(value, TypeSpec):
        try:
            tensor = convert_to_tensor(value)
        except (TypeError, ValueError):
            tensor = None
        if tensor is not None:
            return TensorSpec(tensor.shape, tensor.dtype)
    raise TypeError(f"Could not build a TypeSpec for {value!r} of unsupported type {type(value)}.")
