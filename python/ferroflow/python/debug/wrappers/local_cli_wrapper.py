"""``LocalCLIDebugWrapperSession``: a session whose ``run`` calls stop in a terminal debugger.

Before a run the debugger shows the run's fetches and feeds and waits for ``run`` (debug it), ``run -n``
(don't), ``run -t T`` or ``run -f FILTER`` (keep running, dumping each run, until a tensor passes the filter).
After a debugged run it opens the analyzer (``lt``, ``pt``, ``ni``, ``li``, ``lo``, ``eval``, ``pf``, ``ri``)
on that run's tensors; ``run`` there chooses how the next ``Session.run`` call proceeds.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import numpy as np

from ..cli import cli_shared
from ..cli.analyzer import create_analyzer_registry
from ..cli.command_parser import parse_slicing, parse_tensor_name_with_slicing
from ..cli.tensor_commands import format_tensor
from ..cli.ui import END_OF_INPUT, EXPLICIT_USER_EXIT, CommandLineExit, CommandRegistry, LineUI
from ..lib import dump_io
from ..lib.debug_data import DebugDumpDir, has_inf_or_nan
from ..lib.session_debug import WatchOptions, debug_run
from .dumping_wrapper import check_empty_root
from .framework import BaseDebugWrapperSession

_UI_TYPES = ("curses", "readline")


@dataclass
class RunChoice:
    """What the user chose with ``run``: debug or not, how many runs, and the filter to run until."""

    debug: bool = True
    times: int = 1
    till_filter: str = ""
    filter_exclude: str = ""
    watch: WatchOptions = field(default_factory=WatchOptions)


class LocalCLIDebugWrapperSession(BaseDebugWrapperSession):
    """Wraps ``sess`` with the tfdbg terminal debugger (line mode; ``ui_type`` ``"curses"`` uses it too).

    ``dump_root``: where each debugged run's dump is written while its analyzer is open (absent or empty;
    removed afterwards, as tfdbg does); None keeps dumps in memory.
    """

    def __init__(
        self,
        sess: Any,
        dump_root: Optional[str] = None,
        log_usage: bool = True,
        ui_type: str = "curses",
        thread_name_filter: Optional[str] = None,
        config_file_path: Any = False,
    ) -> None:
        super().__init__(sess, thread_name_filter)
        if ui_type not in _UI_TYPES:
            raise ValueError(f"Invalid ui_type: '{ui_type}'; expected one of {', '.join(_UI_TYPES)}")
        if dump_root is not None:
            dump_root = os.fspath(dump_root)
            check_empty_root(dump_root, "dump_root")
        self._dump_root = dump_root
        self._ui_type = ui_type
        self._tensor_filters: dict = {"has_inf_or_nan": has_inf_or_nan}
        self._choice: Optional[RunChoice] = None  # chosen at the last run-end screen, for the next run
        self._countdown = 0  # runs left to pass through without debugging (run -t)
        self._active: Optional[RunChoice] = None  # the run -f choice while its filter has not fired
        self._detached = False  # input ended: the remaining runs proceed without the debugger
        self._fetches: Any = None
        self._feed_dict: Optional[dict] = None

    def add_tensor_filter(self, filter_name: str, tensor_filter: Callable[[Any, Any], bool]) -> None:
        """Registers ``tensor_filter(datum, value) -> bool`` under ``filter_name`` for ``run -f`` and ``lt -f``."""
        if not isinstance(filter_name, str) or not filter_name:
            raise TypeError(f"filter_name must be a non-empty string; received {filter_name!r}")
        if not callable(tensor_filter):
            raise TypeError(
                f"tensor_filter must be callable as fn(datum, tensor); received {type(tensor_filter).__name__}"
            )
        self._tensor_filters[filter_name] = tensor_filter

    # -- running
    def run(self, fetches: Any, feed_dict: Optional[dict] = None, options: Any = None, run_metadata: Any = None) -> Any:
        self.increment_run_call_count()
        choice = self._on_run_start(fetches, feed_dict)
        if choice is None:
            return self._sess.run(fetches, feed_dict, options, run_metadata)
        try:
            result, nodes, datums, run_info = debug_run(
                self._sess, fetches, feed_dict, options, run_metadata, choice.watch, self._run_call_count
            )
        except BaseException:
            self._active = None  # a failed run ends run -f; the error reaches the caller as unwrapped
            raise
        self._on_run_end(choice, nodes, datums, run_info)
        return result

    def _on_run_start(self, fetches: Any, feed_dict: Optional[dict]) -> Optional[RunChoice]:
        """The choice this run is debugged with (asking at the run-start screen if none is pending), or None
        when it runs plainly. ``LocalCLIDebugHook`` calls it from ``before_run``."""
        self._fetches, self._feed_dict = fetches, feed_dict
        if self._detached:
            return None
        if self._active is not None:
            return self._active
        if self._countdown > 0:
            self._countdown -= 1
            return None
        choice, self._choice = self._choice, None
        if choice is None:
            choice = self._run_start()
            if choice is None:
                return None
        if choice.till_filter:
            self._active = choice
            return choice
        if choice.times > 1:
            # This run and the next times - 2 pass through; the one after is debugged.
            self._countdown = choice.times - 2
            self._choice = RunChoice(watch=choice.watch)
            return None
        return choice if choice.debug else None

    def _on_run_end(self, choice: RunChoice, nodes: list, datums: list, run_info: dict) -> None:
        """After a debugged run: the filter check of ``run -f``, then the analyzer on the run's tensors."""
        dump = DebugDumpDir.from_records(None, nodes, datums, run_info)
        passed = ""
        if choice.till_filter:
            fn = self._tensor_filters[choice.till_filter]
            if not dump.find(fn, first_n=1, exclude_node_names=choice.filter_exclude or None):
                return  # keep running until the filter fires
            passed, self._active = choice.till_filter, None
        run_dir = None
        if self._dump_root is not None:
            run_dir = dump_io.write_run(
                dump_io.new_run_dir(self._dump_root, self._run_call_count), nodes, datums, run_info
            )
            dump = DebugDumpDir(run_dir)
        try:
            self._run_end(dump, passed, choice.filter_exclude if passed else "")
        finally:
            if run_dir is not None:
                shutil.rmtree(run_dir, ignore_errors=True)

    # -- the screens
    def _description(self) -> str:
        return cli_shared.run_short_description(self._run_call_count, self._fetches, self._feed_dict)

    def _run_start(self) -> Optional[RunChoice]:
        registry = self._session_registry(run_start=True)
        intro = []
        if self._run_call_count == 1:
            intro += [cli_shared.LOGO, "", cli_shared.version_line(), ""]
        intro.append(self._run_info(True))
        token = LineUI(registry).run_ui(
            init_command=None, title="run-start: " + self._description(), intro="\n".join(intro)
        )
        return self._choice_from(token)

    def _run_end(self, dump: DebugDumpDir, passed_filter: str, exclude: str) -> None:
        registry = create_analyzer_registry(dump, self._tensor_filters)
        self._session_registry(run_start=False, registry=registry)
        init = "lt"
        if passed_filter:
            init = f"lt -f {passed_filter}" + (f" -fenn {exclude}" if exclude else "")
        token = LineUI(registry).run_ui(init_command=init, title="run-end: " + self._description())
        self._choice = self._choice_from(token)

    def _choice_from(self, token: Any) -> Optional[RunChoice]:
        if token == EXPLICIT_USER_EXIT:
            print("Note: user exited from debugger CLI: Calling sys.exit(1).", file=sys.stderr)
            sys.exit(1)
        if token == END_OF_INPUT or token is None:
            print("tfdbg: end of input; the remaining run() calls proceed without the debugger.", file=sys.stderr)
            self._detached = True
            return None
        return token

    def _run_info(self, run_start: bool) -> str:
        return cli_shared.run_info_text(
            self._run_call_count, self._fetches, self._feed_dict, self._tensor_filters, run_start
        )

    def _session_registry(self, run_start: bool, registry: Optional[CommandRegistry] = None) -> CommandRegistry:
        registry = registry if registry is not None else CommandRegistry()
        run_parser, feed_parser = cli_shared.run_parser(), cli_shared.print_feed_parser()
        registry.register("run", lambda args: self._run_command(run_parser, args), run_parser.format_help(), ["r"])
        registry.register(
            "run_info",
            lambda args: self._run_info(run_start),
            "Display information about this Session.run() call.",
            ["ri"],
        )
        registry.register(
            "print_feed", lambda args: self._print_feed(feed_parser, args), feed_parser.format_help(), ["pf"]
        )
        return registry

    def _run_command(self, parser: Any, args: list) -> str:
        parsed = parser.parse_args(args)
        if parsed.filter_exclude_node_names and not parsed.till_filter_pass:
            raise ValueError(
                "The --filter_exclude_node_names (or -fenn) flag is valid only if the "
                "--till_filter_pass (or -f) flag is used."
            )
        if parsed.till_filter_pass and parsed.till_filter_pass not in self._tensor_filters:
            return f'ERROR: tensor filter "{parsed.till_filter_pass}" does not exist.'
        if parsed.times < 1:
            raise ValueError(f"-t/--times must be at least 1; received {parsed.times}")
        watch = WatchOptions(
            node_name_regex_allowlist=parsed.node_name_filter,
            op_type_regex_allowlist=parsed.op_type_filter,
            tensor_dtype_regex_allowlist=parsed.tensor_dtype_filter,
        )
        raise CommandLineExit(
            RunChoice(
                not parsed.no_debug, parsed.times, parsed.till_filter_pass, parsed.filter_exclude_node_names, watch
            )
        )

    def _print_feed(self, parser: Any, args: list) -> str:
        parsed = parser.parse_args(args)
        if not self._feed_dict:
            return "ERROR: The feed_dict of the current run is None or empty."
        name, slicing = parse_tensor_name_with_slicing(parsed.tensor_name)
        wanted = {name, name if ":" in name else f"{name}:0"}
        for key, value in self._feed_dict.items():
            if cli_shared.element_name(key) in wanted:
                arr = np.asarray(value)
                if slicing:
                    arr = arr[parse_slicing(slicing)]
                return format_tensor(arr, f"{cli_shared.element_name(key)}{slicing} (feed)", parsed.all)
        return f"ERROR: The feed_dict of the current run does not contain the key {name}"


__all__ = ["LocalCLIDebugWrapperSession", "RunChoice"]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
