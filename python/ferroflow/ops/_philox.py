"""TensorFlow's stateless uniform scalars, bit for bit: ``tf.random.stateless_uniform((), seed)`` on the CPU
(Philox4x32-10, the algorithm TensorFlow picks there), written with ferroflow ops so that the seeds may be
tensors computed when a graph runs (a layer's counter variable inside ``fit``'s compiled step).

Keras 3 on the TensorFlow backend draws its random augmentations this way (``keras.random.uniform`` with a
``SeedGenerator``), so a layer that must land where Keras lands uses these numbers, not the core's own
generator. TensorFlow turns a seed ``(s0, s1)`` into a key and a counter by one Philox block on the counter
``(lo(s0), hi(s0), lo(s1), hi(s1))`` under a fixed key, then draws the block at ``(0, 0, mix2, mix3)`` under
the key ``(mix0, mix1)``; a float32 in ``[0, 1)`` is the first word's low 23 bits as a mantissa.

The 32-bit words are held in int64; the products of two words are taken in uint64 (they need all 64 bits)
and XOR is summed bit planes, so one round is a handful of small vector ops for every seed at once.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from . import array_ops, math_ops

_MULTIPLIERS = np.array([0xD2511F53, 0xCD9E8D57], np.uint64)
_KEY_STEP = np.array([0x9E3779B9, 0xBB67AE85], np.int64)
_SEED_KEY = (0x3EC8F720, 0x02461E29)
_WORD = 2**32
_BITS = np.array([1 << k for k in range(32)], np.int64)


def _xor3(words: Tensor) -> Tensor:
    """XOR of the last axis (3 words, int64 in [0, 2**32)): bit planes summed mod 2, packed back."""
    bits = math_ops.floormod(math_ops.floordiv(array_ops.expand_dims(words, -1), _BITS), 2)
    odd = math_ops.floormod(math_ops.reduce_sum(bits, axis=-2), 2)
    return math_ops.reduce_sum(odd * _BITS, axis=-1)


def _philox_block(counter: Tensor, key: Tensor) -> Tensor:
    """Philox4x32-10: ``counter`` [n, 4] and ``key`` [n, 2] (int64 words) -> the [n, 4] output block."""
    for _ in range(10):
        evens = array_ops.cast(array_ops.gather(counter, [0, 2], axis=1), "uint64")
        product = evens * _MULTIPLIERS  # (M0 * c0, M1 * c2), exact in 64 bits
        hi = array_ops.cast(math_ops.floordiv(product, np.uint64(_WORD)), "int64")
        lo = array_ops.cast(math_ops.floormod(product, np.uint64(_WORD)), "int64")
        # c0' = hi(M1 c2) ^ c1 ^ k0, c2' = hi(M0 c0) ^ c3 ^ k1, c1' = lo(M1 c2), c3' = lo(M0 c0)
        words = [array_ops.gather(hi, [1, 0], axis=1), array_ops.gather(counter, [1, 3], axis=1), key]
        mixed = _xor3(array_ops.stack(words, axis=-1))
        counter = array_ops.gather(array_ops.concat([mixed, lo], axis=1), [0, 3, 1, 2], axis=1)
        key = math_ops.floormod(key + _KEY_STEP, _WORD)
    return counter


def _numpy_block(counter: np.ndarray, key: np.ndarray) -> np.ndarray:
    """``_philox_block`` in NumPy uint64 (each product of two words fits), for values known now."""
    for _ in range(10):
        product = counter[:, [0, 2]] * _MULTIPLIERS
        hi, lo = product >> np.uint64(32), product & np.uint64(_WORD - 1)
        mixed = hi[:, [1, 0]] ^ counter[:, [1, 3]] ^ key
        counter = np.stack([mixed[:, 0], lo[:, 1], mixed[:, 1], lo[:, 0]], axis=1)
        key = (key + _KEY_STEP.astype(np.uint64)) & np.uint64(_WORD - 1)
    return counter


def _numpy_uniform(seeds: np.ndarray) -> np.ndarray:
    seeds = seeds.astype(np.int64).astype(np.uint64)
    low, high = seeds & np.uint64(_WORD - 1), seeds >> np.uint64(32)
    counter = np.stack([low[:, 0], high[:, 0], low[:, 1], high[:, 1]], axis=1)
    mix = _numpy_block(counter, np.broadcast_to(np.array(_SEED_KEY, np.uint64), (len(seeds), 2)))
    block = _numpy_block(np.concatenate([np.zeros_like(mix[:, :2]), mix[:, 2:]], axis=1), mix[:, :2])
    return (block[:, 0] & np.uint64((1 << 23) - 1)).astype(np.float32) * np.float32(2.0**-23)


def stateless_uniform_scalars(seeds: Any) -> Tensor:
    """float32 [n]: row ``i`` is ``tf.random.stateless_uniform((), seed=seeds[i])`` of TensorFlow, for
    ``seeds`` an int [n, 2] tensor of non-negative values (Keras's seeds are, after its ``floormod``).
    Seeds known now (eager) are drawn in NumPy; symbolic ones by graph ops."""
    seeds = convert_to_tensor(seeds)
    if isinstance(seeds, EagerTensor):
        return convert_to_tensor(_numpy_uniform(np.asarray(seeds.numpy()).reshape(-1, 2)))
    seeds = array_ops.cast(seeds, "int64")
    low = math_ops.floormod(seeds, _WORD)
    high = math_ops.floordiv(seeds, _WORD)
    counter = array_ops.gather(array_ops.concat([low, high], axis=1), [0, 2, 1, 3], axis=1)
    mix = _philox_block(counter, array_ops.zeros_like(seeds) + np.array(_SEED_KEY, np.int64))
    key = array_ops.gather(mix, [0, 1], axis=1)
    zeros = array_ops.zeros_like(key)
    block = _philox_block(array_ops.concat([zeros, array_ops.gather(mix, [2, 3], axis=1)], axis=1), key)
    mantissa = math_ops.floormod(block[:, 0], 1 << 23)
    return array_ops.cast(mantissa, "float32") * np.float32(2.0**-23)
