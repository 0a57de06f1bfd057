# ruff: noqa: E501
"""TensorFlow's "Matrix approximation with Core APIs" guide (https://www.tensorflow.org/guide/core/matrix_core)
run cell by cell with ``import ferroflow as tf``; each expected text is TensorFlow 2.21's for the same cell.

Changed: the downloaded 1024 x 1024 JPEG becomes a synthetic 96 x 128 uint8 RGB image (ranks 60, 30, 6 for 100,
50, 10); plots print some of the values they show. Image cells match TensorFlow exactly; the cells on the
random matrix ``A`` are compared masked (``guide_core_cells``) and checked by behaviour below.
"""

from __future__ import annotations

import numpy as np

from guide_core_cells import guide_test

CELLS = [
    (
        """\
A = tf.random.uniform(shape=[40,30])
# Compute the SVD factorization
s, U, V = tf.linalg.svd(A)
# Define Sigma and V Transpose
S = tf.linalg.diag(s)
V_T = tf.transpose(V)
# Reconstruct the original matrix
A_svd = U@S@V_T
print(s.shape, U.shape, V.shape, bool(tf.reduce_all(s[:-1] >= s[1:])))
""",
        """\
(30,) (40, 30) (30, 30) True
""",
    ),
    (
        """\
A_svd = tf.einsum('s,us,vs -> uv',s,U,V)
print('\\nReconstructed Matrix, A_svd', A_svd)
""",
        """\

Reconstructed Matrix, A_svd tf.Tensor(
[[6.1492014e-01 5.9784555e-01 6.1640650e-01 ... 1.9194023e-01
  4.4201666e-01 9.5527756e-01]
 [9.0259922e-01 8.3772019e-03 4.6280909e-02 ... 2.0702248e-02
  9.4948500e-01 5.1893085e-01]
 [4.7390828e-01 5.1137620e-01 9.9449396e-01 ... 8.2750779e-01
  5.3374678e-01 4.5571154e-01]
 ...
 [9.5252222e-01 9.8982967e-02 3.7975839e-01 ... 5.9545875e-01
  5.3771174e-01 2.8285015e-01]
 [2.1526928e-01 5.9116167e-01 6.0005361e-01 ... 5.4222190e-01
  9.5278448e-01 1.7560793e-01]
 [7.7146315e-03 3.0684318e-02 7.3902458e-01 ... 2.3153134e-02
  4.0495273e-04 6.1400270e-01]], shape=(40, 30), dtype=float32)
""",
    ),
    (
        """\
def rank_r_approx(s, U, V, r, verbose=False):
  # Compute the matrices necessary for a rank-r approximation
  s_r, U_r, V_r = s[..., :r], U[..., :, :r], V[..., :, :r] # ... implies any number of extra batch axes
  # Compute the low-rank approximation and its size
  A_r = tf.einsum('...s,...us,...vs->...uv',s_r,U_r,V_r)
  A_r_size = tf.size(U_r) + tf.size(s_r) + tf.size(V_r)
  if verbose:
    print(f"Approximation Size: {A_r_size}")
  return A_r, A_r_size

def viz_approx(A, A_r):
  vmin, vmax = 0, tf.reduce_max(A)
  mats = [A, A_r, abs(A - A_r)]
  print(f"Largest error |A - A_r|: {float(tf.reduce_max(mats[2])):.2f}")
""",
        "",
    ),
    (
        """\
print(f"Original Size of A: {tf.size(A)}")
s, U, V = tf.linalg.svd(A)
""",
        """\
Original Size of A: 1200
""",
    ),
    (
        """\
# Rank-15 approximation
A_15, A_15_size = rank_r_approx(s, U, V, 15, verbose = True)
viz_approx(A, A_15)
""",
        """\
Approximation Size: 1065
Largest error |A - A_r|: 0.48
""",
    ),
    (
        """\
# Rank-3 approximation
A_3, A_3_size = rank_r_approx(s, U, V, 3, verbose = True)
viz_approx(A, A_3)
""",
        """\
Approximation Size: 213
Largest error |A - A_r|: 0.66
""",
    ),
    (
        """\
yy, xx = np.mgrid[0:96, 0:128].astype(np.float64)
I = np.stack([128 + 100 * np.sin(xx / 11.0) * np.cos(yy / 17.0),
              128 + 90 * np.cos((xx + yy) / 23.0),
              255 * ((xx - 64) ** 2 + (yy - 48) ** 2 < 900)], axis=-1).clip(0, 255).astype(np.uint8)
print("Input Image Shape:", I.shape)
""",
        """\
Input Image Shape: (96, 128, 3)
""",
    ),
    (
        """\
def compress_image(I, r, verbose=False):
  # Compress an image with the SVD given a rank
  I_size = tf.size(I)
  print(f"Original size of image: {I_size}")
  # Compute SVD of image
  I = tf.convert_to_tensor(I)/255
  I_batched = tf.transpose(I, [2, 0, 1]) # einops.rearrange(I, 'h w c -> c h w')
  s, U, V = tf.linalg.svd(I_batched)
  # Compute low-rank approximation of image across each RGB channel
  I_r, I_r_size = rank_r_approx(s, U, V, r)
  I_r = tf.transpose(I_r, [1, 2, 0]) # einops.rearrange(I_r, 'c h w -> h w c')
  I_r_prop = (I_r_size / I_size)
  if verbose:
    # Display compressed image and attributes
    print(f"Number of singular values used in compression: {r}")
    print(f"Compressed image size: {I_r_size}")
    print(f"Proportion of original size: {I_r_prop:.3f}")
    print(f"Mean error: {float(tf.reduce_mean(abs(I - tf.clip_by_value(I_r, 0., 1.)))):.3f}")
  return I_r, I_r_prop
""",
        "",
    ),
    (
        """\
I_100, I_100_prop = compress_image(I, 60, verbose=True)
""",
        """\
Original size of image: 36864
Number of singular values used in compression: 60
Compressed image size: 40500
Proportion of original size: 1.099
Mean error: 0.000
""",
    ),
    (
        """\
I_50, I_50_prop = compress_image(I, 30, verbose=True)
""",
        """\
Original size of image: 36864
Number of singular values used in compression: 30
Compressed image size: 20250
Proportion of original size: 0.549
Mean error: 0.000
""",
    ),
    (
        """\
I_10, I_10_prop = compress_image(I, 6, verbose=True)
""",
        """\
Original size of image: 36864
Number of singular values used in compression: 6
Compressed image size: 4050
Proportion of original size: 0.110
Mean error: 0.004
""",
    ),
    (
        """\
[I_100_prop, I_50_prop, I_10_prop]
""",
        """\
[<tf.Tensor: shape=(), dtype=float64, numpy=1.0986328125>, <tf.Tensor: shape=(), dtype=float64, numpy=0.54931640625>, <tf.Tensor: shape=(), dtype=float64, numpy=0.10986328125>]
""",
    ),
    (
        """\
def compress_image_with_factor(I, compression_factor, verbose=False):
  # Returns a compressed image based on a desired compression factor
  m,n,o = I.shape
  r = int((compression_factor * m * n)/(m + n + 1))
  I_r, I_r_prop = compress_image(I, r, verbose=verbose)
  return I_r
""",
        "",
    ),
    (
        """\
compression_factor = 0.15
I_r_img = compress_image_with_factor(I, compression_factor, verbose=True)
""",
        """\
Original size of image: 36864
Number of singular values used in compression: 8
Compressed image size: 5400
Proportion of original size: 0.146
Mean error: 0.003
""",
    ),
    (
        """\
def viz_energy(I):
  # Visualize the energy captured based on rank
  # Computing SVD
  I = tf.convert_to_tensor(I)/255
  I_batched = tf.transpose(I, [2, 0, 1])
  s, U, V = tf.linalg.svd(I_batched)
  # Plotting average proportion across RGB channels
  props_rgb = tf.map_fn(lambda x: tf.cumsum(x)/tf.reduce_sum(x), s)
  props_rgb_mean = tf.reduce_mean(props_rgb, axis=0)
  print(tf.round(props_rgb_mean[::16] * 1000) / 1000)
""",
        "",
    ),
    (
        """\
viz_energy(I)
""",
        """\
tf.Tensor([0.616 0.994 0.996 0.998 0.999 1.   ], shape=(6,), dtype=float32)
""",
    ),
    (
        """\
def compress_image_with_energy(I, energy_factor, verbose=False):
  # Returns a compressed image based on a desired energy factor
  # Computing SVD
  I_rescaled = tf.convert_to_tensor(I)/255
  I_batched = tf.transpose(I_rescaled, [2, 0, 1])
  s, U, V = tf.linalg.svd(I_batched)
  # Extracting singular values
  props_rgb = tf.map_fn(lambda x: tf.cumsum(x)/tf.reduce_sum(x), s)
  props_rgb_mean = tf.reduce_mean(props_rgb, axis=0)
  # Find closest r that corresponds to the energy factor
  r = tf.argmin(tf.abs(props_rgb_mean - energy_factor)) + 1
  actual_ef = props_rgb_mean[r]
  I_r, I_r_prop = compress_image(I, r, verbose=verbose)
  print(f"Proportion of energy captured by the first {r} singular values: {actual_ef:.3f}")
  return I_r
""",
        "",
    ),
    (
        """\
energy_factor = 0.75
I_r_img = compress_image_with_energy(I, energy_factor, verbose=True)
""",
        """\
Original size of image: 36864
Number of singular values used in compression: 2
Compressed image size: 1350
Proportion of original size: 0.037
Mean error: 0.041
Proportion of energy captured by the first 2 singular values: 0.891
""",
    ),
    (
        """\
s, U, V = tf.linalg.svd(A)
A_10, A_10_size = rank_r_approx(s, U, V, 10)
squared_norm = tf.norm(A - A_10)**2
s_squared_sum = tf.reduce_sum(s[10:]**2)
print(f"Squared Frobenius norm: {squared_norm:.3f}")
print(f"Sum of squared singular values left out: {s_squared_sum:.3f}")
""",
        """\
Squared Frobenius norm: 31.816
Sum of squared singular values left out: 31.816
""",
    ),
]

guide, test_cell = guide_test(CELLS, varying={1, 4, 5, 18})


def test_svd_reconstructs_the_random_matrix(guide: tuple) -> None:
    ns = guide[1]
    a, s, u, v = (ns[k].numpy() for k in ("A", "s", "U", "V"))
    assert a.shape == (40, 30) and s.shape == (30,) and u.shape == (40, 30) and v.shape == (30, 30)
    np.testing.assert_allclose(ns["A_svd"].numpy(), a, atol=2e-5)
    np.testing.assert_allclose(u.T @ u, np.eye(30), atol=2e-5)
    np.testing.assert_allclose(s, np.linalg.svd(a.astype(np.float64), compute_uv=False), rtol=1e-4, atol=1e-5)


def test_low_rank_error_is_the_singular_values_left_out(guide: tuple) -> None:
    ns = guide[1]
    assert int(ns["A_15_size"]) == 40 * 15 + 15 + 30 * 15 and int(ns["A_3_size"]) == 40 * 3 + 3 + 30 * 3
    np.testing.assert_allclose(float(ns["squared_norm"]), float(ns["s_squared_sum"]), rtol=1e-4)
    a, s = ns["A"].numpy().astype(np.float64), ns["s"].numpy().astype(np.float64)
    np.testing.assert_allclose(np.linalg.norm(a - ns["A_3"].numpy()) ** 2, np.sum(s[3:] ** 2), rtol=1e-4)
