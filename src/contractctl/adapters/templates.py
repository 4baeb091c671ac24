"""Where the Jinja2 templates live, and the one factory for template environments.

Installed from a wheel, the top-level ``templates/`` folder ships as ``contractctl/templates``;
in an editable install it is the repository's own ``templates/``. A user folder given with
``--templates`` is searched first, so any single template can be overridden.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import jinja2


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
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(searchpath),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
