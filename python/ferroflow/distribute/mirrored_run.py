"""``strategy.run`` with several replicas: the replicas run one after the other, in this thread.

TensorFlow runs each replica in its own thread and blocks them at every synchronization point
(``merge_call``, ``all_reduce``, an optimizer step). Here the replica functions run in turn, which gives the
same results for synchronous training:

* updates made in replica context (``optimizer.apply_gradients``, ``assign`` on a mirrored variable) are
  collected and applied once every replica has run, so each replica computes on the same variable values, as
  TensorFlow's replicas do; the optimizer then applies the sum of the replicas' gradients once (each replica's
  loss is already scaled by the global batch size, so the sum is the global-batch gradient);
* a synchronization point that needs the other replicas' values (``merge_call``, ``all_reduce``,
  ``all_gather``) stops the replica there; once every replica has reached it the merged result is computed
  and the replicas run again from the start, receiving the known results, until one pass completes. Code
  before a synchronization point therefore runs once more per such point (its Python side effects repeat;
  collected updates of unfinished passes are dropped).
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional

from . import _context
from .values import MirroredVariable, select_replica


class _Suspend(BaseException):
    """Stops a replica at a synchronization point whose merged result is not known yet (not an Exception, so
    that user code catching exceptions does not swallow it)."""


class _RunState:
    def __init__(self, strategy: Any) -> None:
        self.strategy = strategy
        self.results: List[List[Any]] = []  # merged result of each synchronization point, per replica
        self.waiting: List[Any] = []  # (kind, payload) each replica brought to the next unknown point
        self.updates: List[tuple] = []  # (replica, variable, method, value) collected this pass
        self.steps: List[tuple] = []  # (replica, optimizer, grads, variables) collected this pass
        self.replica = 0
        self.point = 0  # the next synchronization point of the running replica


_active: List[_RunState] = []


def current() -> Optional[_RunState]:
    """The run in progress whose replica is executing now (None in cross-replica code)."""
    if not _active:
        return None
    strategy, replica = _context.current_frame()
    state = _active[-1]
    return state if replica is not None and strategy is state.strategy else None


def synchronize(kind: str, payload: Any, merge: Callable[[List[Any]], List[Any]]) -> Any:
    """This replica's share of synchronization point ``kind``: ``merge`` turns the replicas' payloads (in
    replica order) into one result per replica once all have arrived."""
    state = current()
    point = state.point
    state.point += 1
    if point < len(state.results):
        return state.results[point][state.replica]
    state.waiting.append((kind, (payload, merge)))
    raise _Suspend


def defer_update(variable: MirroredVariable, method: str, value: Any) -> bool:
    """Collects a replica's update of a mirrored variable of the running strategy (True), else False."""
    state = current()
    if state is None or getattr(variable, "_strategy", None) is not state.strategy:
        return False
    from ..framework.ops import convert_to_tensor

    state.updates.append((state.replica, variable, method, convert_to_tensor(value, dtype=variable.dtype)))
    return True


def defer_step(optimizer: Any, grads: list, variables: Optional[Any]) -> bool:
    """Collects a replica's ``optimizer.apply`` during a several-replica run (True), else False."""
    state = current()
    if state is None:
        return False
    state.steps.append((state.replica, optimizer, list(grads), None if variables is None else list(variables)))
    return True


def run(strategy: Any, fn: Callable, args: tuple, kwargs: dict) -> List[Any]:
    """``fn`` on every replica of ``strategy``; the list of the replicas' results, after the collected updates
    have been applied."""
    from .replica_context import ReplicaContext

    state = _RunState(strategy)
    n = strategy.num_replicas_in_sync
    _active.append(state)
    try:
        while True:
            state.waiting, state.updates, state.steps = [], [], []
            outputs = []
            for k in range(n):
                state.replica, state.point = k, 0
                _context.push((strategy, ReplicaContext(strategy, k)))
                try:
                    with strategy._replica_device(k):
                        outputs.append(fn(*select_replica(k, args), **select_replica(k, kwargs)))
                except _Suspend:
                    pass
                finally:
                    _context.pop()
            if not state.waiting:
                break
            if len(state.waiting) != n or len({kind for kind, _ in state.waiting}) != 1:
                raise RuntimeError(
                    "The replicas of strategy.run reached different synchronization points (merge_call, "
                    f"all_reduce, all_gather): {[kind for kind, _ in state.waiting]} from {n} replicas"
                )
            merge = state.waiting[0][1][1]
            state.results.append(merge([payload for _, (payload, _) in state.waiting]))
    finally:
        _active.pop()
    _apply_collected(state)
    return outputs


def _apply_collected(state: _RunState) -> None:
    """The pass's collected updates and optimizer steps, applied once in cross-replica context."""
    from ..framework.variable_enums import VariableAggregation

    n = state.strategy.num_replicas_in_sync
    _context.push((state.strategy, None))
    try:
        # Each replica updates its own copy of a variable whose copies may differ, in order; the copies are made
        # (equal to the first replica's) before the first replica's update.
        own = [u for u in state.updates if u[1]._per_replica]
        for replica, variable, _method, _value in own:
            if replica:
                variable._copy(replica)
        for replica, variable, method, value in own:
            variable._write_replica(replica, method, value)
        by_variable: dict = {}
        for _replica, variable, method, value in state.updates:
            if not variable._per_replica:
                by_variable.setdefault((id(variable), method), (variable, method, []))[2].append(value)
        for variable, method, values in by_variable.values():
            aggregation = variable.aggregation
            if aggregation == VariableAggregation.SUM:
                value = _add_all(values)
            elif aggregation == VariableAggregation.MEAN:
                value = _add_all(values) / len(values)
            else:
                value = values[0]
            getattr(super(MirroredVariable, variable), method)(value)
        by_optimizer: dict = {}
        for _replica, optimizer, grads, variables in state.steps:
            entry = by_optimizer.setdefault(id(optimizer), (optimizer, variables, []))
            entry[2].append(grads)
        for optimizer, variables, replica_grads in by_optimizer.values():
            if len(replica_grads) != n:
                raise RuntimeError(
                    f"optimizer.apply_gradients ran on {len(replica_grads)} of {n} replicas in one strategy.run"
                )
            summed = [None if g[0] is None else _add_all(g) for g in zip(*replica_grads)]
            optimizer.apply(summed, variables)
    finally:
        _context.pop()


def _add_all(values: List[Any]) -> Any:
    from ..framework.ops import convert_to_tensor

    total = convert_to_tensor(values[0])
    for value in values[1:]:
        total = total + convert_to_tensor(value)
    return total
