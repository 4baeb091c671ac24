"""Python type expressions as small trees, laid out the way ``ruff format`` lays them out.

The generator builds annotations from these nodes instead of strings so that long
annotations can be split at brackets (with a magic trailing comma) or at ``|``, which is
what keeps the generated modules formatted without running a formatter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 88  # ruff's default line length: generated code lives in other people's projects
INDENT = "    "


@dataclass(frozen=True, slots=True)
class Expr:
    """``head[args]`` (subscript), ``head(args)`` (call), ``a | b`` (union) or a bare atom."""

    head: str
    args: tuple[Expr, ...] = ()
    kind: str = "atom"  # atom | subscript | call | union
    refs: frozenset[str] = field(default=frozenset(), compare=False)


def atom(text: str, refs: frozenset[str] = frozenset()) -> Expr:
    return Expr(text, refs=refs)


def sub(head: str, *args: Expr) -> Expr:
    return Expr(head, args, "subscript", _refs(args))


def call(head: str, *args: Expr) -> Expr:
    return Expr(head, args, "call", _refs(args))


def kw(name: str, value: Expr) -> Expr:
    """A keyword argument; a prefix on an atom-like node keeps the layout rules simple."""
    return Expr(f"{name}=", (value,), "kwarg", value.refs)


def union(*members: Expr) -> Expr:
    flat: list[Expr] = []
    for m in members:
        for part in m.args if m.kind == "union" else (m,):
            if part not in flat:
                flat.append(part)
    # ``X | None`` reads better than ``None | X``; order does not matter to pydantic.
    flat.sort(key=lambda e: e.kind == "atom" and e.head == "None")
    if len(flat) == 1:
        return flat[0]
    return Expr("", tuple(flat), "union", _refs(tuple(flat)))


def _refs(args: tuple[Expr, ...]) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for a in args:
        out |= a.refs
    return out


def text(expr: Expr) -> str:
    """The expression on one line."""
    if expr.kind == "kwarg":
        return expr.head + text(expr.args[0])
    if expr.kind == "atom":
        return expr.head
    if expr.kind == "union":
        return " | ".join(text(a) for a in expr.args)
    inner = ", ".join(text(a) for a in expr.args)
    return f"{expr.head}[{inner}]" if expr.kind == "subscript" else f"{expr.head}({inner})"


def layout(expr: Expr, prefix: str, suffix: str = "", indent: int = 0) -> list[str]:
    """Lines for ``prefix + expr + suffix`` at ``indent`` levels, split like ruff format."""
    pad = INDENT * indent
    one = f"{pad}{prefix}{text(expr)}{suffix}"
    if len(one) <= WIDTH:
        return [one]
    if expr.kind == "kwarg":
        return layout(expr.args[0], prefix + expr.head, suffix, indent)
    if expr.kind in ("subscript", "call"):
        opener, closer = ("[", "]") if expr.kind == "subscript" else ("(", ")")
        lines = [f"{pad}{prefix}{expr.head}{opener}"]
        for arg in expr.args:
            lines.extend(layout(arg, "", ",", indent + 1))
        lines.append(f"{pad}{closer}{suffix}")
        return lines
    if expr.kind == "union":
        lines = [f"{pad}{prefix}("]
        for i, arg in enumerate(expr.args):
            lines.extend(layout(arg, "" if i == 0 else "| ", "", indent + 1))
        lines.append(f"{pad}){suffix}")
        return lines
    return [one]  # an atom that is too long on its own (a long string literal) stays whole
