"""The offline analyzer: the debugger's analyzer commands over a dump directory written earlier.

    python -m ferroflow.python.debug.cli.offline_analyzer --dump_dir=/tmp/tfdbg_dumps/run_1700000000000000_3

``--dump_dir`` is one run directory of ``DumpingDebugWrapperSession`` (or the dump root of
``tf.debugging.experimental.enable_dump_debug_info``). Commands are read from the terminal, or line by
line from standard input when it is a pipe.
"""

from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

from ..lib.debug_data import DebugDumpDir, has_inf_or_nan
from .analyzer import create_analyzer_registry
from .cli_shared import LOGO, version_line
from .ui import LineUI


def run_offline(dump_dir: str, tensor_filters: Optional[dict] = None, init_command: str = "lt") -> int:
    """Opens the analyzer on ``dump_dir``; returns the process exit status."""
    try:
        dump = DebugDumpDir(dump_dir)
    except ValueError as e:
        print(f"offline_analyzer: {e}", file=sys.stderr)
        return 2
    filters = {"has_inf_or_nan": has_inf_or_nan, **(tensor_filters or {})}
    registry = create_analyzer_registry(dump, filters)
    print(f"tfdbg offline: FLAGS.dump_dir = {dump_dir}\n")
    LineUI(registry).run_ui(
        init_command=init_command, title=f"Offline Analyzer: {dump_dir}", intro=f"{LOGO}\n\n{version_line()}"
    )
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="offline_analyzer", description="Analyze a tfdbg dump directory offline.")
    parser.add_argument("--dump_dir", type=str, default="", help="tfdbg dump directory to load")
    parser.add_argument(
        "--log_usage",
        type=lambda v: v.lower() in ("1", "true", "yes"),
        default=True,
        help="Whether the usage of this tool is to be logged (nothing is logged)",
    )
    parser.add_argument(
        "--validate_graph",
        type=lambda v: v.lower() in ("1", "true", "yes"),
        default=True,
        help="Whether the dumped tensors will be validated against the graphs",
    )
    parser.add_argument(
        "--ui_type",
        type=str,
        default="curses",
        choices=["curses", "readline"],
        help="Command-line user interface type (both use the line-mode terminal)",
    )
    flags = parser.parse_args(argv)
    if not flags.dump_dir:
        print("ERROR: dump_dir flag is empty.", file=sys.stderr)
        return 1
    return run_offline(flags.dump_dir)


if __name__ == "__main__":
    sys.exit(main())
