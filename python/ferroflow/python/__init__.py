"""``ferroflow.python``: where TensorFlow 1 programs find tfdbg (``from ferroflow.python import debug as tf_debug``)
and the timeline (``from ferroflow.python.client import timeline``).

Not a TensorFlow API namespace: it stays out of ``dir(ferroflow)``.
"""

from ferroflow._api import public_dir as _public_dir

__dir__ = _public_dir(globals(), "client", "debug")
