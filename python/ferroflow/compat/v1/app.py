"""``tf.compat.v1.app``: ``run(main)`` parses the command-line flags and calls ``main(argv)``, then exits
with its return value, as TF1 scripts' ``if __name__ == "__main__": tf.app.run()`` expects."""

from __future__ import annotations

import sys
from typing import Any, Callable, List, Optional

from . import flags


def run(main: Optional[Callable[[List[str]], Any]] = None, argv: Optional[List[str]] = None) -> None:
    """Parses ``argv`` (``sys.argv`` by default) into ``flags.FLAGS``, tolerating flags no one defined (they
    stay in the arguments ``main`` receives), then ``sys.exit(main(args))``. ``main`` defaults to the
    ``main`` function of the ``__main__`` module. ``--help`` prints the flags and exits; a value a flag
    refuses raises its ``flags.IllegalFlagValueError``."""
    main = main or sys.modules["__main__"].main
    argv = sys.argv if argv is None else argv
    if any(a in ("--help", "-help", "-h", "--helpshort", "--helpfull", "-?") for a in argv[1:]):
        print(f"\n       USAGE: {argv[0]} [flags]\nflags:\n\n{flags.FLAGS.help_text()}")
        sys.exit(0)
    args = flags.FLAGS(argv, known_only=True)  # a bad value raises, as TensorFlow's tolerant parser lets it
    sys.exit(main(args))


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), "flags")
