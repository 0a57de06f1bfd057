"""Candidate samplers (``tf.random.*_candidate_sampler``) and ``tf.nn.compute_accidental_hits``.

Each sampler draws ``num_sampled`` classes from a distribution over ``[0, range_max)`` and reports the expected
number of times each sampled and each true class would be drawn. Draws are Gumbel-max over the log
probabilities (composed of ops, so samplers run in ``tf.function`` too). With ``unique=True`` classes are drawn
one at a time without replacement, which is the distribution of TensorFlow's "draw until ``num_sampled``
distinct"; the number of draws that would have taken is drawn as well (a sum of geometric counts), and the
expected counts follow TensorFlow's formula ``1 - (1 - p) ** num_tries`` (``p * num_sampled`` when no draw
was repeated).
"""

from __future__ import annotations

import math
from collections import namedtuple
from typing import Any, Optional, Sequence

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from . import array_ops, math_ops, random_ops
from .scan_ops import cumsum

_FIELDS = ["sampled_candidates", "true_expected_count", "sampled_expected_count"]
UniformCandidateSampler = namedtuple("UniformCandidateSampler", _FIELDS)
LogUniformCandidateSampler = namedtuple("LogUniformCandidateSampler", _FIELDS)
FixedUnigramCandidateSampler = namedtuple("FixedUnigramCandidateSampler", _FIELDS)
LearnedUnigramCandidateSampler = namedtuple("LearnedUnigramCandidateSampler", _FIELDS)
AllCandidateSampler = namedtuple("AllCandidateSampler", _FIELDS)
ComputeAccidentalHits = namedtuple("ComputeAccidentalHits", ["indices", "ids", "weights"])

# Counts seen by learned_unigram_candidate_sampler, per configuration (TensorFlow keeps them in the op kernel).
_learned_counts: dict = {}


def _true_classes(true_classes: Any, num_true: int, op: str) -> Tensor:
    t = convert_to_tensor(true_classes)
    if t.dtype.name != "int64":
        raise InvalidArgumentError(f"{op}: true_classes must be an int64 tensor, received {t.dtype.name}")
    if t.shape.rank != 2:
        raise InvalidArgumentError(f"{op}: true_classes must be a matrix [batch, num_true], received shape {t.shape}")
    if t.shape[1] is not None and t.shape[1] != int(num_true):
        raise InvalidArgumentError(
            f"true_classes must have num_true columns, expected: {t.shape[1]} was: {int(num_true)}"
        )
    return t


def _check_counts(num_sampled: int, range_max: int, unique: bool) -> None:
    if num_sampled < 1:
        raise InvalidArgumentError(f"num_sampled must be at least 1, received {num_sampled}")
    if range_max < 1:
        raise InvalidArgumentError(f"range_max must be at least 1, received {range_max}")
    if unique and num_sampled > range_max:
        raise InvalidArgumentError("Sampler's range is too small.")


def _gumbel(shape: list, seed: Optional[int]) -> Tensor:
    u = random_ops.uniform(shape, dtype="float64", seed=seed)
    u = math_ops.maximum(u, 1e-300)  # log(0) would give an infinite key
    return math_ops.negative(math_ops.log(math_ops.negative(math_ops.log(u))))


def _sample(log_p: Tensor, num_sampled: int, unique: bool, seed: Optional[int]) -> tuple:
    """(sampled int64 [num_sampled], the number of draws TensorFlow's sampler would have made)."""
    range_max = log_p.shape[0]
    if not unique:
        keys = math_ops.add(_gumbel([num_sampled, range_max], seed), log_p)
        return math_ops.argmax(keys, axis=1, output_type="int64"), float(num_sampled)
    # Gumbel-max without replacement: the next best key among the classes not drawn yet.
    keys = math_ops.add(_gumbel([range_max], seed), log_p)
    picks = []
    for _ in range(num_sampled):
        k = math_ops.argmax(keys, axis=0, output_type="int64")
        picks.append(k)
        keys = math_ops.add(keys, array_ops.one_hot(k, range_max, on_value=-math.inf, off_value=0.0, dtype="float64"))
    sampled = array_ops.stack(picks)
    # Draws repeating a class already held: before the j-th new class, a geometric number of them with
    # repeat probability S_j, the mass of the classes held.
    held = cumsum(math_ops.exp(array_ops.gather(log_p, sampled)), exclusive=True)
    held = math_ops.minimum(held, 1.0 - 1e-16)
    u = math_ops.maximum(
        random_ops.uniform([num_sampled], dtype="float64", seed=None if seed is None else seed + 1), 1e-300
    )
    safe = array_ops.where(math_ops.greater(held, 0.0), held, array_ops.ones_like(held) * 0.5)
    repeats = array_ops.where(
        math_ops.greater(held, 0.0),
        math_ops.floor(math_ops.divide(math_ops.log(u), math_ops.log(safe))),
        array_ops.zeros_like(held),
    )
    return sampled, math_ops.add(math_ops.reduce_sum(repeats), float(num_sampled))


def _expected(p: Tensor, num_sampled: int, num_tries: Any) -> Tensor:
    """TensorFlow's ExpectedCountHelper, in float32."""
    linear = math_ops.multiply(p, float(num_sampled))
    if isinstance(num_tries, float):
        return array_ops.cast(linear, "float32")
    unique_count = math_ops.negative(math_ops.expm1(math_ops.multiply(num_tries, math_ops.log1p(math_ops.negative(p)))))
    return array_ops.cast(
        array_ops.where(math_ops.equal(num_tries, float(num_sampled)), linear, unique_count), "float32"
    )


def _run(result: type, true: Tensor, probs: np.ndarray, num_sampled: int, unique: bool, seed: Optional[int]) -> tuple:
    p = convert_to_tensor(probs.astype(np.float64))
    with np.errstate(divide="ignore"):
        log_p = convert_to_tensor(np.log(probs.astype(np.float64)))
    sampled, tries = _sample(log_p, num_sampled, unique, seed)
    sampled_p = array_ops.gather(p, sampled)
    true_p = array_ops.gather(p, true)
    return result(
        array_ops.stop_gradient(sampled),
        array_ops.stop_gradient(_expected(true_p, num_sampled, tries)),
        array_ops.stop_gradient(_expected(sampled_p, num_sampled, tries)),
    )


def uniform_candidate_sampler(
    true_classes: Any,
    num_true: int,
    num_sampled: int,
    unique: bool,
    range_max: int,
    seed: Optional[int] = None,
    name: Optional[str] = None,
) -> tuple:
    """Samples ``num_sampled`` classes uniformly from ``[0, range_max)`` (distinct with ``unique``)."""
    true = _true_classes(true_classes, num_true, "uniform_candidate_sampler")
    _check_counts(int(num_sampled), int(range_max), unique)
    probs = np.full(int(range_max), 1.0 / int(range_max))
    return _run(UniformCandidateSampler, true, probs, int(num_sampled), bool(unique), seed)


def log_uniform_candidate_sampler(
    true_classes: Any,
    num_true: int,
    num_sampled: int,
    unique: bool,
    range_max: int,
    seed: Optional[int] = None,
    name: Optional[str] = None,
) -> tuple:
    """Samples from the Zipfian ``P(k) = log((k + 2) / (k + 1)) / log(range_max + 1)`` (frequent classes have
    small ids)."""
    true = _true_classes(true_classes, num_true, "log_uniform_candidate_sampler")
    _check_counts(int(num_sampled), int(range_max), unique)
    k = np.arange(int(range_max), dtype=np.float64)
    probs = (np.log(k + 2) - np.log(k + 1)) / np.log(int(range_max) + 1)
    return _run(LogUniformCandidateSampler, true, probs, int(num_sampled), bool(unique), seed)


def _unigram_weights(vocab_file: str, unigrams: Sequence[float]) -> list:
    if vocab_file and len(unigrams):
        raise InvalidArgumentError("Only one of vocab_file and unigrams can be specified.")
    if vocab_file:
        from .gfile import GFile

        with GFile(vocab_file, "r") as f:
            return [float(line.rstrip("\n").split(",")[-1]) for line in f if line.strip()]
    if not len(unigrams):
        raise InvalidArgumentError("Must provide either vocab_file or unigrams.")
    return [float(u) for u in unigrams]


def fixed_unigram_candidate_sampler(
    true_classes: Any,
    num_true: int,
    num_sampled: int,
    unique: bool,
    range_max: int,
    vocab_file: str = "",
    distortion: float = 1.0,
    num_reserved_ids: int = 0,
    num_shards: int = 1,
    shard: int = 0,
    unigrams: Sequence[float] = (),
    seed: Optional[int] = None,
    name: Optional[str] = None,
) -> tuple:
    """Samples in proportion to ``unigrams`` (or the last comma-separated field of each line of ``vocab_file``)
    raised to ``distortion``, after ``num_reserved_ids`` ids of weight 0; ``num_shards``/``shard`` keep the ids
    ``i`` with ``i % num_shards == shard``."""
    true = _true_classes(true_classes, num_true, "fixed_unigram_candidate_sampler")
    _check_counts(int(num_sampled), int(range_max), unique)
    if not 0 <= int(shard) < int(num_shards):
        raise InvalidArgumentError(f"shard must be in [0, num_shards = {num_shards}), received {shard}")
    all_weights = [0.0] * int(num_reserved_ids) + [
        w ** float(distortion) for w in _unigram_weights(vocab_file, unigrams)
    ]
    weights = np.array([w for i, w in enumerate(all_weights) if i % int(num_shards) == int(shard)], np.float64)
    if len(weights) != int(range_max):
        raise InvalidArgumentError(f"range is {int(range_max)} must be equal to weights size  {len(weights)}")
    if isinstance(true, EagerTensor):
        bad = true.numpy()[(true.numpy() < 0) | (true.numpy() >= range_max)]
        if bad.size:
            raise InvalidArgumentError(f"`true_candidate` out of range [0, {int(range_max)}), received {bad[0]}")
    return _run(FixedUnigramCandidateSampler, true, weights / weights.sum(), int(num_sampled), bool(unique), seed)


def learned_unigram_candidate_sampler(
    true_classes: Any,
    num_true: int,
    num_sampled: int,
    unique: bool,
    range_max: int,
    seed: Optional[int] = None,
    name: Optional[str] = None,
) -> tuple:
    """Samples in proportion to ``1 + `` the number of times each class appeared among the true classes of the
    earlier (eager) calls with the same arguments; the true classes are counted after sampling, as TensorFlow
    does."""
    true = _true_classes(true_classes, num_true, "learned_unigram_candidate_sampler")
    _check_counts(int(num_sampled), int(range_max), unique)
    key = (int(num_true), int(num_sampled), bool(unique), int(range_max), seed)
    counts = _learned_counts.setdefault(key, np.ones(int(range_max), np.float64))
    result = _run(LearnedUnigramCandidateSampler, true, counts / counts.sum(), int(num_sampled), bool(unique), seed)
    if isinstance(true, EagerTensor):
        values = true.numpy().reshape(-1)
        np.add.at(counts, values[(values >= 0) & (values < range_max)], 1.0)
    return result


def all_candidate_sampler(
    true_classes: Any,
    num_true: int,
    num_sampled: int,
    unique: bool,
    seed: Optional[int] = None,
    name: Optional[str] = None,
) -> tuple:
    """Every class ``0 .. num_sampled - 1``, each with expected count 1 (for testing)."""
    true = _true_classes(true_classes, num_true, "all_candidate_sampler")
    sampled = convert_to_tensor(np.arange(int(num_sampled), dtype=np.int64))
    return AllCandidateSampler(
        sampled,
        array_ops.ones_like(array_ops.cast(true, "float32")),
        convert_to_tensor(np.ones(int(num_sampled), np.float32)),
    )


def compute_accidental_hits(
    true_classes: Any, sampled_candidates: Any, num_true: int, seed: Optional[int] = None, name: Optional[str] = None
) -> tuple:
    """Where a sampled candidate equals one of its row's true classes: ``(row indices int32, positions in
    sampled_candidates int64, weights -FLT_MAX)``. Eager only (the number of hits depends on the values)."""
    true = _true_classes(true_classes, num_true, "compute_accidental_hits")
    sampled = convert_to_tensor(sampled_candidates)
    if sampled.dtype.name != "int64":
        raise InvalidArgumentError(
            f"compute_accidental_hits: sampled_candidates must be int64, received {sampled.dtype.name}"
        )
    if not isinstance(true, EagerTensor) or not isinstance(sampled, EagerTensor):
        raise NotImplementedError(
            "compute_accidental_hits runs eagerly only for now: call it outside tf.function / graphs"
        )
    t, s = true.numpy(), sampled.numpy()
    rows, ids = [], []
    positions: dict = {}
    for k, v in enumerate(s.tolist()):
        positions.setdefault(v, []).append(k)
    # TensorFlow's order: row by row, each true class in turn, its positions among the samples
    for i in range(t.shape[0]):
        for v in t[i].tolist():
            for k in positions.get(v, []):
                rows.append(i)
                ids.append(k)
    weights = np.full(len(rows), -np.finfo(np.float32).max, np.float32)
    return ComputeAccidentalHits(
        convert_to_tensor(np.array(rows, np.int32)),
        convert_to_tensor(np.array(ids, np.int64)),
        convert_to_tensor(weights),
    )
