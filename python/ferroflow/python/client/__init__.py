"""``ferroflow.python.client``: where TensorFlow 1 programs find ``timeline`` (``from ferroflow.python.client
import timeline``). Not a TensorFlow API namespace: it stays out of ``dir(ferroflow)``."""

from ferroflow._api import public_dir as _public_dir

__dir__ = _public_dir(globals(), "timeline")
