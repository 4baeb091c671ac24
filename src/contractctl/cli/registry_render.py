"""Text rendering of registry reports (publish, registry show)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from contractctl.cli import state

if TYPE_CHECKING:
    from contractctl.app.publish import PublishReport
    from contractctl.app.registry import SubjectInfo


def _out(line: str) -> None:
    sys.stdout.write(state.redact(line) + "\n")


def render_publish(report: PublishReport) -> None:
    from contractctl.app.publish import Action

    head = "publish (dry run)" if report.dry_run else "publish"
    _out(f"{head} → {report.registry}")
    verbs = {
        Action.UNCHANGED: "unchanged",
        Action.REGISTER: "would register" if report.dry_run else "to register",
        Action.REGISTERED: "registered",
        Action.REFUSED: "REFUSED (incompatible)",
        Action.FAILED: "FAILED",
        Action.NOT_ATTEMPTED: "not registered",
    }
    for o in report.outcomes:
        where = f" v{o.version}" if o.version else ""
        ident = f" (id {o.schema_id})" if o.schema_id else ""
        kind = " [reference]" if o.is_reference else ""
        _out(f"  {o.subject}  {o.item}{kind}: {verbs[o.action]}{where}{ident}")
        if o.level_to:
            verb = "would set" if report.dry_run or o.action is not Action.REGISTERED else "set"
            _out(f"      level: {verb} {o.level_from} → {o.level_to}")
        for c in o.breaks:
            at = f" against {c.against_version}" if c.against_version else ""
            broken = "/".join(d.value for d in c.directions) or c.direction.value
            _out(f"      {broken}{at}: {c.rule_id} at {c.path}: {c.message}")
        if o.error:
            _out(f"      error: {o.error}")
    counts = {a: report.count(a) for a in Action}
    parts = [f"{n} {verbs[a]}" for a, n in counts.items() if n]
    _out(f"summary: {', '.join(parts) or 'nothing to publish'}")
    if counts[Action.REFUSED]:
        _out(
            "publish refused: nothing was registered; fix the breaks, record accepted "
            "breaks, or rerun with --force"
        )
    if counts[Action.FAILED]:
        done = counts[Action.REGISTERED]
        _out(
            f"publish incomplete: {done} registered, {counts[Action.FAILED]} failed, "
            f"{counts[Action.NOT_ATTEMPTED]} not attempted; rerun to complete (already "
            "registered schemas are skipped)"
        )


def render_subject(info: SubjectInfo) -> None:
    source = "subject" if info.level else "global"
    _out(f"{info.subject}  level {info.level or info.global_level} ({source})")
    for v in info.versions:
        refs = ", ".join(f"{r.name}→{r.subject} v{r.version}" for r in v.references)
        _out(f"  v{v.version}  id {v.id}  {v.schema_type}" + (f"  refs: {refs}" if refs else ""))
