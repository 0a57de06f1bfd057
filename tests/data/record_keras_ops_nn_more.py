"""Records what Keras 3 (TensorFlow backend) gives for ``tests/keras_ops_nn_more_cases.py`` into
``tests/keras_ops_nn_more_expected.py``. Run from the repository root with a Python that has keras 3 and
tensorflow: ``python tests/data/record_keras_ops_nn_more.py``."""

import os
import pprint
import sys

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import keras  # noqa: E402

from keras_ops_nn_more_cases import CASES  # noqa: E402


def run(fn, args, kwargs):
    if fn == "conv_transpose" and kwargs.get("data_format") == "channels_first":
        # TensorFlow's CPU kernels take channels-last only: the same op on transposed inputs
        x, kernel = args
        last = keras.ops.conv_transpose(np.moveaxis(x, 1, -1), kernel, **{**kwargs, "data_format": "channels_last"})
        return np.moveaxis(np.asarray(last), -1, 1)
    # (some of Keras's TensorFlow functions take tensors only)
    args = [keras.ops.convert_to_tensor(a) for a in args]
    return getattr(keras.ops, fn)(*args, **kwargs)


expected = {}
for name, (fn, args, kwargs) in CASES.items():
    out = np.asarray(run(fn, args, kwargs))
    value = {"real": out.real.tolist(), "imag": out.imag.tolist()} if np.iscomplexobj(out) else out.tolist()
    expected[name] = {"dtype": out.dtype.name, "shape": list(out.shape), "value": value}

path = os.path.join(os.path.dirname(HERE), "keras_ops_nn_more_expected.py")
with open(path, "w") as f:
    f.write(
        '"""What Keras 3.15 (TensorFlow 2.21 backend) gives for the cases of ``keras_ops_nn_more_cases``\n'
        '(written by ``tests/data/record_keras_ops_nn_more.py``)."""\n\n# fmt: off\nEXPECTED = '
    )
    f.write(pprint.pformat(expected, width=118, compact=True))
    f.write("\n# fmt: on\n")
