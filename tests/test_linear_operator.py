"""``tf.linalg.LinearOperator`` and its subclasses: every method against NumPy on the dense matrix (float32 and
float64, batched, eagerly and in ``tf.function``), gradients against finite differences in float64, the
operator algebra, TensorFlow's docstring example, and TensorFlow's errors."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradients, check_values

LA = tf.linalg
N = 4


def rand(*shape, seed=0, shift=0.0):
    """Random [batch] arrays; ``shift`` times the identity keeps square ones well conditioned."""

    def make(dtype):
        a = np.random.default_rng(seed).standard_normal(shape)
        return (a + shift * np.eye(shape[-1]) if shift else a).astype(dtype)

    return make


def spd(*shape):
    def make(dtype):
        a = np.random.default_rng(1).standard_normal(shape)
        return (a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dtype)

    return make


def away_from_zero(*shape, seed=2):
    def make(dtype):
        a = np.random.default_rng(seed).standard_normal(shape)
        return (a + 2 * np.sign(a)).astype(dtype)

    return make


def T(a):
    return np.swapaxes(a, -1, -2)


def np_diag(d):
    return d[..., :, None] * np.eye(d.shape[-1], dtype=d.dtype)


# (name, operator from the parameter tensors, dense NumPy matrix from the parameter arrays, parameter builders)
CASES = [
    ("full", LA.LinearOperatorFullMatrix, lambda a: a, [rand(2, 3, N, N, shift=3.0)]),
    (
        "full_spd",
        lambda a: LA.LinearOperatorFullMatrix(a, is_self_adjoint=True, is_positive_definite=True),
        lambda a: a,
        [spd(3, N, N)],
    ),
    ("diag", LA.LinearOperatorDiag, np_diag, [away_from_zero(2, N)]),
    (
        "identity",  # ``z`` only carries the dtype: the identity has no parameters
        lambda z: LA.LinearOperatorIdentity(N, batch_shape=[2], dtype=z.dtype),
        lambda z: np.broadcast_to(np.eye(N, dtype=z.dtype), (2, N, N)),
        [rand(1)],
    ),
    (
        "scaled_identity",
        lambda m: LA.LinearOperatorScaledIdentity(N, m),
        lambda m: m[:, None, None] * np.eye(N, dtype=m.dtype),
        [away_from_zero(3)],
    ),
    ("lower_triangular", LA.LinearOperatorLowerTriangular, np.tril, [rand(2, N, N, shift=3.0)]),
    (
        "composition",
        lambda a, d: LA.LinearOperatorComposition([LA.LinearOperatorFullMatrix(a), LA.LinearOperatorDiag(d)]),
        lambda a, d: a @ np_diag(d),
        [rand(N, N, shift=3.0), away_from_zero(2, N)],
    ),
    (
        "inversion",
        lambda a: LA.LinearOperatorInversion(LA.LinearOperatorFullMatrix(a)),
        np.linalg.inv,
        [rand(3, N, N, shift=3.0)],
    ),
    ("adjoint", lambda a: LA.LinearOperatorFullMatrix(a).adjoint(), T, [rand(2, N, N, seed=3, shift=3.0)]),
]

X, V, XT = rand(N, 3, seed=5), rand(N, seed=6), rand(2, 1, 3, N, seed=7)  # XT: broadcasts over the batch
# (name, method applied to the operator and x, NumPy reference from the dense matrix and x, x's builder)
METHODS = [
    ("to_dense", lambda op: op.to_dense(), lambda d: d, None),
    ("matmul", lambda op, x: op.matmul(x), lambda d, x: d @ x, X),
    ("matmul_operator", lambda op, x: op @ x, lambda d, x: d @ x, X),
    ("matmul_adjoint", lambda op, x: op.matmul(x, adjoint=True), lambda d, x: T(d) @ x, X),
    ("matmul_adjoint_arg", lambda op, x: op.matmul(x, adjoint_arg=True), lambda d, x: d @ T(x), XT),
    ("matvec", lambda op, v: op.matvec(v), lambda d, v: (d @ v[:, None])[..., 0], V),
    ("matvec_adjoint", lambda op, v: op.matvec(v, adjoint=True), lambda d, v: (T(d) @ v[:, None])[..., 0], V),
    ("solve", lambda op, x: op.solve(x), lambda d, x: np.linalg.inv(d) @ x, X),
    ("solve_adjoint", lambda op, x: op.solve(x, adjoint=True), lambda d, x: np.linalg.inv(T(d)) @ x, X),
    ("solve_adjoint_arg", lambda op, x: op.solve(x, adjoint_arg=True), lambda d, x: np.linalg.inv(d) @ T(x), XT),
    ("solvevec", lambda op, v: op.solvevec(v), lambda d, v: (np.linalg.inv(d) @ v[:, None])[..., 0], V),
    ("determinant", lambda op: op.determinant(), np.linalg.det, None),
    ("log_abs_determinant", lambda op: op.log_abs_determinant(), lambda d: np.linalg.slogdet(d)[1], None),
    ("diag_part", lambda op: op.diag_part(), lambda d: np.diagonal(d, axis1=-2, axis2=-1), None),
    ("trace", lambda op: op.trace(), lambda d: np.trace(d, axis1=-2, axis2=-1), None),
    ("add_to_tensor", lambda op, x: op.add_to_tensor(x), lambda d, x: d + x, rand(N, N, seed=8)),
    ("inverse", lambda op: op.inverse().to_dense(), np.linalg.inv, None),
    ("adjoint_op", lambda op: op.H.to_dense(), T, None),
    ("composed", lambda op: (op @ op.adjoint()).to_dense(), lambda d: d @ T(d), None),
]


def row(case, method):
    """``(fn, ref, builders)`` applying ``method`` to the operator of ``case``."""
    _, make, dense, params = case
    _, apply, ref, x = method
    k = len(params)
    if x is None:
        return (lambda *a: apply(make(*a)), lambda *a: ref(dense(*a)), params)
    return (lambda *a: apply(make(*a[:k]), a[k]), lambda *a: ref(dense(*a[:k]), a[k]), params + [x])


# The identity adds itself to a tensor without taking on its batch shape (as TensorFlow): tested on its own.
ROWS = [
    pytest.param(c, m, id=f"{c[0]}-{m[0]}")
    for c in CASES
    for m in METHODS
    if (c[0], m[0]) != ("identity", "add_to_tensor")
]


@pytest.mark.parametrize("case,method", ROWS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_values_against_numpy(case, method, dtype):
    fn, ref, builders = row(case, method)
    check_values(fn, ref, builders, dtype, float32_tol=2e-4)


WIDE = rand(2, 3, 5, seed=9)
# (name, method of a [2] batch of 3 x 5 operators, NumPy reference, x's builder): what a non-square one supports.
NON_SQUARE = [
    ("matmul", lambda op, x: op.matmul(x), lambda d, x: d @ x, rand(5, 2, seed=10)),
    ("matmul_adjoint", lambda op, x: op.matmul(x, adjoint=True), lambda d, x: T(d) @ x, rand(3, 2, seed=11)),
    ("matmul_adjoint_arg", lambda op, x: op.matmul(x, adjoint_arg=True), lambda d, x: d @ T(x), rand(2, 5)),
    ("matvec_adjoint", lambda op, v: op.matvec(v, adjoint=True), lambda d, v: (T(d) @ v[:, None])[..., 0], rand(3)),
    ("diag_part", lambda op: op.diag_part(), lambda d: np.diagonal(d, axis1=-2, axis2=-1), None),
    ("trace", lambda op: op.trace(), lambda d: np.trace(d, axis1=-2, axis2=-1), None),
    ("add_to_tensor", lambda op, x: op.add_to_tensor(x), lambda d, x: d + x, rand(3, 5, seed=12)),
    ("adjoint_shape", lambda op: op.H.to_dense(), T, None),
    ("gram", lambda op: (op @ op.H).to_dense(), lambda d: d @ T(d), None),
]


@pytest.mark.parametrize("method", NON_SQUARE, ids=[m[0] for m in NON_SQUARE])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_non_square_operators(method, dtype):
    fn, ref, builders = row(("wide", LA.LinearOperatorFullMatrix, lambda a: a, [WIDE]), method)
    check_values(fn, ref, builders, dtype, float32_tol=2e-5)
    if dtype == np.float64:
        check_gradients(fn, builders)


GRADIENT_METHODS = {"to_dense", "matmul", "matmul_adjoint", "matvec", "solve", "solve_adjoint", "determinant"}
GRADIENT_METHODS |= {"log_abs_determinant", "trace", "inverse"}
GRADIENT_ROWS = [r for r in ROWS if r.values[1][0] in GRADIENT_METHODS]


@pytest.mark.parametrize("case,method", GRADIENT_ROWS)
def test_gradients_against_finite_differences(case, method):
    fn, _, builders = row(case, method)
    check_gradients(fn, builders)


def test_the_docstring_examples_print_what_tensorflow_prints():
    operator = LA.LinearOperatorFullMatrix([[1.0, 2.0], [3.0, 4.0]])
    assert str(operator.to_dense()) == "tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)"
    assert operator.shape == [2, 2] and str(operator.shape) == "(2, 2)"
    assert str(operator.log_abs_determinant()) == "tf.Tensor(0.6931472, shape=(), dtype=float32)"
    assert operator.matmul(tf.ones([2, 4])).shape == [2, 4]
    operator = LA.LinearOperatorDiag([1.0, -1.0])
    assert str(operator.to_dense()) == "tf.Tensor(\n[[ 1.  0.]\n [ 0. -1.]], shape=(2, 2), dtype=float32)"
    assert str(operator.log_abs_determinant()) == "tf.Tensor(0.0, shape=(), dtype=float32)"
    # A [2, 3] batch of 4 x 4 diagonal operators; y's batch [2, 1] broadcasts to it.
    operator = LA.LinearOperatorDiag(tf.random.normal(shape=[2, 3, 4]))
    y = tf.random.normal(shape=[2, 1, 4, 2])
    x = operator.solve(y)
    assert x.shape == [2, 3, 4, 2] and operator.batch_shape == [2, 3]
    np.testing.assert_allclose(operator.matmul(x).numpy(), np.broadcast_to(y.numpy(), [2, 3, 4, 2]), rtol=1e-5)


def test_properties_and_hints():
    op = LA.LinearOperatorFullMatrix(np.ones((2, 3, 5)))
    assert (op.shape, op.batch_shape, op.tensor_rank) == ([2, 3, 5], [2], 3)
    assert (op.range_dimension, op.domain_dimension, op.dtype, op.name) == (
        3,
        5,
        tf.float64,
        "LinearOperatorFullMatrix",
    )
    assert op.shape_tensor().numpy().tolist() == [2, 3, 5] and op.batch_shape_tensor().numpy().tolist() == [2]
    assert op.is_square is False and op.is_non_singular is None and op.parameters["is_square"] is None
    assert LA.LinearOperatorFullMatrix(np.eye(2), name="a b").name == "a b"  # TensorFlow allows any name
    pd = LA.LinearOperatorFullMatrix(np.eye(2), is_positive_definite=True)
    assert (pd.is_non_singular, pd.is_square) == (True, True)
    d = LA.LinearOperatorDiag([1.0, 2.0])
    assert (d.is_self_adjoint, d.is_square, d.is_non_singular) == (True, True, None)
    x = np.arange(9.0, dtype=np.float32).reshape(3, 3)
    added = LA.LinearOperatorIdentity(3, batch_shape=[2]).add_to_tensor(x)
    np.testing.assert_array_equal(added.numpy(), x + np.eye(3))  # x's shape, not the batch's: TensorFlow's rule
    assert LA.LinearOperatorIdentity(3).dtype == tf.float32 and LA.LinearOperatorScaledIdentity(3, 2.0).is_self_adjoint


def test_algebra_keeps_structure():
    d = LA.LinearOperatorDiag([2.0, 4.0], is_positive_definite=True)
    full = LA.LinearOperatorFullMatrix([[1.0, 2.0], [3.0, 4.0]])
    eye, scaled = LA.LinearOperatorIdentity(2), LA.LinearOperatorScaledIdentity(2, 3.0)
    assert type(d @ d) is LA.LinearOperatorDiag and (d @ d).diag.numpy().tolist() == [4.0, 16.0]
    assert (d @ d).is_positive_definite and d.H is d and type(d.inverse()) is LA.LinearOperatorDiag
    np.testing.assert_allclose(d.cholesky().to_dense().numpy(), np.diag(np.sqrt([2.0, 4.0])), rtol=1e-6)
    assert eye @ full is full and full @ eye is full and eye.inverse() is eye and full.solve(eye).operator is full
    assert type(scaled @ scaled) is LA.LinearOperatorScaledIdentity and type(scaled @ d) is LA.LinearOperatorDiag
    assert type(d @ scaled) is LA.LinearOperatorDiag and type(scaled.inverse()) is LA.LinearOperatorScaledIdentity
    tril = LA.LinearOperatorLowerTriangular([[1.0, 0.0], [2.0, 3.0]])
    assert type(tril @ d) is LA.LinearOperatorLowerTriangular and type(d @ tril) is LA.LinearOperatorLowerTriangular
    np.testing.assert_allclose((tril @ d).to_dense().numpy(), [[2.0, 0.0], [4.0, 12.0]])
    prod = full @ full
    assert (
        type(prod) is LA.LinearOperatorComposition
        and prod.name == "LinearOperatorFullMatrix_o_LinearOperatorFullMatrix"
    )
    assert full.inverse().name == "LinearOperatorFullMatrix_inv" and full.inverse().inverse() is full
    assert full.H.name == "LinearOperatorFullMatrix_adjoint" and full.H.H is full
    gram = LA.LinearOperatorComposition([full, full.H])
    assert gram.is_self_adjoint and gram.is_square
    a = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    np.testing.assert_allclose(full.solve(full.H).to_dense().numpy(), np.linalg.solve(a, a.T), rtol=1e-5)
    np.testing.assert_allclose(full.matmul(full, adjoint=True).to_dense().numpy(), a.T @ a)
    np.testing.assert_allclose(a @ full, a @ a)  # NumPy on the left defers to the operator


def test_cholesky_of_a_self_adjoint_positive_definite_operator():
    a = spd(3, 3)(np.float64)
    op = LA.LinearOperatorFullMatrix(a, is_self_adjoint=True, is_positive_definite=True)
    chol = op.cholesky()
    assert type(chol) is LA.LinearOperatorLowerTriangular and chol.is_non_singular
    np.testing.assert_allclose(chol.to_dense().numpy(), np.linalg.cholesky(a), rtol=1e-12)
    # The gradient is symmetric, as TensorFlow's: the hints promise a symmetric matrix.
    x = tf.constant(a)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = LA.LinearOperatorFullMatrix(x, is_self_adjoint=True, is_positive_definite=True).log_abs_determinant()
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), np.linalg.inv(a), rtol=1e-10)


def test_variables_are_read_at_each_use():
    v = tf.Variable([[2.0, 0.0], [0.0, 4.0]])
    op = LA.LinearOperatorFullMatrix(v)
    assert op.trainable_variables == (v,) and LA.LinearOperatorComposition([op, op]).trainable_variables == (v,)
    v.assign([[1.0, 0.0], [0.0, 1.0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(op.matvec([1.0, 2.0]))
    assert y.numpy() == 3.0 and tape.gradient(y, v).numpy().tolist() == [[1.0, 2.0], [1.0, 2.0]]


square = LA.LinearOperatorFullMatrix(np.eye(4, dtype=np.float32))
wide = LA.LinearOperatorFullMatrix(np.ones((3, 5), np.float32))
singular = LA.LinearOperatorFullMatrix(np.ones((2, 2), np.float32), is_non_singular=False)
ones = np.ones((3, 2), np.float32)
# (call, exception, message pattern)
ERRORS = [
    (lambda: wide.solve(ones), NotImplementedError, "expected to not be square"),
    (lambda: singular.solve(np.ones((2, 1), np.float32)), NotImplementedError, "expected to be singular"),
    (lambda: singular.solvevec(np.ones(2, np.float32)), NotImplementedError, "expected to be singular"),
    (lambda: wide.determinant(), NotImplementedError, "Determinant not implemented"),
    (lambda: wide.log_abs_determinant(), NotImplementedError, "Determinant not implemented"),
    (lambda: wide.inverse(), ValueError, "non square matrix"),
    (lambda: singular.inverse(), ValueError, "singular matrix"),
    (lambda: square.cholesky(), ValueError, "Not a positive definite self adjoint matrix"),
    (
        lambda: square.matmul(ones),
        ValueError,
        r"Dimensions 4 and 3 .*`x` of shape \[\.\.\., 4, R\].*\(4, 4\), received shape \(3, 2\)",
    ),
    (
        lambda: square.matmul(ones, adjoint_arg=True),
        ValueError,
        r"`x` of shape \[\.\.\., R, 4\].*received shape \(3, 2\)",
    ),
    (
        lambda: wide.matmul(np.ones((5, 2), np.float32), adjoint=True),
        ValueError,
        r"Dimensions 3 and 5 .* \[\.\.\., 3, R\]",
    ),
    (
        lambda: square.matmul(np.ones(4, np.float32)),
        ValueError,
        r"`x` of shape \[\.\.\., 4, R\], received shape \(4,\)",
    ),
    (lambda: square.matvec(np.ones(3, np.float32)), ValueError, r"`x` of shape \[\.\.\., 4\].*received shape \(3,\)"),
    (lambda: square.solve(ones), ValueError, r"`rhs` of shape \[\.\.\., 4, R\].*received shape \(3, 2\)"),
    (lambda: square.solvevec(np.ones(3, np.float32)), ValueError, r"`rhs` of shape \[\.\.\., 4\]"),
    (lambda: square.add_to_tensor(ones), ValueError, r"`x` of shape \[\.\.\., 4, 4\], received \(3, 2\)"),
    (
        lambda: square.matmul(np.ones((4, 1))),
        TypeError,
        "Expected argument to have dtype <dtype: 'float32'>.  Found: <dtype: 'float64'>",
    ),
    (lambda: square @ wide, ValueError, "Operators are incompatible. Expected `x` to have dimension 4 but got 3"),
    (lambda: square.solve(wide), ValueError, "Expected `rhs` to have dimension 4 but got 3"),
    (
        lambda: LA.LinearOperatorFullMatrix(np.eye(2), is_positive_definite=True, is_non_singular=False),
        ValueError,
        "always non-singular",
    ),
    (
        lambda: LA.LinearOperatorFullMatrix(np.eye(2), is_non_singular=True, is_square=False),
        ValueError,
        "always square",
    ),
    (
        lambda: LA.LinearOperatorFullMatrix(np.eye(2), is_self_adjoint=True, is_square=False),
        ValueError,
        "always square",
    ),
    (
        lambda: LA.LinearOperatorFullMatrix(np.eye(2), is_square=False).is_square,
        ValueError,
        "but the operator was square",
    ),
    (lambda: LA.LinearOperatorFullMatrix(np.eye(2, dtype=np.int32)), TypeError, "must have a floating dtype"),
    (lambda: LA.LinearOperatorFullMatrix([1.0, 2.0]), ValueError, "at least 2 dimensions"),
    (lambda: LA.LinearOperatorDiag([1.0], is_square=False), ValueError, "Only square diagonal operators"),
    (lambda: LA.LinearOperatorDiag([1.0], is_self_adjoint=False), ValueError, "always self adjoint"),
    (lambda: LA.LinearOperatorDiag(1.0), ValueError, "at least 1 dimension"),
    (lambda: LA.LinearOperatorIdentity(-1), ValueError, "num_rows must be non-negative"),
    (lambda: LA.LinearOperatorIdentity(2.0), TypeError, "num_rows must be integer type"),
    (lambda: LA.LinearOperatorIdentity([2]), ValueError, "num_rows must be a 0-D Tensor"),
    (lambda: LA.LinearOperatorIdentity(2, batch_shape=3), ValueError, "batch_shape must be a 1-D Tensor"),
    (lambda: LA.LinearOperatorIdentity(2, batch_shape=[-1]), ValueError, "batch_shape must be non-negative"),
    (lambda: LA.LinearOperatorIdentity(2, is_self_adjoint=False), ValueError, "always self adjoint"),
    (lambda: LA.LinearOperatorIdentity(2, is_non_singular=None), ValueError, "always non-singular"),
    (lambda: LA.LinearOperatorScaledIdentity(2, 1.0, is_square=False), ValueError, "always square"),
    (lambda: LA.LinearOperatorLowerTriangular(np.ones((2, 3))), ValueError, r"Only square .* shape \(2, 3\)"),
    (lambda: LA.LinearOperatorLowerTriangular([1.0]), ValueError, "at least 2 dimensions"),
    (lambda: LA.LinearOperatorComposition([]), ValueError, "non-empty list of operators"),
    (lambda: LA.LinearOperatorComposition(square), TypeError, "to be iterable"),
    (lambda: LA.LinearOperatorComposition([square, np.eye(4)]), TypeError, "list of LinearOperators"),
    (
        lambda: LA.LinearOperatorComposition([square, LA.LinearOperatorIdentity(4, dtype=tf.float64)]),
        TypeError,
        "same dtype",
    ),
    (lambda: LA.LinearOperatorComposition([square, wide]), ValueError, r"Dimensions 4 and 3 are not compatible"),
    (
        lambda: LA.LinearOperatorComposition([LA.LinearOperatorIdentity(2)], is_non_singular=False),
        ValueError,
        "always non-singular",
    ),
    (lambda: LA.LinearOperatorInversion(singular), ValueError, "`is_non_singular` equal to `True` or `None`"),
    (lambda: LA.LinearOperatorInversion(wide), ValueError, "`is_square` equal to `True` or `None`"),
    (
        lambda: LA.LinearOperatorAdjoint(LA.LinearOperatorDiag([1.0]), is_self_adjoint=False),
        ValueError,
        "if and only if its adjoint",
    ),
]


@pytest.mark.parametrize("call,error,pattern", ERRORS, ids=[f"error{i}" for i in range(len(ERRORS))])
def test_errors_as_tensorflow(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_only_the_operators_are_added_to_tf_linalg():
    new = {n for n in dir(LA) if n.startswith("LinearOperator")}
    assert new == {
        "LinearOperator",
        "LinearOperatorAdjoint",
        "LinearOperatorComposition",
        "LinearOperatorDiag",
        "LinearOperatorFullMatrix",
        "LinearOperatorIdentity",
        "LinearOperatorInversion",
        "LinearOperatorLowerTriangular",
        "LinearOperatorScaledIdentity",
    }
    assert not {"as_operand", "commuting_hints", "LinearOperatorAlgebra"} & set(dir(LA))
