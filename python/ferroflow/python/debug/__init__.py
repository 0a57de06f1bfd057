"""tfdbg, the TensorFlow debugger: ``from ferroflow.python import debug as tf_debug``.

- ``LocalCLIDebugWrapperSession(sess)``: ``Session.run`` calls stop in a terminal debugger (``run``,
  ``run -f has_inf_or_nan``, ``lt``, ``pt``, ``ni``, ``li``, ``lo``, ``eval``, ``help``, ``exit``).
- ``DumpingDebugWrapperSession(sess, session_root)``: each run writes a dump directory, which
  ``DebugDumpDir`` reads and ``python -m ferroflow.python.debug.cli.offline_analyzer --dump_dir=...`` opens.
- ``LocalCLIDebugHook()`` / ``DumpingDebugHook(session_root)``: the same two as hooks of
  ``tf.compat.v1.train.MonitoredSession`` (and ``Estimator.train(hooks=...)``), one debugged run per step.
- ``LocalCLIDebugCallback()``: the same debugger for ``model.fit``, opened on the first batch that makes a
  NaN or an Inf.
"""

from ferroflow._api import public_dir as _public_dir

from .lib.debug_data import DebugDumpDir, DebugTensorDatum, WatchKeyDoesNotExistInDebugDumpDirError, has_inf_or_nan
from .lib.session_debug import WatchOptions
from .wrappers.dumping_wrapper import DumpingDebugWrapperSession
from .wrappers.hooks import DumpingDebugHook, LocalCLIDebugHook
from .wrappers.keras_callback import LocalCLIDebugCallback
from .wrappers.local_cli_wrapper import LocalCLIDebugWrapperSession

__all__ = [
    "DebugDumpDir",
    "DebugTensorDatum",
    "DumpingDebugHook",
    "DumpingDebugWrapperSession",
    "LocalCLIDebugCallback",
    "LocalCLIDebugHook",
    "LocalCLIDebugWrapperSession",
    "WatchKeyDoesNotExistInDebugDumpDirError",
    "WatchOptions",
    "has_inf_or_nan",
]

__dir__ = _public_dir(globals())
