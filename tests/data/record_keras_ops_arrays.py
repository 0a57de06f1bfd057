"""Records the result dtypes Keras 3 (TensorFlow backend) gives for ``tests/keras_ops_arrays_cases.py`` into
``tests/keras_ops_arrays_expected.py``. Run from the repository root with a Python that has keras 3 and
tensorflow: ``python tests/data/record_keras_ops_arrays.py``."""

import os
import pprint
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from keras import ops  # noqa: E402

from keras_ops_arrays_cases import cases, result_dtype  # noqa: E402

expected = {name: result_dtype(thunk) for name, thunk in cases(ops).items()}
with open(os.path.join(os.path.dirname(HERE), "keras_ops_arrays_expected.py"), "w") as f:
    f.write(
        '"""The result dtypes Keras 3.15 (TensorFlow 2.21 backend) gives for the cases of ``keras_ops_arrays_cases``\n'
        '(written by ``tests/data/record_keras_ops_arrays.py``)."""\n\n# fmt: off\nEXPECTED = '
    )
    f.write(pprint.pformat(expected, width=120))
    f.write("\n")
