"""``ferroflow.linalg``: the linear-algebra names that exist so far."""

from ferroflow._api import public_dir as _public_dir

from .ops.array_ops import transpose  # noqa: F401
from .ops.construction_ops import eye  # noqa: F401
from .ops.decomposition_ops import eigh, eigvalsh, pinv, svd  # noqa: F401
from .ops.einsum_ops import einsum  # noqa: F401
from .ops.linalg_more_ops import (  # noqa: F401
    banded_triangular_solve,
    cross,
    expm,
    lu,
    lu_matrix_inverse,
    lu_reconstruct,
    lu_solve,
    matrix_rank,
    normalize,
    tensor_diag,
    tensor_diag_part,
    tridiagonal_matmul,
    tridiagonal_solve,
)
from .ops.linalg_ops import (  # noqa: F401
    band_part,
    cholesky,
    cholesky_solve,
    det,
    diag,
    diag_part,
    inv,
    logdet,
    lstsq,
    matrix_transpose,
    matvec,
    qr,
    set_diag,
    slogdet,
    solve,
    trace,
    triangular_solve,
)
from .ops.linalg_sqrtm_ops import sqrtm  # noqa: F401
from .ops.linear_operator import LinearOperator  # noqa: F401
from .ops.linear_operator_identity import LinearOperatorIdentity, LinearOperatorScaledIdentity  # noqa: F401
from .ops.linear_operator_impls import (  # noqa: F401
    LinearOperatorDiag,
    LinearOperatorFullMatrix,
    LinearOperatorLowerTriangular,
)
from .ops.linear_operator_wrappers import (  # noqa: F401
    LinearOperatorAdjoint,
    LinearOperatorComposition,
    LinearOperatorInversion,
)
from .ops.math_ops import l2_normalize, matmul  # noqa: F401
from .ops.norm_ops import global_norm, norm  # noqa: F401
from .ops.structure_ops import tensordot  # noqa: F401

adjoint = matrix_transpose  # real matrices: the adjoint is the transpose

# ``transpose`` (every axis reversed) stays importable; TF 2 lists ``matrix_transpose``.
__dir__ = _public_dir(globals(), hidden=("transpose",))
