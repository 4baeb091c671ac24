"""Where the Jinja2 templates live, and the one factory for template environments.

Installed from a wheel, the top-level ``templates/`` folder ships as ``contractctl/templates``;
in an editable install it is the repository's own ``templates/``. A user folder given with
``--templates`` is searched first, so any single template can be overridden.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame


def templates_root() -> Path:
    """The directory holding ``codegen/`` and ``docs/`` template trees."""
    packaged = resources.files("contractctl") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "templates"


def jinja_env(
    subdir: str, override: Path | None = None, *, html: bool = True
) -> jinja2.Environment:
    """An environment over ``templates/<subdir>`` (and ``override`` first, when given).

    HTML environments autoescape everything; Markdown and code environments do not and
    must escape through filters. Undefined variables fail loudly so a typo in an
    overriding template is an error, not an empty string.
    """
    searchpath = [str(override)] if override is not None else []
    searchpath.append(str(templates_root() / subdir))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(searchpath),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.code_generator_class = _JoinedOutput
    return env


class _JoinedOutput(CodeGenerator):
    """Jinja's code generator, but a run of text and ``{{ }}`` between two tags is yielded
    as one joined string instead of one ``yield`` per piece.

    A block's output passes up through every template it extends, one generator each, so
    each piece cost three resumptions (an event page yields ~375 of them). The text is
    the same: the pieces are joined in order, each escaped (or not) as before. Frames that
    write into a buffer (macros, ``{% set %}`` blocks) and output outside blocks in a child
    template keep Jinja's own code.
    """

    def visit_Output(self, node: nodes.Output, frame: Frame) -> None:  # noqa: N802  (Jinja names it)
        if frame.buffer is not None or frame.require_output_check:
            super().visit_Output(node, frame)
            return
        finalize = self._make_finalize()
        body: list[list[object] | nodes.Expr] = []
        for child in node.nodes:  # constants folded as CodeGenerator.visit_Output does
            try:
                if not (finalize.const or isinstance(child, nodes.TemplateData)):
                    raise nodes.Impossible()
                const = self._output_child_to_const(child, frame, finalize)
            except Exception:  # Impossible, or an error better met at run time (as Jinja does)
                body.append(child)
                continue
            last = body[-1] if body else None
            if isinstance(last, list):
                last.append(const)
            else:
                body.append([const])
        if len(body) < 2:
            super().visit_Output(node, frame)
            return
        self.writeline("yield ''.join((")
        self.indent()
        for item in body:
            if isinstance(item, list):
                self.writeline(self._output_const_repr(item) + ",")
                continue
            self.newline(item)
            self._output_child_pre(item, frame, finalize)
            self.visit(item, frame)
            self._output_child_post(item, frame, finalize)
            self.write(",")
        self.outdent()
        self.writeline("))")
