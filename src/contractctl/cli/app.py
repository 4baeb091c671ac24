"""Running the CLI: command registration and the one error funnel.

Each command lives in its own module (``cli/<command>.py``) that registers itself on
``cli.root.app`` when imported below. A command function parses options, calls an app-layer
function, renders its report and returns the exit code.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

import typer

from contractctl.cli import state
from contractctl.cli.completion import COMPLETE_VAR, enable
from contractctl.cli.root import app
from contractctl.core.errors import ContractctlError, ExitCode

# Command name → the modules that register it and its subcommands; all of them in their
# --help order.
_ORDER = (
    "completion",
    "misc",
    "validate",
    "check",
    "diff",
    "impact",
    "codegen",
    "docs",
    "graph",
    "export",
    "publish",
    "registry",
    "drift",
    "adopt",
    "verify",
)
_MODULES: dict[str, tuple[str, ...]] = {
    **{m: (m,) for m in _ORDER[2:11]},
    "registry": ("registry", "drift"),
    "import": ("adopt",),
    "verify": ("verify",),
    "completion": ("completion",),
    "rules": ("misc",),
    "schema": ("misc",),
    "init": ("misc",),
}
_GLOBAL_VALUE_OPTIONS = ("--config", "-c")
_NOT_COMMANDS = frozenset({"app", "common", "root", "state", "text_report", "registry_render"})


def _all_modules() -> tuple[str, ...]:
    """Every command module: the known ones in --help order, then any module added later
    (so a command missing from ``_MODULES`` is still found, only without the fast path)."""
    import pkgutil
    from pathlib import Path

    here = str(Path(__file__).parent)  # this package's folder, without importing it again
    found = {m.name for m in pkgutil.iter_modules([here])} - _NOT_COMMANDS
    return (*_ORDER, *sorted(found - set(_ORDER)))


def _command_word(args: Sequence[str]) -> str | None:
    """The command the arguments name, skipping global options (and --config's value)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _GLOBAL_VALUE_OPTIONS:
            skip = True
        elif arg in ("-h", "--help"):
            return None
        elif not arg.startswith("-"):
            return arg
    return None


def _register(args: Sequence[str] = ()) -> None:
    """Import the command modules (importing one registers its commands on ``app``).

    Only the named command's module when the arguments name one: building every command's
    parameters and importing their modules was a fifth of a small ``check``. Help, an
    unknown command and no command at all get every module, so listings and suggestions
    stay complete.
    """
    word = _command_word(args)
    wanted = _MODULES.get(word or "") or _all_modules()
    for module in wanted:
        try:
            __import__(f"contractctl.cli.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"contractctl.cli.{module}":
                raise


def _click_error(exc: BaseException) -> tuple[str, int] | None:
    """(kind, exit code) for click's control-flow exceptions, wherever click lives.

    typer >= 0.29 vendors click as ``typer._click``; older versions use ``click`` itself, so
    these are recognised by shape rather than by class.
    """
    name = type(exc).__name__
    if name == "Exit" and hasattr(exc, "exit_code"):
        return "exit", int(exc.exit_code)
    if name == "Abort":
        return "abort", 130
    if hasattr(exc, "show") and hasattr(exc, "exit_code"):
        return "usage", int(ExitCode.USAGE)
    return None


_GLOBAL_FLAGS = frozenset({"--debug", "--no-color"})
_GLOBAL_VALUED = frozenset({"--config", "-c"})


def hoist_global_options(args: Sequence[str]) -> list[str]:
    """``args`` with the global options moved before the subcommand, wherever they were typed.

    Click only reads a group's options before its subcommand; users type ``contractctl check
    --no-color`` as often as ``contractctl --no-color check``. Everything after ``--`` is left
    alone (it may be a file literally named ``--debug``).
    """
    front: list[str] = []
    rest: list[str] = []
    items = list(args)
    index = 0
    while index < len(items):
        arg = items[index]
        if arg == "--":
            rest.extend(items[index:])
            break
        if arg in _GLOBAL_FLAGS:
            front.append(arg)
        elif arg in _GLOBAL_VALUED and index + 1 < len(items):
            front.extend(items[index : index + 2])
            index += 1
        elif arg.startswith("--config="):
            front.append(arg)
        else:
            rest.append(arg)
        index += 1
    return front + rest


def placeholders(command: object) -> None:
    """Name each choice's values in help (``--format text|json``), the same in every typer
    version: typer 0.28 writes ``<text|json>`` and older ones ``[text|json]``; options
    and arguments of other types carry a metavar of their own (``PATH…``, ``REF``, ``URL``)."""
    for param in getattr(command, "params", ()):
        choices = getattr(param.type, "choices", None)
        if param.metavar is None and choices and not getattr(param, "is_flag", False):
            param.metavar = "|".join(str(getattr(c, "value", c)) for c in choices)
    for sub in getattr(command, "commands", {}).values():
        placeholders(sub)


def run(args: Sequence[str]) -> int:
    """Run the CLI on ``args`` and return the exit code; the only place errors are mapped."""
    args = hoist_global_options(args)
    state.DEBUG = "--debug" in args
    try:
        completing = bool(os.environ.get(COMPLETE_VAR))  # the shell asks, then exits
        _register(() if completing else args)  # completion needs every command
        if completing:
            enable()
        command = typer.main.get_command(app)
        placeholders(command)
        result = command.main(args=list(args), prog_name="contractctl", standalone_mode=False)
    except ContractctlError as exc:
        if state.DEBUG:
            traceback.print_exc()
        sys.stderr.write(f"error: {state.redact(exc.one_line())}\n")
        return int(exc.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Exception as exc:  # the one funnel: click control flow, then bugs without traceback
        kind = _click_error(exc)
        if kind is not None:
            if kind[0] == "usage":
                exc.show()  # type: ignore[attr-defined]
                if getattr(exc, "option_name", None) == "-v":
                    sys.stderr.write("(-v is --verbose where a command has one; "
                                     "the version is -V or --version)\n")  # fmt: skip
            elif kind[0] == "abort":
                sys.stderr.write("aborted\n")
            return kind[1]
        if state.DEBUG:
            traceback.print_exc()
        message = " ".join(str(exc).split())[:300]
        sys.stderr.write(
            f"internal error: {type(exc).__name__}: {state.redact(message)} "
            "(this is a bug in contractctl; rerun with --debug for the traceback)\n"
        )
        return int(ExitCode.INTERNAL)
    return int(result or 0)
