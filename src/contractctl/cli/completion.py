"""``contractctl completion bash|zsh|fish``: the shell completion script, printed.

Printing (rather than editing a shell's rc file) lets the user choose where it goes; the
script calls back into contractctl with ``_CONTRACTCTL_COMPLETE`` set, which ``cli.app``
answers before any command runs. typer's completion helpers are imported from the private
modules that define them, since ``typer.completion`` uses them without re-exporting them.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from contractctl.cli.root import app

PROG = "contractctl"
COMPLETE_VAR = "_CONTRACTCTL_COMPLETE"


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


_INSTALL = {
    Shell.bash: "contractctl completion bash > ~/.local/share/bash-completion/completions/"
    "contractctl",
    Shell.zsh: 'contractctl completion zsh > "${fpath[1]}/_contractctl"',
    Shell.fish: "contractctl completion fish > ~/.config/fish/completions/contractctl.fish",
}


def enable() -> None:
    """Register the completion classes so a completion request can be answered."""
    from typer._completion_classes import completion_init

    completion_init()


@app.command(
    epilog="Examples: " + "; ".join(_INSTALL.values()),
)
def completion(
    shell: Annotated[Shell, typer.Argument(help="bash, zsh or fish.")],
) -> int:
    """Print the completion script for a shell (commands, options, values)."""
    from typer._completion_shared import get_completion_script

    enable()
    sys.stdout.write(
        get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell.value) + "\n"
    )
    return 0
