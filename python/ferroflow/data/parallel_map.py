"""``Dataset.map(num_parallel_calls=...)``: the traced function runs on worker threads, results in input order.

A traced function runs as a compiled plan with the GIL released, so several elements decode, resize or
parse at once on the cores; each worker runs its chunk's plans on its own thread, their kernels serially
(one worker per core is the parallelism: handing every element's run on to the core's pool cost a hand-off
and a waiting thread per element, and the JPEG pipeline of ``benchmarks/data_pipelines.py`` read 7-28% more
elements/s without it, 19-42% more beside two busy processes). The input is read, and results handed out,
on the consumer's thread, in the input's order (TensorFlow's deterministic order); an element whose function
fails raises at its own place and the iterator goes on, as the sequential one does.

Handing an element to another thread costs tens of microseconds, more than a cheap function (a cast and a
division) takes. So the first elements are timed on the consumer's thread; a function faster than
``PARALLEL_MIN_SECONDS`` per element stays there, and a slower one goes to the workers in chunks of about
``CHUNK_SECONDS`` of work (8 ms: on a machine whose cores other programs keep busy, each hand-off between the
consumer and a worker waits for a core, and the image pipeline of ``benchmarks/data_pipelines.py`` read
10.8-12.3K elements/s with 8 ms chunks against 8.8-10.6K with 2 ms ones, and 21.8-25.0K against
22.5-22.8K on a quiet machine). At most ``parallelism`` chunks are in flight, which bounds the memory; with
``AUTOTUNE``, twice as many, so that a worker that finishes a chunk finds the next one queued instead of
waiting for the consumer's thread to be scheduled and submit it (on a busy machine, a wait of milliseconds).

The timings are of the thread's CPU time where the function runs as a plan: on a busy machine the wall
time of a call also holds the time the thread waited for a core or for the GIL, and a probe inflated so
(one 8 ms call among calls of 80 us) made chunks of one element, whose hand-offs then cost more than the
function. A function run eagerly (``tf.py_function``) is timed by the wall clock, as its Python code may
sleep or wait on files. Whether to stay on the consumer's thread is still decided by the wall time (the
median call's): a function that waits on files goes to the workers however little CPU it uses.
"""

from __future__ import annotations

import collections
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterator, Optional

from . import traced

PROBE_ELEMENTS = 8
PARALLEL_MIN_SECONDS = 50e-6
CHUNK_SECONDS = 8e-3
MAX_CHUNK = 64

_pool: Optional[ThreadPoolExecutor] = None
_pool_lock = threading.Lock()


def _workers() -> ThreadPoolExecutor:
    """The worker threads shared by every parallel map, one per core, started on first use."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="ferroflow-data")
        return _pool


def _forget_workers_in_child() -> None:
    # A forked child has none of the parent's threads: it starts its own pool when it needs one.
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_workers_in_child)


def worth_parallel(fn: traced.TracedFunction, num_parallel_calls: Optional[int]) -> bool:
    """Whether ``map`` may run ``fn`` on worker threads: more than one call asked for and more than one core,
    and no ``tf.print`` callbacks in its plan (they stay on the consumer's thread, in order). A function run
    eagerly per element (one calling ``tf.py_function``) goes to the workers too, as TensorFlow runs such
    calls concurrently: Python code that sleeps, reads files or calls native code releases the GIL."""
    if num_parallel_calls is None or num_parallel_calls in (0, 1):
        return False
    return (os.cpu_count() or 1) > 1 and not fn.has_callbacks


def _run_chunk(fn: traced.TracedFunction, entries: list) -> list:
    """(output, None) or (None, error) for each (input, None) or (None, error reading the input) entry."""
    results = iter(fn.run_each([flat for flat, error in entries if error is None]))
    out = []
    for flat, error in entries:
        if error is None:
            value = next(results)
            if not isinstance(value, BaseException):
                out.append((value, None))
                continue
            error = fn.error(value, flat)
            error.__cause__ = value
        out.append((None, error))
    return out


class ParallelMapIterator:
    """Iterates ``fn`` over ``source`` with up to ``parallelism`` chunks of elements in flight."""

    def __init__(self, source: Iterator[tuple], fn: traced.TracedFunction, parallelism: int) -> None:
        self._it = source
        self._fn = fn
        self._parallelism = max(1, parallelism)
        self._ready: collections.deque = collections.deque()
        self._pending: collections.deque = collections.deque()
        self._probe_seconds: list = []  # (wall seconds, seconds of work) per probed call
        # a function run as a plan is timed by its thread's CPU time (see the module's docstring)
        self._work_clock = time.perf_counter if fn.eager else time.thread_time
        self._chunk = 0  # elements per chunk once decided; 0 while probing, -1 to stay on this thread
        self._exhausted = False

    def __iter__(self) -> ParallelMapIterator:
        return self

    def __next__(self) -> tuple:
        if self._chunk <= 0 and not self._ready:
            return self._next_inline()
        while not self._ready:
            self._fill()
            if not self._pending:
                raise StopIteration
            self._ready.extend(self._pending.popleft().result())
        value, error = self._ready.popleft()
        if error is not None:
            raise error
        return value

    def _next_inline(self) -> tuple:
        flat = next(self._it)
        start, work = time.perf_counter(), self._work_clock()
        try:
            value = self._fn(flat)
        except Exception as e:
            raise self._fn.error(e, flat) from e
        if self._chunk == 0:
            self._probe_seconds.append((time.perf_counter() - start, self._work_clock() - work))
            # Calls longer than a whole chunk's worth of work are worth the workers at once: one such call of
            # a function run eagerly (its wall time is its work: a sleep, a file read; a pipeline of three
            # elements must not probe two of them alone), two in a row of a plan (a thread's first call alone
            # can be that slow in CPU time too).
            probes, needed = self._probe_seconds, 1 if self._fn.eager else 2
            slow = len(probes) >= needed and min(w for _, w in probes[-needed:]) > CHUNK_SECONDS
            if len(probes) == PROBE_ELEMENTS or slow:
                self._decide()
        return value

    def _decide(self) -> None:
        # Medians, so that a first call that warms caches does not decide alone.
        middle = len(self._probe_seconds) // 2
        if sorted(wall for wall, _ in self._probe_seconds)[middle] < PARALLEL_MIN_SECONDS:
            self._chunk = -1
            return
        seconds = sorted(work for _, work in self._probe_seconds)[middle]
        self._chunk = int(min(MAX_CHUNK, max(1, CHUNK_SECONDS // max(seconds, 1e-9))))

    def _fill(self) -> None:
        """Reads and submits chunks until ``parallelism`` are in flight or the input ends."""
        pool = _workers()
        while len(self._pending) < self._parallelism and not self._exhausted:
            entries: list = []
            while len(entries) < self._chunk:
                try:
                    entries.append((next(self._it), None))
                except StopIteration:
                    self._exhausted = True
                    break
                except Exception as e:  # an input error keeps its place among the elements
                    entries.append((None, e))
            if entries:
                self._pending.append(pool.submit(_run_chunk, self._fn, entries))


def parallel_map(source: Iterator[tuple], fn: traced.TracedFunction, num_parallel_calls: int) -> Any:
    """The iterator of ``map``: on worker threads when ``worth_parallel``, else None."""
    if not worth_parallel(fn, num_parallel_calls):
        return None
    # AUTOTUNE: a chunk queued behind each running one (see the module's docstring)
    parallelism = 2 * (os.cpu_count() or 1) if num_parallel_calls < 0 else num_parallel_calls
    return ParallelMapIterator(source, fn, parallelism)
