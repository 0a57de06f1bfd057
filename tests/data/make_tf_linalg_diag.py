"""Records TensorFlow's tf.linalg.diag / diag_part / set_diag for tests/test_linalg_diag_k.py.

Run with an environment that has tensorflow: python tests/data/make_tf_linalg_diag.py tests/data/tf_linalg_diag.npz
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

CASES = {}
x = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4) + 1.0
tall = np.arange(5 * 3, dtype=np.float32).reshape(5, 3) + 1.0
for name, m in (("x", x), ("tall", tall)):
    rows, cols = m.shape[-2:]
    for k in range(-(rows - 1), cols):
        CASES[f"diag_part/{name}/{k}"] = tf.linalg.diag_part(m, k=k).numpy()
    for align in ("RIGHT_LEFT", "LEFT_RIGHT", "LEFT_LEFT", "RIGHT_RIGHT"):
        for band in ((-1, 1), (0, 2), (-2, 0), (1, 2)):
            key = f"diag_part_band/{name}/{band[0]}/{band[1]}/{align}"
            CASES[key] = tf.linalg.diag_part(m, k=band, padding_value=9, align=align).numpy()
d = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.float32)
for k in (-2, -1, 0, 1, 2):
    CASES[f"diag/{k}"] = tf.linalg.diag(d, k=k).numpy()
    CASES[f"diag_padded/{k}"] = tf.linalg.diag(d, k=k, padding_value=-1).numpy()
CASES["diag_rows/1/3/5"] = tf.linalg.diag(d, k=1, num_rows=3, num_cols=5).numpy()
CASES["diag_rows/1/4/-1"] = tf.linalg.diag(d, k=1, num_rows=4).numpy()
CASES["diag_rows/-1/5/3"] = tf.linalg.diag(d, k=-1, num_rows=5, num_cols=3).numpy()
CASES["diag_rows/0/3/-1"] = tf.linalg.diag(d, k=0, num_rows=3).numpy()
for k in range(-2, 4):
    length = min(3 + min(k, 0), 4 - max(k, 0))
    diagonal = -np.arange(2 * length, dtype=np.float32).reshape(2, length) - 1.0
    CASES[f"set_diag/{k}"] = tf.linalg.set_diag(x, diagonal, k=k).numpy()
np.savez(sys.argv[1], **CASES)
