"""The debugger's terminal: a registry of commands (with ``help`` and ``exit``) and a line-mode loop.

The loop prints a ``tfdbg>`` prompt and reads one command a line: with ``input()`` (and readline's history
and editing) on a terminal, and line by line from a pipe or file otherwise, echoing each command so a
transcript reads as a session. End of input leaves the loop like ``exit`` does, without a run choice.
"""

from __future__ import annotations

import sys
import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .command_parser import CommandUsageError, tokenize

PROMPT = "tfdbg> "
EXPLICIT_USER_EXIT = "explicit_user_exit"
END_OF_INPUT = "end_of_input"


class CommandLineExit(Exception):
    """Raised by a command that ends the loop; ``exit_token`` is what ``run_ui`` returns."""

    def __init__(self, exit_token: Any = None) -> None:
        super().__init__(exit_token)
        self.exit_token = exit_token


@dataclass
class _Command:
    name: str
    handler: Callable[[list], str]
    help_text: str
    aliases: list = field(default_factory=list)


class CommandRegistry:
    """Commands by name and alias; ``dispatch(line)`` runs one and returns its output text."""

    def __init__(self) -> None:
        self._commands: dict = {}
        self._aliases: dict = {}
        self.register("help", self._help, "Print this help message.", ["h"])
        self.register("exit", self._exit, "Leave the debugger.", ["quit"])

    def register(self, name: str, handler: Callable[[list], str], help_text: str, aliases: Any = ()) -> None:
        self._commands[name] = _Command(name, handler, help_text, list(aliases))
        for alias in aliases:
            self._aliases[alias] = name

    def names(self) -> list:
        return list(self._commands)

    def dispatch(self, line: str) -> str:
        """Runs ``line``; errors come back as ``ERROR: ...`` text. ``CommandLineExit`` passes through."""
        try:
            tokens = tokenize(line)
        except CommandUsageError as e:
            return f"ERROR: {e}"
        if not tokens:
            return ""
        name = self._aliases.get(tokens[0], tokens[0])
        command = self._commands.get(name)
        if command is None:
            return f'ERROR: Invalid command prefix "{tokens[0]}"'
        args = tokens[1:]
        if "-h" in args or "--help" in args:
            return self._describe(command)
        try:
            return command.handler(args)
        except CommandLineExit:
            raise
        except CommandUsageError as e:
            return f'Syntax error for command: {name}\nFor help, do "help {name}"\nERROR: {e}'
        except Exception as e:  # a debugger reports a failed command and keeps the session
            return f"ERROR: {e}" if isinstance(e, (ValueError, KeyError)) else f"ERROR: {type(e).__name__}: {e}"

    def _describe(self, command: _Command) -> str:
        lines = [command.name]
        if command.aliases:
            lines.append(f"  Aliases: {', '.join(command.aliases)}")
        lines.append("")
        lines.append(textwrap.indent(command.help_text.rstrip(), "  "))
        return "\n".join(lines)

    def _help(self, args: list) -> str:
        if args:
            name = self._aliases.get(args[0], args[0])
            if name not in self._commands:
                return f'ERROR: There is no registered command named "{args[0]}"'
            return self._describe(self._commands[name])
        return "\n\n".join(self._describe(self._commands[n]) for n in sorted(self._commands)) + "\n"

    def _exit(self, args: list) -> str:
        raise CommandLineExit(EXPLICIT_USER_EXIT)


class LineUI:
    """The line-mode terminal over a ``CommandRegistry`` (used for both ``ui_type``s; see the package doc)."""

    def __init__(self, registry: CommandRegistry, prompt: str = PROMPT) -> None:
        self.registry = registry
        self.prompt = prompt

    def run_ui(
        self, init_command: Optional[str] = None, title: Optional[str] = None, intro: Optional[str] = None
    ) -> Any:
        """Shows ``title``, ``intro`` and ``init_command``'s output, then runs commands until one exits the
        loop: returns its exit token (a run choice, ``EXPLICIT_USER_EXIT``) or ``END_OF_INPUT``."""
        for text in (title, intro):
            if text:
                self._print(text)
        if init_command:
            try:
                self._print(self.registry.dispatch(init_command))
            except CommandLineExit as e:
                return e.exit_token
        while True:
            line = self._read()
            if line is None:
                return END_OF_INPUT
            try:
                output = self.registry.dispatch(line)
            except CommandLineExit as e:
                return e.exit_token
            self._print(output)

    def _print(self, text: str) -> None:
        sys.stdout.write(text.rstrip("\n") + "\n\n" if text else "")
        sys.stdout.flush()

    def _read(self) -> Optional[str]:
        stdin = sys.stdin
        if stdin is None or stdin.closed:
            return None
        if stdin.isatty():
            try:
                import readline  # noqa: F401  (history and line editing for input())
            except ImportError:
                pass
            try:
                return input(self.prompt)
            except EOFError:
                sys.stdout.write("\n")
                return None
        sys.stdout.write(self.prompt)
        line = stdin.readline()
        if not line:
            sys.stdout.write("\n")
            sys.stdout.flush()
            return None
        sys.stdout.write(line.rstrip("\n") + "\n")  # echo: a piped session reads like a typed one
        sys.stdout.flush()
        return line.rstrip("\n")
