"""``tf.UnconnectedGradients``: what ``gradient`` returns for a source the target does not depend on."""

import enum


class UnconnectedGradients(enum.Enum):
    """``NONE`` (the default) gives ``None``; ``ZERO`` gives zeros shaped like the source."""

    NONE = "none"
    ZERO = "zero"
