"""README.md and docs/ are truthful for every command and flag (issue #9 acceptance).

Forward: every option shown with a command (``contractctl check --against git:main``) is one
that command accepts. Reverse: every option a command accepts is documented for it, in an
invocation of it, in a section whose heading names it, or in a paragraph (a table row)
naming it. The command tree is typer's own, so a new option or command joins the walk.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from tests.conftest import REPO

DOCS = (REPO / "README.md", *sorted((REPO / "docs").glob("*.md")))
_OPTION = re.compile(r"^[\[(]?(--?[a-zA-Z][\w-]*)")
_SPAN = re.compile(r"`([^`\n]+)`")
_SPAN_OPTION = re.compile(r"(?:^|[\s/|\[(])(--?[a-zA-Z][\w-]*)")
_UNDOCUMENTED_OK = {"--help", "-h"}  # the help option documents itself


def _span_options(text: str) -> set[str]:
    """Options written as code, in spans or blocks: `--level FULL`, `-f/--format`, `[--port N]`."""
    blocks = re.findall(r"```[^\n]*\n(.*?)```", text, re.S)
    spans = _SPAN.findall(re.sub(r"```.*?```", "", text, flags=re.S)) + blocks
    return {o for span in spans for o in _SPAN_OPTION.findall(span)}


@cache
def _params() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Command ("" for the root) → the option strings of each of its options."""
    import typer

    from contractctl.cli.app import _register
    from contractctl.cli.root import app

    _register()
    found: dict[str, tuple[tuple[str, ...], ...]] = {}

    def walk(cmd: object, prefix: str) -> None:
        params = getattr(cmd, "params", ())
        found[prefix] = tuple(
            opts
            for p in params
            if (opts := tuple(o for o in (*p.opts, *p.secondary_opts) if o.startswith("-")))
        )
        for name, child in getattr(cmd, "commands", {}).items():
            walk(child, f"{prefix} {name}".strip())

    walk(typer.main.get_command(app), "")
    return found


@cache
def _accepted() -> dict[str, frozenset[str]]:
    """Command ("" for the root) → every option string it accepts."""
    return {c: frozenset(o for opts in ps for o in opts) for c, ps in _params().items()}


def _commands() -> list[str]:
    return sorted((c for c in _accepted() if c), key=lambda c: (-len(c.split()), c))


def _command_of(words: list[str], current: str | None = None) -> str | None:
    plain = [w for w in words if not w.lstrip("[(").startswith("-")]
    for command in _commands():
        if plain[: len(command.split())] == command.split():
            return command
    if current and plain:  # `registry ls \| show SUBJECT`: a sibling of the current command
        sibling = " ".join([*current.split()[:-1], plain[0]])
        if sibling in _accepted() and sibling:
            return sibling
    return None


def _invocations(text: str) -> list[tuple[str, list[str]]]:
    """(command, options) of each ``contractctl …`` in code spans and code blocks."""
    spans = re.findall(r"`([^`\n]*contractctl [^`\n]*)`", text)
    blocks = [
        line
        for block in re.findall(r"```[^\n]*\n(.*?)```", text, re.S)
        for line in re.sub(r"\\\n\s*", " ", block).splitlines()  # join continued lines
        if "contractctl " in line and not line.lstrip().startswith("#")
    ]
    found = []
    for line in spans + blocks:
        for invocation in re.split(r"(?=\bcontractctl )", line):
            if not invocation.startswith("contractctl "):
                continue
            command = None
            for part in re.split(r"\s\\?\|\s", invocation.removeprefix("contractctl ")):
                words = part.split()
                command = _command_of(words, command) or command
                if command is None:
                    break
                options = [m.group(1) for w in words if (m := _OPTION.match(w))]
                found.append((command, options))
    return found


def _mentions(text: str, command: str) -> bool:
    return re.search(rf"`(?:contractctl )?{re.escape(command)}(?:[` ]|$)", text) is not None


def _documented() -> dict[str, set[str]]:
    """Command → the options the docs show or describe for it."""
    documented: dict[str, set[str]] = {c: set() for c in _accepted()}
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for command, options in _invocations(text):
            documented[command].update(options)
        # A section whose heading names a command documents the options it mentions.
        heads = list(re.finditer(r"^(#+) (.*)$", text, re.M))
        for i, head in enumerate(heads):
            level = len(head.group(1))
            end = next((h.start() for h in heads[i + 1 :] if len(h.group(1)) <= level), None)
            body = text[head.start() : end]
            for command in _commands():
                if _mentions(head.group(2), command):
                    documented[command].update(_span_options(body))
        # So does a paragraph or a table row naming it.
        for paragraph in re.split(r"\n\s*\n|\n(?=\|)", text):
            options = _span_options(paragraph)
            for command in _commands():
                if options and _mentions(paragraph, command):
                    documented[command].update(options)
        if doc.name == "README.md":  # the global options line
            para = next(p for p in text.split("\n\n") if p.startswith("Global options"))
            documented[""].update(_span_options(para))
    return documented


def _shown() -> list[tuple[str, str, str]]:
    return [
        (doc.name, command, option)
        for doc in DOCS
        for command, options in _invocations(doc.read_text(encoding="utf-8"))
        for option in options
    ]


def test_the_walk_sees_the_documented_commands() -> None:
    shown = {command for _, command, _ in _shown()}
    assert {"check", "validate", "diff", "codegen python", "docs build", "registry pull"} <= shown


@pytest.mark.parametrize(("doc", "command", "option"), sorted(set(_shown())))
def test_every_documented_option_is_accepted(doc: str, command: str, option: str) -> None:
    accepted = _accepted()[command] | _accepted()[""]
    assert option in accepted, f"{doc} shows `contractctl {command} … {option}`"


@pytest.mark.parametrize("command", sorted(_accepted()), ids=lambda c: c or "contractctl")
def test_every_accepted_option_is_documented(command: str) -> None:
    """Each option is documented for its command under one of its names; its other names
    (`-f` for `--format`, `--out` for `--output`) are written somewhere in the docs."""
    documented = _documented()[command] | _documented()[""]
    anywhere = set().union(*_documented().values())
    missing = [
        "/".join(opts)
        for opts in _params()[command]
        if not set(opts) <= _UNDOCUMENTED_OK
        and (not documented & set(opts) or not set(opts) <= anywhere)
    ]
    assert missing == [], f"`contractctl {command}` accepts {missing}, documented nowhere"
