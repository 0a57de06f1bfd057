"""Flattening and rebuilding nested lists, tuples and dicts of values (``tf.nest``)."""

from __future__ import annotations

from typing import Any, Callable


def is_nested(x: Any) -> bool:
    return isinstance(x, (list, tuple, dict))


def flatten(x: Any, expand_composites: bool = False) -> list:
    """Leaves in order; dicts are walked in sorted key order, as TensorFlow does. With ``expand_composites``
    a sparse or ragged tensor or IndexedSlices stands for its component tensors."""
    if isinstance(x, dict):
        return [leaf for k in sorted(x) for leaf in flatten(x[k], expand_composites)]
    if isinstance(x, (list, tuple)):
        return [leaf for item in x for leaf in flatten(item, expand_composites)]
    if expand_composites and _is_composite_value(x):
        from .composite_graph import output_components

        return output_components(x)
    return [x]


def _is_composite_value(x: Any) -> bool:
    from .composite_graph import is_composite

    return is_composite(x) and not hasattr(x, "_component_specs")


def _from_components(template: Any, parts: list) -> Any:
    """The composite like ``template`` made of the component tensors ``parts``."""
    from .indexed_slices import IndexedSlices
    from .ragged_tensor import RaggedTensor
    from .sparse_tensor import SparseTensor

    if isinstance(template, IndexedSlices):
        return IndexedSlices(*parts)
    if isinstance(template, SparseTensor):
        return SparseTensor(*parts)
    return RaggedTensor.from_nested_row_splits(parts[0], parts[1:], validate=False)


def pack_sequence_as(structure: Any, flat: list, expand_composites: bool = False) -> Any:
    it = iter(flat)

    def build(s: Any) -> Any:
        if isinstance(s, dict):
            built = {k: build(s[k]) for k in sorted(s)}
            return type(s)((k, built[k]) for k in s) if type(s) is not dict else {k: built[k] for k in s}
        if isinstance(s, tuple) and hasattr(s, "_fields"):
            return type(s)(*[build(v) for v in s])
        if isinstance(s, (list, tuple)):
            return type(s)(build(v) for v in s)
        if expand_composites and _is_composite_value(s):
            from .composite_graph import output_components

            return _from_components(s, [next(it) for _ in output_components(s)])
        return next(it)

    return build(structure)


def map_structure(fn: Callable, *structures: Any, expand_composites: bool = False) -> Any:
    flats = [flatten(s, expand_composites) for s in structures]
    return pack_sequence_as(structures[0], [fn(*xs) for xs in zip(*flats)], expand_composites)
