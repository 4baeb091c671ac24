"""Render the catalog's view model to files: HTML (autoescaped) or Markdown, plus static assets.

Every link is relative (``root`` is ``""``, ``"../"`` or ``"../../"``), so the site works from
``file://`` and from any sub-path of a web server. Output bytes depend only on the model.

The output folder carries a manifest (``.contractctl-docs.json``) listing every file the
build wrote. A rebuild removes the files of the earlier build that it no longer writes and
never touches others; a non-empty folder without a manifest is refused unless ``force``.
Every file, the manifest last, is written through the build's ``OutputTree`` (atomic, never
through a symlink); :func:`write_file` is that for a lone file.

A page whose template fails (or whose rendering hits a bug) is skipped, not written: every
other page is built, the manifest and the stale sweep run as usual, so the failed page is
absent rather than left from an earlier build, and ``PagesNotBuilt`` names each one.
"""

from __future__ import annotations

import gc
import json
import os
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from contractctl.adapters.markdown_safe import block_html, inline_html, markdown_text
from contractctl.adapters.safe_write import INCOMPLETE_MARKER, OutputTree
from contractctl.adapters.templates import jinja_env, templates_root
from contractctl.core.catalog.flows import FlowView
from contractctl.core.catalog.model import (
    EventView,
    SiteModel,
    domain_index_url,
    event_url,
    flow_url,
    service_url,
    team_url,
)
from contractctl.core.errors import PagesNotBuilt, RenderError

STATIC_FILES = ("site.css", "site.js", "flow.js")
_PARALLEL_PAGES = 2000  # below this a second process costs more than it saves
_LAST_OF_EVENT = "\x00last page of its event"  # a context key no template can name


def _md_code(value: object) -> str:
    """Inline code that survives backticks inside the value."""
    text = "" if value is None else " ".join(str(value).split())
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def _md_block(value: object) -> str:
    """A fenced block longer than any backtick run in the content."""
    text = "" if value is None else str(value)
    run = 3
    while "`" * run in text:
        run += 1
    return "`" * run


MANIFEST = ".contractctl-docs.json"
_GENERATOR = "contractctl docs build"


def write_file(path: Path, data: bytes, tree: OutputTree | None = None) -> Path:
    """Write through a temporary file and a rename (a server never sends half a page), inside
    ``tree`` (default: the file's own folder) and never through a symlink."""
    tree = tree or OutputTree(path.parent)
    return tree.write(path.relative_to(tree.root).as_posix(), data)


def owned_files(out: Path, *, force: bool = False) -> set[str]:
    """The files an earlier build wrote into ``out``; refuses a foreign non-empty folder."""
    if out.exists() and not out.is_dir():
        raise RenderError(f"{out} is not a folder", file=str(out))
    if (out / INCOMPLETE_MARKER).is_file():
        return set()  # a build of ours was killed before its manifest: finish it
    manifest = out / MANIFEST
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("generator") != _GENERATOR or not isinstance(data.get("files"), list):
            raise ValueError("not a docs manifest")
        return {str(f) for f in data["files"]}
    except FileNotFoundError:
        pass
    except (OSError, ValueError, AttributeError) as exc:
        if not force:
            raise RenderError(
                "not a contractctl docs manifest; use --force to build anyway",
                file=str(manifest),
            ) from exc
        return set()
    try:
        foreign = out.is_dir() and any(out.iterdir())
    except OSError as exc:
        raise RenderError(f"cannot read {out}: {exc.strerror or exc}", file=str(out)) from exc
    if foreign and not force:
        raise RenderError(
            "the folder is not empty and was not written by contractctl docs build; choose "
            "an empty or new folder, or use --force to write into it (its files are kept)",
            file=str(out),
        )
    return set()


def finish(out: Path, written: list[Path], owned: set[str]) -> list[str]:
    """Remove what the earlier build wrote and this one did not; then record this build."""
    now = sorted(p.relative_to(out).as_posix() for p in written)
    stale = sorted(owned - set(now))
    tree = OutputTree(out)
    for rel in stale:
        path = out / rel
        # Names come from a file in the output folder: never follow one out of it.
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            continue
        try:
            tree.remove(rel)
            for parent in path.parents:
                if parent == out or out not in parent.parents:
                    break
                parent.rmdir()  # only succeeds once empty
        except (OSError, RenderError):
            continue
    manifest = {"generator": _GENERATOR, "files": now}
    write_file(out / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode("utf-8"), tree)
    tree.finish()
    return stale


def _search_extra(event: EventView) -> str:
    """What the index search finds an event by beyond its own columns: the owners and
    tags of the services that produce or consume it."""
    return " ".join(event.search_terms)


class SiteRenderer:
    def __init__(self, fmt: str, override: Path | None = None) -> None:
        if fmt not in ("html", "markdown"):
            raise RenderError(f"unknown docs format {fmt!r}; use html or markdown")
        self.fmt = fmt
        self.ext = "html" if fmt == "html" else "md"
        self.env = jinja_env(f"docs/{fmt}", override, html=fmt == "html")
        # One environment per build: checking each template's mtime on every page (and on
        # every {% extends %}) cost a stat per template per page and found nothing new.
        self.env.auto_reload = False
        self.env.filters["md"] = markdown_text
        self.env.filters["mdpara"] = lambda v: markdown_text(v, one_line=False)
        self.env.filters["markdown"] = block_html
        self.env.filters["mdinline"] = inline_html
        self.env.filters["mdcode"] = _md_code
        self.env.filters["mdfence"] = _md_block
        self.env.filters["svg"] = Markup  # SVG built by core.svg_layout, which escapes text
        self.env.globals.update(
            event_url=event_url,
            service_url=service_url,
            flow_url=flow_url,
            team_url=team_url,
            domain_index_url=domain_index_url,
            search_extra=_search_extra,
        )
        self.written: list[Path] = []
        self.failed: list[tuple[str, str]] = []  # (page, reason): rendered nothing, written never
        self.internal = False  # a failure was a bug, not a template error
        self.trees: dict[Path, OutputTree] = {}
        self._templates: dict[str, jinja2.Template] = {}
        self._quoted: dict[str, str] = {}  # site path → its percent-encoded link
        self._queue: list[tuple[str, str, dict[str, Any]]] = []  # (page, template, context)
        self._groups: list[str | None] = []  # each queued page's group

    def _tree(self, out: Path) -> OutputTree:
        if out not in self.trees:
            self.trees[out] = OutputTree(out)
        return self.trees[out]

    def _url(self, path: str) -> str:
        return path if self.ext == "html" else path.removesuffix(".html") + ".md"

    def page(
        self, out: Path, rel: str, template: str, *, group: str | None = None, **context: Any
    ) -> None:
        """Queue a page; ``render`` draws and writes the queue (see ``_draw_all``). Pages of
        one ``group`` are drawn by one process."""
        self._queue.append((self._url(rel), template, context))
        self._groups.append(group)

    def _draw(self, out: Path, rel: str, template: str, context: dict[str, Any]) -> None:
        if context.pop(_LAST_OF_EVENT, False):
            try:
                self._draw(out, rel, template, context)
            finally:
                for v in context["event"].versions:
                    v.forget()
            return
        depth = rel.count("/")
        root = "../" * depth
        # Page names are percent-encoded contract names: a link must escape the "%" again.
        quoted = self._quoted

        def url(target: str) -> str:
            link = quoted.get(target)
            if link is None:
                link = quoted[target] = quote(self._url(target))
            return root + link

        try:
            if template not in self._templates:
                self._templates[template] = self.env.get_template(template)
            text = self._templates[template].render(root=root, url=url, **context)
        except jinja2.TemplateError as exc:
            self.failed.append((rel, f"template {template}: {_reason(exc)}"))
            return
        except Exception as exc:  # one page's bug must not sink the site: reported as exit 70
            self.failed.append((rel, f"internal error in {template}: {_reason(exc)}"))
            self.internal = True
            return
        self.written.append(self._tree(out).write(rel, text.encode("utf-8")))

    def render(
        self, model: SiteModel, out: Path, static_override: Path | None = None
    ) -> list[Path]:
        t = self.ext
        self._tree(out).begin()
        common: dict[str, Any] = {"site": model}
        split = model.split_index and self.fmt == "html"
        self.page(
            out, "index.html", f"index.{t}.j2", domains=model.domains, listing=not split, **common
        )
        for domain, events in model.domains if split else ():
            one = [(domain, events)]
            self.page(
                out, domain_index_url(domain), f"index.{t}.j2", domains=one, listing=True, **common
            )
        for ev in model.events:
            # An event's pages share its versions' tables and change lists: one process.
            g = ev.name
            self.page(out, ev.url, f"event.{t}.j2", group=g, event=ev, version=ev.latest, **common)
            for i, v in enumerate(ev.versions):
                self.page(out, v.url, f"event.{t}.j2", group=g, event=ev, version=v, **common)
                if v.diff_url is not None and i + 1 < len(ev.versions):
                    self.page(
                        out,
                        v.diff_url,
                        f"changes.{t}.j2",
                        group=g,
                        event=ev,
                        version=v,
                        previous=ev.versions[i + 1],
                        **common,
                    )
        for svc in model.services:
            self.page(out, svc.url, f"service.{t}.j2", service=svc, **common)
        self.page(out, "services.html", f"services.{t}.j2", **common)
        for team in model.teams:
            self.page(out, team.url, f"team.{t}.j2", team=team, **common)
        self.page(out, "teams.html", f"teams.{t}.j2", **common)
        for flow in model.flows:
            self.page(out, flow.url, f"flow.{t}.j2", flow=flow, **common)
            if self.fmt == "html":
                self._flow_files(out, flow)
        self._draw_all(out)
        if self.fmt == "html":
            self._static(out, static_override)
        return sorted(self.written)

    def _draw_all(self, out: Path) -> None:
        """Render and write the queued pages, over two processes for a big site.

        A page's bytes depend only on the model, so which process draws it changes nothing
        in the output; the second process (forked: it shares the model, nothing is copied)
        draws about half of them (an event's pages together, so the tables and change lists
        they share are computed by that process alone) and hands back what it wrote and
        what failed. Names are claimed in page order first, so a case clash is found as in
        one process.
        """
        queue, self._queue = self._queue, []
        groups, self._groups = self._groups, []
        # After an event's last page its tables and change lists are dropped: no other page
        # reads them, and keeping every event's would grow with the catalog.
        last = {g: i for i, g in enumerate(groups) if g is not None}
        for i in last.values():
            queue[i][2][_LAST_OF_EVENT] = True
        tree = self._tree(out)
        if (
            len(queue) < _PARALLEL_PAGES
            or (os.cpu_count() or 1) < 2
            or not hasattr(os, "fork")
            # Forking beside other threads (``docs serve``'s server) could leave the child
            # waiting on a lock one of them held.
            or threading.active_count() > 1
        ):
            for rel, template, context in queue:
                self._draw(out, rel, template, context)
            return
        try:
            tree.claim_all([rel for rel, _, _ in queue])
        except RenderError:  # a clash: one process raises it where it always did
            for rel, template, context in queue:
                self._draw(out, rel, template, context)
            return
        split = _halves(groups)
        frozen = gc.get_freeze_count()
        # The child then writes no collector bookkeeping into shared pages. No collection
        # first: build_docs paused the collector while the model was made, which leaves
        # next to no cyclic garbage (86 objects of 700,000 at 20k contracts), and a full
        # pass over the model cost 0.4 s before the fork.
        gc.freeze()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover  (the child's own coverage is not collected)
            os.close(read)
            self._child(out, [q for q, mine in zip(queue, split, strict=True) if not mine], write)
        os.close(write)
        error: RenderError | None = None
        try:
            for rel, template, context in (q for q, mine in zip(queue, split, strict=True) if mine):
                self._draw(out, rel, template, context)
        except RenderError as exc:
            error = exc
        finally:
            with os.fdopen(read, "rb") as handle:
                report = handle.read()
            os.waitpid(pid, 0)
            if not frozen:  # what a one-shot load froze stays frozen
                gc.unfreeze()
        self._merge(out, queue, report, error)

    def _child(self, out: Path, part: list[tuple[str, str, dict[str, Any]]], fd: int) -> None:
        code = 0
        try:
            self.written, self.failed, self.internal = [], [], False
            error = None
            parent = os.getppid()
            try:
                for rel, template, context in part:
                    if os.getppid() != parent:
                        break  # the build was killed: write nothing more into its folder
                    self._draw(out, rel, template, context)
            except RenderError as exc:
                error = [exc.message, exc.file]
            report = {
                "written": [p.relative_to(out).as_posix() for p in self.written],
                "failed": self.failed,
                "internal": self.internal,
                "error": error,
            }
            with os.fdopen(fd, "wb") as handle:
                handle.write(json.dumps(report).encode("utf-8"))
        except BaseException:
            code = 70
        finally:
            os._exit(code)

    def _merge(
        self,
        out: Path,
        queue: list[tuple[str, str, dict[str, Any]]],
        report: bytes,
        error: RenderError | None,
    ) -> None:
        try:
            child = json.loads(report)
        except ValueError:
            raise RenderError("the second rendering process died without a report") from None
        if error is not None:
            raise error
        if child["error"] is not None:
            raise RenderError(child["error"][0], file=child["error"][1])
        self.written.extend(out.joinpath(*rel.split("/")) for rel in child["written"])
        self.internal = self.internal or child["internal"]
        order = {rel: i for i, (rel, _, _) in enumerate(queue)}
        failed = self.failed + [(rel, reason) for rel, reason in child["failed"]]
        self.failed = sorted(failed, key=lambda f: order.get(f[0], len(order)))

    def _flow_files(self, out: Path, flow: FlowView) -> None:
        """A flow too big to inline: its drawing and its Mermaid source as files of their own."""
        tree = self._tree(out)
        if flow.svg_file is not None:
            # Standalone, the drawing takes its look from the site's stylesheet.
            head = '<?xml version="1.0" encoding="UTF-8"?>\n'
            head += '<?xml-stylesheet type="text/css" href="../static/site.css"?>\n'
            data = (head + flow.svg + "\n").encode("utf-8")
            self.written.append(tree.write(f"flows/{flow.svg_file}", data))
        if flow.mermaid_file is not None:
            self.written.append(tree.write(f"flows/{flow.mermaid_file}", flow.mermaid))

    def _static(self, out: Path, override: Path | None) -> None:
        for name in STATIC_FILES:
            src = templates_root() / "docs" / "static" / name
            if override is not None and (override / "static" / name).is_file():
                src = override / "static" / name
            dest = out / "static" / name
            try:
                data = src.read_bytes()
            except OSError as exc:
                raise RenderError(f"cannot read {src}: {exc.strerror or exc}") from exc
            self.written.append(write_file(dest, data, self._tree(out)))


def _halves(groups: list[str | None]) -> list[bool]:
    """For each page, whether the first process draws it: a group (or a lone page) goes
    to whichever process has fewer pages so far, so both get about half."""
    mine: list[bool] = []
    counts = [0, 0]
    previous: str | None = None
    first = True
    for group in groups:
        if group is None or group != previous:
            first = counts[0] <= counts[1]
        counts[0 if first else 1] += 1
        mine.append(first)
        previous = group
    return mine


def render_site(
    model: SiteModel,
    out: Path,
    fmt: str = "html",
    templates: Path | None = None,
    *,
    force: bool = False,
) -> list[Path]:
    """Write the site under ``out``; return every file written, sorted (not the manifest)."""
    renderer = SiteRenderer(fmt, templates)  # a bad format fails before anything is touched
    owned = owned_files(out, force=force)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"cannot create {out}: {exc.strerror}", file=str(out)) from exc
    files = renderer.render(model, out, templates)
    # Pages that failed are not in ``files``: the manifest forgets them and the copy an
    # earlier build left is removed as stale, so no page is older than the rest of the site.
    finish(out, files, owned)
    if renderer.failed:
        raise PagesNotBuilt(renderer.failed, internal=renderer.internal)
    return files


def _reason(exc: Exception) -> str:
    where = f" (line {exc.lineno})" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}{where}"
