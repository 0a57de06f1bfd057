"""tf.nn.fractional_max_pool / fractional_avg_pool: region sequences as TensorFlow draws them, values against a
NumPy pooling over the returned sequences, gradients, errors."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.errors import InvalidArgumentError
from gradcheck import check_gradient

RNG = np.random.default_rng(4)


def _pool_ref(x, rows, cols, overlapping, reduce):
    out = np.zeros((x.shape[0], len(rows) - 1, len(cols) - 1, x.shape[3]))
    for i in range(len(rows) - 1):
        r1 = min(rows[i + 1] + (1 if overlapping else 0), x.shape[1])
        for j in range(len(cols) - 1):
            c1 = min(cols[j + 1] + (1 if overlapping else 0), x.shape[2])
            region = x[:, rows[i] : r1, cols[j] : c1]
            out[:, i, j] = region.max(axis=(1, 2)) if reduce == "max" else region.mean(axis=(1, 2))
    return out


@pytest.mark.parametrize("pseudo_random", [False, True])
@pytest.mark.parametrize("overlapping", [False, True])
@pytest.mark.parametrize("op, reduce", [(tf.nn.fractional_max_pool, "max"), (tf.nn.fractional_avg_pool, "avg")])
def test_regions_and_values(op, reduce, pseudo_random, overlapping):
    x = RNG.standard_normal((32, 28, 28, 16)).astype(np.float32)
    out, rows, cols = op(x, [1.0, 1.44, 1.73, 1.0], pseudo_random=pseudo_random, overlapping=overlapping, seed=5)
    assert out.shape == (32, 19, 16, 16) and rows.dtype == tf.int64
    for seq, n, m in ((rows.numpy(), 28, 19), (cols.numpy(), 28, 16)):
        assert seq[0] == 0 and seq[-1] == n and len(seq) == m + 1
        assert set(np.diff(seq)) <= {n // m, n // m + 1}
    want = _pool_ref(x, rows.numpy(), cols.numpy(), overlapping, reduce)
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-5, atol=1e-6)


def test_integer_ratio_is_plain_pooling_and_matches_tensorflow_shapes():
    x = (np.arange(2 * 6 * 8, dtype=np.float32).reshape(2, 6, 8, 1) % 7).astype(np.float32)
    out, rows, cols = tf.nn.fractional_max_pool(x, [1.0, 2.0, 2.0, 1.0], seed=1)
    # TensorFlow 2.21: sequences [0 2 4 6] and [0 2 4 6 8]
    assert rows.numpy().tolist() == [0, 2, 4, 6] and cols.numpy().tolist() == [0, 2, 4, 6, 8]
    np.testing.assert_array_equal(out.numpy(), tf.nn.max_pool2d(x, 2, 2, "VALID").numpy())
    avg = tf.nn.fractional_avg_pool(x, 2.0, seed=1).output
    np.testing.assert_allclose(avg.numpy(), tf.nn.avg_pool2d(x, 2, 2, "VALID").numpy(), rtol=1e-6)
    assert tf.nn.fractional_max_pool(x, 1.5, seed=2).output.shape == (2, 4, 5, 1)


def test_gradients_and_seeds():
    x = RNG.standard_normal((1, 7, 6, 2))
    tf.random.set_seed(3)
    first = tf.nn.fractional_avg_pool(x, 1.5, seed=9).row_pooling_sequence.numpy()
    tf.random.set_seed(3)
    again = tf.nn.fractional_avg_pool(x, 1.5, seed=9).row_pooling_sequence.numpy()
    np.testing.assert_array_equal(first, again)

    def pooled(fn):
        def f(t):
            tf.random.set_seed(3)  # the same regions in every evaluation
            return fn(t, 1.5, overlapping=True, seed=9).output

        return f

    check_gradient(pooled(tf.nn.fractional_avg_pool), x)
    check_gradient(pooled(tf.nn.fractional_max_pool), x)


def test_errors():
    x = np.zeros((2, 6, 8, 1), np.float32)
    with pytest.raises(ValueError, match="first and last elements with value 1.0"):
        tf.nn.fractional_max_pool(x, [2.0, 1.5, 1.5, 1.0])
    with pytest.raises(ValueError, match="first and last elements with value 1.0"):
        tf.nn.fractional_max_pool(x, [1.5, 1.5])
    with pytest.raises(InvalidArgumentError, match="Pooling ratio is higher than input dimension size"):
        tf.nn.fractional_max_pool(x, [1.0, 7.0, 1.5, 1.0])
