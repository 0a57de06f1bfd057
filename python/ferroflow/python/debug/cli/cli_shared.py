"""Texts and the ``run`` command shared by the session wrapper's run-start and run-end screens."""

from __future__ import annotations

from typing import Any, Optional

from ....framework import nest
from .command_parser import ArgumentParser

LOGO = "\n".join(
    [
        "TTTTTT FFFF DDD  BBBB   GGG ",
        "  TT   F    D  D B   B G    ",
        "  TT   FFF  D  D BBBB  G  GG",
        "  TT   F    D  D B   B G   G",
        "  TT   F    DDD  BBBB   GGG ",
    ]
)


def version_line() -> str:
    import ferroflow

    return f"ferroflow version: {ferroflow.__version__}"


def element_name(element: Any) -> str:
    """How tfdbg names a fetch or feed key: ``loss:0`` for a tensor, ``train`` for an op, strings as given."""
    from ....framework.graph import Operation

    if isinstance(element, str):
        return element
    if isinstance(element, Operation):
        return element.name
    if getattr(element, "op_type", None) == "NoOp":
        return element.name[:-2]
    name = getattr(element, "name", None)
    if isinstance(name, str):
        return name if ":" in name else f"{name}:0"
    return repr(element)


def run_short_description(run_call_count: int, fetches: Any, feed_dict: Optional[dict]) -> str:
    """``run #2: 2 fetches; 1 feed (x:0)``."""
    flat = nest.flatten(fetches)
    if len(flat) == 1 and not nest.is_nested(fetches):
        text = f"run #{run_call_count}: 1 fetch ({element_name(flat[0])}); "
    else:
        text = f"run #{run_call_count}: {len(flat)} fetch{'es' if len(flat) > 1 else ''}; "
    if not feed_dict:
        return text + "0 feeds"
    if len(feed_dict) == 1:
        return text + f"1 feed ({element_name(next(iter(feed_dict)))})"
    return text + f"{len(feed_dict)} feeds"


def run_info_text(
    run_call_count: int, fetches: Any, feed_dict: Optional[dict], tensor_filters: dict, run_start: bool
) -> str:
    """The run's fetches and feeds, and at run start the ways to proceed."""
    bar = "=" * 38
    lines = [bar, f"Session.run() call #{run_call_count}:", "", "Fetch(es):"]
    lines += [f"  {element_name(f)}" for f in nest.flatten(fetches)]
    lines += ["", "Feed dict:"]
    lines += [f"  {element_name(k)}" for k in (feed_dict or {})] or ["  (Empty)"]
    lines.append(bar)
    if run_start:
        lines += [
            "",
            "Select one of the following commands to proceed ---->",
            "  run:",
            "    Execute the run() call with debug tensor-watching",
            "  run -n:",
            "    Execute the run() call without debug tensor-watching",
            "  run -t <T>:",
            "    Execute run() calls (T - 1) times without debugging, then execute run() once more "
            "with debugging and drop back to the CLI",
            "  run -f <filter_name>:",
            "    Keep executing run() calls until a dumped tensor passes a given, "
            "registered filter (conditional breakpoint mode)",
        ]
        if tensor_filters:
            lines.append("    Registered filter(s):")
            lines += [f"        * {name}" for name in tensor_filters]
        lines += ["", "For more details, see help.."]
    return "\n".join(lines)


def run_parser() -> ArgumentParser:
    p = ArgumentParser("run", "Run through, with or without debug tensor watching.")
    p.add_argument("-t", "--times", type=int, default=1, help="How many Session.run() calls to proceed with.")
    p.add_argument("-n", "--no_debug", action="store_true", help="Run through without debug tensor watching.")
    p.add_argument(
        "-f", "--till_filter_pass", default="", help="Run until a tensor in the graph passes the specified filter."
    )
    p.add_argument(
        "-fenn",
        "--filter_exclude_node_names",
        default="",
        help="When applying the tensor filter, "
        "exclude node with names matching the regular expression. Applicable only if -f is used.",
    )
    p.add_argument(
        "--node_name_filter",
        default=None,
        help="Regular-expression filter for node names to be watched in the run, e.g., loss, reshape.*",
    )
    p.add_argument(
        "--op_type_filter",
        default=None,
        help="Regular-expression filter for op type to be watched in the run, e.g., (MatMul|Add), Variable.*",
    )
    p.add_argument(
        "--tensor_dtype_filter",
        default=None,
        help="Regular-expression filter for tensor dtype to be watched in the run, e.g., (float32|float64), int.*",
    )
    return p


def print_feed_parser() -> ArgumentParser:
    p = ArgumentParser("print_feed", "Print the value of a feed in feed_dict.")
    p.add_argument(
        "tensor_name",
        help="Name of the tensor, followed by any slicing indices, e.g., "
        "hidden1/Wx_plus_b/MatMul:0, hidden1/Wx_plus_b/MatMul:0[1, :]",
    )
    p.add_argument(
        "-a", "--all", action="store_true", help="Print the tensor in its entirety, i.e., do not use ellipses."
    )
    return p
