"""``tf.einsum`` against ``np.einsum``, with finite-difference gradients for every operand."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

rng = np.random.default_rng(5)

CASES = [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("bhqd,bhkd->bhqk", [(2, 3, 4, 5), (2, 3, 6, 5)]),
    ("i,i->", [(7,), (7,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("ij->ji", [(3, 4)]),
    ("ij->", [(3, 4)]),
    ("ij->j", [(3, 4)]),
    ("ij,jk", [(3, 4), (4, 2)]),
    ("...ij,...jk->...ik", [(2, 2, 3, 4), (2, 2, 4, 5)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("bi,bi->b", [(4, 3), (4, 3)]),
    ("abc,cd->abd", [(2, 3, 4), (4, 5)]),
]


@pytest.mark.parametrize("equation,shapes", CASES, ids=[c[0] for c in CASES])
def test_einsum_matches_numpy_with_gradients(equation, shapes):
    xs = [rng.standard_normal(s) for s in shapes]
    np.testing.assert_allclose(tf.einsum(equation, *xs).numpy(), np.einsum(equation, *xs), rtol=1e-10, atol=1e-12)
    f32 = tf.einsum(equation, *[x.astype(np.float32) for x in xs])
    np.testing.assert_allclose(f32.numpy(), np.einsum(equation, *xs), rtol=1e-4, atol=1e-4)
    for k in range(len(xs)):
        check_gradient(lambda *a: tf.einsum(equation, *a), *xs, wrt=k)


def test_einsum_in_a_function_and_bad_equations():
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
    np.testing.assert_allclose(tf.function(lambda x, y: tf.einsum("ij,jk->ik", x, y))(a, b).numpy(), a @ b)
    with pytest.raises(ValueError, match="names 2 operands"):
        tf.einsum("ij,jk->ik", a)
    with pytest.raises(ValueError, match="do not match"):
        tf.einsum("ijk,jk->ik", a, b)
    with pytest.raises(ValueError, match="size 3"):
        tf.einsum("ij,jk->ik", a, rng.standard_normal((5, 4)))
    with pytest.raises(ValueError, match="repeated in 'ij'|sizes 2 and 3"):
        tf.einsum("ii->i", np.ones((2, 3)))


@pytest.mark.parametrize("equation, shapes", [
    ("ii->i", [(4, 4)]),
    ("ii", [(4, 4)]),
    ("bxby->bxy", [(7, 5, 7, 6)]),  # the batch-jacobian diagonal of the advanced autodiff guide
    ("iij,jk->ik", [(3, 3, 2), (2, 5)]),
    ("iii->i", [(3, 3, 3)]),
])
def test_einsum_repeated_indices_take_diagonals(equation, shapes):
    xs = [rng.standard_normal(s) for s in shapes]
    np.testing.assert_allclose(tf.einsum(equation, *xs).numpy(), np.einsum(equation, *xs), rtol=1e-6, atol=1e-12)
    check_gradient(lambda *a: tf.einsum(equation, *a), *xs, wrt=0)
