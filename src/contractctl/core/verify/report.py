"""A verify run as a ``Report``: findings (events and sagas) and the summary dashboards read.

The summary is the stable part of ``--format json`` that ``verify merge`` adds up and the
docs catalog can embed: event counts per contract, duplicate rates, and per flow the count of
instances in each class, example correlation ids and reaction-time percentiles per step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from contractctl.core.flow.instances import CLASSES, STUCK, UNCOMPENSATED, FlowStats
from contractctl.core.rules import get_rule
from contractctl.core.rules import verify as rv
from contractctl.core.verify.tally import Tally
from contractctl.core.verify.verifier import VerifyResult
from contractctl.core.vocab.findings import Finding, Report, Severity

_SAGA_RULES = {STUCK: rv.SAGA_STUCK, UNCOMPENSATED: rv.SAGA_UNCOMPENSATED, "orphan": rv.SAGA_ORPHAN}
_SAGA_TEXT = {
    STUCK: "{n} {flow} instance{s} stuck after {event}: no reaction within its consumers' budget",
    UNCOMPENSATED: "{n} {flow} instance{s} failed and never got the compensation {event}",
    "orphan": "{n} {flow} instance{s} with an event {event} whose cause was never seen",
}


def saga_findings(flows: Mapping[str, FlowStats]) -> list[Finding]:
    out: list[Finding] = []
    for flow, stats in flows.items():
        for (cls, event), n in sorted(stats.causes.items()):
            rule_id = _SAGA_RULES.get(cls)
            if rule_id is None:
                continue
            rule = get_rule(rule_id)
            examples = stats.examples.get(cls, [])
            text = _SAGA_TEXT[cls].format(n=n, flow=flow, s="s" * (n != 1), event=event)
            if examples:
                text += f" (e.g. correlation ids {', '.join(examples[:3])})"
            out.append(
                Finding(
                    rule_id=rule_id,
                    severity=rule.severity,
                    message=text,
                    hint=rule.hint,
                    event=event,
                    extra={"count": n, "flow": flow, "class": cls, "examples": examples},
                )
            )
    return out


def flows_table(flows: Mapping[str, FlowStats]) -> list[dict[str, Any]]:
    """One row per flow: class counts and its slowest step (the highest p95 reaction time)."""
    rows: list[dict[str, Any]] = []
    for flow, stats in flows.items():
        slowest: tuple[str, float, float] | None = None
        for step, hist in stats.steps.items():
            p95 = hist.percentile(0.95)
            p50 = hist.percentile(0.5)
            if p95 is not None and p50 is not None and (slowest is None or p95 > slowest[2]):
                slowest = (step, p50, p95)
        rows.append(
            {
                "flow": flow,
                "instances": sum(stats.classes.values()),
                **{c: stats.classes.get(c, 0) for c in CLASSES},
                "slowest_step": None
                if slowest is None
                else {"event": slowest[0], "p50_ms": slowest[1], "p95_ms": slowest[2]},
            }
        )
    return rows


def build_report(
    result: VerifyResult,
    *,
    sources: Sequence[str],
    extra: Mapping[str, Any] | None = None,
    findings: list[Finding] | None = None,
) -> Report:
    """``findings`` replace the tally's (a merge brings them ready-made)."""
    report = Report(command="verify", files=list(sources))
    report.extend(result.tally.findings() if findings is None else findings)
    report.extend(saga_findings(result.flows))
    names = Counter({cid.split("@", 1)[0]: 0 for cid in result.matched})
    for cid, n in result.matched.items():
        names[cid.split("@", 1)[0]] += n
    report.summary.update(
        {
            "events": result.events,
            "unreadable": result.unreadable,
            "matched": dict(sorted(result.matched.items())),
            "duplicates": {
                name: {"count": n, "rate": round(n / names[name], 6) if names[name] else 0.0}
                for name, n in sorted(result.duplicates.items())
            },
            "open_instances_peak": result.peak_open,
            "events_past_instance_cap": result.truncated,
            "flows": {flow: stats.to_json() for flow, stats in result.flows.items()},
            "flows_table": flows_table(result.flows),
            "headline": _headline(result.events, result.flows),
            **(extra or {}),
        }
    )
    return report


def _headline(events: int, flows: Mapping[str, FlowStats]) -> str:
    instances = sum(sum(s.classes.values()) for s in flows.values())
    return f"{events} events, {instances} workflow instances"


def merge_reports(docs: Iterable[Mapping[str, Any]], *, samples: int = 5) -> Report:
    """One report from the JSON reports of several ``verify`` processes (a consumer group)."""
    groups: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    files: list[str] = []
    events = unreadable = peak = truncated = 0
    matched: Counter[str] = Counter()
    duplicates: Counter[str] = Counter()
    flows: dict[str, FlowStats] = {}
    for doc in docs:
        summary = doc.get("summary", {})
        files.extend(f for f in doc.get("files", []) if f not in files)
        events += int(summary.get("events", 0))
        unreadable += int(summary.get("unreadable", 0))
        peak += int(summary.get("open_instances_peak", 0))
        truncated += int(summary.get("events_past_instance_cap", 0))
        matched.update({k: int(v) for k, v in summary.get("matched", {}).items()})
        duplicates.update({k: int(v["count"]) for k, v in summary.get("duplicates", {}).items()})
        for flow, data in summary.get("flows", {}).items():
            flows.setdefault(flow, FlowStats()).merge(FlowStats.from_json(data), samples)
        for f in doc.get("findings", []):
            details = f.get("details", {})
            if f["rule_id"] in _SAGA_RULES.values():
                continue  # rebuilt from the merged flows below
            group = str(details.get("group", f["message"]))
            key = (f["rule_id"], f.get("event") or "", f.get("pointer") or "", group)
            into = groups.setdefault(key, {**f, "count": 0, "samples": []})
            into["count"] += int(details.get("count", 1))
            room = samples - len(into["samples"])
            into["samples"].extend(list(details.get("samples", []))[: max(0, room)])
    result = VerifyResult(
        tally=Tally(),
        flows=dict(sorted(flows.items())),
        events=events,
        matched=matched,
        duplicates=duplicates,
        unreadable=unreadable,
        peak_open=peak,
        truncated=truncated,
    )
    return build_report(
        result,
        sources=files,
        extra={"merged_reports": True},
        findings=[_merged_finding(g) for g in groups.values()],
    )


def _merged_finding(g: Mapping[str, Any]) -> Finding:
    n = g["count"]
    samples = list(g["samples"])
    group = str(g.get("details", {}).get("group", g["message"]))
    seen = f"; e.g. {', '.join(samples[:3])}" if samples else ""
    return Finding(
        rule_id=g["rule_id"],
        severity=Severity(g["severity"]),
        message=f"{group} ({n} event{'s' * (n != 1)}{seen})",
        file=g.get("file"),
        line=g.get("line"),
        pointer=g.get("pointer"),
        hint=g.get("hint"),
        event=g.get("event"),
        extra={"count": n, "samples": samples, "group": group},
    )
