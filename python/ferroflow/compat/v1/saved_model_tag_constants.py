"""``tf.compat.v1.saved_model.tag_constants``: the standard MetaGraph tags."""

SERVING = "serve"
TRAINING = "train"
GPU = "gpu"
TPU = "tpu"

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
