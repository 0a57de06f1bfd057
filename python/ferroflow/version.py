"""``tf.version``: the version of this package (``VERSION`` is ``tf.__version__``)."""

import ferroflow as _package
from ferroflow._api import public_dir as _public_dir

VERSION = _package.__version__
# The source revision and compiler of a build are not recorded in the wheel.
GIT_VERSION = "unknown"
COMPILER_VERSION = "rustc"

__dir__ = _public_dir(globals())
