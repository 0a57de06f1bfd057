"""``tf.distribute.experimental``: the strategies' experimental names that apply to one device."""

from .strategies import MultiWorkerMirroredStrategy
from .value_context import ValueContext

__all__ = ["MultiWorkerMirroredStrategy", "ValueContext"]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
