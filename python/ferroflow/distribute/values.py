"""Distributed values: ``PerReplica`` (one value per replica, what ``strategy.run`` returns with several
replicas), ``Mirrored`` (the same value on every replica) and ``MirroredVariable`` (a variable with a copy per
replica, made by ``tf.Variable`` inside a several-replica ``strategy.scope()``).

The replicas of a ferroflow strategy are logical CPUs of one process and share its memory, so a
``MirroredVariable`` keeps one buffer that every replica's component reads: the copies TensorFlow keeps equal
by synchronizing every update are equal here by construction. Updates made in replica context are collected
and applied once all replicas have run (``mirrored_run``), combined by the variable's ``aggregation``.

One case makes TensorFlow's copies differ: a non-trainable variable with ``aggregation=NONE`` (Keras's
``BatchNormalization`` moving statistics) updated in replica context, where each replica writes its own copy.
Such a variable gets a buffer of its own for each other replica the first time that replica reads it, which
that replica then reads and updates; cross-replica reads (``numpy()``, saving) see the first replica's copy,
and cross-replica updates write every copy.
"""

from __future__ import annotations

from typing import Any, List, Sequence

from ..framework import nest
from ..framework.variable_enums import VariableAggregation
from ..framework.variables import Variable
from . import _context


class DistributedValues:
    """Values of a computation, one per replica (``tf.distribute.DistributedValues``)."""

    def __init__(self, values: Sequence[Any]) -> None:
        self._values = tuple(values)

    @property
    def values(self) -> tuple:
        """The replicas' values, in replica order."""
        return self._values

    def _text(self, show: Any) -> str:
        body = ",\n".join(f"  {i}: {show(v)}" for i, v in enumerate(self._values))
        return f"{type(self).__name__}:{{\n{body}\n}}"

    def __repr__(self) -> str:
        return self._text(repr)

    def __str__(self) -> str:
        return self._text(str)


class PerReplica(DistributedValues):
    """Each replica's own value (the results of ``strategy.run``, a distributed dataset's elements)."""


class Mirrored(DistributedValues):
    """One value present on every replica (the result of ``all_reduce`` seen from cross-replica context)."""


# What a replica's component reads from the replica's own copy when it has one (the rest is the variable's).
_COPY_READS = frozenset({"numpy", "value", "read_value", "eval", "_eager_read", "_graph_read", "_v"})


class _ReplicaComponent:
    """Replica ``k``'s copy of a ``MirroredVariable``: TensorFlow's ``Variable/replica_k`` on the replica's
    device, reading the shared buffer."""

    def __init__(self, primary: MirroredVariable, index: int, device: str) -> None:
        self._primary = primary
        self._index = index
        self._device = device

    @property
    def name(self) -> str:
        suffix = f"/replica_{self._index}" if self._index else ""
        return f"{self._primary._name}{suffix}:0"

    @property
    def device(self) -> str:
        return self._device

    def __getattr__(self, attr: str) -> Any:
        copy = self._primary._copies.get(self._index) if attr in _COPY_READS else None
        return getattr(self._primary if copy is None else copy, attr)

    def __repr__(self) -> str:
        target = self._primary._copies.get(self._index, self._primary)
        return Variable.__repr__(target).replace(f"'{target._name}:0'", f"'{self.name}'", 1)


class _ReplicaCopy(Variable):
    """Replica ``k``'s own buffer of a mirrored variable whose copies may differ (see the module docstring)."""


class MirroredVariable(Variable):
    """A variable with one copy per replica of its strategy, kept equal (``tf.distribute`` mirrored variable).

    Reads and cross-replica updates act on the shared buffer at once; an update made inside ``strategy.run``
    is applied after the replicas finish, combined across them by ``aggregation``: ``SUM`` adds the replicas'
    updates, ``MEAN`` averages them, ``NONE`` and ``ONLY_FIRST_REPLICA`` take the first replica's (every replica
    of a synchronous step writes the same value to its own copy), except that each replica updates its own copy
    of a non-trainable ``NONE`` variable.
    """

    _per_replica = False  # whether each replica updates its own copy (set by _mirror)
    _copies: dict = {}  # replica index (> 0) -> _ReplicaCopy, made on the replica's first read (_mirror sets one)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from . import _api_functions

        super().__init__(*args, **kwargs)
        self._mirror(_api_functions.get_strategy())

    def _mirror(self, strategy: Any) -> None:
        self._strategy = strategy
        devices = strategy.extended.worker_devices
        self._device = devices[0]
        self._components = tuple(_ReplicaComponent(self, k, d) for k, d in enumerate(devices))
        self._copies = {}
        self._per_replica = not self.trainable and self.aggregation == VariableAggregation.NONE

    def _reader_copy(self) -> Any:
        """The copy the running replica reads: its own for a variable whose copies may differ (made now, equal to
        the first replica's, on its first read), else None (the shared buffer)."""
        if not self._per_replica:
            return None
        strategy, replica = _context.current_frame()
        k = getattr(replica, "_replica_id", 0)
        if not k or strategy is not self._strategy:
            return None
        return self._copy(k)

    def _copy(self, k: int) -> Any:
        """Replica ``k``'s own copy, made now (equal to the first replica's) if it has none yet."""
        copy = self._copies.get(k)
        return copy if copy is not None else self._make_copy(k)

    def _make_copy(self, k: int) -> Any:
        from ..framework import context

        with context.eager_scope():
            copy = _ReplicaCopy(self.numpy(), trainable=False, dtype=self.dtype, shape=self.shape)
        copy._name = f"{self._name}/replica_{k}"
        self._copies[k] = copy
        return copy

    def _eager_read(self) -> Any:
        copy = self._reader_copy()
        return super()._eager_read() if copy is None else copy._eager_read()

    def _graph_read(self, graph: Any) -> int:
        copy = self._reader_copy()
        return super()._graph_read(graph) if copy is None else copy._graph_read(graph)

    def _write(self, kind: str, value: Any, read_value: bool = True) -> Any:
        out = super()._write(kind, value, read_value)
        for copy in self._copies.values():  # a cross-replica update writes every copy
            copy._write(kind, value, read_value=False)
        return out

    def _write_replica(self, k: int, kind: str, value: Any) -> None:
        """Replica ``k``'s own update of a variable whose copies may differ (applied after the replicas ran)."""
        Variable._write(self._copy(k) if k else self, kind, value, read_value=False)

    @property
    def values(self) -> tuple:
        return self._components

    @property
    def distribute_strategy(self) -> Any:
        return self._strategy

    def _deferred(self, method: str, value: Any) -> bool:
        from . import mirrored_run

        return mirrored_run.defer_update(self, method, value)

    def assign(self, value: Any, use_locking: bool = False, name: Any = None, read_value: bool = True) -> Any:
        if self._deferred("assign", value):
            return self
        return super().assign(value, use_locking, name, read_value)

    def assign_add(self, delta: Any, use_locking: bool = False, name: Any = None, read_value: bool = True) -> Any:
        if self._deferred("assign_add", delta):
            return self
        return super().assign_add(delta, use_locking, name, read_value)

    def assign_sub(self, delta: Any, use_locking: bool = False, name: Any = None, read_value: bool = True) -> Any:
        if self._deferred("assign_sub", delta):
            return self
        return super().assign_sub(delta, use_locking, name, read_value)

    def __repr__(self) -> str:
        body = ",\n".join(f"  {i}: {c!r}" for i, c in enumerate(self._components))
        return f"MirroredVariable:{{\n{body}\n}}"


def mirrored_class(cls: type) -> type:
    """The class ``cls(...)`` makes: ``MirroredVariable`` for a plain ``Variable`` made eagerly under a strategy
    with several replicas, else ``cls``."""
    if cls is not Variable or not _context.in_scope():
        return cls
    from ..framework import context

    graph = context.current_graph()
    if _context.current_frame()[0].num_replicas_in_sync < 2 or (
        graph is not None and not getattr(graph, "is_function", False)
    ):
        return cls
    return MirroredVariable


def select_replica(k: int, structure: Any) -> Any:
    """``structure`` as replica ``k`` sees it: each ``PerReplica`` leaf replaced by its ``k``-th value."""
    return nest.map_structure(lambda v: v.values[k] if isinstance(v, DistributedValues) else v, structure)


def regroup(per_replica: List[Any]) -> Any:
    """The replicas' results (one structure each) as one structure whose leaves are ``PerReplica`` values;
    a leaf that is the same object on every replica (a mirrored variable, one merged result) stays itself."""

    def combine(*leaves: Any) -> Any:
        if all(leaf is leaves[0] for leaf in leaves):
            return leaves[0]
        return PerReplica(leaves)

    if per_replica[0] is None and all(r is None for r in per_replica):
        return None
    return nest.map_structure(combine, *per_replica)


class _PerReplicaParts(tuple):
    """A ``PerReplica``'s values as a tuple, so that ``tf.function`` feeds and fetches them as tensors."""


class _MirroredParts(tuple):
    """A ``Mirrored`` value's values as a tuple (see ``_PerReplicaParts``)."""


class PerReplicaSpec(_PerReplicaParts):
    """The spec of a ``PerReplica`` value: one spec per replica (a distributed dataset's ``element_spec``), usable
    in a ``tf.function``'s ``input_signature``."""

    def __repr__(self) -> str:
        return f"PerReplicaSpec({', '.join(repr(s) for s in self)})"


_PARTS = {PerReplica: _PerReplicaParts, Mirrored: _MirroredParts}
_WHOLES = {parts: whole for whole, parts in _PARTS.items()}
_WHOLES[PerReplicaSpec] = PerReplica  # a signature's placeholders, given to the function as PerReplica values


def _walk(structure: Any, leaf: Any) -> Any:
    if isinstance(structure, dict):
        return type(structure)((k, _walk(v, leaf)) for k, v in structure.items())
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure)(*[_walk(v, leaf) for v in structure])
    if isinstance(structure, (list, tuple)) and type(structure) not in _WHOLES:
        return type(structure)(_walk(v, leaf) for v in structure)
    return leaf(structure)


def expand_distributed(structure: Any) -> Any:
    """``structure`` with each ``PerReplica``/``Mirrored`` value replaced by a tuple of its values (what
    ``tf.function`` traces and feeds, as TensorFlow expands these composite values); itself if it has none."""
    if not any(type(v) in _PARTS for v in nest.flatten(structure)):
        return structure
    return _walk(structure, lambda v: _PARTS[type(v)](v.values) if type(v) in _PARTS else v)


def restore_distributed(structure: Any) -> Any:
    """The inverse of ``expand_distributed``."""
    return _walk(structure, lambda v: _WHOLES[type(v)](tuple(v)) if type(v) in _WHOLES else v)


def has_distributed_parts(structure: Any) -> bool:
    """Whether an expanded structure holds distributed values' parts."""
    if type(structure) in _WHOLES:
        return True
    if isinstance(structure, dict):
        return any(has_distributed_parts(v) for v in structure.values())
    return isinstance(structure, (list, tuple)) and any(has_distributed_parts(v) for v in structure)
